// Generates the SQL that turns one file's text columns into canonical values, and the reason a record
// is rejected. One definition (the FeedSpec) drives it; the validators are the jg_* macros of
// schemas/validators/macros.ts, proven equal to their JS twins by tests.
import { literal, ident } from '../warehouse/sql.ts';
import type { EnumOption, FeedSpec, FieldSpec } from './fields.ts';
import { RECORD_REASONS } from './reasons.ts';

export interface SourceMapping {
  /** Column name in the staged text table for each mapped field. */
  columnOfField: Map<string, string>;
  constants: Record<string, string>;
  values: Record<string, Record<string, string>>;
  dateFormats: string[];
}

const SEPARATORS = "'[,，、;；/|]'";
const PLACEHOLDER = "'00000000000000000X'";

/** Text of a field after trimming, constants and the source's value map; NULL when empty. */
function sourceText(name: string, m: SourceMapping): string {
  const col = m.columnOfField.get(name);
  let expr: string;
  if (col !== undefined) expr = `nullif(trim(${ident(col)}, ' \t\u3000\r\n'), '')`;
  else if (name in m.constants) expr = literal(m.constants[name] ?? '');
  else expr = 'null::varchar';
  const map = m.values[name];
  if (map && Object.keys(map).length) {
    const whens = Object.entries(map).map(([from, to]) => `when ${literal(from)} then ${literal(to)}`);
    expr = `(case ${expr} ${whens.join(' ')} else ${expr} end)`;
  }
  return expr;
}

/** Every accepted spelling of a code-list value → its code, as a SQL CASE over the expression `x`. */
export function enumLookup(options: readonly EnumOption[], x: string): string {
  const seen = new Set<string>();
  const whens: string[] = [];
  for (const o of options) {
    const spellings = [...new Set([o.code, o.label, ...(o.aliases ?? [])])].filter((s) => !seen.has(s));
    for (const s of spellings) seen.add(s);
    if (spellings.length) whens.push(`when ${x} in (${spellings.map(literal).join(', ')}) then ${literal(o.code)}`);
  }
  return whens.length ? `(case ${whens.join(' ')} else null end)` : 'null::varchar';
}

/** Enum input normalisation: surrounding blanks and a trailing 的 carry no meaning. */
export function enumKey(x: string): string {
  return `regexp_replace(trim(${x}, ' \t\u3000'), '的$', '')`;
}

/** Code of a normalised key `k`; a leading 【tag】 (GSXT reason texts) names the code when the whole text does not. */
function enumValue(options: readonly EnumOption[], k: string): string {
  const tag = `regexp_extract(${k}, '^(【[^】]+】)', 1)`;
  return `coalesce(${enumLookup(options, k)}, case when starts_with(${k}, '【') then ${enumLookup(options, tag)} end)`;
}

interface FieldSql {
  /** An intermediate value computed once in stage `n` as column n_<field> (normalised text, mapped list). */
  pre?: string;
  /** Converted canonical value (stage `v`); may use n_<field>. */
  value: string;
  /** Reason code when the present text is invalid, NULL otherwise (stage `e`; may use the converted column). */
  error: string;
  /** Non-fatal warning code, or NULL. */
  warning?: string;
}

const BLANKS = "' \t\u3000'";

