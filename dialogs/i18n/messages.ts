// Everything a customer reads, in Chinese (default) and English. Policy figures come in as
// parameters so the texts follow configuration.
import type { Locale } from './locale';

export interface TimelineFigures {
  l1Days: number;
  l2Days: number;
  l3Days: number;
  statutoryDays: number;
  urgentMinutes: number;
  l1AmountYuan: number;
  l3AmountYuan: number;
}

const zh = {
  welcome: '您好，这里是投诉服务。我可以帮您登记投诉、查询投诉进度，或介绍投诉处理流程。',
  menuPrompt: '请问需要办理什么？请点选或回复序号：',
  menuRetry: '抱歉，没有识别您的选择。请点选下面的选项，或回复序号 1–4：',
  menuFile: '我要投诉',
  menuStatus: '查询投诉进度',
  menuInfo: '投诉处理说明',
  menuPerson: '人工客服',
  anythingElse: '还有其他可以帮您的吗？',

  consentPrompt:
    '在登记投诉前，请阅读个人信息告知：为处理您的投诉，我们将收集您的姓名、联系方式、投诉事项及相关保单/账户号码，' +
    '仅用于本次投诉的受理、调查、答复和回访，依法加密保存，投诉办结后按规定期限保存后匿名化处理。您是否同意？',
  consentRetry: '请回复“同意”或“不同意”。',
  consentAgree: '同意',
  consentDecline: '不同意',
  consentDeclined: '好的，未经您的同意我们不会收集个人信息，本次未登记投诉。您也可以拨打客服热线或到营业网点投诉。',

  businessLinePrompt: '请问投诉涉及哪项业务？',
  businessLineRetry: '请选择“保险”或“证券”（回复序号也可以）。',
  lineInsurance: '保险',
  lineSecurities: '证券',

  typePrompt: '请选择投诉类型：',
  typeRetry: '请从下面的投诉类型中选择一项（回复序号也可以）。',
  type_insurance_product_inquiry: '保险产品咨询',
  type_claims_dispute: '理赔纠纷',
  type_securities_trading: '证券交易问题',
  type_investment_advice: '投资咨询',
  type_other: '其他',

  descriptionPrompt: '请描述事情经过：发生了什么、涉及哪些产品或业务、您希望如何解决。',
  descriptionRetry: '描述太短或太长了。请用至少 5 个字、不超过 2000 字说明事情经过。',
  occurredOnPrompt: '事情大约发生在什么时间？（例如 2026-11-20、上周五；不清楚可回复“跳过”）',
  occurredOnRetry: '请简要说明时间（不超过 100 字），或回复“跳过”。',
  referencePrompt: '如涉及保单号、合同号或资金账号，请提供（不涉及请回复“跳过”）：',
  referenceRetry: '号码格式不正确：应为 6–32 位字母、数字或连字符，且至少包含 4 位数字，例如 P2026-00123456。不涉及请回复“跳过”。',
  amountPrompt: '您主张的损失金额大约是多少？（例如 8万、80,000、3千块；没有损失请回复“没有”）',
  amountRetry: '没能识别这个金额。请输入数字金额，如 8万、1.2万、80,000、¥600,000；没有损失请回复“没有”。',
  namePrompt: '请问您的姓名？',
  nameRetry: '请输入您的姓名（1–40 个字，不含数字）。',
  phonePrompt: '请留下您的手机号码，以便我们联系您：',
  phoneRetry: '手机号格式不正确，请输入 11 位中国大陆手机号，例如 138 0013 8000。',
  emailPrompt: '如需通过电子邮件接收答复，请留下邮箱（不需要请回复“跳过”）：',
  emailRetry: '邮箱格式不正确，例如 name@example.com；不需要请回复“跳过”。',
  emailRequiredPrompt: '您选择了电子邮件答复，请留下邮箱地址：',
  emailRequiredRetry: '邮箱格式不正确，请输入例如 name@example.com 的邮箱地址。',
  feedbackMethodPrompt: '您希望通过哪种方式接收处理结果？',
  feedbackMethodRetry: '请从下面的方式中选择一项（回复序号也可以）。',
  method_phone: '电话',
  method_sms: '短信',
  method_email: '电子邮件',
  method_letter: '信函',
  method_chat: '在线消息',

  summaryTitle: '请核对您的投诉信息：',
  summaryPrompt: '信息无误请点“确认提交”；需要修改请点“修改”。',
  summaryRetry: '请选择“确认提交”、“修改”或“取消”。',
  summaryConfirm: '确认提交',
  summaryEdit: '修改',
  summaryCancel: '取消',
  editWhichPrompt: '请问要修改哪一项？',
  editWhichRetry: '请从列表中选择要修改的项目（回复序号也可以）。',
  field_businessLine: '业务',
  field_type: '投诉类型',
  field_description: '事情经过',
  field_occurredOn: '发生时间',
  field_referenceNumber: '保单/合同/账号',
  field_claimedLoss: '损失金额',
  field_name: '姓名',
  field_phone: '手机号',
  field_email: '邮箱',
  field_feedbackMethod: '答复方式',
  notGiven: '未提供',
  noLoss: '无',

  accepted: (p: { number: string; due: string; method: string }) =>
    `您的投诉已受理。\n投诉编号：${p.number}\n我们将在 ${p.due} 前通过${p.method}向您反馈处理结果。请保存好投诉编号，可随时回复“查询投诉进度”查看。`,
  urgentAck: (p: { contactBy: string; priority: 'urgent' | 'priority' }) =>
    p.priority === 'urgent'
      ? `您的投诉已作为紧急投诉受理，专人将在 ${p.contactBy} 前与您联系。`
      : `您的投诉已列为重点投诉并转交部门主管，专人将在 ${p.contactBy} 前与您联系。`,
  safetyNote: '如果您或他人正面临危险，请立即拨打 110（报警）或 120（急救）。我们非常重视您的情况。',
  submitFailed: (ref: string) => `抱歉，系统暂时无法保存您的投诉（参考编号 ${ref}），您填写的信息仍保留着。请稍后点“确认提交”重试。`,

  statusNumberPrompt: '请输入投诉编号（例如 TS20261128-000042）：',
  statusNumberRetry: '投诉编号格式为 TS + 8 位日期 + “-” + 6 位序号，例如 TS20261128-000042。',
  statusNotFound: (n: string) => `没有找到投诉编号 ${n}，请核对后再试。`,
  statusVerifyPrompt: '为保护您的信息，请输入投诉时登记的手机号后四位：',
  statusVerifyRetry: '请输入 4 位数字。',
  statusVerifyFailed: '手机号后四位不匹配。',
  statusVerifyGiveUp: '验证未通过，无法显示该投诉的详情。如有疑问请联系人工客服。',
  statusView: (p: { number: string; status: string; holder: string; next: string }) =>
    `投诉编号：${p.number}\n当前状态：${p.status}\n处理人：${p.holder}\n${p.next}`,
  statusNext: (p: { kind: string; due: string }) => `下一个时限：${p.kind}，${p.due} 前`,
  statusNoDeadline: '目前没有待办时限。',
  status_received: '已接收',
  status_acknowledged: '已受理，待分派',
  status_assigned: '已分派处理人',
  status_investigating: '调查处理中',
  status_resolved: '已答复，待您确认',
  status_closed: '已办结',
  status_reopened: '已重新处理',
  holder_intake: '投诉受理组',
  holder_agent: '客服专员',
  holder_supervisor: '部门主管',
  holder_leadership: '投诉处理领导小组',
  holder_supervision: '监督部门',
  holder_admin: '投诉管理员',
  deadline_first_response: '首次响应',
  deadline_to_supervisor: '转交部门主管',
  deadline_forward_to_leadership: '转交领导小组',
  deadline_leadership_meeting: '领导小组会议',
  deadline_investigation: '调查',
  deadline_feedback: '向您反馈处理结果',
  deadline_statutory_decision: '法定处理期限',

  policyInfo: (f: TimelineFigures) =>
    [
      '投诉处理说明：',
      '• 投诉渠道：本在线客服/微信公众号、客服热线、营业网点柜台、信函或电子邮件。',
      '• 受理：投诉即时受理，当场告知投诉编号和预计反馈日期。',
      `• 分级：一级（损失超过 ${f.l1AmountYuan.toLocaleString('zh-CN')} 元、可能引发诉讼或群体事件、严重声誉影响）${f.l1Days} 个工作日内反馈；` +
        `二级（损失 ${f.l3AmountYuan.toLocaleString('zh-CN')} 元至一级标准之间、情绪激动或可能引起媒体关注）${f.l2Days} 个工作日内反馈；其他为三级，${f.l3Days} 个工作日内答复。`,
      `• 紧急投诉 ${f.urgentMinutes} 分钟内由专人初步响应。`,
      `• 所有投诉均在受理之日起 ${f.statutoryDays} 日内作出处理决定（法定期限）。`,
      '• 答复后我们会进行满意度回访；如您不满意，投诉将重新处理。您也可以对处理过程本身提出投诉。',
    ].join('\n'),

  handoffRecorded: '已为您登记人工服务请求，客服人员会尽快接入（服务时间 09:00–18:00，紧急事项全天有人值守）。您也可以继续在这里操作。',
  handoffAlready: '您的人工服务请求已在排队中，客服人员会尽快接入。',

  cancelled: '已取消，本次填写的内容没有保存。需要时随时回复“投诉”重新开始。',
  helpGeneral: '您可以随时回复：“取消”结束当前操作，“人工客服”请求人工服务，“帮助”查看说明，“English” 切换为英文。',
  giveUp: '看起来这一步遇到了困难，本次操作已结束，已填写的内容没有保存。您可以稍后重试，或回复“人工客服”由客服人员协助。',
  languageSwitched: '已切换为中文。',
  turnError: (ref: string) => `抱歉，系统出现了问题，您刚才的消息没有处理成功，请稍后重新发送一次。如需帮助请提供参考编号：${ref}`,
  extensionNotice: (number: string, date: string, reason: string) =>
    `您的投诉 ${number} 因情况复杂，处理期限已依规延长，我们将在 ${date} 前向您反馈处理结果。延期原因：${reason}。如有疑问，请回复本消息或联系客服。`,
};

