import { describe, expect, it } from 'vitest';
import { AppError } from '../errors/app-error.ts';
import { DependencyUnavailableError } from '../infra/breakers/breaker-registry.ts';
import { MemoryKeyDirectory } from '../infra/keys/key-directory.ts';
import type { ApiKeyRecord, ApiKeyRepository } from '../repositories/api-key-repository.ts';
import { ApiKeyService, hashSecret } from './api-key-service.ts';

const tenant = { id: 7, slug: 'acme', name: 'Acme', plan: 'pro' as const };

/** A repository whose database can be switched off (as its breaker reports it); it records the order of revocation steps. */
function fakeRepository(steps: string[], database: { out: boolean }) {
  const keys = new Map<string, ApiKeyRecord & { keyHash: string }>();
  let nextId = 1;
  const repository = {
    async create(data: { tenantId: number; name: string; prefix: string; keyHash: string; scope: 'ingest' | 'read' | 'admin' }) {
      const record = {
        id: nextId++,
        tenantId: data.tenantId,
        name: data.name,
        prefix: data.prefix,
        scope: data.scope,
        createdAt: new Date(),
        lastUsedAt: null,
        revokedAt: null,
        tenant,
        keyHash: data.keyHash,
      };
      keys.set(data.keyHash, record);
      return record;
    },
    async findActiveByHash(keyHash: string) {
      if (database.out) throw new DependencyUnavailableError('postgres-read', 'open');
      const record = keys.get(keyHash);
      return record && !record.revokedAt ? record : null;
    },
    async findById(_tenantId: number, id: number) {
      return [...keys.values()].find((record) => record.id === id) ?? null;
    },
    async countActive() {
      return 2;
    },
    async findActiveHashes(_tenantId: number, which: { id: number }) {
      steps.push('find hashes');
      return [...keys.values()].filter((record) => record.id === which.id && !record.revokedAt).map(({ id, keyHash }) => ({ id, keyHash }));
    },
    async revoke(_tenantId: number, id: number, revokedAt: Date) {
      steps.push('commit revocation');
      const record = [...keys.values()].find((candidate) => candidate.id === id)!;
      record.revokedAt = revokedAt;
      return record;
    },
    async touchLastUsed() {},
  };
  return repository as unknown as ApiKeyRepository;
}

function setUp() {
  const steps: string[] = [];
  const database = { out: false };
  const directory = new MemoryKeyDirectory();
  const originalRevoke = directory.revoke.bind(directory);
  directory.revoke = async (hashes, ttlMs) => {
    steps.push('tombstone');
    return originalRevoke(hashes, ttlMs);
  };
  let now = 1_000_000;
  const repository = fakeRepository(steps, database);
  // Instances of the service on one database and one directory, with no pub/sub between them.
  const instance = () =>
    new ApiKeyService(repository, {
      directory,
      now: () => now,
    });
  return { service: instance(), instance, database, directory, steps, advance: (ms: number) => (now += ms) };
}

describe('ApiKeyService while PostgreSQL is out', () => {
  it('knows a key this instance never used from the directory, and tells apart a key it cannot verify (503, Retry-After)', async () => {
    const { service, database } = setUp();
    const created = await service.createKey(tenant.id, 'ingest', 'site');
    database.out = true;
    expect(await service.authenticate(created.key)).toMatchObject({ keyId: created.id, scope: 'ingest', tenant });
    const unknown = await service.authenticate('pk_ingest_never-created').catch((error: unknown) => error);
    expect(unknown).toBeInstanceOf(AppError);
    expect(unknown).toMatchObject({ code: 'SERVICE_UNAVAILABLE', options: { retryAfterSeconds: 5 } });
    expect((unknown as AppError).message).toMatch(/cannot be verified while the database is unavailable/);
  });

  it("keeps a key it remembers usable past the memo's 10 s, without the directory", async () => {
    const { service, database, advance } = setUp();
    const created = await service.createKey(tenant.id, 'ingest', 'site');
    await service.authenticate(created.key);
    // A directory that cannot answer (Redis out too).
    (service as unknown as { options: { directory: MemoryKeyDirectory } }).options.directory.lookup = () => Promise.reject(new Error('redis down'));
    database.out = true;
    advance(60_000);
    expect((await service.authenticate(created.key)).keyId).toBe(created.id);
  });

  it('tombstones a key in the directory before the revocation is committed; an instance that missed the announcement refuses it then', async () => {
    const { service, instance, database, directory, steps, advance } = setUp();
    const other = instance();
    const created = await service.createKey(tenant.id, 'ingest', 'site');
    await other.authenticate(created.key);
    await service.revokeKey(tenant.id, created.id);
    expect(steps).toEqual(['find hashes', 'tombstone', 'commit revocation']);
    expect(await directory.lookup(hashSecret(created.key))).toEqual({ status: 'revoked' });
    database.out = true;
    advance(60_000);
    // `other` still remembers the key (no pub/sub here), but the directory's tombstone wins over its stale memo.
    await expect(other.authenticate(created.key)).rejects.toMatchObject({ code: 'UNAUTHORIZED' });
    await expect(service.authenticate(created.key)).rejects.toMatchObject({ code: 'UNAUTHORIZED' });
  });
});
