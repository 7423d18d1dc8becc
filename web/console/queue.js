// The queue (投诉队列): open complaints, nearest deadline first, with tier, status, owner and a live
// countdown to each complaint's next deadline (red on breach). Filters and search by number go to
// the server (GET /api/v1/complaints); the list refreshes every 30 seconds.
import { html, useState, useEffect, useCallback, useNewestOnly, api, t, addStrings, useLang, useNow, syncServerTime, formatDateTime } from './lib.js';
import { Countdown } from './countdown.js';

addStrings({
  'zh-CN': {
    'queue.title': '投诉队列',
    'queue.search': '按投诉编号搜索',
    'queue.tier': '级别', 'queue.status': '状态', 'queue.owner': '负责人', 'queue.department': '部门', 'queue.channel': '渠道',
    'queue.number': '投诉编号', 'queue.complainant': '投诉人', 'queue.accepted': '受理时间', 'queue.next': '下一期限', 'queue.left': '剩余时间',
    'queue.any': '全部', 'queue.open': '未结案', 'queue.mine': '我负责的', 'queue.unowned': '未分派', 'queue.untriaged': '未分级',
    'queue.breachedOnly': '只看超时', 'queue.callbackOnly': '只看待回访', 'queue.empty': '没有符合条件的投诉。', 'queue.urgent': '紧急',
    'queue.total': '共 {total} 件', 'queue.prev': '上一页', 'queue.next.page': '下一页', 'queue.refresh': '刷新',
  },
  en: {
    'queue.title': 'Complaint queue',
    'queue.search': 'Search by complaint number',
    'queue.tier': 'Tier', 'queue.status': 'Status', 'queue.owner': 'Owner', 'queue.department': 'Department', 'queue.channel': 'Channel',
    'queue.number': 'Number', 'queue.complainant': 'Complainant', 'queue.accepted': 'Accepted', 'queue.next': 'Next deadline', 'queue.left': 'Time left',
    'queue.any': 'All', 'queue.open': 'Open', 'queue.mine': 'Mine', 'queue.unowned': 'Unassigned', 'queue.untriaged': 'Not triaged',
    'queue.breachedOnly': 'Overdue only', 'queue.callbackOnly': 'Awaiting a callback', 'queue.empty': 'No complaints match.', 'queue.urgent': 'Urgent',
    'queue.total': '{total} in all', 'queue.prev': 'Previous', 'queue.next.page': 'Next', 'queue.refresh': 'Refresh',
  },
});

const STATUSES = ['received', 'acknowledged', 'assigned', 'investigating', 'resolved', 'closed', 'reopened'];
const CHANNELS = ['online_chat', 'wechat', 'hotline', 'counter', 'letter', 'email'];
const PAGE_SIZE = 50;

function Select({ label, value, onChange, options, testid }) {
  return html`<label class="filter">${label}
    <select value=${value} onChange=${(e) => onChange(e.target.value)} data-testid=${testid}>
      ${options.map(([v, text]) => html`<option value=${v}>${text}</option>`)}
    </select></label>`;
}

