// Generates the SQL that turns one file's text columns into canonical values, and the reason a record
// is rejected. One definition (the FeedSpec) drives it; the validators are the jg_* macros of
// schemas/validators/macros.ts, proven equal to their JS twins by tests.
import { ident, literal } from '../warehouse/sql.ts';
import { type FeedSpec, type FieldSpec, lenientField, UNKNOWN_CODE, unknownCodeWarningPrefix } from './fields.ts';
import { RECORD_REASONS } from './reasons.ts';
import { type RowHashAlg, rowHashSql } from './row-hash.ts';
import { sqlType } from './sql-types.ts';
import { fieldSql, PLACEHOLDER, type SourceMapping, sourceText } from './to-sql-fields.ts';

export { enumKey, enumLookup } from './to-sql-fields.ts';
export type { SourceMapping };

function requirement(name: string, f: FieldSpec, feed: FeedSpec): string | null {
  const r = f.required;
  if (!r) return null;
  if (r === true) return 'true';
  if ('placeholder' in r) return `${ident(`n_${r.field}`)} = ${PLACEHOLDER}`;
  const other = feed.fields[r.field];
  if (!other) throw new Error(`${feed.name}.${name}: unknown field ${r.field}`);
  return `${ident(r.field)} in (${r.in.map(literal).join(', ')})`;
}

