// Report dimensions on the complaint page (R-SPECIAL): product, customer group and region, from the
// policy's catalogue (GET /api/v1/report-dimensions), with a form for handlers to set or correct them
// (PUT …/classification, recorded as complaint.classified). Read-only viewers see the values only.
import { html, useState, useEffect, api, t, addStrings, useLang } from './lib.js';

addStrings({
  'zh-CN': {
    'dim.title': '统计分类', 'dim.product': '产品', 'dim.customerGroup': '客户群体', 'dim.region': '地区', 'dim.none': '未登记',
    'dim.save': '保存分类', 'dim.saved': '已保存。', 'dim.cycles': '处理轮次', 'dim.cyclesValue': '第 {n} 轮（重新处理 {r} 次）',
    'dim.handlingOf': '本件为对以下投诉处理的投诉', 'dim.handlingComplaints': '客户对本件处理的投诉',
  },
  en: {
    'dim.title': 'Classification', 'dim.product': 'Product', 'dim.customerGroup': 'Customer group', 'dim.region': 'Region', 'dim.none': 'Not recorded',
    'dim.save': 'Save classification', 'dim.saved': 'Saved.', 'dim.cycles': 'Round of handling', 'dim.cyclesValue': 'Round {n} (reopened {r} times)',
    'dim.handlingOf': 'A complaint about the handling of', 'dim.handlingComplaints': "Complaints about this one's handling",
  },
});

const FIELDS = ['product', 'customerGroup', 'region'];
let catalogue = null;

async function loadCatalogue() {
  catalogue ??= api('/api/v1/report-dimensions').catch((err) => {
    catalogue = null;
    throw err;
  });
  return catalogue;
}

export function Classification({ complaint, canEdit, onChanged }) {
  const lang = useLang();
  const [options, setOptions] = useState(null);
  const [values, setValues] = useState(() => ({ ...complaint.classification }));
  const [message, setMessage] = useState('');
  useEffect(() => {
    loadCatalogue().then(setOptions, (err) => setMessage(t('common.error', { message: err.message })));
  }, []);
  const label = (field, code) => {
    if (!code) return t('dim.none');
    const option = options?.[field]?.find((o) => o.code === code);
    return option ? (lang === 'en' ? option.en : option.zh) : code;
  };
  const choices = (field) => (options?.[field] ?? []).filter((o) => !o.businessLine || o.businessLine === complaint.businessLine);
  const submit = async (e) => {
    e.preventDefault();
    setMessage('');
    try {
      const body = Object.fromEntries(FIELDS.map((f) => [f, values[f] || null]));
      await api(`/api/v1/complaints/${complaint.number}/classification`, { method: 'PUT', body });
      setMessage(t('dim.saved'));
      onChanged();
    } catch (err) {
      setMessage(t('common.error', { message: err.message }));
    }
  };
  return html`
    <section class="card" data-testid="classification">
      <h2>${t('dim.title')}</h2>
      <dl>
        <dt>${t('dim.cycles')}</dt>
        <dd data-testid="reopen-count">${t('dim.cyclesValue', { n: String((complaint.reopenCount ?? 0) + 1), r: String(complaint.reopenCount ?? 0) })}</dd>
        ${FIELDS.map((f) => html`<dt>${t(`dim.${f}`)}</dt><dd data-testid=${`dim-${f}`}>${label(f, complaint.classification?.[f])}</dd>`)}
        ${complaint.handlingOf
          ? html`<dt>${t('dim.handlingOf')}</dt><dd data-testid="handling-of"><a href=${`#/complaints/${complaint.handlingOf}`}>${complaint.handlingOf}</a></dd>`
          : null}
        ${complaint.handlingComplaints?.length
          ? html`<dt>${t('dim.handlingComplaints')}</dt><dd data-testid="handling-complaints">${complaint.handlingComplaints.map((n) => html`<a href=${`#/complaints/${n}`}>${n}</a> `)}</dd>`
          : null}
      </dl>
      ${canEdit && options
        ? html`<form class="inline" onSubmit=${submit}>
            ${FIELDS.map((f) => html`
              <label>${t(`dim.${f}`)}
                <select name=${f} value=${values[f] ?? ''} onChange=${(e) => setValues({ ...values, [f]: e.target.value })}>
                  <option value="">${t('dim.none')}</option>
                  ${choices(f).map((o) => html`<option value=${o.code}>${lang === 'en' ? o.en : o.zh}</option>`)}
                </select>
              </label>`)}
            <button type="submit">${t('dim.save')}</button>
          </form>`
        : null}
      ${message ? html`<p role="status">${message}</p>` : null}
    </section>`;
}
