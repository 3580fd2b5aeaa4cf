// Mutators for JSON documents and NDJSON files (the same damage, named `json-…` and `ndjson-…`): byte flips,
// truncation inside a string, a number, an escape or after a key, bracket chaos, duplicate and `__proto__` keys,
// huge integers in id fields, 10,000 levels of nesting, invalid UTF-8, a BOM, NUL bytes; NDJSON adds blank lines,
// CRLF, an array line and one damaged line among good ones. In NDJSON a bad line is one rejected record, so damage
// confined to one record keeps the record count (sameRecords); in a JSON document it fails the whole file.
import type { Rng } from '../../fixtures/generator/prng.ts';
import { cut } from './damage.ts';
import { insertAt, type JsonKind, jsonDocument, offsetsOf, pickSpan, recordTexts } from './json-text.ts';
import type { Mutated, Mutator, Template } from './types.ts';

/** One record of the template changed by `edit` (given its text), the file made again; k is its index. */
function editRecord(t: Template, rng: Rng, edit: (text: string) => string | Buffer): { bytes: Buffer; k: number } {
  const texts: (string | Buffer)[] = recordTexts(t);
  if (!texts.length) return { bytes: t.bytes, k: -1 };
  const k = rng.int(0, texts.length - 1);
  texts[k] = edit(texts[k] as string);
  return { bytes: jsonDocument(t.connector as JsonKind, texts), k };
}

/** A record's text with the value of one of its members (a string) replaced by the raw JSON `value`. */
function replaceValue(text: string, rng: Rng, value: string | ((old: string) => string), prefer?: RegExp): string {
  const members = [...text.matchAll(/("(?:[^"\\]|\\.)*"): ("(?:[^"\\]|\\.)*")/g)];
  if (!members.length) return text.replace('{', `{"x": ${typeof value === 'string' ? value : value('""')},`);
  const preferred = prefer ? members.filter((m) => prefer.test(JSON.parse(m[2]!) as string)) : [];
  const m = rng.pick(preferred.length ? preferred : members);
  const at = m.index! + m[1]!.length + 2;
  return text.slice(0, at) + (typeof value === 'string' ? value : value(m[2]!)) + text.slice(at + m[2]!.length);
}

/** Replaces a value by a marker, then cuts the file `inside` bytes into the marker's text (`text` in its place). */
function cutInside(t: Template, rng: Rng, text: string, why: string): Mutated {
  const { bytes } = editRecord(t, rng, (r) => replaceValue(r, rng, text));
  const at = bytes.indexOf(text);
  if (at < 0) return cut(t.bytes, t.bytes.length - 1, 'no record');
  return cut(bytes, at + rng.int(1, text.length - 1), why);
}

/** 10,000 levels of arrays. */
export const DEEP = `${'['.repeat(10_000)}${']'.repeat(10_000)}`;

