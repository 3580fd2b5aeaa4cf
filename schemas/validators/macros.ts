// The validators as DuckDB macros, for the ingest path (read_csv as VARCHAR → generated SQL calls jg_*).
// Generated from the same constants as the JS functions; macros.test.ts checks both give identical answers.
//
// Shape of the SQL, and why:
// - A macro is pasted in wherever it is called, argument expression included, and DuckDB does not share common
//   sub-expressions inside CASE. So each public macro references its expensive inner result exactly once:
//   a "core" macro returns one VARCHAR (a value, 'open', or a reason code) and the wrappers pick from it with
//   single-reference functions (try_cast, regexp_extract, =). Where a value is needed several times it is bound
//   once with `list_transform([expr], lambda jg__x: …)[1]` (lambda names carry the jg__ prefix so they cannot
//   capture a caller's column passed in as a macro argument).
// - No macro raises on data: casts are try_cast, dates are validated before they are built, CASE branches only run
//   for the rows that reach them. The one deliberate error: jg_amount* with a unit other than 'wan'/'yuan', which
//   is a bug in the calling SQL rather than bad data.
// - jg_uscc_reason takes an already normalised code and reads it ~40 times: give it a column
//   (`jg_uscc_norm(raw) as uscc` in one step, `jg_uscc_reason(uscc)` in the next), not `jg_uscc_reason(jg_uscc_norm(raw))`.

import { literal } from '../../warehouse/sql.ts';
import { AMOUNT_SCALE, AMOUNT_SHAPE, MAX_FEN_DIGITS } from './amounts.ts';
import { DATE_SHAPE, MAX_EXCEL_SERIAL, MAX_YEAR, MIN_YEAR, OPEN_ENDED_DATE, OPEN_ENDED_TEXTS, SERIAL_SHAPE } from './dates.ts';
import { SCIENTIFIC_SHAPE } from './identifiers.ts';
import { BRACKET_PATTERN, CLASS6_PATTERN, OTHER_TYPE, PENALTY_SYNONYMS, PENALTY_TYPES, SPLIT_PATTERN } from './penalty-categories.ts';
import { HOME_PREFIX, NATIONAL_AREA, PROVINCE_PREFIXES, REGIONS } from './regions.ts';
import { sqlFullwidthToAscii, sqlList, sqlTrimBlank, sqlUpperAscii } from './text.ts';
import { DEPT_CATEGORY_PAIRS, ORG_WEIGHTS, USCC_ALPHABET, USCC_PATTERN, USCC_PLACEHOLDER, USCC_WEIGHTS } from './uscc.ts';

const inList = (values: readonly string[]) => `(${values.map(literal).join(', ')})`;

// ---- credit code ----

// Lookup lists indexed by ord(c) - 47, i.e. '0' → 1 … 'Y' → 42; only reached after the charset check.
const ORD_RANGE = Array.from({ length: 'Y'.charCodeAt(0) - 47 }, (_, i) => String.fromCharCode(48 + i));
const USCC_VALUES = `[${ORD_RANGE.map((c) => Math.max(USCC_ALPHABET.indexOf(c), 0)).join(', ')}]`;
const ORG_VALUES = `[${ORD_RANGE.map((c) => (/[0-9]/.test(c) ? c.charCodeAt(0) - 48 : /[A-Z]/.test(c) ? c.charCodeAt(0) - 55 : 0)).join(', ')}]`;
// Stand-alone organisation codes (GB 11714) may use Z, which credit codes never do: '0' → 1 … 'Z' → 43.
const ORG_CODE_VALUES = `[${Array.from({ length: 'Z'.charCodeAt(0) - 47 }, (_, i) => (i < 10 ? i : i >= 17 ? i - 7 : 0)).join(', ')}]`;
// r = 11 − S mod 11 ∈ 1..11; 10 → X, 11 → 0
const ORG_CHECK_CHARS = sqlList(['1', '2', '3', '4', '5', '6', '7', '8', '9', 'X', '0']);

