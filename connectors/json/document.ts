// Streams a JSON document chunk by chunk and hands over the elements of one array in it, the records, each as
// its exact bytes with its byte offset and line. The array is the document itself (`record_path` empty) or found
// by a path of object keys through envelopes (`data.list`). Every byte of the document is checked against the
// JSON grammar as it passes, so an invalid document fails at its first bad byte, whatever part it is in; memory
// holds one record at a time (records longer than `maxRecordBytes` are passed over and reported, not kept).

export interface DocumentElement {
  /** 1-based index of the element in the array. */
  index: number;
  /** Absolute byte offset of its first byte, and the 1-based line it starts on. */
  offset: number;
  line: number;
  /** Its bytes, or null when it was longer than the limit (`bytes` says how long it was). */
  data: Buffer | null;
  bytes: number;
}

export class JsonSyntaxError extends Error {
  constructor(
    readonly offset: number,
    readonly line: number,
    message: string,
  ) {
    super(message);
  }
}

type Frame =
  | { kind: 'object'; key: string | null; expect: 'key' | 'colon' | 'value' | 'comma'; members: number }
  | { kind: 'array'; expect: 'value' | 'comma'; members: number };

const NUMBER = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?$/;
const WORDS = new Set(['true', 'false', 'null']);
/** A key's text: its bytes between the quotes, escapes resolved. */
function decodeKey(raw: Buffer, at: number): string {
  const s = raw.toString('utf8');
  if (!s.includes('\\')) return s;
  try {
    return JSON.parse(`"${s}"`) as string;
  } catch {
    throw new JsonSyntaxError(at, 0, `byte ${at}: an invalid escape sequence in a key`);
  }
}

const isWs = (b: number) => b === 0x20 || b === 0x0a || b === 0x0d || b === 0x09;
const isWordByte = (b: number) => (b >= 0x30 && b <= 0x39) || (b >= 0x61 && b <= 0x7a) || b === 0x2d || b === 0x2b || b === 0x2e || b === 0x45;

export class DocumentScanner {
  private readonly path: string[];
  private readonly stack: Frame[] = [];
  private offset = 0;
  private line = 1;
  private inString = false;
  private escape = false;
  private keyBytes: number[] | null = null;
  private word = '';
  private wordStart = 0;
  private done = false;
  /** The array holding the records: the depth of its frame once entered, -1 before, -2 after it closed. */
  private target = -1;
  private index = 0;
  private capture: { chunks: Buffer[]; bytes: number; offset: number; line: number; depth: number; tooLong: boolean } | null = null;

  constructor(
    recordPath: string,
    private readonly maxRecordBytes: number,
  ) {
    this.path = recordPath === '' ? [] : recordPath.split('.');
  }

  /** True once the record array was found (it may still be open). */
  get foundArray(): boolean {
    return this.target !== -1;
  }

  private fail(message: string, at = this.offset): never {
    throw new JsonSyntaxError(at, this.line, `byte ${at} (line ${this.line}): ${message}`);
  }

  /** The keys leading to the current position match the record path: an array opened here holds the records. */
  private atRecordPath(): boolean {
    if (this.target !== -1 || this.stack.length !== this.path.length) return false;
    return this.stack.every((f, i) => f.kind === 'object' && f.key === this.path[i]);
  }

  /** A value begins at the current byte (in the current frame). */
  private beginValue(): void {
    const top = this.stack[this.stack.length - 1];
    if (top) {
      if (top.expect !== 'value') {
        if (top.kind === 'object' && top.expect === 'key') this.fail('expected a key (a string)');
        this.fail(top.kind === 'object' && top.expect === 'colon' ? 'expected ":" after the key' : 'expected "," or a closing bracket');
      }
      top.expect = 'comma';
      top.members++;
    } else if (this.done) this.fail('unexpected text after the end of the document');
    if (this.target >= 0 && this.stack.length === this.target && !this.capture) {
      this.index++;
      this.capture = { chunks: [], bytes: 0, offset: this.offset, line: this.line, depth: this.stack.length, tooLong: false };
    }
  }

  /** A value ended at the current byte (exclusive); returns a finished record, if it was one. */
  private endValue(elements: DocumentElement[], chunk: Buffer, chunkStart: number, endInChunk: number): void {
    if (this.stack.length === 0) this.done = true;
    const c = this.capture;
    if (!c || this.stack.length !== c.depth) return;
    this.take(chunk, chunkStart, endInChunk);
    elements.push({
      index: this.index,
      offset: c.offset,
      line: c.line,
      data: c.tooLong ? null : c.chunks.length === 1 ? c.chunks[0]! : Buffer.concat(c.chunks),
      bytes: c.bytes,
    });
    this.capture = null;
  }

