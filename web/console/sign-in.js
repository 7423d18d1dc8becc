// The sign-in page: employee number and password → POST /api/v1/session (session cookie).
import { html, useState, api, t, addStrings, getLang, setLang, useLang } from './lib.js';

addStrings({
  'zh-CN': {
    'signIn.title': '员工登录',
    'signIn.employeeNo': '工号',
    'signIn.password': '密码',
    'signIn.submit': '登录',
    'signIn.refused': '工号或密码不正确，或账号因多次失败已暂时锁定，请稍后再试。',
    'signIn.failed': '登录失败，请稍后再试。',
  },
  en: {
    'signIn.title': 'Staff sign-in',
    'signIn.employeeNo': 'Employee number',
    'signIn.password': 'Password',
    'signIn.submit': 'Sign in',
    'signIn.refused': 'Wrong employee number or password, or the account is locked for a while after repeated failures.',
    'signIn.failed': 'Sign-in failed; please try again later.',
  },
});

export function SignIn({ onSignedIn }) {
  useLang();
  const [employeeNo, setEmployeeNo] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);

  const submit = async (e) => {
    e.preventDefault();
    setBusy(true);
    setError('');
    try {
      const r = await api('/api/v1/session', { method: 'POST', body: { employeeNo, password } });
      setPassword('');
      onSignedIn(r.staff);
    } catch (err) {
      setError(err.status === 401 ? t('signIn.refused') : t('signIn.failed'));
    } finally {
      setBusy(false);
    }
  };

  return html`
    <main class="sign-in">
      <form onSubmit=${submit} class="card" data-testid="sign-in-form">
        <h1>${t('app.title')}</h1>
        <h2>${t('signIn.title')}</h2>
        <label>${t('signIn.employeeNo')}
          <input name="employeeNo" autocomplete="username" required value=${employeeNo} onInput=${(e) => setEmployeeNo(e.target.value)} />
        </label>
        <label>${t('signIn.password')}
          <input name="password" type="password" autocomplete="current-password" required value=${password} onInput=${(e) => setPassword(e.target.value)} />
        </label>
        ${error ? html`<p class="error" role="alert">${error}</p>` : null}
        <button type="submit" disabled=${busy}>${t('signIn.submit')}</button>
        <button type="button" class="link" onClick=${() => setLang(getLang() === 'en' ? 'zh-CN' : 'en')}>${t('lang.toggle')}</button>
      </form>
    </main>`;
}
