// The statistics dashboard (issue 7): a period and filters, the key figures, charts (Chart.js from
// node_modules, /console/vendor/chart.umd.js) and the report files (PDF, XLSX) of the same figures;
// the monthly reports produced so far. Same API as the CLI: GET /api/v1/reports/statistics.
import './vendor/chart.umd.js';
import { html, render, useState, useEffect, useRef, api, t, addStrings, getLang, setLang, useLang } from './lib.js';

const Chart = globalThis.Chart;

addStrings({
  'zh-CN': {
    'dash.title': '投诉统计看板', 'dash.from': '开始日期', 'dash.to': '结束日期', 'dash.line': '业务条线', 'dash.all': '全部', 'dash.apply': '查询',
    'dash.total': '投诉总量', 'dash.mom': '环比', 'dash.yoy': '同比', 'dash.onTime': '按时率', 'dash.reopen': '重开率', 'dash.satisfaction': '满意度',
    'dash.compensation': '已批准补偿（元）', 'dash.notRecorded': '未登记', 'dash.monthly': '近13个月投诉量', 'dash.answered': '已答复', 'dash.byType': '投诉类型',
    'dash.byChannel': '投诉渠道', 'dash.onTimeByKind': '各时限按时率', 'dash.pareto': '投诉原因（帕累托）', 'dash.cumulative': '累计占比',
    'dash.download': '下载报告', 'dash.monthlyReports': '月度报告', 'dash.noReports': '暂无月度报告', 'dash.keyPhrases': '投诉关键词',
    'dash.signIn': '请先登录工作台。', 'dash.open': '未办结', 'dash.closed': '已结案', 'dash.back': '返回工作台', 'dash.count': '投诉量',
    'line.insurance': '保险', 'line.securities': '证券',
  },
  en: {
    'dash.title': 'Complaint dashboard', 'dash.from': 'From', 'dash.to': 'To', 'dash.line': 'Business line', 'dash.all': 'All', 'dash.apply': 'Show',
    'dash.total': 'Complaints', 'dash.mom': 'Month over month', 'dash.yoy': 'Year over year', 'dash.onTime': 'On-time rate', 'dash.reopen': 'Reopen rate',
    'dash.satisfaction': 'Satisfaction', 'dash.compensation': 'Compensation approved (yuan)', 'dash.notRecorded': 'not recorded',
    'dash.monthly': 'Complaints per month (13 months)', 'dash.answered': 'Answered', 'dash.byType': 'By type', 'dash.byChannel': 'By channel',
    'dash.onTimeByKind': 'On-time rate per deadline', 'dash.pareto': 'Root causes (Pareto)', 'dash.cumulative': 'Cumulative share',
    'dash.download': 'Download report', 'dash.monthlyReports': 'Monthly reports', 'dash.noReports': 'No monthly report yet', 'dash.keyPhrases': 'Key phrases',
    'dash.signIn': 'Please sign in to the console first.', 'dash.open': 'Open', 'dash.closed': 'Closed', 'dash.back': 'Back to the console', 'dash.count': 'Complaints',
    'line.insurance': 'Insurance', 'line.securities': 'Securities',
  },
});

const LABELS = {
  'zh-CN': {
    insurance_product_inquiry: '保险产品咨询', claims_dispute: '理赔纠纷', securities_trading: '证券交易', investment_advice: '投资顾问', other: '其他',
    internal_management: '内部管理', business_process: '业务流程', staff_service: '人员服务', product: '产品设计', third_party: '第三方', customer_misunderstanding: '客户误解',
  },
  en: {
    insurance_product_inquiry: 'Insurance product', claims_dispute: 'Claims dispute', securities_trading: 'Securities trading', investment_advice: 'Investment advice', other: 'Other',
    internal_management: 'Internal management', business_process: 'Business process', staff_service: 'Staff service', product: 'Product design', third_party: 'Third party', customer_misunderstanding: 'Customer misunderstanding',
  },
};
function label(key) {
  if (key === null || key === undefined) return t('dash.notRecorded');
  const own = LABELS[getLang()][key];
  if (own) return own;
  const common = t(`channel.${key}`);
  if (common !== `channel.${key}`) return common;
  const deadline = t(`deadline.${key}`);
  return deadline !== `deadline.${key}` ? deadline : key;
}
const pct = (v) => (v === null || v === undefined ? t('dash.notRecorded') : `${(v * 100).toFixed(1)}%`);
const signedPct = (v) => (v === null || v === undefined ? '—' : `${v >= 0 ? '+' : ''}${(v * 100).toFixed(1)}%`);
// Layout as style objects (set through the CSSOM, which the console's CSP allows; console.css is shared).
const GRID = { display: 'grid', gridTemplateColumns: 'repeat(auto-fill, minmax(420px, 1fr))', gap: '12px', margin: '12px 0' };
const KPIS = { display: 'grid', gridTemplateColumns: 'repeat(auto-fill, minmax(170px, 1fr))', gap: '12px', margin: '12px 0' };
const ROW = { display: 'flex', gap: '12px', alignItems: 'center', flexWrap: 'wrap', padding: '10px 12px' };
const COLORS = ['#2f6fb0', '#e07b39', '#4a9d5b', '#c44e52', '#8172b2', '#937860', '#da8bc3', '#8c8c8c'];

