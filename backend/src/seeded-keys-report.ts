import type { SeedResult } from './services/demo-data-service.ts';

/** What `npm run db:seed` and a demo-mode start print after seeding: the only time the keys are shown. */
export function seededKeysReport(result: SeedResult): string {
  const lines = result.keys.map(({ tenantSlug, scope, key }) => `  ${tenantSlug.padEnd(8)} ${scope.padEnd(7)} ${key}`);
  return [`Seeded ${result.events.toLocaleString('en-US')} demo events. API keys (shown only now):`, ...lines].join('\n');
}
