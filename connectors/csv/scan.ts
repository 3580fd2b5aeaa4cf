// A byte-level CSV record scanner over UTF-8 text. Delimiter, quote and newline are ASCII, and no byte of a
// multi-byte UTF-8 character is below 0x80, so scanning bytes never splits a character. It finds where each
// record starts and ends, the physical line it starts on, its field count, and whether it can be copied
// verbatim for DuckDB (strict RFC 4180) or needs rewriting (a quote inside an unquoted field).

export interface ScanRecord {
  /** Byte offsets in the chunk (end excludes the line terminator and a trailing CR). */
  start: number;
  end: number;
  line: number;
  fields: number;
  /** False when the record has a stray quote and must be re-serialised before DuckDB reads it. */
  clean: boolean;
}

const LF = 10;
const CR = 13;

export class RecordScanner {
  private readonly delim: number;
  private readonly quote: number;
  /** Physical line where the next unread byte sits (1-based). */
  line = 1;

  constructor(delimiter: string, quote: string) {
    this.delim = delimiter.charCodeAt(0);
    this.quote = quote.charCodeAt(0);
  }

  /**
   * Scan complete records in `buf`; returns them and the offset where the incomplete tail starts
   * (to be carried into the next chunk). With `final`, the tail is a last record without a newline.
   * Returns `unclosedQuote` when the final tail ends inside quotes.
   */
  scan(buf: Uint8Array, final: boolean): { records: ScanRecord[]; consumed: number; unclosedQuote: boolean } {
    const records: ScanRecord[] = [];
    const { delim, quote } = this;
    const n = buf.length;
    let start = 0;
    let line = this.line;
    let recLine = line;
    let fields = 1;
    let clean = true;
    let inQuotes = false;
    let fieldStart = true;
    let afterQuote = false;
    let i = 0;
    while (i < n) {
      const c = buf[i]!;
      if (inQuotes) {
        if (c === quote) {
          if (i + 1 < n && buf[i + 1] === quote) {
            i += 2;
            continue;
          }
          if (i + 1 >= n && !final) break; // cannot tell an escaped quote yet: wait for more bytes
          inQuotes = false;
          afterQuote = true;
        } else if (c === LF) line++;
        i++;
        continue;
      }
      if (c === delim) {
        fields++;
        fieldStart = true;
        afterQuote = false;
      } else if (c === LF) {
        let end = i;
        if (end > start && buf[end - 1] === CR) end--;
        records.push({ start, end, line: recLine, fields, clean });
        line++;
        start = i + 1;
        recLine = line;
        fields = 1;
        clean = true;
        fieldStart = true;
        afterQuote = false;
      } else if (c === quote) {
        if (fieldStart) inQuotes = true;
        else clean = false;
        fieldStart = false;
      } else {
        if (afterQuote && c !== CR) clean = false;
        fieldStart = false;
      }
      i++;
    }
    if (!final) {
      // Carry the incomplete record; the scanner resumes at its first line.
      this.line = recLine;
      return { records, consumed: start, unclosedQuote: false };
    }
    if (inQuotes) return { records, consumed: start, unclosedQuote: true };
    if (start < n) {
      let end = n;
      if (buf[end - 1] === CR) end--;
      records.push({ start, end, line: recLine, fields, clean });
    }
    this.line = line;
    return { records, consumed: n, unclosedQuote: false };
  }
}
