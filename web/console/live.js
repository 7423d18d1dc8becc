// Live chats (在线会话): conversations waiting for a person and those being handled, oldest first;
// accept one, follow it live (Server-Sent Events from /api/v1/handoffs/:id/events, which resume by
// themselves after a dropped connection), reply, and hand back to the bot. Uses the console's shared
// helpers (lib.js). The page's styles are a constructed stylesheet: the console's CSP allows no inline
// style, and this page owns no .css file.
import {
  html, render, useState, useEffect, useRef, useCallback, useNewestOnly, api, t, addStrings, getLang, setLang, useLang, useNow, formatDateTime, formatDuration,
} from './lib.js';

addStrings({
  'zh-CN': {
    'live.title': '在线会话',
    'live.back': '返回投诉队列',
    'live.empty': '目前没有等待或进行中的会话。',
    'live.waiting': '等待接入',
    'live.active': '人工服务中',
    'live.waitedFor': '已等待 {time}',
    'live.heldBy': '接待：{name}',
    'live.accept': '接入',
    'live.release': '交还机器人',
    'live.send': '发送',
    'live.replyPlaceholder': '输入回复，Enter 发送（Shift+Enter 换行）',
    'live.choose': '请选择左侧的会话。',
    'live.complaint': '投诉编号 {number}',
    'live.noComplaint': '尚未登记投诉',
    'live.reason.customer asked for a person': '客户要求人工服务',
    'live.reason.bot did not understand twice': '机器人两次未能理解',
    'live.reason.staff takeover': '坐席主动接管',
    'live.reason.chosen from the menu': '客户在菜单中选择人工服务',
    'live.reason.customer asked at a prompt': '客户要求人工服务',
    'live.actor.customer': '客户',
    'live.actor.bot': '机器人',
    'live.actor.staff': '客服',
    'live.actor.system': '系统',
    'live.note.handoff.requested': '客户进入人工服务队列',
    'live.note.handoff.accepted': '客服已接入',
    'live.note.handoff.released': '客服已交还机器人',
    'live.note.handoff.cancelled': '人工服务请求已关闭',
    'live.readOnly': '只读：您的角色不能接入或回复。',
    'live.heldByOther': '此会话由其他客服接待。',
    'live.signIn': '请先登录工作台。',
    'live.signInLink': '前往登录',
    'live.live': '实时',
    'live.reconnecting': '连接中断，正在重连…',
    'live.takeOver': '接管投诉 {number} 的会话',
    'live.closeRequest': '关闭请求',
  },
  en: {
    'live.title': 'Live chats',
    'live.back': 'Back to the queue',
    'live.empty': 'No conversation is waiting or being handled.',
    'live.waiting': 'Waiting',
    'live.active': 'With an agent',
    'live.waitedFor': 'waiting {time}',
    'live.heldBy': 'Agent: {name}',
    'live.accept': 'Accept',
    'live.release': 'Hand back to the bot',
    'live.send': 'Send',
    'live.replyPlaceholder': 'Type a reply; Enter sends (Shift+Enter for a new line)',
    'live.choose': 'Choose a conversation on the left.',
    'live.complaint': 'Complaint {number}',
    'live.noComplaint': 'No complaint filed yet',
    'live.reason.customer asked for a person': 'Customer asked for a person',
    'live.reason.bot did not understand twice': 'Bot failed to understand twice',
    'live.reason.staff takeover': 'Taken over by staff',
    'live.reason.chosen from the menu': 'Customer chose a person from the menu',
    'live.reason.customer asked at a prompt': 'Customer asked for a person',
    'live.actor.customer': 'Customer',
    'live.actor.bot': 'Bot',
    'live.actor.staff': 'Agent',
    'live.actor.system': 'System',
    'live.note.handoff.requested': 'Customer queued for a person',
    'live.note.handoff.accepted': 'An agent joined',
    'live.note.handoff.released': 'Handed back to the bot',
    'live.note.handoff.cancelled': 'Request for a person closed',
    'live.readOnly': 'Read only: your role cannot accept or reply.',
    'live.heldByOther': 'Another agent is handling this conversation.',
    'live.signIn': 'Please sign in to the console first.',
    'live.signInLink': 'Sign in',
    'live.live': 'live',
    'live.reconnecting': 'Connection lost, reconnecting…',
    'live.takeOver': 'Take over the chat of complaint {number}',
    'live.closeRequest': 'Close the request',
  },
});

