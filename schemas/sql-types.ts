// Column types of the canonical fields in raw.<feed>, derived from the field kinds.
import type { FeedSpec, FieldSpec } from './fields.ts';

export function sqlType(f: FieldSpec): string {
  switch (f.kind) {
    case 'date':
      return 'DATE';
    case 'amount':
      return 'DECIMAL(18,2)';
    case 'integer':
      return 'INTEGER';
    case 'boolean':
      return 'BOOLEAN';
    case 'enum':
      return f.multi ? 'VARCHAR[]' : 'VARCHAR';
    case 'penalty-types':
    case 'list':
      return 'VARCHAR[]';
    default:
      return 'VARCHAR';
  }
}

/** Lineage columns every raw row carries. */
export const LINEAGE_COLUMNS = [
  ['_batch_id', 'BIGINT NOT NULL'],
  ['_record_no', 'BIGINT NOT NULL'],
  ['_source_line', 'BIGINT NOT NULL'],
  ['_row_hash', 'VARCHAR NOT NULL'],
  ['_warnings', 'VARCHAR[]'],
] as const;

export function rawColumns(feed: FeedSpec): [string, string][] {
  return [
    ...Object.entries(feed.fields).map(([n, f]) => [n, sqlType(f)] as [string, string]),
    ...LINEAGE_COLUMNS.map(([n, t]) => [n, t] as [string, string]),
  ];
}
