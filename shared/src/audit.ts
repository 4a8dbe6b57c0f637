import { z } from 'zod';

export const ZAuditEntry = z.object({
  id: z.string().describe('Increasing; pass the last one seen as `before` for older entries.'),
  at: z.iso.datetime(),
  actorKind: z.enum(['user', 'key', 'operator']),
  actor: z.string().describe('An email, an API key (by id and scope), or "operator" for the admin CLI.'),
  action: z.string().describe('What was done, as the procedure that did it: keys.create, members.changeRole…'),
  target: z.string().describe('What it was done to, when it names one thing (an id), else empty.'),
  details: z.record(z.string(), z.unknown()).describe('What was asked for (secrets left out).'),
});
export type TAuditEntry = z.infer<typeof ZAuditEntry>;

export const ZAuditListRequest = z.object({
  before: z
    .string()
    .regex(/^\d{1,19}$/, 'an audit entry id')
    .optional(),
  limit: z.number().int().min(1).max(200).default(50),
});
export type TAuditListRequest = z.input<typeof ZAuditListRequest>;

export const ZAuditPage = z.object({ entries: z.array(ZAuditEntry), hasMore: z.boolean() });
export type TAuditPage = z.infer<typeof ZAuditPage>;
