// An independent re-implementation of the risk score in TypeScript, for tests: it reads the merged core records
// and the risk config and computes each entity's factors from the method as documented (pipelines/transform/rules.ts),
// sharing no SQL with the marts. Dates are compared as ISO strings; day counts in UTC.

import type { RiskConfig } from '../pipelines/transform/risk-config.ts';
import type { Row, Warehouse } from '../warehouse/db.ts';

export interface CoreRecords {
  inspections: Row[];
  penalties: Row[];
  events: Row[];
  licenses: Row[];
}

/** The core records the recomputation reads, straight from a warehouse's core tables. */
export async function readCore(wh: Warehouse): Promise<CoreRecords> {
  return {
    inspections: await wh.all('select entity_id, inspected_on, results from core.inspections where entity_id is not null'),
    penalties: await wh.all(
      'select entity_id, decided_on, publish_until, revoked_since, fine_yuan, penalty_types from core.penalties where entity_id is not null',
    ),
    events: await wh.all(
      'select entity_id, event_type, listed_on, removed_on, reason_code, performance from core.credit_events where entity_id is not null',
    ),
    licenses: await wh.all(
      'select license_id, entity_id, certificate_name, status, status_since, decided_on, valid_from, valid_to from core.licenses where entity_id is not null',
    ),
  };
}

const DAY = 86_400_000;
const days = (from: string, to: string) => Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY);
const addDays = (d: string, n: number) => new Date(Date.parse(`${d}T00:00:00Z`) + n * DAY).toISOString().slice(0, 10);
/** DuckDB's DECIMAL(18,6) cast of a positive double. */
const dec6 = (x: number) => Math.round(x * 1e6) / 1e6;

function group<T extends Row>(rows: readonly T[]): Map<string, T[]> {
  const m = new Map<string, T[]>();
  for (const r of rows) {
    if (!r.entity_id) continue;
    const g = m.get(r.entity_id);
    if (g) g.push(r);
    else m.set(r.entity_id, [r]);
  }
  return m;
}

export interface Recomputed {
  score: number;
  factors: Record<string, number>;
}

