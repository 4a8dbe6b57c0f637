import type { TApiKeyScope } from '@pulse/shared/auth';
import type { TPlan } from '@pulse/shared/plans';
import type { EventPartitions } from '../infra/db/event-partitions.ts';
import type { EventRepository } from '../repositories/event-repository.ts';
import type { TenantRepository } from '../repositories/tenant-repository.ts';
import type { ApiKeyService } from './api-key-service.ts';
import { generateDemoEvents } from './demo-events.ts';

const DEMO_TENANTS: ReadonlyArray<{ slug: string; name: string; plan: TPlan; seed: number }> = [
  { slug: 'acme', name: 'Acme Inc.', plan: 'pro', seed: 1 },
  { slug: 'globex', name: 'Globex', plan: 'free', seed: 2 },
];
const SCOPES: readonly TApiKeyScope[] = ['ingest', 'read', 'admin'];
const INSERT_CHUNK = 1_000;
const DEMO_SIGN_IN_KEY_NAME = 'dashboard sign-in link (demo mode)';
const DEMO_ADMIN_KEY_NAME = 'admin key printed at start (demo mode)';

export interface SeededKey {
  tenantSlug: string;
  scope: TApiKeyScope;
  key: string;
}

export interface SeedResult {
  /** False when the demo tenants were already there; nothing is written then. */
  created: boolean;
  events: number;
  keys: SeededKey[];
}

export interface SeedOptions {
  usersPerTenant: number;
  eventsPerTenant: number;
  days: number;
  now: Date;
}

export const DEFAULT_SEED: Omit<SeedOptions, 'now'> = { usersPerTenant: 10, eventsPerTenant: 5_000, days: 30 };

/** Demo tenants, keys and events, so a fresh install has something to show. */
export class DemoDataService {
  constructor(
    private readonly tenants: TenantRepository,
    private readonly apiKeys: ApiKeyService,
    private readonly events: EventRepository,
    private readonly partitions: EventPartitions,
  ) {}

  async seed(options: SeedOptions): Promise<SeedResult> {
    const result: SeedResult = { created: false, events: 0, keys: [] };
    for (const demo of DEMO_TENANTS) {
      if (await this.tenants.findBySlug(demo.slug)) continue;
      result.created = true;
      const tenant = await this.tenants.create({ slug: demo.slug, name: demo.name, plan: demo.plan });
      for (const scope of SCOPES) {
        const { key } = await this.apiKeys.createKey(tenant.id, scope, `demo ${scope} key`);
        result.keys.push({ tenantSlug: tenant.slug, scope, key });
      }
      const rows = generateDemoEvents({
        tenantId: tenant.id,
        tenantSlug: tenant.slug,
        users: options.usersPerTenant,
        events: options.eventsPerTenant,
        days: options.days,
        now: options.now,
        seed: demo.seed,
      });
      await this.partitions.ensureDays(new Date(options.now.getTime() - options.days * 86_400_000), options.now);
      for (let start = 0; start < rows.length; start += INSERT_CHUNK) {
        result.events += (await this.events.insertMany(rows.slice(start, start + INSERT_CHUNK))).size;
      }
    }
    return result;
  }

  /**
   * Fresh keys for the first demo tenant, so a local demo can print a one-click sign-in link (a read key) and
   * the admin key `npm run demo` and API callers need. The keys printed before are revoked, so only the newest
   * printed ones work.
   */
  async createDemoKeys(): Promise<{ signIn: string; admin: string } | null> {
    const tenant = await this.tenants.findBySlug(DEMO_TENANTS[0]!.slug);
    if (!tenant) return null;
    await this.apiKeys.revokeKeysNamed(tenant.id, DEMO_SIGN_IN_KEY_NAME);
    await this.apiKeys.revokeKeysNamed(tenant.id, DEMO_ADMIN_KEY_NAME);
    return {
      signIn: (await this.apiKeys.createKey(tenant.id, 'read', DEMO_SIGN_IN_KEY_NAME)).key,
      admin: (await this.apiKeys.createKey(tenant.id, 'admin', DEMO_ADMIN_KEY_NAME)).key,
    };
  }
}