const ACTING_ROLES = ['agent', 'supervisor', 'admin'];

const sheet = new CSSStyleSheet();
sheet.replaceSync(`
  .live-top { display: flex; align-items: center; gap: 1rem; padding: .6rem 1rem; background: #1f3a5f; color: #fff; }
  .live-top h1 { font-size: 1.1rem; margin: 0; flex: 1; }
  .live-top a, .live-top button { color: #fff; background: none; border: 1px solid #fff6; border-radius: 4px; padding: .2rem .6rem; cursor: pointer; text-decoration: none; font: inherit; }
  .live-body { display: grid; grid-template-columns: 22rem 1fr; height: calc(100vh - 2.8rem); }
  .live-list { border-right: 1px solid #d0d7de; overflow-y: auto; background: #fff; margin: 0; padding: 0; list-style: none; }
  .live-item { padding: .6rem .8rem; border-bottom: 1px solid #eaeef2; cursor: pointer; }
  .live-item.selected { background: #ddf4ff; }
  .live-item .badge { display: inline-block; font-size: .75rem; padding: 0 .4rem; border-radius: 3px; margin-right: .4rem; }
  .badge.requested { background: #fff1c2; color: #7a4d00; }
  .badge.accepted { background: #dafbe1; color: #116329; }
  .live-item small { display: block; color: #57606a; margin-top: .2rem; }
  .live-chat { display: flex; flex-direction: column; min-height: 0; }
  .live-chat header { padding: .6rem 1rem; border-bottom: 1px solid #d0d7de; display: flex; gap: .6rem; align-items: center; background: #fff; }
  .live-chat header .title { flex: 1; }
  .live-messages { flex: 1; overflow-y: auto; padding: 1rem; display: flex; flex-direction: column; gap: .5rem; }
  .msg { max-width: 70%; padding: .45rem .7rem; border-radius: 8px; white-space: pre-wrap; word-break: break-word; }
  .msg .who { display: block; font-size: .72rem; color: #57606a; margin-bottom: .15rem; }
  .msg.inbound { align-self: flex-start; background: #fff; border: 1px solid #d0d7de; }
  .msg.outbound.bot { align-self: flex-end; background: #eaeef2; }
  .msg.outbound.staff { align-self: flex-end; background: #ddf4ff; }
  .msg.outbound.system { align-self: flex-end; background: #f6f8fa; border: 1px dashed #d0d7de; }
  .msg.internal { align-self: center; background: none; color: #57606a; font-size: .8rem; }
  .live-reply { display: flex; gap: .5rem; padding: .6rem 1rem; border-top: 1px solid #d0d7de; background: #fff; }
  .live-reply textarea { flex: 1; min-height: 3rem; font: inherit; padding: .4rem; }
  .btn { font: inherit; padding: .35rem .9rem; border-radius: 4px; border: 1px solid #1f883d; background: #1f883d; color: #fff; cursor: pointer; }
  .btn.secondary { background: #fff; color: #1f2328; border-color: #d0d7de; }
  .btn:disabled { opacity: .5; cursor: default; }
  .live-note { padding: 1rem; color: #57606a; }
  .live-error { color: #cf222e; padding: .4rem 1rem; }
`);
document.adoptedStyleSheets = [...document.adoptedStyleSheets, sheet];

function reasonText(reason) {
  const key = `live.reason.${reason}`;
  const text = t(key);
  return text === key ? reason : text;
}

function useMe() {
  const [me, setMe] = useState(undefined);
  useEffect(() => {
    api('/api/v1/me').then((body) => setMe(body.staff), () => setMe(null));
  }, []);
  return me;
}

function useHandoffs() {
  const [handoffs, setHandoffs] = useState([]);
  const [error, setError] = useState(null);
  const begin = useNewestOnly();
  const refresh = useCallback(async () => {
    const isNewest = begin();
    try {
      const { handoffs: list } = await api('/api/v1/handoffs');
      if (!isNewest()) return; // a refresh after an action may overtake the timer's
      setHandoffs(list);
      setError(null);
    } catch (err) {
      if (isNewest()) setError(err.message);
    }
  }, []);
  useEffect(() => {
    refresh();
    const id = setInterval(refresh, 3000);
    return () => clearInterval(id);
  }, [refresh]);
  return { handoffs, error, refresh };
}

