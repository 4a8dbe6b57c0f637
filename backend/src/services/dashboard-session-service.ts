import { randomBytes } from 'node:crypto';
import type { TSessionTenant } from '@pulse/shared/auth';
import { AppError } from '../errors/app-error.ts';
import type { DashboardSessionRecord, DashboardSessionRepository } from '../repositories/dashboard-session-repository.ts';
import { hashSecret, type ApiKeyService, type Principal } from './api-key-service.ts';

export const SESSION_MAX_AGE_SECONDS = 7 * 24 * 3600;

const SESSION_ENDED = 'your dashboard session has ended; sign in again with a read or admin key';

/**
 * Dashboard sign-in. A browser trades a read or admin key for a session token (kept in an HttpOnly cookie by
 * the transport), so the key never sits where scripts can read it. A session holds every key the browser signed
 * in with, for the tenant switcher; the most recently chosen one decides the tenant. Revoking a key ends its
 * place in every session, because a session holds key ids and each request looks the key up.
 */
export class DashboardSessionService {
  constructor(
    private readonly apiKeys: ApiKeyService,
    private readonly sessions: DashboardSessionRepository,
    private readonly now: () => number = Date.now,
  ) {}

  /** Signs in with a key: into the browser's session if it has one, else into a new one whose token is returned. */
  async signIn(rawKey: string, currentToken: string | null): Promise<{ principal: Principal; newToken: string | null }> {
    const principal = await this.apiKeys.authenticate(rawKey);
    if (principal.scope === 'ingest') {
      throw new AppError('FORBIDDEN', 'ingest keys are write-only and cannot open the dashboard; sign in with a read or admin key');
    }
    const session = await this.find(currentToken);
    if (session) {
      await this.sessions.chooseKey(session.id, principal.keyId, new Date(this.now()));
      return { principal, newToken: null };
    }
    // Expired sessions are swept here, where new ones are made, so the table never outgrows its use.
    await this.sessions.deleteExpired(new Date(this.now()));
    const token = `ps_${randomBytes(32).toString('base64url')}`;
    await this.sessions.create(hashSecret(token), new Date(this.now() + SESSION_MAX_AGE_SECONDS * 1000), principal.keyId);
    return { principal, newToken: token };
  }

  /** The session's current tenant; UNAUTHORIZED once the session expired or all its keys were revoked. */
  async principalOf(token: string): Promise<Principal> {
    const [current] = await this.activePrincipals(await this.find(token));
    if (!current) throw new AppError('UNAUTHORIZED', SESSION_ENDED);
    return current;
  }

  async tenants(token: string | null): Promise<TSessionTenant[]> {
    const principals = await this.activePrincipals(await this.find(token));
    return principals.map((principal, index) => ({
      keyId: principal.keyId,
      tenantName: principal.tenant.name,
      scope: principal.scope,
      current: index === 0,
    }));
  }

  async switchTenant(token: string | null, keyId: number): Promise<Principal> {
    const session = await this.find(token);
    if (!session) throw new AppError('UNAUTHORIZED', SESSION_ENDED);
    const principal = (await this.activePrincipals(session)).find((candidate) => candidate.keyId === keyId);
    if (!principal) throw new AppError('NOT_FOUND', `this browser has not signed in with key ${keyId}, or it was revoked`);
    await this.sessions.chooseKey(session.id, keyId, new Date(this.now()));
    return principal;
  }

  /** Signs the current tenant out; the browser stays signed in to its other tenants, if any. */
  async signOut(token: string | null): Promise<{ signedIn: boolean }> {
    const session = await this.find(token);
    if (!session) return { signedIn: false };
    const [current, ...others] = await this.activePrincipals(session);
    if (current) await this.sessions.removeKey(session.id, current.keyId);
    if (others.length > 0) return { signedIn: true };
    await this.sessions.delete(session.id);
    return { signedIn: false };
  }

  private async find(token: string | null): Promise<DashboardSessionRecord | null> {
    return token ? this.sessions.findUnexpired(hashSecret(token), new Date(this.now())) : null;
  }

  /** The session's keys that still work, the current one first. */
  private async activePrincipals(session: DashboardSessionRecord | null): Promise<Principal[]> {
    if (!session) return [];
    const keyIds = session.keys.map((key) => key.apiKeyId);
    const byKeyId = new Map((await this.apiKeys.principalsOf(keyIds)).map((principal) => [principal.keyId, principal]));
    return keyIds.map((id) => byKeyId.get(id)).filter((principal) => principal !== undefined);
  }
}
