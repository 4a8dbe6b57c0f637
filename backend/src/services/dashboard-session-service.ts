import { randomBytes } from 'node:crypto';
import type { TSessionTenant, TSwitchTenantRequest } from '@pulse/shared/auth';
import { AppError } from '../errors/app-error.ts';
import type { DashboardSessionRecord, DashboardSessionRepository } from '../repositories/dashboard-session-repository.ts';
import type { MembershipRecord, MembershipRepository } from '../repositories/membership-repository.ts';
import { hashSecret, type ApiKeyService } from './api-key-service.ts';
import type { KeyPrincipal, MemberPrincipal, Principal } from './principal.ts';

export const SESSION_MAX_AGE_SECONDS = 7 * 24 * 3600;

const SESSION_ENDED = 'your dashboard session has ended; sign in again';
const NO_TENANT_LEFT = 'you are no longer a member of any tenant; ask an owner or admin for an invitation';

type UserSession = DashboardSessionRecord & { userId: number };

/**
 * Dashboard sessions, kept in an HttpOnly cookie by the transport. A person signs in with a password or a
 * one-time link and acts in the tenant they chose among their memberships, with their role there. A browser
 * may instead sign in with read or admin keys (the way before accounts; scripts and kiosks still use it): the
 * session holds every such key, the most recently chosen deciding the tenant. Each request looks memberships
 * and keys up, so a removed member or a revoked key loses access at once.
 */
export class DashboardSessionService {
  constructor(
    private readonly apiKeys: ApiKeyService,
    private readonly sessions: DashboardSessionRepository,
    private readonly memberships: MembershipRepository,
    private readonly now: () => number = Date.now,
  ) {}

  /** Signs in with a key: into the browser's key session if it has one, else into a new one whose token is returned. */
  async signIn(rawKey: string, currentToken: string | null): Promise<{ principal: Principal; newToken: string | null }> {
    const principal = await this.apiKeys.authenticate(rawKey);
    if (principal.scope === 'ingest') {
      throw new AppError('FORBIDDEN', 'ingest keys are write-only and cannot open the dashboard; sign in with a read or admin key');
    }
    const session = await this.find(currentToken);
    if (session && session.userId === null) {
      await this.sessions.chooseKey(session.id, principal.keyId, new Date(this.now()));
      return { principal, newToken: null };
    }
    if (session) await this.sessions.delete(session.id);
    const token = await this.newToken((tokenHash, expiresAt) => this.sessions.create(tokenHash, expiresAt, principal.keyId));
    return { principal, newToken: token };
  }

  /** Signs a user in (their password or link checked already): a new session, replacing the browser's own. */
  async signInUser(userId: number, currentToken: string | null): Promise<{ principal: Principal; newToken: string }> {
    const session = await this.find(currentToken);
    if (session) await this.sessions.delete(session.id);
    const [first] = await this.memberships.listForUser(userId);
    if (!first) throw new AppError('FORBIDDEN', NO_TENANT_LEFT);
    const token = await this.newToken((tokenHash, expiresAt) => this.sessions.createForUser(tokenHash, expiresAt, userId));
    return { principal: memberPrincipal(first), newToken: token };
  }

  /** The session's current tenant; UNAUTHORIZED once the session expired, its keys were revoked or its user left every tenant. */
  async principalOf(token: string): Promise<Principal> {
    const session = await this.find(token);
    if (!session) throw new AppError('UNAUTHORIZED', SESSION_ENDED);
    if (isUserSession(session)) {
      const current = currentMembership(session, await this.memberships.listForUser(session.userId));
      if (!current) throw new AppError('UNAUTHORIZED', NO_TENANT_LEFT);
      return memberPrincipal(current);
    }
    const [current] = await this.activeKeys(session);
    if (!current) throw new AppError('UNAUTHORIZED', SESSION_ENDED);
    return current;
  }

  /** The user a session belongs to, for changes only a signed-in person may make (their password). */
  async userOf(token: string | null): Promise<{ userId: number; sessionId: number }> {
    const session = await this.find(token);
    if (!session || !isUserSession(session)) throw new AppError('UNAUTHORIZED', 'sign in with your email and password first; API keys have no password');
    return { userId: session.userId, sessionId: session.id };
  }

