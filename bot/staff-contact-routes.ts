// /api/v1/staff/:id/contacts — how a staff member is told of alerts. Staff manage their own; an admin
// manages anyone's. A webhook's signing secret is shown once, when it is set; never listed. The
// supervision department is read-only on complaints, not on its own alert paths.
import type { Request, Server } from 'restify';
import { z } from 'zod';
import type { Redis } from '../services/redis';
import { AppError } from '../services/errors';
import { isUuid } from '../services/ids';
import { saveStaffContact } from '../services/alerts/delivery/save-staff-contact';
import { CHAT_LINK_TTL_SECONDS, createChatLinkCode, disableStaffContact, listStaffContacts } from '../services/alerts/delivery/staff-contacts';
import { staffRoute, type SignedInStaff, type StaffApiContext } from './staff-api';

const emailBody = z.strictObject({ address: z.string().trim().min(3).max(320) });
const webhookBody = z.strictObject({ url: z.string().trim().max(2000), secret: z.string().min(16).max(200).optional() });
const kindParam = z.enum(['email', 'webhook', 'chat']);
const OWN_SETTINGS = { allowReadOnlyRoles: true } as const;

/** The staff member the URL names, if the caller may manage their contacts. */
async function target(ctx: StaffApiContext, req: Request, caller: SignedInStaff): Promise<string> {
  const raw = String(req.params.id ?? '');
  const id = raw === 'me' ? caller.id : raw;
  if (!isUuid(id)) throw new AppError('INVALID_INPUT', { message: 'not a staff id' });
  if (id !== caller.id && caller.role !== 'admin') throw new AppError('FORBIDDEN', { message: "only an admin may change another staff member's contacts" });
  const staff = await ctx.db.staff.findUnique({ where: { id }, select: { id: true } });
  if (!staff) throw new AppError('NOT_FOUND', { message: 'no such staff member' });
  return id;
}

export function registerStaffContactRoutes(server: Server, deps: StaffApiContext & { redis: Redis }): void {
  server.get(
    '/api/v1/staff/:id/contacts',
    staffRoute(deps, async (req, _staffId, caller) => ({ status: 200, body: { contacts: await listStaffContacts(deps.db, await target(deps, req, caller)) } })),
  );

  server.put(
    '/api/v1/staff/:id/contacts/:kind',
    staffRoute(deps, async (req, _staffId, caller) => {
      const staffId = await target(deps, req, caller);
      const kind = kindParam.parse(req.params.kind);
      if (kind === 'chat') throw new AppError('INVALID_INPUT', { message: 'link a chat with POST …/contacts/chat/link-code and type the code to the bot' });
      if (kind === 'email') {
        const { address } = emailBody.parse(req.body ?? {});
        await saveStaffContact({ db: deps.db, staffId, contact: { kind, address } });
        return { status: 200, body: { kind, address, enabled: true } };
      }
      const { url, secret } = webhookBody.parse(req.body ?? {});
      const saved = await saveStaffContact({ db: deps.db, staffId, contact: { kind, url, secret } });
      // The secret is returned this once, to configure the receiving robot; it is never listed.
      return { status: 200, body: { kind, address: url, enabled: true, secret: saved.secret } };
    }, OWN_SETTINGS),
  );

  server.del(
    '/api/v1/staff/:id/contacts/:kind',
    staffRoute(deps, async (req, _staffId, caller) => {
      const staffId = await target(deps, req, caller);
      await disableStaffContact(deps.db, staffId, kindParam.parse(req.params.kind));
      return { status: 204, body: undefined };
    }, OWN_SETTINGS),
  );

  server.post(
    '/api/v1/staff/:id/contacts/chat/link-code',
    staffRoute(deps, async (req, _staffId, caller) => {
      const staffId = await target(deps, req, caller);
      const { code, expiresAt } = await createChatLinkCode(deps.redis, staffId, deps.clock());
      return {
        status: 201,
        body: {
          code, expiresAt: expiresAt.toISOString(), validSeconds: CHAT_LINK_TTL_SECONDS,
          instructions: { 'zh-CN': `请在您与机器人的聊天中发送：绑定 ${code}`, en: `Send this to the bot in your chat with it: link ${code}` },
        },
      };
    }, OWN_SETTINGS),
  );
}
