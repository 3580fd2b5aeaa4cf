// Dates as the feeds send them: ISO, slashes, dots, 年月日, compact, datetimes and Excel serials.
// Pure arithmetic on purpose: `new Date(string)` parses in the local time zone and rolls 2024-02-30 into March.
// The patterns are exported because the SQL twin (jg_date*) uses the very same strings; they stick to syntax
// that JS and RE2 read alike ([0-9] not \d, no back-references).

import { trimBlank } from './text.ts';

export type DateResult =
  | { ok: true; value: string | null /* 'YYYY-MM-DD'; null = open-ended or blank */; openEnded: boolean }
  | { ok: false; reason: 'date-format' | 'date-impossible'; message: string };

/** 双公示 feeds write this for "no expiry" (长期). */
export const OPEN_ENDED_DATE = '2099-12-31';

/** Texts meaning "no end date". */
export const OPEN_ENDED_TEXTS: readonly string[] = ['长期', '长期有效', '永久', '无固定期限'];

export const MIN_YEAR = 1900;
export const MAX_YEAR = 2100;

/** Largest Excel serial accepted: 2099-12-31. */
export const MAX_EXCEL_SERIAL = 73050;

const TIME = '(?:[01]?[0-9]|2[0-3]):[0-5][0-9](?::[0-5][0-9](?:\\.[0-9]{1,9})?)?(?:Z|[+-][0-9]{2}(?::?[0-9]{2})?)?';

/** Every accepted calendar shape, optionally followed by a time (ignored, including any offset). */
export const DATE_SHAPE =
  '^(?:[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}|[0-9]{4}/[0-9]{1,2}/[0-9]{1,2}|[0-9]{4}\\.[0-9]{1,2}\\.[0-9]{1,2}' +
  `|[0-9]{4}年[0-9]{1,2}月[0-9]{1,2}日|[0-9]{8})(?:(?:T| +)${TIME})?$`;

/** An Excel day number as text, maybe with a time fraction. */
export const SERIAL_SHAPE = '^[0-9]{1,5}(?:\\.[0-9]+)?$';

const DATE_RE = new RegExp(DATE_SHAPE);
const SERIAL_RE = new RegExp(SERIAL_SHAPE);

export function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

const pad = (n: number, w: number) => String(n).padStart(w, '0');

/** Parse one date field. Blank → ok with value null (absent; 'missing-required' is checked elsewhere). */
export function parseDate(raw: string): DateResult {
  const t = trimBlank(raw);
  if (t === '') return { ok: true, value: null, openEnded: false };
  if (OPEN_ENDED_TEXTS.includes(t)) return { ok: true, value: null, openEnded: true };
  if (DATE_RE.test(t)) {
    const runs = t.match(/[0-9]+/g)!;
    const first = runs[0]!;
    const [y, m, d] =
      first.length === 8
        ? [Number(first.slice(0, 4)), Number(first.slice(4, 6)), Number(first.slice(6, 8))]
        : [Number(first), Number(runs[1]), Number(runs[2])];
    return calendar(y, m, d);
  }
  if (SERIAL_RE.test(t)) {
    const n = Number(t.slice(0, t.includes('.') ? t.indexOf('.') : t.length));
    if (n < 1 || n > MAX_EXCEL_SERIAL) return fail('date-format', `Excel日期序号${n}超出范围1–${MAX_EXCEL_SERIAL}`);
    // Excel counts 1900-02-29 (serial 60), a day that never was (Lotus 1-2-3 compatibility)
    if (n === 60) return fail('date-impossible', 'Excel日期序号60对应不存在的1900-02-29');
    const ms = Date.UTC(1899, 11, n < 60 ? 31 : 30) + n * 86_400_000;
    return finish(new Date(ms).toISOString().slice(0, 10));
  }
  return fail('date-format', `无法识别的日期“${t}”`);
}

function calendar(y: number, m: number, d: number): DateResult {
  const text = `${pad(y, 4)}-${pad(m, 2)}-${pad(d, 2)}`;
  if (y < MIN_YEAR || y > MAX_YEAR) return fail('date-impossible', `年份应在${MIN_YEAR}–${MAX_YEAR}之间：${text}`);
  if (m < 1 || m > 12 || d < 1 || d > daysInMonth(y, m)) return fail('date-impossible', `不存在的日期${text}`);
  return finish(text);
}

function finish(iso: string): DateResult {
  return iso === OPEN_ENDED_DATE ? { ok: true, value: null, openEnded: true } : { ok: true, value: iso, openEnded: false };
}

function fail(reason: 'date-format' | 'date-impossible', message: string): DateResult {
  return { ok: false, reason, message };
}
