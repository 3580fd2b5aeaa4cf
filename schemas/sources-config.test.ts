import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseSourcesConfig, sourcesConfigJsonSchema } from './sources-config.ts';

describe('sources config', () => {
  it('has its committed JSON Schema up to date (npm run schema)', () => {
    const committed = JSON.parse(readFileSync(new URL('./sources.schema.json', import.meta.url), 'utf8'));
    expect(committed).toEqual(sourcesConfigJsonSchema());
  });

  it('fills defaults and resolves the landing directory against the config file', () => {
    const cfg = parseSourcesConfig(
      {
        landing_dir: '../landing',
        sources: [{ id: 'a', level: 'province', region_code: '130000', department: '河北省市场监督管理局', feed: 'penalty', path: '*.csv' }],
      },
      '/etc/jianguan/sources.json',
    );
    expect(cfg.landingDir).toBe('/etc/landing');
    expect(cfg.sources[0]).toMatchObject({
      connector: 'csv',
      encoding: 'auto',
      delimiter: ',',
      header_row: 1,
      unknown_columns: 'ignore',
      enabled: true,
    });
  });

  it('rejects unknown keys, value maps on non-code fields and constants of unknown fields', () => {
    const base = { id: 'a', level: 'province', region_code: '130000', department: '河北省市场监督管理局', feed: 'license', path: '*.csv' };
    expect(() => parseSourcesConfig({ sources: [{ ...base, colums: {} }] })).toThrow(/sources\.0: Unrecognized key/);
    try {
      parseSourcesConfig({ sources: [{ ...base, values: { subject_name: { a: 'b' } }, constants: { nope: 'x' } }] });
      expect.unreachable();
    } catch (err) {
      expect((err as { issues: string[] }).issues).toEqual([
        'sources.0.constants.nope: not a field of license',
        'sources.0.values.subject_name: value maps apply to code-list fields only',
      ]);
    }
  });
});

describe('generated feed reference', async () => {
  const { feedsMarkdown } = await import('./feeds-doc.ts');
  it('is up to date (npm run schema)', () => {
    expect(readFileSync(new URL('./FEEDS.md', import.meta.url), 'utf8')).toBe(feedsMarkdown());
  });
});
