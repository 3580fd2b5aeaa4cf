// A department re-sends an edited file: both versions are archived and in the ledger, the changes by natural key are
// recorded in the new batch's transaction, lineage shows the original line from the archive, and retention prunes
// only the superseded old version.
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../../lib/log.ts';
import { makeTempDir } from '../../lib/temp-dir.ts';
import { keptLogger, setConfig, sha256Of } from '../../testkit/archive-zone.ts';
import { licenceZone } from '../../testkit/licence-zone.ts';
import { withWarehouse } from '../../warehouse/db.ts';
import { runRunsShow } from '../audit/manifest-show.ts';
import { lineageOf } from '../lineage/lineage.ts';
import { runLoad } from '../run/load-command.ts';
import { runStatus } from '../serve/status.ts';
import { runVerify } from '../verify/verify.ts';
import { entryPath } from './store.ts';

const ISSUER = '石家庄市行政审批局';

describe('a re-sent, edited file', () => {
  let dir: string;
  let cleanup: () => void;
  let db: string;
  let cfg: string;
  let file: string;
  let original: string[];
  beforeEach(() => {
    ({ dir, cleanup } = makeTempDir('jg-resent-'));
    db = join(dir, 'wh.duckdb');
    cfg = licenceZone(dir, 2, 4);
    file = join(dir, 'land/license_0.csv');
    original = readFileSync(file, 'utf8').split('\n');
  });
  afterEach(() => cleanup());

  /** Record 2 (line 3) gets another 许可内容, record 3 (line 4) is dropped, a new licence is appended. */
  const edit = () => {
    const lines = [...original];
    lines[2] = lines[2]!.replace(',预包装食品销售,', ',散装食品销售,');
    lines.splice(3, 1);
    lines.push(original[1]!.replace('JY11301050000000', 'JY11301050009999').replace('河北某某0-0', '河北新开0-9'));
    writeFileSync(file, lines.join('\n'));
  };

  it('keeps both versions, and records which records were added, removed and changed (key, field, old, new)', async () => {
    const first = await runLoad({ db, config: cfg, log: silentLogger() });
    const oldSha = sha256Of(file);
    edit();
    const second = await runLoad({ db, config: cfg, log: silentLogger() });
    expect(second.totals.batchesLoaded).toBe(1);
    expect(existsSync(entryPath(join(dir, 'wh.archive'), oldSha))).toBe(true);
    expect(existsSync(entryPath(join(dir, 'wh.archive'), sha256Of(file)))).toBe(true);
    await withWarehouse(db, async (wh) => {
      const batches = await wh.all("select batch_id, run_id, sha256 from meta.batches where location = 'license_0.csv' order by batch_id");
      expect(batches.map((b) => [Number(b.run_id), b.sha256])).toEqual([
        [first.runId, oldSha],
        [second.runId, sha256Of(file)],
      ]);
      const newBatch = Number(batches[1]!.batch_id);
      const changes = await wh.all(
        'select change, record_key, field, old_value, new_value from meta.version_changes where batch_id = ? order by change',
        [newBatch],
      );
      expect(changes).toEqual([
        { change: 'added', record_key: `JY11301050009999 | ${ISSUER}`, field: null, old_value: null, new_value: null },
        { change: 'changed', record_key: `JY11301050000001 | ${ISSUER}`, field: 'content', old_value: '预包装食品销售', new_value: '散装食品销售' },
        { change: 'removed', record_key: `JY11301050000002 | ${ISSUER}`, field: null, old_value: null, new_value: null },
      ]);
      const diff = await wh.all('select * from meta.version_diffs');
      expect(diff).toEqual([
        {
          batch_id: String(newBatch),
          previous_batch_id: batches[0]!.batch_id,
          records_added: '1',
          records_removed: '1',
          records_changed: '1',
          values_changed: '1',
        },
      ]);
    });
    // runs show and status say it, with the values
    const show = await runRunsShow({ db, runId: second.runId });
    expect(show.resent.map((f) => [f.location, f.records_added, f.records_removed, f.records_changed])).toEqual([['license_0.csv', 1, 1, 1]]);
    expect(show.resent[0]!.changes[0]).toEqual({
      change: 'changed',
      record_key: `JY11301050000001 | ${ISSUER}`,
      field: 'content',
      old_value: '预包装食品销售',
      new_value: '散装食品销售',
    });
    const status = await runStatus({ db, config: cfg });
    expect(status.resent_files.map((f) => [f.location, f.changes.length, f.changes_total])).toEqual([['license_0.csv', 3, 3]]);
    expect(status.archive).toMatchObject({ enabled: true, entries: 3, pruned: 0 });
  });

  it('lineage of a record of the first version shows its ORIGINAL line, from the archive', async () => {
    await runLoad({ db, config: cfg, log: silentLogger() });
    edit();
    await runLoad({ db, config: cfg, log: silentLogger() });
    const landingDir = join(dir, 'land');
    const trace = (batch: number, record: number) =>
      withWarehouse(db, (wh) => lineageOf(wh, 'raw.license', [String(batch), String(record)], { landingDir }), { readOnly: true });
    const old = (await trace(1, 2)).source!;
    expect(old).toMatchObject({ file: 'superseded', line: 3, text_from: 'archive', text: original[2] });
    expect(old.text).toContain(',预包装食品销售,');
    const current = (await trace(3, 2)).source!;
    expect(current).toMatchObject({ file: 'ok', line: 3, text_from: 'landing' });
    expect(current.text).toContain(',散装食品销售,');
    // the landing file gone and the archive turned off: neither has it, and lineage says so
    rmSync(file);
    rmSync(join(dir, 'wh.archive'), { recursive: true, force: true });
    const none = (await trace(1, 2)).source!;
    expect(none).toMatchObject({ text: null, text_from: null });
    expect(none.text_missing).toMatch(/archive has no copy|cannot be read/);
  });

  it('retention prunes only old versions superseded by a later one, logs each, and verify reports it as info', async () => {
    setConfig(cfg, { archive_keep_days: 30 });
    await runLoad({ db, config: cfg, log: silentLogger() });
    const oldSha = sha256Of(file);
    const otherSha = sha256Of(join(dir, 'land/license_1.csv'));
    edit();
    const kept = await runLoad({ db, config: cfg, log: silentLogger() });
    expect(kept.archive.pruned).toEqual([]);
    // 0 days: everything older than now; still only the superseded version goes, at the end of a load with nothing new
    setConfig(cfg, { archive_keep_days: 0 });
    const { log, lines } = keptLogger();
    const r = await runLoad({ db, config: cfg, log });
    expect(r.totals.batchesLoaded).toBe(0);
    const archive = join(dir, 'wh.archive');
    expect(r.archive.pruned.map((p) => [p.sha256, p.path, p.locations])).toEqual([[oldSha, entryPath(archive, oldSha), ['license_0.csv']]]);
    expect(existsSync(entryPath(archive, oldSha))).toBe(false);
    expect(existsSync(entryPath(archive, sha256Of(file)))).toBe(true);
    expect(existsSync(entryPath(archive, otherSha))).toBe(true);
    expect(lines.filter((l) => l.msg.startsWith('archive: pruned')).map((l) => l.sha256)).toEqual([oldSha]);
    const pruned = await withWarehouse(db, (wh) => wh.all('select sha256 from meta.archive where pruned_at is not null'));
    expect(pruned).toEqual([{ sha256: oldSha }]);
    const v = await runVerify({ db, config: cfg });
    expect(v.ok).toBe(true);
    expect(v.archive).toMatchObject({ pruned: 1, ok: 2, missing: 0 });
    expect((await runLoad({ db, config: cfg, log: silentLogger() })).archive.pruned).toEqual([]);
  });
});
