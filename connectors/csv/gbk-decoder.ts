// GBK/GB18030 → UTF-8 bytes with a lookup table, validating as it goes. Node's TextDecoder is both slower here
// (bytes → JS string → UTF-8 bytes) and unsafe (with `fatal` it still drops some invalid bytes, e.g. 0xFF).
// The table of every two-byte sequence is built once from the WHATWG decoder itself, so the mapping is the same;
// the rare four-byte GB18030 sequences are handed to that decoder one by one.

const LEAD_MIN = 0x81;
const TRAIL_MIN = 0x40;
const TRAIL_SPAN = 0xff - TRAIL_MIN; // trail bytes 0x40–0xFE

let table: Uint16Array | null = null;

/** Code point (BMP) of each two-byte sequence, 0 where the sequence is not valid. */
function twoByteTable(): Uint16Array {
  if (table) return table;
  const t = new Uint16Array((0xff - LEAD_MIN) * TRAIL_SPAN);
  const dec = new TextDecoder('gb18030', { fatal: true });
  const pair = new Uint8Array(2);
  for (let lead = LEAD_MIN; lead <= 0xfe; lead++) {
    for (let trail = TRAIL_MIN; trail <= 0xfe; trail++) {
      if (trail === 0x7f) continue;
      pair[0] = lead;
      pair[1] = trail;
      try {
        const s = dec.decode(pair);
        const cp = s.length === 1 ? s.charCodeAt(0) : 0;
        if (cp >= 0x80 && cp !== 0xfffd && (cp < 0xd800 || cp > 0xdfff)) t[(lead - LEAD_MIN) * TRAIL_SPAN + (trail - TRAIL_MIN)] = cp;
      } catch {
        // invalid sequence: stays 0
      }
    }
  }
  table = t;
  return t;
}

export interface GbkChunkResult {
  /** UTF-8 bytes of the complete sequences. */
  out: Buffer;
  /** Bytes at the end that begin a sequence the chunk does not finish. */
  pending: number;
  /** Offset of the first invalid byte, or -1. */
  invalidAt: number;
}

const four = new TextDecoder('gb18030', { fatal: true });

function putUtf8(out: Buffer, o: number, cp: number): number {
  if (cp < 0x800) {
    out[o] = 0xc0 | (cp >> 6);
    out[o + 1] = 0x80 | (cp & 0x3f);
    return o + 2;
  }
  if (cp < 0x10000) {
    out[o] = 0xe0 | (cp >> 12);
    out[o + 1] = 0x80 | ((cp >> 6) & 0x3f);
    out[o + 2] = 0x80 | (cp & 0x3f);
    return o + 3;
  }
  out[o] = 0xf0 | (cp >> 18);
  out[o + 1] = 0x80 | ((cp >> 12) & 0x3f);
  out[o + 2] = 0x80 | ((cp >> 6) & 0x3f);
  out[o + 3] = 0x80 | (cp & 0x3f);
  return o + 4;
}

export function decodeGbkChunk(b: Uint8Array, final: boolean): GbkChunkResult {
  const t = twoByteTable();
  const n = b.length;
  // Each input byte becomes at most 2 output bytes (two GBK bytes → ≤ 3 UTF-8 bytes, four → 4).
  const out = Buffer.allocUnsafe(n * 2 + 4);
  let o = 0;
  let i = 0;
  while (i < n) {
    const c = b[i]!;
    if (c < 0x80) {
      out[o++] = c;
      i++;
      continue;
    }
    if (c === 0x80) {
      o = putUtf8(out, o, 0x20ac); // WHATWG gb18030 maps a lone 0x80 to €
      i++;
      continue;
    }
    if (c === 0xff) return { out: out.subarray(0, o), pending: 0, invalidAt: i };
    if (i + 1 >= n) {
      if (final) return { out: out.subarray(0, o), pending: 0, invalidAt: i };
      return { out: out.subarray(0, o), pending: n - i, invalidAt: -1 };
    }
    const c2 = b[i + 1]!;
    if (c2 >= 0x30 && c2 <= 0x39) {
      if (i + 3 >= n) {
        if (final) return { out: out.subarray(0, o), pending: 0, invalidAt: i };
        return { out: out.subarray(0, o), pending: n - i, invalidAt: -1 };
      }
      let s: string;
      try {
        s = four.decode(b.subarray(i, i + 4));
      } catch {
        return { out: out.subarray(0, o), pending: 0, invalidAt: i };
      }
      const cp = s.codePointAt(0) ?? 0;
      if (!cp || cp === 0xfffd || s.length > 2) return { out: out.subarray(0, o), pending: 0, invalidAt: i };
      o = putUtf8(out, o, cp);
      i += 4;
      continue;
    }
    const cp = c2 >= TRAIL_MIN && c2 <= 0xfe && c2 !== 0x7f ? t[(c - LEAD_MIN) * TRAIL_SPAN + (c2 - TRAIL_MIN)]! : 0;
    if (!cp) return { out: out.subarray(0, o), pending: 0, invalidAt: i };
    if (cp >= 0x800) {
      // the common case (CJK): three UTF-8 bytes, written inline
      out[o] = 0xe0 | (cp >> 12);
      out[o + 1] = 0x80 | ((cp >> 6) & 0x3f);
      out[o + 2] = 0x80 | (cp & 0x3f);
      o += 3;
    } else o = putUtf8(out, o, cp);
    i += 2;
  }
  return { out: out.subarray(0, o), pending: 0, invalidAt: -1 };
}
