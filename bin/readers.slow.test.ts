// Readers never block the writer (issue 14): a process holding the published snapshot open does not stop a run
// from publishing, and while a writer holds the warehouse, status, runs, runs show, verify and lineage answer from
// the status document and the snapshot with their normal exit codes (never 75), saying that a run is in progress.
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { makeTempDir } from '../lib/temp-dir.ts';
import { licenceZone } from '../testkit/licence-zone.ts';
import { snapshotPath } from '../warehouse/snapshot.ts';

const ROOT = new URL('..', import.meta.url).pathname;
const CLI = join(ROOT, 'bin/jianguan.mjs');

function cli(args: string[]) {
  const r = spawnSync(process.execPath, [CLI, ...args], {
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1', JIANGUAN_FROM_SOURCE: '1' },
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** A helper script holding `file` open (hold-lock.ts: for writing; hold-read.ts: READ_ONLY) until killed. */
async function hold(script: string, file: string): Promise<ChildProcess> {
  const p = spawn(process.execPath, [join(ROOT, 'bin/run-ts.mjs'), join(ROOT, 'fixtures/scripts', script), file], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  await new Promise<void>((resolve, reject) => {
    p.stdout?.on('data', (d: Buffer) => /locked|held/.test(d.toString()) && resolve());
    p.on('exit', (code) => reject(new Error(`${script} exited ${code}`)));
  });
  return p;
}

describe('readers never block the writer', () => {
  let dir: string;
  let cleanup: () => void;
  let db: string;
  let cfg: string;
  let holder: ChildProcess | undefined;
  const base = () => ['--db', db, '--config', cfg, '--log-level', 'warn'];
  beforeAll(() => {
    ({ dir, cleanup } = makeTempDir());
    cfg = licenceZone(dir, 2, 40, 10);
    db = join(dir, 'w.duckdb');
    const first = cli([...base(), 'run', '--as-of', '2024-12-31']);
    expect([first.code, first.stderr]).toEqual([0, '']);
  });
  afterEach(() => {
    holder?.kill('SIGKILL');
    holder = undefined;
  });
  afterAll(() => cleanup());

  it('a process reading the published snapshot does not stop a run: it exits 0 and publishes', async () => {
    holder = await hold('hold-read.ts', snapshotPath(db));
    // new files for the run to load
    writeFileSync(join(dir, 'land/license_9.csv'), readFileSync(join(dir, 'land/license_0.csv'), 'utf8').replaceAll('商贸', '物流'));
    const r = cli([...base(), 'run', '--as-of', '2024-12-31']);
    expect([r.code, r.stderr]).toEqual([0, '']);
    expect(r.stdout).toContain('published as of 2024-12-31');
    const runs = JSON.parse(cli([...base(), '--json', 'runs']).stdout) as { run_id: number; status: string }[];
    const status = JSON.parse(cli([...base(), '--json', 'status']).stdout) as { published: { run_id: number } };
    expect(status.published.run_id).toBe(runs[0]?.run_id);
    expect(runs.map((x) => x.status)).toEqual(['succeeded', 'succeeded']);
  });

  it('while a writer holds the warehouse, status, runs, runs show, verify and lineage answer (not 75)', async () => {
    const key = (
      JSON.parse(cli([...base(), '--json', 'query', 'select _batch_id as b, _record_no as r from raw.license limit 1']).stdout) as {
        b: number;
        r: number;
      }[]
    )[0];
    const lastRun = (JSON.parse(cli([...base(), '--json', 'runs', '--limit', '1']).stdout) as { run_id: number }[])[0]?.run_id ?? 0;
    holder = await hold('hold-lock.ts', db);
    // before the document says anything: a writer holding the warehouse is no reason for 75
    for (const args of [['status'], ['runs'], ['runs', 'show'], ['verify'], ['lineage', 'raw.license', `${key?.b},${key?.r}`]]) {
      const r = cli([...base(), ...args]);
      expect({ args, code: r.code, stderr: r.stderr }).toEqual({ args, code: 0, stderr: '' });
    }
    // what the writer's kernel writes at a run's start: the run, its pid (the holder stands in for the run)
    const docPath = `${db}.status.json`;
    const doc = JSON.parse(readFileSync(docPath, 'utf8'));
    writeFileSync(
      docPath,
      JSON.stringify({ ...doc, running: { run_id: lastRun + 1, pid: holder.pid, command: 'run', started_at: '2025-01-01T02:00:00Z' } }),
    );

    const status = cli([...base(), 'status']);
    expect([status.code, status.stderr]).toEqual([0, '']);
    expect(status.stdout).toContain(`run ${lastRun + 1} (run) in progress since 2025-01-01T02:00:00Z (pid ${holder.pid})`);
    expect(status.stdout).toMatch(/^p +province +130000 +license +3 +3 /m);
    expect(status.stdout).toContain(`published: as of 2024-12-31 by run ${lastRun}`);
    const statusJson = JSON.parse(cli([...base(), '--json', 'status']).stdout);
    expect(statusJson.run_in_progress).toMatchObject({ state: 'running', run_id: lastRun + 1, pid: holder.pid });
    expect(statusJson.read_from).toBe('status-document');

    const runs = cli([...base(), 'runs']);
    expect([runs.code, runs.stderr]).toEqual([0, '']);
    expect(runs.stdout).toContain('in progress');
    expect(runs.stdout).toMatch(new RegExp(`^ *${lastRun} +run +succeeded`, 'm'));

    for (const args of [
      ['runs', 'show'],
      ['runs', 'show', String(lastRun)],
      ['runs', 'show', '1'],
    ]) {
      const show = cli([...base(), ...args]);
      expect({ args, code: show.code, stderr: show.stderr }).toEqual({ args, code: 0, stderr: '' });
      expect(show.stdout).toContain('succeeded');
    }
    // a run neither the snapshot nor the document holds: where to look
    const missing = cli([...base(), 'runs', 'show', String(lastRun + 1)]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('add --live');

    const verify = cli([...base(), 'verify']);
    expect([verify.code, verify.stderr]).toEqual([0, '']);
    expect(verify.stdout).toContain('verify: OK');
    expect(verify.stdout).toContain(
      `checked: the published snapshot ${snapshotPath(db)} (run ${lastRun}, as of 2024-12-31); 0 batch(es) loaded after it`,
    );

    const lineage = cli([...base(), 'lineage', 'raw.license', `${key?.b},${key?.r}`]);
    expect([lineage.code, lineage.stderr]).toEqual([0, '']);
    expect(lineage.stdout).toContain('license_');

    // --live reads the warehouse itself: the writer's lock then says 75, as documented
    expect(cli([...base(), 'status', '--live']).code).toBe(75);
    expect(cli([...base(), 'verify', '--live']).code).toBe(75);

    // the writer dies without finishing: the document's record reads as a run that did not finish
    holder.kill('SIGKILL');
    await new Promise((r) => holder?.once('exit', r));
    const gone = cli([...base(), 'status']);
    expect(gone.stdout).toContain(`run ${lastRun + 1} (run) did not finish (process gone`);
  });
});
