import { randomBytes, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BOARD_LIMITS, type TBoard, type TBoardSummary, type TTileInput } from '@pulse/shared/boards';
import { MAX_BOARDS_BY_PLAN, type TPlan } from '@pulse/shared/plans';
import { TenantRepository } from '../repositories/tenant-repository.ts';
import type { Runtime } from '../runtime.ts';
import { startTestRuntime } from '../test/test-runtime.ts';
import { createTestTenant, startTestServer, type TestServer } from '../test/test-tenant.ts';
import { bearer, callTrpc } from '../test/trpc-http.ts';

// Boards over HTTP, as the dashboard uses them: saved, read back, laid out anew, deleted; tiles checked against
// their procedure's own request; as many boards as the plan allows; no board reachable from another tenant.
let runtime: Runtime;
let server: TestServer;

beforeAll(async () => {
  runtime = await startTestRuntime();
  server = await startTestServer(runtime);
});

afterAll(async () => {
  await server?.close();
  await runtime?.close();
});

/** A tenant of `plan` with an admin key (the limits go by the plan stored with the tenant). */
async function tenantOnPlan(plan: TPlan): Promise<{ id: number; admin: string }> {
  const slug = `boards-${plan}-${randomBytes(4).toString('hex')}`;
  const tenant = await new TenantRepository(runtime.prisma).create({ slug, name: `Test ${slug}`, plan });
  const key = await runtime.services.apiKeys.createKey(tenant.id, 'admin', 'test admin');
  return { id: tenant.id, admin: key.key };
}

const call = <T>(key: string, path: string, type: 'query' | 'mutation', input?: unknown) => callTrpc<T>(server.url, path, type, input, bearer(key));

const tile = (overrides: Partial<TTileInput> = {}): TTileInput => ({
  title: 'Visitors',
  layout: { x: 0, y: 0, w: 6, h: 4 },
  insight: { procedure: 'analytics.summary', input: {}, rangePreset: '7d' },
  ...overrides,
});

const THREE_TILES: TTileInput[] = [
  tile({
    id: randomUUID(),
    title: 'This week',
    insight: { procedure: 'analytics.summary', input: { filters: [{ field: 'country', operator: 'is', value: 'DE' }] }, rangePreset: '7d' },
  }),
  tile({
    title: 'Countries',
    layout: { x: 6, y: 0, w: 6, h: 4 },
    insight: { procedure: 'analytics.breakdown', input: { by: 'country', limit: 5 }, rangePreset: '30d' },
  }),
  tile({ title: 'Goals today', layout: { x: 0, y: 4, w: 12, h: 3 }, insight: { procedure: 'analytics.goals', input: {}, rangePreset: 'today' } }),
];

/** The range a preset covers as the dashboard resolves it (near enough: any valid range will do here). */
function rangeOf(preset: string): { from: string; to: string } {
  const days = { today: 1, '24h': 1, '7d': 7, '30d': 30, '90d': 90 }[preset]!;
  const to = new Date();
  return { from: new Date(to.getTime() - days * 86_400_000).toISOString(), to: to.toISOString() };
}

