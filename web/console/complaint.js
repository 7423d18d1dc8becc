// The complaint page: details with personal data masked (and "reveal" when the role allows — an
// event), deadlines with live countdowns, tier override and extensions (supervisors and up), the
// case actions (./case-actions.js), the chat transcript and the full event history.
import { html, useState, useEffect, useCallback, useNewestOnly, api, t, addStrings, useLang, useNow, syncServerTime, formatDateTime } from './lib.js';
import { Countdown } from './countdown.js';
import { CaseActions } from './case-actions.js';
import { Classification } from './classification.js';
import { SurveyPanel } from './survey-panel.js';

addStrings({
  'zh-CN': {
    'complaint.back': '返回队列',
    'complaint.details': '投诉详情', 'complaint.personal': '投诉人信息', 'complaint.reveal': '查看完整个人信息',
    'complaint.revealNote': '查看将被记录。', 'complaint.masked': '（已脱敏）',
    'complaint.name': '姓名', 'complaint.phone': '手机', 'complaint.email': '电子邮件', 'complaint.reference': '保单/合同/账户号',
    'complaint.description': '投诉内容', 'complaint.businessLine': '业务线', 'complaint.type': '投诉类型', 'complaint.occurredOn': '发生时间',
    'complaint.claimedLoss': '主张损失（元）', 'complaint.feedbackMethod': '答复方式', 'complaint.channel': '受理渠道', 'complaint.accepted': '受理时间',
    'complaint.owner': '负责人', 'complaint.department': '部门', 'complaint.status': '状态', 'complaint.tier': '级别', 'complaint.urgent': '紧急',
    'complaint.deadlines': '处理期限', 'complaint.due': '截止时间', 'complaint.left': '剩余时间',
    'complaint.events': '处理记录', 'complaint.alerts': '预警', 'complaint.transcript': '聊天记录', 'complaint.revealTranscript': '查看未脱敏的聊天记录', 'complaint.noTranscript': '暂无聊天记录。',
    'complaint.tierOverride': '调整级别', 'complaint.reason': '理由', 'complaint.apply': '确认调整',
    'complaint.extensions': '延期', 'complaint.requestExtension': '申请延期', 'complaint.toDays': '延长至（天）', 'complaint.approve': '批准', 'complaint.refuse': '不批准',
    'complaint.note': '意见', 'complaint.readOnly': '只读：监督部门可查看全部内容，但不能修改。', 'complaint.unowned': '未分派',
    'complaint.ext.requested': '待审批', 'complaint.ext.approved': '已批准', 'complaint.ext.refused': '未批准', 'complaint.saved': '已保存。',
    'actor.customer': '客户', 'actor.bot': '机器人', 'actor.staff': '员工', 'actor.system': '系统',
    'line.insurance': '保险', 'line.securities': '证券',
    'type.insurance_product_inquiry': '保险产品咨询', 'type.claims_dispute': '理赔纠纷', 'type.securities_trading': '证券交易问题', 'type.investment_advice': '投资咨询', 'type.other': '其他',
    'feedback.phone': '电话', 'feedback.sms': '短信', 'feedback.email': '电子邮件', 'feedback.letter': '信函', 'feedback.chat': '在线消息',
    'event.alert.acknowledged': "预警已确认",
    'event.alert.delivered': "预警已送达",
    'event.alert.delivery_failed': "预警发送失败",
    'event.alert.raised': "发出预警",
    'event.analysis.recorded': "原因分析",
    'event.case.assignment_refused': "分派被拒（回避）",
    'event.case.owner_assigned': "指定负责人",
    'event.case.subject_recorded': "记录被投诉人员",
    'event.clock.paused': "计时暂停",
    'event.clock.restarted': "计时重新开始",
    'event.clock.resumed': "计时恢复",
    'event.compensation.requested': "申请补偿",
    'event.complainant.updated': "投诉人信息更新",
    'event.complaint.received': "投诉受理",
    'event.corrective_action.created': "整改措施",
    'event.corrective_action.done': "整改完成",
    'event.customer.notified': "已通知客户",
    'event.customer.notify_failed': "通知客户失败",
    'event.customer.notify_pending': "待通知客户",
    'event.deadline.met': "期限已达成",
    'event.deadline.warning': "期限预警",
    'event.deadline.breached': "期限超时",
    'event.deadlines.set': "设定处理期限",
    'event.email.acknowledgement_failed': "邮件回执失败",
    'event.email.acknowledgement_sent': "已发送邮件回执",
    'event.email.attachment_refused': "附件被拒",
    'event.email.received': "收到邮件",
    'event.email.reply_received': "收到邮件回复",
    'event.evidence.viewed': "查看证据",
    'event.extension.approved': "延期获批",
    'event.extension.refused': "延期未批准",
    'event.extension.requested': "申请延期",
    'event.feedback.given': "答复客户",
    'event.feedback.send_failed': "答复发送失败",
    'event.feedback.sent_unapplied': "答复已发送",
    'event.file.stored': "保存文件",
    'event.handoff.accepted': "人工接入",
    'event.handoff.message': "人工消息",
    'event.handoff.released': "交还机器人",
    'event.handoff.requested': "请求人工服务",
    'event.investigation.started': "开始调查",
    'event.investigation.updated': "调查记录",
    'event.leadership.meeting_recorded': "领导小组会议记录",
    'event.pii.revealed': "查看个人信息",
    'event.privacy.consent_given': "同意隐私说明",
    'event.senior_report.recorded': "向高层报告",
    'event.status.changed': "状态变更",
    'event.status.verification_failed': "进度查询验证失败",
    'event.status.viewed': "客户查询进度",
    'event.tier.overridden': "调整级别",
    'event.triage.decided': "分级判定",
  },
  en: {
    'complaint.back': 'Back to the queue',
    'complaint.details': 'Details', 'complaint.personal': 'Complainant', 'complaint.reveal': 'Show personal data',
    'complaint.revealNote': 'Viewing is recorded.', 'complaint.masked': '(masked)',
    'complaint.name': 'Name', 'complaint.phone': 'Mobile', 'complaint.email': 'E-mail', 'complaint.reference': 'Policy / contract / account no.',
    'complaint.description': 'Complaint', 'complaint.businessLine': 'Business line', 'complaint.type': 'Type', 'complaint.occurredOn': 'When it happened',
    'complaint.claimedLoss': 'Loss claimed (yuan)', 'complaint.feedbackMethod': 'Feedback by', 'complaint.channel': 'Channel', 'complaint.accepted': 'Accepted',
    'complaint.owner': 'Owner', 'complaint.department': 'Department', 'complaint.status': 'Status', 'complaint.tier': 'Tier', 'complaint.urgent': 'Urgent',
    'complaint.deadlines': 'Deadlines', 'complaint.due': 'Due', 'complaint.left': 'Time left',
    'complaint.events': 'History', 'complaint.alerts': 'Alerts', 'complaint.transcript': 'Chat transcript', 'complaint.revealTranscript': 'Show the unmasked transcript', 'complaint.noTranscript': 'No chat transcript.',
    'complaint.tierOverride': 'Change tier', 'complaint.reason': 'Reason', 'complaint.apply': 'Change',
    'complaint.extensions': 'Extensions', 'complaint.requestExtension': 'Request extension', 'complaint.toDays': 'Extend to (days)', 'complaint.approve': 'Approve', 'complaint.refuse': 'Refuse',
    'complaint.note': 'Note', 'complaint.readOnly': 'Read-only: the supervision department sees everything and changes nothing.', 'complaint.unowned': 'Unassigned',
    'complaint.ext.requested': 'Awaiting decision', 'complaint.ext.approved': 'Approved', 'complaint.ext.refused': 'Refused', 'complaint.saved': 'Saved.',
    'actor.customer': 'Customer', 'actor.bot': 'Bot', 'actor.staff': 'Staff', 'actor.system': 'System',
    'line.insurance': 'Insurance', 'line.securities': 'Securities',
    'type.insurance_product_inquiry': 'Insurance product inquiry', 'type.claims_dispute': 'Claims dispute', 'type.securities_trading': 'Securities trading', 'type.investment_advice': 'Investment advice', 'type.other': 'Other',
    'feedback.phone': 'Phone', 'feedback.sms': 'SMS', 'feedback.email': 'E-mail', 'feedback.letter': 'Letter', 'feedback.chat': 'Chat message',
    'event.alert.acknowledged': "Alert acknowledged",
    'event.alert.delivered': "Alert delivered",
    'event.alert.delivery_failed': "Alert delivery failed",
    'event.alert.raised': "Alert raised",
    'event.analysis.recorded': "Root cause recorded",
    'event.case.assignment_refused': "Assignment refused (conflict)",
    'event.case.owner_assigned': "Owner assigned",
    'event.case.subject_recorded': "Staff named in complaint",
    'event.clock.paused': "Clock paused",
    'event.clock.restarted': "Clock restarted",
    'event.clock.resumed': "Clock resumed",
    'event.compensation.requested': "Compensation requested",
    'event.complainant.updated': "Complainant updated",
    'event.complaint.received': "Complaint received",
    'event.corrective_action.created': "Corrective action",
    'event.corrective_action.done': "Corrective action done",
    'event.customer.notified': "Customer notified",
    'event.customer.notify_failed': "Customer notice failed",
    'event.customer.notify_pending': "Customer notice pending",
    'event.deadline.met': "Deadline met",
    'event.deadline.warning': "Deadline warning",
    'event.deadline.breached': "Deadline breached",
    'event.deadlines.set': "Deadlines set",
    'event.email.acknowledgement_failed': "E-mail acknowledgement failed",
    'event.email.acknowledgement_sent': "E-mail acknowledgement sent",
    'event.email.attachment_refused': "Attachment refused",
    'event.email.received': "E-mail received",
    'event.email.reply_received': "E-mail reply received",
    'event.evidence.viewed': "Evidence viewed",
    'event.extension.approved': "Extension approved",
    'event.extension.refused': "Extension refused",
    'event.extension.requested': "Extension requested",
    'event.feedback.given': "Feedback given",
    'event.feedback.send_failed': "Feedback not sent",
    'event.feedback.sent_unapplied': "Feedback sent",
    'event.file.stored': "File stored",
    'event.handoff.accepted': "Agent joined",
    'event.handoff.message': "Agent message",
    'event.handoff.released': "Handed back to bot",
    'event.handoff.requested': "Person requested",
    'event.investigation.started': "Investigation started",
    'event.investigation.updated': "Investigation note",
    'event.leadership.meeting_recorded': "Leadership meeting recorded",
    'event.pii.revealed': "Personal data viewed",
    'event.privacy.consent_given': "Privacy notice accepted",
    'event.senior_report.recorded': "Reported to senior management",
    'event.status.changed': "Status changed",
    'event.status.verification_failed': "Status check failed verification",
    'event.status.viewed': "Customer checked status",
    'event.tier.overridden': "Tier changed",
    'event.triage.decided': "Triage decided",
  },
});

