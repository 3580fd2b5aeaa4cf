// Reading the archive back: the physical lines `lineage` shows (numbered as the loader's `_source_line`: 1-based,
// a line ends at each line feed), from the landing file or from the archived gzip of the version that was loaded;
// and the full check `verify` makes of an entry (decompress, SHA-256 of the bytes).
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import type { Readable } from 'node:stream';
import { TextDecoder } from 'node:util';
import { createGunzip } from 'node:zlib';

const LF = 0x0a;

function decoderFor(encoding: string | null): TextDecoder {
  const label = encoding === 'gbk' || encoding === 'gb18030' ? encoding : 'utf-8';
  // display only: a bad byte shows as U+FFFD (the loader itself rejects files with bad bytes)
  return new TextDecoder(label);
}

/** Opens a file for reading, gunzipping it when `gzip`. */
export function byteStream(path: string, gzip: boolean): Readable {
  const raw = createReadStream(path, { highWaterMark: 1 << 20 });
  if (!gzip) return raw;
  const gunzip = createGunzip();
  raw.on('error', (err) => gunzip.destroy(err));
  return raw.pipe(gunzip);
}

/** The wanted physical lines of a byte stream, decoded with the batch's encoding (a trailing CR dropped). */
export async function readLines(stream: Readable, encoding: string | null, wanted: Iterable<number>): Promise<Map<number, string>> {
  const want = new Set(wanted);
  const last = Math.max(0, ...want);
  const out = new Map<number, string>();
  const dec = decoderFor(encoding);
  let line = 1;
  let pieces: Buffer[] = [];
  const emit = () => {
    if (want.has(line)) {
      let b = Buffer.concat(pieces);
      if (b.length && b[b.length - 1] === 0x0d) b = b.subarray(0, b.length - 1);
      // the BOM belongs to the file, not to the first line
      if (line === 1 && b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf) b = b.subarray(3);
      out.set(line, dec.decode(b));
    }
    pieces = [];
    line++;
  };
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      let from = 0;
      for (let i = chunk.indexOf(LF); i !== -1; i = chunk.indexOf(LF, from)) {
        if (want.has(line)) pieces.push(chunk.subarray(from, i));
        emit();
        from = i + 1;
        if (line > last) return out;
      }
      if (want.has(line) && from < chunk.length) pieces.push(Buffer.from(chunk.subarray(from)));
    }
    if (pieces.length) emit();
    return out;
  } finally {
    stream.destroy();
  }
}

/** The SHA-256 and size of an archived entry's decompressed bytes; null when the entry is gone. */
export async function hashEntry(path: string): Promise<{ sha256: string; bytes: number } | null> {
  const hash = createHash('sha256');
  let bytes = 0;
  try {
    for await (const chunk of byteStream(path, true) as AsyncIterable<Buffer>) {
      hash.update(chunk);
      bytes += chunk.length;
    }
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    // not gzip, truncated, …: altered
    return { sha256: `unreadable (${(err as Error).message})`, bytes };
  }
  return { sha256: hash.digest('hex'), bytes };
}
