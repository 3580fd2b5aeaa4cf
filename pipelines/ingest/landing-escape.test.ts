// Source paths stay inside landing_dir: `..` and absolute paths are config errors, a symlink out is refused at planning.
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConfigError } from '../../lib/errors.ts';
import { makeTempDir } from '../../lib/temp-dir.ts';
import { parseSourcesConfig } from '../../schemas/sources-config.ts';
import { planFiles } from './plan.ts';

const source = (path: string) => ({
  id: 'sjz-license',
  level: 'city',
  region_code: '130100',
  department: '石家庄市行政审批局',
  feed: 'license',
  path,
});

describe('source paths and landing_dir', () => {
  let dir: string;
  let cleanup: () => void;
  beforeEach(() => ({ dir, cleanup } = makeTempDir()));
  afterEach(() => cleanup());

  it.each(['../outside/*.csv', '../../../etc/passwd', 'a/../../b.csv', '/etc/passwd', '/tmp/*.csv'])('refuses %s at config validation', (path) => {
    let err: unknown;
    try {
      parseSourcesConfig({ sources: [source(path)] }, join(dir, 'land/sources.json'));
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ConfigError);
    expect(err).toMatchObject({ exitCode: 2 });
    expect((err as Error).message).toContain('sjz-license');
    expect((err as Error).message).toContain(`"${path}"`);
  });

  it('accepts paths inside landing_dir', () => {
    for (const p of ['*.csv', './a/*.csv', '**/x..csv', 'a..b/*.csv']) expect(() => parseSourcesConfig({ sources: [source(p)] })).not.toThrow();
  });

  it('refuses a symlink that resolves outside landing_dir, follows one inside', async () => {
    mkdirSync(join(dir, 'land/sub'), { recursive: true });
    mkdirSync(join(dir, 'outside'));
    writeFileSync(join(dir, 'outside/secret.csv'), 'a\n1\n');
    writeFileSync(join(dir, 'land/sub/real.csv'), 'a\n1\n');
    symlinkSync(join(dir, 'land/sub/real.csv'), join(dir, 'land/inside.csv'));
    const cfg = parseSourcesConfig({ sources: [source('*.csv')] }, join(dir, 'land/sources.json'));
    expect((await planFiles(cfg)).files.map((f) => f.location)).toEqual(['inside.csv']);
    symlinkSync(join(dir, 'outside/secret.csv'), join(dir, 'land/escape.csv'));
    const err = await planFiles(cfg).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConfigError);
    expect(err).toMatchObject({ exitCode: 2 });
    expect((err as Error).message).toMatch(/source sjz-license: escape\.csv is a symlink to .*outside\/secret\.csv, outside landing_dir/);
  });
});