function Field({ label, children, testid }) {
  return html`<div class="field"><dt>${label}</dt><dd data-testid=${testid}>${children ?? '—'}</dd></div>`;
}

function ErrorLine({ error }) {
  return error ? html`<p class="error" role="alert">${error}</p>` : null;
}

function PersonalData({ complaint, onRevealed }) {
  const [revealed, setRevealed] = useState(null);
  const [error, setError] = useState('');
  const p = complaint.personalData;
  const reveal = async () => {
    setError('');
    try {
      const r = await api(`/api/v1/complaints/${complaint.number}/reveal`, { method: 'POST', body: {} });
      setRevealed(r.fields);
      onRevealed();
    } catch (err) {
      setError(t('common.error', { message: err.message }));
    }
  };
  const v = (key) => (revealed ? revealed[key] : p[key]);
  return html`
    <section class="card" data-testid="personal-data">
      <h2>${t('complaint.personal')} ${revealed ? null : html`<small>${t('complaint.masked')}</small>`}</h2>
      <dl>
        <${Field} label=${t('complaint.name')} testid="pii-name">${v('name')}<//>
        <${Field} label=${t('complaint.phone')} testid="pii-phone">${v('phone')}<//>
        <${Field} label=${t('complaint.email')} testid="pii-email">${v('email')}<//>
        <${Field} label=${t('complaint.reference')} testid="pii-reference">${v('referenceNumber')}<//>
      </dl>
      <h3>${t('complaint.description')}</h3>
      <p class="description" data-testid="description">${v('description')}</p>
      ${complaint.permissions.reveal && !revealed ? html`
        <button type="button" onClick=${reveal} data-testid="reveal">${t('complaint.reveal')}</button> <small>${t('complaint.revealNote')}</small>` : null}
      <${ErrorLine} error=${error} />
    </section>`;
}