export function jsonMutators(kind: JsonKind): Mutator[] {
  const nd = kind === 'ndjson';
  /** Damage confined to one record: in NDJSON the line is rejected and the rest load. */
  const oneRecord = (bytes: Buffer, note: string, keeps = nd): Mutated => ({ bytes, note, ...(keeps ? { sameRecords: true } : {}) });
  const list: Mutator[] = [
    {
      name: 'byte-flip',
      mutate: (t, rng) => {
        const b = Buffer.from(t.bytes);
        const at: string[] = [];
        for (let k = rng.int(1, 8); k > 0 && b.length; k--) {
          const i = rng.int(0, b.length - 1);
          b[i] = rng.int(0, 255);
          at.push(`${i}=0x${b[i]!.toString(16)}`);
        }
        return { bytes: b, note: `bytes set: ${at.join(' ')}` };
      },
    },
    { name: 'truncate-random', mutate: (t, rng) => cut(t.bytes, rng.int(0, t.bytes.length), 'anywhere') },
    {
      name: 'truncate-mid-string',
      mutate: (t, rng) => {
        const s = pickSpan(t.bytes, 'string', rng, 3);
        return s ? cut(t.bytes, rng.int(s.start + 1, s.end - 2), 'inside a string') : cut(t.bytes, 1, 'no string');
      },
    },
    { name: 'truncate-mid-number', mutate: (t, rng) => cutInside(t, rng, '-12345.678e9', 'inside a number') },
    { name: 'truncate-mid-escape', mutate: (t, rng) => cutInside(t, rng, '"a\\u12ab"', 'inside a \\u escape') },
    {
      name: 'truncate-after-key',
      mutate: (t, rng) => {
        const s = pickSpan(t.bytes, 'key', rng);
        if (!s) return cut(t.bytes, 1, 'no key');
        const colon = t.bytes.indexOf(0x3a, s.end);
        return cut(t.bytes, rng.pick([s.end, colon + 1, colon + 2]), 'after a key');
      },
    },
    {
      name: 'bracket-missing',
      mutate: (t, rng) => {
        const offs = [...offsetsOf(t.bytes, 0x7d), ...offsetsOf(t.bytes, 0x5d)];
        const at = offs.length ? rng.pick(offs) : 0;
        return { bytes: Buffer.concat([t.bytes.subarray(0, at), t.bytes.subarray(at + 1)]), note: `closing bracket at ${at} removed` };
      },
    },
    {
      name: 'bracket-extra',
      mutate: (t, rng) => {
        const offs = [...offsetsOf(t.bytes, 0x2c), ...offsetsOf(t.bytes, 0x7d), ...offsetsOf(t.bytes, 0x5b)];
        const at = offs.length ? rng.pick(offs) + 1 : 0;
        const c = rng.pick(['}', ']', '{', '[', '}}', ']]']);
        return { bytes: insertAt(t.bytes, at, c), note: `${c} inserted at ${at}` };
      },
    },
    {
      name: 'trailing-comma',
      mutate: (t, rng) => {
        const offs = [...offsetsOf(t.bytes, 0x7d), ...offsetsOf(t.bytes, 0x5d)];
        const at = offs.length ? rng.pick(offs) : 0;
        return { bytes: insertAt(t.bytes, at, ','), note: `comma before the closing bracket at ${at}` };
      },
    },
    {
      name: 'duplicate-key',
      mutate: (t, rng) => {
        const { bytes, k } = editRecord(t, rng, (r) => r.replace(/^\{(\s*)("(?:[^"\\]|\\.)*": "(?:[^"\\]|\\.)*")/, '{$1$2,$1$2'));
        return { bytes, sameRecords: true, note: `record ${k + 1}: its first key twice` };
      },
    },
    {
      name: 'proto-key',
      mutate: (t, rng) => {
        const key = rng.pick(['__proto__', 'constructor', 'prototype']);
        const { bytes, k } = editRecord(t, rng, (r) => r.replace('{', `{"${key}": {"polluted": true},`));
        return { bytes, sameRecords: true, note: `record ${k + 1}: a "${key}" key` };
      },
    },
    {
      name: 'huge-integer',
      mutate: (t, rng) => {
        const n = rng.pick(['911301050000000000001', '9007199254740993', '-99999999999999999999', '1e400']);
        const { bytes, k } = editRecord(t, rng, (r) => replaceValue(r, rng, n, /^[0-9A-Z]{15,18}$/));
        return { bytes, sameRecords: true, note: `record ${k + 1}: an id-like value as the number ${n}` };
      },
    },
    {
      name: 'deep-nesting',
      mutate: (t, rng) => {
        const { bytes, k } = editRecord(t, rng, (r) => replaceValue(r, rng, DEEP));
        return oneRecord(bytes, `record ${k + 1}: a value nested 10,000 levels deep`);
      },
    },
    {
      name: 'invalid-utf8',
      mutate: (t, rng) => {
        const { bytes, k } = editRecord(t, rng, (r) => {
          const b = Buffer.from(replaceValue(r, rng, '"坏@@字"'));
          const at = b.indexOf('@@');
          b[at] = rng.pick([0xff, 0xc3, 0xe5]);
          b[at + 1] = rng.pick([0x28, 0xfe, 0x41]);
          return b;
        });
        return oneRecord(bytes, `record ${k + 1}: invalid UTF-8 inside a string`);
      },
    },
    {
      name: 'bom',
      mutate: (t) => ({ bytes: Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), t.bytes]), sameRecords: true, note: 'UTF-8 BOM added' }),
    },
    {
      name: 'nul-in-string',
      mutate: (t, rng) => {
        const { bytes, k } = editRecord(t, rng, (r) => Buffer.from(replaceValue(r, rng, '"a\u0000b"')));
        return oneRecord(bytes, `record ${k + 1}: a raw NUL byte inside a string`);
      },
    },
    {
      name: 'nul-bytes',
      mutate: (t, rng) => {
        const at = rng.int(0, t.bytes.length);
        return { bytes: insertAt(t.bytes, at, Buffer.alloc(rng.int(1, 3))), note: `NUL bytes at ${at}` };
      },
    },
    {
      name: 'escaped-nul',
      mutate: (t, rng) => {
        const { bytes, k } = editRecord(t, rng, (r) => replaceValue(r, rng, (old) => `${old.slice(0, -1)}\\u0000"`));
        return { bytes, sameRecords: true, note: `record ${k + 1}: a \\u0000 escape ending a string` };
      },
    },
  ];
  if (!nd)
    list.push(
      {
        name: 'record-path-wrong',
        mutate: (_t, rng) => {
          const p = rng.pick(['data.items', 'list', 'data.list.x', 'data', 'code']);
          return { bytes: _t.bytes, source: { json: { record_path: p } }, note: `record_path declared "${p}"` };
        },
      },
      {
        name: 'bare-array',
        mutate: (t) => ({
          bytes: jsonDocument('json', recordTexts(t), { envelope: false }),
          source: { json: { record_path: '' } },
          sameRecords: true,
          note: 'the records as a bare array, record_path ""',
        }),
      },
    );
  else
    list.push(
      {
        name: 'blank-lines',
        mutate: (t, rng) => {
          let b = t.bytes;
          const n = rng.int(1, 5);
          for (let i = 0; i < n; i++) {
            const offs = offsetsOf(b, 0x0a);
            b = insertAt(b, offs.length ? rng.pick(offs) + 1 : 0, rng.pick(['\n', '  \n', '\r\n', '\t\n']));
          }
          return { bytes: b, sameRecords: true, note: `${n} blank line(s) inserted` };
        },
      },
      {
        name: 'crlf',
        mutate: (t) => ({ bytes: Buffer.from(t.bytes.toString('utf8').replaceAll('\n', '\r\n')), sameRecords: true, note: 'every LF made CRLF' }),
      },
      {
        name: 'line-array',
        mutate: (t, rng) => {
          const offs = offsetsOf(t.bytes, 0x0a);
          const at = offs.length ? rng.pick(offs) + 1 : 0;
          return { bytes: insertAt(t.bytes, at, '[1, 2, {"a": "b"}]\n'), note: `an array line at ${at}` };
        },
      },
      {
        name: 'line-cut',
        mutate: (t, rng) => {
          const { bytes, k } = editRecord(t, rng, (r) => r.slice(0, rng.int(0, r.length - 1)));
          return { bytes, note: `line ${k + 1} cut short (the lines after it intact)` };
        },
      },
    );
  return list.map((m) => ({ ...m, name: `${kind}-${m.name}` }));
}

export const JSON_MUTATORS = jsonMutators('json');
export const NDJSON_MUTATORS = jsonMutators('ndjson');
