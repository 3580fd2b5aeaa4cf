// The findings of `verify`. Every finding is counted; only the first few of each kind are listed, so a truncated
// raw table (a million missing rows) gives a readable report rather than a million lines.

export type ProblemKind =
  | 'file-missing'
  | 'file-altered'
  | 'file-unreadable'
  | 'file-superseded'
  | 'file-archived'
  | 'archive-missing'
  | 'archive-altered'
  | 'archive-pruned'
  | 'archive-absent'
  | 'batch-arithmetic'
  | 'raw-count-mismatch'
  | 'reject-count-mismatch'
  | 'records-unaccounted'
  | 'raw-orphan'
  | 'reject-orphan'
  | 'raw-row-altered'
  | 'lineage-dangling'
  | 'evidence-dangling'
  | 'table-rows-changed'
  | 'manifest-altered'
  | 'raw-hash-unchecked'
  | 'batch-digest-mismatch'
  | 'table-altered'
  | 'snapshot-altered'
  | 'anchor-diverged'
  | 'anchor-unanchored';

/**
 * `info` findings are reported but do not fail verify: a file replaced by a later, loaded version is no tampering;
 * runs recorded after the last anchor are not proven by it, but not disproven either; a landing file gone whose
 * bytes the archive holds, and archive entries pruned by retention or never made (archive off), are no loss.
 */
export const INFO_KINDS: ReadonlySet<ProblemKind> = new Set([
  'file-superseded',
  'anchor-unanchored',
  'file-archived',
  'archive-pruned',
  'archive-absent',
]);

export interface Problem {
  kind: ProblemKind;
  severity: 'error' | 'info';
  table: string | null;
  batch_id: number | null;
  location: string | null;
  detail: string;
}

export const LISTED_PER_KIND = 50;

export class Problems {
  readonly listed: Problem[] = [];
  readonly counts = new Map<ProblemKind, number>();
  /** Kinds reported without failing: always `file-superseded`, plus what the caller allows (archived files). */
  readonly info: ReadonlySet<ProblemKind>;

  constructor(alsoInfo: readonly ProblemKind[] = []) {
    this.info = new Set([...INFO_KINDS, ...alsoInfo]);
  }

  add(kind: ProblemKind, detail: string, at: { table?: string | null; batch_id?: number | null; location?: string | null } = {}, weight = 1): void {
    const n = this.counts.get(kind) ?? 0;
    this.counts.set(kind, n + weight);
    if (this.listed.filter((p) => p.kind === kind).length >= LISTED_PER_KIND) return;
    this.listed.push({
      kind,
      severity: this.info.has(kind) ? 'info' : 'error',
      table: at.table ?? null,
      batch_id: at.batch_id ?? null,
      location: at.location ?? null,
      detail,
    });
  }

  get errors(): number {
    let n = 0;
    for (const [k, c] of this.counts) if (!this.info.has(k)) n += c;
    return n;
  }
}
