// The history tests' warehouse: three nightly runs over changing inputs (the landing zone regenerated as of three
// month ends), with what each run saw (classes and alerts) captured right after it. Built once per test run by
// the global setup, as plain data; the history test takes its own copy of the file.
import { join } from 'node:path';
import { col } from '../warehouse/columns.ts';
import { withWarehouse } from '../warehouse/db.ts';
import { nightly, testLanding } from './landing.ts';

export const HISTORY_DATES = ['2024-10-31', '2024-11-30', '2024-12-31'] as const;
export const HISTORY_REGIONS = ['130000', '130102'];

/** What one run saw, as plain data: classes and alert ids per entity. */
export interface SeenData {
  runId: number;
  asOf: string;
  classes: [string, string][];
  alerts: [string, string[]][];
}

export interface HistoryWarehouse {
  db: string;
  /** The sources config of the landing zone as of the last date. */
  config: string;
  seen: SeenData[];
}

/** One nightly run as of `asOf`, and what it saw. */
export async function runAndSee(db: string, config: string, asOf: string): Promise<SeenData> {
  const r = await nightly(db, config, asOf);
  return withWarehouse(db, async (wh) => {
    const classes = await wh.rows('select entity_id, risk_class from mart.entity_risk', { entity_id: col.text(), risk_class: col.text() });
    const alerts = new Map<string, string[]>();
    for (const a of await wh.rows('select entity_id, alert_id from mart.risk_alerts order by alert_id', {
      entity_id: col.text(),
      alert_id: col.text(),
    })) {
      alerts.set(a.entity_id, [...(alerts.get(a.entity_id) ?? []), a.alert_id]);
    }
    return { runId: r.runId, asOf, classes: classes.map((c) => [c.entity_id, c.risk_class]), alerts: [...alerts] };
  });
}

export async function buildHistoryWarehouse(dir: string): Promise<HistoryWarehouse> {
  const db = join(dir, 'w.duckdb');
  const seen: SeenData[] = [];
  let config = '';
  for (const asOf of HISTORY_DATES) {
    ({ config } = await testLanding(join(dir, 'landing'), { asOf, regions: HISTORY_REGIONS }));
    seen.push(await runAndSee(db, config, asOf));
  }
  return { db, config, seen };
}