/** Score every entity that has at least one scoring item; an entity absent from the result scores 0. */
export function recomputeScores(core: CoreRecords, cfg: RiskConfig, asOf: string): Map<string, Recomputed> {
  const w = cfg.weights;
  const since = addDays(asOf, -cfg.windows.lookback_days);
  const decay = (on: string) => 0.5 ** (days(on, asOf) / cfg.windows.half_life_days);
  // a 失信 listing whose 履行情况 is 全部已履行 counts for nothing (not in force, no 联合惩戒)
  const paid = (e: Row) => e.event_type === 'dishonest_debtor' && e.performance === '全部已履行';
  const inForce = (e: Row) => !paid(e) && e.listed_on <= asOf && (e.removed_on === null || e.removed_on > asOf);
  const byInspection = group(core.inspections.filter((i) => i.inspected_on <= asOf));
  // 信用修复: a penalty stops scoring the day after its 公示截止期 (publish_until NULL: open-ended), or from the day
  // it was revoked on review
  const inEffect = (p: Row) => (p.publish_until === null || p.publish_until >= asOf) && (p.revoked_since === null || p.revoked_since > asOf);
  const byPenalty = group(core.penalties.filter((p) => p.decided_on <= asOf && p.decided_on > since && inEffect(p)));
  const byEvent = group(core.events.filter((e) => e.event_type !== 'credit_rating'));
  const byLicence = group(core.licenses);
  const usccs = new Set([...byInspection.keys(), ...byPenalty.keys(), ...byEvent.keys(), ...byLicence.keys()]);
  const out = new Map<string, Recomputed>();
  for (const u of usccs) {
    const ins = byInspection.get(u) ?? [];
    const pens = byPenalty.get(u) ?? [];
    const evs = byEvent.get(u) ?? [];
    const lics = byLicence.get(u) ?? [];
    const problems = (i: Row) => (i.results as string[]).filter((c) => cfg.codes.problem_results.includes(c));
    const operating = (i: Row) => !(i.results as string[]).some((c) => cfg.codes.not_operating_results.includes(c));
    // decaying factors: [raw points, decayed points] per item
    const inspectionItems = ins
      .filter((i) => problems(i).length && i.inspected_on > since)
      .map((i) => {
        const raw = Math.max(...problems(i).map((c) => w.inspection_result[c] ?? 0));
        return [raw, raw * decay(i.inspected_on)] as const;
      });
    const penaltyItems = pens.map((p) => {
      const fine = p.fine_yuan === null ? null : Number(p.fine_yuan);
      const tier = Math.max(0, ...w.fine_tiers.filter((t) => fine !== null && fine >= t.min_yuan).map((t) => t.points));
      const severe = (p.penalty_types as string[]).some((t) => cfg.codes.severe_penalty_types.includes(t)) ? w.severe_penalty : 0;
      const raw = w.penalty_base + tier + severe;
      return [raw, raw * decay(p.decided_on)] as const;
    });
    const f: Record<string, number> = {};
    let decayed = 0;
    let rawDecaying = 0;
    for (const [name, items, cap] of [
      ['inspection_problems', inspectionItems, w.inspection_cap],
      ['penalties', penaltyItems, w.penalty_cap],
    ] as const) {
      if (!items.length) continue;
      f[name] = Math.min(
        cap,
        items.reduce((s, [r]) => s + r, 0),
      );
      decayed += Math.min(
        cap,
        items.reduce((s, [, d]) => s + dec6(d), 0),
      );
      rawDecaying += f[name] as number;
    }
    const last = ins
      .map((i) => String(i.inspected_on))
      .sort()
      .at(-1);
    const open = (i: Row) => i.inspected_on === last && i.inspected_on > since && problems(i).length > 0 && !(i.results as string[]).includes('E');
    if (ins.some(open)) f.unresolved_rectification = w.unresolved_rectification;
    const live = evs.filter(inForce);
    if (live.some((e) => e.event_type === 'dishonest_debtor')) f.dishonest_debtor = w.dishonest_debtor;
    if (live.some((e) => e.event_type === 'serious_violation')) f.serious_violation = w.serious_violation;
    const abnormal = live.filter((e) => e.event_type === 'abnormal_operation');
    if (abnormal.length)
      f.abnormal_operation = Math.min(
        w.abnormal_cap,
        abnormal.reduce((s, e) => s + (w.abnormal_reason[e.reason_code] ?? 0), 0),
      );
    let licencePoints = 0;
    let licenceItems = 0;
    // a status counts from status_since (core.licenses) when that is on or before as_of
    const statusIn = (l: Row, list: readonly string[]) => list.includes(l.status) && l.status_since !== null && l.status_since <= asOf;
    const endOf = (l: Row): string | null => {
      if (!statusIn(l, cfg.codes.ended_license_status)) return l.valid_to;
      return l.valid_to === null ? l.status_since : [l.valid_to, l.status_since].sort()[0];
    };
    const covers = (l: Row, other: Row, day: string) => {
      const end = endOf(other);
      return (
        other.license_id !== l.license_id &&
        l.certificate_name !== null &&
        other.certificate_name === l.certificate_name &&
        other.valid_from <= day &&
        (end === null || day <= end)
      );
    };
    for (const l of lics) {
      const endedAfter = endOf(l);
      const after = (i: Row) => endedAfter !== null && operating(i) && i.inspected_on > endedAfter && i.inspected_on > since;
      if (ins.some((i) => after(i) && !lics.some((o) => covers(l, o, i.inspected_on)))) {
        licencePoints += w.license_operating_after_end;
        licenceItems++;
      }
      if (statusIn(l, cfg.codes.revoked_license_status)) {
        licencePoints += w.license_revoked;
        licenceItems++;
      }
      const listedBefore = evs.some(
        (e) =>
          ['dishonest_debtor', 'serious_violation'].includes(e.event_type) &&
          !paid(e) &&
          e.listed_on <= l.decided_on &&
          (e.removed_on === null || e.removed_on > l.decided_on),
      );
      if (listedBefore && l.decided_on <= asOf) {
        licencePoints += w.license_granted_while_listed;
        licenceItems++;
      }
    }
    if (licenceItems) f.license_problems = Math.min(w.license_cap, licencePoints);
    const decayPoints = Math.round(decayed) - rawDecaying;
    if (decayPoints !== 0) f.recency_decay = decayPoints;
    const total = Object.values(f).reduce((s, p) => s + p, 0);
    if (Object.keys(f).length) out.set(u, { score: Math.max(0, Math.min(1000, total)), factors: f });
  }
  return out;
}

// ---- The risk class (rules.ts CLASS_RULE): computed class, the rating in force, the final class and its source.

