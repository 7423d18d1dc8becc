// The acknowledge link of alert e-mails and webhooks. GET shows a page with a button (mail scanners
// open links on their own, so opening must not acknowledge); POST acknowledges. The signed token in
// the link is the credential: it names one alert and expires.
import { isUuid } from '../services/ids';
import type { Request, Response, Server } from 'restify';
import type { Database } from '../services/db/client';
import type { Logger } from '../services/logger';
import { AppError } from '../services/errors';
import { acknowledgeAlert } from '../services/alerts/acknowledge-alert';
import { verifyAlertAckToken } from '../services/alerts/delivery/ack-link';

export interface AlertAckDeps {
  db: Database;
  log: Logger;
  secret: string;
  clock: () => Date;
}


export function registerAlertAckRoutes(server: Server, deps: AlertAckDeps): void {
  server.get('/api/v1/alerts/:id/ack', async (req: Request, res: Response) => {
    const check = checkLink(req, deps);
    if (!check.ok) return page(res, check.status, '链接无效或已过期 · This link is invalid or has expired.');
    const token = escapeHtml(String(req.query?.token ?? ''));
    return page(
      res, 200,
      `<form method="post" action="/api/v1/alerts/${escapeHtml(check.alertId)}/ack"><input type="hidden" name="token" value="${token}">` +
        '<p>确认已收到这条投诉提醒？ · Acknowledge this complaint alert?</p><button type="submit">确认 · Acknowledge</button></form>',
    );
  });

  server.post('/api/v1/alerts/:id/ack', async (req: Request, res: Response) => {
    const check = checkLink(req, deps);
    if (!check.ok) return page(res, check.status, '链接无效或已过期 · This link is invalid or has expired.');
    try {
      const result = await acknowledgeAlert({ db: deps.db, alertId: check.alertId, via: 'email_link', now: deps.clock() });
      const already = result.acknowledged.length === 0;
      return page(res, 200, already ? '此提醒此前已确认 · This alert was already acknowledged.' : '已确认，谢谢 · Acknowledged, thank you.');
    } catch (err) {
      if (err instanceof AppError && err.code === 'NOT_FOUND') return page(res, 404, '提醒不存在 · No such alert.');
      deps.log.error({ errName: (err as Error).name, alertId: check.alertId }, 'acknowledging an alert failed');
      return page(res, 500, '暂时无法确认，请稍后再试 · Could not acknowledge now, please try again.');
    }
  });
}

function checkLink(req: Request, deps: AlertAckDeps): { ok: true; alertId: string } | { ok: false; status: number } {
  const alertId = String(req.params?.id ?? '');
  const body = (req.body ?? {}) as { token?: unknown };
  const token = String(req.method === 'POST' ? body.token ?? req.query?.token ?? '' : req.query?.token ?? '');
  if (!isUuid(alertId) || !token) return { ok: false, status: 400 };
  const verdict = verifyAlertAckToken({ alertId, token, secret: deps.secret, now: deps.clock() });
  return verdict.ok ? { ok: true, alertId } : { ok: false, status: 403 };
}

function page(res: Response, status: number, bodyHtml: string): void {
  const html = `<!doctype html><html lang="zh-CN"><meta charset="utf-8"><title>投诉提醒 · Complaint alert</title><body>${bodyHtml}</body></html>`;
  res.writeHead(status, {
    'content-type': 'text/html; charset=utf-8',
    'content-security-policy': "default-src 'none'; form-action 'self'; frame-ancestors 'none'",
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
  });
  res.end(html);
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}
