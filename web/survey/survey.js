// The survey page behind the link in an e-mail or SMS: reads the one-time token from the address,
// shows the question in the complaint's language, posts the rating and the optional comment once.
// No inline script, no third-party code (CSP: script-src 'self').
const TEXT = {
  'zh-CN': {
    title: '满意度回访', intro: (n) => `您的投诉（编号 ${n}）已给出处理答复，请评价处理结果。`, legend: '您对处理结果是否满意？',
    labels: ['1 非常不满意', '2 不满意', '3 一般', '4 满意', '5 非常满意'], comment: '您的意见（可选）', submit: '提交',
    choose: '请选择 1–5 分。', thanks: '感谢您的评价！', reopened: '很抱歉未能让您满意，我们已重新受理您的投诉，将由更高级别的负责人重新处理。',
    answered: '这份回访已经提交过了，感谢您的评价。', expired: '这份回访已结束或链接无效。', failed: '提交失败，请稍后再试。',
  },
  'en-US': {
    title: 'Satisfaction survey', intro: (n) => `We have answered your complaint ${n}. Please rate the result.`, legend: 'How satisfied are you with the result?',
    labels: ['1 Very dissatisfied', '2 Dissatisfied', '3 Neutral', '4 Satisfied', '5 Very satisfied'], comment: 'Your comment (optional)', submit: 'Send',
    choose: 'Please choose 1–5.', thanks: 'Thank you for your rating!', reopened: 'We are sorry. Your complaint has been reopened and will be handled again by a more senior colleague.',
    answered: 'This survey has already been answered. Thank you.', expired: 'This survey has ended or the link is not valid.', failed: 'Could not send; please try again later.',
  },
};

const token = decodeURIComponent(location.pathname.split('/').filter(Boolean).pop() ?? '');
const api = `/api/survey/${encodeURIComponent(token)}`;
const $ = (id) => document.getElementById(id);
let t = TEXT['zh-CN'];

function show(message) {
  $('form').hidden = true;
  $('result').textContent = message;
}

async function load() {
  const res = await fetch(api, { headers: { accept: 'application/json' } });
  if (!res.ok) return show(t.expired);
  const info = await res.json();
  t = TEXT[info.locale] ?? TEXT['zh-CN'];
  document.documentElement.lang = info.locale === 'en-US' ? 'en' : 'zh-CN';
  $('title').textContent = t.title;
  $('intro').textContent = t.intro(info.number);
  if (info.state === 'answered') return show(t.answered);
  if (info.state !== 'open') return show(t.expired);
  $('legend').textContent = t.legend;
  t.labels.forEach((label, i) => {
    const wrap = document.createElement('label');
    wrap.className = 'rating';
    const input = document.createElement('input');
    Object.assign(input, { type: 'radio', name: 'rating', value: String(i + 1), id: `rating-${i + 1}` });
    wrap.append(input, ` ${label}`);
    $('ratings').append(wrap);
  });
  $('comment-label').textContent = t.comment;
  $('submit').textContent = t.submit;
  $('form').hidden = false;
}

$('form').addEventListener('submit', async (event) => {
  event.preventDefault();
  const picked = document.querySelector('input[name="rating"]:checked');
  if (!picked) {
    $('result').textContent = t.choose;
    return;
  }
  $('submit').disabled = true;
  const comment = $('comment').value.trim();
  const res = await fetch(api, {
    method: 'POST', headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ rating: Number(picked.value), ...(comment ? { comment } : {}) }),
  }).catch(() => null);
  if (!res) {
    $('submit').disabled = false;
    $('result').textContent = t.failed;
    return;
  }
  if (res.status === 409) return show(t.answered);
  if (!res.ok) {
    $('submit').disabled = false;
    $('result').textContent = t.failed;
    return;
  }
  const body = await res.json();
  show(body.outcome === 'reopened' ? t.reopened : t.thanks);
});

load().catch(() => show(t.failed));
