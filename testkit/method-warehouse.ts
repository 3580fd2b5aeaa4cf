// Loads the risk method's worked examples (pipelines/transform/method-cases.ts) into a fresh warehouse: each case
// is one entity (a valid credit code of its own), its records raw rows with the fields a case leaves out filled
// in, in one batch per feed and known_on date. Rows go straight into raw.*, as a loaded batch would leave them.
import type { MethodCase } from '../pipelines/transform/method-cases.ts';
import { makeUscc } from '../schemas/validators/uscc.ts';
import type { Warehouse } from '../warehouse/db.ts';
import { literal } from '../warehouse/sql.ts';

const COUNTY = '130123';
const AMR = { name: '正定县市场监督管理局', uscc: makeUscc(`11${COUNTY}`, 'MB000001') };
const APPROVAL = { name: '正定县行政审批局', uscc: makeUscc(`11${COUNTY}`, 'MB000002') };
const DEFAULT_KNOWN_ON = '2024-11-30';

/** The credit code of the case at this position. */
export const caseUscc = (index: number) => makeUscc(`91${COUNTY}`, `MA${String(index + 1).padStart(6, '0')}`);

type Value = string | number | string[] | null;

function defaults(feed: string, c: MethodCase, uscc: string, n: number): Record<string, Value> {
  const name = `案例${c.id}有限公司`;
  const no = `${c.id}-${n}`;
  switch (feed) {
    case 'inspection':
      return {
        inspection_no: `JC-${no}`,
        agency: AMR.name,
        agency_uscc: AMR.uscc,
        subject_name: name,
        subject_nature: '2',
        uscc,
        region_code: COUNTY,
        form: '现场检查',
        follow_up: '无需处置',
        inspectors: ['张明', '李华'],
        inspector_cert_nos: ['13010001', '13010002'],
      };
    case 'license':
      return {
        subject_name: name,
        subject_kind: '法人及非法人组织',
        uscc,
        decision_doc_name: '准予行政许可决定书',
        decision_doc_no: `XK-${no}`,
        category: '普通',
        license_no: `JY-${no}`,
        content: '预包装食品销售',
        valid_from: null,
        issuer: APPROVAL.name,
        issuer_uscc: APPROVAL.uscc,
        status: '1',
      };
    case 'penalty':
      return {
        subject_name: name,
        subject_kind: '法人及非法人组织',
        uscc,
        decision_no: `正市监罚〔2024〕${no}号`,
        violation_type: '违反食品安全法',
        facts: '经营超过保质期的食品',
        basis: '《中华人民共和国食品安全法》',
        penalty_types: ['罚款'],
        content: '罚款',
        authority: AMR.name,
        authority_uscc: AMR.uscc,
      };
    case 'dishonest_debtor':
      return {
        name,
        case_no: `(2023)冀0123执${n}号-${c.id}`,
        uscc,
        court: '正定县人民法院',
        party_type: '1',
        duty: '支付货款',
        performance: '全部未履行',
      };
    case 'serious_violation':
      return {
        uscc,
        name,
        category: '1',
        reason: '提交虚假材料取得登记',
        listing_doc_no: `冀市监严〔2024〕${no}号`,
        listed_by: '河北省市场监督管理局',
      };
    case 'abnormal_operation':
      return { uscc, name, listed_by: AMR.name };
    default:
      return { uscc, name };
  }
}

const sqlValue = (v: Value): string =>
  v === null ? 'NULL' : Array.isArray(v) ? `[${v.map(literal).join(', ')}]` : typeof v === 'number' ? String(v) : literal(v);

/** Insert every case; the warehouse must be migrated and have no batches yet. */
export async function loadMethodCases(wh: Warehouse, cases: readonly MethodCase[]): Promise<void> {
  const batches = new Map<string, number>();
  let recordNo = 0;
  for (const [index, c] of cases.entries()) {
    const uscc = caseUscc(index);
    for (const [n, r] of c.records.entries()) {
      const knownOn = r.knownOn ?? DEFAULT_KNOWN_ON;
      const key = `${r.feed}|${knownOn}`;
      let batchId = batches.get(key);
      if (batchId === undefined) {
        batchId = batches.size + 1;
        batches.set(key, batchId);
        await wh.run(
          `insert into meta.batches (batch_id, run_id, source_id, level, region_code, department, feed, connector, location, sha256, bytes,
             rows_read, rows_loaded, rows_rejected, status, started_at, finished_at, known_on)
           values (?, 1, ?, 'county', ?, ?, ?, 'csv', ?, ?, 0, 0, 0, 0, 'loaded', now(), now(), ?::date)`,
          [
            batchId,
            `cases-${r.feed}`,
            COUNTY,
            r.feed === 'license' ? APPROVAL.name : AMR.name,
            r.feed,
            `cases/${r.feed}_${knownOn}.csv`,
            key,
            knownOn,
          ],
        );
      }
      const values: Record<string, Value> = { ...defaults(r.feed, c, uscc, n + 1), ...r.values };
      if (r.feed === 'license' && values.valid_from === null) values.valid_from = values.decided_on ?? null;
      recordNo++;
      const cols = Object.keys(values);
      await wh.run(
        `insert into raw.${r.feed} (${cols.join(', ')}, _batch_id, _record_no, _source_line, _row_hash)
         values (${cols.map((k) => sqlValue(values[k] ?? null)).join(', ')}, ${batchId}, ${recordNo}, ${recordNo + 1}, ${literal(`${c.id}-${n}`)})`,
      );
    }
  }
  await wh.run(
    'update meta.batches as b set rows_read = n, rows_loaded = n from (select _batch_id, count(*) as n from (' +
      ['inspection', 'license', 'penalty', 'dishonest_debtor', 'serious_violation', 'abnormal_operation']
        .map((f) => `select _batch_id from raw.${f}`)
        .join(' union all ') +
      ') group by _batch_id) as c where c._batch_id = b.batch_id',
  );
}
