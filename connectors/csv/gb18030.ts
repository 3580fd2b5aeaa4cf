// Structural check of GB18030/GBK bytes. Node's TextDecoder('gbk', { fatal: true }) silently drops some invalid
// bytes (0xFF, broken pairs) instead of throwing, so undecodable input is found here, before decoding.

export interface Gb18030Check {
  /** Offset of the first invalid byte, or -1. */
  invalidAt: number;
  /** Bytes at the end that start a sequence the chunk does not finish (checked with the next chunk). */
  pending: number;
}

const inRange = (b: number | undefined, lo: number, hi: number) => b !== undefined && b >= lo && b <= hi;

export function checkGb18030(b: Uint8Array): Gb18030Check {
  const n = b.length;
  let i = 0;
  while (i < n) {
    const c = b[i]!;
    if (c < 0x80 || c === 0x80) {
      // ASCII; 0x80 is € in the WHATWG gb18030 decoder
      i++;
      continue;
    }
    if (c === 0xff) return { invalidAt: i, pending: 0 };
    // 0x81–0xFE: a two- or four-byte sequence
    if (i + 1 >= n) return { invalidAt: -1, pending: n - i };
    const c2 = b[i + 1]!;
    if ((c2 >= 0x40 && c2 <= 0x7e) || (c2 >= 0x80 && c2 <= 0xfe)) {
      i += 2;
      continue;
    }
    if (c2 >= 0x30 && c2 <= 0x39) {
      if (i + 3 >= n) {
        // Only a prefix is here: invalid if what we have already breaks the pattern
        if (i + 2 < n && !inRange(b[i + 2], 0x81, 0xfe)) return { invalidAt: i, pending: 0 };
        return { invalidAt: -1, pending: n - i };
      }
      if (inRange(b[i + 2], 0x81, 0xfe) && inRange(b[i + 3], 0x30, 0x39)) {
        i += 4;
        continue;
      }
    }
    return { invalidAt: i, pending: 0 };
  }
  return { invalidAt: -1, pending: 0 };
}

/** 1-based line of byte `offset` in `b`, counting from `firstLine`. */
export function lineOfOffset(b: Uint8Array, offset: number, firstLine: number): number {
  let line = firstLine;
  for (let i = 0; i < offset; i++) if (b[i] === 10) line++;
  return line;
}
