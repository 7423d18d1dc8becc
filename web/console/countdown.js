// A live SLA countdown: time left to a deadline on the server's clock, ticking every second, red
// once it is past (or the server says it was breached).
import { html, t, formatDuration, formatDateTime, addStrings } from './lib.js';

addStrings({
  'zh-CN': { 'countdown.overdue': '已超时 {time}', 'countdown.met': '已完成' },
  en: { 'countdown.overdue': 'Overdue by {time}', 'countdown.met': 'Done' },
});

export function Countdown({ dueAt, now, breached = false, metAt = null }) {
  if (metAt) return html`<span class="countdown met">${t('countdown.met')}</span>`;
  if (!dueAt) return html`<span class="countdown">—</span>`;
  const left = Date.parse(dueAt) - now;
  const overdue = left <= 0 || breached;
  const text = left <= 0 ? t('countdown.overdue', { time: formatDuration(-left) }) : formatDuration(left);
  const soon = !overdue && left < 3600_000;
  return html`<span class=${`countdown${overdue ? ' breached' : soon ? ' soon' : ''}`} title=${formatDateTime(dueAt)} data-testid="countdown" data-breached=${overdue ? 'true' : 'false'}>${text}</span>`;
}
