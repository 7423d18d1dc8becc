// Names of the report's categories in the two languages of the product (zh-CN first). Products,
// customer groups and regions are named by the policy's catalogue (reportDimensions).
import { DEFAULT_POLICY, type ComplaintPolicy } from '../policy/policy';

export type Lang = 'zh-CN' | 'en';

const LABELS: Record<string, { 'zh-CN': string; en: string }> = {
  insurance: { 'zh-CN': '保险', en: 'Insurance' },
  securities: { 'zh-CN': '证券', en: 'Securities' },
  insurance_product_inquiry: { 'zh-CN': '保险产品咨询', en: 'Insurance product' },
  claims_dispute: { 'zh-CN': '理赔纠纷', en: 'Claims dispute' },
  securities_trading: { 'zh-CN': '证券交易', en: 'Securities trading' },
  investment_advice: { 'zh-CN': '投资顾问', en: 'Investment advice' },
  other: { 'zh-CN': '其他', en: 'Other' },
  online_chat: { 'zh-CN': '在线客服', en: 'Online chat' },
  wechat: { 'zh-CN': '微信', en: 'WeChat' },
  hotline: { 'zh-CN': '客服热线', en: 'Hotline' },
  counter: { 'zh-CN': '营业网点', en: 'Branch counter' },
  letter: { 'zh-CN': '信函', en: 'Letter' },
  email: { 'zh-CN': '电子邮件', en: 'E-mail' },
  L1: { 'zh-CN': '一级', en: 'Level 1' },
  L2: { 'zh-CN': '二级', en: 'Level 2' },
  L3: { 'zh-CN': '三级', en: 'Level 3' },
  received: { 'zh-CN': '已受理', en: 'Received' },
  acknowledged: { 'zh-CN': '已确认', en: 'Acknowledged' },
  assigned: { 'zh-CN': '已分派', en: 'Assigned' },
  investigating: { 'zh-CN': '调查中', en: 'Investigating' },
  resolved: { 'zh-CN': '已答复', en: 'Answered' },
  closed: { 'zh-CN': '已结案', en: 'Closed' },
  reopened: { 'zh-CN': '重新处理', en: 'Reopened' },
  first_response: { 'zh-CN': '首次响应', en: 'First response' },
  to_supervisor: { 'zh-CN': '上报主管', en: 'To supervisor' },
  forward_to_leadership: { 'zh-CN': '转领导小组', en: 'To leadership group' },
  leadership_meeting: { 'zh-CN': '领导小组会议', en: 'Leadership meeting' },
  investigation: { 'zh-CN': '调查', en: 'Investigation' },
  feedback: { 'zh-CN': '答复客户', en: 'Feedback to customer' },
  statutory_decision: { 'zh-CN': '法定处理期限', en: 'Statutory decision' },
  internal_management: { 'zh-CN': '内部管理', en: 'Internal management' },
  business_process: { 'zh-CN': '业务流程', en: 'Business process' },
  staff_service: { 'zh-CN': '人员服务', en: 'Staff service' },
  product: { 'zh-CN': '产品设计', en: 'Product design' },
  third_party: { 'zh-CN': '第三方', en: 'Third party' },
  customer_misunderstanding: { 'zh-CN': '客户误解', en: 'Customer misunderstanding' },
  requested: { 'zh-CN': '待审批', en: 'Awaiting approval' },
  approved: { 'zh-CN': '已批准', en: 'Approved' },
  refused: { 'zh-CN': '未批准', en: 'Refused' },
};

export const NOT_RECORDED = { 'zh-CN': '未登记', en: 'not recorded' } as const;

let catalogueLabels = new Map<string, { 'zh-CN': string; en: string }>();

/** Names products, customer groups and regions after this policy's catalogue (the app and worker call it at start). */
export function useDimensionLabels(policy: ComplaintPolicy): void {
  const d = policy.reportDimensions;
  catalogueLabels = new Map([...d.products, ...d.customerGroups, ...d.regions].map((o) => [o.code, { 'zh-CN': o.zh, en: o.en }]));
}
useDimensionLabels(DEFAULT_POLICY);

/** The label of a category value; null (a field nobody filled in) is "not recorded". */
export function labelOf(value: string | null, lang: Lang = 'zh-CN'): string {
  if (value === null) return NOT_RECORDED[lang];
  return LABELS[value]?.[lang] ?? catalogueLabels.get(value)?.[lang] ?? value;
}

/** "理赔纠纷 Claims dispute": both languages, for the files leadership reads. */
export function bilingual(value: string | null): string {
  const zh = labelOf(value, 'zh-CN');
  const en = labelOf(value, 'en');
  return zh === en ? zh : `${zh} ${en}`;
}

export const DIMENSION_TITLES: Record<string, { 'zh-CN': string; en: string }> = {
  businessLine: { 'zh-CN': '业务条线', en: 'Business line' },
  type: { 'zh-CN': '投诉类型', en: 'Complaint type' },
  channel: { 'zh-CN': '投诉渠道', en: 'Channel' },
  tier: { 'zh-CN': '投诉等级', en: 'Tier' },
  status: { 'zh-CN': '处理状态', en: 'Status' },
  product: { 'zh-CN': '产品', en: 'Product' },
  customerGroup: { 'zh-CN': '客户群体', en: 'Customer group' },
  region: { 'zh-CN': '地区', en: 'Region' },
  department: { 'zh-CN': '责任部门', en: 'Department' },
  handler: { 'zh-CN': '承办人', en: 'Handler' },
};
