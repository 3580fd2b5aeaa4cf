// 失信被执行人 (court list, zxgk / shixin.court.gov.cn record layout).
import { defineFeed, type EnumOption } from '../fields.ts';

/** 失信情形 (最高法《关于公布失信被执行人名单信息的若干规定》 Art. 1); a trailing 的 is ignored. */
export const DISHONEST_SITUATIONS: readonly EnumOption[] = [
  { code: '1', label: '有履行能力而拒不履行生效法律文书确定义务', aliases: ['其他有履行能力而拒不履行生效法律文书确定义务'] },
  { code: '2', label: '以伪造证据、暴力、威胁等方法妨碍、抗拒执行' },
  { code: '3', label: '以虚假诉讼、虚假仲裁或者以隐匿、转移财产等方法规避执行' },
  { code: '4', label: '违反财产报告制度' },
  { code: '5', label: '违反限制消费令' },
  { code: '6', label: '无正当理由拒不履行执行和解协议', aliases: ['被执行人无正当理由拒不履行执行和解协议'] },
];

export const PERFORMANCE: readonly EnumOption[] = [
  { code: '全部未履行', label: '全部未履行' },
  { code: '部分未履行', label: '部分未履行', aliases: ['部分履行'] },
  { code: '全部已履行', label: '全部已履行', aliases: ['已履行'] },
];

export const dishonestDebtor = defineFeed({
  name: 'dishonest_debtor',
  label: '失信被执行人',
  family: 'credit',
  naturalKey: ['case_no', 'name'],
  fields: {
    record_id: { kind: 'code', max: 50, label: '记录ID', std: ['id'] },
    name: {
      kind: 'text',
      max: 200,
      label: '被执行人姓名/名称',
      std: ['iname'],
      aliases: ['被执行人', '被执行人名称', '失信被执行人名称'],
      required: true,
    },
    case_no: { kind: 'code', max: 100, pattern: '^[（(][0-9]{4}[）)].+号$', label: '案号', std: ['caseCode'], aliases: ['执行案号'], required: true },
    card_no: {
      kind: 'code',
      max: 30,
      label: '身份证号码/组织机构代码',
      std: ['cardNum'],
      aliases: ['证件号码', '身份证号码/组织机构代码/统一社会信用代码'],
    },
    uscc: { kind: 'uscc', label: '统一社会信用代码', aliases: ['社会信用代码'] },
    legal_rep: { kind: 'text', max: 50, label: '法定代表人或者负责人姓名', std: ['businessEntity'], aliases: ['法定代表人'] },
    court: { kind: 'text', max: 100, label: '执行法院', std: ['courtName'], required: true },
    province: { kind: 'text', max: 20, label: '省份', std: ['areaName'] },
    party_type: { kind: 'code', max: 10, label: '类型', std: ['partyTypeName'] },
    gist_no: { kind: 'code', max: 200, label: '执行依据文号', std: ['gistId'] },
    filed_on: { kind: 'date', label: '立案时间', std: ['regDate'], aliases: ['立案日期'], required: true },
    gist_unit: { kind: 'text', max: 200, label: '做出执行依据单位', std: ['gistUnit'] },
    duty: { kind: 'text', max: 8000, label: '生效法律文书确定的义务', std: ['duty'] },
    performance: { kind: 'enum', options: PERFORMANCE, label: '被执行人的履行情况', std: ['performance'], aliases: ['履行情况'], required: true },
    performed_part: { kind: 'text', max: 2000, label: '已履行部分', std: ['performedPart'] },
    unperformed_part: { kind: 'text', max: 2000, label: '未履行部分', std: ['unperformPart'] },
    situations: {
      kind: 'enum',
      options: DISHONEST_SITUATIONS,
      multi: true,
      label: '失信被执行人行为具体情形',
      std: ['disruptTypeName'],
      aliases: ['失信情形'],
      required: true,
    },
    published_on: { kind: 'date', label: '发布时间', std: ['publishDate'], aliases: ['发布日期'], required: true },
    removed_on: { kind: 'date', label: '移除日期', aliases: ['屏蔽日期', '撤销日期'] },
  },
});
