// A byte-level CSV record scanner over UTF-8 text. Delimiter, quote and newline are ASCII, and no byte of a
// multi-byte UTF-8 character is below 0x80, so scanning bytes never splits a character. It finds where each
// record starts and ends, the physical line it starts on, its field count, and whether it can be copied
// verbatim for DuckDB (strict RFC 4180) or needs rewriting (a quote inside an unquoted field, text after a
// closing quote). The inner loops only compare bytes, and quoted runs are skipped with the native indexOf.
// Records end at LF (a CR before it is dropped), or at CR alone in a file sniffed as CR-only (sniff.ts). A C0
// control character in a field (any but TAB; CR and LF only inside quotes; a CR just before the LF of a CRLF
// is part of the line ending) marks the record with the field it is in: the connector rejects it.

export interface ScanRecord {
  /** Byte offsets in the chunk (end excludes the line terminator and a trailing CR). */
  start: number;
  end: number;
  line: number;
  fields: number;
  /** False when the record must be re-serialised before DuckDB reads it. */
  clean: boolean;
  /** A field may begin or end with a space (so the SQL side must trim); false lets it skip trimming. */
  padded: boolean;
  /** 1-based field holding the record's first forbidden control character, 0 when none. */
  ctrlField: number;
  /** That character's code (0x00–0x1F). */
  ctrlByte: number;
}

export type LineEnding = 'lf' | 'cr';

const LF = 10;
const CR = 13;
const SP = 32;
const TAB = 9;

export class RecordScanner {
  private readonly delim: number;
  private readonly quote: number;
  /** CR-only line endings: CR ends a record, and no CR is dropped. */
  private readonly cr: boolean;
  /** Physical line where the next unread byte sits (1-based). */
  line = 1;

  constructor(delimiter: string, quote: string, ending: LineEnding = 'lf') {
    this.delim = delimiter.charCodeAt(0);
    this.quote = quote.charCodeAt(0);
    this.cr = ending === 'cr';
  }

  /**
   * Scan complete records in `buf`; returns them and the offset where the incomplete tail starts
   * (to be carried into the next chunk). With `final`, the tail is a last record without a newline.
   * Returns `unclosedQuote` when the final tail ends inside quotes.
   */
  scan(buf: Buffer, final: boolean): { records: ScanRecord[]; consumed: number; unclosedQuote: boolean } {
    const records: ScanRecord[] = [];
    const { delim, quote, cr } = this;
    const nl = cr ? CR : LF;
    const n = buf.length;
    let start = 0;
    let line = this.line;
    let recLine = line;
    let fields = 1;
    let clean = true;
    let padded = false;
    let fieldStart = 0;
    let ctrlField = 0;
    let ctrlByte = 0;
    let i = 0;
    while (i < n) {
      let c = buf[i]!;
      // Ordinary bytes (most of the text): one comparison chain, no state changes. Newlines are control bytes.
      while (c !== delim && c !== quote && c >= SP) {
        if (++i === n) break;
        c = buf[i]!;
      }
      if (i === n) break;
      if (c === delim) {
        if (buf[i - 1] === SP || buf[i + 1] === SP) padded = true;
        fields++;
        fieldStart = ++i;
      } else if (c === nl) {
        const end = !cr && i > start && buf[i - 1] === CR ? i - 1 : i;
        if (buf[start] === SP || (end > start && buf[end - 1] === SP)) padded = true;
        records.push({ start, end, line: recLine, fields, clean, padded, ctrlField, ctrlByte });
        line++;
        start = fieldStart = ++i;
        recLine = line;
        fields = 1;
        clean = true;
        padded = false;
        ctrlField = ctrlByte = 0;
      } else if (c < SP) {
        // TAB is text; so is the CR of a CRLF (or a CR ending the buffer: the next chunk or the end tells)
        if (c !== TAB && !(c === CR && !cr && (i + 1 === n || buf[i + 1] === LF)) && !ctrlField) {
          ctrlField = fields;
          ctrlByte = c;
        }
        i++;
      } else if (i !== fieldStart) {
        clean = false; // a quote inside an unquoted field is text
        i++;
      } else {
        // A quoted field: find its closing quote; "" is an escaped quote.
        let j = i + 1;
        for (;;) {
          const q = buf.indexOf(quote, j);
          if (q === -1) {
            j = -1;
            break;
          }
          if (q + 1 < n && buf[q + 1] === quote) {
            j = q + 2;
            continue;
          }
          if (q + 1 >= n && !final)
            j = -1; // cannot tell "" from a closing quote yet
          else j = q;
          break;
        }
        if (j === -1) {
          if (!final) break; // the record continues in the next chunk
          this.line = recLine;
          return { records, consumed: start, unclosedQuote: true };
        }
        if (buf[i + 1] === SP || buf[j - 1] === SP) padded = true;
        for (let k = i + 1; k < j; k++) {
          const b = buf[k]!;
          if (b >= SP) continue;
          if (b === nl) line++;
          else if (b !== TAB && b !== CR && b !== LF && !ctrlField) {
            ctrlField = fields;
            ctrlByte = b;
          }
        }
        i = j + 1;
        const next = i < n ? buf[i] : undefined;
        if (next !== undefined && next !== delim && next !== LF && next !== CR) clean = false;
      }
    }
    if (!final) {
      // Carry the incomplete record; the scanner resumes at its first line.
      this.line = recLine;
      return { records, consumed: start, unclosedQuote: false };
    }
    if (start < n) {
      const end = !cr && buf[n - 1] === CR ? n - 1 : n;
      if (buf[start] === SP || buf[end - 1] === SP) padded = true;
      records.push({ start, end, line: recLine, fields, clean, padded, ctrlField, ctrlByte });
    }
    this.line = line;
    return { records, consumed: n, unclosedQuote: false };
  }
}

/**
 * Skips the rest of a record already known to be too long, in one linear pass (rescanning a growing carry from
 * its start would be quadratic in the record's length): feed it the record's bytes from its first byte on, chunk
 * by chunk; it follows quoting as the scanner does (a quote opening a field quotes it, "" is a quote) and reports
 * where the record ends, just after its newline (LF, or CR in a CR-only file), and how many newlines it spanned.
 */
export class RecordSkipper {
  private readonly delim: number;
  private readonly quote: number;
  private readonly nl: number;
  private inQuote = false;
  /** A quote seen inside a quoted field: the next byte tells "" (escaped) from a closing quote. */
  private quoteSeen = false;
  private fieldStart = true;
  /** Newlines passed so far (each starts a physical line). */
  lineFeeds = 0;

  constructor(delimiter: string, quote: string, ending: LineEnding = 'lf') {
    this.delim = delimiter.charCodeAt(0);
    this.quote = quote.charCodeAt(0);
    this.nl = ending === 'cr' ? CR : LF;
  }

  /** The offset just after the newline that ends the record, or -1 when it goes on past `buf`. */
  feed(buf: Uint8Array): number {
    for (let i = 0; i < buf.length; i++) {
      const c = buf[i]!;
      if (c === this.nl) this.lineFeeds++;
      if (this.inQuote) {
        if (this.quoteSeen) {
          this.quoteSeen = false;
          if (c === this.quote) continue; // "" inside quotes
          this.inQuote = false; // the quote closed the field; this byte is outside
        } else {
          if (c === this.quote) this.quoteSeen = true;
          continue;
        }
      }
      if (c === this.nl) return i + 1;
      if (c === this.delim) this.fieldStart = true;
      else if (c === this.quote && this.fieldStart) this.inQuote = true;
      else this.fieldStart = false;
    }
    return -1;
  }
}
