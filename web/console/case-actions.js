// Case handling on the complaint page (CASE): the case file (owner, staff the complaint is about,
// investigation, root cause, records, evidence, compensations, corrective actions) and the actions
// the complaint's status and the signed-in staff member's role allow — the server lists them in the
// case file's `actions` (services/case-handling/case-file.ts), from the same rules the API enforces.
// Status-changing actions send `expectedFrom` (the status on screen): a complaint that moved on in
// the meantime answers 409 and the panel reloads. zh-CN by default, English through lib.js.
import { html, useState, useEffect, useCallback, api, ApiError, t, addStrings, useLang, formatDateTime, CSRF_COOKIE, CSRF_HEADER } from './lib.js';

addStrings({
  'zh-CN': {
    'case.title': '案件处理', 'case.owner': '负责人', 'case.unowned': '未分派', 'case.subjects': '被投诉员工（回避）', 'case.none': '无',
    'case.investigation': '调查', 'case.department': '责任部门', 'case.investigator': '调查人', 'case.methods': '调查方式',
    'case.rootCause': '原因分析', 'case.rootCauseDetail': '原因说明', 'case.impact': '影响评估', 'case.impactLevel': '影响程度',
    'case.records': '处理记录', 'case.evidence': '证据材料', 'case.download': '下载', 'case.compensations': '赔偿', 'case.correctiveActions': '整改措施',
    'case.due': '完成期限', 'case.done': '已完成', 'case.open': '进行中', 'case.markDone': '标记完成', 'case.approve': '批准', 'case.refuse': '不批准',
    'case.note': '意见', 'case.reason': '理由', 'case.amount': '金额（元）', 'case.text': '内容', 'case.submit': '提交', 'case.saved': '已保存。',
    'case.stale': '该投诉已被他人更新，已重新加载，请核对后再操作。',
    'case.action.assign': '分派 / 改派负责人', 'case.action.recordSubject': '登记被投诉员工', 'case.action.startInvestigation': '开始调查',
    'case.action.updateInvestigation': '调整调查安排', 'case.action.addNote': '添加调查记录', 'case.action.recordNegotiation': '记录协商情况',
    'case.action.uploadEvidence': '上传证据', 'case.action.recordAnalysis': '原因分析与影响评估', 'case.action.requestCompensation': '申请赔偿',
    'case.action.addCorrectiveAction': '添加整改措施', 'case.action.giveFeedback': '答复客户', 'case.action.close': '结案',
    'case.action.recordMeeting': '领导小组会议记录', 'case.action.recordSeniorReport': '向公司高层报告',
    'case.pick': '请选择', 'case.file': '文件', 'case.channel': '协商方式', 'case.outcome': '协商结果',
    'case.method': '答复方式', 'case.findings': '调查结论', 'case.decision': '处理决定', 'case.options': '客户可选途径（可不填，默认告知复核与监管投诉途径）',
    'case.content': '通话/短信/邮件/信函内容', 'case.closeConfirm': '确认结案？', 'case.heldAt': '会议时间', 'case.plan': '处理方案',
    'case.responsible': '责任人', 'case.milestones': '里程碑', 'case.addMilestone': '添加里程碑', 'case.report': '报告内容', 'case.description': '措施内容',
    'case.band.team_lead': '班组长审批', 'case.band.department_head': '部门负责人审批', 'case.band.leadership_group': '领导小组审批',
    'case.status.requested': '待审批', 'case.status.approved': '已批准', 'case.status.refused': '未批准', 'case.ownerIsSubject': '负责人为被投诉员工，请改派。',
    'method.interview': '询问当事人', 'method.call_recording_review': '调阅通话录音', 'method.document_review': '调阅单证资料', 'method.system_record_review': '核查系统记录',
    'method.site_visit': '现场核查', 'method.external_appraisal': '外部鉴定', 'method.other': '其他',
    'cause.internal_management': '内部管理', 'cause.business_process': '业务流程', 'cause.staff_service': '人员服务', 'cause.product': '产品设计',
    'cause.third_party': '第三方', 'cause.customer_misunderstanding': '客户误解', 'cause.other': '其他',
    'impact.low': '低', 'impact.medium': '中', 'impact.high': '高', 'impact.severe': '严重',
    'record.investigation_note': '调查记录', 'record.negotiation': '协商记录', 'record.feedback': '答复客户', 'record.leadership_meeting': '领导小组会议', 'record.senior_report': '高层报告',
    'nego.phone': '电话', 'nego.in_person': '面谈', 'nego.chat': '在线', 'nego.sms': '短信', 'nego.email': '电子邮件', 'nego.letter': '信函',
    'outcome.agreed': '达成一致', 'outcome.not_agreed': '未达成一致', 'outcome.pending': '待继续协商',
    'fb.chat': '在线消息（发送到客户会话）', 'fb.phone': '电话', 'fb.sms': '短信', 'fb.email': '电子邮件', 'fb.letter': '信函',
  },
  en: {
    'case.title': 'Case handling', 'case.owner': 'Owner', 'case.unowned': 'Unassigned', 'case.subjects': 'Staff complained about (recusal)', 'case.none': 'None',
    'case.investigation': 'Investigation', 'case.department': 'Responsible department', 'case.investigator': 'Investigator', 'case.methods': 'Methods',
    'case.rootCause': 'Root cause', 'case.rootCauseDetail': 'Cause in detail', 'case.impact': 'Impact assessment', 'case.impactLevel': 'Impact',
    'case.records': 'Records', 'case.evidence': 'Evidence', 'case.download': 'Download', 'case.compensations': 'Compensation', 'case.correctiveActions': 'Corrective actions',
    'case.due': 'Due', 'case.done': 'Done', 'case.open': 'Open', 'case.markDone': 'Mark done', 'case.approve': 'Approve', 'case.refuse': 'Refuse',
    'case.note': 'Note', 'case.reason': 'Reason', 'case.amount': 'Amount (yuan)', 'case.text': 'Text', 'case.submit': 'Submit', 'case.saved': 'Saved.',
    'case.stale': 'Someone else changed this complaint; it has been reloaded — check it and try again.',
    'case.action.assign': 'Assign / reassign owner', 'case.action.recordSubject': 'Record staff complained about', 'case.action.startInvestigation': 'Start investigation',
    'case.action.updateInvestigation': 'Change investigation', 'case.action.addNote': 'Add investigation note', 'case.action.recordNegotiation': 'Record negotiation',
    'case.action.uploadEvidence': 'Upload evidence', 'case.action.recordAnalysis': 'Root cause and impact', 'case.action.requestCompensation': 'Request compensation',
    'case.action.addCorrectiveAction': 'Add corrective action', 'case.action.giveFeedback': 'Answer the customer', 'case.action.close': 'Close',
    'case.action.recordMeeting': 'Leadership group meeting', 'case.action.recordSeniorReport': 'Report to senior management',
    'case.pick': 'Choose…', 'case.file': 'File', 'case.channel': 'How', 'case.outcome': 'Outcome',
    'case.method': 'Method', 'case.findings': 'Findings', 'case.decision': 'Decision', 'case.options': "Customer's options (optional; by default: review and regulator)",
    'case.content': 'What was said or sent', 'case.closeConfirm': 'Close this complaint?', 'case.heldAt': 'Held at', 'case.plan': 'Plan',
    'case.responsible': 'Responsible person', 'case.milestones': 'Milestones', 'case.addMilestone': 'Add milestone', 'case.report': 'Report', 'case.description': 'Action',
    'case.band.team_lead': 'team lead approves', 'case.band.department_head': 'department head approves', 'case.band.leadership_group': 'leadership group approves',
    'case.status.requested': 'Awaiting decision', 'case.status.approved': 'Approved', 'case.status.refused': 'Refused', 'case.ownerIsSubject': 'The owner is complained about: reassign.',
    'method.interview': 'Interviews', 'method.call_recording_review': 'Call recordings', 'method.document_review': 'Documents', 'method.system_record_review': 'System records',
    'method.site_visit': 'Site visit', 'method.external_appraisal': 'External appraisal', 'method.other': 'Other',
    'cause.internal_management': 'Internal management', 'cause.business_process': 'Business process', 'cause.staff_service': 'Staff service', 'cause.product': 'Product',
    'cause.third_party': 'Third party', 'cause.customer_misunderstanding': 'Customer misunderstanding', 'cause.other': 'Other',
    'impact.low': 'Low', 'impact.medium': 'Medium', 'impact.high': 'High', 'impact.severe': 'Severe',
    'record.investigation_note': 'Investigation note', 'record.negotiation': 'Negotiation', 'record.feedback': 'Answer to the customer', 'record.leadership_meeting': 'Leadership meeting', 'record.senior_report': 'Senior management report',
    'nego.phone': 'Phone', 'nego.in_person': 'In person', 'nego.chat': 'Chat', 'nego.sms': 'SMS', 'nego.email': 'E-mail', 'nego.letter': 'Letter',
    'outcome.agreed': 'Agreed', 'outcome.not_agreed': 'Not agreed', 'outcome.pending': 'To continue',
    'fb.chat': "Chat message (into the customer's conversation)", 'fb.phone': 'Phone', 'fb.sms': 'SMS', 'fb.email': 'E-mail', 'fb.letter': 'Letter',
  },
});

