import { randomBytes } from 'node:crypto';
import type { TAcceptInvitationRequest } from '@pulse/shared/members';
import { AppError } from '../errors/app-error.ts';
import type { AuditService } from './audit-service.ts';
import type { DashboardSessionService } from './dashboard-session-service.ts';
import type { MemberService } from './member-service.ts';
import type { Principal } from './principal.ts';
import type { UserService } from './user-service.ts';

/** A sign-in that worked: who the browser is now, and the cookie's new token when it needs one. */
export interface SignedIn {
  principal: Principal;
  newToken: string | null;
}

/**
 * What a person does with their account: sign in (password or one-time link), change their password, accept
 * an invitation. Each is a few steps across users, sessions and memberships; the rules stay in those services.
 */
export class AccountService {
  constructor(
    private readonly users: UserService,
    private readonly sessions: DashboardSessionService,
    private readonly members: MemberService,
    private readonly audit: AuditService,
  ) {}

  async signInWithPassword(email: string, password: string, clientAddress: string, currentToken: string | null): Promise<SignedIn> {
    const user = await this.users.authenticate(email, password, clientAddress);
    return this.sessions.signInUser(user.id, currentToken);
  }

  async signInWithLink(token: string, currentToken: string | null): Promise<SignedIn> {
    const userId = await this.users.useSignInLink(token);
    return this.sessions.signInUser(userId, currentToken);
  }

  /**
   * The operator's account: created on the first start (with a generated password, returned to be printed once)
   * and made owner of every tenant that has no owner, on every start.
   */
  async ensureOwner(email: string): Promise<{ email: string; createdWithPassword: string | null; tenantsAdopted: number }> {
    let owner = await this.users.findByEmail(email);
    let createdWithPassword: string | null = null;
    if (!owner && !(await this.users.hasUsers())) {
      const password = generatedPassword();
      try {
        owner = await this.users.create(email, password);
        createdWithPassword = password;
      } catch (error) {
        // Instances starting together race to create it: one wins and prints the password, the others use it.
        if (!(error instanceof AppError && error.code === 'CONFLICT')) throw error;
        owner = await this.users.findByEmail(email);
      }
    }
    const tenantsAdopted = owner ? await this.members.ownOwnerlessTenants(owner.id) : 0;
    return { email, createdWithPassword, tenantsAdopted };
  }

  /** A one-time sign-in link's token for the user with this email; null without such a user. */
  async signInLinkFor(email: string): Promise<{ token: string; expiresAt: Date } | null> {
    const user = await this.users.findByEmail(email);
    return user ? this.users.createSignInLink(user.id) : null;
  }

  /** Changes the signed-in person's password and signs every other browser of theirs out. */
  async changePassword(sessionToken: string | null, currentPassword: string, newPassword: string): Promise<{ otherSessionsEnded: number }> {
    const { userId, sessionId } = await this.sessions.userOf(sessionToken);
    await this.users.changePassword(userId, currentPassword, newPassword);
    return { otherSessionsEnded: await this.sessions.endOtherSessions(userId, sessionId) };
  }

  /**
   * Joins the invitation's tenant as the person signed in, an existing account (its password checked, under
   * the sign-in limits) or a new one; the browser is then signed in as them, in that tenant.
   */
  async acceptInvitation(request: TAcceptInvitationRequest, sessionToken: string | null, clientAddress: string): Promise<SignedIn> {
    await this.members.preview(request.token);
    let userId: number;
    if (request.account === 'signed-in') userId = (await this.sessions.userOf(sessionToken)).userId;
    else if (request.account === 'existing') userId = (await this.users.authenticate(request.email, request.password, clientAddress)).id;
    else userId = (await this.users.create(request.email, request.password)).id;
    const joined = await this.members.accept(request.token, userId);
    const newToken = request.account === 'signed-in' ? null : (await this.sessions.signInUser(userId, sessionToken)).newToken;
    const principal = await this.sessions.switchTenant(newToken ?? sessionToken, { tenantId: joined.tenantId });
    await this.audit.recordChange(principal, 'invitations.accept', { role: joined.role, account: request.account });
    return { principal, newToken };
  }
}

/** A password for an account made by the server (the first owner, the CLI's new users), shown once. */
export function generatedPassword(): string {
  return randomBytes(15).toString('base64url');
}
