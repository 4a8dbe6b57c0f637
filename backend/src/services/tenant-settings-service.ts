import type { TPlan } from '@pulse/shared/plans';
import type { TTenantSettings } from '@pulse/shared/tenant-settings';
import { AppError } from '../errors/app-error.ts';
import type { TenantRecord, TenantRepository } from '../repositories/tenant-repository.ts';
import type { ApiKeyService } from './api-key-service.ts';
import { retentionDaysFor, tenantRetentionDays } from './retention.ts';

/** A tenant's plan and data retention. Retention is the tenant's choice within its plan's maximum. */
export class TenantSettingsService {
  constructor(
    private readonly tenants: TenantRepository,
    private readonly apiKeys: ApiKeyService,
  ) {}

  async get(tenantId: number): Promise<TTenantSettings> {
    return toSettings(await this.existing(tenantId));
  }

  async setRetention(tenantId: number, retentionDays: number | null): Promise<TTenantSettings> {
    const tenant = await this.existing(tenantId);
    const maximum = retentionDaysFor(tenant.plan);
    if (retentionDays !== null && retentionDays > maximum) {
      throw new AppError('BAD_REQUEST', `the ${tenant.plan} plan keeps data for at most ${maximum} days; choose ${maximum} or fewer, or change the plan first`);
    }
    return toSettings(await this.tenants.update(tenantId, { retentionDays }));
  }

  async setPlan(tenantId: number, plan: TPlan): Promise<TTenantSettings> {
    await this.existing(tenantId);
    const updated = await this.tenants.update(tenantId, { plan });
    // Keys remember their tenant (plan included) for a few seconds: forget, so the new limits apply at once.
    await this.apiKeys.forgetRemembered();
    return toSettings(updated);
  }

  private async existing(tenantId: number): Promise<TenantRecord> {
    const tenant = await this.tenants.findById(tenantId);
    if (!tenant) throw new AppError('NOT_FOUND', `there is no tenant ${tenantId}`);
    return tenant;
  }
}

function toSettings(tenant: TenantRecord): TTenantSettings {
  return {
    plan: tenant.plan,
    retentionDays: tenantRetentionDays(tenant),
    maxRetentionDays: retentionDaysFor(tenant.plan),
    retentionIsPlanMaximum: tenant.retentionDays === null || tenant.retentionDays >= retentionDaysFor(tenant.plan),
  };
}
