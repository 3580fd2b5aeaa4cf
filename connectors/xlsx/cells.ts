// What an Excel cell holds, as the text a CSV export of the workbook would have carried: dates as YYYY-MM-DD,
// numbers as Excel's General format shows them (so an 18-digit credit code Excel stored as a number arrives as
// 9.11301E+17 and is rejected like the same mangled value in a CSV), formulas as their cached result.

const pad = (n: number, w = 2) => String(n).padStart(w, '0');

/** A number as Excel's General format displays it: integers up to 11 digits in full, else 6 significant digits. */
export function generalNumber(n: number): string {
  if (!Number.isFinite(n)) return String(n);
  if (Number.isInteger(n) && Math.abs(n) < 1e11) return String(n);
  const abs = Math.abs(n);
  if (abs >= 1e11 || (abs > 0 && abs < 1e-9)) {
    const [m, e] = n.toExponential(5).split('e') as [string, string];
    const mantissa = m.includes('.') ? m.replace(/0+$/, '').replace(/\.$/, '') : m;
    const exp = Number(e);
    return `${mantissa}E${exp < 0 ? '-' : '+'}${pad(Math.abs(exp))}`;
  }
  return String(Number(n.toPrecision(10)));
}

function dateText(d: Date): string {
  const day = `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
  const ms = d.getUTCHours() * 3600 + d.getUTCMinutes() * 60 + d.getUTCSeconds();
  return ms === 0 ? day : `${day} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
}

/** The text of a cell value as exceljs reads it (null for an empty cell). */
export function cellText(v: unknown): string | null {
  if (v === null || v === undefined) return null;
  if (typeof v === 'string') return v;
  if (typeof v === 'number') return generalNumber(v);
  if (typeof v === 'boolean') return v ? 'TRUE' : 'FALSE';
  if (v instanceof Date) return Number.isNaN(v.getTime()) ? null : dateText(v);
  if (typeof v === 'object') {
    const o = v as { richText?: { text: string }[]; text?: unknown; result?: unknown; error?: string; formula?: string };
    if (Array.isArray(o.richText)) return o.richText.map((r) => r.text).join('');
    if ('result' in o || 'formula' in o) return cellText(o.result);
    if (typeof o.error === 'string') return o.error;
    if (o.text !== undefined) return cellText(o.text);
  }
  return String(v);
}

/** Column letters of a 1-based column number (1 → A, 27 → AA). */
export function columnLetters(n: number): string {
  let s = '';
  for (let k = n; k > 0; k = Math.floor((k - 1) / 26)) s = String.fromCharCode(65 + ((k - 1) % 26)) + s;
  return s;
}

/**
 * One header from two header rows of a grouped header: a label of the upper row spans the columns to its right
 * whose upper cell is empty while their lower cell has a label (a merged group cell, 有效期 over 自 | 至, gives
 * 有效期自 and 有效期至); an upper label with nothing below stands alone (a cell merged down).
 */
export function joinHeaderRows(upper: readonly (string | null)[], lower: readonly (string | null)[]): string[] {
  const n = Math.max(upper.length, lower.length);
  const out: string[] = [];
  let group: string | null = null;
  for (let i = 0; i < n; i++) {
    const u = upper[i]?.trim() || null;
    const l = lower[i]?.trim() || null;
    if (u !== null) group = l !== null ? u : null;
    const top = u ?? (l !== null ? group : null);
    if (u === null && l === null) group = null;
    out.push(top !== null && l !== null && top !== l ? `${top}${l}` : (l ?? top ?? ''));
  }
  return out;
}
