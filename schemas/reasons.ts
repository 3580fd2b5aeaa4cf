// Stable reason codes for rejected records (meta.rejects.reason_code) and failed files (meta.batches.error_code).
// Tests and the fixtures manifest use these codes; the Chinese text is what an operator reads.

export const RECORD_REASONS = {
  'missing-required': '必填字段为空',
  'field-count': '字段数与表头不一致',
  'record-too-long': '记录超长',
  'control-character': '字段含控制字符（如 NUL）',
  'too-long': '字段超长',
  'uscc-length': '统一社会信用代码长度不是18位',
  'uscc-charset': '统一社会信用代码含非法字符',
  'uscc-check': '统一社会信用代码校验位错误',
  'uscc-org-check': '统一社会信用代码中组织机构代码校验位错误',
  'uscc-dept-category': '统一社会信用代码登记管理部门与机构类别不匹配',
  'uscc-area': '统一社会信用代码登记管理机关行政区划码无效',
  'date-format': '日期格式无法识别',
  'date-impossible': '日期不存在',
  'amount-format': '金额格式错误',
  'amount-negative': '金额为负数',
  'amount-precision': '金额精度超出范围',
  'number-format': '数值格式错误',
  'number-range': '数值超出范围',
  'enum-invalid': '取值不在代码表中',
  'enum-exclusive': '取值相互排斥',
  'excel-mangled-id': '编号被Excel篡改（科学计数法或丢失前导零）',
  'code-format': '编码格式错误',
  'region-invalid': '行政区划代码无效',
  'date-order': '日期先后顺序错误',
  'inspectors-too-few': '检查人员少于2人',
  'list-too-short': '列表项数不足',
  'json-invalid': 'JSON记录格式错误（NDJSON的一行不是合法的JSON对象）',
  'json-duplicate-key': 'JSON记录中同一个键出现多次',
  'json-forbidden-key': 'JSON记录含不允许的键（如 __proto__）',
  'json-unsafe-integer': '编号以超过2^53的JSON数字给出（可能已丢失精度）',
} as const;

export type RecordReason = keyof typeof RECORD_REASONS;

// Warning codes: the record loads; raw.<feed>._warnings holds the code, or for enum-unknown
// `enum-unknown:<field>=<source text>` (the field itself is stored NULL). meta.batches.rows_warned counts such records.
export const WARNING_REASONS = {
  'uscc-lowercase': '统一社会信用代码含小写字母（已转为大写）',
  'uscc-fullwidth': '统一社会信用代码含全角字符（已转为半角）',
  'enum-unknown': '非必填字段取值不在代码表中（该字段置空，记录保留）',
} as const;

export type WarningReason = keyof typeof WARNING_REASONS;

export const FILE_REASONS = {
  'empty-file': '文件为空',
  'undecodable-bytes': '文件含无法按声明编码解码的字节',
  'unclosed-quote': '文件结尾存在未闭合的引号',
  'missing-columns': '缺少必需的列',
  'empty-column': '必需的列在所有记录中均为空',
  'duplicate-header': '表头列名重复',
  'forbidden-header': '表头列名不允许（如 __proto__）',
  'empty-header': '表头列名为空',
  'io-error': '文件读取失败',
  'file-changed': '加载过程中文件被修改',
  'load-error': '写入仓库失败',
  'known-on-missing': '文件路径中没有数据日期（known_on: path）',
  'not-csv': '文件不是CSV文本（Excel工作簿、PDF、压缩包等）',
  'header-too-long': '表头行超过1MiB仍未换行',
  'invalid-json': 'JSON文档格式错误',
  'json-no-records': 'JSON文档中找不到记录数组（record_path）',
  'not-parquet': '文件不是可读的Parquet文件',
  'not-xlsx': '文件不是可读的Excel工作簿（.xlsx）',
  'xlsx-sheet-missing': '工作簿中没有指定的工作表',
  'control-character': '表头含控制字符（如 NUL）',
} as const;

export type FileReason = keyof typeof FILE_REASONS;

export function isRecordReason(code: string): code is RecordReason {
  return Object.hasOwn(RECORD_REASONS, code);
}
