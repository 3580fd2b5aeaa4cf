// The JS twin of schemas/to-sql.ts: converts one record's source texts to canonical values, or names the first
// failing field and reason, with the same rules in the same order. It backs the zod record schemas
// (schemas/to-zod.ts) and is tested against the SQL path on whole generated landing zones.
import { type EnumOption, type FeedSpec, type FieldSpec, lenientField, UNKNOWN_CODE, unknownCodeWarningPrefix } from './fields.ts';
import { parseAmount } from './validators/amounts.ts';
import { parseDate } from './validators/dates.ts';
import { excelMangled } from './validators/identifiers.ts';
import { mapPenaltyCategories } from './validators/penalty-categories.ts';
import { isKnownArea } from './validators/regions.ts';
import { codePointLength } from './validators/text.ts';
import { checkUscc, normalizeUscc, USCC_PLACEHOLDER } from './validators/uscc.ts';

export type Canonical = string | number | boolean | string[] | null;

export type RecordResult = { ok: true; values: Record<string, Canonical>; warnings: string[] } | { ok: false; reason: string; field: string };

const SEPARATORS = /[,，、;；/|]/;
const trimChars = (s: string, chars: string) => {
  let a = 0;
  let b = s.length;
  while (a < b && chars.includes(s[a]!)) a++;
  while (b > a && chars.includes(s[b - 1]!)) b--;
  return s.slice(a, b);
};
const BLANKS = ' \t\u3000';

/** Source text as the SQL path sees it: trimmed of spaces, empty → null. */
export function sourceText(raw: string | null | undefined): string | null {
  if (raw === null || raw === undefined) return null;
  const t = trimChars(raw, ' ');
  return t === '' ? null : t;
}

function lookup(options: readonly EnumOption[], x: string): string | null {
  for (const o of options) if (o.code === x || o.label === x || (o.aliases ?? []).includes(x)) return o.code;
  return null;
}

function enumValue(options: readonly EnumOption[], raw: string): string | null {
  const k = trimChars(raw, BLANKS).replace(/的$/, '');
  const direct = lookup(options, k);
  if (direct !== null || !k.startsWith('【')) return direct;
  const tag = /^(【[^】]+】)/.exec(k)?.[1] ?? '';
  return lookup(options, tag);
}

type FieldResult = { value: Canonical; error: string | null; warning?: string | null; normalized?: string | null };

