// 统一社会信用代码 (GB 32100-2015). Rules and worked examples: GB 32100-2015 and its annex.
// The SQL twin (macros.ts, jg_uscc_*) must give the same answer for every input; macros.test.ts holds them to it.

import { isKnownArea } from './regions.ts';
import { codePointLength, fullwidthToAscii, hasFullwidth, trimBlank, upperAscii } from './text.ts';

/** The 31 characters of a credit code; a character's value is its index. No I, O, S, V, Z. */
export const USCC_ALPHABET = '0123456789ABCDEFGHJKLMNPQRTUWXY';

/** Some feeds put this in place of a missing code (个体工商户 without one): it means "no code", not a bad code. */
export const USCC_PLACEHOLDER = '00000000000000000X';

/** 3^(i-1) mod 31 for positions 1..17. */
export const USCC_WEIGHTS: readonly number[] = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];

/** 2^(9-i) mod 11 for organisation-code body positions 1..8 (GB 11714). */
export const ORG_WEIGHTS: readonly number[] = [3, 7, 9, 10, 5, 8, 4, 2];

/** 登记管理部门码 → allowed 机构类别码 (GB 32100 annex). */
export const DEPT_CATEGORIES: Readonly<Record<string, string>> = {
  '1': '1239',
  '2': '19',
  '3': '123459',
  '4': '19',
  '5': '1239',
  '6': '129',
  '7': '129',
  '8': '19',
  '9': '123',
  A: '19',
  N: '1239',
  Y: '1',
};

/** Every valid two-character prefix, in table order (the SQL macro takes this list verbatim). */
export const DEPT_CATEGORY_PAIRS: readonly string[] = Object.entries(DEPT_CATEGORIES).flatMap(([d, cs]) => [...cs].map((c) => d + c));

/** Shape only; positions 17 and 18 are checked by their check characters. */
export const USCC_PATTERN = /^[0-9A-HJ-NPQRTUWXY]{2}[0-9]{6}[0-9A-HJ-NPQRTUWXY]{10}$/;

export type UsccWarning = 'uscc-lowercase' | 'uscc-fullwidth';

export type UsccReason = 'uscc-length' | 'uscc-charset' | 'uscc-check' | 'uscc-org-check' | 'uscc-dept-category' | 'uscc-area';

export type UsccResult =
  | { ok: true; value: string | null; placeholder: boolean; warnings: string[] }
  | { ok: false; reason: UsccReason; message: string };

/**
 * Trim, fold full-width ASCII to ASCII, upper-case a–z. Warnings say what was repaired, in this order:
 * 'uscc-lowercase' before 'uscc-fullwidth' (jg_uscc_warn reports the first).
 */
export function normalizeUscc(raw: string): { value: string; warnings: string[] } {
  const warnings: string[] = [];
  const folded = trimBlank(fullwidthToAscii(raw));
  if (/[a-z]/.test(folded)) warnings.push('uscc-lowercase');
  if (hasFullwidth(raw)) warnings.push('uscc-fullwidth');
  return { value: upperAscii(folded), warnings };
}

function usccValue(c: string): number {
  const v = USCC_ALPHABET.indexOf(c);
  if (v < 0 || c.length !== 1) throw new RangeError(`not a credit-code character: ${JSON.stringify(c)}`);
  return v;
}

/** Position-18 check character for the first 17 characters (ISO 7064 MOD 31-3). */
export function usccCheckChar(first17: string): string {
  if (first17.length !== 17) throw new RangeError(`need 17 characters, got ${first17.length}`);
  let s = 0;
  for (let i = 0; i < 17; i++) s += usccValue(first17[i]!) * USCC_WEIGHTS[i]!;
  return USCC_ALPHABET[(31 - (s % 31)) % 31]!;
}

/** Check character of an 8-character organisation-code body (GB 11714: 0–9, A=10 … Z=35). */
export function orgCodeCheckChar(body8: string): string {
  if (!/^[0-9A-Z]{8}$/.test(body8)) throw new RangeError(`organisation-code body must be 8 of [0-9A-Z]: ${JSON.stringify(body8)}`);
  let s = 0;
  for (let i = 0; i < 8; i++) {
    const c = body8.charCodeAt(i);
    s += (c <= 57 ? c - 48 : c - 55) * ORG_WEIGHTS[i]!;
  }
  const r = 11 - (s % 11);
  return r === 10 ? 'X' : r === 11 ? '0' : String(r);
}

/** Validate a credit code. Check order (the SQL macro uses the same): length, charset, dept/category, MOD 31, org check, area. */
export function checkUscc(raw: string): UsccResult {
  const { value, warnings } = normalizeUscc(raw);
  // blank = absent; whether the field is required is decided elsewhere ('missing-required')
  if (value === '') return { ok: true, value: null, placeholder: false, warnings };
  if (value === USCC_PLACEHOLDER) return { ok: true, value: null, placeholder: true, warnings };
  const len = codePointLength(value);
  if (len !== 18) return fail('uscc-length', `长度应为18位，实为${len}位`);
  if (!USCC_PATTERN.test(value)) {
    const [at, c] = firstBadChar(value);
    return fail('uscc-charset', `第${at + 1}位含非法字符“${c}”`);
  }
  const dept = value[0]!;
  const category = value[1]!;
  if (!DEPT_CATEGORIES[dept]?.includes(category)) {
    return fail('uscc-dept-category', `登记管理部门码${dept}与机构类别码${category}不匹配`);
  }
  const c18 = usccCheckChar(value.slice(0, 17));
  if (value[17] !== c18) return fail('uscc-check', `校验位应为${c18}，实为${value[17]}`);
  const c17 = orgCodeCheckChar(value.slice(8, 16));
  if (value[16] !== c17) return fail('uscc-org-check', `组织机构代码校验位应为${c17}，实为${value[16]}`);
  const area = value.slice(2, 8);
  if (!isKnownArea(area)) return fail('uscc-area', `登记管理机关行政区划码${area}无效`);
  return { ok: true, value, placeholder: false, warnings };
}

function fail(reason: UsccReason, message: string): UsccResult {
  return { ok: false, reason, message };
}

// The operator wants to see which character is wrong; positions count code points, as the length check does.
function firstBadChar(value: string): [number, string] {
  const chars = [...value];
  for (let i = 0; i < chars.length; i++) {
    const c = chars[i]!;
    const ok = i >= 2 && i < 8 ? /^[0-9]$/.test(c) : c.length === 1 && USCC_ALPHABET.includes(c);
    if (!ok) return [i, c];
  }
  return [0, chars[0] ?? ''];
}

/**
 * A valid credit code from its first 8 characters (dept, category, area) and the 8-character organisation body;
 * fills in both check characters. For fixtures; throws on characters outside the alphabet.
 */
export function makeUscc(prefix8: string, body8: string): string {
  if (!/^[0-9A-HJ-NPQRTUWXY]{2}[0-9]{6}$/.test(prefix8)) throw new RangeError(`bad credit-code prefix: ${JSON.stringify(prefix8)}`);
  if (!/^[0-9A-HJ-NPQRTUWXY]{8}$/.test(body8)) throw new RangeError(`bad organisation body: ${JSON.stringify(body8)}`);
  const first17 = prefix8 + body8 + orgCodeCheckChar(body8);
  return first17 + usccCheckChar(first17);
}