/** SQL for one field: `s` is its source text column, `n` its intermediate column, `v` its converted column. */
function fieldSql(f: FieldSpec, s: string, n: string, v: string, m: SourceMapping): FieldSql {
  switch (f.kind) {
    case 'text':
      return { value: s, error: f.max ? `case when length(${s}) > ${f.max} then 'too-long' end` : 'null' };
    case 'code': {
      const checks = [`when jg_excel_mangled(${s}) then 'excel-mangled-id'`];
      if (f.digits) checks.push(`when regexp_full_match(${s}, '[0-9]{1,${f.digits - 1}}') then 'excel-mangled-id'`);
      if (f.max) checks.push(`when length(${s}) > ${f.max} then 'too-long'`);
      if (f.pattern) checks.push(`when not regexp_matches(${s}, ${literal(f.pattern)}) then 'code-format'`);
      return { value: s, error: `case ${checks.join(' ')} end` };
    }
    case 'uscc':
      return {
        pre: `jg_uscc_norm(${s})`,
        value: `nullif(${n}, ${PLACEHOLDER})`,
        error: `case when jg_excel_mangled(${s}) then 'excel-mangled-id' else jg_uscc_reason(${n}) end`,
        warning: `jg_uscc_warn(${s})`,
      };
    case 'region':
      return {
        value: s,
        error: `case when jg_excel_mangled(${s}) then 'excel-mangled-id' when not regexp_full_match(${s}, '[0-9]{6}') or not jg_known_area(${s}) then 'region-invalid' end`,
      };
    case 'date': {
      const custom = m.dateFormats.map((fmt) => `try_strptime(${s}, ${literal(fmt)})::date`);
      const customFirst = custom.length ? `coalesce(${custom.join(', ')})` : null;
      const value = customFirst ? `coalesce(${customFirst}, jg_date(${s}))` : `jg_date(${s})`;
      const customOk = customFirst ? `when ${customFirst} is not null then null ` : '';
      const open = f.openEnded ? '' : `when jg_date_open(${s}) then 'date-format' `;
      const whens = customOk + open;
      return { value, error: whens ? `case ${whens}else jg_date_reason(${s}) end` : `jg_date_reason(${s})` };
    }
    case 'amount':
      return { value: `jg_amount(${s}, '${f.unit}')`, error: `jg_amount_reason(${s}, '${f.unit}')` };
    case 'integer': {
      const range = [f.min !== undefined ? `${v} < ${f.min}` : null, f.max !== undefined ? `${v} > ${f.max}` : null].filter(Boolean);
      return {
        value: `try_cast(${s} as integer)`,
        error: `case when ${v} is null then 'number-format'${range.length ? ` when ${range.join(' or ')} then 'number-range'` : ''} end`,
      };
    }
    case 'boolean':
      return {
        value: `(case when ${s} in ('是', 'Y', 'y', '1', 'true', 'TRUE', '有') then true when ${s} in ('否', 'N', 'n', '0', 'false', 'FALSE', '无') then false end)`,
        error: `case when ${v} is null then 'enum-invalid' end`,
      };
    case 'enum': {
      if (!f.multi) {
        return { pre: enumKey(s), value: enumValue(f.options, n), error: `case when ${v} is null then 'enum-invalid' end` };
      }
      const parts = `list_filter(string_split_regex(${s}, ${SEPARATORS}), p -> trim(p, ${BLANKS}) <> '')`;
      const exclusive = (f.exclusive ?? []).map((c) => ` when list_contains(${v}, ${literal(c)}) and len(${v}) > 1 then 'enum-exclusive'`);
      return {
        pre: `list_transform(${parts}, p -> ${enumValue(f.options, enumKey('p'))})`,
        value: `list_sort(list_distinct(${n}))`,
        error: `case when len(${n}) = 0 or list_count(${n}) < len(${n}) then 'enum-invalid'${exclusive.join('')} end`,
      };
    }
    case 'penalty-types':
      return { value: `jg_penalty_types(${s})`, error: `jg_penalty_reason(${s})` };
    case 'list': {
      const value = `list_transform(list_filter(string_split_regex(${s}, ${SEPARATORS}), p -> trim(p, ${BLANKS}) <> ''), p -> trim(p, ${BLANKS}))`;
      return { value, error: f.min ? `case when len(${v}) < ${f.min} then ${literal(f.minReason ?? 'list-too-short')} end` : 'null' };
    }
  }
}

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
function messageSql(feed: FeedSpec, m: SourceMapping, headerOf: (field: string) => string | undefined): string {
  const reasons = Object.entries(RECORD_REASONS).map(([code, text]) => `when ${literal(code)} then ${literal(text)}`);
  const fields = Object.entries(feed.fields).map(([name, f]) => {
    const h = headerOf(name);
    return `when ${literal(name)} then ${literal(`${f.label}${h && h !== f.label ? `（${h}）` : ''}`)}`;
  });
  const ruleMsgs = (feed.rules ?? []).map((r, i) => `when ${literal(`rule${i}`)} then ${literal(r.message)}`);
  return `(case e.err_field ${fields.join(' ')} else e.err_field end) || '：' || coalesce((case e.err_rule ${ruleMsgs.join(' ')} else null end), (case e.err_code ${reasons.join(' ')} else e.err_code end)) || coalesce('：' || e.err_text, '')`;
}

