// Table-level lineage: the Mermaid DAG from the transform runner's own discovery, and the OpenLineage events of a
// real run (START … COMPLETE, child jobs per source and per model with their parent, row counts as outputStatistics).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTempDir } from '../../lib/temp-dir.ts';
import { type SharedWarehouse, smallWarehouse } from '../../testkit/shared.ts';
import { withWarehouse } from '../../warehouse/db.ts';
import { qualified } from '../../warehouse/sql.ts';
import { emitRunEnd, emitRunStart, type RunEvent, runUuid } from '../audit/openlineage.ts';
import { runGraph } from './graph-show.ts';

describe('graph and OpenLineage', () => {
  let dir: string;
  let cleanup: () => void;
  let db: string;
  let t: SharedWarehouse;
  let runId: number;

  beforeAll(() => {
    ({ dir, cleanup } = makeTempDir());
    // its own copy of the shared warehouse (opening it takes a lock); the landed files are only read
    t = smallWarehouse(dir);
    db = t.db;
    runId = t.runId;
  });
  afterAll(() => cleanup());

  it('draws sources → raw → staging → core → marts as Mermaid, in the order the runner derives', async () => {
    const m = await runGraph({ config: t.config });
    expect(m.split('\n')[0]).toBe('flowchart LR');
    for (const edge of [
      'src_county_license --> raw_license',
      'raw_license --> staging_license',
      'staging_license --> core_licenses',
      'core_licenses --> mart_risk_factor_items',
      'mart_entity_risk --> mart_region_risk',
      'ref_regions -.-> core_entities',
    ]) {
      expect(m).toContain(edge);
    }
    const order = ['subgraph sources', 'subgraph raw', 'subgraph staging', 'subgraph core', 'subgraph mart'].map((s) => m.indexOf(s));
    expect(order).toEqual([...order].sort((a, b) => a - b));
    // without a config, the ledger names the sources; without either, raw tables are the roots
    expect(await runGraph({ db, sourceNodes: 'each' })).toContain('src_county_130102_approval_license --> raw_license');
    expect(await runGraph()).not.toContain('subgraph sources');
  });

  it('writes OpenLineage START/COMPLETE events with datasets, parents and row counts', async () => {
    const file = join(dir, 'openlineage', 'events.jsonl');
    const common = { file, db, runId, command: 'run', landingDir: t.landing };
    await emitRunStart(common);
    await withWarehouse(db, (wh) => emitRunEnd(wh, { ...common, state: 'COMPLETE' }));
    const events = readFileSync(file, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as RunEvent);
    const parent = runUuid(db, runId);
    expect(parent).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(events[0]).toMatchObject({ eventType: 'START', run: { runId: parent }, job: { namespace: 'jianguan', name: 'jianguan.run' } });
    const end = events.at(-1) as RunEvent;
    expect(end).toMatchObject({ eventType: 'COMPLETE', run: { runId: parent } });
    expect(end.inputs.every((d) => d.namespace === 'file' && d.name.startsWith(t.landing))).toBe(true);
    expect(end.inputs.length).toBeGreaterThan(3);
    await withWarehouse(db, async (wh) => {
      for (const o of end.outputs) {
        const [s, n] = o.name.split('.') as [string, string];
        const rows = await wh.scalarNumber(`select count(*) from ${qualified(s, n)}`);
        expect(o.outputFacets?.outputStatistics).toMatchObject({ rowCount: rows });
      }
    });
    expect(end.outputs.map((o) => o.name)).toEqual(expect.arrayContaining(['raw.license', 'core.licenses', 'mart.entity_risk']));
    const children = events.slice(1, -1);
    expect(children.length % 2).toBe(0);
    for (const c of children) expect(c.run.facets.parent).toMatchObject({ run: { runId: parent }, job: { name: 'jianguan.run' } });
    const model = children.find((c) => c.job.name === 'jianguan.model.core.licenses' && c.eventType === 'COMPLETE');
    expect(model?.inputs.map((d) => d.name)).toEqual(['staging.license']);
    expect(model?.job.facets.sql).toBeTruthy();
    const load = children.find((c) => c.job.name === 'jianguan.load.county-130102-approval-license' && c.eventType === 'COMPLETE');
    expect(load?.outputs[0]?.name).toBe('raw.license');
    // re-emitting gives the same ids: a consumer merges instead of duplicating
    expect(runUuid(db, runId, 'jianguan.model.core.licenses')).toBe(model?.run.runId);
  });

  it('reports a failed run with its error', async () => {
    const file = join(dir, 'fail.jsonl');
    const events = await withWarehouse(db, (wh) => emitRunEnd(wh, { file, db, runId, command: 'run', state: 'FAIL', error: 'model mart.x failed' }));
    expect(events.at(-1)).toMatchObject({ eventType: 'FAIL', run: { facets: { errorMessage: { message: 'model mart.x failed' } } } });
  });
});
