// The console's entry point: who is signed in (GET /api/v1/me), the sign-in page otherwise, the
// navigation bar and a small hash router: #/ queue, #/complaints/<number>, #/intake.
import { html, render, useState, useEffect, api, t, addStrings, getLang, setLang, useLang } from './lib.js';
import { SignIn } from './sign-in.js';
import { Queue } from './queue.js';
import { ComplaintPage } from './complaint.js';
import { IntakeForm } from './intake.js';

addStrings({
  'zh-CN': { 'nav.signedInAs': '{name}（{role}）', 'page.notFound': '没有这个页面。', 'nav.reports': '统计报表', 'nav.kpis': '考核指标' },
  en: { 'nav.signedInAs': '{name} ({role})', 'page.notFound': 'No such page.', 'nav.reports': 'Reports', 'nav.kpis': 'KPIs' },
});

/** Roles that may enter a complaint from the console (the supervision department only reads). */
export const INTAKE_ROLES = ['agent', 'supervisor', 'leadership', 'admin'];
/** Who may read statistics and reports (bot/report-routes.ts REPORT_ROLES). */
const REPORT_ROLES = ['supervisor', 'leadership', 'supervision', 'admin'];

function currentRoute() {
  const hash = decodeURIComponent(location.hash.replace(/^#/, '')) || '/';
  const complaint = /^\/complaints\/([A-Za-z0-9-]+)$/.exec(hash);
  if (complaint) return { page: 'complaint', number: complaint[1] };
  if (hash === '/intake') return { page: 'intake' };
  if (hash === '/' || hash === '') return { page: 'queue' };
  return { page: 'unknown' };
}

function useRoute() {
  const [route, setRoute] = useState(currentRoute());
  useEffect(() => {
    const onChange = () => setRoute(currentRoute());
    window.addEventListener('hashchange', onChange);
    return () => window.removeEventListener('hashchange', onChange);
  }, []);
  return route;
}

function Nav({ staff, onSignOut }) {
  useLang();
  return html`
    <header class="nav">
      <strong class="brand">${t('app.title')}</strong>
      <a href="#/" data-testid="nav-queue">${t('nav.queue')}</a>
      ${INTAKE_ROLES.includes(staff.role) ? html`<a href="#/intake" data-testid="nav-intake">${t('nav.intake')}</a>` : null}
      <a href="/console/live.html" data-testid="nav-live">${t('nav.live')}</a>
      ${REPORT_ROLES.includes(staff.role) ? html`<a href="/console/dashboard.html" data-testid="nav-reports">${t('nav.reports')}</a>` : null}
      <a href="/console/kpis.html" data-testid="nav-kpis">${t('nav.kpis')}</a>
      <span class="spacer"></span>
      <span class="who" data-testid="signed-in-as">${t('nav.signedInAs', { name: staff.displayName, role: t(`role.${staff.role}`) })}</span>
      <button type="button" class="link" onClick=${() => setLang(getLang() === 'en' ? 'zh-CN' : 'en')} data-testid="lang-toggle">${t('lang.toggle')}</button>
      <button type="button" class="link" onClick=${onSignOut} data-testid="sign-out">${t('nav.signOut')}</button>
    </header>`;
}

function App() {
  useLang();
  const [staff, setStaff] = useState(undefined); // undefined: asking; null: signed out
  const route = useRoute();

  useEffect(() => {
    api('/api/v1/me').then((r) => setStaff(r.staff), () => setStaff(null));
    const signedOut = () => setStaff(null);
    window.addEventListener('console:signed-out', signedOut);
    return () => window.removeEventListener('console:signed-out', signedOut);
  }, []);

  const signOut = async () => {
    try {
      await api('/api/v1/session', { method: 'DELETE' });
    } finally {
      setStaff(null);
    }
  };

  if (staff === undefined) return html`<p class="loading">${t('common.loading')}</p>`;
  if (staff === null) return html`<${SignIn} onSignedIn=${setStaff} />`;
  let page;
  if (route.page === 'queue') page = html`<${Queue} staff=${staff} />`;
  else if (route.page === 'complaint') page = html`<${ComplaintPage} key=${route.number} number=${route.number} staff=${staff} />`;
  else if (route.page === 'intake' && INTAKE_ROLES.includes(staff.role)) page = html`<${IntakeForm} staff=${staff} />`;
  else page = html`<p>${t('page.notFound')}</p>`;
  return html`<${Nav} staff=${staff} onSignOut=${signOut} /><main>${page}</main>`;
}

render(html`<${App} />`, document.getElementById('app'));