function Deadlines({ complaint, now }) {
  return html`
    <section class="card">
      <h2>${t('complaint.deadlines')}</h2>
      <table class="list" data-testid="deadlines">
        <thead><tr><th></th><th>${t('complaint.due')}</th><th>${t('complaint.left')}</th></tr></thead>
        <tbody>${complaint.deadlines.map((d) => html`
          <tr key=${d.kind}>
            <td>${t(`deadline.${d.kind}`)}</td>
            <td>${formatDateTime(d.dueAt)}</td>
            <td><${Countdown} dueAt=${d.dueAt} now=${now} breached=${Boolean(d.breachedAt)} metAt=${d.metAt} /></td>
          </tr>`)}
        </tbody>
      </table>
    </section>`;
}

function TierOverride({ complaint, onChanged }) {
  const [tier, setTier] = useState(complaint.tier === 'L1' ? 'L2' : 'L1');
  const [reason, setReason] = useState('');
  const [error, setError] = useState('');
  const submit = async (e) => {
    e.preventDefault();
    setError('');
    try {
      await api(`/api/v1/complaints/${complaint.number}/tier`, { method: 'POST', body: { tier, reason } });
      setReason('');
      onChanged();
    } catch (err) {
      setError(t('common.error', { message: err.message }));
    }
  };
  return html`
    <form class="card inline" onSubmit=${submit} data-testid="tier-override">
      <h2>${t('complaint.tierOverride')}</h2>
      <select value=${tier} onChange=${(e) => setTier(e.target.value)}>
        ${['L1', 'L2', 'L3'].filter((x) => x !== complaint.tier).map((x) => html`<option value=${x}>${t(`tier.${x}`)}</option>`)}
      </select>
      <input placeholder=${t('complaint.reason')} required minlength="4" maxlength="1000" value=${reason} onInput=${(e) => setReason(e.target.value)} />
      <button type="submit">${t('complaint.apply')}</button>
      <${ErrorLine} error=${error} />
    </form>`;
}

