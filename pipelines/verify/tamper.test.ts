// Tamper evidence (schemas/row-hash.ts, pipelines/audit/fingerprints.ts, pipelines/audit/anchor.ts): HMAC in SQL
// equals node:crypto; an attacker who edits a raw value and recomputes its row hash, the batch digest, the manifest
// and the whole manifest chain passes verify without the anchor (it cannot know) and fails verify --anchor, which
// names the run; without the HMAC key the attacker cannot even pass plain verify; a D → A edit in a mart of the
// warehouse or of the published snapshot fails verify naming the table; a clean run passes verify --anchor.
import { createHash, createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../lib/log.ts';
import { makeTempDir } from '../../lib/temp-dir.ts';
import { FEEDS } from '../../schemas/feeds/index.ts';
import { HMAC_KEY_ENV, hmacParams, hmacSql, rowTextSql } from '../../schemas/row-hash.ts';
import { licenceZone } from '../../testkit/licence-zone.ts';
import { copyWarehouseFile, type SharedWarehouse, smallWarehouse } from '../../testkit/shared.ts';
import { col } from '../../warehouse/columns.ts';
import { type Warehouse, withWarehouse } from '../../warehouse/db.ts';
import { snapshotPath } from '../../warehouse/snapshot.ts';
import { anchorFileFor, readAnchors } from '../audit/anchor.ts';
import { manifestSha256, type RunManifest } from '../audit/manifest.ts';
import { runLoad } from '../run/load-command.ts';
import { formatVerifyReport } from './format.ts';
import { Problems } from './problems.ts';
import { checkRowHashes } from './row-hashes.ts';
import { runVerify, type VerifyReport } from './verify.ts';

const kinds = (r: VerifyReport) => Object.keys(r.counts).sort();

/**
 * The attacker: knows every algorithm, edits one raw.license value, and recomputes consistently what covers it:
 * its row hash (`hash` of the row text), its batch's digest, and every manifest from that batch's run on (each
 * names its predecessor's sha256), so the warehouse is consistent with itself again.
 */
async function rewrite(wh: Warehouse, hash: (text: string) => string): Promise<{ batchId: number; runId: number }> {
  const t = await wh.row('select _batch_id as b, _record_no as r from raw.license order by 1, 2 limit 1', { b: col.int(), r: col.int() });
  if (!t) throw new Error('no licence row');
  await wh.run("update raw.license set content = content || '（改）' where _batch_id = ? and _record_no = ?", [t.b, t.r]);
  const text = await wh.scalar(`select ${rowTextSql(FEEDS.license)} from raw.license where _batch_id = ? and _record_no = ?`, [t.b, t.r], col.text());
  await wh.run('update raw.license set _row_hash = ? where _batch_id = ? and _record_no = ?', [hash(text), t.b, t.r]);
  await wh.run(
    `update meta.batches set row_digest = (select sha256(string_agg(_row_hash, '' order by _record_no)) from raw.license where _batch_id = ?)
     where batch_id = ?`,
    [t.b, t.b],
  );
  const digest = await wh.scalar('select row_digest from meta.batches where batch_id = ?', [t.b], col.text());
  const runId = await wh.scalar('select run_id from meta.batches where batch_id = ?', [t.b], col.int());
  let prev: string | null = null;
  for (const r of await wh.rows('select run_id, manifest from meta.run_manifests order by run_id', { run_id: col.int(), manifest: col.text() })) {
    const m = JSON.parse(r.manifest) as RunManifest;
    for (const i of m.inputs) if (i.batch_id === t.b) i.row_digest = digest;
    m.prev_sha256 = prev;
    const sha = manifestSha256(m);
    await wh.run('update meta.run_manifests set manifest = ?, sha256 = ?, prev_sha256 = ? where run_id = ?', [
      JSON.stringify(m),
      sha,
      prev,
      r.run_id,
    ]);
    prev = sha;
  }
  return { batchId: t.b, runId };
}

const sha256 = (s: string) => createHash('sha256').update(s, 'utf8').digest('hex');

describe('tamper evidence', () => {
  let dir: string;
  let cleanup: () => void;
  let t: SharedWarehouse;
  let copies = 0;
  const copy = () => copyWarehouseFile(t.db, join(dir, `case-${++copies}.duckdb`));

  beforeAll(() => {
    ({ dir, cleanup } = makeTempDir());
    t = smallWarehouse(dir);
  });
  afterAll(() => cleanup());
  afterEach(() => {
    delete process.env[HMAC_KEY_ENV];
  });

  it('computes HMAC-SHA-256 in SQL exactly as node:crypto does, for short, block-sized and long keys', async () => {
    await withWarehouse(':memory:', async (wh) => {
      for (const key of ['k', 'secret-key', 'x'.repeat(64), '密钥'.repeat(30)]) {
        for (const msg of ['', 'héllo', '河北某某商贸有限公司\u001f91130105MA07XQNN9N\u001f\\N', 'a'.repeat(1000)]) {
          const got = await wh.scalar(`select ${hmacSql('$msg')}`, { ...hmacParams(key), msg }, col.text());
          expect(got).toBe(createHmac('sha256', key).update(msg, 'utf8').digest('hex'));
        }
      }
    });
  });

  it('a clean run: SHA-256 row hashes and digests, fingerprints of warehouse and snapshot, verify --anchor passes', async () => {
    const db = copy();
    const anchor = anchorFileFor(db);
    const lines = readAnchors(anchor);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ run_id: t.runId, warehouse: 'w.duckdb' });
    const r = await runVerify({ db, anchor, from: 'live' });
    expect(r.problems).toEqual([]);
    expect(r.exitCode).toBe(0);
    expect(Object.keys(r.rowHashes.batches_by_alg)).toEqual(['sha256']);
    expect(r.fingerprints.warehouse.run_id).toBe(t.runId);
    expect(r.fingerprints.warehouse.tables).toBeGreaterThanOrEqual(6);
    expect(r.fingerprints.snapshot).toMatchObject({ run_id: t.runId, note: null });
    expect(r.anchor).toMatchObject({ matched: 1, first_diverged: null, unanchored: [] });
    expect(formatVerifyReport(r)).toContain('anchor: ');
    // the row hash is SHA-256 of the row's text, as documented
    await withWarehouse(db, async (wh) => {
      const row = await wh.row(`select _row_hash as h, ${rowTextSql(FEEDS.license)} as txt from raw.license limit 1`, {
        h: col.text(),
        txt: col.text(),
      });
      expect(row?.h).toBe(sha256(row?.txt ?? ''));
    });
  });

  it('a consistent rewrite of a raw value passes verify without the anchor, and fails verify --anchor naming the run', async () => {
    const db = copy();
    const { runId } = await withWarehouse(db, (wh) => rewrite(wh, sha256));
    const plain = await runVerify({ db, from: 'live' });
    // honestly: without the anchor, a warehouse rewritten consistently by someone who knows the algorithms is clean
    expect(plain.problems).toEqual([]);
    expect(plain.exitCode).toBe(0);
    expect(formatVerifyReport(plain)).toContain('a consistent rewrite of the warehouse passes');
    const anchored = await runVerify({ db, anchor: anchorFileFor(db), from: 'live' });
    expect(anchored.exitCode).toBe(1);
    expect(kinds(anchored)).toEqual(['anchor-diverged']);
    expect(anchored.anchor?.first_diverged).toBe(runId);
    expect(anchored.problems[0]?.detail).toContain(`run ${runId}:`);
    expect(formatVerifyReport(anchored)).toContain(`diverged at run ${runId}`);
  });

  it('class D → A in a mart of the warehouse, or of the published snapshot, fails verify naming the table', async () => {
    const dToA = (wh: Warehouse) =>
      wh.run("update mart.entity_risk set risk_class = 'A' where entity_id = (select min(entity_id) from mart.entity_risk where risk_class = 'D')");
    const inWarehouse = copy();
    await withWarehouse(inWarehouse, dToA);
    const r1 = await runVerify({ db: inWarehouse, from: 'live' });
    expect(kinds(r1)).toEqual(['table-altered']);
    expect(r1.problems[0]?.table).toBe('mart.entity_risk');
    const inSnapshot = copy();
    await withWarehouse(snapshotPath(inSnapshot), dToA);
    const r2 = await runVerify({ db: inSnapshot, from: 'live' });
    expect(kinds(r2)).toEqual(['snapshot-altered']);
    expect(r2.problems[0]?.table).toBe('mart.entity_risk');
    expect(r2.exitCode).toBe(1);
    // what the CLI does by default: verify the snapshot itself, against the fingerprints it carries
    const r3 = await runVerify({ db: inSnapshot, from: 'snapshot' });
    expect(kinds(r3)).toEqual(['table-altered']);
    expect(r3.checked?.source).toBe('snapshot');
  });

  it('batches hashed with MD5 before SHA-256 still verify, and an edit in them is still caught', async () => {
    const db = copy();
    await withWarehouse(db, async (wh) => {
      const b = await wh.scalar('select min(_batch_id) from raw.license', col.int());
      await wh.run(`update raw.license set _row_hash = md5(${rowTextSql(FEEDS.license)}) where _batch_id = ?`, [b]);
      await wh.run("update meta.batches set row_hash_alg = 'md5', row_digest = null where batch_id = ?", [b]);
      const clean = new Problems();
      await checkRowHashes(wh, ['license'], null, clean);
      expect([...clean.counts.keys()]).toEqual([]);
      await wh.run(
        "update raw.license set content = content || 'x' where _batch_id = ? and _record_no = (select min(_record_no) from raw.license where _batch_id = ?)",
        [b, b],
      );
      const edited = new Problems();
      await checkRowHashes(wh, ['license'], null, edited);
      expect([...edited.counts.keys()]).toEqual(['raw-row-altered']);
    });
  });

  it('with JIANGUAN_HMAC_KEY the attacker cannot forge a row hash: even an unanchored edit fails verify given the key', async () => {
    const key = 'kT9-测试-密钥';
    const config = licenceZone(join(dir, 'hmac'), 2, 50, 10);
    const db = join(dir, 'hmac', 'w.duckdb');
    process.env[HMAC_KEY_ENV] = key;
    await runLoad({ db, config, log: silentLogger() });
    delete process.env[HMAC_KEY_ENV];
    await withWarehouse(db, async (wh) => {
      expect(await wh.scalar("select string_agg(distinct row_hash_alg) from meta.batches where status = 'loaded'", col.text())).toBe('hmac-sha256');
      const row = await wh.row(`select _row_hash as h, ${rowTextSql(FEEDS.license)} as txt from raw.license limit 1`, {
        h: col.text(),
        txt: col.text(),
      });
      expect(row?.h).toBe(
        createHmac('sha256', key)
          .update(row?.txt ?? '', 'utf8')
          .digest('hex'),
      );
    });
    // the key is nowhere in the warehouse file nor the anchor file
    for (const f of [db, anchorFileFor(db)]) expect(readFileSync(f).includes(Buffer.from(key))).toBe(false);
    expect((await runVerify({ db, hmacKey: key, from: 'live' })).exitCode).toBe(0);
    const noKey = await runVerify({ db, hmacKey: null, from: 'live' });
    expect(noKey.exitCode).toBe(0);
    expect(noKey.problems.map((p) => [p.kind, p.severity])).toEqual([['raw-hash-unchecked', 'info']]);
    expect(formatVerifyReport(noKey)).toMatch(/WARN {2}raw-hash-unchecked.*not checkable without JIANGUAN_HMAC_KEY/);
    expect((await runVerify({ db, hmacKey: null, strict: true, from: 'live' })).exitCode).toBe(1);
    // the attacker rewrites consistently, but can only guess at the row hash (SHA-256, no key)
    const attacked = join(dir, 'hmac', 'attacked.duckdb');
    copyWarehouseFile(db, attacked);
    await withWarehouse(attacked, (wh) => rewrite(wh, sha256));
    const caught = await runVerify({ db: attacked, hmacKey: key, from: 'live' });
    expect(kinds(caught)).toEqual(['raw-row-altered']);
    expect(caught.problems[0]?.table).toBe('raw.license');
  });
});
