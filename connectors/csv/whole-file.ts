// A file whose every record is rejected for one and the same required field being empty has a header problem,
// not N bad records: the column is there but holds nothing (a wrong column mapped, an export that left it out).
// Decided at the end of the batch, inside its transaction: the file then fails as a whole (`empty-column`) and
// nothing of it is committed. One record alone is not enough to say so (it stays a rejected record).
import { FileRejectedError } from '../../lib/errors.ts';
import type { FeedSpec } from '../../schemas/fields.ts';
import { describeMissing } from '../../schemas/header-hints.ts';
import type { HeaderMapping } from '../../schemas/header-map.ts';
import type { Warehouse } from '../../warehouse/db.ts';

export async function failIfColumnEmpty(
  wh: Warehouse,
  batchId: number,
  o: { feed: FeedSpec; label: string },
  header: { names: string[]; mapping: HeaderMapping },
  counts: { rowsRead: number; rowsLoaded: number; rowsRejected: number },
): Promise<void> {
  if (counts.rowsLoaded > 0 || counts.rowsRejected < 2 || counts.rowsRejected !== counts.rowsRead) return;
  const groups = await wh.all('select reason_code, field, count(*)::bigint as n from meta.rejects where batch_id = ? group by all limit 2', [
    batchId,
  ]);
  const g = groups.length === 1 ? groups[0] : undefined;
  if (g?.reason_code !== 'missing-required' || typeof g.field !== 'string' || Number(g.n) !== counts.rowsRead) return;
  const column = header.mapping.columnOfField.get(g.field);
  const where = column === undefined ? '' : ` (column ${column + 1}, header "${header.names[column]}")`;
  throw new FileRejectedError(
    'empty-column',
    `${o.label}: required column ${describeMissing(o.feed, g.field, header.mapping.ignored)}${where} is empty in all ${counts.rowsRead} records`,
  );
}