export type Messages = typeof zh;

const en: Messages = {
  welcome: 'Hello, this is the complaints service. I can take down a complaint, check its progress, or explain how complaints are handled.',
  menuPrompt: 'What can I do for you? Choose an option or reply with its number:',
  menuRetry: 'Sorry, I did not catch that. Please choose an option below, or reply 1–4:',
  menuFile: 'File a complaint',
  menuStatus: 'Check a complaint',
  menuInfo: 'How complaints are handled',
  menuPerson: 'Talk to a person',
  anythingElse: 'Is there anything else I can help with?',

  consentPrompt:
    'Before we start, a note on your personal data: to handle your complaint we collect your name, contact details, the matter ' +
    'and any policy or account number. They are used only to accept, investigate, answer and follow up this complaint, stored ' +
    'encrypted, and anonymised after the retention period. Do you agree?',
  consentRetry: 'Please answer "Agree" or "Disagree".',
  consentAgree: 'Agree',
  consentDecline: 'Disagree',
  consentDeclined: 'Understood: without your consent we collect no personal data, and no complaint has been filed. You can also complain through our hotline or at a branch.',

  businessLinePrompt: 'Which business does your complaint concern?',
  businessLineRetry: 'Please choose "Insurance" or "Securities" (or reply with the number).',
  lineInsurance: 'Insurance',
  lineSecurities: 'Securities',

  typePrompt: 'What kind of complaint is it?',
  typeRetry: 'Please choose one of the complaint types below (or reply with the number).',
  type_insurance_product_inquiry: 'Insurance product inquiry',
  type_claims_dispute: 'Claims dispute',
  type_securities_trading: 'Securities trading',
  type_investment_advice: 'Investment advice',
  type_other: 'Other',

  descriptionPrompt: 'Please tell us what happened: the events, the products or services involved, and how you would like it resolved.',
  descriptionRetry: 'That is too short or too long. Please describe what happened in 5 to 2000 characters.',
  occurredOnPrompt: 'Roughly when did this happen? (e.g. 2026-11-20, last Friday; reply "skip" if unsure)',
  occurredOnRetry: 'Please give the time briefly (up to 100 characters), or reply "skip".',
  referencePrompt: 'If a policy, contract or account number is involved, please give it (otherwise reply "skip"):',
  referenceRetry: 'That number does not look right: 6–32 letters, digits or hyphens with at least 4 digits, e.g. P2026-00123456. Reply "skip" if none applies.',
  amountPrompt: 'About how much loss are you claiming? (e.g. 80,000, 1.2万, RMB 30k; reply "none" if there is no loss)',
  amountRetry: 'I could not read that amount. Please enter an amount such as 80,000, ¥600,000, RMB 30k or 8万, or "none".',
  namePrompt: 'May I have your name?',
  nameRetry: 'Please enter your name (1–40 characters, no digits).',
  phonePrompt: 'Please leave your mobile number so we can reach you:',
  phoneRetry: 'That is not a valid mobile number. Please enter an 11-digit mainland China mobile number, e.g. 138 0013 8000.',
  emailPrompt: 'If you would like answers by e-mail, please leave your address (otherwise reply "skip"):',
  emailRetry: 'That e-mail address does not look right, e.g. name@example.com. Reply "skip" if you do not want to give one.',
  emailRequiredPrompt: 'You chose e-mail for the answer: please leave your e-mail address:',
  emailRequiredRetry: 'That e-mail address does not look right. Please enter one like name@example.com.',
  feedbackMethodPrompt: 'How would you like to receive the result?',
  feedbackMethodRetry: 'Please choose one of the options below (or reply with the number).',
  method_phone: 'Phone call',
  method_sms: 'SMS',
  method_email: 'E-mail',
  method_letter: 'Letter',
  method_chat: 'Chat message',

  summaryTitle: 'Please check your complaint:',
  summaryPrompt: 'Choose "Submit" if everything is right, or "Change" to correct something.',
  summaryRetry: 'Please choose "Submit", "Change" or "Cancel".',
  summaryConfirm: 'Submit',
  summaryEdit: 'Change',
  summaryCancel: 'Cancel',
  editWhichPrompt: 'Which item would you like to change?',
  editWhichRetry: 'Please choose the item to change from the list (or reply with the number).',
  field_businessLine: 'Business',
  field_type: 'Complaint type',
  field_description: 'What happened',
  field_occurredOn: 'When',
  field_referenceNumber: 'Policy/contract/account no.',
  field_claimedLoss: 'Loss claimed',
  field_name: 'Name',
  field_phone: 'Mobile',
  field_email: 'E-mail',
  field_feedbackMethod: 'Answer by',
  notGiven: 'not given',
  noLoss: 'none',

  accepted: (p) =>
    `Your complaint has been accepted.\nComplaint number: ${p.number}\nWe will give you the result by ${p.method} by ${p.due}. Keep the number; reply "check a complaint" any time to see its progress.`,
  urgentAck: (p) =>
    p.priority === 'urgent'
      ? `Your complaint has been accepted as urgent: a member of staff will contact you by ${p.contactBy}.`
      : `Your complaint has been marked as a priority and passed to a department supervisor: someone will contact you by ${p.contactBy}.`,
  safetyNote: 'If you or anyone else is in danger, please call 110 (police) or 120 (ambulance) now. We take what you told us seriously.',
  submitFailed: (ref) => `Sorry, we could not save your complaint just now (reference ${ref}). Your answers are kept: please choose "Submit" again in a moment.`,

  statusNumberPrompt: 'Please enter the complaint number (e.g. TS20261128-000042):',
  statusNumberRetry: 'A complaint number is TS + an 8-digit date + "-" + 6 digits, e.g. TS20261128-000042.',
  statusNotFound: (n) => `No complaint has the number ${n}. Please check it and try again.`,
  statusVerifyPrompt: 'To protect your information, please enter the last four digits of the mobile number given with the complaint:',
  statusVerifyRetry: 'Please enter 4 digits.',
  statusVerifyFailed: 'Those digits do not match.',
  statusVerifyGiveUp: 'We could not verify you, so the details cannot be shown. Please ask for a person if you need help.',
  statusView: (p) => `Complaint: ${p.number}\nStatus: ${p.status}\nHandled by: ${p.holder}\n${p.next}`,
  statusNext: (p) => `Next deadline: ${p.kind}, by ${p.due}`,
  statusNoDeadline: 'No deadline is pending.',
  status_received: 'received',
  status_acknowledged: 'accepted, awaiting assignment',
  status_assigned: 'assigned to a handler',
  status_investigating: 'under investigation',
  status_resolved: 'answered, awaiting your confirmation',
  status_closed: 'closed',
  status_reopened: 'reopened for further handling',
  holder_intake: 'the complaints intake team',
  holder_agent: 'a service agent',
  holder_supervisor: 'a department supervisor',
  holder_leadership: 'the complaint leadership group',
  holder_supervision: 'the supervision department',
  holder_admin: 'a complaints administrator',
  deadline_first_response: 'first response',
  deadline_to_supervisor: 'forwarding to a supervisor',
  deadline_forward_to_leadership: 'forwarding to the leadership group',
  deadline_leadership_meeting: 'leadership group meeting',
  deadline_investigation: 'investigation',
  deadline_feedback: 'our answer to you',
  deadline_statutory_decision: 'statutory decision deadline',

  policyInfo: (f) =>
    [
      'How complaints are handled:',
      '• Channels: this chat or our WeChat account, the hotline, any branch counter, letter or e-mail.',
      '• Acceptance: at once — you get a complaint number and the expected answer date straight away.',
      `• Tiers: level 1 (loss above ¥${f.l1AmountYuan.toLocaleString('en-US')}, likely legal action or a group incident, serious reputational harm) answered within ${f.l1Days} working days; ` +
        `level 2 (loss from ¥${f.l3AmountYuan.toLocaleString('en-US')} up to level 1, a very upset customer or likely media attention) within ${f.l2Days} working days; all others (level 3) within ${f.l3Days} working days.`,
      `• Urgent complaints get a first response from a person within ${f.urgentMinutes} minutes.`,
      `• Every complaint is decided within ${f.statutoryDays} days of acceptance (the statutory limit).`,
      '• After we answer we ask whether you are satisfied; if not, the complaint is handled again. You may also complain about how a complaint was handled.',
    ].join('\n'),

  handoffRecorded: 'I have asked for a person to join; an agent will pick this up as soon as possible (service hours 09:00–18:00 Beijing time; urgent matters are covered around the clock). You can carry on here meanwhile.',
  handoffAlready: 'Your request for a person is already in the queue; an agent will join as soon as possible.',

  cancelled: 'Cancelled; nothing you entered was saved. Say "complaint" whenever you want to start again.',
  helpGeneral: 'At any time you can say "cancel" to stop, "human" to ask for a person, "help" for this note, or "中文" to switch to Chinese.',
  giveUp: 'This step seems to be giving trouble, so I have stopped here; nothing was saved. Please try again later, or say "human" to get help from a person.',
  languageSwitched: 'Switched to English.',
  turnError: (ref) => `Sorry, something went wrong on our side and your last message was not processed. Please send it again in a moment. If you need help, quote reference ${ref}.`,
  extensionNotice: (number, date, reason) =>
    `The time to handle your complaint ${number} has been extended, as the rules allow for complex cases: we will give you our decision by ${date}. Reason for the extension: ${reason}. If you have any questions, reply to this message or contact customer service.`,
};

