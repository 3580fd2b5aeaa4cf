import { describe, expect, it } from 'vitest';
import { displayWidth, table } from './format.ts';

describe('displayWidth', () => {
  it('counts CJK (also Extension B, outside the BMP) as two columns and combining marks as none', () => {
    expect(displayWidth('abc')).toBe(3);
    expect(displayWidth('石家庄')).toBe(6);
    expect(displayWidth('𠀋')).toBe(2); // U+2000B, a surrogate pair in JavaScript
    expect(displayWidth('张𠀋三')).toBe(6);
    expect(displayWidth('ＡＢ')).toBe(4);
    expect(displayWidth('e\u0301')).toBe(1);
  });

  it('aligns table columns whatever the characters', () => {
    // the last column holds numbers, right-aligned: every line ends at the same terminal column
    const lines = table(
      ['name', 'n'],
      [
        ['张𠀋三', 1],
        ['ab', 22],
      ],
    ).split('\n');
    expect(lines.map(displayWidth)).toEqual([10, 10, 10, 10]);
  });
});