  /** Adds the captured record's bytes of this chunk, from its start (or the chunk's) up to `end` exclusive. */
  private take(chunk: Buffer, chunkStart: number, end: number): void {
    const c = this.capture;
    if (!c) return;
    const from = Math.max(0, c.offset - chunkStart);
    const n = end - from;
    if (n <= 0) return;
    c.bytes += n;
    if (c.bytes > this.maxRecordBytes) {
      c.tooLong = true;
      c.chunks = [];
    } else c.chunks.push(Buffer.from(chunk.subarray(from, end)));
  }

  private endWord(elements: DocumentElement[], chunk: Buffer, chunkStart: number, i: number): void {
    if (!this.word) return;
    if (!(WORDS.has(this.word) || NUMBER.test(this.word))) this.fail(`invalid token "${this.word.slice(0, 40)}"`, this.wordStart);
    this.word = '';
    this.endValue(elements, chunk, chunkStart, i);
  }

  /** Scans the next chunk; the records completed in it, in order. */
  push(chunk: Buffer): DocumentElement[] {
    const elements: DocumentElement[] = [];
    const chunkStart = this.offset;
    for (let i = 0; i < chunk.length; i++, this.offset++) {
      const b = chunk[i]!;
      if (b === 0x0a) this.line++;
      if (this.inString) {
        if (this.escape) this.escape = false;
        else if (b === 0x5c) this.escape = true;
        else if (b === 0x22) {
          this.inString = false;
          if (this.keyBytes) {
            const top = this.stack[this.stack.length - 1] as Frame & { kind: 'object' };
            top.key = decodeKey(Buffer.from(this.keyBytes), this.offset);
            top.expect = 'colon';
            this.keyBytes = null;
          } else this.endValue(elements, chunk, chunkStart, i + 1);
        } else if (b < 0x20) this.fail('a control character inside a string (it must be escaped)');
        if (this.keyBytes && this.inString && this.keyBytes.length < 4096) this.keyBytes.push(b);
        continue;
      }
      if (this.word) {
        if (isWordByte(b)) {
          this.word += String.fromCharCode(b);
          if (this.word.length > 400) this.fail('a token longer than 400 bytes', this.wordStart);
          continue;
        }
        this.endWord(elements, chunk, chunkStart, i);
      }
      if (isWs(b)) continue;
      const top = this.stack[this.stack.length - 1];
      if (b === 0x22) {
        if (top?.kind === 'object' && top.expect === 'key') this.keyBytes = [];
        else this.beginValue();
        this.inString = true;
      } else if (b === 0x7b || b === 0x5b) {
        const opensRecords = b === 0x5b && this.atRecordPath();
        this.beginValue();
        this.stack.push(b === 0x7b ? { kind: 'object', key: null, expect: 'key', members: 0 } : { kind: 'array', expect: 'value', members: 0 });
        if (opensRecords) this.target = this.stack.length;
      } else if (b === 0x7d || b === 0x5d) {
        if (!top || top.kind !== (b === 0x7d ? 'object' : 'array')) this.fail(`unexpected "${String.fromCharCode(b)}"`);
        const initial = top.kind === 'object' ? 'key' : 'value';
        if (!(top.expect === 'comma' || (top.members === 0 && top.expect === initial))) this.fail('a value is missing before the closing bracket');
        if (this.target === this.stack.length) this.target = -2;
        this.stack.pop();
        this.endValue(elements, chunk, chunkStart, i + 1);
      } else if (b === 0x3a) {
        if (top?.kind !== 'object' || top.expect !== 'colon') this.fail('unexpected ":"');
        top.expect = 'value';
      } else if (b === 0x2c) {
        if (top?.expect !== 'comma') this.fail('unexpected ","');
        top.expect = top.kind === 'object' ? 'key' : 'value';
      } else if (isWordByte(b)) {
        this.beginValue();
        this.word = String.fromCharCode(b);
        this.wordStart = this.offset;
      } else this.fail(`unexpected byte 0x${b.toString(16).padStart(2, '0')}`);
    }
    this.take(chunk, chunkStart, chunk.length);
    return elements;
  }

  /** The end of the input: the document must be complete, and the record array must have been there. */
  end(): DocumentElement[] {
    const elements: DocumentElement[] = [];
    if (this.word) this.endWord(elements, Buffer.alloc(0), this.offset, 0);
    if (this.inString) this.fail('a string is not closed at the end of the input');
    if (this.stack.length || !this.done) this.fail('the document ends before it is complete');
    return elements;
  }
}
