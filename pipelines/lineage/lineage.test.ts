// Lineage on a warehouse built by the real pipeline: random rows of every mart and core table must end at source
// lines that really hold the record, planted risks must lead to the lines the fixture generator wrote them on,
// and a file changed or removed after loading must be flagged.
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { copyFile, mkdir, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../lib/log.ts';
import { makeTempDir } from '../../lib/temp-dir.ts';
import { type SharedWarehouse, smallWarehouse } from '../../testkit/shared.ts';
import { col } from '../../warehouse/columns.ts';
import { type Warehouse, withWarehouse } from '../../warehouse/db.ts';
import { qualified } from '../../warehouse/sql.ts';
import { loadCatalog } from '../catalog/catalog.ts';
import { DEFAULT_SQL_DIR } from '../catalog/models.ts';
import { runTransform } from '../transform/transform.ts';
import { formatLineageTree, lineageJson, lineageProblems, lineageSources } from './format.ts';
import { type LineageNode, lineageOf, runLineage } from './lineage.ts';

const ID_FIELDS = ['uscc', 'subject_name', 'name', 'license_no', 'decision_no', 'inspection_no', 'case_no', 'listing_doc_no'];

function rawNodes(n: LineageNode, out: LineageNode[] = []): LineageNode[] {
  if (n.source && n.row) out.push(n);
  for (const c of n.children) rawNodes(c, out);
  return out;
}

function countNodes(n: LineageNode): number {
  return 1 + n.children.reduce((s, c) => s + countNodes(c), 0);
}

describe('lineage', () => {
  let dir: string;
  let cleanup: () => void;
  let db: string;
  let t: SharedWarehouse;
  const lines = new Map<string, string[]>();

  /** Physical line `line` (1-based) of a landed file, decoded with the encoding the load detected. */
  async function physicalLine(wh: Warehouse, batchId: number, path: string, line: number): Promise<string> {
    let all = lines.get(path);
    if (!all) {
      const enc = await wh.scalar('select encoding from meta.batches where batch_id = ?', [batchId], col.text());
      const text = new TextDecoder(enc.startsWith('utf-8') ? 'utf-8' : enc).decode(readFileSync(path));
      all = text.split('\n').map((l) => l.replace(/\r$/, ''));
      lines.set(path, all);
    }
    return all[line - 1] ?? '';
  }

  beforeAll(() => {
    ({ dir, cleanup } = makeTempDir());
    // its own copy of the shared warehouse and landing zone: a test below alters and removes a landed file
    t = smallWarehouse(dir, { landing: true });
    db = t.db;
  });
  afterAll(() => cleanup());

  it('traces random rows of every mart and core table to source lines that hold the record', async () => {
    await withWarehouse(db, async (wh) => {
      const cat = await loadCatalog(wh);
      const tables = [...cat.tables.values()].filter((i) => i.schema === 'mart' || i.schema === 'core');
      expect(tables.map((i) => i.name)).toEqual(
        expect.arrayContaining([
          'mart.entity_risk',
          'mart.risk_alerts',
          'mart.region_risk',
          'mart.inspection_plan',
          'core.licenses',
          'core.entities',
        ]),
      );
      for (const info of tables) {
        const keyCols = info.key.map((k) => `cast(${k} as varchar) as ${k}`).join(', ');
        // aggregates: only rows that aggregate something can lead to a file
        const where = info.columns.has('entities') ? 'where entities > 0' : '';
        const sample = await wh.all(
          `select ${keyCols} from ${qualified(info.schema, info.table)} ${where} using sample reservoir(3 rows) repeatable (42)`,
        );
        expect(sample.length, info.name).toBeGreaterThan(0);
        for (const k of sample) {
          const tree = await lineageOf(
            wh,
            info.name,
            info.key.map((c) => String(k[c])),
            { catalog: cat, landingDir: t.landing },
          );
          const raws = rawNodes(tree);
          expect(raws.length, `${info.name} ${JSON.stringify(k)} reaches no raw row`).toBeGreaterThan(0);
          for (const r of raws) {
            const s = r.source as NonNullable<LineageNode['source']>;
            expect(s.file).toBe('ok');
            const text = await physicalLine(wh, s.batch_id, s.path as string, s.line);
            const ids = ID_FIELDS.map((f) => r.row?.[f]).filter((v): v is string => typeof v === 'string' && v.length > 1);
            expect(
              ids.some((v) => text.includes(v)),
              `${s.location}:${s.line} "${text}" holds none of ${ids.join(', ')}`,
            ).toBe(true);
          }
        }
      }
      // (how long a trace takes is measured by `npm run bench:lineage`, not asserted here)
    });
  });

  it('leads from each planted risk entity to the exact lines the generator wrote its evidence on', async () => {
    await withWarehouse(db, async (wh) => {
      const cat = await loadCatalog(wh);
      const loaded = new Set(
        (await wh.rows("select location from meta.batches where status = 'loaded'", { location: col.text() })).map((r) => r.location),
      );
      const risks = t.manifest.risks.filter((r) => r.evidence.every((e) => loaded.has(e.path)));
      expect(risks.length).toBeGreaterThan(3);
      for (const risk of risks) {
        const tree = await lineageOf(wh, 'mart.entity_risk', risk.uscc, { catalog: cat, landingDir: t.landing, limit: 1000, maxNodes: 10_000 });
        const reached = new Set(lineageSources(tree).map((s) => `${s.location}:${s.line}`));
        for (const e of risk.evidence) expect(reached, `${risk.kind} ${risk.uscc}`).toContain(`${e.path}:${e.line}`);
      }
    });
  });

  it('shows every version of a merged record, the winner marked, and prints it as a tree and as JSON', async () => {
    await withWarehouse(db, async (wh) => {
      const merged = await wh.scalar(
        'select license_id from core.licenses where versions > 1 and len(reported_levels) > 1 order by license_id limit 1',
        col.text(),
      );
      const tree = await lineageOf(wh, 'core.licenses', merged, { landingDir: t.landing });
      const staged = tree.children.filter((c) => c.via === 'lineage');
      expect(staged.length).toBeGreaterThan(1);
      expect(staged.filter((c) => c.won)).toHaveLength(1);
      const sources = lineageSources(tree);
      expect(new Set(sources.map((s) => s.level)).size).toBeGreaterThan(1);
      const text = formatLineageTree(tree);
      expect(text).toContain('★ won');
      for (const s of sources) expect(text).toContain(`${s.path}:${s.line}`);
      expect(JSON.parse(JSON.stringify(lineageJson(tree)))).toEqual(lineageJson(tree));
    });
  });

  it('cuts an aggregate tree at the node budget and says how much was left out', async () => {
    await withWarehouse(db, async (wh) => {
      const tree = await lineageOf(wh, 'mart.region_risk', '130000', { maxNodes: 150, limit: 10 });
      expect(countNodes(tree)).toBeLessThanOrEqual(150);
      const more = (n: LineageNode): number => n.more + n.children.reduce((s, c) => s + more(c), 0);
      expect(more(tree)).toBeGreaterThan(0);
      expect(formatLineageTree(tree)).toContain('more not shown');
    });
  });

  it('names its errors by code, and traces a raw row to its file', async () => {
    await withWarehouse(db, async (wh) => {
      await expect(lineageOf(wh, 'mart.nothing', 'x')).rejects.toMatchObject({ code: 'lineage-unknown-table', exitCode: 2 });
      await expect(lineageOf(wh, 'entity_risk', '91000000000000000X')).rejects.toMatchObject({ code: 'lineage-row-not-found' });
      await expect(lineageOf(wh, 'mart.risk_factors', 'only-one-part')).rejects.toMatchObject({ code: 'lineage-bad-key' });
      await expect(lineageOf(wh, 'raw.license', 'x,1')).rejects.toMatchObject({ code: 'lineage-bad-key' });
      // a raw row is a tree of one: itself and where it came from
      const k = await wh.row('select _batch_id, _record_no from raw.license order by 1, 2 limit 1', { _batch_id: col.int(), _record_no: col.int() });
      const raw = await lineageOf(wh, 'raw.license', `${k?._batch_id},${k?._record_no}`, { landingDir: t.landing });
      expect(raw.source).toMatchObject({ file: 'ok', feed: 'license', record_no: k?._record_no });
    });
  });

  it('flags a source file that was altered or removed after loading (CLI path, snapshot and live)', async () => {
    const alert = await withWarehouse(db, (wh) => wh.scalar('select alert_id from mart.risk_alerts order by alert_id limit 1', col.text()));
    const trace = (from: 'live' | 'snapshot') => runLineage({ db, config: t.config, table: 'mart.risk_alerts', key: alert, from });
    const first = lineageSources(await trace('snapshot'));
    expect(first.every((s) => s.file === 'ok')).toBe(true);
    const victim = first[0] as NonNullable<LineageNode['source']>;
    const path = victim.path as string;
    const original = readFileSync(path);
    try {
      const edited = Buffer.from(original);
      edited[edited.length - 2] = (edited[edited.length - 2] as number) ^ 1;
      writeFileSync(path, edited);
      const altered = lineageSources(await trace('live')).filter((s) => s.location === victim.location);
      expect(altered.every((s) => s.file === 'altered' && s.file_sha256_now !== s.sha256)).toBe(true);
      renameSync(path, `${path}.gone`);
      const missing = lineageSources(await trace('live')).filter((s) => s.location === victim.location);
      expect(missing.every((s) => s.file === 'missing')).toBe(true);
      const tree = await trace('live');
      expect(formatLineageTree(tree)).toContain('FILE MISSING');
      expect(lineageProblems(tree).map((s) => s.location)).toContain(victim.location);
    } finally {
      writeFileSync(path, original);
    }
    expect(lineageProblems(await trace('live'))).toEqual([]);
  });

  it('walks a model it has never seen, from its declarations, then from the definition the transform recorded', async () => {
    const sqlDir = join(dir, 'sql');
    for (const layer of ['staging', 'core', 'marts']) {
      await mkdir(join(sqlDir, layer), { recursive: true });
      for (const f of await readdir(join(DEFAULT_SQL_DIR, layer))) await copyFile(join(DEFAULT_SQL_DIR, layer, f), join(sqlDir, layer, f));
    }
    writeFileSync(
      join(sqlDir, 'marts', 'watchlist.sql'),
      `-- output: mart.watchlist
-- grain: one row per entity with a high-severity alert
-- key: watch_id
with final as (
    select 'w-' || entity_id as watch_id, entity_id, list_sort(list_distinct(flatten(list(evidence)))) as evidence
    from mart.risk_alerts where severity = 'high' group by entity_id
)
select * from final
`,
    );
    await withWarehouse(db, async (wh) => {
      await runTransform(wh, { log: silentLogger(), asOf: '2024-12-31', sqlDir, select: ['mart.watchlist'] });
      const watchId = await wh.scalar('select watch_id from mart.watchlist order by watch_id limit 1', col.text());
      const tree = await lineageOf(wh, 'mart.watchlist', watchId, { sqlDir, landingDir: t.landing });
      expect(tree.children.some((c) => c.via === 'evidence' && c.table?.startsWith('core.'))).toBe(true);
      expect(lineageSources(tree).length).toBeGreaterThan(0);
      // without the folder, from the definition the transform recorded: the file is not among the shipped models
      expect(await wh.one("select file, key, reads from meta.models where name = 'mart.watchlist'")).toEqual({
        file: 'marts/watchlist.sql',
        key: ['watch_id'],
        reads: ['mart.risk_alerts'],
      });
      expect(await lineageOf(wh, 'mart.watchlist', watchId, { landingDir: t.landing })).toEqual(tree);
    });
  });
});
