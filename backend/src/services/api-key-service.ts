import { createHash, randomBytes } from 'node:crypto';
import type { TApiKeyInfo, TCreatedApiKey } from '@pulse/shared/auth';
import type { TApiKeyScope } from '@pulse/shared/auth';
import { AppError } from '../errors/app-error.ts';
import { DependencyUnavailableError } from '../infra/breakers/breaker-registry.ts';
import type { KeyDirectory } from '../infra/keys/key-directory.ts';
import type { Logger } from '../infra/logger.ts';
import type { PubSub } from '../infra/pubsub/pubsub.ts';
import type { ApiKeyDirectoryRecord, ApiKeyRecord, ApiKeyRepository } from '../repositories/api-key-repository.ts';
import type { KeyPrincipal } from './principal.ts';

/** Successful look-ups are remembered briefly so that every request does not cost a database round trip. */
const PRINCIPAL_MEMO_MS = 10_000;
/** How long the key directory keeps a key (or a revocation's tombstone) without hearing of it again. */
export const KEY_DIRECTORY_TTL_MS = 7 * 24 * 3_600_000;
/** A key in use is written to the directory again at most this often per instance: nothing on the hot path. */
const DIRECTORY_REFRESH_MS = 5 * 60_000;
/** What a caller whose key cannot be verified (the database out, the key not known without it) is told. */
const RETRY_UNVERIFIED_SECONDS = 5;

/** SHA-256 of a secret (an API key, a session token): what is stored instead of the secret. */
export function hashSecret(key: string): string {
  return createHash('sha256').update(key).digest('hex');
}

export interface ApiKeyServiceOptions {
  /** With several instances: a revocation is announced here, so every instance forgets the keys it remembers. */
  revocations?: { pubsub: PubSub; channel: string };
  /** Where keys are found while PostgreSQL is out (Redis, in services mode); without one, only this instance's memo. */
  directory?: KeyDirectory | null;
  logger?: Pick<Logger, 'warn'>;
  now?: () => number;
}

interface Remembered {
  principal: KeyPrincipal;
  expiresAt: number;
  /** When this instance last wrote the key to the directory. */
  directoryWrittenAt: number;
}

/**
 * API keys: created, listed, revoked, and turned into the caller's principal. PostgreSQL decides; while it is
 * out, a key is known from this instance's memo (however old) or from the key directory that every instance
 * keeps in Redis, and a key known to neither gets a 503 (never a 500, never a guess). Revocations reach the
 * directory before they are committed, so a revoked key is never accepted through it.
 */
export class ApiKeyService {
  private readonly memo = new Map<string, Remembered>();
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

  async authenticate(rawKey: string | null): Promise<KeyPrincipal> {
    if (!rawKey) {
      throw new AppError('UNAUTHORIZED', 'no API key: send it as "Authorization: Bearer <key>", as the HTTP Basic user name, or in "X-Api-Key"');
    }
    const keyHash = hashSecret(rawKey);
    const remembered = this.memo.get(keyHash);
    if (remembered && remembered.expiresAt > this.now()) return remembered.principal;

    let record: ApiKeyRecord | null;
    try {
      // The repository's calls go through the read breaker: an outage is a DependencyUnavailableError.
      record = await this.apiKeys.findActiveByHash(keyHash);
    } catch (error) {
      if (!(error instanceof DependencyUnavailableError)) throw error;
      return this.authenticateWithoutDatabase(keyHash, remembered, error);
    }
    if (!record) {
      this.memo.delete(keyHash);
      throw new AppError('UNAUTHORIZED', 'unknown or revoked API key');
    }
    const principal = toPrincipal(record);
    let directoryWrittenAt = remembered?.directoryWrittenAt ?? -Infinity;
    if (this.now() - directoryWrittenAt >= DIRECTORY_REFRESH_MS) {
      directoryWrittenAt = this.now();
      this.rememberInDirectory([{ keyHash, principal }]).catch(() => {});
    }
    this.memo.set(keyHash, { principal, expiresAt: this.now() + PRINCIPAL_MEMO_MS, directoryWrittenAt });
    // Last-used time is informational; a failure to record it must not fail the request.
    this.apiKeys.touchLastUsed(record.tenantId, record.id, new Date(this.now())).catch(() => {});
    return principal;
  }

  /** The principal of an active key by its id (a dashboard session holds key ids, never keys). */
  async principalsOf(keyIds: readonly number[]): Promise<KeyPrincipal[]> {
    const records = await this.apiKeys.findActiveByIds(keyIds);
    return records.map(toPrincipal);
  }

  /** Creates a key and returns it in full; this is the only time the key itself is available. */
  async createKey(tenantId: number, scope: TApiKeyScope, name: string): Promise<TCreatedApiKey> {
    const key = `pk_${scope}_${randomBytes(24).toString('base64url')}`;
    const prefix = key.slice(0, scope.length + 7);
    const keyHash = hashSecret(key);
    const record = await this.apiKeys.create({ tenantId, name, prefix, keyHash, scope });
    // So the key works at once even if PostgreSQL goes out before its first use; without Redis now, the hourly
    // copy (syncDirectory) or its first use adds it later.
    await this.rememberInDirectory([{ keyHash, principal: toPrincipal(record) }]).catch((error: unknown) => {
      this.options.logger?.warn({ err: error, keyId: record.id }, 'a new API key could not be written to the key directory');
    });
    return { ...toKeyInfo(record), key };
  }

