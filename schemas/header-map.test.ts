import { describe, expect, it } from 'vitest';
import { FEEDS } from './feeds/index.ts';
import { closestHeaders, similarity } from './header-hints.ts';
import { mapHeader } from './header-map.ts';

const src = (columns: Record<string, string | null> = {}, constants: Record<string, string> = {}) => ({
  columns,
  constants,
  unknown_columns: 'ignore' as const,
});

describe('mapHeader', () => {
  it('maps national codes, Chinese labels and aliases without configuration', () => {
    const r = mapHeader(
      FEEDS.penalty,
      [
        'CF_XDR_MC',
        '行政相对人类别',
        '信用代码',
        'CF_WSH',
        '违法行为类型',
        '违法事实',
        '处罚依据',
        '处罚类别',
        '处罚内容',
        '罚款金额',
        '处罚决定日期',
        '处罚机关',
        '处罚机关统一社会信用代码',
        '经办人',
      ],
      src(),
    );
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.mapping.fieldOfColumn.slice(0, 3)).toEqual(['subject_name', 'subject_kind', 'uscc']);
    expect(r.mapping.ignored).toEqual(['经办人']);
  });

  it('lets the config map a department’s own headers and ignore columns', () => {
    const r = mapHeader(
      FEEDS.credit_rating,
      ['主体代码', '主体', '类', '日期', '机关', '备注'],
      src({ 主体代码: 'uscc', 主体: 'name', 类: 'risk_class', 日期: 'rated_on', 机关: 'rated_by', 备注: null }),
    );
    expect(r.ok && r.mapping.ignored).toEqual([]);
  });

  it('offers the closest unmapped headers for a missing column: 实施机关 for 实施机构, at most 3, best first', () => {
    const header = [
      '检查行为名称',
      '检查行为编号',
      '实施机关',
      '监管事项目录编码',
      '行政相对人',
      '行政相对人性质',
      '行政区划代码',
      '检查形式',
      '检查结果',
      '检查时间',
      '检查人员',
      '备注',
    ];
    const r = mapHeader(FEEDS.inspection, header, src());
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.reason).toBe('missing-columns');
    expect(r.message).toBe(
      'required columns missing: agency (实施机构; closest headers in the file: "实施机关"); if a header is meant, rename it or map it in the source\'s "columns", e.g. {"实施机关":"agency"}',
    );
    expect(closestHeaders(FEEDS.inspection, 'agency', ['实施机关', '执法机关', '实施机构名称', '机关', '备注']).map((c) => c.header)).toEqual([
      '实施机构名称',
      '实施机关',
      '机关',
    ]);
    expect(similarity('实施机关', '实施机构')).toBe(0.75);
    expect(similarity('备注', '实施机构')).toBe(0);
  });

  it('names the missing required columns, counting constants as present', () => {
    const r = mapHeader(FEEDS.credit_rating, ['统一社会信用代码', '企业名称', '信用风险分类'], src({}, { rated_by: '河北省市场监督管理局' }));
    expect(r).toEqual({ ok: false, reason: 'missing-columns', message: 'required columns missing: rated_on (分类日期)' });
  });

  it('fails duplicate, empty and forbidden headers, and two headers mapping to one field', () => {
    expect(mapHeader(FEEDS.credit_rating, ['a', 'A '], src())).toMatchObject({ ok: false, reason: 'duplicate-header' });
    expect(mapHeader(FEEDS.credit_rating, ['a', ''], src())).toMatchObject({ ok: false, reason: 'empty-header' });
    expect(mapHeader(FEEDS.credit_rating, ['constructor'], src())).toMatchObject({ ok: false, reason: 'forbidden-header' });
    expect(mapHeader(FEEDS.credit_rating, ['统一社会信用代码', '社会信用代码'], src())).toMatchObject({ ok: false, reason: 'duplicate-header' });
  });
});