const METHODS = ['interview', 'call_recording_review', 'document_review', 'system_record_review', 'site_visit', 'external_appraisal', 'other'];
const CAUSES = ['internal_management', 'business_process', 'staff_service', 'product', 'third_party', 'customer_misunderstanding', 'other'];
const IMPACTS = ['low', 'medium', 'high', 'severe'];
const NEGO_CHANNELS = ['phone', 'in_person', 'chat', 'sms', 'email', 'letter'];
const OUTCOMES = ['agreed', 'not_agreed', 'pending'];
const FEEDBACK = ['chat', 'phone', 'sms', 'email', 'letter'];

function csrfToken() {
  const prefix = `${CSRF_COOKIE}=`;
  const part = document.cookie.split(';').map((p) => p.trim()).find((p) => p.startsWith(prefix));
  return part ? decodeURIComponent(part.slice(prefix.length)) : '';
}

/** Evidence goes up as the raw body (the API reads application/octet-stream with its own size limit). */
async function uploadFile(number, file) {
  const res = await fetch(`/api/v1/complaints/${encodeURIComponent(number)}/evidence`, {
    method: 'POST', credentials: 'same-origin', body: file,
    headers: { Accept: 'application/json', 'Content-Type': 'application/octet-stream', 'X-File-Type': file.type || 'application/octet-stream', 'X-File-Name': encodeURIComponent(file.name), [CSRF_HEADER]: csrfToken() },
  });
  const body = await res.json().catch(() => null);
  if (!res.ok) throw new ApiError(res.status, body);
  return body;
}