/** Last month, Beijing time, as the default period. */
function lastMonth() {
  const parts = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit' }).format(new Date()).split('-');
  const d = new Date(Date.UTC(Number(parts[0]), Number(parts[1]) - 2, 1));
  const from = d.toISOString().slice(0, 10);
  const to = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 0)).toISOString().slice(0, 10);
  return { from, to };
}

function ChartBox({ id, config }) {
  const canvas = useRef(null);
  useEffect(() => {
    if (!Chart || !canvas.current) return undefined;
    const chart = new Chart(canvas.current, { ...config, options: { animation: false, responsive: true, maintainAspectRatio: false, ...config.options } });
    return () => chart.destroy();
  }, [JSON.stringify(config)]);
  return html`<div class="card chart" style=${{ height: '280px', padding: '8px' }}><canvas ref=${canvas} data-testid=${`chart-${id}`}></canvas></div>`;
}

function Kpi({ id, title, value, sub }) {
  return html`<div class="card kpi" style=${{ padding: '10px 12px' }} data-testid=${`kpi-${id}`}>
    <div style=${{ color: 'var(--muted)' }}>${title}</div>
    <div style=${{ fontSize: '26px', fontWeight: 600 }} data-testid=${`kpi-${id}-value`}>${value}</div>
    ${sub ? html`<div style=${{ color: 'var(--muted)', fontSize: '12px' }}>${sub}</div>` : null}</div>`;
}

function query(filter) {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(filter)) if (v) params.set(k, v);
  return params.toString();
}