  async tenants(token: string | null): Promise<TSessionTenant[]> {
    const session = await this.find(token);
    if (!session) return [];
    if (isUserSession(session)) {
      const memberships = await this.memberships.listForUser(session.userId);
      const current = currentMembership(session, memberships);
      return memberships.map((membership) => ({
        keyId: null,
        tenantId: membership.tenant.id,
        tenantName: membership.tenant.name,
        scope: null,
        role: membership.role,
        current: membership === current,
      }));
    }
    return (await this.activeKeys(session)).map((principal, index) => ({
      keyId: principal.keyId,
      tenantId: principal.tenant.id,
      tenantName: principal.tenant.name,
      scope: principal.scope,
      role: null,
      current: index === 0,
    }));
  }

  async switchTenant(token: string | null, choice: TSwitchTenantRequest): Promise<Principal> {
    const session = await this.find(token);
    if (!session) throw new AppError('UNAUTHORIZED', SESSION_ENDED);
    if ('tenantId' in choice) {
      const membership = isUserSession(session) ? await this.memberships.find(choice.tenantId, session.userId) : null;
      if (!membership) throw new AppError('NOT_FOUND', `you are not a member of tenant ${choice.tenantId}`);
      await this.sessions.chooseTenant(session.id, choice.tenantId);
      return memberPrincipal(membership);
    }
    const principal = (await this.activeKeys(session)).find((candidate) => candidate.keyId === choice.keyId);
    if (!principal) throw new AppError('NOT_FOUND', `this browser has not signed in with key ${choice.keyId}, or it was revoked`);
    await this.sessions.chooseKey(session.id, choice.keyId, new Date(this.now()));
    return principal;
  }

  /** Signs the current tenant's key out (the browser keeps its other keys), or a person out of this browser. */
  async signOut(token: string | null): Promise<{ signedIn: boolean }> {
    const session = await this.find(token);
    if (!session) return { signedIn: false };
    if (!isUserSession(session)) {
      const [current, ...others] = await this.activeKeys(session);
      if (current) await this.sessions.removeKey(session.id, current.keyId);
      if (others.length > 0) return { signedIn: true };
    }
    await this.sessions.delete(session.id);
    return { signedIn: false };
  }

  /** Ends every session of the signed-in person, in every browser, this one included. */
  async signOutEverywhere(token: string | null): Promise<{ sessionsEnded: number }> {
    const { userId } = await this.userOf(token);
    return { sessionsEnded: await this.sessions.deleteForUser(userId) };
  }

  /** Ends the user's other sessions (after a password change: whoever knew the old one is out). */
  async endOtherSessions(userId: number, keptSessionId: number | null): Promise<number> {
    return this.sessions.deleteForUser(userId, keptSessionId);
  }

  private async newToken(create: (tokenHash: string, expiresAt: Date) => Promise<void>): Promise<string> {
    // Expired sessions are swept here, where new ones are made, so the table never outgrows its use.
    await this.sessions.deleteExpired(new Date(this.now()));
    const token = `ps_${randomBytes(32).toString('base64url')}`;
    await create(hashSecret(token), new Date(this.now() + SESSION_MAX_AGE_SECONDS * 1000));
    return token;
  }

  private async find(token: string | null): Promise<DashboardSessionRecord | null> {
    return token ? this.sessions.findUnexpired(hashSecret(token), new Date(this.now())) : null;
  }

  /** The session's keys that still work, the current one first. */
  private async activeKeys(session: DashboardSessionRecord): Promise<KeyPrincipal[]> {
    const keyIds = session.keys.map((key) => key.apiKeyId);
    const byKeyId = new Map((await this.apiKeys.principalsOf(keyIds)).map((principal) => [principal.keyId, principal]));
    return keyIds.map((id) => byKeyId.get(id)).filter((principal) => principal !== undefined);
  }
}

function isUserSession(session: DashboardSessionRecord): session is UserSession {
  return session.userId !== null;
}

/** The tenant the session chose, or the user's first while it chose none (or left the one it chose). */
function currentMembership(session: UserSession, memberships: MembershipRecord[]): MembershipRecord | undefined {
  return memberships.find((membership) => membership.tenant.id === session.tenantId) ?? memberships[0];
}

export function memberPrincipal(membership: MembershipRecord): MemberPrincipal {
  return { userId: membership.user.id, email: membership.user.email, role: membership.role, tenant: membership.tenant };
}