export interface ClassInputs {
  /** Every entity (core.entities). */
  entities: string[];
  /** The published 企业信用风险分类 (core.credit_events, event_type credit_rating). */
  ratings: { event_id: string; entity_id: string; risk_class: string; listed_on: string }[];
  /** Inspection dates per entity (core.inspections). */
  inspections: { entity_id: string; inspected_on: string }[];
}

/** The records the class recomputation reads besides the scores: entities, ratings, inspection dates. */
export async function readClassInputs(wh: Warehouse): Promise<ClassInputs> {
  const entities = await wh.all('select entity_id from core.entities');
  const ratings = await wh.all(
    "select event_id, entity_id, risk_class, listed_on from core.credit_events where event_type = 'credit_rating' and entity_id is not null",
  );
  const inspections = await wh.all('select entity_id, inspected_on from core.inspections where entity_id is not null');
  return {
    entities: entities.map((e) => String(e.entity_id)),
    ratings: ratings.map((r) => ({
      event_id: String(r.event_id),
      entity_id: String(r.entity_id),
      risk_class: String(r.risk_class),
      listed_on: String(r.listed_on),
    })),
    inspections: inspections.map((i) => ({ entity_id: String(i.entity_id), inspected_on: String(i.inspected_on) })),
  };
}

/** A calendar date plus n months, the day clamped to the target month's last day (2024-01-31 + 1 → 2024-02-29). */
export function addMonths(d: string, n: number): string {
  const [y, m, day] = d.split('-').map(Number) as [number, number, number];
  const total = m - 1 + n;
  const ny = y + Math.floor(total / 12);
  const nm = (((total % 12) + 12) % 12) + 1;
  const last = new Date(Date.UTC(ny, nm, 0)).getUTCDate();
  return `${String(ny).padStart(4, '0')}-${String(nm).padStart(2, '0')}-${String(Math.min(day, last)).padStart(2, '0')}`;
}

export interface RecomputedClass {
  score: number;
  computed_class: string;
  reported_class: string | null;
  reported_on: string | null;
  reported_event_id: string | null;
  risk_class: string;
  class_source: 'computed' | 'official' | 'both' | 'no-data';
}

/**
 * Every entity's classes from the documented rule: the score's class by the cut-offs; the rating in force
 * (latest-dated R with R ≤ as_of < R + N months); no data (no scored factor, no rating in force, no inspection in
 * (as_of − lookback, as_of]) → no_data_class; the final class by classes.combine and where it came from.
 */
export function recomputeClasses(
  scores: ReadonlyMap<string, Recomputed>,
  inputs: ClassInputs,
  cfg: RiskConfig,
  asOf: string,
): Map<string, RecomputedClass> {
  const { a_max, b_max, c_max } = cfg.cutoffs;
  const { rating_validity_months: months, combine, no_data_class } = cfg.classes;
  const since = addDays(asOf, -cfg.windows.lookback_days);
  const inForce = new Map<string, ClassInputs['ratings'][number]>();
  for (const r of inputs.ratings) {
    if (!(r.listed_on <= asOf && asOf < addMonths(r.listed_on, months))) continue;
    const have = inForce.get(r.entity_id);
    if (!have || r.listed_on > have.listed_on || (r.listed_on === have.listed_on && r.event_id > have.event_id)) inForce.set(r.entity_id, r);
  }
  const recent = new Set(inputs.inspections.filter((i) => i.inspected_on > since && i.inspected_on <= asOf).map((i) => i.entity_id));
  const out = new Map<string, RecomputedClass>();
  for (const u of inputs.entities) {
    const s = scores.get(u);
    const score = s?.score ?? 0;
    const byScore = score <= a_max ? 'A' : score <= b_max ? 'B' : score <= c_max ? 'C' : 'D';
    const rating = inForce.get(u) ?? null;
    const reported = rating?.risk_class ?? null;
    const base = { score, reported_class: reported, reported_on: rating?.listed_on ?? null, reported_event_id: rating?.event_id ?? null };
    if (!s && !rating && !recent.has(u)) {
      out.set(u, { ...base, computed_class: no_data_class, risk_class: no_data_class, class_source: 'no-data' });
      continue;
    }
    let risk = byScore;
    let source: RecomputedClass['class_source'] = 'computed';
    if (reported !== null && combine !== 'computed') {
      if (reported === byScore) source = 'both';
      else if (combine === 'official') {
        risk = reported;
        source = 'official';
      } else if (reported > byScore) {
        risk = reported;
        source = 'official';
      }
    }
    out.set(u, { ...base, computed_class: byScore, risk_class: risk, class_source: source });
  }
  return out;
}