function Dashboard() {
  useLang();
  const [filter, setFilter] = useState({ ...lastMonth(), line: '' });
  const [applied, setApplied] = useState(filter);
  const [figures, setFigures] = useState(null);
  const [monthly, setMonthly] = useState([]);
  const [error, setError] = useState(null);
  const [signedOut, setSignedOut] = useState(false);

  useEffect(() => {
    setError(null);
    // Filters applied again before a slow answer came: the older answer is dropped, not shown under the new filters.
    let current = true;
    api(`/api/v1/reports/statistics?${query(applied)}`).then(
      (r) => current && setFigures(r),
      (e) => current && (e.status === 401 ? setSignedOut(true) : setError(e.message)),
    );
    return () => { current = false; };
  }, [JSON.stringify(applied)]);
  useEffect(() => {
    api('/api/v1/reports/monthly').then((r) => setMonthly(r.reports), () => setMonthly([]));
  }, []);

  if (signedOut) return html`<main><p>${t('dash.signIn')} <a href="/console/">${t('dash.back')}</a></p></main>`;
  const f = figures;
  const submit = (e) => {
    e.preventDefault();
    setApplied({ ...filter });
  };
  const byType = f ? f.breakdowns.type : [];
  const byChannel = f ? f.breakdowns.channel : [];
  return html`
    <header class="nav">
      <strong class="brand">${t('dash.title')}</strong>
      <a href="/console/">${t('dash.back')}</a>
      <span class="spacer"></span>
      <button type="button" class="link" onClick=${() => setLang(getLang() === 'en' ? 'zh-CN' : 'en')} data-testid="lang-toggle">${t('lang.toggle')}</button>
    </header>
    <main class="dashboard">
      <form class="card filters" style=${ROW} onSubmit=${submit} data-testid="filters">
        <label>${t('dash.from')} <input type="date" value=${filter.from} onInput=${(e) => setFilter({ ...filter, from: e.target.value })} data-testid="from" /></label>
        <label>${t('dash.to')} <input type="date" value=${filter.to} onInput=${(e) => setFilter({ ...filter, to: e.target.value })} data-testid="to" /></label>
        <label>${t('dash.line')}
          <select value=${filter.line} onChange=${(e) => setFilter({ ...filter, line: e.target.value })} data-testid="line">
            <option value="">${t('dash.all')}</option><option value="insurance">${t('line.insurance')}</option><option value="securities">${t('line.securities')}</option>
          </select></label>
        <button type="submit" data-testid="apply">${t('dash.apply')}</button>
        <span style=${{ flex: 1 }}></span>
        <span>${t('dash.download')}:</span>
        <a href=${`/api/v1/reports/file?${query({ ...applied, format: 'pdf' })}`} data-testid="download-pdf">PDF</a>
        <a href=${`/api/v1/reports/file?${query({ ...applied, format: 'xlsx' })}`} data-testid="download-xlsx">XLSX</a>
      </form>
      ${error ? html`<p class="error" role="alert">${t('common.error', { message: error })}</p>` : null}
      ${!f ? html`<p class="loading">${t('common.loading')}</p>` : html`
        <section class="kpis" style=${KPIS} data-testid="kpis">
          <${Kpi} id="total" title=${t('dash.total')} value=${f.total} sub=${`${t('dash.open')} ${f.results.open} · ${t('dash.answered')} ${f.results.answered} · ${t('dash.closed')} ${f.results.closed}`} />
          <${Kpi} id="mom" title=${t('dash.mom')} value=${signedPct(f.trends.previous.changeRate)} sub=${`${f.trends.previous.period.from} – ${f.trends.previous.period.to}: ${f.trends.previous.total}`} />
          <${Kpi} id="yoy" title=${t('dash.yoy')} value=${signedPct(f.trends.lastYear.changeRate)} sub=${`${f.trends.lastYear.period.from} – ${f.trends.lastYear.period.to}: ${f.trends.lastYear.total}`} />
          <${Kpi} id="on-time" title=${t('dash.onTime')} value=${pct(f.onTime.overall.onTimeRate)} />
          <${Kpi} id="reopen" title=${t('dash.reopen')} value=${pct(f.reopen.rate)} />
          <${Kpi} id="satisfaction" title=${t('dash.satisfaction')} value=${f.satisfaction.recorded ? pct(f.satisfaction.rate) : t('dash.notRecorded')} />
          <${Kpi} id="compensation" title=${t('dash.compensation')} value=${f.compensation.approved.amountYuan.toLocaleString(getLang())} />
        </section>
        <section class="charts" style=${GRID}>
          <${ChartBox} id="monthly" config=${{
            type: 'bar',
            data: {
              labels: f.trends.monthly.map((m) => m.month),
              datasets: [
                { type: 'bar', label: t('dash.count'), data: f.trends.monthly.map((m) => m.count), backgroundColor: COLORS[0] },
                { type: 'line', label: t('dash.answered'), data: f.trends.monthly.map((m) => m.answered), borderColor: COLORS[1], backgroundColor: COLORS[1] },
              ],
            },
            options: { plugins: { title: { display: true, text: t('dash.monthly') } } },
          }} />
          <${ChartBox} id="type" config=${{
            type: 'bar',
            data: { labels: byType.map((r) => label(r.key)), datasets: [{ label: t('dash.count'), data: byType.map((r) => r.count), backgroundColor: COLORS[0] }] },
            options: { indexAxis: 'y', plugins: { legend: { display: false }, title: { display: true, text: t('dash.byType') } } },
          }} />
          <${ChartBox} id="channel" config=${{
            type: 'doughnut',
            data: { labels: byChannel.map((r) => label(r.key)), datasets: [{ data: byChannel.map((r) => r.count), backgroundColor: COLORS }] },
            options: { plugins: { title: { display: true, text: t('dash.byChannel') } } },
          }} />
          <${ChartBox} id="on-time" config=${{
            type: 'bar',
            data: { labels: f.onTime.byKind.map((d) => label(d.kind)), datasets: [{ label: t('dash.onTime'), data: f.onTime.byKind.map((d) => (d.onTimeRate === null ? null : Math.round(d.onTimeRate * 1000) / 10)), backgroundColor: COLORS[2] }] },
            options: { scales: { y: { min: 0, max: 100 } }, plugins: { legend: { display: false }, title: { display: true, text: `${t('dash.onTimeByKind')} (%)` } } },
          }} />
          <${ChartBox} id="pareto" config=${{
            type: 'bar',
            data: {
              labels: f.rootCauses.pareto.map((c) => label(c.cause)),
              datasets: [
                { type: 'bar', label: t('dash.count'), data: f.rootCauses.pareto.map((c) => c.count), backgroundColor: COLORS[3], yAxisID: 'y' },
                { type: 'line', label: t('dash.cumulative'), data: f.rootCauses.pareto.map((c) => Math.round(c.cumulativeShare * 1000) / 10), borderColor: COLORS[1], backgroundColor: COLORS[1], yAxisID: 'y2' },
              ],
            },
            options: { scales: { y: { beginAtZero: true }, y2: { position: 'right', min: 0, max: 100 } }, plugins: { title: { display: true, text: t('dash.pareto') } } },
          }} />
          <div class="card" style=${{ padding: '8px 12px' }} data-testid="key-phrases"><h2>${t('dash.keyPhrases')}</h2>
            <p>${f.keyPhrases.phrases.map((p) => html`<span class="phrase">${p.phrase} (${p.complaints}) </span>`)}</p></div>
        </section>`}
      <section class="card" style=${{ padding: '8px 12px' }} data-testid="monthly-reports"><h2>${t('dash.monthlyReports')}</h2>
        ${monthly.length === 0 ? html`<p>${t('dash.noReports')}</p>` : html`<ul>${monthly.map((r) => html`<li>${r.month}
          ${r.files ? html` <a href=${r.files.pdf} data-testid=${`monthly-${r.month}-pdf`}>PDF</a> <a href=${r.files.xlsx} data-testid=${`monthly-${r.month}-xlsx`}>XLSX</a>` : null}</li>`)}</ul>`}
      </section>
    </main>`;
}

const root = document.getElementById('app');
root.textContent = ''; // the static "Loading…" placeholder
render(html`<${Dashboard} />`, root);
