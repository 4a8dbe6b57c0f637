import type { TApiKeyScope } from '@pulse/shared/auth';
import type { TPlan } from '@pulse/shared/plans';
import type { TRole } from '@pulse/shared/roles';
import { AppError } from '../errors/app-error.ts';
import type { MembershipRepository } from '../repositories/membership-repository.ts';
import type { TenantRecord, TenantRepository } from '../repositories/tenant-repository.ts';
import { generatedPassword } from './account-service.ts';
import type { ApiKeyService } from './api-key-service.ts';
import type { AuditService } from './audit-service.ts';
import type { DashboardSessionService } from './dashboard-session-service.ts';
import type { UserService } from './user-service.ts';

/**
 * What the operator does from the command line (`npm run admin`), with access to the server and its database
 * rather than a session: make tenants and users, reset a password, make a sign-in link or an API key. Changes to
 * a tenant go to its audit log as the operator's.
 */
export class OperatorService {
  constructor(
    private readonly deps: {
      tenants: TenantRepository;
      memberships: MembershipRepository;
      users: UserService;
      sessions: DashboardSessionService;
      apiKeys: ApiKeyService;
      audit: AuditService;
    },
  ) {}

  async createTenant(slug: string, name: string, plan: TPlan): Promise<TenantRecord> {
    if (await this.deps.tenants.findBySlug(slug)) throw new AppError('CONFLICT', `there is already a tenant "${slug}"`);
    return this.deps.tenants.create({ slug, name, plan });
  }

  /** A new user with a generated password (returned to be printed once), optionally a member of a tenant. */
  async createUser(email: string, membership?: { tenantSlug: string; role: TRole }): Promise<{ password: string }> {
    const tenant = membership ? await this.tenant(membership.tenantSlug) : null;
    const password = generatedPassword();
    const user = await this.deps.users.create(email, password);
    if (tenant && membership) await this.addMembership(tenant, user.id, email, membership.role);
    return { password };
  }

  async addMember(email: string, tenantSlug: string, role: TRole): Promise<void> {
    const tenant = await this.tenant(tenantSlug);
    const user = await this.user(email);
    await this.addMembership(tenant, user.id, email, role);
  }

  /** A new generated password (returned to be printed once); every session of the user ends. */
  async resetPassword(email: string): Promise<{ password: string; sessionsEnded: number }> {
    const user = await this.user(email);
    const password = generatedPassword();
    await this.deps.users.setPassword(user.id, password);
    return { password, sessionsEnded: await this.deps.sessions.endOtherSessions(user.id, null) };
  }

  async signInLink(email: string): Promise<{ token: string; expiresAt: Date }> {
    return this.deps.users.createSignInLink((await this.user(email)).id);
  }

  async createKey(tenantSlug: string, scope: TApiKeyScope, name: string): Promise<string> {
    const tenant = await this.tenant(tenantSlug);
    const created = await this.deps.apiKeys.createKey(tenant.id, scope, name);
    await this.deps.audit.record(tenant.id, 'operator', 'keys.create', { name, scope, id: created.id });
    return created.key;
  }

  private async addMembership(tenant: TenantRecord, userId: number, email: string, role: TRole): Promise<void> {
    await this.deps.memberships.add(tenant.id, userId, role);
    await this.deps.audit.record(tenant.id, 'operator', 'members.add', { email, role, userId });
  }

  private async tenant(slug: string): Promise<TenantRecord> {
    const tenant = await this.deps.tenants.findBySlug(slug);
    if (!tenant) throw new AppError('NOT_FOUND', `there is no tenant "${slug}"; create it with: npm run admin -- create-tenant ${slug} "<name>"`);
    return tenant;
  }

  private async user(email: string) {
    const user = await this.deps.users.findByEmail(email);
    if (!user) throw new AppError('NOT_FOUND', `there is no account for ${email}; create it with: npm run admin -- create-user ${email}`);
    return user;
  }
}
