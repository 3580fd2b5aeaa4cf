// Discovering the SQL models: one SELECT per file under sql/{staging,core,marts}, a header naming output, grain
// and key, and the tables the SELECT reads, taken from DuckDB's own parser (json_serialize_sql), never from
// regexes or file names.
import { readdir, readFile } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { type ErrorCode, JianguanError } from '../../lib/errors.ts';
import { packagePath } from '../../lib/paths.ts';
import { col } from '../../warehouse/columns.ts';
import type { Warehouse } from '../../warehouse/db.ts';

/** Folder → output schema. The folder is `marts` (as in dbt), the schema `mart` (as the tables are named). */
export const LAYERS = [
  { dir: 'staging', schema: 'staging' },
  { dir: 'core', schema: 'core' },
  { dir: 'marts', schema: 'mart' },
] as const;

export type Layer = (typeof LAYERS)[number]['dir'];

export const DEFAULT_SQL_DIR = `${packagePath('sql')}/`;

export interface Model {
  /** `schema.table`, e.g. `core.licenses`. */
  name: string;
  schema: string;
  table: string;
  layer: Layer;
  /** Path relative to the sql directory, with `/`. */
  file: string;
  sql: string;
  grain: string;
  key: string[];
  /** Extra columns the header declares must never be NULL. */
  notNull: string[];
  /** Other header lines (precedence rules, notes). */
  notes: string[];
  /** Qualified tables the SELECT reads, sorted (models and sources alike). */
  reads: string[];
}

export class ModelError extends JianguanError {
  readonly model: string | undefined;
  constructor(code: ErrorCode, message: string, model?: string, cause?: unknown) {
    super(code, message, { exitCode: 1, cause, details: model ? { model } : undefined });
    this.model = model;
  }
}

const IDENT_LIST = /^[a-z_][a-z0-9_]*(\s*,\s*[a-z_][a-z0-9_]*)*$/;

/** The leading `-- name: value` comment block of a model file. */
export function parseHeader(sql: string, file: string, expected: string): Pick<Model, 'grain' | 'key' | 'notNull' | 'notes'> {
  const fields = new Map<string, string>();
  const notes: string[] = [];
  let last: string | null = null;
  for (const raw of sql.split('\n')) {
    const line = raw.trim();
    if (line === '') continue;
    if (!line.startsWith('--')) break;
    const text = line.replace(/^--\s?/, '');
    const m = /^([a-z_]+):\s*(.*)$/.exec(text);
    if (m?.[1] && m[2] !== undefined) {
      last = m[1];
      fields.set(last, m[2].trim());
      if (!['output', 'grain', 'key', 'not_null'].includes(last)) notes.push(text);
    } else if (last && /^\s/.test(text) && text.trim()) {
      // an indented line continues the previous field (a long grain or precedence text)
      if (['output', 'grain', 'key', 'not_null'].includes(last)) fields.set(last, `${fields.get(last)} ${text.trim()}`);
      else notes.push(text);
    } else if (text.trim()) {
      last = null;
      notes.push(text);
    }
  }
  const bad = (msg: string) => new ModelError('model-invalid', `${file}: ${msg}`, expected);
  const output = fields.get('output');
  if (!output) throw bad('the header must name its output table (-- output: schema.table)');
  if (output !== expected) throw bad(`header says output ${output}, but the file builds ${expected}`);
  const grain = fields.get('grain');
  if (!grain) throw bad('the header must state the grain (-- grain: one row per …)');
  const key = fields.get('key');
  if (!key || !IDENT_LIST.test(key)) throw bad('the header must declare the key (-- key: column[, column])');
  const notNull = fields.get('not_null');
  if (notNull !== undefined && !IDENT_LIST.test(notNull)) throw bad('-- not_null: expects a list of column names');
  const split = (s: string) => s.split(',').map((x) => x.trim());
  return { grain, key: split(key), notNull: notNull ? split(notNull) : [], notes };
}

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

function walk(node: Json, tables: Set<string>, ctes: Set<string>): void {
  if (Array.isArray(node)) {
    for (const n of node) walk(n, tables, ctes);
    return;
  }
  if (node === null || typeof node !== 'object') return;
  if (node.type === 'BASE_TABLE' && typeof node.table_name === 'string') {
    const schema = typeof node.schema_name === 'string' ? node.schema_name : '';
    tables.add(schema ? `${schema}.${node.table_name}` : node.table_name);
  }
  const cteMap = node.cte_map;
  if (cteMap && typeof cteMap === 'object' && !Array.isArray(cteMap) && Array.isArray(cteMap.map)) {
    for (const entry of cteMap.map) {
      if (entry && typeof entry === 'object' && !Array.isArray(entry) && typeof entry.key === 'string') ctes.add(entry.key);
    }
  }
  for (const v of Object.values(node)) walk(v, tables, ctes);
}

/** Tables one SELECT reads: BASE_TABLE nodes of its AST minus the names of its CTEs. */
export async function tablesRead(wh: Warehouse, sql: string, file: string, model?: string): Promise<string[]> {
  const ast = JSON.parse(await wh.scalar('select json_serialize_sql(?::varchar) as ast', [sql], col.text())) as {
    error?: boolean;
    error_message?: string;
    statements?: Json[];
  };
  if (ast.error) throw new ModelError('model-invalid', `${file}: ${ast.error_message ?? 'cannot parse'} (a model is one SELECT statement)`, model);
  if (ast.statements?.length !== 1) {
    throw new ModelError('model-invalid', `${file}: a model is exactly one SELECT statement, found ${ast.statements?.length ?? 0}`, model);
  }
  const tables = new Set<string>();
  const ctes = new Set<string>();
  walk(ast.statements, tables, ctes);
  return [...tables].filter((t) => t.includes('.') || !ctes.has(t)).sort();
}

/** Every model under `sqlDir`, sorted by name. */
export async function discoverModels(wh: Warehouse, sqlDir = DEFAULT_SQL_DIR): Promise<Model[]> {
  const models: Model[] = [];
  for (const layer of LAYERS) {
    let names: string[];
    try {
      names = (await readdir(join(sqlDir, layer.dir))).filter((n) => n.endsWith('.sql')).sort();
    } catch {
      continue; // a layer without models is fine
    }
    for (const fileName of names) {
      const table = fileName.slice(0, -'.sql'.length);
      const path = join(sqlDir, layer.dir, fileName);
      const file = relative(sqlDir, path).split(sep).join('/');
      const name = `${layer.schema}.${table}`;
      if (!/^[a-z_][a-z0-9_]*$/.test(table)) throw new ModelError('model-invalid', `${file}: model file names are snake_case`, name);
      const sql = await readFile(path, 'utf8');
      const header = parseHeader(sql, file, name);
      const reads = await tablesRead(wh, sql, file, name);
      models.push({ name, schema: layer.schema, table, layer: layer.dir, file, sql, ...header, reads });
    }
  }
  return models.sort((a, b) => (a.name < b.name ? -1 : 1));
}