describe('a board', () => {
  it('with three saved insights survives a reload, takes a new layout and name, and is deleted', async () => {
    const owner = await createTestTenant(runtime, 'boards-crud');
    const created = await call<TBoard>(owner.keys.admin, 'boards.create', 'mutation', { name: 'Growth', tiles: THREE_TILES });
    expect(created.status, created.error?.message).toBe(200);
    const board = created.data!;
    // The client's tile id is kept, the others get one; inputs are stored as their procedure reads them.
    expect(board.tiles.map((saved) => saved.id)).toEqual([
      THREE_TILES[0]!.id,
      expect.stringMatching(/^[0-9a-f-]{36}$/),
      expect.stringMatching(/^[0-9a-f-]{36}$/),
    ]);
    expect(board.tiles[1]).toMatchObject({
      title: 'Countries',
      insight: { procedure: 'analytics.breakdown', input: { by: 'country', limit: 5 }, rangePreset: '30d' },
    });
    expect(board.tiles[0]!.insight.input).toEqual({ filters: [{ field: 'country', operator: 'is', value: 'DE' }] });

    const reloaded = await call<TBoard>(owner.keys.read, 'boards.get', 'query', { id: board.id });
    expect(reloaded.data).toEqual(board);
    const listed = await call<TBoardSummary[]>(owner.keys.read, 'boards.list', 'query');
    expect(listed.data).toEqual([{ id: board.id, name: 'Growth', tileCount: 3, createdAt: board.createdAt, updatedAt: board.updatedAt }]);

    // Every tile is a question its own procedure answers (cached, like any dashboard answer).
    for (const saved of board.tiles) {
      const input = { ...saved.insight.input, ...rangeOf(saved.insight.rangePreset) };
      const first = await call<{ cache: { hit: boolean } }>(owner.keys.read, saved.insight.procedure, 'query', input);
      expect(first.status, `${saved.insight.procedure}: ${first.error?.message}`).toBe(200);
      expect((await call<{ cache: { hit: boolean } }>(owner.keys.read, saved.insight.procedure, 'query', input)).data!.cache.hit).toBe(true);
    }

    const moved = [
      { ...board.tiles[2]!, layout: { x: 0, y: 0, w: 12, h: 3 } },
      { ...board.tiles[0]!, layout: { x: 0, y: 3, w: 4, h: 4 } },
    ];
    const updated = await call<TBoard>(owner.keys.admin, 'boards.update', 'mutation', { id: board.id, name: 'Growth (weekly)', tiles: moved });
    expect(updated.status, updated.error?.message).toBe(200);
    expect(Date.parse(updated.data!.updatedAt)).toBeGreaterThan(Date.parse(board.updatedAt));
    expect((await call<TBoard>(owner.keys.read, 'boards.get', 'query', { id: board.id })).data).toMatchObject({ name: 'Growth (weekly)', tiles: moved });
    const renamed = await call<TBoard>(owner.keys.admin, 'boards.update', 'mutation', { id: board.id, name: 'Growth' });
    expect(renamed.data).toMatchObject({ name: 'Growth', tiles: moved });

    expect((await call(owner.keys.read, 'boards.delete', 'mutation', { id: board.id })).status).toBe(403);
    expect((await call(owner.keys.admin, 'boards.delete', 'mutation', { id: board.id })).data).toEqual({ id: board.id, deleted: true });
    const gone = await call(owner.keys.read, 'boards.get', 'query', { id: board.id });
    expect(gone.status).toBe(404);
    expect(gone.error!.message).toBe(`this tenant has no board with id ${board.id}`);
  });

  const duplicateId = randomUUID();
  it.each([
    ['an empty name', { name: ' ', tiles: [] }, /name: give the board a name/],
    [
      'an insight no board can show',
      { name: 'B', tiles: [tile({ insight: { procedure: 'analytics.live' as never, input: {}, rangePreset: '7d' } })] },
      /tiles\.0\.insight\.procedure/,
    ],
    [
      'input its procedure refuses',
      { name: 'B', tiles: [tile({ insight: { procedure: 'analytics.breakdown', input: { by: 'planet' }, rangePreset: '7d' } })] },
      /tiles\.0\.insight\.input\.by: analytics\.breakdown: Invalid option/,
    ],
    [
      'input without what its procedure needs',
      { name: 'B', tiles: [tile(), tile({ insight: { procedure: 'analytics.propertyBreakdown', input: {}, rangePreset: '7d' } })] },
      /tiles\.1\.insight\.input\.key: analytics\.propertyBreakdown/,
    ],
    [
      'a range of its own',
      { name: 'B', tiles: [tile({ insight: { procedure: 'analytics.summary', input: { from: '2026-01-01T00:00:00Z' }, rangePreset: '7d' } })] },
      /leave out from and to/,
    ],
    [
      'a preset the dashboard does not have',
      { name: 'B', tiles: [tile({ insight: { procedure: 'analytics.summary', input: {}, rangePreset: '1y' as never } })] },
      /rangePreset/,
    ],
    [
      'a filter value PostgreSQL cannot store',
      {
        name: 'B',
        tiles: [
          tile({ insight: { procedure: 'analytics.goals', input: { filters: [{ field: 'country', operator: 'is', value: 'D\u0000E' }] }, rangePreset: '7d' } }),
        ],
      },
      /NUL character/,
    ],
    ['a tile past the 12th column', { name: 'B', tiles: [tile({ layout: { x: 8, y: 0, w: 6, h: 2 } })] }, /x \+ w must be at most 12/],
    ['a tile of no height', { name: 'B', tiles: [tile({ layout: { x: 0, y: 0, w: 6, h: 0 } })] }, /tiles\.0\.layout\.h/],
    ['too many tiles', { name: 'B', tiles: Array.from({ length: BOARD_LIMITS.maxTiles + 1 }, () => tile()) }, /at most 24 tiles/],
    ['two tiles with one id', { name: 'B', tiles: [tile({ id: duplicateId }), tile({ id: duplicateId })] }, /two tiles have the id/],
  ])('refuses %s with 400, saying what was wrong', async (_label, input, message) => {
    const owner = await createTestTenant(runtime, 'boards-invalid');
    const answer = await call(owner.keys.admin, 'boards.create', 'mutation', input);
    expect(answer.status, JSON.stringify(answer.data)).toBe(400);
    expect(answer.error!.message).toMatch(message);
    expect(await runtime.services.boards.list(owner.id)).toEqual([]);
  });

  it('refuses an update of tiles that do not check out, and keeps the board as it was', async () => {
    const owner = await createTestTenant(runtime, 'boards-invalid-update');
    const board = (await call<TBoard>(owner.keys.admin, 'boards.create', 'mutation', { name: 'Kept', tiles: THREE_TILES })).data!;
    const bad = [...board.tiles, tile({ insight: { procedure: 'analytics.timeseries', input: { granularity: 'fortnight' }, rangePreset: '7d' } })];
    const answer = await call(owner.keys.admin, 'boards.update', 'mutation', { id: board.id, tiles: bad });
    expect(answer.status).toBe(400);
    expect(answer.error!.message).toMatch(/tiles\.3\.insight\.input\.granularity/);
    expect((await call<TBoard>(owner.keys.read, 'boards.get', 'query', { id: board.id })).data).toEqual(board);
  });
});