const byId = (directory, id) => directory.find((s) => s.id === id);
const person = (p) => (p ? p.displayName || p.id : t('case.none'));

function StaffSelect({ directory, value, onInput, filter = () => true, testid }) {
  return html`<select required value=${value} onInput=${(e) => onInput(e.target.value)} data-testid=${testid}>
    <option value="">${t('case.pick')}</option>
    ${directory.filter(filter).map((s) => html`<option value=${s.id}>${s.displayName} · ${t(`role.${s.role}`)} · ${s.department ?? ''}</option>`)}
  </select>`;
}

function Options({ values, prefix }) {
  return values.map((v) => html`<option value=${v}>${t(`${prefix}.${v}`)}</option>`);
}

/** One action: a collapsible form; `run(fields)` does the call; fields start from `initial`. */
function ActionForm({ name, initial, run, children, busy, setBusy, onDone, setMessage }) {
  const [fields, setFields] = useState(initial);
  const set = (key) => (value) => setFields({ ...fields, [key]: value });
  const submit = async (e) => {
    e.preventDefault();
    setBusy(true);
    setMessage(null);
    try {
      await run(fields);
      setFields(initial);
      e.target.closest('details').open = false;
      setMessage({ ok: true, text: t('case.saved') });
      onDone();
    } catch (err) {
      const stale = err instanceof ApiError && err.status === 409 && /not \w+; nothing changed|not \w+; status not changed/.test(err.message);
      setMessage({ ok: false, text: stale ? t('case.stale') : t('common.error', { message: err.message }) });
      if (stale) onDone();
    } finally {
      setBusy(false);
    }
  };
  return html`<details class="case-action" data-testid=${`case-action-${name}`}>
    <summary>${t(`case.action.${name}`)}</summary>
    <form class="stack" onSubmit=${submit}>
      ${children(fields, set)}
      <button type="submit" disabled=${busy}>${t('case.submit')}</button>
    </form>
  </details>`;
}

