// The SQL of one field: its source text (trimmed, constants and value maps applied), its canonical value, and
// the reason it is refused. validationSql (to-sql.ts) assembles these per feed.
import { ident, literal } from '../warehouse/sql.ts';
import type { EnumOption, FieldSpec } from './fields.ts';

export interface SourceMapping {
  /** Column name in the staged text table for each mapped field. */
  columnOfField: Map<string, string>;
  constants: Record<string, string>;
  values: Record<string, Record<string, string>>;
  dateFormats: string[];
  /** False when no source text begins or ends with a space (the scanner knows), so trimming can be skipped. */
  trim?: boolean;
}

const SEPARATORS = "'[,，、;；/|]'";
export const PLACEHOLDER = "'00000000000000000X'";

/** Text of a field after trimming, constants and the source's value map; NULL when empty or absent. */
export function sourceText(name: string, m: SourceMapping, alias = 'src'): string {
  const col = m.columnOfField.get(name);
  let expr: string;
  // Plain trim() is several times cheaper than trimming a character set; validators trim other blanks themselves.
  if (col !== undefined) expr = m.trim === false ? `nullif(${alias}.${ident(col)}, '')` : `nullif(trim(${alias}.${ident(col)}), '')`;
  else if (name in m.constants) expr = literal(m.constants[name] ?? '');
  else return 'null::varchar';
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

export interface FieldSql {
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
export function fieldSql(f: FieldSpec, s: string, n: string, v: string, m: SourceMapping): FieldSql {
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
      // Parse once (stage n); the costlier reason is only computed for the rows that did not parse.
      const custom = m.dateFormats.map((fmt) => `try_strptime(${s}, ${literal(fmt)})::date`);
      const open = f.openEnded ? `when jg_date_open(${s}) then null` : `when jg_date_open(${s}) then 'date-format'`;
      return {
        pre: custom.length ? `coalesce(${[...custom, `jg_date(${s})`].join(', ')})` : `jg_date(${s})`,
        value: n,
        error: `case when ${n} is not null then null ${open} else coalesce(jg_date_reason(${s}), 'date-format') end`,
      };
    }
    case 'amount':
      return {
        pre: `jg_amount(${s}, '${f.unit}')`,
        value: n,
        error: `case when ${n} is null then coalesce(jg_amount_reason(${s}, '${f.unit}'), 'amount-format') end`,
      };
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
      // Labels that contain a separator (失信情形 texts with 、) become their code before the text is split.
      const joined = f.options
        .flatMap((o) => [o.label, ...(o.aliases ?? [])].filter((sp) => /[,，、;；/|]/.test(sp)).map((sp) => [sp, o.code] as const))
        .sort((a, b) => b[0].length - a[0].length)
        .reduce((text, [sp, code]) => `replace(${text}, ${literal(sp)}, ${literal(code)})`, s);
      const parts = `list_filter(string_split_regex(${joined}, ${SEPARATORS}), p -> trim(p, ${BLANKS}) <> '')`;
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
