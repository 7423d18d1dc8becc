// KPIs per department and per person (R-KPI 考核评价) for a period: volumes, on-time rate per
// deadline kind, handling time (average, p90), satisfaction and survey response rate, reopen rate.
// GET /api/v1/kpis; an agent gets only their own row (the API decides, the page shows what it gets).
import { html, render, useState, useEffect, api, t, addStrings, getLang, setLang, useLang } from './lib.js';

addStrings({
  'zh-CN': {
    'kpi.title': '考核指标', 'kpi.from': '开始日期', 'kpi.to': '结束日期', 'kpi.apply': '查询', 'kpi.back': '返回工作台', 'kpi.signIn': '请先登录工作台。',
    'kpi.byDepartment': '按部门', 'kpi.byStaff': '按人员', 'kpi.name': '名称', 'kpi.received': '受理', 'kpi.open': '未办结', 'kpi.closed': '结案',
    'kpi.answered': '已答复', 'kpi.avgHours': '平均处理时长（小时）', 'kpi.p90Hours': 'P90 处理时长（小时）', 'kpi.onTime': '按时率',
    'kpi.breached': '超时', 'kpi.byKind': '各时限按时率', 'kpi.rating': '平均评分', 'kpi.satisfied': '满意率', 'kpi.responseRate': '调查回复率',
    'kpi.reopenRate': '重开率', 'kpi.none': '—', 'kpi.unassigned': '未分配', 'kpi.empty': '该期间没有数据。', 'kpi.period': '统计期间（北京时间）',
  },
  en: {
    'kpi.title': 'KPIs', 'kpi.from': 'From', 'kpi.to': 'To', 'kpi.apply': 'Show', 'kpi.back': 'Back to the console', 'kpi.signIn': 'Please sign in to the console first.',
    'kpi.byDepartment': 'By department', 'kpi.byStaff': 'By person', 'kpi.name': 'Name', 'kpi.received': 'Received', 'kpi.open': 'Open', 'kpi.closed': 'Closed',
    'kpi.answered': 'Answered', 'kpi.avgHours': 'Average handling (h)', 'kpi.p90Hours': 'P90 handling (h)', 'kpi.onTime': 'On-time rate',
    'kpi.breached': 'Breached', 'kpi.byKind': 'On-time per deadline', 'kpi.rating': 'Average rating', 'kpi.satisfied': 'Satisfied',
    'kpi.responseRate': 'Survey response rate', 'kpi.reopenRate': 'Reopen rate', 'kpi.none': '—', 'kpi.unassigned': 'Unassigned',
    'kpi.empty': 'Nothing in this period.', 'kpi.period': 'Period (Beijing time)',
  },
});

const pct = (v) => (v === null || v === undefined ? t('kpi.none') : `${(v * 100).toFixed(1)}%`);
const fixed = (v, digits) => (v === null || v === undefined ? t('kpi.none') : v.toFixed(digits));
const ROW = { display: 'flex', gap: '12px', alignItems: 'center', flexWrap: 'wrap', padding: '10px 12px' };

/** This month so far, Beijing time, as the default period. */
function thisMonth() {
  const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(new Date());
  return { from: `${today.slice(0, 8)}01`, to: today };
}

function deadlineLabel(kind) {
  const s = t(`deadline.${kind}`);
  return s === `deadline.${kind}` ? kind : s;
}

