// 行政处罚 (双公示, CF_* fields of the current national spec). Fines arrive in 万元 and are stored in yuan.
import { identityFields, sourceUnitFields } from '../common.ts';
import { defineFeed } from '../fields.ts';

export const PENALTY_STATUS = [
  { code: '1', label: '有效', aliases: ['正常', '0'] },
  { code: '2', label: '撤销', aliases: ['已撤销', '复议撤销', '诉讼撤销', '撤回', '已撤回'] },
] as const;

export const penalty = defineFeed({
  name: 'penalty',
  label: '行政处罚',
  family: 'credit',
  naturalKey: ['decision_no', 'authority'],
  fields: {
    ...identityFields('CF'),
    decision_no: {
      kind: 'code',
      max: 128,
      label: '行政处罚决定书文号',
      std: ['CF_WSH'],
      aliases: ['处罚决定书文号', '决定书文号', '文书号'],
      required: true,
    },
    violation_type: { kind: 'text', max: 2000, label: '违法行为类型', std: ['CF_WFXW'], aliases: ['违法行为'], required: true },
    facts: { kind: 'text', max: 8000, label: '违法事实', std: ['CF_SY'], aliases: ['处罚事由'], required: true },
    basis: { kind: 'text', max: 4000, label: '处罚依据', std: ['CF_YJ'], required: true },
    penalty_types: { kind: 'penalty-types', label: '处罚类别', std: ['CF_CFLB'], aliases: ['处罚类别1', '处罚种类'], required: true },
    content: { kind: 'text', max: 4000, label: '处罚内容', std: ['CF_NR'], aliases: ['处罚结果'], required: true },
    fine_yuan: { kind: 'amount', unit: 'wan', label: '罚款金额（万元）', std: ['CF_NR_FK'], aliases: ['罚款金额'] },
    confiscated_yuan: { kind: 'amount', unit: 'wan', label: '没收违法所得、没收非法财物的金额（万元）', std: ['CF_NR_WFFF'], aliases: ['没收金额'] },
    suspended_license: { kind: 'text', max: 200, label: '暂扣或吊销证照名称及编号', std: ['CF_NR_ZKDX'] },
    decided_on: { kind: 'date', label: '处罚决定日期', std: ['CF_JDRQ'], aliases: ['决定日期', '作出处罚决定日期'], required: true },
    valid_to: { kind: 'date', openEnded: true, label: '处罚有效期', std: ['CF_YXQ'] },
    publish_until: { kind: 'date', openEnded: true, label: '公示截止期', std: ['CF_GSJZQ'] },
    status: {
      kind: 'enum',
      options: PENALTY_STATUS,
      label: '当前状态',
      aliases: ['处罚状态', '决定状态'],
      description:
        'Not in the national 双公示 spec; sent by systems that track review outcomes. 撤销 = the decision was revoked on 行政复议 or by a court (it stops scoring and alerting from status_on, or from the first file that reported it).',
    },
    status_on: {
      kind: 'date',
      label: '状态变更日期',
      aliases: ['撤销日期', '状态日期'],
      description: 'The day the 当前状态 took effect (e.g. the day the decision was revoked).',
    },
    authority: { kind: 'text', max: 200, label: '处罚机关', std: ['CF_CFJG'], aliases: ['作出处罚决定机关'], required: true },
    authority_uscc: { kind: 'uscc', label: '处罚机关统一社会信用代码', std: ['CF_CFJGDM'], aliases: ['处罚机关代码'], required: true },
    ...sourceUnitFields({ name: 'CF_SJLY', code: 'CF_SJLYDM' }),
  },
  rules: [
    {
      reason: 'missing-required',
      field: 'fine_yuan',
      sql: "list_contains(penalty_types, '罚款') and fine_yuan is null",
      js: (r) => Array.isArray(r.penalty_types) && r.penalty_types.includes('罚款') && (r.fine_yuan === null || r.fine_yuan === undefined),
      message: '处罚类别含罚款时罚款金额必填',
    },
  ],
});