function Extensions({ complaint, onChanged }) {
  const [toDays, setToDays] = useState('30');
  const [reason, setReason] = useState('');
  const [note, setNote] = useState('');
  const [error, setError] = useState('');
  const perms = complaint.permissions;
  const run = async (fn) => {
    setError('');
    try {
      await fn();
      onChanged();
    } catch (err) {
      setError(t('common.error', { message: err.message }));
    }
  };
  const request = (e) => {
    e.preventDefault();
    run(async () => {
      await api(`/api/v1/complaints/${complaint.number}/extensions`, { method: 'POST', body: { toDays: Number(toDays), reason } });
      setReason('');
    });
  };
  const decide = (id, approve) => run(() => api(`/api/v1/extensions/${id}/decision`, { method: 'POST', body: { approve, ...(note ? { note } : {}) } }));
  if (complaint.extensions.length === 0 && !perms.requestExtension) return null;
  return html`
    <section class="card" data-testid="extensions">
      <h2>${t('complaint.extensions')}</h2>
      ${complaint.extensions.length ? html`<ul class="plain">${complaint.extensions.map((x) => html`
        <li key=${x.id}>
          ${x.requestedDays} · ${t(`complaint.ext.${x.status}`)} · ${x.reason} · ${x.requestedBy ?? ''} ${formatDateTime(x.requestedAt)}
          ${x.decisionNote ? html` · ${x.decisionNote}` : null}
          ${x.status === 'requested' && perms.decideExtension ? html`
            <span class="actions">
              <input placeholder=${t('complaint.note')} value=${note} onInput=${(e) => setNote(e.target.value)} />
              <button type="button" onClick=${() => decide(x.id, true)} data-testid="extension-approve">${t('complaint.approve')}</button>
              <button type="button" onClick=${() => decide(x.id, false)} data-testid="extension-refuse">${t('complaint.refuse')}</button>
            </span>` : null}
        </li>`)}</ul>` : null}
      ${perms.requestExtension ? html`
        <form class="inline" onSubmit=${request}>
          <label>${t('complaint.toDays')} <select value=${toDays} onChange=${(e) => setToDays(e.target.value)}><option value="30">30</option><option value="60">60</option></select></label>
          <input placeholder=${t('complaint.reason')} required maxlength="1000" value=${reason} onInput=${(e) => setReason(e.target.value)} />
          <button type="submit">${t('complaint.requestExtension')}</button>
        </form>` : null}
      <${ErrorLine} error=${error} />
    </section>`;
}

