// exceljs's streaming workbook reader, guarded against a damaged zip. The reader pipes the file into an unzip
// parser; an entry that fails to inflate (a flipped byte in its compressed data, a truncated entry) is reported
// as an 'error' on that parser only, while the reader keeps awaiting the entry's end: no handle is left open, the
// event loop drains and the whole load process exits (code 13, an unsettled top-level await) without a word.
// Here every stream the reader pipes our file into has its errors turned into a rejection that every step of the
// iteration races against, so the damage fails the file (`not-xlsx`, by the caller) instead of the process.
import { createReadStream, type ReadStream } from 'node:fs';
import ExcelJS from 'exceljs';

export interface GuardedReader {
  /** The reader's worksheets, then each worksheet's rows, iterated through `guard`. */
  reader: AsyncIterable<unknown>;
  /** Every step of an iteration over the reader (worksheets and rows) raced against the zip's failure. */
  guard<T>(it: AsyncIterable<T>): AsyncGenerator<T>;
  close(): void;
}

export function openWorkbookReader(path: string): GuardedReader {
  const input: ReadStream = createReadStream(path);
  let fail: (err: unknown) => void = () => {};
  const failed = new Promise<never>((_, reject) => {
    fail = reject;
  });
  failed.catch(() => {}); // observed by the races; never an unhandled rejection
  input.on('error', (err) => fail(err));
  const pipe = input.pipe.bind(input);
  input.pipe = <T extends NodeJS.WritableStream>(dest: T, opts?: { end?: boolean }): T => {
    dest.on('error', (err: unknown) => fail(err));
    return pipe(dest, opts);
  };
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(input, {
    sharedStrings: 'cache',
    styles: 'cache',
    hyperlinks: 'ignore',
    worksheets: 'emit',
    entries: 'ignore',
  }) as unknown as AsyncIterable<unknown>;
  async function* guard<T>(it: AsyncIterable<T>): AsyncGenerator<T> {
    const iter = it[Symbol.asyncIterator]();
    for (;;) {
      const r = await Promise.race([iter.next(), failed]);
      if (r.done) return;
      yield r.value;
    }
  }
  return { reader, guard, close: () => input.destroy() };
}
