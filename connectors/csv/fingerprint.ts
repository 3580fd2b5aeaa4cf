// First pass over a file: sha256 and size for the exactly-once ledger, and the encoding when it is `auto`:
// UTF-8 when every byte decodes as UTF-8, when the file starts with a UTF-8 BOM, or when UTF-8 characters came
// before the first invalid byte (a damaged UTF-8 file, which then fails naming the line, instead of being read as
// GB18030 mojibake); else GB18030, the superset of GBK.
import { isUtf8 } from 'node:buffer';
import { createHash } from 'node:crypto';
import { open } from 'node:fs/promises';
import { type StatStamp, stampOf } from '../../lib/file-stamp.ts';
import type { Encoding } from '../../schemas/sources-config.ts';
import { type DetectedEncoding, hasBom, utf8CompletePrefix } from './decode.ts';

export interface Fingerprint {
  sha256: string;
  bytes: number;
  encoding: DetectedEncoding;
  /** The stat stamp taken before hashing: the hash holds for as long as the file keeps it. */
  stamp: StatStamp;
}

const CHUNK = 4 << 20;
/** Multi-byte UTF-8 characters before the first invalid byte that make a file damaged UTF-8 rather than GBK. */
export const UTF8_EVIDENCE = 8;

/** Lead bytes of multi-byte UTF-8 characters in `b` (valid UTF-8), counted up to `enough`. */
function utf8Chars(b: Uint8Array, enough: number): number {
  let n = 0;
  for (let i = 0; i < b.length && n < enough; i++) if (b[i]! >= 0xc2) n++;
  return n;
}

/** Length of the longest valid UTF-8 prefix of `b` (which is not all valid). */
function validPrefix(b: Buffer): number {
  let lo = 0;
  let hi = b.length;
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (isUtf8(b.subarray(0, utf8CompletePrefix(b.subarray(0, mid))))) lo = mid;
    else hi = mid - 1;
  }
  return utf8CompletePrefix(b.subarray(0, lo));
}

/** `tee` receives every chunk as it is read (the archive keeps these very bytes); the buffer is reused afterwards. */
export async function fingerprint(path: string, declared: Encoding, tee?: (chunk: Buffer) => Promise<void>): Promise<Fingerprint> {
  const fh = await open(path, 'r');
  try {
    const st = await fh.stat({ bigint: true });
    const hash = createHash('sha256');
    const buf = Buffer.allocUnsafe(CHUNK);
    let bytes = 0;
    let bom = false;
    let utf8 = true;
    let carry: Buffer = Buffer.alloc(0);
    let chars = 0;
    for (;;) {
      const { bytesRead } = await fh.read(buf, 0, CHUNK, null);
      if (bytesRead === 0) break;
      const chunk = buf.subarray(0, bytesRead);
      hash.update(chunk);
      if (tee) await tee(chunk);
      if (bytes === 0) bom = hasBom(chunk);
      bytes += bytesRead;
      if (declared === 'auto' && utf8) {
        const b = carry.length ? Buffer.concat([carry, chunk]) : chunk;
        const cut = utf8CompletePrefix(b);
        utf8 = isUtf8(b.subarray(0, cut));
        carry = Buffer.from(b.subarray(cut));
        if (chars < UTF8_EVIDENCE) chars += utf8Chars(utf8 ? b.subarray(0, cut) : b.subarray(0, validPrefix(b)), UTF8_EVIDENCE - chars);
      }
    }
    if (carry.length) utf8 = false;
    let encoding: DetectedEncoding;
    if (declared === 'auto') encoding = utf8 || bom || chars >= UTF8_EVIDENCE ? (bom ? 'utf-8-bom' : 'utf-8') : 'gb18030';
    else if (declared === 'utf-8') encoding = bom ? 'utf-8-bom' : 'utf-8';
    else encoding = declared;
    return { sha256: hash.digest('hex'), bytes, encoding, stamp: stampOf(st) };
  } finally {
    await fh.close();
  }
}
