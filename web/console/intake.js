// Hotline / branch counter / letter intake (R-CHANNELS): an agent enters the complaint of a caller,
// a walk-in customer or a letter. The server validates with the chat intake's rules and files it
// the same way (triage, deadlines, alerts); field problems come back per field.
import { html, useState, api, t, addStrings, useLang, formatDateTime } from './lib.js';

addStrings({
  'zh-CN': {
    'intake.title': '登记投诉（电话 / 网点 / 信函）',
    'intake.channel': '受理渠道', 'intake.businessLine': '业务线', 'intake.type': '投诉类型', 'intake.description': '投诉内容',
    'intake.occurredOn': '发生时间（选填）', 'intake.reference': '保单/合同/账户号（选填）', 'intake.claimedLoss': '主张损失金额（选填，如 8万）',
    'intake.name': '投诉人姓名', 'intake.phone': '手机号码', 'intake.email': '电子邮件（选填）', 'intake.feedbackMethod': '答复方式', 'intake.locale': '客户语言',
    'intake.privacy': '已向客户告知个人信息保护说明并取得同意', 'intake.submit': '提交投诉', 'intake.another': '再登记一件',
    'intake.filed': '已受理，投诉编号 {number}。请告知客户：我们将在 {feedback} 前答复。', 'intake.contactBy': '专人将在 {time} 前联系客户。',
    'intake.open': '打开投诉', 'intake.fix': '请修改标红的内容。',
    'intake.err.invalid_name': '请填写真实姓名（不含数字或网址）', 'intake.err.invalid_phone': '请填写11位大陆手机号码',
    'intake.err.invalid_email': '电子邮件格式不正确', 'intake.err.email_needed_for_feedback': '选择邮件答复时需填写电子邮件',
    'intake.err.invalid_description': '请用至少5个字描述投诉内容', 'intake.err.invalid_reference_number': '号码应为6-32位字母数字，至少含4位数字',
    'intake.err.type_not_in_business_line': '该业务线没有这个投诉类型', 'intake.err.invalid_amount': '金额无法识别，例如：8万、80000元',
    'intake.err.invalid': '请检查此项',
  },
  en: {
    'intake.title': 'New complaint (hotline / branch / letter)',
    'intake.channel': 'Channel', 'intake.businessLine': 'Business line', 'intake.type': 'Type', 'intake.description': 'What happened',
    'intake.occurredOn': 'When (optional)', 'intake.reference': 'Policy / contract / account no. (optional)', 'intake.claimedLoss': 'Loss claimed (optional, e.g. 80000)',
    'intake.name': 'Complainant name', 'intake.phone': 'Mobile number', 'intake.email': 'E-mail (optional)', 'intake.feedbackMethod': 'Feedback by', 'intake.locale': 'Customer language',
    'intake.privacy': 'The customer was given the privacy notice and agreed', 'intake.submit': 'File complaint', 'intake.another': 'File another',
    'intake.filed': 'Filed as {number}. Tell the customer we will answer by {feedback}.', 'intake.contactBy': 'A person will contact the customer by {time}.',
    'intake.open': 'Open the complaint', 'intake.fix': 'Please correct the fields marked in red.',
    'intake.err.invalid_name': 'A real name, without digits or web addresses', 'intake.err.invalid_phone': 'An 11-digit mainland mobile number',
    'intake.err.invalid_email': 'Not an e-mail address', 'intake.err.email_needed_for_feedback': 'An e-mail address is needed for feedback by e-mail',
    'intake.err.invalid_description': 'At least 5 characters describing the complaint', 'intake.err.invalid_reference_number': '6-32 letters and digits, at least 4 digits',
    'intake.err.type_not_in_business_line': 'This business line has no such type', 'intake.err.invalid_amount': 'Amount not understood, e.g. 80000 or 8万',
    'intake.err.invalid': 'Please check this field',
  },
});

const TYPES_BY_LINE = {
  insurance: ['insurance_product_inquiry', 'claims_dispute', 'other'],
  securities: ['securities_trading', 'investment_advice', 'other'],
};

const blank = () => ({
  channel: 'hotline', businessLine: 'insurance', type: 'claims_dispute', description: '', occurredOn: '', referenceNumber: '',
  claimedLoss: '', name: '', phone: '', email: '', feedbackMethod: 'phone', locale: 'zh-CN', privacyNoticeGiven: false,
  submissionId: crypto.randomUUID(),
});

