import type { Prisma } from '../generated/prisma/client.ts';

/**
 * Locks the tenant's row until the transaction ends and returns its plan: a count-then-insert under this lock
 * cannot be raced past a limit by concurrent requests. NO KEY UPDATE, so foreign-key checks of rows that
 * reference the tenant (keys, events' rollups) do not wait for it.
 */
export async function lockTenantRow(tx: Prisma.TransactionClient, tenantId: number): Promise<string | null> {
  const rows = await tx.$queryRaw<Array<{ plan: string }>>`SELECT plan::text AS plan FROM tenants WHERE id = ${tenantId} FOR NO KEY UPDATE`;
  return rows[0]?.plan ?? null;
}
