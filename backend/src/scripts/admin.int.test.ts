import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { promisify } from 'node:util';
import { afterAll, beforeAll, expect, inject, it } from 'vitest';
import { REPO_ROOT } from '../config.ts';
import type { Runtime } from '../runtime.ts';
import '../test/provided-context.ts';
import { startTestRuntime } from '../test/test-runtime.ts';

// `npm run admin`, run as the operator runs it (a process of its own, the server's configuration in the
// environment), against this test run's database; what it prints is then used the way a person would.

const run = promisify(execFile);
let runtime: Runtime;

beforeAll(async () => {
  runtime = await startTestRuntime();
});

afterAll(async () => {
  await runtime?.close();
});

async function admin(...args: string[]): Promise<{ code: number; out: string }> {
  const env = {
    ...process.env,
    DATABASE_URL: inject('databaseUrl'),
    REDIS_URL: inject('redisUrl'),
    REDIS_KEY_PREFIX: inject('redisKeyPrefix'),
    LOG_LEVEL: 'error',
  };
  try {
    const { stdout, stderr } = await run(process.execPath, ['--import', 'tsx', 'backend/src/scripts/admin.ts', ...args], {
      cwd: REPO_ROOT,
      env,
      timeout: 60_000,
    });
    return { code: 0, out: stdout + stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, out: failed.stdout + failed.stderr };
  }
}

const signsIn = async (email: string, password: string) =>
  runtime.services.accounts.signInWithPassword(email, password, '127.0.0.1', null).then(
    () => true,
    () => false,
  );

it('creates a tenant and a member with a printed password, resets it, prints a one-time link and an API key', async () => {
  const slug = `cli-${randomBytes(3).toString('hex')}`;
  const email = `ada-${slug}@cli.test`;
  expect(await admin('create-tenant', slug, 'CLI Inc.', '--plan', 'pro')).toMatchObject({
    code: 0,
    out: expect.stringContaining(`Tenant ${slug} (pro) created`),
  });

  const created = await admin('create-user', email, '--tenant', slug, '--role', 'admin');
  const [, password] = /Password \(shown only now\): (\S+)/.exec(created.out) ?? [];
  expect(created.code, created.out).toBe(0);
  expect(await signsIn(email, password!)).toBe(true);
  const tenant = (await runtime.prisma.tenant.findUnique({ where: { slug } }))!;
  expect(await runtime.prisma.membership.findMany({ where: { tenantId: tenant.id }, select: { role: true } })).toEqual([{ role: 'admin' }]);

  const reset = await admin('reset-password', email);
  const [, newPassword] = /New password for \S+ \(shown only now\): (\S+)/.exec(reset.out) ?? [];
  expect(await signsIn(email, password!)).toBe(false);
  expect(await signsIn(email, newPassword!)).toBe(true);

  const link = await admin('sign-in-link', email, '--url', 'https://pulse.example.com/');
  const [, token] = /https:\/\/pulse\.example\.com\/\?signin=(\S+)/.exec(link.out) ?? [];
  await expect(runtime.services.accounts.signInWithLink(token!, null)).resolves.toMatchObject({ principal: { email } });
  await expect(runtime.services.accounts.signInWithLink(token!, null)).rejects.toThrow(/used already/);

  const key = await admin('create-key', slug, 'ingest', 'web site');
  const [, apiKey] = /API key \(shown only now\): (pk_ingest_\S+)/.exec(key.out) ?? [];
  expect((await runtime.services.apiKeys.authenticate(apiKey!)).tenant.slug).toBe(slug);
  const audit = await runtime.services.audit.list(tenant.id, 10);
  expect(audit.entries.map((entry) => [entry.actorKind, entry.action])).toEqual([
    ['operator', 'keys.create'],
    ['operator', 'members.add'],
  ]);
}, 120_000);

it('says what was wrong, with the usage, and changes nothing', async () => {
  const bad = await admin('create-user', 'not-an-email');
  expect(bad.code).toBe(2);
  expect(bad.out).toMatch(/the email: enter an email address[\s\S]*Usage: npm run admin/);
  const missing = await admin('reset-password', `nobody-${randomBytes(3).toString('hex')}@cli.test`);
  expect(missing.code).toBe(1);
  expect(missing.out).toMatch(/there is no account for nobody-\S+; create it with: npm run admin -- create-user/);
  expect((await admin('frobnicate')).out).toMatch(/unknown command "frobnicate"/);
}, 120_000);
