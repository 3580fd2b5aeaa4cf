// The ledger against the rows: per batch, read = loaded + rejected; raw rows and rejects per batch equal the
// ledger's counts; the batch's record numbers 1..rows_read are each accounted for exactly once (in raw or in
// rejects); every raw row and reject belongs to a loaded batch of its feed. (Row hashes and batch digests:
// row-hashes.ts.)

import { FEED_NAMES } from '../../schemas/feeds/index.ts';
import { col } from '../../warehouse/columns.ts';
import type { Warehouse } from '../../warehouse/db.ts';
import { qualified } from '../../warehouse/sql.ts';
import type { Problems } from './problems.ts';

export interface LedgerSummary {
  batches: number;
  raw_rows: number;
  rejects: number;
}

export async function rawTables(wh: Warehouse): Promise<string[]> {
  const rows = await wh.rows("select table_name from information_schema.tables where table_schema = 'raw'", { table_name: col.text() });
  const have = new Set(rows.map((r) => r.table_name));
  return FEED_NAMES.filter((f) => have.has(f));
}

export async function checkLedger(wh: Warehouse, problems: Problems): Promise<LedgerSummary> {
  const feeds = await rawTables(wh);
  for (const r of await wh.rows(
    'select batch_id, location, rows_read, rows_loaded, rows_rejected from meta.batches where rows_read <> rows_loaded + rows_rejected',
    {
      batch_id: col.int(),
      location: col.text(),
      rows_read: col.int(),
      rows_loaded: col.int(),
      rows_rejected: col.int(),
    },
  )) {
    problems.add('batch-arithmetic', `batch ${r.batch_id}: rows_read ${r.rows_read} ≠ loaded ${r.rows_loaded} + rejected ${r.rows_rejected}`, {
      batch_id: r.batch_id,
      location: r.location,
    });
  }
  let rawRows = 0;
  for (const feed of feeds) {
    const t = qualified('raw', feed);
    rawRows += await wh.scalarNumber(`select count(*) from ${t}`);
    const counts = await wh.rows(
      `select b.batch_id, b.location, b.rows_loaded, coalesce(r.n, 0) as n
       from meta.batches b left join (select _batch_id, count(*) as n from ${t} group by 1) r on r._batch_id = b.batch_id
       where b.feed = ? and b.status = 'loaded' and b.rows_loaded <> coalesce(r.n, 0) order by b.batch_id`,
      [feed],
      { batch_id: col.int(), location: col.text(), rows_loaded: col.int(), n: col.int() },
    );
    for (const r of counts) {
      problems.add('raw-count-mismatch', `batch ${r.batch_id}: ledger says ${r.rows_loaded} rows loaded, raw.${feed} holds ${r.n}`, {
        table: `raw.${feed}`,
        batch_id: r.batch_id,
        location: r.location,
      });
    }
    const orphans = await wh.rows(
      `select r._batch_id as batch_id, count(*) as n, any_value(b.status) as status, any_value(b.feed) as feed
       from ${t} r left join meta.batches b on b.batch_id = r._batch_id
       where b.batch_id is null or b.feed <> ? or b.status <> 'loaded' group by 1 order by 1`,
      [feed],
      { batch_id: col.int(), n: col.int(), status: col.nullable(col.text()), feed: col.nullable(col.text()) },
    );
    for (const r of orphans) {
      const why = r.status === null ? 'no such batch in the ledger' : r.feed !== feed ? `the batch is a ${r.feed} batch` : `the batch is ${r.status}`;
      problems.add('raw-orphan', `${r.n} raw.${feed} row(s) of batch ${r.batch_id}: ${why}`, { table: `raw.${feed}`, batch_id: r.batch_id }, r.n);
    }
  }
  const rejects = await wh.scalarNumber('select count(*) from meta.rejects');
  for (const r of await wh.rows(
    `select b.batch_id, b.location, b.rows_rejected, coalesce(j.n, 0) as n
     from meta.batches b left join (select batch_id, count(*) as n from meta.rejects group by 1) j using (batch_id)
     where b.rows_rejected <> coalesce(j.n, 0) order by 1`,
    { batch_id: col.int(), location: col.text(), rows_rejected: col.int(), n: col.int() },
  )) {
    problems.add('reject-count-mismatch', `batch ${r.batch_id}: ledger says ${r.rows_rejected} rejected, meta.rejects holds ${r.n}`, {
      table: 'meta.rejects',
      batch_id: r.batch_id,
      location: r.location,
    });
  }
  for (const r of await wh.rows(
    'select j.batch_id, count(*) as n from meta.rejects j anti join meta.batches b using (batch_id) group by 1 order by 1',
    {
      batch_id: col.int(),
      n: col.int(),
    },
  )) {
    problems.add(
      'reject-orphan',
      `${r.n} reject(s) of batch ${r.batch_id}, which is not in the ledger`,
      { table: 'meta.rejects', batch_id: r.batch_id },
      r.n,
    );
  }
  await checkRecordNumbers(wh, feeds, problems);
  const batches = await wh.scalarNumber('select count(*) from meta.batches');
  return { batches, raw_rows: rawRows, rejects };
}

/** Record numbers 1..rows_read of each loaded batch, each in raw or rejects exactly once: names what is lost. */
async function checkRecordNumbers(wh: Warehouse, feeds: readonly string[], problems: Problems): Promise<void> {
  const parts = feeds.map((f) => `select _batch_id as batch_id, _record_no as record_no from ${qualified('raw', f)}`);
  parts.push('select batch_id, record_no from meta.rejects');
  const rows = await wh.rows(
    `with seen as (${parts.join(' union all ')}),
     loaded as (select batch_id, location, rows_read from meta.batches where status = 'loaded'),
     expected as (select batch_id, unnest(generate_series(1, rows_read)) as record_no from loaded),
     counted as (select batch_id, record_no, count(*) as n from seen where batch_id in (select batch_id from loaded) group by all),
     bad as (
       select coalesce(e.batch_id, c.batch_id) as batch_id, coalesce(e.record_no, c.record_no) as record_no,
              case when c.n is null then 'missing' when e.record_no is null then 'unexpected' else 'duplicated' end as what
       from expected e full join counted c using (batch_id, record_no)
       where c.n is null or e.record_no is null or c.n > 1
     )
     select b.batch_id, l.location, b.what, count(*) as n, list(b.record_no order by b.record_no)[1:10] as recs
     from bad b join loaded l using (batch_id) group by all order by 1, 3`,
    { batch_id: col.int(), location: col.text(), what: col.text(), n: col.int(), recs: col.list(col.int()) },
  );
  for (const r of rows) {
    problems.add(
      'records-unaccounted',
      `batch ${r.batch_id}: ${r.n} record number(s) ${r.what} in raw + rejects (e.g. ${r.recs.join(', ')})`,
      {
        batch_id: r.batch_id,
        location: r.location,
      },
      r.n,
    );
  }
}