function Transcript({ number, onRevealed }) {
  const [transcript, setTranscript] = useState(null);
  const [error, setError] = useState('');
  useEffect(() => {
    api(`/api/v1/complaints/${number}/transcript`).then(
      (r) => setTranscript({ messages: r.messages ?? [], masked: Boolean(r.masked), mayReveal: Boolean(r.mayReveal) }),
      () => setTranscript({ messages: [], masked: false, mayReveal: false }),
    );
  }, [number]);
  const reveal = async () => {
    setError('');
    try {
      const r = await api(`/api/v1/complaints/${number}/transcript/reveal`, { method: 'POST', body: {} });
      setTranscript({ messages: r.messages ?? [], masked: false, mayReveal: false });
      onRevealed();
    } catch (err) {
      setError(t('common.error', { message: err.message }));
    }
  };
  const messages = transcript?.messages ?? [];
  return html`
    <section class="card" data-testid="transcript">
      <h2>${t('complaint.transcript')} ${transcript?.masked && messages.length ? html`<small>${t('complaint.masked')}</small>` : null}</h2>
      ${transcript === null ? html`<p class="loading">${t('common.loading')}</p>` : messages.length === 0 ? html`<p class="empty">${t('complaint.noTranscript')}</p>` : html`
        <ol class="transcript">${messages.map((m) => html`
          <li key=${m.id} class=${`msg from-${m.actorType}`}><span class="meta">${t(`actor.${m.actorType}`)} · ${formatDateTime(m.occurredAt)}</span><span class="text">${m.text}</span></li>`)}
        </ol>
        ${transcript.masked && transcript.mayReveal ? html`<button type="button" onClick=${reveal} data-testid="transcript-reveal">${t('complaint.revealTranscript')}</button> <small>${t('complaint.revealNote')}</small>` : null}`}
      <${ErrorLine} error=${error} />
    </section>`;
}

/** The event's name in the console's language; the raw type when there is no translation. */
function eventLabel(type) {
  const label = t(`event.${type}`);
  return label === `event.${type}` ? type : label;
}

function payloadSummary(payload) {
  if (!payload || typeof payload !== 'object') return '';
  return Object.entries(payload)
    .filter(([, v]) => v !== null && v !== undefined && !(Array.isArray(v) && v.length === 0))
    .map(([k, v]) => `${k}: ${typeof v === 'object' ? JSON.stringify(v) : String(v)}`)
    .join(' · ');
}

function Events({ complaint }) {
  return html`
    <section class="card">
      <h2>${t('complaint.events')}</h2>
      <ol class="events" data-testid="events">${complaint.events.map((e) => html`
        <li key=${e.id} data-type=${e.type}>
          <span class="when">${formatDateTime(e.occurredAt)}</span>
          <strong class="type" title=${e.type}>${eventLabel(e.type)}</strong>
          <span class="actor">${e.actor.displayName ?? t(`actor.${e.actor.type}`)}${e.channel ? ` · ${e.channel}` : ''}</span>
          <span class="payload">${payloadSummary(e.payload)}</span>
        </li>`)}
      </ol>
    </section>`;
}

