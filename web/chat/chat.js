// The customer chat page: the official Bot Framework Web Chat (served from /chat/vendor/webchat.js)
// against this server's own Direct Line endpoint. The conversation's token stays in sessionStorage
// so a reload of the tab continues the same conversation; closing the tab forgets it.
(function () {
  'use strict';

  var DIRECT_LINE = new URL('/v3/directline', window.location.href).href;
  var STORAGE_KEY = 'complaint-chat';
  var TEXT = {
    'zh-CN': { title: '在线投诉', busy: '当前咨询人数较多，请稍后再试。', failed: '暂时无法连接在线客服，请稍后刷新页面重试，或拨打客服热线。', switchTo: '中文' },
    'en-US': { title: 'Online complaints', busy: 'Many customers are chatting right now. Please try again in a minute.', failed: 'The chat is not available right now. Please reload the page later or call our hotline.', switchTo: 'English' },
  };

  var store = window.WebChat.createStore();
  var directLine = null;
  var locale = initialLocale();

  function initialLocale() {
    var asked = new URLSearchParams(window.location.search).get('locale') || document.documentElement.lang || 'zh-CN';
    return /^en/i.test(asked) ? 'en-US' : 'zh-CN';
  }

  function readSaved() {
    try { return JSON.parse(window.sessionStorage.getItem(STORAGE_KEY) || 'null'); } catch (e) { return null; }
  }

  function save(value) {
    try { window.sessionStorage.setItem(STORAGE_KEY, JSON.stringify(value)); } catch (e) { /* private mode: no resume */ }
  }

  function showStatus(text) {
    var status = document.getElementById('chat-status');
    status.textContent = text || '';
    status.hidden = !text;
  }

  function applyPageLocale() {
    document.documentElement.lang = locale;
    document.title = TEXT[locale].title;
    document.getElementById('chat-title').textContent = TEXT[locale].title;
    document.querySelectorAll('.chat-language button').forEach(function (button) {
      button.setAttribute('aria-pressed', String(button.dataset.locale === locale));
    });
  }

  // The saved conversation's token refreshed, or a new conversation in the page's language.
  async function conversationToken() {
    var saved = readSaved();
    if (saved && saved.token) {
      var refreshed = await fetch(DIRECT_LINE + '/tokens/refresh', { method: 'POST', headers: { authorization: 'Bearer ' + saved.token } });
      if (refreshed.ok) {
        var body = await refreshed.json();
        save({ token: body.token, conversationId: body.conversationId });
        return body.token;
      }
    }
    var started = await fetch(DIRECT_LINE + '/conversations', {
      method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ locale: locale }),
    });
    if (started.status === 429) throw new Error('busy');
    if (!started.ok) throw new Error('failed');
    var conversation = await started.json();
    save({ token: conversation.token, conversationId: conversation.conversationId });
    return conversation.token;
  }

  function render() {
    applyPageLocale();
    window.WebChat.renderWebChat(
      {
        directLine: directLine,
        store: store,
        locale: locale,
        styleOptions: {
          hideUploadButton: true,
          botAvatarInitials: locale === 'zh-CN' ? '客服' : 'Bot',
          userAvatarInitials: locale === 'zh-CN' ? '我' : 'Me',
          suggestedActionLayout: 'flow',
        },
      },
      document.getElementById('webchat'),
    );
  }

  function switchLanguage(next) {
    if (next === locale) return;
    locale = next;
    var url = new URL(window.location.href);
    url.searchParams.set('locale', locale);
    window.history.replaceState(null, '', url);
    if (!directLine) return applyPageLocale();
    render();
    // The bot switches language when the customer asks for it by name ("English" / "中文").
    store.dispatch({ type: 'WEB_CHAT/SEND_MESSAGE', payload: { text: TEXT[locale].switchTo } });
  }

  document.querySelectorAll('.chat-language button').forEach(function (button) {
    button.addEventListener('click', function () { switchLanguage(button.dataset.locale); });
  });

  window.addEventListener('pagehide', function () {
    var saved = readSaved();
    if (directLine && saved && directLine.token) save({ token: directLine.token, conversationId: saved.conversationId });
  });

  applyPageLocale();
  conversationToken()
    .then(function (token) {
      directLine = window.WebChat.createDirectLine({ domain: DIRECT_LINE, token: token });
      render();
    })
    .catch(function (error) {
      showStatus(error && error.message === 'busy' ? TEXT[locale].busy : TEXT[locale].failed);
    });
})();