const CATALOGUE: Record<Locale, Messages> = { 'zh-CN': zh, 'en-US': en };

export function messagesFor(locale: Locale): Messages {
  return CATALOGUE[locale];
}

// Intl formatters are costly to build (tens of microseconds each) and are used on every turn that shows
// a date or an amount: one per locale and time zone, built once.
const dateFormats = new Map<string, Intl.DateTimeFormat>();
function dateFormat(locale: Locale, timeZone: string): Intl.DateTimeFormat {
  const key = `${locale}|${timeZone}`;
  let f = dateFormats.get(key);
  if (!f) {
    f = locale === 'zh-CN'
      ? new Intl.DateTimeFormat('zh-CN', { timeZone, year: 'numeric', month: 'long', day: 'numeric', weekday: 'short', hour: '2-digit', minute: '2-digit', hour12: false })
      : new Intl.DateTimeFormat('en-GB', { timeZone, weekday: 'short', day: 'numeric', month: 'long', year: 'numeric', hour: '2-digit', minute: '2-digit', hour12: false });
    dateFormats.set(key, f);
  }
  return f;
}

export function formatDateTime(date: Date, locale: Locale, timeZone: string): string {
  const text = dateFormat(locale, timeZone).format(date);
  return locale === 'zh-CN' ? text : `${text} (Beijing time)`;
}

const yuanFormats = { 'zh-CN': new Intl.NumberFormat('zh-CN', { maximumFractionDigits: 2 }), 'en-US': new Intl.NumberFormat('en-US', { maximumFractionDigits: 2 }) };

export function formatYuan(amount: number, locale: Locale): string {
  return locale === 'zh-CN' ? `${yuanFormats['zh-CN'].format(amount)} 元` : `¥${yuanFormats['en-US'].format(amount)}`;
}
