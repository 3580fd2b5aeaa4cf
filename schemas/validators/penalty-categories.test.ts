import { describe, expect, it } from 'vitest';
import { ART9_CLASSES, LEGACY_2016_CATEGORIES, mapPenaltyCategories, PENALTY_SYNONYMS, PENALTY_TYPES } from './penalty-categories.ts';

const types = (raw: string) => {
  const r = mapPenaltyCategories(raw);
  if (!r.ok) throw new Error(r.message);
  return r.types;
};

describe('mapPenaltyCategories', () => {
  it('maps each 2016 value', () => {
    expect(LEGACY_2016_CATEGORIES.map(types)).toEqual([
      ['警告'],
      ['罚款'],
      ['没收违法所得', '没收非法财物'],
      ['责令停产停业'],
      ['暂扣许可证件', '吊销许可证件'],
      ['行政拘留'],
      ['其他'],
    ]);
  });

  it('maps each 2021 Art. 9 class onto its types, and back to its class number', () => {
    ART9_CLASSES.forEach((text, i) => {
      const names = types(text);
      expect(names.length).toBeGreaterThan(0);
      for (const n of names) expect(PENALTY_TYPES.find((t) => t.name === n)?.artClass).toBe(i + 1);
    });
    expect(types('罚款、没收违法所得、没收非法财物')).toEqual(['罚款', '没收违法所得', '没收非法财物']);
    expect(types('法律、行政法规规定的其他行政处罚')).toEqual(['其他']);
  });

  it('splits on every delimiter and blank, de-duplicates and sorts in vocabulary order', () => {
    expect(types('罚款,警告，罚款、行政拘留;责令关闭；通报批评/限制从业|降低资质等级 吊销许可证件\u3000暂扣许可证件')).toEqual([
      '警告',
      '通报批评',
      '罚款',
      '暂扣许可证件',
      '降低资质等级',
      '吊销许可证件',
      '责令关闭',
      '限制从业',
      '行政拘留',
    ]);
  });

  it('reads 其他 with any note', () => {
    expect(types('其他（需注明）')).toEqual(['其他']);
    expect(types('其他（需注明）：责令改正')).toEqual(['其他']);
    expect(types('警告、其他(责令改正、公开道歉)')).toEqual(['警告', '其他']);
    expect(types('其他-责令改正')).toEqual(['其他']);
  });

  it('drops bracketed notes', () => {
    expect(types('罚款（2000元）、警告')).toEqual(['警告', '罚款']);
  });

  it('maps the common synonyms', () => {
    expect(types('吊销营业执照')).toEqual(['吊销许可证件']);
    expect(types('责令停产、责令停业')).toEqual(['责令停产停业']);
    expect(types('没收违法所得和非法财物')).toEqual(['没收违法所得', '没收非法财物']);
  });

  it('never matches by numeric code', () => {
    for (const raw of ['1', '0', '9', '1,2', '警告、2']) {
      expect(mapPenaltyCategories(raw), raw).toMatchObject({ ok: false, reason: 'enum-invalid' });
    }
  });

  it('rejects unknown text and names it in the message', () => {
    expect(mapPenaltyCategories('警告、责令改正')).toEqual({ ok: false, reason: 'enum-invalid', message: '无法识别的处罚类别：责令改正' });
    expect(mapPenaltyCategories('toString')).toMatchObject({ ok: false });
    expect(mapPenaltyCategories('法律')).toMatchObject({ ok: false });
  });

  it('treats a blank field as no types', () => {
    expect(mapPenaltyCategories('')).toEqual({ ok: true, types: [] });
    expect(mapPenaltyCategories(' 、 ')).toEqual({ ok: true, types: [] });
  });

  it('maps every synonym to vocabulary names only', () => {
    const names = new Set(PENALTY_TYPES.map((t) => t.name));
    for (const targets of Object.values(PENALTY_SYNONYMS)) for (const t of targets) expect(names.has(t)).toBe(true);
  });
});
