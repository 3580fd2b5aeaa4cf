// One definition, two executions: the SQL ingest path (schemas/to-sql.ts) and the JS/zod path (schemas/to-js.ts)
// must take the same decision, name the same reason and field, and produce the same values for every record of
// a generated landing zone.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTempDir } from '../../lib/temp-dir.ts';
import { FEEDS } from '../../schemas/feeds/index.ts';
import { mapHeader } from '../../schemas/header-map.ts';
import { loadSourcesConfig } from '../../schemas/sources-config.ts';
import { convertRecord } from '../../schemas/to-js.ts';
import { RECORD_SCHEMAS } from '../../schemas/to-zod.ts';
import { brokenWarehouse } from '../../testkit/shared.ts';
import { withWarehouse } from '../../warehouse/db.ts';

describe('SQL and JS validation paths', () => {
  let dir: string;
  let cleanup: () => void;
  let db: string;
  let config: string;
  beforeAll(() => {
    ({ dir, cleanup } = makeTempDir());
    // the shared generated landing zone (seed 11, scale 0.3; its broken files fail and are not compared), loaded
    // once by the global setup; this file reads its own copy of the warehouse
    ({ db, config } = brokenWarehouse(dir));
  });
  afterAll(() => cleanup());

  it('agree on every record of every loaded file', async () => {
    const cfg = loadSourcesConfig(config);
    let compared = 0;
    await withWarehouse(db, async (wh) => {
      const batches = await wh.all("select batch_id, source_id, location, encoding from meta.batches where status = 'loaded' order by batch_id");
      for (const b of batches) {
        const source = cfg.sources.find((s) => s.id === b.source_id)!;
        const feed = FEEDS[source.feed];
        const bytes = readFileSync(join(cfg.landingDir, String(b.location)));
        const text = new TextDecoder(String(b.encoding).startsWith('utf-8') ? 'utf-8' : 'gb18030').decode(bytes);
        const rows = parse(text, { relax_column_count: true, bom: true, skip_empty_lines: true, delimiter: source.delimiter }) as string[][];
        const [header, ...records] = rows;
        const mapped = mapHeader(feed, header!, source);
        if (!mapped.ok) throw new Error(mapped.message);
        const raw = new Map(
          (await wh.all(`select * exclude (_batch_id, _row_hash, _source_line) from raw.${source.feed} where _batch_id = ?`, [b.batch_id])).map(
            (r) => [Number(r._record_no), r],
          ),
        );
        const rejects = new Map(
          (await wh.all('select record_no, reason_code, field from meta.rejects where batch_id = ?', [b.batch_id])).map((r) => [
            Number(r.record_no),
            r,
          ]),
        );
        records.forEach((rec, i) => {
          const recordNo = i + 1;
          const where = `${b.location} record ${recordNo}`;
          if (rec.length !== header!.length) {
            expect(rejects.get(recordNo)?.reason_code, where).toBe('field-count');
            return;
          }
          const texts: Record<string, string | null> = { ...source.constants };
          mapped.mapping.fieldOfColumn.forEach((field, col) => {
            if (!field) return;
            const t = rec[col]!.trim();
            texts[field] = source.values[field]?.[t] ?? rec[col]!;
          });
          const js = convertRecord(feed, texts);
          if (js.ok) {
            const row = raw.get(recordNo);
            expect(row, `${where} should be loaded`).toBeDefined();
            for (const [f, v] of Object.entries(js.values)) expect(row?.[f] ?? null, `${where} ${f}`).toEqual(v);
            expect(row?._warnings ?? [], `${where} warnings`).toEqual(js.warnings);
            const z = RECORD_SCHEMAS[source.feed].safeParse(texts);
            expect(z.success, where).toBe(true);
          } else {
            expect(rejects.get(recordNo), where).toMatchObject({ reason_code: js.reason, field: js.field });
          }
          compared++;
        });
      }
    });
    expect(compared).toBeGreaterThan(2000);
  });
});
