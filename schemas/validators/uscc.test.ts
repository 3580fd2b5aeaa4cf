import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { isRecordReason } from '../reasons.ts';
import {
  checkUscc,
  DEPT_CATEGORY_PAIRS,
  makeUscc,
  normalizeUscc,
  orgCodeCheckChar,
  USCC_ALPHABET,
  USCC_PLACEHOLDER,
  type UsccResult,
  usccCheckChar,
} from './uscc.ts';

interface Vector {
  code: string;
  expect_valid: string;
  failure: string;
}

const vectors = parse(readFileSync(new URL('../reference/uscc_test_vectors.csv', import.meta.url), 'utf8'), {
  columns: true,
  bom: true,
}) as Vector[];

// What each invalid row of the reference file must come out as. The file says "invalid" for the lowercase and
// placeholder rows too; we normalise the first (with a warning) and read the second as "no code".
const INVALID_OUTCOME: Record<string, { reason: string; message?: string } | 'lowercase' | 'placeholder'> = {
  '91440300192317458E': { reason: 'uscc-check', message: '校验位应为F，实为E' },
  '91440300192317457C': { reason: 'uscc-org-check', message: '组织机构代码校验位应为8，实为7' },
  '91440300192317458': { reason: 'uscc-length', message: '长度应为18位，实为17位' },
  '9144030019231745OF': { reason: 'uscc-charset', message: '第17位含非法字符“O”' },
  '91440300192317458f': 'lowercase',
  '91110108717809965C': { reason: 'uscc-check' },
  '9133010057462616XH': { reason: 'uscc-check' },
  '91130000100012345X': { reason: 'uscc-check' },
  '00000000000000000X': 'placeholder',
  '911399991923174583': { reason: 'uscc-area', message: '登记管理机关行政区划码139999无效' },
  '944403001923174586': { reason: 'uscc-dept-category', message: '登记管理部门码9与机构类别码4不匹配' },
};

function expectFail(r: UsccResult, reason: string, message?: string) {
  expect(r).toMatchObject({ ok: false, reason });
  if (!r.ok) {
    expect(isRecordReason(r.reason)).toBe(true);
    if (message !== undefined) expect(r.message).toBe(message);
  }
}

describe('checkUscc', () => {
  it('reads the 23 rows of the reference vectors file', () => {
    expect(vectors).toHaveLength(23);
    expect(vectors.filter((v) => v.expect_valid === 'true')).toHaveLength(12);
  });

  it.each(vectors.filter((v) => v.expect_valid === 'true').map((v) => v.code))('accepts valid vector %s', (code) => {
    expect(checkUscc(code)).toEqual({ ok: true, value: code, placeholder: false, warnings: [] });
  });

  it.each(vectors.filter((v) => v.expect_valid === 'false').map((v) => [v.code, v.failure]))(
    'handles invalid vector %s (%s) as specified',
    (code) => {
      const outcome = INVALID_OUTCOME[code];
      expect(outcome, `no expectation written for ${code}`).toBeDefined();
      const r = checkUscc(code);
      if (outcome === 'lowercase') {
        expect(r).toEqual({ ok: true, value: code.toUpperCase(), placeholder: false, warnings: ['uscc-lowercase'] });
      } else if (outcome === 'placeholder') {
        expect(r).toEqual({ ok: true, value: null, placeholder: true, warnings: [] });
      } else if (outcome) {
        expectFail(r, outcome.reason, outcome.message);
      }
    },
  );

  it('treats a blank field as absent, not as a bad code', () => {
    expect(checkUscc('')).toEqual({ ok: true, value: null, placeholder: false, warnings: [] });
    expect(checkUscc(' \u3000\t')).toEqual({ ok: true, value: null, placeholder: false, warnings: [] });
  });

  it('accepts codes registered in other provinces and nationally, but not unknown Hebei areas', () => {
    expect(checkUscc(makeUscc('91440300', '19231745')).ok).toBe(true);
    expect(checkUscc(makeUscc('91100000', '71092546')).ok).toBe(true);
    expect(checkUscc(makeUscc('91130521', 'MA07XQNN')).ok).toBe(true); // 邢台县, retired 2020
    expect(checkUscc(makeUscc('91130171', 'MA07XQNN')).ok).toBe(true); // 石家庄高新区 (NBS zone)
    expectFail(checkUscc(makeUscc('91139999', 'MA07XQNN')), 'uscc-area');
    expectFail(checkUscc(makeUscc('91990000', 'MA07XQNN')), 'uscc-area');
  });

  it('checks in order length, charset, dept/category, MOD 31, org check, area', () => {
    expectFail(checkUscc('94440300192317458'), 'uscc-length'); // also bad pair
    expectFail(checkUscc('9444030019231745OF'), 'uscc-charset'); // also bad pair
    expectFail(checkUscc('944403001923174580'), 'uscc-dept-category'); // also bad check char
    expectFail(checkUscc('91139999192317457C'), 'uscc-check'); // also bad org check and area
  });

  it('rejects a letter in the area part and I/O/S/V/Z anywhere', () => {
    expectFail(checkUscc('9113010AMA07XQNN9N'), 'uscc-charset');
    for (const c of 'IOSVZ') expectFail(checkUscc(`91130105MA07XQN${c}9N`), 'uscc-charset');
  });

  it('counts length in code points, like DuckDB', () => {
    expectFail(checkUscc('9144030019231745😀F'), 'uscc-charset');
    expect(checkUscc('9144030019231745😀F')).toMatchObject({ message: '第17位含非法字符“😀”' });
  });
});

