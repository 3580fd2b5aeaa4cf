// Field groups and code lists shared by several feeds (national 双公示 identity block, 证件类型, …).
import type { EnumOption, FieldSpec, RowRule } from './fields.ts';

export const SUBJECT_KINDS: readonly EnumOption[] = [
  { code: '法人及非法人组织', label: '法人及非法人组织', aliases: ['法人', '法人和非法人组织', '非法人组织', '企业'] },
  { code: '自然人', label: '自然人', aliases: ['个人', '公民'] },
  { code: '个体工商户', label: '个体工商户', aliases: ['个体户', '个体'] },
];

export const ID_TYPES: readonly EnumOption[] = [
  { code: '身份证', label: '身份证', aliases: ['居民身份证', '111', '001'] },
  { code: '护照号', label: '护照号', aliases: ['护照', '414'] },
  { code: '港澳居民来往内地通行证', label: '港澳居民来往内地通行证', aliases: ['港澳通行证', '516'] },
  { code: '台湾居民来往大陆通行证', label: '台湾居民来往大陆通行证', aliases: ['台胞证', '511'] },
  { code: '外国人永久居留身份证', label: '外国人永久居留身份证', aliases: ['553'] },
  { code: '其他', label: '其他' },
];

/** Identity block of the 双公示 feeds: the same fields under XK_* (licence) and CF_* (penalty) codes. */
export function identityFields(prefix: 'XK' | 'CF') {
  return {
    subject_name: {
      kind: 'text',
      max: 200,
      label: '行政相对人名称',
      std: [`${prefix}_XDR_MC`],
      aliases: ['企业名称', '主体名称', '当事人名称', '单位名称'],
      required: true,
    },
    subject_kind: {
      kind: 'enum',
      options: SUBJECT_KINDS,
      label: '行政相对人类别',
      std: [`${prefix}_XDR_LB`],
      aliases: ['主体类别', '相对人类别'],
      required: true,
    },
    uscc: {
      kind: 'uscc',
      label: '统一社会信用代码',
      std: [`${prefix}_XDR_SHXYM`],
      aliases: ['行政相对人代码_1', '信用代码', '社会信用代码', '统一代码'],
      required: { field: 'subject_kind', in: ['法人及非法人组织', '个体工商户'] },
    },
    reg_no: {
      kind: 'code',
      max: 50,
      label: '工商注册号',
      std: [`${prefix}_XDR_GSZC`],
      aliases: ['行政相对人代码_2', '注册号'],
      required: { field: 'uscc', placeholder: true },
    },
    org_code: {
      kind: 'code',
      max: 10,
      pattern: '^[0-9A-Z]{8}-?[0-9X]$',
      label: '组织机构代码',
      std: [`${prefix}_XDR_ZZJG`],
      aliases: ['行政相对人代码_3'],
    },
    tax_no: { kind: 'code', max: 30, label: '税务登记号', std: [`${prefix}_XDR_SWDJ`], aliases: ['行政相对人代码_4'] },
    institution_no: { kind: 'code', max: 30, label: '事业单位证书号', std: [`${prefix}_XDR_SYDW`], aliases: ['行政相对人代码_5'] },
    social_org_no: { kind: 'code', max: 30, label: '社会组织登记证号', std: [`${prefix}_XDR_SHZZ`], aliases: ['行政相对人代码_6'] },
    legal_rep: {
      kind: 'text',
      max: 50,
      label: '法定代表人',
      std: [`${prefix}_FRDB`],
      aliases: ['法定代表人姓名', '负责人'],
      required: { field: 'subject_kind', in: ['法人及非法人组织'] },
    },
    legal_rep_id_type: { kind: 'enum', options: ID_TYPES, label: '法定代表人证件类型', std: [`${prefix}_FR_ZJLX`] },
    legal_rep_id_no: { kind: 'code', max: 30, label: '法定代表人证件号码', std: [`${prefix}_FR_ZJHM`] },
    person_id_type: {
      kind: 'enum',
      options: ID_TYPES,
      label: '证件类型',
      std: [`${prefix}_XDR_ZJLX`],
      required: { field: 'subject_kind', in: ['自然人'] },
    },
    person_id_no: { kind: 'code', max: 30, label: '证件号码', std: [`${prefix}_XDR_ZJHM`], required: { field: 'subject_kind', in: ['自然人'] } },
  } as const satisfies Record<string, FieldSpec>;
}

/** Who reported the record (数据来源单位) and a free remark: on every 双公示 feed. */
export function sourceUnitFields(std: { name: string; code: string }) {
  return {
    source_unit: { kind: 'text', max: 200, label: '数据来源单位', std: [std.name] },
    source_unit_uscc: { kind: 'uscc', label: '数据来源单位统一社会信用代码', std: [std.code] },
    remark: { kind: 'text', max: 2000, label: '备注', std: ['BZ'] },
  } as const satisfies Record<string, FieldSpec>;
}

/** Record rule: `later` (when given) must not be before `earlier`. */
export function dateOrder(later: string, earlier: string, message: string): RowRule {
  return {
    reason: 'date-order',
    field: later,
    sql: `${later} < ${earlier}`,
    js: (r) => typeof r[later] === 'string' && typeof r[earlier] === 'string' && (r[later] as string) < (r[earlier] as string),
    message,
  };
}
