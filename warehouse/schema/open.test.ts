import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeTempDir } from '../../lib/temp-dir.ts';
import { openWarehouse, restoreDefaultMemoryLimit } from './open.ts';

describe('openWarehouse', () => {
  let dir: string;
  let cleanup: () => void;
  beforeEach(() => ({ dir, cleanup } = makeTempDir()));
  afterEach(() => cleanup());

  it('gives the buffer pool its default back after a load with a small one', async () => {
    const wh = await openWarehouse(join(dir, 'w.duckdb'), { memoryLimit: '64MB' });
    try {
      // what the buffer manager enforces, not only what the setting says
      const poolMiB = async () => {
        const [n, unit] = String((await wh.one('select memory_limit from pragma_database_size()'))?.memory_limit).split(' ');
        return Number(n) * ({ KiB: 1 / 1024, MiB: 1, GiB: 1024, TiB: 1024 ** 2 }[unit as string] ?? Number.NaN);
      };
      expect(await poolMiB()).toBeLessThanOrEqual(64);
      await restoreDefaultMemoryLimit(wh);
      expect(await poolMiB()).toBeGreaterThan(128);
    } finally {
      wh.close();
    }
  });
});