describe('normalizeUscc', () => {
  it('trims Unicode blanks without a warning', () => {
    expect(normalizeUscc('\ufeff 91440300192317458F\u3000\u00a0')).toEqual({ value: '91440300192317458F', warnings: [] });
  });

  it('folds full-width characters with a warning', () => {
    expect(normalizeUscc('９１４４０３００１９２３１７４５８Ｆ')).toEqual({
      value: '91440300192317458F',
      warnings: ['uscc-fullwidth'],
    });
  });

  it('reports lower case before full width', () => {
    expect(normalizeUscc('9144030019231745８ｆ').warnings).toEqual(['uscc-lowercase', 'uscc-fullwidth']);
  });

  it('upper-cases ASCII letters only', () => {
    expect(normalizeUscc('ßa').value).toBe('ßA');
  });
});

describe('usccCheckChar', () => {
  it('reproduces the worked examples of GB 32100-2015', () => {
    expect(usccCheckChar('91440300192317458')).toBe('F');
    expect(usccCheckChar('9144030071526726X')).toBe('G');
    expect(usccCheckChar('91110000710925462')).toBe('X');
    expect(usccCheckChar('00000000000000000')).toBe('0');
  });

  it('throws on characters outside the alphabet', () => {
    expect(() => usccCheckChar('9144030019231745O')).toThrow(RangeError);
    expect(() => usccCheckChar('914403')).toThrow(RangeError);
  });
});

describe('orgCodeCheckChar', () => {
  it('computes GB 11714 check characters including X and 0', () => {
    expect(orgCodeCheckChar('19231745')).toBe('8');
    expect(orgCodeCheckChar('71526726')).toBe('X');
    expect(orgCodeCheckChar('MA0D8N1J')).toBe('7');
    // S mod 11 = 0 → r = 11 → '0'
    expect(orgCodeCheckChar('00000000')).toBe('0');
  });

  it('values letters A=10 … Z=35, including the ones the credit-code alphabet excludes', () => {
    expect(orgCodeCheckChar('Z0000000')).toBe(String(11 - ((35 * 3) % 11)));
  });
});

describe('makeUscc', () => {
  it('builds codes that pass every check', () => {
    expect(makeUscc('91440300', '19231745')).toBe('91440300192317458F');
    expect(makeUscc('91440300', '71526726')).toBe('9144030071526726XG');
    let seed = 7;
    const next = () => (seed = (seed * 48271) % 2147483647);
    for (let i = 0; i < 500; i++) {
      const pair = DEPT_CATEGORY_PAIRS[next() % DEPT_CATEGORY_PAIRS.length]!;
      let body = '';
      for (let j = 0; j < 8; j++) body += USCC_ALPHABET[next() % 31];
      const code = makeUscc(`${pair}130105`, body);
      expect(checkUscc(code)).toEqual({ ok: true, value: code, placeholder: false, warnings: [] });
    }
  });

  it('throws on malformed parts', () => {
    expect(() => makeUscc('9113010', '19231745')).toThrow(RangeError);
    expect(() => makeUscc('9113010A', '19231745')).toThrow(RangeError);
    expect(() => makeUscc('91130105', '1923174O')).toThrow(RangeError);
  });

  it('cannot build the placeholder, whose check character is not X', () => {
    expect(usccCheckChar(USCC_PLACEHOLDER.slice(0, 17))).toBe('0');
    expect(checkUscc(USCC_PLACEHOLDER)).toEqual({ ok: true, value: null, placeholder: true, warnings: [] });
  });
});