/** The conversation's messages over SSE; EventSource reconnects by itself and resumes with Last-Event-ID. */
function useLiveMessages(handoffId, onNote) {
  const [messages, setMessages] = useState([]);
  const [connected, setConnected] = useState(false);
  useEffect(() => {
    setMessages([]);
    if (!handoffId) return undefined;
    const source = new EventSource(`/api/v1/handoffs/${encodeURIComponent(handoffId)}/events`);
    source.addEventListener('open', () => setConnected(true));
    source.addEventListener('error', () => setConnected(false));
    source.addEventListener('message', (event) => {
      const message = JSON.parse(event.data);
      setMessages((list) => (list.some((m) => m.id === message.id) ? list : [...list, message]));
      if (message.direction === 'internal') onNote();
    });
    return () => source.close();
  }, [handoffId]);
  return { messages, connected };
}

function HandoffList({ handoffs, selectedId, onSelect }) {
  const now = useNow();
  if (handoffs.length === 0) return html`<p class="live-note">${t('live.empty')}</p>`;
  return html`<ul class="live-list" data-testid="handoff-list">
    ${handoffs.map((h) => html`<li key=${h.id} class=${`live-item ${h.id === selectedId ? 'selected' : ''}`} data-handoff=${h.id} data-status=${h.status} onClick=${() => onSelect(h.id)}>
      <span class=${`badge ${h.status}`}>${h.status === 'requested' ? t('live.waiting') : t('live.active')}</span>
      ${h.complaintNumber ? t('live.complaint', { number: h.complaintNumber }) : t('live.noComplaint')}
      <small>${reasonText(h.reason)} · ${h.locale === 'en-US' ? 'English' : '中文'} · ${h.channelId}</small>
      <small>${h.status === 'requested' ? t('live.waitedFor', { time: formatDuration(now - Date.parse(h.requestedAt)) }) : t('live.heldBy', { name: h.acceptedBy?.displayName ?? '' })}</small>
    </li>`)}
  </ul>`;
}

function MessageView({ message }) {
  if (message.direction === 'internal') {
    const key = `live.note.${message.text}`;
    const text = t(key) === key ? message.text : t(key);
    return html`<div class="msg internal">— ${text} · ${formatDateTime(message.occurredAt)} —</div>`;
  }
  return html`<div class=${`msg ${message.direction} ${message.actorType}`} data-actor=${message.actorType}>
    <span class="who">${t(`live.actor.${message.actorType}`)} · ${formatDateTime(message.occurredAt)}</span>${message.text}
  </div>`;
}