export interface ValidationSql {
  /** Creates temp table `target` from `input` (a FROM-clause expression yielding _record_no, _source_line and text columns c1…cN). */
  stage: string;
  /** Inserts the valid staged rows into raw.<feed>. */
  insertRaw: (batchParam: string) => string;
  /** Inserts the invalid staged rows into meta.rejects. */
  insertRejects: (batchParam: string) => string;
}

export function validationSql(
  feed: FeedSpec,
  m: SourceMapping,
  input: string,
  target: string,
  rawJson: string,
  headerOf: (field: string) => string | undefined,
): ValidationSql {
  const names = Object.keys(feed.fields);
  const src = names.map((n) => `${sourceText(n, m)} as ${ident(`s_${n}`)}`);
  const sqls = new Map(names.map((n) => [n, fieldSql(feed.fields[n]!, ident(`s_${n}`), ident(`n_${n}`), ident(n), m)] as const));
  const norms = names.filter((n) => sqls.get(n)!.pre).map((n) => `${sqls.get(n)!.pre} as ${ident(`n_${n}`)}`);
  const values = names.map((n) => `${sqls.get(n)!.value} as ${ident(n)}`);
  const fieldErrors = names.map((n) => {
    const f = feed.fields[n]!;
    const req = requirement(n, f, feed);
    const s = ident(`s_${n}`);
    const missing = req ? `when ${s} is null and (${req}) then 'missing-required' ` : '';
    return { name: n, expr: `(case ${missing}when ${s} is null then null else ${sqls.get(n)!.error} end)` };
  });
  const rules = (feed.rules ?? []).map((r, i) => ({ ...r, id: `rule${i}` }));
  const errCols = [...fieldErrors.map((e) => `${e.expr} as ${ident(`e_${e.name}`)}`)];
  const codeChain = [...fieldErrors.map((e) => ident(`e_${e.name}`)), ...rules.map((r) => `case when ${r.sql} then ${literal(r.reason)} end`)];
  const fieldChain = [
    ...fieldErrors.map((e) => `when ${ident(`e_${e.name}`)} is not null then ${literal(e.name)}`),
    ...rules.map((r) => `when ${r.sql} then ${literal(r.field)}`),
  ];
  const ruleChain = rules.map((r) => `when ${r.sql} then ${literal(r.id)}`);
  const textChain = fieldErrors.map((e) => `when ${ident(`e_${e.name}`)} is not null then ${ident(`s_${e.name}`)}`);
  const warnings = names.map((n) => sqls.get(n)!.warning).filter((w): w is string => !!w);
  // NULL is spelled \N so that NULL and the empty list hash differently.
  const hashParts = names.map((n) => `coalesce(${ident(n)}::varchar, '\\N')`);

  const stage = `
create or replace temp table ${ident(target)} as
with s as (
  select _record_no, _source_line, ${rawJson} as _raw, ${src.join(',\n    ')} from ${input}
), n as (
  select s.*${norms.length ? `, ${norms.join(', ')}` : ''} from s
), v as (
  select n.*, ${values.join(',\n    ')} from n
), e as (
  select v.*, ${errCols.join(',\n    ')},
    list_filter([${warnings.join(', ')}]::varchar[], w -> w is not null) as _warnings
  from v
), x as (
  select e.*, coalesce(${codeChain.join(', ')}) as err_code,
    (case ${fieldChain.join(' ')} end) as err_field,
    (case ${ruleChain.length ? ruleChain.join(' ') : 'when false then null'} end) as err_rule,
    (case ${textChain.join(' ')} end) as err_text,
    md5(concat_ws(chr(31), ${hashParts.join(', ')})) as _row_hash
  from e
)
select * from x`;
  const msg = messageSql(feed, m, headerOf);
  const cols = names.map(ident);
  return {
    stage,
    insertRaw: (b) =>
      `insert into raw.${ident(feed.name)} (${[...cols, '_batch_id', '_record_no', '_source_line', '_row_hash', '_warnings'].join(', ')})
       select ${[...cols, `${b}`, '_record_no', '_source_line', '_row_hash', 'case when len(_warnings) > 0 then _warnings end'].join(', ')}
       from ${ident(target)} where err_code is null order by _record_no`,
    insertRejects: (b) =>
      `insert into meta.rejects (batch_id, record_no, source_line, reason_code, field, message, raw)
       select ${b}, _record_no, _source_line, e.err_code, e.err_field, ${msg}, _raw
       from ${ident(target)} as e where err_code is not null order by _record_no`,
  };
}
