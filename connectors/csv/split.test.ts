import { describe, expect, it } from 'vitest';
import { quoteField, splitRecord } from './split.ts';

describe('splitRecord', () => {
  it('splits RFC 4180 records', () => {
    expect(splitRecord('a,"b,c","d""e",', ',', '"')).toEqual(['a', 'b,c', 'd"e', '']);
  });

  it('keeps a quote inside an unquoted field as text', () => {
    expect(splitRecord('河北"某"公司,2', ',', '"')).toEqual(['河北"某"公司', '2']);
  });

  it('keeps text after a closing quote instead of losing it', () => {
    expect(splitRecord('"x"y,4', ',', '"')).toEqual(['xy', '4']);
  });

  it('round-trips through quoteField', () => {
    const values = ['a"b', '', 'c,d', '多\n行'];
    expect(splitRecord(values.map((v) => quoteField(v, '"')).join('|'), '|', '"')).toEqual(values);
  });
});
