// The risk config: documented defaults, and every bad value reported as `path: message` with exit code 2.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../lib/errors.ts';
import { makeTempDir } from '../../lib/temp-dir.ts';
import { flattenParams } from './params.ts';
import { defaultRiskConfig, loadRiskConfig, parseRiskConfig } from './risk-config.ts';

const issues = (input: unknown): string[] => {
  try {
    parseRiskConfig(input);
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as ConfigError).exitCode).toBe(2);
    return (err as ConfigError).issues;
  }
  throw new Error('expected a ConfigError');
};

describe('risk config', () => {
  it('defaults to the documented cut-offs, windows and ratios', () => {
    const c = defaultRiskConfig();
    expect(c.cutoffs).toEqual({ a_max: 250, b_max: 500, c_max: 750 });
    expect(c.sampling.ratios).toEqual({ A: 0.03, B: 0.05, C: 0.1, D: 1 });
    expect(c.thresholds.large_fine_yuan).toBe(200_000);
    expect(c.windows.repeat_penalty_days).toBe(365);
  });

  it('merges a partial file over the defaults', () => {
    const c = parseRiskConfig({ cutoffs: { a_max: 200 }, sampling: { seed: 7 } });
    expect(c.cutoffs).toEqual({ a_max: 200, b_max: 500, c_max: 750 });
    expect(c.sampling.seed).toBe(7);
    expect(c.sampling.ratios.D).toBe(1);
  });

  it('lists every bad value by its path', () => {
    const found = issues({ cutoffs: { a_max: 600 }, weights: { penalty_base: -1, typo: 1 }, sampling: { ratios: { A: 2 }, inspectors_per_team: 1 } });
    expect(found.map((i) => i.split(':')[0]).sort()).toEqual([
      'cutoffs',
      'sampling.inspectors_per_team',
      'sampling.ratios.A',
      'weights',
      'weights.penalty_base',
    ]);
  });

  it('reports an unreadable or non-JSON file as a config error', () => {
    const { dir, cleanup } = makeTempDir();
    try {
      const file = join(dir, 'risk.json');
      writeFileSync(file, '{ not json');
      expect(() => loadRiskConfig(file)).toThrow(ConfigError);
      expect(() => loadRiskConfig(join(dir, 'missing.json'))).toThrow(ConfigError);
      writeFileSync(file, JSON.stringify({ windows: { follow_up_days: 45 } }));
      expect(loadRiskConfig(file).windows.follow_up_days).toBe(45);
    } finally {
      cleanup();
    }
  });

  it('flattens to the dotted parameter names the SQL reads', () => {
    const p = new Map(flattenParams(defaultRiskConfig()));
    expect(p.get('weights.inspection_result.C')).toBe('150');
    expect(p.get('codes.problem_results')).toBe(JSON.stringify(defaultRiskConfig().codes.problem_results));
    expect(p.get('sampling.ratios.A')).toBe('0.03');
  });
});
