// The archive of loaded files: entries content-addressed, gzip, read-only, equal to the bytes loaded; deduplicated
// across names; nothing written when it is off; verify proving it intact, and failing when an entry is gone or altered.
import { chmodSync, copyFileSync, existsSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../../lib/log.ts';
import { makeTempDir } from '../../lib/temp-dir.ts';
import { archivedFiles, setConfig, sha256Of } from '../../testkit/archive-zone.ts';
import { licenceZone } from '../../testkit/licence-zone.ts';
import { withWarehouse } from '../../warehouse/db.ts';
import { runLoad } from '../run/load-command.ts';
import { runStatus } from '../serve/status.ts';
import { runVerify } from '../verify/verify.ts';
import { entryPath } from './store.ts';

describe('archive of loaded files', () => {
  let dir: string;
  let cleanup: () => void;
  let db: string;
  let cfg: string;
  let archive: string;
  beforeEach(() => {
    ({ dir, cleanup } = makeTempDir('jg-archive-'));
    db = join(dir, 'wh.duckdb');
    archive = join(dir, 'wh.archive');
    cfg = licenceZone(dir, 2, 5);
  });
  afterEach(() => cleanup());
  const load = () => runLoad({ db, config: cfg, log: silentLogger() });

  it('keeps each loaded file under sha256/ab/<hex>.gz beside the warehouse, read-only, decompressing to the bytes loaded', async () => {
    const r = await load();
    expect(r.archive).toMatchObject({ dir: archive, archived: 2, pruned: [] });
    for (const name of ['license_0.csv', 'license_1.csv']) {
      const file = join(dir, 'land', name);
      const sha = sha256Of(file);
      const entry = entryPath(archive, sha);
      expect(entry).toBe(join(archive, 'sha256', sha.slice(0, 2), `${sha}.gz`));
      expect(statSync(entry).mode & 0o777).toBe(0o444);
      expect(gunzipSync(readFileSync(entry)).equals(readFileSync(file))).toBe(true);
    }
    const rows = await withWarehouse(db, (wh) =>
      wh.all(
        'select a.sha256, a.path, a.bytes, a.stored_bytes, a.pruned_at, b.location from meta.archive a join meta.batches b using (sha256) order by location',
      ),
    );
    expect(rows.map((x) => [x.location, x.path, Number(x.bytes), x.pruned_at])).toEqual(
      ['license_0.csv', 'license_1.csv'].map((n) => [
        n,
        entryPath(archive, sha256Of(join(dir, 'land', n))),
        statSync(join(dir, 'land', n)).size,
        null,
      ]),
    );
    expect(archivedFiles(join(archive, 'tmp'))).toEqual([]);
  });

  it('stores content once, whatever the file is called, and does not rewrite an entry', async () => {
    await load();
    const entry = entryPath(archive, sha256Of(join(dir, 'land/license_0.csv')));
    const before = statSync(entry);
    copyFileSync(join(dir, 'land/license_0.csv'), join(dir, 'land/license_copy.csv'));
    const r = await load();
    expect(r.totals.batchesSkipped).toBe(1);
    expect(r.archive.archived).toBe(0);
    expect(archivedFiles(archive)).toHaveLength(2);
    expect(statSync(entry).mtimeMs).toBe(before.mtimeMs);
    expect(statSync(entry).ino).toBe(before.ino);
    expect(await withWarehouse(db, (wh) => wh.scalarNumber('select count(*) from meta.archive'))).toBe(2);
  });

  it('writes nothing when "archive_dir": false, and status and verify say the archive is off', async () => {
    setConfig(cfg, { archive_dir: false });
    const r = await load();
    expect(r.totals.batchesLoaded).toBe(2);
    expect(r.archive).toEqual({ dir: null, archived: 0, pruned: [] });
    expect(existsSync(archive)).toBe(false);
    expect(await withWarehouse(db, (wh) => wh.scalarNumber('select count(*) from meta.archive'))).toBe(0);
    expect((await runStatus({ db, config: cfg })).archive).toMatchObject({ enabled: false, entries: 0 });
    const v = await runVerify({ db, config: cfg });
    expect(v.archive).toMatchObject({ enabled: false, not_archived: 2 });
    expect(v.ok).toBe(true);
  });

  it('resolves a relative archive_dir against the config file folder', async () => {
    setConfig(cfg, { archive_dir: '../kept' });
    const r = await load();
    expect(r.archive.dir).toBe(join(dir, 'kept'));
    expect(archivedFiles(join(dir, 'kept'))).toHaveLength(2);
  });

  it('verify: an intact archive is OK, a landing file gone but archived is info, a missing or altered entry fails', async () => {
    await load();
    let v = await runVerify({ db, config: cfg });
    expect(v.ok).toBe(true);
    expect(v.archive).toMatchObject({ entries: 2, ok: 2, missing: 0, altered: 0 });
    // the landing file deleted: its bytes are in the archive, so no --allow-missing is needed
    const gone = join(dir, 'land/license_1.csv');
    const goneSha = sha256Of(gone);
    rmSync(gone);
    v = await runVerify({ db, config: cfg });
    expect(v.ok).toBe(true);
    expect(v.files).toMatchObject({ missing: 0, archived: 1 });
    expect(v.problems.map((p) => [p.kind, p.severity, p.location])).toEqual([['file-archived', 'info', 'license_1.csv']]);
    // an entry altered (same name, other bytes), another deleted
    const altered = entryPath(archive, sha256Of(join(dir, 'land/license_0.csv')));
    chmodSync(altered, 0o644);
    writeFileSync(altered, gzipSync(Buffer.from('XK_XDR_MC\nforged\n')));
    rmSync(entryPath(archive, goneSha));
    v = await runVerify({ db, config: cfg });
    expect(v.exitCode).toBe(1);
    expect(v.archive).toMatchObject({ ok: 0, missing: 1, altered: 1 });
    expect(v.counts).toMatchObject({ 'archive-missing': 1, 'archive-altered': 1 });
    // with the archived copy gone, the deleted landing file is a loss again
    expect(v.counts['file-missing']).toBe(1);
  });
});
