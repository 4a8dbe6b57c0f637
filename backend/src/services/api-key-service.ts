import { createHash, randomBytes } from 'node:crypto';
import type { TApiKeyInfo, TCreatedApiKey } from '@pulse/shared/auth';
import type { ApiKeyScope } from '../generated/prisma/client.ts';
import { AppError } from '../errors/app-error.ts';
import type { PubSub } from '../infra/pubsub/pubsub.ts';
import type { ApiKeyRecord, ApiKeyRepository } from '../repositories/api-key-repository.ts';

/** Who is calling: always derived from the API key, never from a header the caller can set. */
export interface Principal {
  keyId: number;
  scope: ApiKeyScope;
  tenant: { id: number; slug: string; name: string; plan: string };
}

/** Successful look-ups are remembered briefly so that every request does not cost a database round trip. */
const PRINCIPAL_MEMO_MS = 10_000;

/** SHA-256 of a secret (an API key, a session token): what is stored instead of the secret. */
export function hashSecret(key: string): string {
  return createHash('sha256').update(key).digest('hex');
}

export interface ApiKeyServiceOptions {
  /** With several instances: a revocation is announced here, so every instance forgets the keys it remembers. */
  revocations?: { pubsub: PubSub; channel: string };
  now?: () => number;
}

export class ApiKeyService {
  private readonly memo = new Map<string, { principal: Principal; expiresAt: number }>();
  private readonly now: () => number;

  constructor(
    private readonly apiKeys: ApiKeyRepository,
    private readonly options: ApiKeyServiceOptions = {},
  ) {
    this.now = options.now ?? Date.now;
  }

  /** Listens for revocations announced by other instances; resolves once listening. */
  async listenForRevocations(): Promise<void> {
    const { revocations } = this.options;
    if (revocations) await revocations.pubsub.subscribe(revocations.channel, () => this.memo.clear());
  }

  async authenticate(rawKey: string | null): Promise<Principal> {
    if (!rawKey) {
      throw new AppError(
        'UNAUTHORIZED',
        'no API key: send it as "Authorization: Bearer <key>", as the HTTP Basic user name, or in "X-Api-Key"',
      );
    }
    const keyHash = hashSecret(rawKey);
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

  /** The principal of an active key by its id (a dashboard session holds key ids, never keys). */
  async principalsOf(keyIds: readonly number[]): Promise<Principal[]> {
    const records = await this.apiKeys.findActiveByIds(keyIds);
    return records.map(toPrincipal);
  }

  /** Creates a key and returns it in full; this is the only time the key itself is available. */
  async createKey(tenantId: number, scope: ApiKeyScope, name: string): Promise<TCreatedApiKey> {
    const key = `pk_${scope}_${randomBytes(24).toString('base64url')}`;
    const prefix = key.slice(0, scope.length + 7);
    const record = await this.apiKeys.create({ tenantId, name, prefix, keyHash: hashSecret(key), scope });
    return { ...toKeyInfo(record), key };
  }

  async listKeys(tenantId: number): Promise<TApiKeyInfo[]> {
    return (await this.apiKeys.listForTenant(tenantId)).map(toKeyInfo);
  }

  /**
   * Revokes one of the tenant's keys. It stops working at once on this instance and, through the revocation
   * channel, on the others. The last active admin key cannot be revoked: nobody could manage keys after it.
   */
  async revokeKey(tenantId: number, id: number): Promise<TApiKeyInfo> {
    const existing = await this.apiKeys.findById(tenantId, id);
    if (!existing) throw new AppError('NOT_FOUND', `this tenant has no API key with id ${id}`);
    if (existing.revokedAt) return toKeyInfo(existing);
    if (existing.scope === 'admin' && (await this.apiKeys.countActive(tenantId, 'admin')) <= 1) {
      throw new AppError('CONFLICT', 'this is the tenant\'s last active admin key; create another admin key before revoking it');
    }
    const revoked = await this.apiKeys.revoke(tenantId, id, new Date(this.now()));
    await this.forgetRevoked();
    return toKeyInfo(revoked ?? existing);
  }

  /** Revokes every active key of the tenant with this name; a revoked key stops working at once. */
  async revokeKeysNamed(tenantId: number, name: string): Promise<number> {
    const count = await this.apiKeys.revokeByName(tenantId, name, new Date(this.now()));
    await this.forgetRevoked();
    return count;
  }

  private async forgetRevoked(): Promise<void> {
    this.memo.clear();
    const { revocations } = this.options;
    // Without the announcement other instances would accept the key until their memo expires (10 s).
    await revocations?.pubsub.publish(revocations.channel, 'revoked').catch(() => {});
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

function toKeyInfo(record: ApiKeyRecord): TApiKeyInfo {
  return {
    id: record.id,
    name: record.name,
    prefix: record.prefix,
    scope: record.scope,
    createdAt: record.createdAt.toISOString(),
    lastUsedAt: record.lastUsedAt?.toISOString() ?? null,
    revokedAt: record.revokedAt?.toISOString() ?? null,
  };
}
