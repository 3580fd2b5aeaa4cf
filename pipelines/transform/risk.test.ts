// The risk marts against a generated landing zone: every planted risk fires the right rule for the right entity
// with evidence that leads back to the planted lines, clean entities stay silent, cross-level duplicates merge
// once, an independent TypeScript recomputation of the scores agrees, and a second run changes nothing. The
// planted look-alikes (manifest silent[]: renewals, statuses dated after the visit or by their file, revoked
// fines, problems corrected on the spot) raise nothing.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../lib/log.ts';
import { makeTempDir } from '../../lib/temp-dir.ts';
import { FEED_NAMES } from '../../schemas/feeds/index.ts';
import { readCore, recomputeScores } from '../../testkit/recompute.ts';
import { brokenWarehouse } from '../../testkit/shared.ts';
import { type Warehouse, withWarehouse } from '../../warehouse/db.ts';
import { openWarehouse } from '../../warehouse/schema/open.ts';
import { EVIDENCE_IDS, runIntegrityChecks } from './checks.ts';
import { defaultRiskConfig } from './risk-config.ts';
import { runTransform, type TransformResult } from './transform.ts';

interface Manifest {
  as_of: string;
  risks: { kind: string; uscc: string; evidence: { path: string; line: number; feed: string }[] }[];
  silent: { kind: string; uscc: string; reason: string; evidence: { path: string; line: number; feed: string }[] }[];
  unmatched_listings: { path: string; line: number; case_no: string; reason: string }[];
  overlaps: { feed: string; key: Record<string, string>; paths: string[]; conflicting_fields: string[] }[];
  clean_entities: string[];
}

/** Alert evidence → core lineage → raw row → file and line. */
const EVIDENCE_LINES = `
with cited as (select entity_id as uscc, rule_code, unnest(evidence) as id from mart.risk_alerts),
lineage as (
  select license_id as id, unnest(lineage) as l from core.licenses
  union all select inspection_id, unnest(lineage) from core.inspections
  union all select penalty_id, unnest(lineage) from core.penalties
  union all select event_id, unnest(lineage) from core.credit_events
),
raw_rows as (${FEED_NAMES.map((f) => `select _batch_id, _record_no, _source_line from raw.${f}`).join(' union all ')})
select c.uscc, c.rule_code, b.location, r._source_line as line
from cited c
join lineage x on x.id = c.id
join meta.batches b on b.batch_id = x.l.batch_id
join raw_rows r on r._batch_id = x.l.batch_id and r._record_no = x.l.record_no`;

const MODEL_TABLES = `select table_schema || '.' || table_name as t from information_schema.tables
  where table_schema in ('staging', 'core', 'mart') order by 1`;

/** Content and row order of a table in one hash. */
const tableHash = async (wh: Warehouse, t: string) =>
  String((await wh.one(`select md5(string_agg(x::varchar, chr(10) order by rowid)) as h from ${t} as x`))?.h);

