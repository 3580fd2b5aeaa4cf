// Writes records that a connector has already split into fields (JSON, Excel, API pages) into the same part files
// the CSV path produces, so one validation path in DuckDB (connectors/csv/batch.ts) serves every connector: each
// line of a part is `record number, position, field 1 … field n`, every field quoted, an absent value empty.
import { join } from 'node:path';
import { OutBuffer } from '../csv/out-buffer.ts';
import { type CsvPart, controlName, type LineReject, visible } from '../csv/prepare.ts';
import { quoteField } from '../csv/split.ts';

/** Records per part of the first part (small, so DuckDB starts early) and of the others. */
const FIRST_PART_RECORDS = 50_000;
const COMMA = 44;
// C0 controls but TAB, LF and CR
// biome-ignore lint/suspicious/noControlCharactersInRegex: these are what it finds
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f]/;

export class PartSink {
  private out: OutBuffer | null = null;
  private path = '';
  private partNo = 0;
  private records = 0;
  private padded = false;
  private rejects: LineReject[] = [];

  constructor(
    private readonly tmpDir: string,
    private readonly partRecords: number,
    private readonly columns: number,
  ) {}

  /**
   * Adds a record (its values in header order, null for absent); returns a part when one is full. A value holding a
   * C0 control character other than TAB, CR and LF (a NUL, …) rejects the record instead, as in a CSV file.
   */
  add(recordNo: number, position: number, values: readonly (string | null)[], header: readonly string[] = []): CsvPart | null {
    for (let i = 0; i < this.columns; i++) {
      const m = CONTROL.exec(values[i] ?? '');
      if (!m) continue;
      this.rejects.push({
        recordNo,
        line: position,
        reason: 'control-character',
        column: i,
        message: `第 ${i + 1} 列（${header[i] ?? ''}）含控制字符 ${controlName(m[0].charCodeAt(0))}`,
        raw: visible(
          values
            .map((v) => v ?? '')
            .join(',')
            .slice(0, 1000),
        ),
      });
      return null;
    }
    if (!this.out) {
      this.partNo++;
      this.path = join(this.tmpDir, `part-${this.partNo}.csv`);
      this.out = new OutBuffer(this.path);
    }
    const out = this.out;
    out.uint(recordNo, COMMA);
    out.uint(position, COMMA);
    for (let i = 0; i < this.columns; i++) {
      const v = values[i] ?? null;
      if (i > 0) out.byte(COMMA);
      if (v === null) continue;
      if (!this.padded && v !== v.trim()) this.padded = true;
      out.text(quoteField(v, '"'));
    }
    out.byte(10);
    this.records++;
    return this.records >= (this.partNo === 1 ? Math.min(this.partRecords, FIRST_PART_RECORDS) : this.partRecords) ? this.finish() : null;
  }

  reject(r: LineReject): void {
    this.rejects.push(r);
  }

  /** The part being written (or only the rejects gathered since the last part), or null when there is nothing. */
  finish(): CsvPart | null {
    if (!this.out) {
      if (!this.rejects.length) return null;
      const only: CsvPart = { path: '', columns: this.columns, records: 0, rejects: this.rejects, padded: false };
      this.rejects = [];
      return only;
    }
    this.out.close();
    this.out = null;
    const part: CsvPart = { path: this.path, columns: this.columns, records: this.records, rejects: this.rejects, padded: this.padded };
    this.records = 0;
    this.padded = false;
    this.rejects = [];
    return part;
  }

  /** Closes a part left open by an error (its file is in the scratch folder the loader removes). */
  abort(): void {
    try {
      this.out?.close();
    } catch {
      // the error that stopped the scan matters more
    }
    this.out = null;
  }
}
