// Two tracked marts written by hand (mart.entity_risk, mart.risk_alerts) for history and `runs show` tests:
// the given entities with their classes, and open alerts of entity U1.
import type { Warehouse } from '../warehouse/db.ts';

export async function writeHandMadeMarts(wh: Warehouse, classes: Record<string, string>, alerts: string[] = []): Promise<void> {
  await wh.run('create schema if not exists mart');
  await wh.run(
    `create or replace table mart.entity_risk as
    select uscc as entity_id, uscc, cls as risk_class, 100 as score, 'n-' || uscc as name, '130102' as region_code,
           [{'factor': 'penalties', 'points': 100, 'evidence': ['pen-x']}] as factors
    from (select unnest(from_json(?, '["VARCHAR"]')) as uscc, unnest(from_json(?, '["VARCHAR"]')) as cls)`,
    [JSON.stringify(Object.keys(classes)), JSON.stringify(Object.values(classes))],
  );
  await wh.run(
    `create or replace table mart.risk_alerts as
    select a as alert_id, 'U1' as entity_id, 'large-fine' as rule_code, 'high' as severity, 'm' as message, ['pen-x'] as evidence
    from (select unnest(from_json(?, '["VARCHAR"]')) as a)`,
    [JSON.stringify(alerts)],
  );
}
