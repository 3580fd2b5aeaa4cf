// verify on a warehouse built by the real pipeline: clean, it passes; one edited byte, one deleted file, deleted
// or edited raw rows, a dangling lineage reference or a doctored manifest each fail it with the right finding.
// Every case works on its own copy of the warehouse, and puts back any landed file it touched.
import { copyFileSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTempDir } from '../../lib/temp-dir.ts';
import { type SharedWarehouse, smallWarehouse } from '../../testkit/shared.ts';
import { col } from '../../warehouse/columns.ts';
import { withWarehouse } from '../../warehouse/db.ts';
import { recordRunManifest } from '../audit/manifest.ts';
import { lineageSources } from '../lineage/format.ts';
import { runLineage } from '../lineage/lineage.ts';
import { formatVerifyReport } from './format.ts';
import { runVerify, type VerifyReport } from './verify.ts';

describe('verify', () => {
  let dir: string;
  let cleanup: () => void;
  let pristine: string;
  let t: SharedWarehouse;
  let copies = 0;

  /** A fresh copy of the verified-clean warehouse for one case. */
  const copy = () => {
    const db = join(dir, `case-${++copies}.duckdb`);
    copyFileSync(pristine, db);
    return db;
  };
  const kinds = (r: VerifyReport) => Object.keys(r.counts).sort();

  beforeAll(async () => {
    ({ dir, cleanup } = makeTempDir());
    // its own copy of the shared warehouse and landing zone: the cases below alter and remove landed files
    t = smallWarehouse(dir, { landing: true });
    pristine = t.db;
    await withWarehouse(pristine, (wh) => recordRunManifest(wh, t.runId));
  });
  afterAll(() => cleanup());

  it('passes a clean warehouse, having re-hashed every landed file', async () => {
    const r = await runVerify({ db: copy(), config: t.config });
    expect(r.problems).toEqual([]);
    expect(r.exitCode).toBe(0);
    expect(r.files?.ok).toBe(r.files?.files);
    expect(r.files?.files).toBeGreaterThan(20);
    expect(r.references.lineage_refs).toBeGreaterThan(0);
    expect(r.references.evidence_refs).toBeGreaterThan(0);
    expect(r.manifests).toBe(1);
    expect(formatVerifyReport(r)).toContain('verify: OK');
  });

  it('reports one edited byte and a deleted file, and lineage then trusts its recorded hashes only while files are untouched', async () => {
    const db = copy();
    const files = await withWarehouse(db, (wh) =>
      wh.rows("select location from meta.batches where status = 'loaded' order by location limit 2", { location: col.text() }),
    );
    const [edited, deleted] = files.map((f) => join(t.landing, f.location)) as [string, string];
    const original = readFileSync(edited);
    try {
      const bytes = Buffer.from(original);
      bytes[Math.floor(bytes.length / 2)] = (bytes[Math.floor(bytes.length / 2)] as number) ^ 0x20;
      writeFileSync(edited, bytes);
      renameSync(deleted, `${deleted}.moved`);
      const r = await runVerify({ db, config: t.config });
      expect(r.exitCode).toBe(1);
      // the deleted file's bytes are intact in the archive: information, not a loss
      expect(kinds(r)).toEqual(['file-altered', 'file-archived']);
      expect(r.problems.find((p) => p.kind === 'file-altered')?.location).toBe(files[0]?.location);
      expect(r.problems.find((p) => p.kind === 'file-archived')).toMatchObject({ location: files[1]?.location, severity: 'info' });
      expect(formatVerifyReport(r)).toContain('PROBLEMS FOUND');
      // an altered landing file is never allowed, not even with --allow-missing
      const archived = await runVerify({ db, config: t.config, allowMissing: true });
      expect(archived.exitCode).toBe(1);
    } finally {
      writeFileSync(edited, original);
      renameSync(`${deleted}.moved`, deleted);
    }
    const again = await runVerify({ db, config: t.config });
    expect(again.exitCode).toBe(0);
    // verify recorded each file's stamp with its hash: lineage reuses it instead of re-reading the file
    const alert = await withWarehouse(db, (wh) => wh.scalar('select alert_id from mart.risk_alerts order by alert_id limit 1', col.text()));
    const sources = lineageSources(await runLineage({ db, config: t.config, table: 'mart.risk_alerts', key: alert, from: 'live' }));
    expect(sources.length).toBeGreaterThan(0);
    expect(sources.every((s) => s.file === 'ok' && s.checked_by === 'stamp')).toBe(true);
  });

  it('reports deleted raw rows: the ledger count, the batch digest, the lost record numbers, the dangling lineage and the changed table', async () => {
    const db = copy();
    const victim = await withWarehouse(db, async (wh) => {
      const v = await wh.row('select _batch_id, _record_no from raw.license order by _batch_id, _record_no limit 1 offset 3', {
        _batch_id: col.int(),
        _record_no: col.int(),
      });
      await wh.run('delete from raw.license where _batch_id = ? and _record_no = ?', [v?._batch_id ?? null, v?._record_no ?? null]);
      return v;
    });
    const r = await runVerify({ db, config: t.config });
    expect(r.exitCode).toBe(1);
    expect(kinds(r)).toEqual(['batch-digest-mismatch', 'lineage-dangling', 'raw-count-mismatch', 'records-unaccounted', 'table-rows-changed']);
    expect(r.problems.find((p) => p.kind === 'batch-digest-mismatch')?.batch_id).toBe(victim?._batch_id);
    expect(r.problems.find((p) => p.kind === 'records-unaccounted')?.detail).toContain(`missing in raw + rejects (e.g. ${victim?._record_no})`);
    expect(r.problems.find((p) => p.kind === 'raw-count-mismatch')?.batch_id).toBe(victim?._batch_id);
    expect(r.problems.filter((p) => p.kind === 'lineage-dangling').map((p) => p.table)).toContain('core.licenses');
  });

  it('reports a raw row edited in place, an orphaned row and a doctored manifest', async () => {
    const db = copy();
    await withWarehouse(db, async (wh) => {
      await wh.run('update raw.penalty set fine_yuan = fine_yuan + 1 where _record_no = (select min(_record_no) from raw.penalty)');
      await wh.run('insert into raw.inspection select * replace (999999 as _batch_id) from raw.inspection limit 1');
      await wh.run('update meta.run_manifests set manifest = replace(manifest, \'"status":"succeeded"\', \'"status":"failed"\')');
    });
    const r = await runVerify({ db, config: t.config });
    expect(kinds(r)).toEqual(expect.arrayContaining(['manifest-altered', 'raw-orphan', 'raw-row-altered']));
    expect(r.problems.find((p) => p.kind === 'raw-orphan')?.detail).toContain('no such batch in the ledger');
  });
});