function CaseFile({ file }) {
  const inv = file.investigation;
  return html`<div class="case-file">
    <dl>
      <div class="field"><dt>${t('case.owner')}</dt><dd data-testid="case-owner">${file.owner ? person(file.owner) : t('case.unowned')}</dd></div>
      <div class="field"><dt>${t('case.subjects')}</dt><dd>${file.subjects.length ? file.subjects.map(person).join('、') : t('case.none')}</dd></div>
      ${inv ? html`
        <div class="field"><dt>${t('case.department')}</dt><dd>${inv.department}</dd></div>
        <div class="field"><dt>${t('case.investigator')}</dt><dd>${person(inv.investigator)}</dd></div>
        <div class="field"><dt>${t('case.methods')}</dt><dd>${inv.methods.map((m) => t(`method.${m}`)).join('、')}</dd></div>
        ${inv.rootCause ? html`
          <div class="field"><dt>${t('case.rootCause')}</dt><dd data-testid="case-root-cause">${t(`cause.${inv.rootCause}`)}${inv.rootCauseDetail ? ` — ${inv.rootCauseDetail}` : ''}</dd></div>
          <div class="field"><dt>${t('case.impact')}</dt><dd>${t(`impact.${inv.impactLevel}`)} — ${inv.impactAssessment}</dd></div>` : null}` : null}
    </dl>
    ${file.records.length ? html`<h3>${t('case.records')}</h3>
      <ul class="plain">${file.records.map((r) => html`<li><strong>${t(`record.${r.kind}`)}</strong> · ${person(r.recordedBy)} · ${formatDateTime(r.recordedAt)}<div class="description">${r.body}</div></li>`)}</ul>` : null}
    ${file.evidence.length ? html`<h3>${t('case.evidence')}</h3>
      <ul class="plain">${file.evidence.map((f) => html`<li>${f.fileName} · ${Math.ceil(f.size / 1024)} KB · ${formatDateTime(f.createdAt)} ·
        <a href=${`/api/v1/complaints/${encodeURIComponent(file.number)}/evidence/${f.id}`} download=${f.fileName}>${t('case.download')}</a></li>`)}</ul>` : null}
  </div>`;
}

function Decisions({ file, busy, act }) {
  const [notes, setNotes] = useState({});
  return html`
    ${file.compensations.length ? html`<h3>${t('case.compensations')}</h3><ul class="plain">${file.compensations.map((c) => html`<li data-testid="case-compensation">
      ${c.amountYuan.toLocaleString()} 元 · ${c.reason} · ${t(`case.band.${c.band}`)} · <strong>${t(`case.status.${c.status}`)}</strong> · ${person(c.requestedBy)}
      ${c.mayDecide ? html`<span class="inline">
        <input placeholder=${t('case.note')} value=${notes[c.id] ?? ''} onInput=${(e) => setNotes({ ...notes, [c.id]: e.target.value })} />
        <button disabled=${busy} onClick=${() => act(`/api/v1/compensations/${c.id}/decision`, { approve: true, note: notes[c.id] || undefined })}>${t('case.approve')}</button>
        <button disabled=${busy} onClick=${() => act(`/api/v1/compensations/${c.id}/decision`, { approve: false, note: notes[c.id] || undefined })}>${t('case.refuse')}</button>
      </span>` : null}</li>`)}</ul>` : null}
    ${file.correctiveActions.length ? html`<h3>${t('case.correctiveActions')}</h3><ul class="plain">${file.correctiveActions.map((a) => html`<li>
      ${a.description} · ${person(a.owner)} · ${a.department} · ${t('case.due')} ${a.dueOn} · <strong>${a.status === 'done' ? t('case.done') : t('case.open')}</strong>
      ${a.mayComplete ? html`<button disabled=${busy} onClick=${() => act(`/api/v1/corrective-actions/${a.id}/done`, {})}>${t('case.markDone')}</button>` : null}</li>`)}</ul>` : null}`;
}

