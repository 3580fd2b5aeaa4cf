import { describe, expect, it } from 'vitest';
import { excelMangled, lostLeadingZeros } from './identifiers.ts';

describe('excelMangled', () => {
  it.each(['4.40301E+17', '9.1130105E+17', '1.30105E17', '1.30105e17', '-1.2E-5', '+3E+2', ' 4.40301E+17 '])('flags %j', (raw) => {
    expect(excelMangled(raw)).toBe(true);
  });

  it.each(['440301104001819', '91440300192317458F', '4.40301', 'E+17', '4.40301E', '4.40301E+', '1..2E3', '12.5万元', ''])(
    'leaves %j alone',
    (raw) => {
      expect(excelMangled(raw)).toBe(false);
    },
  );
});

describe('lostLeadingZeros', () => {
  it('flags all-digit values shorter than the fixed width', () => {
    expect(lostLeadingZeros('30533', 6)).toBe(true);
    expect(lostLeadingZeros(' 1234567890123 ', 14)).toBe(true);
  });

  it('leaves full-width, non-digit and empty values alone', () => {
    expect(lostLeadingZeros('130533', 6)).toBe(false);
    expect(lostLeadingZeros('1305331', 6)).toBe(false);
    expect(lostLeadingZeros('3053A', 6)).toBe(false);
    expect(lostLeadingZeros('', 6)).toBe(false);
  });
});