function Alerts({ complaint }) {
  if (complaint.alerts.length === 0) return null;
  return html`
    <section class="card">
      <h2>${t('complaint.alerts')}</h2>
      <ul class="plain">${complaint.alerts.map((a) => html`
        <li key=${a.id}>${formatDateTime(a.createdAt)} · ${a.kind} · ${t(`role.${a.recipientRole}`)}${a.recipient ? ` (${a.recipient})` : ''} · ${a.status}</li>`)}
      </ul>
    </section>`;
}

export function ComplaintPage({ number, staff }) {
  const lang = useLang();
  const [complaint, setComplaint] = useState(null);
  const [error, setError] = useState('');
  const now = useNow(1000);

  // Another complaint opened, or a reload after an action: only the newest answer is shown.
  const begin = useNewestOnly();
  const load = useCallback(async () => {
    const isNewest = begin();
    try {
      const r = await api(`/api/v1/complaints/${encodeURIComponent(number)}`);
      if (!isNewest()) return;
      syncServerTime(r.now);
      setComplaint(r);
      setError('');
    } catch (err) {
      if (!isNewest()) return;
      setError(t('common.error', { message: err.message }));
    }
  }, [number]);
  useEffect(() => {
    load();
  }, [load]);

  if (error && !complaint) return html`<p class="error" role="alert">${error}</p><p><a href="#/">${t('complaint.back')}</a></p>`;
  if (!complaint) return html`<p class="loading">${t('common.loading')}</p>`;
  const c = complaint;
  return html`
    <article class="complaint" data-testid="complaint-page">
      <p><a href="#/">← ${t('complaint.back')}</a></p>
      <h1>
        <span data-testid="complaint-number">${c.number}</span>
        <span class=${`tier tier-${c.tier ?? 'none'}`}>${c.tier ? t(`tier.${c.tier}`) : '—'}</span>
        ${c.urgent ? html`<span class="urgent">${t('complaint.urgent')}</span>` : null}
        <span class="status">${t(`status.${c.status}`)}</span>
      </h1>
      ${c.permissions.readOnly ? html`<p class="notice">${t('complaint.readOnly')}</p>` : null}
      <${ErrorLine} error=${error} />
      <div class="columns">
        <div>
          <section class="card">
            <h2>${t('complaint.details')}</h2>
            <dl>
              <${Field} label=${t('complaint.businessLine')}>${t(`line.${c.businessLine}`)}<//>
              <${Field} label=${t('complaint.type')}>${t(`type.${c.type}`)}<//>
              <${Field} label=${t('complaint.channel')}>${t(`channel.${c.intakeChannel}`)}<//>
              <${Field} label=${t('complaint.accepted')}>${formatDateTime(c.acceptedAt)}<//>
              <${Field} label=${t('complaint.department')}>${c.department ? (lang === 'en' ? c.department.nameEn : c.department.name) : null}<//>
              <${Field} label=${t('complaint.owner')}>${c.owner ? c.owner.displayName : t('complaint.unowned')}<//>
              <${Field} label=${t('complaint.occurredOn')}>${c.occurredOn}<//>
              <${Field} label=${t('complaint.claimedLoss')}>${c.claimedLossYuan}<//>
              <${Field} label=${t('complaint.feedbackMethod')}>${t(`feedback.${c.feedbackMethod}`)}<//>
            </dl>
          </section>
          <${Classification} key=${c.version} complaint=${c} canEdit=${!c.permissions.readOnly} onChanged=${load} />
          <${PersonalData} complaint=${c} onRevealed=${load} />
          <${Deadlines} complaint=${c} now=${now} />
          ${c.permissions.overrideTier ? html`<${TierOverride} key=${c.tier} complaint=${c} onChanged=${load} />` : null}
          <${Extensions} complaint=${c} onChanged=${load} />
          <${CaseActions} complaint=${c} staff=${staff} onChanged=${load} />
          <${SurveyPanel} complaint=${c} canRecord=${!c.permissions.readOnly && ['agent', 'supervisor', 'leadership', 'admin'].includes(staff?.role)} onChanged=${load} />
        </div>
        <div>
          <${Transcript} number=${c.number} onRevealed=${load} />
          <${Alerts} complaint=${c} />
          <${Events} complaint=${c} />
        </div>
      </div>
    </article>`;
}