export function IntakeForm() {
  useLang();
  const [form, setForm] = useState(blank());
  const [problems, setProblems] = useState({});
  const [error, setError] = useState('');
  const [filed, setFiled] = useState(null);
  const [busy, setBusy] = useState(false);

  const set = (key) => (e) => {
    const value = e.target.type === 'checkbox' ? e.target.checked : e.target.value;
    setForm((f) => {
      const next = { ...f, [key]: value };
      if (key === 'businessLine' && !TYPES_BY_LINE[value].includes(f.type)) next.type = TYPES_BY_LINE[value][0];
      return next;
    });
  };

  const submit = async (e) => {
    e.preventDefault();
    setBusy(true);
    setError('');
    setProblems({});
    try {
      setFiled(await api('/api/v1/complaints', { method: 'POST', body: form }));
    } catch (err) {
      const fields = err.body?.details?.fields;
      if (fields) {
        setProblems(fields);
        setError(t('intake.fix'));
      } else setError(t('common.error', { message: err.message }));
    } finally {
      setBusy(false);
    }
  };

  if (filed) {
    return html`
      <section class="card" data-testid="intake-filed">
        <h1>${t('intake.title')}</h1>
        <p class="success">${t('intake.filed', { number: filed.number, feedback: formatDateTime(filed.feedbackDueAt) })}</p>
        ${filed.contactBy ? html`<p>${t('intake.contactBy', { time: formatDateTime(filed.contactBy) })}</p>` : null}
        <p><a href=${`#/complaints/${filed.number}`}>${t('intake.open')}</a> · <button type="button" class="link" onClick=${() => { setForm(blank()); setFiled(null); }}>${t('intake.another')}</button></p>
      </section>`;
  }

  const row = (key, label, input) => html`
    <label class=${problems[key] ? 'invalid' : ''}>${label}${input}
      ${problems[key] ? html`<span class="field-error">${t(`intake.err.${problems[key]}`)}</span>` : null}
    </label>`;
  const text = (key, extra = {}) => html`<input name=${key} value=${form[key]} onInput=${set(key)} ...${extra} />`;

  return html`
    <form class="card intake" onSubmit=${submit} data-testid="intake-form">
      <h1>${t('intake.title')}</h1>
      <fieldset class="inline">
        <legend>${t('intake.channel')}</legend>
        ${['hotline', 'counter', 'letter'].map((c) => html`
          <label class="checkbox"><input type="radio" name="channel" value=${c} checked=${form.channel === c} onChange=${set('channel')} />${t(`channel.${c}`)}</label>`)}
      </fieldset>
      ${row('businessLine', t('intake.businessLine'), html`<select name="businessLine" value=${form.businessLine} onChange=${set('businessLine')}>
        <option value="insurance">${t('line.insurance')}</option><option value="securities">${t('line.securities')}</option></select>`)}
      ${row('type', t('intake.type'), html`<select name="type" value=${form.type} onChange=${set('type')}>
        ${TYPES_BY_LINE[form.businessLine].map((x) => html`<option value=${x}>${t(`type.${x}`)}</option>`)}</select>`)}
      ${row('description', t('intake.description'), html`<textarea name="description" rows="5" required value=${form.description} onInput=${set('description')}></textarea>`)}
      ${row('occurredOn', t('intake.occurredOn'), text('occurredOn'))}
      ${row('referenceNumber', t('intake.reference'), text('referenceNumber'))}
      ${row('claimedLoss', t('intake.claimedLoss'), text('claimedLoss'))}
      ${row('name', t('intake.name'), text('name', { required: true, autocomplete: 'off' }))}
      ${row('phone', t('intake.phone'), text('phone', { required: true, inputmode: 'tel', autocomplete: 'off' }))}
      ${row('email', t('intake.email'), text('email', { type: 'email', autocomplete: 'off' }))}
      ${row('feedbackMethod', t('intake.feedbackMethod'), html`<select name="feedbackMethod" value=${form.feedbackMethod} onChange=${set('feedbackMethod')}>
        ${['phone', 'sms', 'email', 'letter'].map((m) => html`<option value=${m}>${t(`feedback.${m}`)}</option>`)}</select>`)}
      ${row('locale', t('intake.locale'), html`<select name="locale" value=${form.locale} onChange=${set('locale')}><option value="zh-CN">中文</option><option value="en">English</option></select>`)}
      <label class=${`checkbox${problems.privacyNoticeGiven ? ' invalid' : ''}`}><input type="checkbox" name="privacyNoticeGiven" checked=${form.privacyNoticeGiven} onChange=${set('privacyNoticeGiven')} required />${t('intake.privacy')}</label>
      ${error ? html`<p class="error" role="alert">${error}</p>` : null}
      <button type="submit" disabled=${busy}>${t('intake.submit')}</button>
    </form>`;
}
