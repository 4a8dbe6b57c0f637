import { expect, it } from 'vitest';
import { PendingInvalidations, WHOLE_TENANT_TAG } from './pending-invalidations.ts';

it('keeps the distinct tags of each tenant until they are settled, and tags added meanwhile after that', () => {
  const pending = new PendingInvalidations();
  pending.add(1, ['day:1', 'day:2']);
  pending.add(1, ['day:2', 'day:3']);
  pending.add(2, ['day:1']);
  expect(pending.snapshot()).toEqual([
    [1, ['day:1', 'day:2', 'day:3']],
    [2, ['day:1']],
  ]);
  expect(pending.size).toBe(4);

  const [[tenantId, tags]] = pending.snapshot() as [[number, string[]]];
  pending.add(1, ['day:4']);
  pending.settle(tenantId, tags);
  expect(pending.snapshot()).toEqual([
    [1, ['day:4']],
    [2, ['day:1']],
  ]);
  pending.settle(1, ['day:4']);
  pending.settle(2, ['day:1']);
  expect(pending.isEmpty).toBe(true);
  expect(pending.size).toBe(0);
});

it("collapses a tenant's tags to the whole tenant past the per-tenant limit, and stays collapsed", () => {
  const pending = new PendingInvalidations({ perTenant: 3, total: 100 });
  pending.add(1, ['a', 'b', 'c']);
  expect(pending.snapshot()).toEqual([[1, ['a', 'b', 'c']]]);
  pending.add(1, ['d']);
  expect(pending.snapshot()).toEqual([[1, [WHOLE_TENANT_TAG]]]);
  pending.add(1, ['e', 'f', 'g', 'h']);
  expect(pending.snapshot()).toEqual([[1, [WHOLE_TENANT_TAG]]]);
  expect(pending.size).toBe(1);
});

it('bounds the tags held over all tenants: past the total, each tenant that adds tags holds one', () => {
  const pending = new PendingInvalidations({ perTenant: 1_000, total: 5 });
  for (let tenantId = 1; tenantId <= 1_000; tenantId += 1) pending.add(tenantId, ['a', 'b', 'c']);
  expect(pending.size).toBe(3 + 999);
  expect(pending.snapshot().filter(([, tags]) => tags[0] !== WHOLE_TENANT_TAG)).toEqual([[1, ['a', 'b', 'c']]]);
});
