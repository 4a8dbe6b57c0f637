import { expect, it } from 'vitest';
import type { NewAuditEntry } from '../repositories/audit-repository.ts';
import { AuditService } from './audit-service.ts';
import type { MemberPrincipal } from './principal.ts';

const owner: MemberPrincipal = { userId: 1, email: 'ada@example.com', role: 'owner', tenant: { id: 7, slug: 'acme', name: 'Acme', plan: 'pro' } };

function recorder() {
  const entries: NewAuditEntry[] = [];
  const errors: unknown[] = [];
  const audit = new AuditService({ add: async (entry: NewAuditEntry) => void entries.push(entry), list: async () => [] } as never, {
    error: (fields: unknown) => errors.push(fields),
  });
  return { audit, entries, errors };
}

it('records who changed what, leaving secrets out', async () => {
  const { audit, entries } = recorder();
  await audit.recordChange(owner, 'members.changeRole', { userId: 12, role: 'editor', password: 'hunter2', token: 'pi_x' });
  expect(entries).toEqual([
    {
      tenantId: 7,
      at: expect.any(Date),
      actorKind: 'user',
      actor: 'ada@example.com',
      action: 'members.changeRole',
      target: 'userId 12',
      details: { userId: 12, role: 'editor' },
    },
  ]);
});

it('writes an entry PostgreSQL takes whatever else the raw input carries: deep nesting, NUL characters, megabytes', async () => {
  const { audit, entries, errors } = recorder();
  let deep: unknown = 'bottom';
  for (let level = 0; level < 100_000; level++) deep = { deeper: deep };
  await audit.recordChange(owner, 'tenant.setRetention', {
    retentionDays: 20,
    ['na\u0000me']: 'a\u0000b',
    deep,
    huge: 'x'.repeat(5_000_000),
    list: Array.from({ length: 10_000 }, (_, i) => i),
  });
  expect(errors).toEqual([]);
  const [entry] = entries;
  const json = JSON.stringify(entry!.details);
  expect(json).not.toContain('\\u0000');
  expect(Buffer.byteLength(json)).toBeLessThanOrEqual(4_096);
  expect(entry!.details).toMatchObject({ retentionDays: 20, name: 'ab', huge: `${'x'.repeat(500)}…` });
  expect((entry!.details as { list: number[] }).list).toHaveLength(50);
  // Many fields, each as long as allowed: past 4 KB the entry says how much was asked and which fields.
  await audit.recordChange(owner, 'boards.update', Object.fromEntries(Array.from({ length: 20 }, (_, i) => [`field${i}`, 'y'.repeat(1_000)])));
  expect(entries[1]!.details).toEqual({
    summarised: expect.stringMatching(/^[\d,]+ bytes of input$/),
    fields: Array.from({ length: 20 }, (_, i) => `field${i}`),
  });
  await audit.recordChange(owner, 'tenant.setRetention', { retentionDays: 20, note: 'a\u0000b', deep });
  expect(entries[2]!.details).toMatchObject({ retentionDays: 20, note: 'ab', deep: { deeper: { deeper: { deeper: { deeper: { deeper: '…' } } } } } });
});