const charAt = (n: string, pos: number) => `ord(substr(${n}, ${pos}, 1))`;

function usccSql(): string {
  const n = 'n';
  const pattern = USCC_PATTERN.source.replace(/^\^/, '').replace(/\$$/, '');
  // (S17 + v18) mod 31 = 0  ⇔  v18 = (31 − S17 mod 31) mod 31
  const mod31 = [...USCC_WEIGHTS, 1].map((w, i) => `${USCC_VALUES}[${charAt(n, i + 1)} - 47] * ${w}`).join(' + ');
  const org = ORG_WEIGHTS.map((w, i) => `${ORG_VALUES}[${charAt(n, i + 9)} - 47] * ${w}`).join(' + ');
  const orgCode = ORG_WEIGHTS.map((w, i) => `${ORG_CODE_VALUES}[${charAt('c', i + 1)} - 47] * ${w}`).join(' + ');
  const otherPrefixes = PROVINCE_PREFIXES.filter((p) => p !== HOME_PREFIX);
  const codes = [...REGIONS.keys()].sort();
  return `
-- DuckDB's translate() builds its map per row (≈4 s per 1M rows for the full-width table), so codes already
-- clean take a regex fast path and only codes with full-width characters pay for the translation
create or replace macro jg_uscc_norm(s) as
  case
    when regexp_full_match(s, '[0-9A-Z]+') then s
    else nullif(${sqlUpperAscii(sqlTrimBlank(`case when regexp_matches(s, '[\uff01-\uff5e\u3000]') then ${sqlFullwidthToAscii('s')} else s end`))}, '')
  end;

-- full-width a–z count as lower case too (they become a–z before upper-casing)
create or replace macro jg_uscc_warn(s) as
  case
    when regexp_matches(s, '[a-z\uff41-\uff5a]') then 'uscc-lowercase'
    when regexp_matches(s, '[\uff01-\uff5e]') then 'uscc-fullwidth'
  end;

create or replace macro jg__area_ok(a) as
  a in ${inList(codes)}
  or substr(a, 1, 2) in ${inList(otherPrefixes)}
  or a = ${literal(NATIONAL_AREA)};

create or replace macro jg_known_area(a) as
  regexp_full_match(a, '[0-9]{6}') and jg__area_ok(a);

create or replace macro jg_uscc_reason(n) as
  case
    when n is null or n = '' or n = ${literal(USCC_PLACEHOLDER)} then null
    when length(n) <> 18 then 'uscc-length'
    when not regexp_full_match(n, ${literal(pattern)}) then 'uscc-charset'
    when substr(n, 1, 2) not in ${inList(DEPT_CATEGORY_PAIRS)} then 'uscc-dept-category'
    when (${mod31}) % 31 <> 0 then 'uscc-check'
    when substr(n, 17, 1) <> ${ORG_CHECK_CHARS}[11 - (${org}) % 11] then 'uscc-org-check'
    when not jg__area_ok(substr(n, 3, 6)) then 'uscc-area'
  end;

-- a 9-character organisation code (GB 11714, 8 characters + check character, no hyphen) whose check character
-- is right; FALSE for anything else, NULL included
create or replace macro jg_org_code_ok(c) as
  coalesce(regexp_full_match(c, '[0-9A-Z]{8}[0-9X]') and substr(c, 9, 1) = ${ORG_CHECK_CHARS}[11 - (${orgCode}) % 11], false);
`;
}

// ---- dates ----

