import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { asJianguanError, ERROR_CODES, JianguanError } from './errors.ts';

describe('error codes', () => {
  it('are all documented in the README, with their exit code', () => {
    const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
    const documented = new Map([...readme.matchAll(/^\| `([a-z-]+)` \| (\d+) \|/gm)].map((m) => [m[1], Number(m[2])]));
    const listed = Object.entries(ERROR_CODES).map(([code, { exit }]) => [code, exit] as const);
    expect([...documented].sort()).toEqual([...listed].sort());
  });

  it('maps Node, DuckDB and zod failures to named codes; anything else is internal-error', () => {
    const errno = (code: string, path?: string) => Object.assign(new Error(`${code}: oops`), { code, path, syscall: 'open' });
    expect(asJianguanError(errno('ENOENT', '/x/y.json'))).toMatchObject({
      code: 'file-not-found',
      exitCode: 2,
      message: 'no such file or directory: /x/y.json',
    });
    expect(asJianguanError(errno('EACCES', '/x'))).toMatchObject({ code: 'permission-denied', exitCode: 2 });
    expect(asJianguanError(errno('ENOSPC'))).toMatchObject({ code: 'disk-full', exitCode: 1 });
    expect(asJianguanError(new Error('IO Error: Could not read file "x"'))).toMatchObject({ code: 'warehouse-io-error' });
    expect(asJianguanError(new Error('Catalog Error: Table with name t does not exist!'))).toMatchObject({ code: 'catalog-error', exitCode: 2 });
    expect(asJianguanError(new Error('Out of Memory Error: failed to allocate'))).toMatchObject({ code: 'out-of-memory' });
    const zod = Object.assign(new Error('zod'), { name: 'ZodError', issues: [{ path: ['weights', 'x'], message: 'Expected number' }] });
    expect(asJianguanError(zod)).toMatchObject({ code: 'invalid-input', exitCode: 2 });
    expect(asJianguanError(zod).message).toContain('weights.x: Expected number');
    const bug = asJianguanError(new TypeError('x is undefined'));
    expect(bug).toMatchObject({ code: 'internal-error', exitCode: 1 });
    expect(bug.message).toMatch(/^internal error: x is undefined\n.*please report it/);
    const own = new JianguanError('usage', 'bad');
    expect(asJianguanError(own)).toBe(own);
  });
});
