// The invariants checked on the warehouse after a fuzz load: every file has its ledger row (loaded, skipped as a
// duplicate, or failed with a file reason), and every record read is exactly once a raw row or a reject.
import { FILE_REASONS } from '../../schemas/reasons.ts';
import { withWarehouse } from '../../warehouse/db.ts';
import { ident } from '../../warehouse/sql.ts';

export interface FileCheck {
  location: string;
  feed: string;
  /** The template's record count when the damage keeps every record (the file must load with exactly these). */
  sameRecords: number | null;
}

export interface Outcome {
  location: string;
  /** `loaded`, `skipped`, `failed:<error_code>` or `absent`. */
  outcome: string;
  /** What is wrong, when something is (an invariant broken). */
  problems: string[];
  /** Loaded values holding a NUL character (a known bug, allow-listed until fixed). */
  nulStored: boolean;
}

export async function checkWarehouse(db: string, files: FileCheck[]): Promise<Outcome[]> {
  return withWarehouse(
    db,
    async (wh) => {
      const rows = await wh.all(
        'select batch_id, location, status, error_code, error, duplicate_of, rows_read, rows_loaded, rows_rejected from meta.batches',
      );
      const byLoc = new Map<string, (typeof rows)[number][]>();
      for (const r of rows) byLoc.set(String(r.location), [...(byLoc.get(String(r.location)) ?? []), r]);
      const out: Outcome[] = [];
      for (const f of files) {
        const problems: string[] = [];
        const bs = byLoc.get(f.location) ?? [];
        let nulStored = false;
        let outcome = 'absent';
        if (bs.length !== 1) problems.push(`${bs.length} ledger rows (expected exactly one)`);
        const b = bs[0];
        if (b) {
          const id = Number(b.batch_id);
          outcome = b.status === 'failed' ? `failed:${b.error_code}` : String(b.status);
          if (b.status === 'failed') {
            if (!(String(b.error_code) in FILE_REASONS)) problems.push(`failed with ${b.error_code}, not a file reason of schemas/reasons.ts`);
            if (!b.error) problems.push('failed without a message');
          } else if (b.status === 'skipped') {
            if (b.duplicate_of === null) problems.push('skipped without duplicate_of');
          } else {
            const raw = `raw.${ident(f.feed)}`;
            const [c] = await wh.all(
              `select (select count(*) from ${raw} where _batch_id = $1) as raw_rows,
                      (select count(*) from meta.rejects where batch_id = $1) as reject_rows,
                      (select count(distinct n) from (select _record_no as n from ${raw} where _batch_id = $1
                         union all select record_no from meta.rejects where batch_id = $1)) as distinct_nos,
                      (select coalesce(min(n), 1) || '-' || coalesce(max(n), 0) from (select _record_no as n from ${raw} where _batch_id = $1
                         union all select record_no from meta.rejects where batch_id = $1)) as span,
                      (select count(*) from ${raw} r where _batch_id = $1 and contains(r::varchar, chr(0))) as nul_rows`,
              [id],
            );
            const read = Number(b.rows_read);
            if (read !== Number(b.rows_loaded) + Number(b.rows_rejected))
              problems.push(`rows_read ${read} ≠ loaded ${b.rows_loaded} + rejected ${b.rows_rejected}`);
            if (Number(c!.raw_rows) !== Number(b.rows_loaded)) problems.push(`${c!.raw_rows} raw rows for rows_loaded ${b.rows_loaded}`);
            if (Number(c!.reject_rows) !== Number(b.rows_rejected))
              problems.push(`${c!.reject_rows} reject rows for rows_rejected ${b.rows_rejected}`);
            if (Number(c!.distinct_nos) !== read || (read > 0 && String(c!.span) !== `1-${read}`))
              problems.push(`record numbers ${c!.span} (${c!.distinct_nos} distinct) for ${read} records read`);
            nulStored = Number(c!.nul_rows) > 0;
          }
        }
        // a duplicate of content loaded earlier in the run is skipped (that batch was checked)
        if (f.sameRecords !== null && outcome !== 'skipped' && (outcome !== 'loaded' || Number(b?.rows_read) !== f.sameRecords))
          problems.push(
            `the damage keeps every record: expected loaded with ${f.sameRecords} records, got ${outcome} (${b?.rows_read ?? 0} read${b?.error ? `: ${b.error}` : ''})`,
          );
        out.push({ location: f.location, outcome, problems, nulStored });
      }
      return out;
    },
    { readOnly: true },
  );
}
