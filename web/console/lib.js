// Shared front-end helpers of the staff console (CONSOLE owns this file; other pages import it):
// preact + htm, the API fetch wrapper (cookie session + CSRF header), zh-CN/English strings, and
// date formatting in Asia/Shanghai. Plain ES modules, no build step.
import { h, render, Fragment } from './vendor/preact.mjs';
import { useState, useEffect, useMemo, useRef, useCallback } from './vendor/preact-hooks.mjs';
import htm from './vendor/htm.mjs';

export { h, render, Fragment, useState, useEffect, useMemo, useRef, useCallback };

/** Tagged template for preact: html`<div class=${c}>${children}</div>`. */
export const html = htm.bind(h);

export const TIME_ZONE = 'Asia/Shanghai';
export const CSRF_COOKIE = 'console_csrf';
export const CSRF_HEADER = 'X-CSRF-Token';

// ---------------------------------------------------------------- API

export class ApiError extends Error {
  constructor(status, body) {
    super((body && (body.message || body.error)) || `HTTP ${status}`);
    this.name = 'ApiError';
    this.status = status;
    this.code = body && body.error;
    this.body = body;
  }
}

function readCookie(name) {
  const prefix = `${name}=`;
  for (const part of document.cookie.split(';')) {
    const p = part.trim();
    if (p.startsWith(prefix)) return decodeURIComponent(p.slice(prefix.length));
  }
  return '';
}

/**
 * Calls the staff API with the session cookie. Unsafe methods carry the CSRF token (double submit:
 * the server compares the header with the session's token). JSON in, JSON out; a non-2xx answer
 * throws ApiError; a 401 also fires `console:signed-out` on window so the page can show sign-in.
 */
export async function api(path, { method = 'GET', body, signal, headers = {} } = {}) {
  const init = { method, credentials: 'same-origin', signal, headers: { Accept: 'application/json', ...headers } };
  if (!['GET', 'HEAD', 'OPTIONS'].includes(method.toUpperCase())) {
    init.headers[CSRF_HEADER] = readCookie(CSRF_COOKIE);
  }
  if (body !== undefined) {
    if (typeof FormData !== 'undefined' && body instanceof FormData) init.body = body;
    else {
      init.headers['Content-Type'] = 'application/json';
      init.body = JSON.stringify(body);
    }
  }
  const res = await fetch(path, init);
  const text = await res.text();
  let parsed = null;
  if (text) {
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = { error: 'not_json', message: text.slice(0, 200) };
    }
  }
  if (res.status === 401) window.dispatchEvent(new CustomEvent('console:signed-out'));
  if (!res.ok) throw new ApiError(res.status, parsed);
  return parsed;
}

// ---------------------------------------------------------------- i18n

const LANG_KEY = 'console.lang';
const strings = { 'zh-CN': {}, en: {} };
const listeners = new Set();

/** Adds strings for both languages: addStrings({ 'zh-CN': { key: '…' }, en: { key: '…' } }). */
export function addStrings(table) {
  for (const lang of Object.keys(strings)) Object.assign(strings[lang], table[lang] || {});
}

export function getLang() {
  const stored = typeof localStorage !== 'undefined' ? localStorage.getItem(LANG_KEY) : null;
  return stored === 'en' ? 'en' : 'zh-CN';
}

export function setLang(lang) {
  localStorage.setItem(LANG_KEY, lang === 'en' ? 'en' : 'zh-CN');
  document.documentElement.lang = getLang();
  for (const fn of listeners) fn(getLang());
}

/** The string for `key` in the current language, with {name} placeholders filled from `vars`. */
export function t(key, vars = {}) {
  const lang = getLang();
  const template = strings[lang][key] ?? strings['zh-CN'][key] ?? key;
  return template.replace(/\{(\w+)\}/g, (m, name) => (vars[name] === undefined ? m : String(vars[name])));
}

/** Re-renders the calling component when the language changes; returns the current language. */
export function useLang() {
  const [lang, set] = useState(getLang());
  useEffect(() => {
    listeners.add(set);
    return () => listeners.delete(set);
  }, []);
  return lang;
}

// ---------------------------------------------------------------- formatting (Asia/Shanghai)

const formatters = new Map();
function formatter(kind) {
  const key = `${getLang()}|${kind}`;
  if (!formatters.has(key)) {
    const options = { timeZone: TIME_ZONE, hourCycle: 'h23' };
    if (kind !== 'time') Object.assign(options, { year: 'numeric', month: '2-digit', day: '2-digit' });
    if (kind !== 'date') Object.assign(options, { hour: '2-digit', minute: '2-digit' });
    formatters.set(key, new Intl.DateTimeFormat(getLang(), options));
  }
  return formatters.get(key);
}

/** 2026-11-28 21:30 style date and time in Beijing time; '' for nothing. */
export function formatDateTime(value) {
  if (!value) return '';
  return formatter('datetime').format(new Date(value));
}

export function formatDate(value) {
  if (!value) return '';
  return formatter('date').format(new Date(value));
}