function Conversation({ handoff, me, onChanged }) {
  const { messages, connected } = useLiveMessages(handoff.id, onChanged);
  const [draft, setDraft] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState(null);
  const end = useRef(null);
  useEffect(() => end.current?.scrollIntoView({ block: 'end' }), [messages.length]);

  const mayAct = ACTING_ROLES.includes(me.role);
  const mine = handoff.status === 'accepted' && handoff.acceptedBy?.id === me.id;
  const act = async (path, body) => {
    setBusy(true);
    setError(null);
    try {
      await api(`/api/v1/handoffs/${handoff.id}/${path}`, { method: 'POST', body });
      return true;
    } catch (err) {
      setError(err.message);
      return false;
    } finally {
      setBusy(false);
      onChanged();
    }
  };
  const send = async () => {
    const text = draft.trim();
    if (text && (await act('messages', { text }))) setDraft('');
  };
  const onKey = (event) => {
    if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      send();
    }
  };

  return html`<section class="live-chat" data-testid="conversation">
    <header>
      <span class="title">${handoff.complaintNumber ? t('live.complaint', { number: handoff.complaintNumber }) : t('live.noComplaint')}
        · ${reasonText(handoff.reason)} · <small>${connected ? t('live.live') : t('live.reconnecting')}</small></span>
      ${mayAct && handoff.status === 'requested' && html`<button class="btn" disabled=${busy} onClick=${() => act('accept')}>${t('live.accept')}</button>`}
      ${mayAct && handoff.status === 'requested' && html`<button class="btn secondary" disabled=${busy} onClick=${() => act('release')}>${t('live.closeRequest')}</button>`}
      ${mayAct && (mine || (handoff.status === 'accepted' && ['supervisor', 'admin'].includes(me.role))) &&
        html`<button class="btn secondary" disabled=${busy} onClick=${() => act('release')}>${t('live.release')}</button>`}
    </header>
    ${error && html`<div class="live-error" role="alert">${error}</div>`}
    <div class="live-messages" data-testid="messages">
      ${messages.map((m) => html`<${MessageView} key=${m.id} message=${m} />`)}
      <div ref=${end}></div>
    </div>
    ${!mayAct && html`<p class="live-note">${t('live.readOnly')}</p>`}
    ${mayAct && handoff.status === 'accepted' && !mine && html`<p class="live-note">${t('live.heldByOther')}</p>`}
    ${mine && html`<div class="live-reply">
      <textarea aria-label=${t('live.replyPlaceholder')} placeholder=${t('live.replyPlaceholder')} value=${draft}
        onInput=${(e) => setDraft(e.target.value)} onKeyDown=${onKey}></textarea>
      <button class="btn" disabled=${busy || !draft.trim()} onClick=${send}>${t('live.send')}</button>
    </div>`}
  </section>`;
}

/** From an alert or the complaint page: /console/live.html?complaint=TS… offers to take that chat over. */
function TakeOverBar({ number, me, onTaken }) {
  const [error, setError] = useState(null);
  if (!number || !ACTING_ROLES.includes(me.role)) return null;
  const takeOver = async () => {
    try {
      const handoff = await api(`/api/v1/complaints/${encodeURIComponent(number)}/takeover`, { method: 'POST' });
      onTaken(handoff.id);
    } catch (err) {
      setError(err.message);
    }
  };
  return html`<div class="live-note">
    <button class="btn" onClick=${takeOver}>${t('live.takeOver', { number })}</button>
    ${error && html` <span class="live-error" role="alert">${error}</span>`}
  </div>`;
}

function LivePage() {
  useLang();
  const me = useMe();
  const { handoffs, error, refresh } = useHandoffs();
  const params = new URLSearchParams(location.search);
  const [selectedId, setSelectedId] = useState(() => params.get('handoff'));
  // A conversation handed back leaves the list; its transcript stays on screen, closed.
  const [lastSelected, setLastSelected] = useState(null);
  const listed = handoffs.find((h) => h.id === selectedId);
  const selected = listed ?? (lastSelected?.id === selectedId ? { ...lastSelected, status: 'ended' } : null);
  useEffect(() => {
    if (listed) setLastSelected(listed);
  }, [listed]);
  useEffect(() => {
    document.title = `${t('live.title')} · ${t('app.title')}`;
  });

  if (me === undefined) return html`<p class="live-note">${t('common.loading')}</p>`;
  if (me === null) return html`<p class="live-note">${t('live.signIn')} <a href="/console/">${t('live.signInLink')}</a></p>`;
  return html`<div>
    <div class="live-top">
      <h1>${t('live.title')}</h1>
      <span>${me.displayName}</span>
      <a href="/console/">${t('live.back')}</a>
      <button onClick=${() => setLang(getLang() === 'en' ? 'zh-CN' : 'en')}>${t('lang.toggle')}</button>
    </div>
    ${error && html`<div class="live-error" role="alert">${t('common.error', { message: error })}</div>`}
    <${TakeOverBar} number=${params.get('complaint')} me=${me} onTaken=${(id) => { setSelectedId(id); refresh(); }} />
    <div class="live-body">
      <${HandoffList} handoffs=${handoffs} selectedId=${selectedId} onSelect=${setSelectedId} />
      ${selected ? html`<${Conversation} key=${selected.id} handoff=${selected} me=${me} onChanged=${refresh} />` : html`<p class="live-note">${t('live.choose')}</p>`}
    </div>
  </div>`;
}

render(html`<${LivePage} />`, document.getElementById('app'));