describe('boards per plan', () => {
  it.each([
    ['free', 3],
    ['pro', 20],
  ] as const)('the %s plan keeps %i boards and refuses the next, naming the plan and its limit', async (plan, limit) => {
    expect(MAX_BOARDS_BY_PLAN[plan]).toBe(limit);
    const owner = await tenantOnPlan(plan);
    for (let i = 0; i < limit; i += 1) {
      const created = await call(owner.admin, 'boards.create', 'mutation', { name: `Board ${i}` });
      expect(created.status, created.error?.message).toBe(200);
    }
    const refused = await call(owner.admin, 'boards.create', 'mutation', { name: 'One too many' });
    expect(refused.status).toBe(403);
    expect(refused.error!.message).toBe(
      `the ${plan} plan allows ${limit} boards and this tenant has ${limit}; delete a board first, or move to a plan that allows more`,
    );
    // Deleting one makes room for one.
    const [first] = await runtime.services.boards.list(owner.id);
    await call(owner.admin, 'boards.delete', 'mutation', { id: first!.id });
    expect((await call(owner.admin, 'boards.create', 'mutation', { name: 'In its place' })).status).toBe(200);
    expect((await runtime.services.boards.list(owner.id)).length).toBe(limit);
  });

  it('the enterprise plan has no limit', async () => {
    expect(MAX_BOARDS_BY_PLAN.enterprise).toBeNull();
    const owner = await tenantOnPlan('enterprise');
    const count = MAX_BOARDS_BY_PLAN.pro! + 5;
    for (let i = 0; i < count; i += 1) expect((await call(owner.admin, 'boards.create', 'mutation', { name: `Board ${i}` })).status).toBe(200);
    expect((await runtime.services.boards.list(owner.id)).length).toBe(count);
  });

  it('holds the limit when many boards are asked for at once', async () => {
    const owner = await tenantOnPlan('free');
    const answers = await Promise.all(Array.from({ length: 7 }, (_, i) => call(owner.admin, 'boards.create', 'mutation', { name: `Racer ${i}` })));
    expect(answers.filter((answer) => answer.status === 200).length).toBe(MAX_BOARDS_BY_PLAN.free);
    expect(answers.filter((answer) => answer.status === 403).length).toBe(7 - MAX_BOARDS_BY_PLAN.free!);
    expect((await runtime.services.boards.list(owner.id)).length).toBe(MAX_BOARDS_BY_PLAN.free);
  });
});

describe('boards of another tenant', () => {
  it('are neither listed, read, changed nor deleted, and stay as they were', async () => {
    const [a, b] = await Promise.all([createTestTenant(runtime, 'boards-a'), createTestTenant(runtime, 'boards-b')]);
    const bBoard = (await call<TBoard>(b.keys.admin, 'boards.create', 'mutation', { name: 'B only', tiles: THREE_TILES })).data!;
    expect((await call<TBoardSummary[]>(a.keys.read, 'boards.list', 'query')).data).toEqual([]);
    const attempts = await Promise.all([
      call(a.keys.admin, 'boards.get', 'query', { id: bBoard.id }),
      call(a.keys.admin, 'boards.update', 'mutation', { id: bBoard.id, name: 'Taken by A', tiles: [] }),
      call(a.keys.admin, 'boards.delete', 'mutation', { id: bBoard.id }),
    ]);
    expect(attempts.map((answer) => answer.status)).toEqual([404, 404, 404]);
    for (const answer of attempts) expect(answer.error!.message).toBe(`this tenant has no board with id ${bBoard.id}`);
    expect(await runtime.services.boards.get(b.id, bBoard.id)).toEqual(bBoard);
  });
});
