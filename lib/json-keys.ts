// One key casing for every `--json` output: snake_case, as the warehouse's tables and columns are. Result objects
// of the pipelines keep their TypeScript (camelCase) names; the CLI converts them here, at the output boundary.

/** `runId` → `run_id`, `filesSeen` → `files_seen`, `HTTPCode` → `http_code`; snake_case keys stay as they are. */
export function snakeKey(key: string): string {
  return key
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1_$2')
    .toLowerCase();
}

/**
 * A deep copy of `value` with every object key in snake_case: plain objects and arrays are walked; Dates, Maps and
 * other class instances are left to JSON.stringify (via their toJSON, if any). Keys of user data (an analyst's
 * `query` columns) must not go through this.
 */
export function snakeKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(snakeKeys);
  if (value === null || typeof value !== 'object') return value;
  const proto = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[snakeKey(k)] = snakeKeys(v);
  return out;
}

/** The paths of the object keys in `value` (deeply) that are not snake_case (lower case, digits, `_`). */
export function camelKeysIn(value: unknown, path = '$'): string[] {
  if (Array.isArray(value)) return value.flatMap((v, i) => camelKeysIn(v, `${path}[${i}]`));
  if (value === null || typeof value !== 'object') return [];
  return Object.entries(value).flatMap(([k, v]) => [...(/^[a-z0-9_]+$/.test(k) ? [] : [`${path}.${k}`]), ...camelKeysIn(v, `${path}.${k}`)]);
}