function KpiTable({ id, title, rows, isDept }) {
  const name = (r) => (r.key === null ? t('kpi.unassigned') : `${isDept && getLang() === 'en' && r.nameEn ? r.nameEn : r.name ?? ''} (${r.key})`);
  return html`<section class="card" style=${{ padding: '8px 12px', margin: '12px 0', overflowX: 'auto' }} data-testid=${`table-${id}`}>
    <h2>${title}</h2>
    ${rows.length === 0 ? html`<p>${t('kpi.empty')}</p>` : html`
    <table class="kpi-table">
      <thead><tr>
        <th>${t('kpi.name')}</th><th>${t('kpi.received')}</th><th>${t('kpi.open')}</th><th>${t('kpi.closed')}</th><th>${t('kpi.answered')}</th>
        <th>${t('kpi.avgHours')}</th><th>${t('kpi.p90Hours')}</th><th>${t('kpi.onTime')}</th><th>${t('kpi.breached')}</th><th>${t('kpi.byKind')}</th>
        <th>${t('kpi.rating')}</th><th>${t('kpi.satisfied')}</th><th>${t('kpi.responseRate')}</th><th>${t('kpi.reopenRate')}</th>
      </tr></thead>
      <tbody>${rows.map((r) => html`<tr data-testid=${`${id}-row-${r.key ?? 'none'}`}>
        <td data-testid="name">${name(r)}</td>
        <td data-testid="received">${r.received}</td><td data-testid="open">${r.open}</td><td data-testid="closed">${r.closed}</td><td data-testid="answered">${r.answered}</td>
        <td data-testid="avg-hours">${fixed(r.handling.averageHours, 1)}</td><td data-testid="p90-hours">${fixed(r.handling.p90Hours, 1)}</td>
        <td data-testid="on-time">${pct(r.onTime.overall.onTimeRate)}</td><td data-testid="breached">${r.onTime.overall.breached}</td>
        <td data-testid="by-kind">${r.onTime.byKind.map((k) => `${deadlineLabel(k.kind)} ${pct(k.onTimeRate)} (${k.onTime}/${k.due})`).join(' · ') || t('kpi.none')}</td>
        <td data-testid="rating">${fixed(r.satisfaction.averageRating, 2)}</td><td data-testid="satisfied">${pct(r.satisfaction.rate)}</td>
        <td data-testid="response-rate">${pct(r.satisfaction.responseRate)}</td><td data-testid="reopen-rate">${pct(r.reopen.rate)}</td>
      </tr>`)}</tbody>
    </table>`}
  </section>`;
}

function Kpis() {
  useLang();
  const [period, setPeriod] = useState(thisMonth());
  const [applied, setApplied] = useState(period);
  const [figures, setFigures] = useState(null);
  const [error, setError] = useState(null);
  const [signedOut, setSignedOut] = useState(false);

  useEffect(() => {
    setError(null);
    // A period applied again before a slow answer came: the older answer is dropped.
    let current = true;
    const params = new URLSearchParams(applied);
    api(`/api/v1/kpis?${params}`).then(
      (r) => current && setFigures(r),
      (e) => current && (e.status === 401 ? setSignedOut(true) : setError(e.body?.reasons?.join('; ') ?? e.message)),
    );
    return () => { current = false; };
  }, [JSON.stringify(applied)]);

  if (signedOut) return html`<main><p>${t('kpi.signIn')} <a href="/console/">${t('kpi.back')}</a></p></main>`;
  const submit = (e) => {
    e.preventDefault();
    setApplied({ ...period });
  };
  return html`
    <header class="nav">
      <strong class="brand">${t('kpi.title')}</strong>
      <a href="/console/">${t('kpi.back')}</a>
      <span class="spacer"></span>
      <button type="button" class="link" onClick=${() => setLang(getLang() === 'en' ? 'zh-CN' : 'en')} data-testid="lang-toggle">${t('lang.toggle')}</button>
    </header>
    <main class="kpis">
      <form class="card filters" style=${ROW} onSubmit=${submit} data-testid="period">
        <span>${t('kpi.period')}</span>
        <label>${t('kpi.from')} <input type="date" value=${period.from} onInput=${(e) => setPeriod({ ...period, from: e.target.value })} data-testid="from" /></label>
        <label>${t('kpi.to')} <input type="date" value=${period.to} onInput=${(e) => setPeriod({ ...period, to: e.target.value })} data-testid="to" /></label>
        <button type="submit" data-testid="apply">${t('kpi.apply')}</button>
      </form>
      ${error ? html`<p class="error" role="alert" data-testid="error">${t('common.error', { message: error })}</p>` : null}
      ${!figures ? html`<p class="loading">${t('common.loading')}</p>` : html`
        ${figures.departments ? html`<${KpiTable} id="dept" title=${t('kpi.byDepartment')} rows=${figures.departments} isDept=${true} />` : null}
        ${figures.staff ? html`<${KpiTable} id="staff" title=${t('kpi.byStaff')} rows=${figures.staff} isDept=${false} />` : null}`}
    </main>`;
}

const root = document.getElementById('app');
root.textContent = ''; // the static "Loading…" placeholder
render(html`<${Kpis} />`, root);