function datesSql(): string {
  const t = 'jg__t';
  // DATE_SHAPE has been matched, so the first three digit runs are y, m, d (compact: 4+2+2 digits)
  const ymd = `regexp_replace(${t}, '^([0-9]{4})[^0-9]?([0-9]{1,2})[^0-9]?([0-9]{1,2}).*$', '\\1-\\2-\\3')`;
  const yearRange = `^(?:${yearPattern(MIN_YEAR, MAX_YEAR)})-[0-9]{2}-[0-9]{2}$`;
  const open = literal(OPEN_ENDED_DATE);
  return `
-- '2024-3-5' → '2024-03-05' via the date cast (fed only regex-built strings: the cast ignores trailing junk);
-- NULL for impossible days, '' for years out of range
create or replace macro jg__date_iso(d) as
  replace(coalesce(nullif(regexp_extract(cast(try_cast(d as date) as varchar), ${literal(yearRange)}), ''), 'date-impossible'), ${open}, 'open');

-- Excel day numbers: 60 is the 1900-02-29 that never was; before it, day n is 1899-12-31 + n
create or replace macro jg__date_serial(n) as
  case
    when n < 1 or n > ${MAX_EXCEL_SERIAL} then 'date-format'
    when n = 60 then 'date-impossible'
    else replace(cast(date '1899-12-30' + (n + (n < 60)::integer) as varchar), ${open}, 'open')
  end;

-- 'YYYY-MM-DD', 'open', 'date-format', 'date-impossible', '' (blank) or NULL
create or replace macro jg__date_core(s) as
  list_transform([${sqlTrimBlank('s')}], lambda ${t}:
    case
      when ${t} is null then null
      when ${t} = '' then ''
      when ${t} in ${inList(OPEN_ENDED_TEXTS)} then 'open'
      when regexp_full_match(${t}, ${literal(DATE_SHAPE)}) then jg__date_iso(${ymd})
      when regexp_full_match(${t}, ${literal(SERIAL_SHAPE)}) then jg__date_serial(try_cast(split_part(${t}, '.', 1) as integer))
      else 'date-format'
    end)[1];

create or replace macro jg_date(s) as try_cast(jg__date_core(s) as date);

create or replace macro jg_date_reason(s) as nullif(regexp_extract(jg__date_core(s), '^date-[a-z]+$'), '');

create or replace macro jg_date_open(s) as jg__date_core(s) = 'open';
`;
}

/** A regex matching the 4-digit years lo..hi (both 1900..2999 here). */
function yearPattern(lo: number, hi: number): string {
  return Array.from({ length: hi - lo + 1 }, (_, i) => String(lo + i)).join('|');
}

// ---- amounts ----

function amountsSql(): string {
  const m = 'jg__m';
  const wan = `(case when ${m}.suffix = '' then jg__u = 'wan' else ${m}.suffix <> '元' end)`;
  const scale = `(case when ${wan} then ${AMOUNT_SCALE.wan} else ${AMOUNT_SCALE.yuan} end)`;
  const int = `replace(${m}.int, ',', '')`;
  const frac = `regexp_replace(${m}.frac, '0+$', '')`;
  return `
-- fen digits without leading zeros ('' = 0) → 'yuan.ff'
create or replace macro jg__amount_fen(f) as
  case
    when length(f) > ${MAX_FEN_DIGITS} then 'amount-precision'
    else regexp_replace('000' || f, '^0*([0-9]+)([0-9]{2})$', '\\1.\\2')
  end;

-- yuan as 'digits.dd', or a reason code, '' (blank) or NULL. unit must be 'wan' or 'yuan' (a programming error otherwise).
create or replace macro jg__amount_core(s, unit) as
  list_transform([${sqlTrimBlank(sqlFullwidthToAscii('s'))}], lambda jg__t:
    case
      when unit is null or unit not in ('wan', 'yuan') then error('jg_amount: unit must be ''wan'' or ''yuan''')
      when jg__t is null then null
      when jg__t = '' then ''
      when not regexp_full_match(jg__t, ${literal(AMOUNT_SHAPE)}) then 'amount-format'
      else list_transform([regexp_extract(jg__t, ${literal(AMOUNT_SHAPE)}, ['sign', 'int', 'frac', 'suffix'])], lambda ${m}:
        list_transform([unit], lambda jg__u:
          case
            when ${m}.sign = '-' and regexp_matches(${int} || ${frac}, '[1-9]') then 'amount-negative'
            when length(${frac}) > ${scale} then 'amount-precision'
            else jg__amount_fen(ltrim(${int} || rpad(${frac}, ${scale}, '0'), '0'))
          end)[1])[1]
    end)[1];

create or replace macro jg_amount(s, unit) as try_cast(jg__amount_core(s, unit) as decimal(18, 2));

create or replace macro jg_amount_reason(s, unit) as nullif(regexp_extract(jg__amount_core(s, unit), '^amount-[a-z]+$'), '');
`;
}

