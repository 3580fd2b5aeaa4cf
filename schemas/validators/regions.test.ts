import { describe, expect, it } from 'vitest';
import { isKnownArea, REGIONS } from './regions.ts';

describe('REGIONS', () => {
  it('holds the current list and the supplement', () => {
    expect([...REGIONS.values()].filter((r) => r.current)).toHaveLength(179);
    // 48 supplement rows, 3 of which (renamed, code kept) are also current
    expect([...REGIONS.values()].filter((r) => !r.current)).toHaveLength(45);
    expect(REGIONS.get('130502')).toMatchObject({ current: true });
    expect(REGIONS.get('130533')).toEqual({ code: '130533', name: '威县', level: 'county', parentCode: '130500', current: true });
    expect(REGIONS.get('130000')?.parentCode).toBeNull();
    expect(REGIONS.get('133100')).toMatchObject({ name: '雄安新区', current: false });
  });
});

describe('isKnownArea', () => {
  it('accepts current, retired and de-facto Hebei codes', () => {
    for (const code of ['130000', '130105', '130533', '130521', '130171', '133100', '139001']) {
      expect(isKnownArea(code), code).toBe(true);
    }
  });

  it('rejects Hebei codes in neither list', () => {
    for (const code of ['139999', '130199', '131200']) expect(isKnownArea(code), code).toBe(false);
  });

  it('accepts any code of another province and the national 100000', () => {
    for (const code of ['110000', '440300', '449999', '652901', '710000', '810000', '820000', '100000']) {
      expect(isKnownArea(code), code).toBe(true);
    }
  });

  it('rejects unused prefixes and anything that is not 6 digits', () => {
    for (const code of ['100001', '160000', '300000', '720000', '830000', '990000', '13053', '1305333', '13053A', '']) {
      expect(isKnownArea(code), code).toBe(false);
    }
  });
});
