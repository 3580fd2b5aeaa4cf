// Parses one JSON record (an object) from UTF-8 bytes into flat field texts, keeping what JSON.parse would lose
// or hide: a number keeps its literal text (an 18-digit id is never rounded through a double), a key that occurs
// twice is reported instead of the last one silently winning, and keys live in a Map (a `__proto__` key is data,
// never a prototype). Nested objects and arrays are kept as their JSON text.
const utf8 = new TextDecoder('utf-8', { fatal: true });

export type JsonScalarKind = 'string' | 'number' | 'boolean' | 'null' | 'json';

export interface JsonField {
  /** The value as text: a string decoded, a number or literal as written, an object or array as its JSON text. */
  text: string | null;
  kind: JsonScalarKind;
}

export type ParsedRecord = { ok: true; fields: Map<string, JsonField>; duplicateKey: string | null } | { ok: false; offset: number; message: string };

class Fail extends Error {
  constructor(
    readonly offset: number,
    message: string,
  ) {
    super(message);
  }
}

const isWs = (b: number | undefined) => b === 0x20 || b === 0x0a || b === 0x0d || b === 0x09;

/** A JSON text parser over `buf[start, end)` that keeps literal numbers and checks the whole grammar. */
class Parser {
  constructor(
    private readonly buf: Buffer,
    public pos: number,
    private readonly end: number,
  ) {}

  ws(): void {
    while (this.pos < this.end && isWs(this.buf[this.pos])) this.pos++;
  }

  fail(message: string): never {
    throw new Fail(this.pos, message);
  }

  peek(): number | undefined {
    return this.pos < this.end ? this.buf[this.pos] : undefined;
  }

  expect(b: number, what: string): void {
    if (this.peek() !== b) this.fail(`expected ${what}`);
    this.pos++;
  }

  string(): string {
    this.expect(0x22, 'a string');
    const start = this.pos;
    let escaped = false;
    while (this.pos < this.end) {
      const b = this.buf[this.pos]!;
      if (b === 0x22) {
        const raw = this.buf.subarray(start, this.pos);
        this.pos++;
        let text: string;
        try {
          text = utf8.decode(raw);
        } catch {
          throw new Fail(start, 'a string is not valid UTF-8');
        }
        return escaped ? this.unescape(text, start) : text;
      }
      if (b < 0x20) this.fail('a control character inside a string (it must be escaped)');
      if (b === 0x5c) {
        escaped = true;
        this.pos++;
      }
      this.pos++;
    }
    throw new Fail(start - 1, 'a string is not closed');
  }

  private unescape(s: string, at: number): string {
    try {
      return JSON.parse(`"${s}"`) as string;
    } catch {
      throw new Fail(at, 'an invalid escape sequence in a string');
    }
  }

  number(): string {
    const start = this.pos;
    const m = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(this.buf.toString('latin1', start, Math.min(this.end, start + 400)));
    if (!m) this.fail('an invalid number');
    this.pos += m[0].length;
    return m[0];
  }

  literal(word: 'true' | 'false' | 'null'): void {
    if (this.buf.toString('latin1', this.pos, this.pos + word.length) !== word) this.fail('an invalid literal');
    this.pos += word.length;
  }

  /** Any value; returns its kind and text (containers as their exact JSON text). */
  value(depth: number): JsonField {
    if (depth > 512) this.fail('nested more than 512 levels deep');
    this.ws();
    const b = this.peek();
    const start = this.pos;
    switch (b) {
      case 0x22:
        return { kind: 'string', text: this.string() };
      case 0x7b:
        this.object(depth, null);
        return { kind: 'json', text: this.buf.toString('utf8', start, this.pos) };
      case 0x5b:
        this.array(depth);
        return { kind: 'json', text: this.buf.toString('utf8', start, this.pos) };
      case 0x74:
        this.literal('true');
        return { kind: 'boolean', text: 'true' };
      case 0x66:
        this.literal('false');
        return { kind: 'boolean', text: 'false' };
      case 0x6e:
        this.literal('null');
        return { kind: 'null', text: null };
      default:
        if (b === 0x2d || (b !== undefined && b >= 0x30 && b <= 0x39)) return { kind: 'number', text: this.number() };
        return this.fail(b === undefined ? 'unexpected end of the input' : 'expected a value');
    }
  }

  array(depth: number): void {
    this.expect(0x5b, '[');
    this.ws();
    if (this.peek() === 0x5d) {
      this.pos++;
      return;
    }
    for (;;) {
      this.value(depth + 1);
      this.ws();
      if (this.peek() === 0x2c) this.pos++;
      else {
        this.expect(0x5d, '"," or "]"');
        return;
      }
    }
  }

  /** An object; when `out` is given, its members are collected (first duplicate key reported). */
  object(depth: number, out: { fields: Map<string, JsonField>; duplicateKey: string | null } | null): void {
    this.expect(0x7b, '{');
    this.ws();
    if (this.peek() === 0x7d) {
      this.pos++;
      return;
    }
    for (;;) {
      this.ws();
      const key = this.string();
      this.ws();
      this.expect(0x3a, '":"');
      const v = this.value(depth + 1);
      if (out) {
        if (out.fields.has(key)) out.duplicateKey ??= key;
        else out.fields.set(key, v);
      }
      this.ws();
      if (this.peek() === 0x2c) this.pos++;
      else {
        this.expect(0x7d, '"," or "}"');
        return;
      }
    }
  }
}

/** Parses `buf[start, end)` as exactly one JSON object (surrounding whitespace allowed). Offsets are absolute in `buf`. */
export function parseRecord(buf: Buffer, start = 0, end = buf.length): ParsedRecord {
  const p = new Parser(buf, start, end);
  try {
    p.ws();
    if (p.peek() !== 0x7b) {
      if (p.peek() === undefined) return { ok: false, offset: p.pos, message: 'an empty record' };
      const what = p.value(0).kind;
      return { ok: false, offset: start, message: `a record must be a JSON object, not ${what === 'json' ? 'an array' : `a ${what}`}` };
    }
    const out = { fields: new Map<string, JsonField>(), duplicateKey: null as string | null };
    p.object(0, out);
    p.ws();
    if (p.pos < end) p.fail('unexpected text after the record');
    return { ok: true, ...out };
  } catch (err) {
    if (err instanceof Fail) return { ok: false, offset: err.offset, message: err.message };
    throw err;
  }
}

/** Checks that `buf[start, end)` is one well-formed JSON value of any kind; the offset and reason of the first error. */
export function checkValue(buf: Buffer, start: number, end: number): { offset: number; message: string } | null {
  const p = new Parser(buf, start, end);
  try {
    p.value(0);
    p.ws();
    if (p.pos < end) p.fail('unexpected text after the value');
    return null;
  } catch (err) {
    if (err instanceof Fail) return { offset: err.offset, message: err.message };
    throw err;
  }
}