// ---- penalty categories ----

function penaltySql(): string {
  const index = new Map(PENALTY_TYPES.map((t, i) => [t.name, i + 1]));
  const entries = Object.entries(PENALTY_SYNONYMS).map(([token, names]) => `${literal(token)}: [${names.map((n) => index.get(n)).join(', ')}]`);
  const vocab = sqlList(PENALTY_TYPES.map((t) => t.name));
  const tokens = `list_filter(regexp_split_to_array(regexp_replace(regexp_replace(${sqlTrimBlank('s')}, ${literal(CLASS6_PATTERN)}, ${literal(OTHER_TYPE)}, 'g'), ${literal(BRACKET_PATTERN)}, '', 'g'), ${literal(SPLIT_PATTERN)}), lambda jg__x: jg__x <> '')`;
  return `
-- per token: vocabulary positions, NULL when unknown
create or replace macro jg__penalty_ids(s) as
  list_transform(${tokens}, lambda jg__x:
    case when starts_with(jg__x, ${literal(OTHER_TYPE)}) then [${index.get(OTHER_TYPE)}] else map {${entries.join(', ')}}[jg__x] end);

create or replace macro jg_penalty_types(s) as
  list_transform([jg__penalty_ids(s)], lambda jg__l:
    case
      when len(list_filter(jg__l, lambda jg__x: jg__x is null)) > 0 then null
      else list_transform(list_sort(list_distinct(flatten(jg__l))), lambda jg__i: ${vocab}[jg__i])
    end)[1];

create or replace macro jg_penalty_reason(s) as
  case when s is not null and jg_penalty_types(s) is null then 'enum-invalid' end;
`;
}

// ---- identifiers ----

function identifiersSql(): string {
  return `
create or replace macro jg_excel_mangled(s) as
  -- Cheap pre-test: scientific notation needs an E, and most identifiers have none.
  case when contains(s, 'E') or contains(s, 'e') then regexp_full_match(${sqlTrimBlank('s')}, ${literal(SCIENTIFIC_SHAPE)}) else s is null and null end;

create or replace macro jg_lost_leading_zeros(s, digits) as
  list_transform([${sqlTrimBlank('s')}], lambda jg__t: regexp_full_match(jg__t, '[0-9]+') and length(jg__t) < digits)[1];
`;
}

/** All jg_* macros (and their jg__* helpers), as one script for `wh.runScript`. Idempotent. */
export function validatorMacrosSql(): string {
  return `${[usccSql(), datesSql(), amountsSql(), penaltySql(), identifiersSql()].join('\n').trim()}\n`;
}

/** Public macro signatures, for docs and the test that every one exists. */
export const VALIDATOR_MACROS: readonly string[] = [
  'jg_uscc_norm(s)',
  'jg_uscc_warn(s)',
  'jg_uscc_reason(n)',
  'jg_known_area(a)',
  'jg_org_code_ok(c)',
  'jg_date(s)',
  'jg_date_reason(s)',
  'jg_date_open(s)',
  'jg_amount(s, unit)',
  'jg_amount_reason(s, unit)',
  'jg_penalty_types(s)',
  'jg_penalty_reason(s)',
  'jg_excel_mangled(s)',
  'jg_lost_leading_zeros(s, digits)',
];
