import { randomBytes } from 'node:crypto';
import type { TCreatedInvitation, TInvitationPreview, TMemberList, TPendingInvitation } from '@pulse/shared/members';
import { mayAssignRole, type TRole } from '@pulse/shared/roles';
import { AppError } from '../errors/app-error.ts';
import type { InvitationRecord, InvitationRepository } from '../repositories/invitation-repository.ts';
import type { MembershipRecord, MembershipRepository } from '../repositories/membership-repository.ts';
import { hashSecret } from './api-key-service.ts';
import { actorOf, isMember, type Principal } from './principal.ts';

const DAY_MS = 86_400_000;
const LINK_GONE = 'this invitation link was used already, was revoked or has expired; ask for a new one';

/**
 * Members of a tenant and invitations to it. The rules: only owners make, unmake or remove owners; a tenant
 * always keeps at least one owner (the last one can neither leave nor be demoted); an invitation link works
 * once, until it expires.
 */
export class MemberService {
  constructor(
    private readonly memberships: MembershipRepository,
    private readonly invitations: InvitationRepository,
    private readonly now: () => number = Date.now,
  ) {}

  async list(principal: Principal): Promise<TMemberList> {
    const tenantId = principal.tenant.id;
    const [members, invitations] = await Promise.all([this.memberships.listForTenant(tenantId), this.invitations.listPending(tenantId, new Date(this.now()))]);
    const you = isMember(principal) ? principal.userId : null;
    return {
      members: members.map((member) => ({
        userId: member.user.id,
        email: member.user.email,
        role: member.role,
        joinedAt: member.createdAt.toISOString(),
        you: member.user.id === you,
      })),
      invitations: invitations.map(toPendingInvitation),
    };
  }

  async invite(principal: Principal, role: TRole, expiresInDays: number): Promise<TCreatedInvitation> {
    this.assertMayAssign(principal, role);
    const token = `pi_${randomBytes(32).toString('base64url')}`;
    const invitation = await this.invitations.create({
      tenantId: principal.tenant.id,
      tokenHash: hashSecret(token),
      role,
      invitedBy: actorOf(principal).name,
      expiresAt: new Date(this.now() + expiresInDays * DAY_MS),
    });
    return { ...toPendingInvitation(invitation), token };
  }

  async revokeInvitation(principal: Principal, id: number): Promise<TPendingInvitation> {
    const revoked = await this.invitations.revoke(principal.tenant.id, id, new Date(this.now()));
    if (!revoked) throw new AppError('NOT_FOUND', `this tenant has no pending invitation ${id}`);
    return toPendingInvitation(revoked);
  }

  async preview(token: string): Promise<TInvitationPreview> {
    const invitation = await this.invitations.findPending(hashSecret(token), new Date(this.now()));
    if (!invitation) throw new AppError('NOT_FOUND', LINK_GONE);
    return { tenantName: invitation.tenant.name, role: invitation.role, expiresAt: invitation.expiresAt.toISOString() };
  }

  /** Makes the user a member with the invitation's role; returns the tenant they joined. */
  async accept(token: string, userId: number): Promise<{ tenantId: number; tenantName: string; role: TRole }> {
    const accepted = await this.invitations.accept(hashSecret(token), userId, new Date(this.now()));
    if (!accepted) throw new AppError('NOT_FOUND', LINK_GONE);
    return { tenantId: accepted.tenant.id, tenantName: accepted.tenant.name, role: accepted.role };
  }

  /** Gives every tenant without an owner this one (the first start's owner, tenants made by the CLI or a seed). */
  async ownOwnerlessTenants(userId: number): Promise<number> {
    return this.memberships.ownOwnerlessTenants(userId);
  }

  async changeRole(principal: Principal, userId: number, role: TRole): Promise<{ userId: number; role: TRole; previousRole: TRole }> {
    const target = await this.existingMember(principal, userId);
    this.assertMayAssign(principal, target.role);
    this.assertMayAssign(principal, role);
    const changed = refusedOr(await this.memberships.change(principal.tenant.id, userId, role), 'demote');
    return { userId, role: changed.role, previousRole: target.role };
  }

  async remove(principal: Principal, userId: number): Promise<{ userId: number; role: TRole }> {
    const target = await this.existingMember(principal, userId);
    this.assertMayAssign(principal, target.role);
    const removed = refusedOr(await this.memberships.change(principal.tenant.id, userId, null), 'remove');
    return { userId, role: removed.role };
  }

  /** A member leaves the tenant they are acting in; the last owner cannot. */
  async leave(principal: Principal): Promise<{ userId: number; role: TRole }> {
    if (!isMember(principal)) throw new AppError('FORBIDDEN', 'an API key is not a member and cannot leave; revoke it instead');
    const left = refusedOr(await this.memberships.change(principal.tenant.id, principal.userId, null), 'leave');
    return { userId: principal.userId, role: left.role };
  }

  private async existingMember(principal: Principal, userId: number): Promise<MembershipRecord> {
    const member = await this.memberships.find(principal.tenant.id, userId);
    if (!member) throw new AppError('NOT_FOUND', `user ${userId} is not a member of ${principal.tenant.name}`);
    return member;
  }

  private assertMayAssign(principal: Principal, role: TRole): void {
    const actorRole = isMember(principal) ? principal.role : 'admin';
    if (!mayAssignRole(actorRole, role)) throw new AppError('FORBIDDEN', 'only an owner can make, change or remove an owner');
  }
}

function refusedOr(result: MembershipRecord | 'not-a-member' | 'last-owner', verb: 'demote' | 'remove' | 'leave'): MembershipRecord {
  if (result === 'not-a-member') throw new AppError('NOT_FOUND', 'that user is not a member of this tenant (any more)');
  if (result === 'last-owner') {
    const subject = verb === 'leave' ? 'you are its last owner and cannot leave' : `the last owner cannot be ${verb === 'demote' ? 'demoted' : 'removed'}`;
    throw new AppError('CONFLICT', `a tenant needs an owner: ${subject}; make another member an owner first`);
  }
  return result;
}

function toPendingInvitation(invitation: InvitationRecord): TPendingInvitation {
  return {
    id: invitation.id,
    role: invitation.role,
    invitedBy: invitation.invitedBy,
    createdAt: invitation.createdAt.toISOString(),
    expiresAt: invitation.expiresAt.toISOString(),
  };
}