/** Human message of a reason for a field: label, source header and the offending text. */
function messageSql(feed: FeedSpec, headerOf: (field: string) => string | undefined): string {
  const reasons = Object.entries(RECORD_REASONS).map(([code, text]) => `when ${literal(code)} then ${literal(text)}`);
  const fields = Object.entries(feed.fields).map(([name, f]) => {
    const h = headerOf(name);
    return `when ${literal(name)} then ${literal(`${f.label}${h && h !== f.label ? `（${h}）` : ''}`)}`;
  });
  const ruleMsgs = (feed.rules ?? []).map((r, i) => `when ${literal(`rule${i}`)} then ${literal(r.message)}`);
  return `(case e.err_field ${fields.join(' ')} else e.err_field end) || '：' || ${ruleMsgs.length ? `coalesce((case e.err_rule ${ruleMsgs.join(' ')} else null end), ` : 'coalesce(null, '}(case e.err_code ${reasons.join(' ')} else e.err_code end)) || coalesce('：' || e.err_text, '')`;
}

export interface ValidationSql {
  /**
   * Converts, checks and inserts the records that pass every check into raw.<feed>, in one statement (its row count
   * is the number loaded). One statement, not temp tables built first: inside the batch's transaction DuckDB scans
   * a table created in that same transaction on one thread only, which made the insert several times slower.
   */
  insertRaw: (batchParam: string) => string;
  /**
   * Builds temp table _jg_bad (record, reason, field, rule, offending text) of the records that fail, with the same
   * checks as insertRaw: run it only when insertRaw loaded fewer records than the part holds.
   */
  findBad: string;
  /** Inserts the _jg_bad records into meta.rejects (reads the input again for their original text). */
  insertRejects: (batchParam: string) => string;
  /** Drops the temp tables. */
  cleanup: string[];
}

/** Kinds validated once per distinct text (dates, codes and code lists repeat a lot within a file); includes every LENIENT_KINDS kind. */
const DICTIONARY_KINDS = new Set<FieldSpec['kind']>(['uscc', 'date', 'amount', 'enum', 'penalty-types', 'region', 'integer', 'boolean']);

/**
 * The SQL that validates and converts one part of a file. `input` is a FROM-clause expression yielding
 * _record_no, _source_line and the text columns c1…cN; `rawJson` rebuilds a rejected record from them.
 *
 * Shape, for speed: the part is read once (the materialised _jg_src); each code-like field is validated once per
 * distinct text into a small dictionary (_jg_dN); the same statement converts, checks and writes the passing records
 * straight into raw.<feed> without materialising a wide intermediate table. Only when some failed does a second
 * statement, with the same checks, collect them (_jg_bad).
 */
export function validationSql(
  feed: FeedSpec,
  m: SourceMapping,
  input: string,
  rawJson: string,
  headerOf: (field: string) => string | undefined,
  /** The row hash's algorithm (schemas/row-hash.ts); hmac-sha256 needs hmacParams bound to insertRaw. */
  alg: RowHashAlg = 'sha256',
): ValidationSql {
  const q = ident;
  const spec = (n: string) => feed.fields[n]!;
  const names = Object.keys(feed.fields);
  const present = (n: string) => m.columnOfField.has(n) || n in m.constants;
  const dict = names.filter((n) => present(n) && DICTIONARY_KINDS.has(spec(n).kind));
  const dictIndex = new Map(dict.map((n, i) => [n, i] as const));

  // Trimmed source text is materialised once: an expression referenced in several places is recomputed at each.
  const mapped = names.filter((n) => m.columnOfField.has(n));
  const text = (n: string) => (m.columnOfField.has(n) ? `src.${q(`s_${n}`)}` : sourceText(n, m));
  const inputs: string[] = [
    // Only the trimmed texts are kept; a rejected record's original text is read again from the input.
    `_jg_src as materialized (select _record_no, _source_line${mapped.map((n) => `, ${sourceText(n, m, 'i')} as ${q(`s_${n}`)}`).join('')} from ${input} i)`,
  ];
  // One small dictionary per code-like field, from its distinct texts.
  for (const n of dict) {
    const i = dictIndex.get(n)!;
    const f = fieldSql(spec(n), 's', 'n', 'v', m);
    let d = `select s, n, v, ${f.error} as e, ${f.warning ?? 'null::varchar'} as w
from (select s, n, ${f.value} as v
  from (select s, ${f.pre ?? 'null'} as n
    from (select distinct s from (select ${text(n)} as s from _jg_src src) where s is not null)))`;
    if (lenientField(spec(n))) {
      // An unknown code in an optional code list: NULL value, no error, a warning naming the field and its text.
      const unknown = `e = ${literal(UNKNOWN_CODE)}`;
      d = `select s, n, case when ${unknown} then null else v end as v, case when ${unknown} then null else e end as e,
  case when ${unknown} then ${literal(unknownCodeWarningPrefix(n))} || s else w end as w
from (${d})`;
    }
    inputs.push(`_jg_d${i} as materialized (\n${d})`);
  }

  // j: source text, converted value (and dictionary error) of every field, one row per record.
  const jCols: string[] = [];
  const joins: string[] = [];
  for (const n of names) {
    const s = text(n);
    if (!m.columnOfField.has(n)) jCols.push(`${s} as ${q(`s_${n}`)}`);
    const i = dictIndex.get(n);
    if (i !== undefined) {
      joins.push(`left join _jg_d${i} d${i} on d${i}.s = ${s}`);
      jCols.push(`d${i}.v as ${q(n)}`, `d${i}.e as ${q(`t_${n}`)}`, `d${i}.w as ${q(`w_${n}`)}`, `d${i}.n as ${q(`n_${n}`)}`);
    } else if (present(n)) {
      jCols.push(`${fieldSql(spec(n), s, 'null', 'null', m).value} as ${q(n)}`);
    } else {
      jCols.push(`null::${sqlType(spec(n))} as ${q(n)}`, `null::varchar as ${q(`n_${n}`)}`);
    }
  }
  const j = `select src._record_no, src._source_line, ${mapped.map((n) => `src.${q(`s_${n}`)}`).join(', ')}${mapped.length ? ',' : ''} ${jCols.join(',\n    ')}
  from _jg_src src
  ${joins.join('\n  ')}`;

  // The error of each field, required-ness included, tagged `reason|field|rule`. Each appears once in one COALESCE,
  // which DuckDB evaluates lazily: a field's check runs only for the records no earlier check failed. The
  // offending text is looked up for the (few) failing records only.
  const entries = names.map((n) => {
    const s = q(`s_${n}`);
    const req = requirement(n, spec(n), feed);
    const missing = req ? `when ${s} is null and (${req}) then 'missing-required' ` : '';
    const err = !present(n) ? 'null' : dictIndex.has(n) ? q(`t_${n}`) : fieldSql(spec(n), s, 'null', q(n), m).error;
    return `((case ${missing}when ${s} is null then null else ${err} end) || ${literal(`|${n}|`)})`;
  });
  const rules = (feed.rules ?? []).map((r, i) => `(case when ${r.sql} then ${literal(`${r.reason}|${r.field}|rule${i}`)} end)`);
  const textOf = names.map((n) => `when ${literal(n)} then ${q(`s_${n}`)}`);
  // j with the first failing check of each record (NULL when it passes): what insertRaw and findBad both read.
  const checked = `${inputs.join(',\n')},
j as (
  ${j}
), x as (
  select j.*, coalesce(${[...entries, ...rules].join(',\n    ')}) as err from j
)`;
  const findBad = `create or replace temp table _jg_bad as
with ${checked}, bad as (
  select * exclude (err), split_part(err, '|', 1) as err_code, split_part(err, '|', 2) as err_field,
    nullif(split_part(err, '|', 3), '') as err_rule
  from x where err is not null
)
select _record_no, err_code, err_field, err_rule, (case err_field ${textOf.join(' ')} end) as err_text from bad`;

  const warnCols = dict.filter((n) => spec(n).kind === 'uscc' || lenientField(spec(n))).map((n) => q(`w_${n}`));
  // Almost every record has no warning: build the list only when one exists.
  const warnings = warnCols.length
    ? `case when ${warnCols.map((w) => `${w} is not null`).join(' or ')} then list_filter([${warnCols.join(', ')}]::varchar[], w -> w is not null) end`
    : 'null::varchar[]';
  const hash = rowHashSql(feed, alg);
  const msg = messageSql(feed, headerOf);
  const cols = names.map(q);
  return {
    insertRaw: (b) =>
      `insert into raw.${q(feed.name)} (${[...cols, '_batch_id', '_record_no', '_source_line', '_row_hash', '_warnings'].join(', ')})
       with ${checked}
       select ${[...cols, b, '_record_no', '_source_line', hash, warnings].join(', ')}
       from x where err is null`,
    findBad,
    insertRejects: (b) =>
      `insert into meta.rejects (batch_id, record_no, source_line, reason_code, field, message, raw)
       select ${b}, src._record_no, src._source_line, e.err_code, e.err_field, ${msg}, ${rawJson}
       from _jg_bad e join ${input} src using (_record_no)`,
    cleanup: ['drop table if exists _jg_bad'],
  };
}
