// Money to exact yuan (2 decimals, fits DECIMAL(18,2)). 双公示 fines (CF_NR_FK) are in 万元, so 0.2 means ¥2,000;
// a float would turn 0.000001 万元 into 0.009999… yuan, hence digit-string arithmetic throughout.
// AMOUNT_SHAPE is shared with the SQL twin (jg_amount*), so it sticks to syntax JS and RE2 read alike.

import { fullwidthToAscii, trimBlank } from './text.ts';

export type AmountUnit = 'wan' | 'yuan';

export type AmountReason = 'amount-format' | 'amount-negative' | 'amount-precision';

export type AmountResult =
  | { ok: true; value: string | null /* yuan, exactly 2 decimals, e.g. '2000.00'; null = blank */ }
  | { ok: false; reason: AmountReason; message: string };

/** sign, integer part (plain or grouped by thousands), fraction, unit text. */
export const AMOUNT_SHAPE = '^([+-]?)([0-9]{1,3}(?:,[0-9]{3})+|[0-9]+)(?:\\.([0-9]+))? *(万元|万|元)?$';

/** Decimals that still land on whole fen. */
export const AMOUNT_SCALE: Readonly<Record<AmountUnit, number>> = { wan: 6, yuan: 2 };

/** DECIMAL(18,2) holds at most 16 integer digits of yuan, i.e. 18 digits of fen. */
export const MAX_FEN_DIGITS = 18;

const AMOUNT_RE = new RegExp(AMOUNT_SHAPE);

/**
 * Parse an amount. A unit written in the text wins over `unit` (万/万元 → 万元, 元 → yuan). Trailing zeros of the
 * fraction do not count against the precision ('1.500' yuan is 1.50). Blank → ok with value null.
 */
export function parseAmount(raw: string, unit: AmountUnit): AmountResult {
  const t = trimBlank(fullwidthToAscii(raw));
  if (t === '') return { ok: true, value: null };
  const m = AMOUNT_RE.exec(t);
  if (!m) return fail('amount-format', `无法识别的金额“${t}”`);
  const [, sign = '', grouped = '', rawFrac = '', suffix = ''] = m;
  const inWan = suffix === '' ? unit === 'wan' : suffix !== '元';
  const int = grouped.replaceAll(',', '');
  const frac = rawFrac.replace(/0+$/, '');
  if (sign === '-' && /[1-9]/.test(int + frac)) return fail('amount-negative', `金额不能为负数：${t}`);
  const scale = inWan ? AMOUNT_SCALE.wan : AMOUNT_SCALE.yuan;
  if (frac.length > scale) {
    return fail('amount-precision', `${inWan ? '万元金额最多6位小数' : '元金额最多2位小数'}：${t}`);
  }
  const fen = (int + frac.padEnd(scale, '0')).replace(/^0+/, '');
  if (fen.length > MAX_FEN_DIGITS) return fail('amount-precision', `金额超出上限（须小于10^16元）：${t}`);
  const digits = fen.padStart(3, '0');
  return { ok: true, value: `${digits.slice(0, -2)}.${digits.slice(-2)}` };
}

function fail(reason: AmountReason, message: string): AmountResult {
  return { ok: false, reason, message };
}
