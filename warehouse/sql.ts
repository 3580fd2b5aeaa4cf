// Identifiers reach SQL only through these helpers; values only through parameters or `literal()`
// (used for generated DDL/validation SQL where DuckDB takes no parameters, e.g. read_csv options).

const IDENT = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Quote one identifier (schema, table, column). */
export function ident(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/** `schema.table`, each part quoted. */
export function qualified(schema: string, table: string): string {
  return `${ident(schema)}.${ident(table)}`;
}

/** A SQL string literal. Only for values DuckDB cannot take as parameters (table-function options, DDL). */
export function literal(value: string): string {
  return `'${value.replaceAll("'", "''")}'`;
}

/** True when a name is a plain identifier (used to validate config-provided names early). */
export function isPlainIdentifier(name: string): boolean {
  return IDENT.test(name);
}
