// 行政检查行为 (国家"互联网+监管" 监管行为数据) with 双随机、一公开 检查结果 codes.
import { dateOrder } from '../common.ts';
import { defineFeed, type EnumOption } from '../fields.ts';

/** 检查结果, current (2017+) list; multi-select, comma-joined. "1 未发现问题" excludes every other result. */
export const INSPECTION_RESULTS: readonly EnumOption[] = [
  { code: '1', label: '未发现问题', aliases: ['正常（符合信息公示相关规定）', '正常', '合格'] },
  { code: 'A', label: '发现问题待后续处理', aliases: ['不合格'] },
  { code: 'B', label: '未按规定公示应当公示的信息', aliases: ['未按规定公示即时信息', '未按规定公示年报信息'] },
  { code: 'C', label: '公示信息隐瞒真实情况弄虚作假', aliases: ['公示信息隐瞒真实情况、弄虚作假'] },
  { code: 'D', label: '违反其他工商行政管理规定行为' },
  { code: 'E', label: '发现问题经责令已改正' },
  { code: 'F', label: '未发现开展本次抽查涉及的经营活动' },
  { code: 'G', label: '违反公安部门相关规定' },
  { code: '3', label: '违反食品药品管理相关规定' },
  { code: '4', label: '违反质量技术监督相关规定' },
  { code: '5', label: '违反其他部门相关规定' },
  { code: '6', label: '通过登记的住所（经营场所）无法联系', aliases: ['通过登记的住所无法联系', '住所无法联系', '查无下落'] },
  { code: '7', label: '已关闭停业或正在组织清算' },
  { code: '8', label: '不配合检查情节严重', aliases: ['不予配合情节严重'] },
  { code: '9', label: '注销', aliases: ['已办理营业执照注销'] },
  { code: '10', label: '被吊销', aliases: ['被吊销营业执照'] },
  { code: '11', label: '被撤销', aliases: ['被撤销登记'] },
  { code: '12', label: '迁出' },
];

export const INSPECTION_FORMS: readonly EnumOption[] = [
  { code: '01', label: '日常检查', aliases: ['1', '日常'] },
  { code: '02', label: '专项检查', aliases: ['2', '专项'] },
  { code: '03', label: '双随机抽查', aliases: ['3', '双随机', '双随机一公开', '随机抽查'] },
];

export const SUBJECT_NATURES: readonly EnumOption[] = [
  { code: '1', label: '公民', aliases: ['自然人'] },
  { code: '2', label: '法人', aliases: ['法人及非法人组织', '企业'] },
  { code: '3', label: '其他组织', aliases: ['个体工商户', '其他'] },
];

export const FOLLOW_UPS: readonly EnumOption[] = [
  { code: '无需处置', label: '无需处置', aliases: ['无'] },
  { code: '责令公示', label: '责令其公示', aliases: ['责令公示'] },
  { code: '责令改正', label: '责令改正', aliases: ['责令整改', '限期整改'] },
  { code: '列入经营异常名录', label: '拟列入经营异常名录', aliases: ['列入经营异常名录', '列异'] },
  { code: '公示不予配合情节', label: '公示其不予配合情节' },
  { code: '移送处罚', label: '移送立案查处', aliases: ['立案查处', '移送处罚', '移送'] },
  { code: '其他', label: '其他' },
];

export const inspection = defineFeed({
  name: 'inspection',
  label: '行政检查',
  family: 'inspection',
  naturalKey: ['inspection_no'],
  fields: {
    plan_id: { kind: 'code', max: 50, label: '双随机一公开计划id', aliases: ['抽查计划编号', '任务编号', '计划编号'] },
    task_name: { kind: 'text', max: 200, label: '任务名称', aliases: ['抽查任务名称'] },
    item_code: { kind: 'code', digits: 14, pattern: '^[0-9]{14}$', label: '监管事项目录编码', aliases: ['事项编码'], required: true },
    inspection_name: { kind: 'text', max: 200, label: '检查行为名称', aliases: ['检查名称', '检查事项'], required: true },
    inspection_no: { kind: 'code', max: 50, label: '检查行为编号', aliases: ['检查编号', '检查单号'], required: true },
    agency: { kind: 'text', max: 100, label: '实施机构', aliases: ['检查机关', '检查单位'], required: true },
    agency_uscc: { kind: 'uscc', label: '实施机构编码', aliases: ['实施机构统一社会信用代码', '检查机关代码'] },
    subject_name: { kind: 'text', max: 200, label: '行政相对人', aliases: ['行政相对人名称', '检查对象', '企业名称', '监管对象'], required: true },
    subject_nature: { kind: 'enum', options: SUBJECT_NATURES, label: '行政相对人性质', aliases: ['相对人性质'], required: true },
    uscc: {
      kind: 'uscc',
      label: '统一社会信用代码',
      aliases: ['行政相对人编码', '社会信用代码', '信用代码'],
      required: { field: 'subject_nature', in: ['2', '3'] },
    },
    person_id_type: { kind: 'code', max: 10, label: '行政相对人证件类型', aliases: ['证件类型'] },
    person_id_no: { kind: 'code', max: 20, label: '证件号码', aliases: ['身份证号'], required: { field: 'subject_nature', in: ['1'] } },
    registered_address: { kind: 'text', max: 400, label: '注册地址', aliases: ['住所'] },
    business_address: { kind: 'text', max: 400, label: '经营地址', aliases: ['经营场所'] },
    region_code: { kind: 'region', label: '行政区划代码', aliases: ['区划代码', '所属区域'], required: true },
    form: { kind: 'enum', options: INSPECTION_FORMS, label: '检查形式', aliases: ['检查类型'], required: true },
    results: {
      kind: 'enum',
      options: INSPECTION_RESULTS,
      multi: true,
      exclusive: ['1'],
      label: '检查结果',
      aliases: ['抽查结果', '检查结论'],
      required: true,
    },
    follow_up: { kind: 'enum', options: FOLLOW_UPS, label: '后续处置', aliases: ['处置措施', '后续处理'] },
    inspected_on: { kind: 'date', label: '检查时间', aliases: ['检查日期'], required: true },
    inspectors: { kind: 'list', min: 2, minReason: 'inspectors-too-few', label: '检查人员', aliases: ['执法人员', '检查人'], required: true },
    inspector_cert_nos: { kind: 'list', label: '执法证号', aliases: ['执法证件号'] },
    reported_on: { kind: 'date', label: '报送时间', aliases: ['报送日期'] },
  },
  rules: [dateOrder('reported_on', 'inspected_on', '报送时间早于检查时间')],
});