/** A signed duration as "2天 03:04:05" / "2d 03:04:05"; negative durations get a leading "-". */
export function formatDuration(ms) {
  const sign = ms < 0 ? '-' : '';
  let s = Math.floor(Math.abs(ms) / 1000);
  const days = Math.floor(s / 86400);
  s -= days * 86400;
  const hh = String(Math.floor(s / 3600)).padStart(2, '0');
  const mm = String(Math.floor((s % 3600) / 60)).padStart(2, '0');
  const ss = String(s % 60).padStart(2, '0');
  const d = days > 0 ? (getLang() === 'en' ? `${days}d ` : `${days}天 `) : '';
  return `${sign}${d}${hh}:${mm}:${ss}`;
}

let serverOffsetMs = 0;

/**
 * Tells the console the server's time (an ISO string from a response's `now`): countdowns run on the
 * server's clock, so a PC whose clock is off still shows the right time left.
 */
export function syncServerTime(serverNowIso) {
  const server = Date.parse(serverNowIso);
  if (Number.isFinite(server)) serverOffsetMs = server - Date.now();
}

/** The current time on the server's clock, in ms. */
export function serverNow() {
  return Date.now() + serverOffsetMs;
}

/**
 * For loads whose answers can arrive out of order (a filter changed while an older list was on its
 * way, another complaint opened, a refresh after an action): `const isNewest = begin();` before the
 * request, and after it only the newest request's answer is shown (`if (!isNewest()) return;`).
 */
export function useNewestOnly() {
  const latest = useRef(0);
  return useCallback(() => {
    const mine = ++latest.current;
    return () => mine === latest.current;
  }, []);
}

/** Ticks every `ms` (default 1 s) and returns the current (server) time in ms: for live countdowns. */
export function useNow(ms = 1000) {
  const [now, setNow] = useState(serverNow());
  useEffect(() => {
    const id = setInterval(() => setNow(serverNow()), ms);
    return () => clearInterval(id);
  }, [ms]);
  return now;
}

// ---------------------------------------------------------------- common strings

addStrings({
  'zh-CN': {
    'app.title': '投诉处理工作台',
    'nav.queue': '投诉队列',
    'nav.live': '在线会话',
    'nav.intake': '登记投诉',
    'nav.signOut': '退出登录',
    'lang.toggle': 'English',
    'common.loading': '加载中…',
    'common.error': '出错了：{message}',
    'common.save': '保存',
    'common.cancel': '取消',
    'common.submit': '提交',
    'common.none': '无',
    'role.agent': '客服专员',
    'role.supervisor': '部门主管',
    'role.leadership': '投诉处理领导小组',
    'role.supervision': '监督部门',
    'role.admin': '系统管理员',
    'tier.L1': '一级',
    'tier.L2': '二级',
    'tier.L3': '三级',
    'status.received': '已受理',
    'status.acknowledged': '已确认',
    'status.assigned': '已分派',
    'status.investigating': '调查中',
    'status.resolved': '已答复',
    'status.closed': '已结案',
    'status.reopened': '重新处理',
    'deadline.first_response': '首次响应',
    'deadline.to_supervisor': '上报主管',
    'deadline.forward_to_leadership': '转领导小组',
    'deadline.leadership_meeting': '领导小组会议',
    'deadline.investigation': '调查',
    'deadline.feedback': '答复客户',
    'deadline.statutory_decision': '法定处理期限',
    'channel.online_chat': '在线客服',
    'channel.wechat': '微信',
    'channel.hotline': '客服热线',
    'channel.counter': '营业网点',
    'channel.letter': '信函',
    'channel.email': '电子邮件',
  },
  en: {
    'app.title': 'Complaint console',
    'nav.queue': 'Queue',
    'nav.live': 'Live chats',
    'nav.intake': 'New complaint',
    'nav.signOut': 'Sign out',
    'lang.toggle': '中文',
    'common.loading': 'Loading…',
    'common.error': 'Something went wrong: {message}',
    'common.save': 'Save',
    'common.cancel': 'Cancel',
    'common.submit': 'Submit',
    'common.none': 'None',
    'role.agent': 'Agent',
    'role.supervisor': 'Supervisor',
    'role.leadership': 'Leadership group',
    'role.supervision': 'Supervision',
    'role.admin': 'Administrator',
    'tier.L1': 'Level 1',
    'tier.L2': 'Level 2',
    'tier.L3': 'Level 3',
    'status.received': 'Received',
    'status.acknowledged': 'Acknowledged',
    'status.assigned': 'Assigned',
    'status.investigating': 'Investigating',
    'status.resolved': 'Answered',
    'status.closed': 'Closed',
    'status.reopened': 'Reopened',
    'deadline.first_response': 'First response',
    'deadline.to_supervisor': 'To supervisor',
    'deadline.forward_to_leadership': 'To leadership group',
    'deadline.leadership_meeting': 'Leadership meeting',
    'deadline.investigation': 'Investigation',
    'deadline.feedback': 'Feedback to customer',
    'deadline.statutory_decision': 'Statutory decision',
    'channel.online_chat': 'Online chat',
    'channel.wechat': 'WeChat',
    'channel.hotline': 'Hotline',
    'channel.counter': 'Branch counter',
    'channel.letter': 'Letter',
    'channel.email': 'E-mail',
  },
});

if (typeof document !== 'undefined') document.documentElement.lang = getLang();
