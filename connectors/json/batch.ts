// Scans a JSON or NDJSON file into the part files the shared validation path loads (connectors/csv/batch.ts). Two
// passes over the file: the first gathers the keys of its records (JSON objects need not all carry every key,
// serialisers often leave out nulls), which become the header the source's column mapping applies to; the second
// writes each record's values in that column order. Rejected records keep their line and reason.
import { stat } from 'node:fs/promises';
import { FileRejectedError } from '../../lib/errors.ts';
import { stampOf } from '../../lib/file-stamp.ts';
import type { FeedSpec } from '../../schemas/fields.ts';
import type { HeaderMapping } from '../../schemas/header-map.ts';
import type { ScanInput } from '../connector.ts';
import type { ScannedCsv } from '../csv/batch.ts';
import type { CsvPart } from '../csv/prepare.ts';
import { PartSink } from '../records/part-sink.ts';
import { type MapNames, scannedParts } from '../records/scanned.ts';
import { type JsonFormat, type JsonRecord, jsonRecords } from './records.ts';
import type { JsonField } from './value.ts';

/** Field kinds that hold identifiers: a JSON number there above 2^53 may already have lost digits at the sender. */
const ID_KINDS = new Set(['text', 'code', 'uscc', 'region']);
const SAFE = 2 ** 53;

async function recordKeys(path: string, format: JsonFormat, recordPath: string, label: string): Promise<string[]> {
  const keys = new Set<string>();
  for await (const r of jsonRecords(path, format, recordPath, label)) {
    if ('fields' in r) for (const k of r.fields.keys()) keys.add(k);
  }
  return [...keys];
}

/** The first id field given as a JSON number too large to be exact, if any. */
function unsafeInteger(fields: Map<string, JsonField>, keys: readonly string[], mapping: HeaderMapping, feed: FeedSpec): string | null {
  for (let i = 0; i < keys.length; i++) {
    const field = mapping.fieldOfColumn[i];
    if (!field) continue;
    const v = fields.get(keys[i]!);
    if (v?.kind === 'number' && ID_KINDS.has(feed.fields[field]?.kind ?? '') && Math.abs(Number(v.text)) > SAFE) return keys[i]!;
  }
  return null;
}

async function* jsonParts(o: ScanInput, format: JsonFormat, recordPath: string, mapNames: MapNames) {
  const keys = await recordKeys(o.path, format, recordPath, o.label);
  const mapping = mapNames(keys, "the records' keys");
  const sink = new PartSink(o.tmpDir, o.partRecords, keys.length);
  try {
    for await (const rec of jsonRecords(o.path, format, recordPath, o.label) as AsyncGenerator<JsonRecord>) {
      let part: CsvPart | null = null;
      if ('fields' in rec) {
        const unsafe = unsafeInteger(rec.fields, keys, mapping, o.feed);
        if (unsafe !== null) {
          sink.reject({
            recordNo: rec.recordNo,
            line: rec.line,
            reason: 'json-unsafe-integer',
            field: mapping.fieldOfColumn[keys.indexOf(unsafe)] ?? unsafe,
            message: `“${unsafe}”以JSON数字给出且超过2^53（${rec.fields.get(unsafe)?.text}），发送方可能已丢失精度；编号须以字符串发送`,
            raw: '',
          });
        } else
          part = sink.add(
            rec.recordNo,
            rec.line,
            keys.map((k) => rec.fields.get(k)?.text ?? null),
            keys,
          );
      } else
        sink.reject({
          recordNo: rec.recordNo,
          line: rec.line,
          reason: rec.reason,
          message: rec.message,
          raw: rec.raw,
          ...(rec.field ? { field: rec.field } : {}),
        });
      if (part) yield part;
    }
    if (stampOf(await stat(o.path, { bigint: true })).stamp !== o.fingerprint.stamp.stamp) {
      throw new FileRejectedError('file-changed', `${o.label}: the file changed while it was being loaded; it will be loaded again next run`);
    }
    const last = sink.finish();
    if (last) yield last;
  } finally {
    sink.abort();
  }
}

/** Starts scanning a JSON (`record_path` into envelopes) or NDJSON file ahead of the writer. */
export function scanJson(o: ScanInput, format: JsonFormat, recordPath: string): ScannedCsv {
  return scannedParts(o, (mapNames) => jsonParts(o, format, recordPath, mapNames));
}
