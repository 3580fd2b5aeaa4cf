// The big JSON and NDJSON inputs, streamed to disk (never held in memory): a 100 MB string value in the first
// record (either format), and for NDJSON a 1 GB line without a newline. One of each per full run.
import { BIG_FIELD_BYTES, LONG_LINE_BYTES, stream } from './csv-big.ts';
import { type JsonKind, jsonDocument, recordTexts } from './json-text.ts';
import type { Mutator } from './types.ts';

const MIB = 1 << 20;
const MARK = '@@BIG@@';

function bigString(kind: JsonKind): Mutator {
  return {
    name: `${kind}-big-string-100mb`,
    big: true,
    mutate: (t) => {
      const texts = recordTexts(t);
      const first = texts[0] ?? '{}';
      texts[0] = first.replace(/^\{/, `{"big": "${MARK}",`).replace(`,}`, '}');
      const doc = jsonDocument(kind, texts);
      const at = doc.indexOf(MARK);
      return {
        size: BIG_FIELD_BYTES,
        note: `a string value of ${BIG_FIELD_BYTES} bytes in the first record`,
        write: (path) => stream(path, doc.subarray(0, at), Buffer.from('字段\\n'.repeat(MIB / 8)), BIG_FIELD_BYTES, doc.subarray(at + MARK.length)),
      };
    },
  };
}

export const JSON_BIG_MUTATORS: Mutator[] = [bigString('json')];

export const NDJSON_BIG_MUTATORS: Mutator[] = [
  bigString('ndjson'),
  {
    name: 'ndjson-long-line-1gb',
    big: true,
    mutate: (t) => {
      const head = jsonDocument('ndjson', recordTexts(t).slice(0, 3));
      return {
        size: LONG_LINE_BYTES,
        note: `three records, then a ${LONG_LINE_BYTES}-byte line without a newline (ends the file)`,
        write: (path) =>
          stream(path, Buffer.concat([head, Buffer.from('{"a": "')]), Buffer.from('长行'.repeat(MIB / 6)), LONG_LINE_BYTES, Buffer.alloc(0)),
      };
    },
  },
];
