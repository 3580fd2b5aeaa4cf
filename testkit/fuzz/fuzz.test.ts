// The fuzz harness's own pieces: mutators are deterministic and every connector has some, the watchdog kills a
// process that hangs, a crash's stack trace is caught, and the warehouse checks see a record that went missing.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../lib/log.ts';
import { makeTempDir } from '../../lib/temp-dir.ts';
import { runLoad } from '../../pipelines/run/load-command.ts';
import { CONNECTORS } from '../../schemas/sources-config.ts';
import { withWarehouse } from '../../warehouse/db.ts';
import { licenceZone } from '../licence-zone.ts';
import { checkWarehouse } from './check.ts';
import { buildCorpus } from './corpus.ts';
import { MUTATORS } from './mutators.ts';
import { drawItems } from './runner.ts';
import { runLoadProcess } from './spawn.ts';
import type { Template } from './types.ts';
import { mutate } from './zone.ts';

describe('fuzz harness', () => {
  let dir: string;
  let cleanup: () => void;
  let templates: Template[];
  beforeAll(async () => {
    ({ dir, cleanup } = makeTempDir('jianguan-fuzz-'));
    templates = await buildCorpus(join(dir, 'corpus'), 7);
  });
  afterAll(() => cleanup());

  it('has mutators for every connector, and the corpus has UTF-8, BOM and GBK/GB18030 templates', () => {
    for (const c of CONNECTORS) expect(MUTATORS[c].small.length).toBeGreaterThan(10);
    expect(new Set(templates.map((t) => `${t.encoding}${t.bom ? '+bom' : ''}`))).toEqual(new Set(['utf-8', 'utf-8+bom', 'gbk', 'gb18030']));
  });

  it('makes the same damaged bytes from the same seed (a recipe reproduces its input)', () => {
    const o = { seed: 5, count: 200, big: false, perFileMs: 0, batchSize: 1, work: '', failures: '', connectors: ['csv' as const] };
    const a = drawItems(o, { csv: templates }).map((i) => mutate(i));
    const b = drawItems(o, { csv: templates }).map((i) => mutate(i));
    expect(a.map((m) => m.bytes?.toString('hex'))).toEqual(b.map((m) => m.bytes?.toString('hex')));
    expect(new Set(drawItems(o, { csv: templates }).map((i) => i.mutator.name)).size).toBe(MUTATORS.csv.small.length);
  });

  it('the watchdog kills a process that gives no file outcome within the limit; a stack trace is a problem', async () => {
    const hang = join(dir, 'hang.mjs');
    writeFileSync(hang, 'setInterval(() => {}, 1000);\n');
    const h = await runLoadProcess(dir, 'none.json', 0, { cli: hang, startupMs: 300 });
    expect(h.hung).toBe(true);
    const crash = join(dir, 'crash.mjs');
    writeFileSync(crash, 'throw new Error("boom");\n');
    const c = await runLoadProcess(dir, 'none.json', 0, { cli: crash, startupMs: 60_000 });
    expect(c.hung).toBe(false);
    expect(c.problems.some((p) => p.startsWith('stack trace on stderr'))).toBe(true);
    expect(c.problems).toContain('exit code 1 (a load of damaged files exits 0 or 3)');
  });

  it('the checks pass a clean load and name a record that is neither loaded nor rejected', async () => {
    const config = licenceZone(dir, 2, 5, 2);
    const db = join(dir, 'w.duckdb');
    await runLoad({ db, config, log: silentLogger() });
    const files = [0, 1].map((f) => ({ location: `license_${f}.csv`, feed: 'license', sameRecords: 5 }));
    expect((await checkWarehouse(db, files)).map((o) => [o.outcome, o.problems])).toEqual([
      ['loaded', []],
      ['loaded', []],
    ]);
    await withWarehouse(db, (wh) => wh.run('delete from raw.license where _batch_id = 1 and _record_no = 2'));
    const [broken] = await checkWarehouse(db, files);
    expect(broken!.problems).toEqual(['1 raw rows for rows_loaded 2', 'record numbers 1-5 (4 distinct) for 5 records read']);
    const [absent] = await checkWarehouse(db, [{ location: 'license_9.csv', feed: 'license', sameRecords: null }]);
    expect(absent!.problems).toEqual(['0 ledger rows (expected exactly one)']);
  });
});