export function CaseActions({ complaint, staff, onChanged }) {
  useLang();
  const [file, setFile] = useState(null);
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState(null);
  const number = complaint.number;
  const base = `/api/v1/complaints/${encodeURIComponent(number)}`;

  const load = useCallback(async () => {
    try {
      setFile(await api(`${base}/case`));
    } catch (err) {
      setMessage({ ok: false, text: t('common.error', { message: err.message }) });
    }
  }, [base]);
  useEffect(() => {
    load();
  }, [load, complaint.status, complaint.version]);

  if (!file) return html`<section class="card"><h2>${t('case.title')}</h2><p class="loading">${t('common.loading')}</p></section>`;
  const done = () => {
    load();
    onChanged && onChanged();
  };
  const post = (path, body, method = 'POST') => api(path, { method, body });
  const act = async (path, body) => {
    setBusy(true);
    setMessage(null);
    try {
      await post(path, body);
      setMessage({ ok: true, text: t('case.saved') });
      done();
    } catch (err) {
      setMessage({ ok: false, text: t('common.error', { message: err.message }) });
    } finally {
      setBusy(false);
    }
  };
  const dir = file.staffDirectory;
  const subjectIds = new Set(file.subjects.map((s) => s.id));
  const inDepartment = (s) => (s.role === 'agent' || s.role === 'supervisor') && (!file.department || s.department === file.department) && !subjectIds.has(s.id);
  const handlers = (s) => s.role === 'agent' || s.role === 'supervisor';
  const status = file.status;
  const can = (a) => file.actions.includes(a);
  const form = { busy, setBusy, onDone: done, setMessage };
  const deptSelect = (value, onInput) => html`<select required value=${value} onInput=${(e) => onInput(e.target.value)}>
    <option value="">${t('case.pick')}</option>${file.departments.map((d) => html`<option value=${d.code}>${d.code} ${d.name}</option>`)}</select>`;
  const investigationFields = (f, set) => html`
    <label>${t('case.department')} ${deptSelect(f.departmentCode, set('departmentCode'))}</label>
    <label>${t('case.investigator')} <${StaffSelect} directory=${dir} value=${f.investigatorId} onInput=${set('investigatorId')}
      filter=${(s) => handlers(s) && !subjectIds.has(s.id) && (!f.departmentCode || s.department === f.departmentCode)} /></label>
    <fieldset><legend>${t('case.methods')}</legend>${METHODS.map((m) => html`<label class="checkbox"><input type="checkbox" checked=${f.methods.includes(m)}
      onChange=${(e) => set('methods')(e.target.checked ? [...f.methods, m] : f.methods.filter((x) => x !== m))} /> ${t(`method.${m}`)}</label>`)}</fieldset>`;
  const investigationInitial = { departmentCode: file.investigation?.department ?? file.department ?? '', investigatorId: file.investigation?.investigator?.id ?? '', methods: file.investigation?.methods ?? [] };

  return html`<section class="card" data-testid="case-actions">
    <h2>${t('case.title')}</h2>
    ${message ? html`<p class=${message.ok ? 'success' : 'error'} role=${message.ok ? 'status' : 'alert'}>${message.text}</p>` : null}
    ${file.owner && subjectIds.has(file.owner.id) ? html`<p class="notice">${t('case.ownerIsSubject')}</p>` : null}
    <${CaseFile} file=${file} />
    <${Decisions} file=${file} busy=${busy} act=${act} />
    ${can('assign') ? html`<${ActionForm} name="assign" initial=${{ staffId: '', reason: '' }} ...${form}
      run=${(f) => post(`${base}/owner`, { staffId: f.staffId, reason: f.reason || undefined, expectedFrom: status })}>
      ${(f, set) => html`<${StaffSelect} directory=${dir} value=${f.staffId} onInput=${set('staffId')} filter=${inDepartment} testid="case-owner-select" />
        <input placeholder=${t('case.reason')} value=${f.reason} onInput=${(e) => set('reason')(e.target.value)} />`}<//>` : null}
    ${can('recordSubject') ? html`<${ActionForm} name="recordSubject" initial=${{ staffId: '' }} ...${form} run=${(f) => post(`${base}/subject-staff`, { staffId: f.staffId })}>
      ${(f, set) => html`<${StaffSelect} directory=${dir} value=${f.staffId} onInput=${set('staffId')} filter=${(s) => !subjectIds.has(s.id)} />`}<//>` : null}
    ${can('startInvestigation') ? html`<${ActionForm} name="startInvestigation" initial=${investigationInitial} ...${form}
      run=${(f) => post(`${base}/investigation`, { departmentCode: f.departmentCode || undefined, investigatorId: f.investigatorId, methods: f.methods, expectedFrom: status })}>
      ${investigationFields}<//>` : null}
    ${can('updateInvestigation') ? html`<${ActionForm} name="updateInvestigation" initial=${investigationInitial} ...${form}
      run=${(f) => post(`${base}/investigation`, { departmentCode: f.departmentCode || undefined, investigatorId: f.investigatorId, methods: f.methods }, 'PUT')}>
      ${investigationFields}<//>` : null}
    ${can('addNote') ? html`<${ActionForm} name="addNote" initial=${{ text: '' }} ...${form} run=${(f) => post(`${base}/notes`, { text: f.text })}>
      ${(f, set) => html`<textarea required rows="3" value=${f.text} onInput=${(e) => set('text')(e.target.value)} />`}<//>` : null}
    ${can('recordNegotiation') ? html`<${ActionForm} name="recordNegotiation" initial=${{ text: '', channel: 'phone', outcome: 'pending' }} ...${form}
      run=${(f) => post(`${base}/negotiations`, f)}>
      ${(f, set) => html`<label>${t('case.channel')} <select value=${f.channel} onInput=${(e) => set('channel')(e.target.value)}><${Options} values=${NEGO_CHANNELS} prefix="nego" /></select></label>
        <label>${t('case.outcome')} <select value=${f.outcome} onInput=${(e) => set('outcome')(e.target.value)}><${Options} values=${OUTCOMES} prefix="outcome" /></select></label>
        <textarea required rows="3" value=${f.text} onInput=${(e) => set('text')(e.target.value)} />`}<//>` : null}
    ${can('uploadEvidence') ? html`<${ActionForm} name="uploadEvidence" initial=${{ file: null }} ...${form} run=${(f) => uploadFile(number, f.file)}>
      ${(f, set) => html`<input type="file" required onChange=${(e) => set('file')(e.target.files[0] ?? null)} data-testid="case-evidence-file" />`}<//>` : null}
    ${can('recordAnalysis') ? html`<${ActionForm} name="recordAnalysis" initial=${{ rootCause: file.investigation?.rootCause ?? '', rootCauseDetail: '', impactLevel: 'low', impactAssessment: '' }} ...${form}
      run=${(f) => post(`${base}/analysis`, { ...f, rootCauseDetail: f.rootCauseDetail || undefined })}>
      ${(f, set) => html`<label>${t('case.rootCause')} <select required value=${f.rootCause} onInput=${(e) => set('rootCause')(e.target.value)}><option value="">${t('case.pick')}</option><${Options} values=${CAUSES} prefix="cause" /></select></label>
        <input placeholder=${t('case.rootCauseDetail')} value=${f.rootCauseDetail} onInput=${(e) => set('rootCauseDetail')(e.target.value)} />
        <label>${t('case.impactLevel')} <select value=${f.impactLevel} onInput=${(e) => set('impactLevel')(e.target.value)}><${Options} values=${IMPACTS} prefix="impact" /></select></label>
        <textarea required rows="2" placeholder=${t('case.impact')} value=${f.impactAssessment} onInput=${(e) => set('impactAssessment')(e.target.value)} />`}<//>` : null}
    ${can('requestCompensation') ? html`<${ActionForm} name="requestCompensation" initial=${{ amount: '', reason: '' }} ...${form}
      run=${(f) => post(`${base}/compensations`, { amountYuan: Number(f.amount), reason: f.reason })}>
      ${(f, set) => html`<input type="number" required min="0.01" step="0.01" placeholder=${t('case.amount')} value=${f.amount} onInput=${(e) => set('amount')(e.target.value)} />
        <input required placeholder=${t('case.reason')} value=${f.reason} onInput=${(e) => set('reason')(e.target.value)} />`}<//>` : null}
    ${can('addCorrectiveAction') ? html`<${ActionForm} name="addCorrectiveAction" initial=${{ description: '', ownerStaffId: '', departmentCode: file.department ?? '', dueOn: '' }} ...${form}
      run=${(f) => post(`${base}/corrective-actions`, f)}>
      ${(f, set) => html`<input required placeholder=${t('case.description')} value=${f.description} onInput=${(e) => set('description')(e.target.value)} />
        <label>${t('case.department')} ${deptSelect(f.departmentCode, set('departmentCode'))}</label>
        <label>${t('case.responsible')} <${StaffSelect} directory=${dir} value=${f.ownerStaffId} onInput=${set('ownerStaffId')} filter=${(s) => s.department === f.departmentCode} /></label>
        <label>${t('case.due')} <input type="date" required value=${f.dueOn} onInput=${(e) => set('dueOn')(e.target.value)} /></label>`}<//>` : null}
    ${can('giveFeedback') ? html`<${ActionForm} name="giveFeedback" initial=${{ method: file.hasChat ? 'chat' : file.feedbackMethod === 'chat' ? 'phone' : file.feedbackMethod, findings: '', decision: '', customerOptions: '', content: '' }} ...${form}
      run=${(f) => post(`${base}/feedback`, { method: f.method, findings: f.findings, decision: f.decision, customerOptions: f.customerOptions || undefined, content: f.method === 'chat' ? undefined : f.content, expectedFrom: status })}>
      ${(f, set) => html`<label>${t('case.method')} <select value=${f.method} onInput=${(e) => set('method')(e.target.value)} data-testid="case-feedback-method"><${Options} values=${FEEDBACK.filter((m) => m !== 'chat' || file.hasChat)} prefix="fb" /></select></label>
        <textarea required rows="2" placeholder=${t('case.findings')} value=${f.findings} onInput=${(e) => set('findings')(e.target.value)} />
        <textarea required rows="2" placeholder=${t('case.decision')} value=${f.decision} onInput=${(e) => set('decision')(e.target.value)} />
        <textarea rows="2" placeholder=${t('case.options')} value=${f.customerOptions} onInput=${(e) => set('customerOptions')(e.target.value)} />
        ${f.method === 'chat' ? null : html`<textarea required rows="3" placeholder=${t('case.content')} value=${f.content} onInput=${(e) => set('content')(e.target.value)} />`}`}<//>` : null}
    ${can('close') ? html`<p><button data-testid="case-close" disabled=${busy} onClick=${() => window.confirm(t('case.closeConfirm')) && act(`${base}/close`, { expectedFrom: status })}>${t('case.action.close')}</button></p>` : null}
    ${can('recordMeeting') ? html`<${ActionForm} name="recordMeeting" initial=${{ heldAt: '', plan: '', responsibleStaffId: '', milestones: [{ description: '', dueOn: '' }] }} ...${form}
      run=${(f) => post(`${base}/leadership-meeting`, { heldAt: new Date(f.heldAt).toISOString(), plan: f.plan, responsibleStaffId: f.responsibleStaffId, milestones: f.milestones })}>
      ${(f, set) => html`<label>${t('case.heldAt')} <input type="datetime-local" required value=${f.heldAt} onInput=${(e) => set('heldAt')(e.target.value)} /></label>
        <textarea required rows="3" placeholder=${t('case.plan')} value=${f.plan} onInput=${(e) => set('plan')(e.target.value)} />
        <label>${t('case.responsible')} <${StaffSelect} directory=${dir} value=${f.responsibleStaffId} onInput=${set('responsibleStaffId')} filter=${(s) => !subjectIds.has(s.id)} /></label>
        <fieldset><legend>${t('case.milestones')}</legend>${f.milestones.map((m, i) => html`<div class="inline">
          <input required placeholder=${t('case.description')} value=${m.description} onInput=${(e) => set('milestones')(f.milestones.map((x, j) => (j === i ? { ...x, description: e.target.value } : x)))} />
          <input type="date" required value=${m.dueOn} onInput=${(e) => set('milestones')(f.milestones.map((x, j) => (j === i ? { ...x, dueOn: e.target.value } : x)))} /></div>`)}
          <button type="button" onClick=${() => set('milestones')([...f.milestones, { description: '', dueOn: '' }])}>${t('case.addMilestone')}</button></fieldset>`}<//>` : null}
    ${can('recordSeniorReport') ? html`<${ActionForm} name="recordSeniorReport" initial=${{ content: '' }} ...${form} run=${(f) => post(`${base}/senior-report`, { content: f.content })}>
      ${(f, set) => html`<textarea required rows="4" placeholder=${t('case.report')} value=${f.content} onInput=${(e) => set('content')(e.target.value)} />`}<//>` : null}
  </section>`;
}
