// Turns file bytes in the declared encoding into UTF-8 bytes, chunk by chunk. Undecodable bytes are an
// error naming the line, never replacement characters: WHATWG TextDecoder drops or replaces invalid bytes
// unless `fatal`, so every decoder here is fatal.
import { isUtf8 } from 'node:buffer';
import { FileRejectedError } from '../../lib/errors.ts';
import { decodeGbkChunk } from './gbk-decoder.ts';

export type DetectedEncoding = 'utf-8' | 'utf-8-bom' | 'gb18030' | 'gbk';

const BOM = [0xef, 0xbb, 0xbf];

export function hasBom(b: Uint8Array): boolean {
  return b.length >= 3 && b[0] === BOM[0] && b[1] === BOM[1] && b[2] === BOM[2];
}

/** Length of the longest prefix of `b` that does not end inside a UTF-8 sequence. */
export function utf8CompletePrefix(b: Uint8Array): number {
  const i = b.length;
  // Walk back over at most 3 continuation bytes to the lead byte of the last sequence.
  let k = 0;
  while (k < 3 && i - k - 1 >= 0 && (b[i - k - 1]! & 0xc0) === 0x80) k++;
  const leadAt = i - k - 1;
  if (leadAt < 0) return i;
  const lead = b[leadAt]!;
  const need = lead >= 0xf0 ? 4 : lead >= 0xe0 ? 3 : lead >= 0xc0 ? 2 : 1;
  return need > k + 1 ? leadAt : i;
}

/** The physical line (1-based, counted from `firstLine`; lines end at byte `nl`) of the first undecodable byte in `chunk`. */
function badLine(chunk: Uint8Array, firstLine: number, encoding: string, nl: number): number {
  let line = firstLine;
  let start = 0;
  for (let i = 0; i <= chunk.length; i++) {
    if (i === chunk.length || chunk[i] === nl) {
      try {
        new TextDecoder(encoding, { fatal: true }).decode(chunk.subarray(start, i));
      } catch {
        return line;
      }
      line++;
      start = i + 1;
    }
  }
  return line;
}

/** 1-based line of byte `offset` in `b`, counting from `firstLine`. */
function lineOfOffset(b: Uint8Array, offset: number, firstLine: number, nl: number): number {
  let line = firstLine;
  for (let i = 0; i < offset; i++) if (b[i] === nl) line++;
  return line;
}

export interface Decoder {
  /** UTF-8 bytes for `chunk`; `lineAtChunkStart` is only used to name the line of a decoding error. */
  push(chunk: Uint8Array, lineAtChunkStart: number): Uint8Array;
  end(line: number): Uint8Array;
}

/** `newline` is the byte lines end with (LF, or CR in a CR-only file): it only numbers the line of an error. */
export function createDecoder(encoding: 'utf-8' | 'gbk' | 'gb18030', file: string, newline = 10): Decoder {
  if (encoding === 'utf-8') {
    let carry: Uint8Array = new Uint8Array(0);
    let first = true;
    return {
      push(chunk, line) {
        let b: Uint8Array = carry.length ? Buffer.concat([carry, chunk]) : chunk;
        if (first) {
          first = false;
          if (hasBom(b)) b = b.subarray(3);
        }
        const cut = utf8CompletePrefix(b);
        const body = b.subarray(0, cut);
        carry = Uint8Array.from(b.subarray(cut));
        if (!isUtf8(body)) {
          throw new FileRejectedError('undecodable-bytes', `${file}: line ${badLine(body, line, 'utf-8', newline)}: bytes that are not valid UTF-8`);
        }
        return body;
      },
      end(line) {
        if (carry.length) throw new FileRejectedError('undecodable-bytes', `${file}: line ${line}: truncated UTF-8 sequence at end of file`);
        return new Uint8Array(0);
      },
    };
  }
  // GBK and GB18030 decode the same way (the WHATWG decoder treats them alike); the table decoder validates too.
  let pending: Uint8Array = new Uint8Array(0);
  const fail = (line: number): never => {
    throw new FileRejectedError('undecodable-bytes', `${file}: line ${line}: bytes that are not valid ${encoding.toUpperCase()}`);
  };
  const push = (chunk: Uint8Array, line: number, final: boolean): Uint8Array => {
    const joined = pending.length ? Buffer.concat([pending, chunk]) : chunk;
    const r = decodeGbkChunk(joined, final);
    if (r.invalidAt >= 0) fail(lineOfOffset(joined, r.invalidAt, line, newline));
    pending = Uint8Array.from(joined.subarray(joined.length - r.pending));
    return r.out;
  };
  return {
    push: (chunk, line) => push(chunk, line, false),
    end: (line) => push(new Uint8Array(0), line, true),
  };
}