  /**
   * Copies every active key to the directory and renews the tombstones of keys revoked within its TTL: keys
   * created before the directory existed or while Redis was out become known, and a revocation whose tombstone
   * could not be written (Redis out at the time) is caught up. Run once the database is ready, then hourly.
   */
  async syncDirectory(): Promise<{ active: number; revoked: number }> {
    const { directory } = this.options;
    if (!directory) return { active: 0, revoked: 0 };
    const revoked = await this.apiKeys.findRevokedHashesSince(new Date(this.now() - KEY_DIRECTORY_TTL_MS));
    await directory.revoke(revoked, KEY_DIRECTORY_TTL_MS);
    const active = await this.apiKeys.listActiveForDirectory();
    await this.rememberInDirectory(active.map((record) => ({ keyHash: record.keyHash, principal: toPrincipal(record) })));
    return { active: active.length, revoked: revoked.length };
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
      throw new AppError('CONFLICT', "this is the tenant's last active admin key; create another admin key before revoking it");
    }
    await this.retireFromDirectory(await this.apiKeys.findActiveHashes(tenantId, { id }));
    const revoked = await this.apiKeys.revoke(tenantId, id, new Date(this.now()));
    await this.forgetRevoked();
    return toKeyInfo(revoked ?? existing);
  }

  /** Revokes every active key of the tenant with this name; a revoked key stops working at once. */
  async revokeKeysNamed(tenantId: number, name: string): Promise<number> {
    const keys = await this.apiKeys.findActiveHashes(tenantId, { name });
    await this.retireFromDirectory(keys);
    const count = await this.apiKeys.revokeIds(
      tenantId,
      keys.map((key) => key.id),
      new Date(this.now()),
    );
    await this.forgetRevoked();
    return count;
  }

  /**
   * The database is out: the directory decides when it can (its tombstone refuses a revoked key even if this
   * instance missed the revocation's announcement), else this instance's memo, however old. Whatever was found
   * is remembered for another memo period, so the directory is asked at most that often per key.
   */
  private async authenticateWithoutDatabase(keyHash: string, remembered: Remembered | undefined, outage: DependencyUnavailableError): Promise<KeyPrincipal> {
    const entry = await this.options.directory?.lookup(keyHash).catch(() => null);
    if (entry?.status === 'revoked') {
      this.memo.delete(keyHash);
      throw new AppError('UNAUTHORIZED', 'unknown or revoked API key');
    }
    const principal = entry?.status === 'active' ? entry.principal : remembered?.principal;
    if (!principal) {
      throw new AppError(
        'SERVICE_UNAVAILABLE',
        `this API key cannot be verified while the database is unavailable (this server has not seen it recently); nothing was done: retry in ${RETRY_UNVERIFIED_SECONDS} s`,
        { retryAfterSeconds: RETRY_UNVERIFIED_SECONDS, cause: outage },
      );
    }
    const directoryWrittenAt = entry ? this.now() : (remembered?.directoryWrittenAt ?? -Infinity);
    this.memo.set(keyHash, { principal, expiresAt: this.now() + PRINCIPAL_MEMO_MS, directoryWrittenAt });
    return principal;
  }

  private async rememberInDirectory(keys: Array<{ keyHash: string; principal: KeyPrincipal }>): Promise<void> {
    await this.options.directory?.remember(keys, KEY_DIRECTORY_TTL_MS);
  }

  /**
   * Tombstones go to the directory before the revocation is committed: once it is, no instance can accept the
   * key through the directory. Redis being out must not stop a revocation (a leaked key must be revocable): it
   * is committed anyway and the tombstone follows with the next directory sync (within the hour).
   */
  private async retireFromDirectory(keys: ReadonlyArray<{ keyHash: string }>): Promise<void> {
    if (keys.length === 0) return;
    await this.options.directory
      ?.revoke(
        keys.map((key) => key.keyHash),
        KEY_DIRECTORY_TTL_MS,
      )
      .catch((error: unknown) => {
        this.options.logger?.warn({ err: error }, 'a revoked key could not be retired from the key directory now; the next directory sync does it');
      });
  }

  /** Forgets every remembered key here and on the other instances: their tenant changed (its plan). */
  async forgetRemembered(): Promise<void> {
    await this.forgetRevoked();
  }

  private async forgetRevoked(): Promise<void> {
    this.memo.clear();
    const { revocations } = this.options;
    // Without the announcement other instances would accept the key until their memo expires (10 s).
    await revocations?.pubsub.publish(revocations.channel, 'revoked').catch(() => {});
  }
}

function toPrincipal(record: Pick<ApiKeyRecord | ApiKeyDirectoryRecord, 'id' | 'scope' | 'tenant'>): KeyPrincipal {
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