describe('risk marts on a generated landing zone', () => {
  let dir: string;
  let cleanup: () => void;
  let db: string;
  let manifest: Manifest;
  let first: TransformResult;
  const transform = async (fn?: (wh: Warehouse) => Promise<void>, select?: string[], seed?: number) => {
    const wh = await openWarehouse(db);
    try {
      const cfg = defaultRiskConfig();
      if (seed !== undefined) cfg.sampling.seed = seed;
      const r = await runTransform(wh, { log: silentLogger(), asOf: manifest.as_of, select, riskConfig: cfg });
      await fn?.(wh);
      return r;
    } finally {
      wh.close();
    }
  };

  beforeAll(async () => {
    ({ dir, cleanup } = makeTempDir());
    // its own copy of the shared warehouse: the generated landing zone (seed 11, scale 0.3, with broken files,
    // which fail as a whole) loaded once by the global setup; the transform here builds the risk marts anew
    const w = brokenWarehouse(dir);
    db = w.db;
    manifest = JSON.parse(readFileSync(w.manifest, 'utf8')) as Manifest;
    first = await transform();
  });
  afterAll(() => cleanup());

  it('fires every planted risk for its entity, with evidence leading to the planted lines', async () => {
    expect(manifest.risks.length).toBeGreaterThan(10);
    await withWarehouse(db, async (wh) => {
      const fired = new Set((await wh.all('select entity_id as uscc, rule_code from mart.risk_alerts')).map((r) => `${r.uscc} ${r.rule_code}`));
      const lines = new Set((await wh.all(EVIDENCE_LINES)).map((r) => `${r.uscc} ${r.rule_code} ${r.location}:${r.line}`));
      for (const risk of manifest.risks) {
        expect(fired, `${risk.kind} for ${risk.uscc}`).toContain(`${risk.uscc} ${risk.kind}`);
        for (const e of risk.evidence) expect(lines, `${risk.kind} for ${risk.uscc}`).toContain(`${risk.uscc} ${risk.kind} ${e.path}:${e.line}`);
      }
    });
  });

  it('stays silent on every planted look-alike (renewal, status dated after the visit or by its file, revoked fine, corrected on the spot)', async () => {
    // every kind of silent case is planted, and each entity's records reached the warehouse
    expect(new Set(manifest.silent.map((s) => s.reason))).toEqual(
      new Set(['renewed-licence', 'status-after-inspection', 'status-from-file-date', 'penalty-revoked', 'corrected-on-the-spot']),
    );
    await withWarehouse(db, async (wh) => {
      const alerts = await wh.all('select entity_id as uscc, rule_code from mart.risk_alerts');
      const known = new Set(
        (await wh.all('select uscc from core.licenses union select uscc from core.inspections union select uscc from core.penalties')).map((r) =>
          String(r.uscc),
        ),
      );
      for (const s of manifest.silent) {
        expect(known, `${s.reason} ${s.uscc} loaded`).toContain(s.uscc);
        const fired = alerts.filter((a) => a.uscc === s.uscc).map((a) => String(a.rule_code));
        expect(fired, `${s.kind} must not fire for ${s.uscc} (${s.reason})`).not.toContain(s.kind);
        // nothing else is risky in these entities either
        expect(fired, `${s.uscc} (${s.reason})`).toEqual([]);
      }
    });
  });

  it('matches court listings by the credit code or 组织机构代码 in card_no, and the planted alert fires', async () => {
    await withWarehouse(db, async (wh) => {
      const rows = await wh.all(
        `select distinct d.uscc_basis from staging.dishonest_debtor d
         join mart.risk_alerts a on a.entity_id = d.uscc and a.rule_code = 'debtor-granted-license'
         where d.uscc_basis like 'card_no%' order by 1`,
      );
      expect(rows.map((r) => r.uscc_basis)).toEqual(['card_no', 'card_no-org-code']);
    });
  });

  it('keeps company listings that match no entity in core.unmatched_listings, with the reason and lineage', async () => {
    const want = manifest.unmatched_listings.map((u) => `${u.case_no.replace('（', '(').replace('）', ')')} ${u.reason} ${u.path}:${u.line}`);
    expect(new Set(manifest.unmatched_listings.map((u) => u.reason))).toEqual(new Set(['no-code', 'org-code-unknown', 'invalid-code']));
    await withWarehouse(db, async (wh) => {
      const rows = await wh.all(
        `select u.case_no, u.reason, b.location, r._source_line as line
         from core.unmatched_listings u, unnest(u.lineage) as x(l)
         join meta.batches b on b.batch_id = x.l.batch_id
         join raw.dishonest_debtor r on r._batch_id = x.l.batch_id and r._record_no = x.l.record_no`,
      );
      expect(rows.map((r) => `${r.case_no} ${r.reason} ${r.location}:${r.line}`).sort()).toEqual(want.sort());
    });
  });

  it('scores 个体工商户 without a credit code by their 注册号, and lists the records of subjects that are no entity', async () => {
    await withWarehouse(db, async (wh) => {
      const shops = await wh.all(
        `select m.entity_id, m.uscc, m.reg_no, c.kind from mart.entity_risk as m join core.entities as c using (entity_id) where m.id_kind = 'reg_no'`,
      );
      expect(shops.length).toBeGreaterThan(0);
      for (const e of shops)
        expect({ id: e.entity_id, uscc: e.uscc, reg: e.reg_no, kind: e.kind }).toEqual({
          id: e.entity_id,
          uscc: null,
          reg: e.entity_id,
          kind: '个体工商户',
        });
      // every licence and penalty of a code-less 个体工商户 with a 15-digit 注册号 belongs to that entity
      const stray = await wh.all(`select record_id from (
          select license_id as record_id, entity_id, subject_kind, uscc, reg_no from core.licenses
          union all select penalty_id, entity_id, subject_kind, uscc, reg_no from core.penalties)
        where subject_kind = '个体工商户' and uscc is null and regexp_full_match(reg_no, '[0-9]{15}') and entity_id is distinct from reg_no`);
      expect(stray).toEqual([]);
      // every licence and penalty naming no entity is listed, with its reason
      const unkeyed = await wh.scalarNumber(
        'select (select count(*) from core.licenses where entity_id is null) + (select count(*) from core.penalties where entity_id is null)',
      );
      expect(unkeyed).toBeGreaterThan(0);
      expect(await wh.scalarNumber('select count(*) from core.uncoded_subjects')).toBe(unkeyed);
      expect(await wh.scalarNumber("select count(*) from core.uncoded_subjects where subject_kind = '自然人' and reason <> 'natural-person'")).toBe(
        0,
      );
    });
  });

  it('fires no alert for a clean entity', async () => {
    await withWarehouse(db, async (wh) => {
      const alerted = new Set((await wh.all('select distinct entity_id as uscc from mart.risk_alerts')).map((r) => String(r.uscc)));
      expect(manifest.clean_entities.length).toBeGreaterThan(100);
      expect(manifest.clean_entities.filter((u) => alerted.has(u))).toEqual([]);
    });
  });

  it('merges a licence reported by county and city once, keeping both rows and the issuer’s version', async () => {
    const overlaps = manifest.overlaps.filter((o) => o.feed === 'license');
    expect(overlaps.length).toBeGreaterThan(1);
    await withWarehouse(db, async (wh) => {
      for (const o of overlaps) {
        const rows = await wh.all(
          `select l.license_id, l.won_level, l.precedence, list(distinct b.location order by b.location) as files
           from core.licenses l, unnest(l.lineage) as u(x) join meta.batches b on b.batch_id = u.x.batch_id
           where l.license_no = ? and l.issuer = ? group by all`,
          [o.key.license_no ?? '', o.key.issuer ?? ''],
        );
        expect(rows).toHaveLength(1);
        expect(rows[0]?.files).toEqual([...o.paths].sort());
        expect(rows[0]?.precedence).toBe('issuer');
        const fields = await wh.all('select field from core.conflicts where record_id = ? order by 1', [rows[0]?.license_id]);
        expect(fields.map((r) => r.field)).toEqual([...o.conflicting_fields].sort());
      }
    });
  });

  it('agrees with an independent recomputation of every score', async () => {
    await withWarehouse(db, async (wh) => {
      const core = await readCore(wh);
      const expected = recomputeScores(core, defaultRiskConfig(), manifest.as_of);
      const mart = await wh.all('select entity_id as uscc, score, factors from mart.entity_risk');
      const scored = mart.filter((r) => r.score > 0);
      expect(scored.length).toBeGreaterThan(50);
      for (const r of mart) {
        const want = expected.get(r.uscc) ?? { score: 0, factors: {} };
        const got = Object.fromEntries((r.factors as { factor: string; points: number }[]).map((f) => [f.factor, f.points]));
        expect({ uscc: r.uscc, score: r.score, factors: got }).toEqual({ uscc: r.uscc, score: want.score, factors: want.factors });
      }
    });
  });

  it('passes the cross-model integrity checks', async () => {
    await withWarehouse(db, async (wh) => {
      const failed = (await runIntegrityChecks(wh, null)).filter((c) => !c.passed);
      expect(failed).toEqual([]);
      const dangling = await wh.scalarNumber(
        `select count(*) from (select unnest(evidence) as id from mart.risk_alerts) where id not in (${EVIDENCE_IDS})`,
      );
      expect(dangling).toBe(0);
    });
  });

  it('draws every class-D entity and ceil(ratio × n) of the others, with teams of two', async () => {
    await withWarehouse(db, async (wh) => {
      const bad = await wh.all(
        `with pop as (select region_code, risk_class, count(*) as n from mart.entity_risk where region_code is not null group by all),
              drawn as (select region_code, risk_class, count(*) as k from mart.inspection_plan group by all)
         select * from pop left join drawn using (region_code, risk_class), (select 0.03 a, 0.05 b, 0.1 c, 1.0 d) r
         where coalesce(k, 0) <> ceil(n * case risk_class when 'A' then a when 'B' then b when 'C' then c else d end)`,
      );
      expect(bad).toEqual([]);
      expect(await wh.scalarNumber('select count(*) from mart.inspection_plan where not team_complete or len(list_distinct(inspectors)) < 2')).toBe(
        0,
      );
    });
  });

  it('reproduces the draw from its seed, and draws anew from another', async () => {
    const plan = (wh: Warehouse) => wh.all('select entity_id, inspectors from mart.inspection_plan order by entity_id');
    let before: unknown[] = [];
    let same: unknown[] = [];
    let other: unknown[] = [];
    await withWarehouse(db, async (wh) => {
      before = await plan(wh);
    });
    await transform(
      async (wh) => {
        same = await plan(wh);
      },
      ['inspection_plan'],
    );
    await transform(
      async (wh) => {
        other = await plan(wh);
      },
      ['inspection_plan'],
      12345,
    );
    await transform(undefined, ['inspection_plan']);
    expect(same).toEqual(before);
    expect(other).not.toEqual(before);
  });

  it('builds identical tables, row for row, when run again on the same data', async () => {
    const hashes = new Map<string, string>();
    await withWarehouse(db, async (wh) => {
      for (const r of await wh.all(MODEL_TABLES)) hashes.set(String(r.t), await tableHash(wh, String(r.t)));
    });
    expect(hashes.size).toBe(first.models.length);
    await transform(async (wh) => {
      for (const [t, h] of hashes) expect(await tableHash(wh, t), t).toBe(h);
    });
  });
});
