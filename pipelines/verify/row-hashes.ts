// Raw rows against their hashes: every raw row still hashes, under its batch's algorithm (meta.batches.row_hash_alg:
// md5 for batches loaded before SHA-256, sha256, or hmac-sha256 with $JIANGUAN_HMAC_KEY), to the `_row_hash` it was
// loaded with (an UPDATE in place changes the values, not the stored hash); and every batch's rows still digest to
// the `row_digest` recorded at load (a row deleted, added or re-hashed changes it). HMAC batches cannot be re-hashed
// without the key: they are reported (`raw-hash-unchecked`, a warning, an error only with --strict), while their
// digests are still checked.
import { FEEDS } from '../../schemas/feeds/index.ts';
import { hmacParams, hmacSql, rowTextSql } from '../../schemas/row-hash.ts';
import { col } from '../../warehouse/columns.ts';
import type { Warehouse } from '../../warehouse/db.ts';
import { qualified } from '../../warehouse/sql.ts';
import type { Problems } from './problems.ts';

export interface RowHashSummary {
  /** Loaded batches per row-hash algorithm. */
  batches_by_alg: Record<string, number>;
  /** HMAC batches whose rows were not re-hashed (no key given). */
  unchecked_batches: number;
}

export async function checkRowHashes(wh: Warehouse, feeds: readonly string[], key: string | null, problems: Problems): Promise<RowHashSummary> {
  const byAlg = await wh.rows(
    "select coalesce(row_hash_alg, 'md5') as alg, count(*) as n from meta.batches where status = 'loaded' group by 1 order by 1",
    { alg: col.text(), n: col.int() },
  );
  let unchecked = 0;
  for (const feed of feeds) {
    const spec = FEEDS[feed as keyof typeof FEEDS];
    const t = qualified('raw', feed);
    // the text once per row, then the hash of the batch's algorithm (HMAC only when the key is known)
    const hmac = key ? `when 'hmac-sha256' then ${hmacSql('txt')}` : '';
    const altered = await wh.rows(
      `select batch_id, count(*) as n, list(_record_no order by _record_no)[1:10] as recs
       from (select r._batch_id as batch_id, r._record_no, r._row_hash, coalesce(b.row_hash_alg, 'md5') as alg, ${rowTextSql(spec, 'r')} as txt
             from ${t} r left join meta.batches b on b.batch_id = r._batch_id)
       where ${key ? '' : "alg <> 'hmac-sha256' and "}_row_hash is distinct from
             (case alg when 'md5' then md5(txt) when 'sha256' then sha256(txt) ${hmac} end)
       group by 1 order by 1`,
      key ? hmacParams(key) : undefined,
      { batch_id: col.int(), n: col.int(), recs: col.list(col.int()) },
    );
    for (const r of altered) {
      problems.add(
        'raw-row-altered',
        `${r.n} raw.${feed} row(s) of batch ${r.batch_id} no longer match their _row_hash (records ${r.recs.join(', ')})`,
        { table: `raw.${feed}`, batch_id: r.batch_id },
        r.n,
      );
    }
    if (!key) {
      const n = await wh.scalarNumber("select count(*) from meta.batches where feed = ? and status = 'loaded' and row_hash_alg = 'hmac-sha256'", [
        feed,
      ]);
      if (n > 0) {
        unchecked += n;
        problems.add(
          'raw-hash-unchecked',
          `${n} batch(es) of raw.${feed} hashed with HMAC-SHA-256: rows not checkable without JIANGUAN_HMAC_KEY (their digests were checked)`,
          { table: `raw.${feed}` },
          n,
        );
      }
    }
    const digests = await wh.rows(
      `select b.batch_id, b.location, b.row_digest as recorded, sha256(coalesce(string_agg(r._row_hash, '' order by r._record_no), '')) as now
       from meta.batches b left join ${t} r on r._batch_id = b.batch_id
       where b.feed = ? and b.status = 'loaded' and b.row_digest is not null
       group by all having now <> b.row_digest order by 1`,
      [feed],
      { batch_id: col.int(), location: col.text(), recorded: col.text(), now: col.text() },
    );
    for (const r of digests) {
      problems.add(
        'batch-digest-mismatch',
        `batch ${r.batch_id}: its rows in raw.${feed} digest to ${r.now.slice(0, 16)}…, the ledger recorded ${r.recorded.slice(0, 16)}… at load`,
        { table: `raw.${feed}`, batch_id: r.batch_id, location: r.location },
      );
    }
  }
  return { batches_by_alg: Object.fromEntries(byAlg.map((r) => [r.alg, r.n])), unchecked_batches: unchecked };
}
