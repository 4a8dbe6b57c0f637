import { createHash, randomBytes } from 'node:crypto';
import type { ApiKeyScope } from '../generated/prisma/client.ts';
import { AppError } from '../errors/app-error.ts';
import type { ApiKeyRecord, ApiKeyRepository } from '../repositories/api-key-repository.ts';

/** Who is calling: always derived from the API key, never from a header the caller can set. */
export interface Principal {
  keyId: number;
  scope: ApiKeyScope;
  tenant: { id: number; slug: string; name: string; plan: string };
}

/** Successful look-ups are remembered briefly so that every request does not cost a database round trip. */
const PRINCIPAL_MEMO_MS = 10_000;

export function hashApiKey(key: string): string {
  return createHash('sha256').update(key).digest('hex');
}

export class ApiKeyService {
  private readonly memo = new Map<string, { principal: Principal; expiresAt: number }>();

  constructor(
    private readonly apiKeys: ApiKeyRepository,
    private readonly now: () => number = Date.now,
  ) {}

  async authenticate(rawKey: string | null): Promise<Principal> {
    if (!rawKey) {
      throw new AppError(
        'UNAUTHORIZED',
        'no API key: send it as "Authorization: Bearer <key>", as the HTTP Basic user name, or in "X-Api-Key"',
      );
    }
    const keyHash = hashApiKey(rawKey);
    const remembered = this.memo.get(keyHash);
    if (remembered && remembered.expiresAt > this.now()) return remembered.principal;

    const record = await this.apiKeys.findActiveByHash(keyHash);
    if (!record) throw new AppError('UNAUTHORIZED', 'unknown or revoked API key');
    const principal = toPrincipal(record);
    this.memo.set(keyHash, { principal, expiresAt: this.now() + PRINCIPAL_MEMO_MS });
    // Last-used time is informational; a failure to record it must not fail the request.
    this.apiKeys.touchLastUsed(record.tenantId, record.id, new Date(this.now())).catch(() => {});
    return principal;
  }

  /** Creates a key and returns it in full; this is the only time the key itself is available. */
  async createKey(tenantId: number, scope: ApiKeyScope, name: string): Promise<{ key: string; prefix: string }> {
    const key = `pk_${scope}_${randomBytes(24).toString('base64url')}`;
    const prefix = key.slice(0, scope.length + 7);
    await this.apiKeys.create({ tenantId, name, prefix, keyHash: hashApiKey(key), scope });
    return { key, prefix };
  }

  /** Revokes every active key of the tenant with this name; a revoked key stops working at once here. */
  async revokeKeysNamed(tenantId: number, name: string): Promise<number> {
    this.memo.clear();
    return this.apiKeys.revokeByName(tenantId, name, new Date(this.now()));
  }
}

/** Throws FORBIDDEN unless the caller's key has one of the scopes the action needs. */
export function assertScope(principal: Principal, allowed: readonly ApiKeyScope[], action: string): void {
  if (allowed.includes(principal.scope)) return;
  throw new AppError(
    'FORBIDDEN',
    `this key has the "${principal.scope}" scope; ${action} needs a key with scope ${allowed.map((s) => `"${s}"`).join(' or ')}`,
  );
}

function toPrincipal(record: ApiKeyRecord): Principal {
  return { keyId: record.id, scope: record.scope, tenant: record.tenant };
}