export function Queue() {
  const lang = useLang();
  const [filters, setFilters] = useState({ tier: '', status: 'open', owner: '', department: '', channel: '', breached: '', callback: '', number: '' });
  const [page, setPage] = useState(1);
  const [data, setData] = useState(null);
  const [departments, setDepartments] = useState([]);
  const [error, setError] = useState('');
  const now = useNow(1000);
  // A search typed quickly, a filter ticked while the list refreshes: only the newest answer is shown.
  const begin = useNewestOnly();

  const load = useCallback(async () => {
    const isNewest = begin();
    const params = new URLSearchParams({ page: String(page), pageSize: String(PAGE_SIZE) });
    for (const [k, v] of Object.entries(filters)) if (v) params.set(k, v.trim());
    try {
      const r = await api(`/api/v1/complaints?${params}`);
      if (!isNewest()) return;
      syncServerTime(r.now);
      setData(r);
      setError('');
    } catch (err) {
      if (!isNewest()) return;
      setError(t('common.error', { message: err.message }));
    }
  }, [filters, page]);

  useEffect(() => {
    load();
    const id = setInterval(load, 30_000);
    return () => clearInterval(id);
  }, [load]);

  useEffect(() => {
    api('/api/v1/departments').then((r) => setDepartments(r.departments), () => {});
  }, []);

  const set = (key) => (value) => {
    setPage(1);
    setFilters((f) => ({ ...f, [key]: value }));
  };
  const any = ['', t('queue.any')];

  return html`
    <section class="queue">
      <h1>${t('queue.title')}</h1>
      <form class="filters" onSubmit=${(e) => e.preventDefault()}>
        <label class="filter">${t('queue.number')}
          <input type="search" placeholder=${t('queue.search')} value=${filters.number} onInput=${(e) => set('number')(e.target.value)} data-testid="queue-search" />
        </label>
        <${Select} label=${t('queue.tier')} value=${filters.tier} onChange=${set('tier')} testid="filter-tier"
          options=${[any, ['L1', t('tier.L1')], ['L2', t('tier.L2')], ['L3', t('tier.L3')], ['none', t('queue.untriaged')]]} />
        <${Select} label=${t('queue.status')} value=${filters.status} onChange=${set('status')} testid="filter-status"
          options=${[['open', t('queue.open')], ['all', t('queue.any')], ...STATUSES.map((s) => [s, t(`status.${s}`)])]} />
        <${Select} label=${t('queue.owner')} value=${filters.owner} onChange=${set('owner')} testid="filter-owner"
          options=${[any, ['me', t('queue.mine')], ['none', t('queue.unowned')]]} />
        <${Select} label=${t('queue.department')} value=${filters.department} onChange=${set('department')} testid="filter-department"
          options=${[any, ...departments.map((d) => [d.code, lang === 'en' ? d.nameEn : d.name])]} />
        <${Select} label=${t('queue.channel')} value=${filters.channel} onChange=${set('channel')} testid="filter-channel"
          options=${[any, ...CHANNELS.map((c) => [c, t(`channel.${c}`)])]} />
        <label class="filter checkbox"><input type="checkbox" checked=${filters.breached === 'true'} onChange=${(e) => set('breached')(e.target.checked ? 'true' : '')} />${t('queue.breachedOnly')}</label>
        <label class="filter checkbox"><input type="checkbox" data-testid="filter-callback" checked=${filters.callback === 'pending'} onChange=${(e) => {
          setPage(1);
          // Surveys follow the feedback: their complaints are resolved or already closed, so any status.
          setFilters((f) => ({ ...f, callback: e.target.checked ? 'pending' : '', status: e.target.checked ? 'all' : 'open' }));
        }} />${t('queue.callbackOnly')}</label>
        <button type="button" onClick=${load}>${t('queue.refresh')}</button>
      </form>
      ${error ? html`<p class="error" role="alert">${error}</p>` : null}
      ${!data ? html`<p class="loading">${t('common.loading')}</p>` : data.rows.length === 0 ? html`<p class="empty">${t('queue.empty')}</p>` : html`
        <table class="list" data-testid="queue-table">
          <thead><tr>
            <th>${t('queue.number')}</th><th>${t('queue.tier')}</th><th>${t('queue.status')}</th><th>${t('queue.channel')}</th>
            <th>${t('queue.complainant')}</th><th>${t('queue.department')}</th><th>${t('queue.owner')}</th>
            <th>${t('queue.next')}</th><th>${t('queue.left')}</th><th>${t('queue.accepted')}</th>
          </tr></thead>
          <tbody>${data.rows.map((r) => html`
            <tr key=${r.number} class=${r.breached ? 'breached' : ''} data-testid="queue-row" data-number=${r.number}>
              <td><a href=${`#/complaints/${r.number}`}>${r.number}</a></td>
              <td><span class=${`tier tier-${r.tier ?? 'none'}`}>${r.tier ? t(`tier.${r.tier}`) : t('queue.untriaged')}</span>${r.urgent ? html` <span class="urgent">${t('queue.urgent')}</span>` : null}</td>
              <td>${t(`status.${r.status}`)}</td>
              <td>${t(`channel.${r.intakeChannel}`)}</td>
              <td>${r.complainant}</td>
              <td>${r.department ? (lang === 'en' ? r.department.nameEn : r.department.name) : '—'}</td>
              <td>${r.owner ? r.owner.displayName : t('queue.unowned')}</td>
              <td>${r.nextDeadline ? t(`deadline.${r.nextDeadline.kind}`) : '—'}</td>
              <td><${Countdown} dueAt=${r.nextDeadline?.dueAt} now=${now} breached=${r.breached} /></td>
              <td>${formatDateTime(r.acceptedAt)}</td>
            </tr>`)}
          </tbody>
        </table>
        <nav class="pager">
          <span>${t('queue.total', { total: data.total })}</span>
          <button type="button" disabled=${page <= 1} onClick=${() => setPage(page - 1)}>${t('queue.prev')}</button>
          <button type="button" disabled=${page * PAGE_SIZE >= data.total} onClick=${() => setPage(page + 1)}>${t('queue.next.page')}</button>
        </nav>`}
    </section>`;
}
