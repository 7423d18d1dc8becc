// The satisfaction survey on the complaint page (R-SURVEY): every round of the loop (cycle, path,
// status, times, the customer's rating/satisfied and comment) and the reopen count, from
// GET /api/v1/complaints/:number/survey. Agents and supervisors record a callback's result (or an
// answer given by phone) for the survey waiting for one; supervision reads only.
import { html, useState, useEffect, useCallback, api, t, addStrings, formatDateTime } from './lib.js';

addStrings({
  'zh-CN': {
    'survey.title': '满意度回访', 'survey.none': '尚无回访。', 'survey.reopened': '重新处理次数：{n}', 'survey.cycle': '第 {n} 轮',
    'survey.method.chat': '对话', 'survey.method.sms': '短信链接', 'survey.method.email': '邮件链接', 'survey.method.callback': '电话回访',
    'survey.status.scheduled': '待发送', 'survey.status.sent': '已发送', 'survey.status.reminded': '已提醒', 'survey.status.answered': '已回复',
    'survey.status.no_response': '未回复', 'survey.status.cancelled': '已取消',
    'survey.sendAt': '发送', 'survey.expiresAt': '截止', 'survey.satisfied': '满意', 'survey.dissatisfied': '不满意', 'survey.rating': '{n} 分',
    'survey.record': '登记回访结果', 'survey.ratingLabel': '评分（1–5）', 'survey.comment': '客户意见（可选）', 'survey.save': '保存结果', 'survey.error': '发送失败：{e}',
  },
  en: {
    'survey.title': 'Satisfaction survey', 'survey.none': 'No survey yet.', 'survey.reopened': 'Reopened {n} times', 'survey.cycle': 'Round {n}',
    'survey.method.chat': 'chat', 'survey.method.sms': 'SMS link', 'survey.method.email': 'e-mail link', 'survey.method.callback': 'callback',
    'survey.status.scheduled': 'scheduled', 'survey.status.sent': 'sent', 'survey.status.reminded': 'reminded', 'survey.status.answered': 'answered',
    'survey.status.no_response': 'no response', 'survey.status.cancelled': 'cancelled',
    'survey.sendAt': 'sends', 'survey.expiresAt': 'expires', 'survey.satisfied': 'satisfied', 'survey.dissatisfied': 'dissatisfied', 'survey.rating': '{n}/5',
    'survey.record': 'Record the survey result', 'survey.ratingLabel': 'Rating (1–5)', 'survey.comment': 'Customer comment (optional)', 'survey.save': 'Save result', 'survey.error': 'Send failed: {e}',
  },
});

const OPEN = ['scheduled', 'sent', 'reminded'];

export function SurveyPanel({ complaint, canRecord, onChanged }) {
  const [state, setState] = useState(null);
  const [rating, setRating] = useState('');
  const [comment, setComment] = useState('');
  const [message, setMessage] = useState('');
  const load = useCallback(() => api(`/api/v1/complaints/${encodeURIComponent(complaint.number)}/survey`).then(setState, (err) => setMessage(err.message)), [complaint.number]);
  useEffect(() => {
    load();
  }, [load, complaint.version]);
  if (!state) return null;
  const open = state.surveys.find((s) => OPEN.includes(s.status));
  const record = async (event) => {
    event.preventDefault();
    try {
      await api(`/api/v1/complaints/${encodeURIComponent(complaint.number)}/survey`, { method: 'POST', body: { rating: Number(rating), ...(comment.trim() ? { comment: comment.trim() } : {}) } });
      setRating('');
      setComment('');
      setMessage('');
      await load();
      onChanged?.();
    } catch (err) {
      setMessage(t('survey.error', { e: err.message }));
    }
  };
  return html`
    <section class="card" data-testid="survey-panel">
      <h2>${t('survey.title')}</h2>
      <p>${t('survey.reopened', { n: state.reopenCount })}</p>
      ${state.surveys.length === 0 ? html`<p>${t('survey.none')}</p>` : html`
        <ul class="plain">${state.surveys.map((s) => html`
          <li key=${s.id} data-status=${s.status}>
            ${t('survey.cycle', { n: s.cycle + 1 })} · ${t(`survey.method.${s.method}`)} · ${t(`survey.status.${s.status}`)}
            ${s.status === 'answered'
              ? html` · ${s.rating ? t('survey.rating', { n: s.rating }) + ' · ' : ''}${t(s.satisfied ? 'survey.satisfied' : 'survey.dissatisfied')}${s.comment ? ` · “${s.comment}”` : ''}`
              : html` · ${t('survey.sendAt')} ${formatDateTime(s.sendAt)} · ${t('survey.expiresAt')} ${formatDateTime(s.expiresAt)}`}
          </li>`)}
        </ul>`}
      ${open && canRecord ? html`
        <form onSubmit=${record}>
          <h3>${t('survey.record')}</h3>
          <label>${t('survey.ratingLabel')}
            <select value=${rating} onChange=${(e) => setRating(e.target.value)} required>
              <option value="">—</option>
              ${[1, 2, 3, 4, 5].map((n) => html`<option value=${String(n)}>${n}</option>`)}
            </select>
          </label>
          <label>${t('survey.comment')}<textarea maxlength="2000" value=${comment} onInput=${(e) => setComment(e.target.value)}></textarea></label>
          <button type="submit">${t('survey.save')}</button>
        </form>` : null}
      ${message ? html`<p class="error" role="alert">${message}</p>` : null}
    </section>`;
}
