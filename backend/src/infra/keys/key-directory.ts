/**
 * Who holds an API key, readable without PostgreSQL: what ingestion falls back on while the database is out.
 * Keyed by the key's SHA-256 (never the key). A revoked key leaves a tombstone that no later write can
 * overwrite, so a write racing a revocation (a look-up that read the key just before it was revoked) cannot
 * bring the key back. The Redis directory is shared by all instances; the in-process one stands in for tests.
 * Both satisfy key-directory.contract.int.test.ts.
 */
export interface DirectoryPrincipal {
  keyId: number;
  scope: 'ingest' | 'read' | 'admin';
  tenant: { id: number; slug: string; name: string; plan: string };
}

/** What the directory knows of a key: who holds it, that it was revoked, or nothing (null). */
export type DirectoryEntry = { status: 'active'; principal: DirectoryPrincipal } | { status: 'revoked' };

export interface KeyDirectory {
  lookup(keyHash: string): Promise<DirectoryEntry | null>;
  /** Records active keys for `ttlMs`; a key that has a tombstone stays revoked. */
  remember(keys: ReadonlyArray<{ keyHash: string; principal: DirectoryPrincipal }>, ttlMs: number): Promise<void>;
  /** Leaves a tombstone for each key, kept for `ttlMs` (at least as long as any record it replaces). */
  revoke(keyHashes: readonly string[], ttlMs: number): Promise<void>;
}

export const REVOKED = 'revoked';

/** Reads what the Redis directory stores: the principal as JSON, or the tombstone. */
export function parseDirectoryValue(value: string | null): DirectoryEntry | null {
  if (value === null) return null;
  if (value === REVOKED) return { status: 'revoked' };
  return { status: 'active', principal: JSON.parse(value) as DirectoryPrincipal };
}

/** The directory of one process (tests, and wherever no Redis is configured). */
export class MemoryKeyDirectory implements KeyDirectory {
  private readonly entries = new Map<string, { value: string; expiresAt: number }>();

  constructor(private readonly now: () => number = Date.now) {}

  async lookup(keyHash: string): Promise<DirectoryEntry | null> {
    const entry = this.entries.get(keyHash);
    if (!entry || entry.expiresAt <= this.now()) return null;
    return parseDirectoryValue(entry.value);
  }

  async remember(keys: ReadonlyArray<{ keyHash: string; principal: DirectoryPrincipal }>, ttlMs: number): Promise<void> {
    for (const { keyHash, principal } of keys) {
      if ((await this.lookup(keyHash))?.status === 'revoked') continue;
      this.entries.set(keyHash, { value: JSON.stringify(principal), expiresAt: this.now() + ttlMs });
    }
  }

  async revoke(keyHashes: readonly string[], ttlMs: number): Promise<void> {
    for (const keyHash of keyHashes) this.entries.set(keyHash, { value: REVOKED, expiresAt: this.now() + ttlMs });
  }
}