function convert(f: FieldSpec, s: string): FieldResult {
  switch (f.kind) {
    case 'text':
      return { value: s, error: f.max && codePointLength(s) > f.max ? 'too-long' : null };
    case 'code': {
      let error: string | null = null;
      if (excelMangled(s)) error = 'excel-mangled-id';
      else if (f.digits && new RegExp(`^[0-9]{1,${f.digits - 1}}$`).test(s)) error = 'excel-mangled-id';
      else if (f.max && codePointLength(s) > f.max) error = 'too-long';
      else if (f.pattern && !new RegExp(f.pattern).test(s)) error = 'code-format';
      return { value: s, error };
    }
    case 'uscc': {
      const n = normalizeUscc(s).value;
      const r = checkUscc(s);
      const error = excelMangled(s) ? 'excel-mangled-id' : r.ok ? null : r.reason;
      return { value: n === USCC_PLACEHOLDER ? null : n || null, error, warning: r.ok ? (r.warnings[0] ?? null) : null, normalized: n };
    }
    case 'region':
      return { value: s, error: excelMangled(s) ? 'excel-mangled-id' : /^[0-9]{6}$/.test(s) && isKnownArea(s) ? null : 'region-invalid' };
    case 'date': {
      const r = parseDate(s);
      if (!r.ok) return { value: null, error: r.reason };
      if (r.openEnded && !f.openEnded) return { value: null, error: 'date-format' };
      return { value: r.value, error: null };
    }
    case 'amount': {
      const r = parseAmount(s, f.unit);
      return r.ok ? { value: r.value, error: null } : { value: null, error: r.reason };
    }
    case 'integer': {
      const ok = /^[+-]?[0-9]+$/.test(s) && Math.abs(Number(s)) <= 2 ** 31 - 1;
      const v = ok ? Number(s) : null;
      const out = v !== null && ((f.min !== undefined && v < f.min) || (f.max !== undefined && v > f.max));
      return { value: v, error: v === null ? 'number-format' : out ? 'number-range' : null };
    }
    case 'boolean': {
      const v = ['是', 'Y', 'y', '1', 'true', 'TRUE', '有'].includes(s)
        ? true
        : ['否', 'N', 'n', '0', 'false', 'FALSE', '无'].includes(s)
          ? false
          : null;
      return { value: v, error: v === null ? 'enum-invalid' : null };
    }
    case 'enum': {
      if (!f.multi) {
        const v = enumValue(f.options, s);
        return { value: v, error: v === null ? 'enum-invalid' : null };
      }
      const joined = f.options
        .flatMap((o) => [o.label, ...(o.aliases ?? [])].filter((sp) => SEPARATORS.test(sp)).map((sp) => [sp, o.code] as const))
        .sort((a, b) => b[0].length - a[0].length)
        .reduce((text, [sp, code]) => text.replaceAll(sp, code), s);
      const mapped = joined
        .split(SEPARATORS)
        .filter((p) => trimChars(p, BLANKS) !== '')
        .map((p) => enumValue(f.options, p));
      const value = [...new Set(mapped.filter((x): x is string => x !== null))].sort();
      let error: string | null = null;
      if (mapped.length === 0 || mapped.includes(null)) error = 'enum-invalid';
      else if ((f.exclusive ?? []).some((c) => value.includes(c)) && value.length > 1) error = 'enum-exclusive';
      return { value, error };
    }
    case 'penalty-types': {
      const r = mapPenaltyCategories(s);
      return r.ok ? { value: r.types, error: null } : { value: null, error: r.reason };
    }
    case 'list': {
      const value = s
        .split(SEPARATORS)
        .filter((p) => trimChars(p, BLANKS) !== '')
        .map((p) => trimChars(p, BLANKS));
      return { value, error: f.min && value.length < f.min ? (f.minReason ?? 'list-too-short') : null };
    }
  }
}

/** An unknown code in an optional code-list field: the field becomes NULL, the record keeps a warning. */
function lenient(name: string, f: FieldSpec, s: string): FieldResult {
  const r = convert(f, s);
  return r.error === UNKNOWN_CODE && lenientField(f) ? { value: null, error: null, warning: unknownCodeWarningPrefix(name) + s } : r;
}

/** `texts`: canonical field → source text (after the source's column mapping, constants and value maps). */
export function convertRecord(feed: FeedSpec, texts: Record<string, string | null | undefined>): RecordResult {
  const names = Object.keys(feed.fields);
  const src = Object.fromEntries(names.map((n) => [n, sourceText(texts[n])]));
  const results = new Map<string, FieldResult | null>(names.map((n) => [n, src[n] === null ? null : lenient(n, feed.fields[n]!, src[n]!)]));
  const values = Object.fromEntries(names.map((n) => [n, results.get(n)?.value ?? null]));
  for (const n of names) {
    const f = feed.fields[n]!;
    const r = results.get(n);
    if (r === null || r === undefined) {
      const req = f.required;
      const needed =
        req === true ||
        (typeof req === 'object' &&
          ('placeholder' in req ? results.get(req.field)?.normalized === USCC_PLACEHOLDER : req.in.includes(String(values[req.field]))));
      if (needed) return { ok: false, reason: 'missing-required', field: n };
      continue;
    }
    if (r.error) return { ok: false, reason: r.error, field: n };
  }
  for (const rule of feed.rules ?? []) if (rule.js(values)) return { ok: false, reason: rule.reason, field: rule.field };
  const warnings = names.map((n) => results.get(n)?.warning).filter((w): w is string => !!w);
  return { ok: true, values, warnings };
}
