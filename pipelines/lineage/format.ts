// The lineage tree as text (an indented tree for a terminal) and as a JSON document (the nodes themselves).
import type { LineageNode, SourceRef } from './lineage.ts';

// Columns worth a glance in a one-line summary, in this order when present; the JSON carries every column.
const SUMMARY = [
  'name',
  'subject_name',
  'region_name',
  'event_type',
  'rule_code',
  'severity',
  'risk_class',
  'score',
  'factor',
  'kind',
  'raw_points',
  'points',
  'license_no',
  'decision_no',
  'inspection_no',
  'case_no',
  'doc_no',
  'field',
  'feed',
  'entities',
  'class_d',
  '_nk',
  '_source_id',
  'precedence',
  'won_level',
  'versions',
  'message',
];
const MAX_VALUE = 48;

function short(v: unknown): string {
  const s = typeof v === 'string' ? v : JSON.stringify(v);
  return s.length > MAX_VALUE ? `${s.slice(0, MAX_VALUE - 1)}…` : s;
}

function keyText(n: LineageNode): string {
  return Object.values(n.key)
    .map((v) => String(v))
    .join(' / ');
}

function summary(n: LineageNode): string {
  if (!n.row) return '';
  const keys = new Set(Object.keys(n.key));
  const parts: string[] = [];
  for (const c of SUMMARY) {
    const v = n.row[c];
    if (keys.has(c) || v === null || v === undefined || (Array.isArray(v) && !v.length)) continue;
    parts.push(`${c}=${short(v)}`);
    if (parts.length === 6) break;
  }
  return parts.join(' ');
}

const noteText = (note: Record<string, unknown> | null) =>
  note
    ? Object.entries(note)
        .map(([k, v]) => `${k}=${short(v)}`)
        .join(' ')
    : '';

const FILE_MARK: Record<SourceRef['file'], string> = {
  ok: '✓ file unchanged',
  missing: '✗ FILE MISSING',
  altered: '✗ FILE ALTERED (hash differs from the ledger)',
  superseded: '! file since replaced by a later version',
  unreadable: '✗ FILE UNREADABLE',
  unchecked: '? file not checked (no --config)',
};

function sourceLines(s: SourceRef): string[] {
  const file = `${s.path ?? s.location}:${s.line}`;
  const mark = s.file === 'superseded' ? `${FILE_MARK.superseded} (batch ${s.superseded_by})` : FILE_MARK[s.file];
  return [
    `${file}  (record ${s.record_no})`,
    `source ${s.source_id} · ${s.level} ${s.region_code} ${s.department} · feed ${s.feed}`,
    `batch ${s.batch_id} · run ${s.run_id}${s.run_started_at ? ` (${s.run_started_at})` : ''} · sha256 ${s.sha256.slice(0, 16)}… · ${mark}`,
    s.text !== null
      ? `line ${s.line}${s.text_from === 'archive' ? ' (from the archive: the version loaded)' : ''}: ${s.text}`
      : `line ${s.line}: text not available: ${s.text_missing}`,
  ];
}

function headline(n: LineageNode): string {
  const via = n.via ? `[${n.via}] ` : '';
  const won = n.won ? ' ★ won' : '';
  if (n.kind === 'group') return `${via}${noteText(n.note)}`;
  if (n.kind === 'missing') return `${via}✗ MISSING ${n.table ?? ''} ${keyText(n)} (referenced, not found)`.replace(/\s+/g, ' ');
  const note = n.note ? ` (${noteText(n.note)})` : '';
  if (n.kind === 'repeat') return `${via}${n.table} ${keyText(n)}${won}${note} (already shown)`;
  return `${via}${n.table} ${keyText(n)}${won}${note}  ${summary(n)}`.trimEnd();
}

/** An indented tree, one node per line (raw rows get three more lines: file and line, source, batch/run/hash). */
export function formatLineageTree(root: LineageNode): string {
  const out: string[] = [headline(root)];
  const rec = (n: LineageNode, prefix: string) => {
    if (n.source) for (const l of sourceLines(n.source)) out.push(`${prefix}${n.children.length ? '│ ' : '  '}${l}`);
    n.children.forEach((c, i) => {
      const last = i === n.children.length - 1 && n.more === 0;
      out.push(`${prefix}${last ? '└─ ' : '├─ '}${headline(c)}`);
      rec(c, `${prefix}${last ? '   ' : '│  '}`);
    });
    if (n.more) out.push(`${prefix}└─ … ${n.more} more not shown (raise --limit)`);
  };
  rec(root, '');
  return out.join('\n');
}

/** The same tree as a JSON-ready document. */
export function lineageJson(root: LineageNode): LineageNode {
  return JSON.parse(JSON.stringify(root)) as LineageNode;
}

/** Every raw row in the tree with its source, for checks and exports. */
export function lineageSources(root: LineageNode, out: SourceRef[] = []): SourceRef[] {
  if (root.source) out.push(root.source);
  for (const c of root.children) lineageSources(c, out);
  return out;
}

/** Sources whose file is not as the ledger says (missing, altered, unreadable): a trace that proves nothing there. */
export function lineageProblems(root: LineageNode): SourceRef[] {
  return lineageSources(root).filter((s) => s.file === 'missing' || s.file === 'altered' || s.file === 'unreadable');
}
