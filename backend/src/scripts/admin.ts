// `npm run admin -- <command> …`: the operator's tools, run beside the server with its configuration (in
// embedded mode, stop the server first: PGlite opens its data directory in one process at a time).
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { ZApiKeyScope, ZEmail } from '@pulse/shared/auth';
import { ZPlan } from '@pulse/shared/plans';
import { ZRole } from '@pulse/shared/roles';
import { REPO_ROOT, loadConfig } from '../config.ts';
import { AppError } from '../errors/app-error.ts';
import { startRuntime, type Runtime } from '../runtime.ts';

const USAGE = `Usage: npm run admin -- <command> [arguments]

  create-tenant <slug> <name> [--plan free|pro|enterprise]
  create-user <email> [--tenant <slug> --role owner|admin|editor|viewer]   prints a generated password
  add-member <email> <tenant-slug> <owner|admin|editor|viewer>
  reset-password <email>                   prints a new password and signs the user out everywhere
  sign-in-link <email> [--url <dashboard address>]   prints a one-time sign-in link, valid 24 h
  create-key <tenant-slug> <ingest|read|admin> [name]   prints the key (shown only now)`;

const { positionals, values } = parseArgs({
  allowPositionals: true,
  options: { plan: { type: 'string' }, tenant: { type: 'string' }, role: { type: 'string' }, url: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
});
const [command, ...args] = positionals;

const ZSlug = z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'lower-case letters, digits and dashes');
const ZName = z.string().trim().min(1).max(100);

/** Reads an argument through its schema, or stops with what was wrong. */
function arg<T>(schema: z.ZodType<T>, value: unknown, what: string): T {
  if (value === undefined) fail(`missing ${what}`);
  const parsed = schema.safeParse(value);
  if (!parsed.success) fail(`${what}: ${parsed.error.issues[0]?.message ?? 'not valid'}`);
  return parsed.data;
}

function fail(message: string): never {
  console.error(`${message}\n\n${USAGE}`);
  process.exit(2);
}

async function run(runtime: Runtime, port: number): Promise<string> {
  const operator = runtime.services.operator;
  switch (command) {
    case 'create-tenant': {
      const tenant = await operator.createTenant(
        arg(ZSlug, args[0], 'the tenant slug'),
        arg(ZName, args[1], 'the tenant name'),
        arg(ZPlan, values.plan ?? 'free', '--plan'),
      );
      return `Tenant ${tenant.slug} (${tenant.plan}) created. Its first owner is the owner account on the next start, or: npm run admin -- add-member <email> ${tenant.slug} owner`;
    }
    case 'create-user': {
      const email = arg(ZEmail, args[0], 'the email');
      const membership = values.tenant ? { tenantSlug: values.tenant, role: arg(ZRole, values.role ?? 'viewer', '--role') } : undefined;
      const { password } = await operator.createUser(email, membership);
      return `Account ${email} created${membership ? `, ${membership.role} of ${membership.tenantSlug}` : ''}. Password (shown only now): ${password}`;
    }
    case 'add-member': {
      const [email, tenantSlug, role] = [arg(ZEmail, args[0], 'the email'), arg(ZSlug, args[1], 'the tenant slug'), arg(ZRole, args[2], 'the role')];
      await operator.addMember(email, tenantSlug, role);
      return `${email} is a member of ${tenantSlug} (a new member gets ${role}; an existing one keeps their role: change it on the dashboard).`;
    }
    case 'reset-password': {
      const email = arg(ZEmail, args[0], 'the email');
      const { password, sessionsEnded } = await operator.resetPassword(email);
      return `New password for ${email} (shown only now): ${password}\n${sessionsEnded} session(s) ended.`;
    }
    case 'sign-in-link': {
      const email = arg(ZEmail, args[0], 'the email');
      const { token, expiresAt } = await operator.signInLink(email);
      const base = values.url ?? `http://127.0.0.1:${port}`;
      return `One-time sign-in link for ${email}, valid until ${expiresAt.toISOString()}:\n${base.replace(/\/$/, '')}/?signin=${token}`;
    }
    case 'create-key': {
      const key = await operator.createKey(
        arg(ZSlug, args[0], 'the tenant slug'),
        arg(ZApiKeyScope, args[1], 'the scope'),
        args[2] ?? `${args[1]} key (npm run admin)`,
      );
      return `API key (shown only now): ${key}`;
    }
    default:
      fail(command ? `unknown command "${command}"` : 'no command');
  }
}

if (values.help || !command) {
  console.log(USAGE);
  process.exit(command || values.help ? 0 : 2);
}
const config = loadConfig();
const runtime = await startRuntime({ ...config, DATA_DIR: resolve(REPO_ROOT, config.DATA_DIR) });
try {
  await runtime.databaseReady;
  console.log(await run(runtime, config.PORT));
} catch (error) {
  console.error(error instanceof AppError ? error.message : error);
  process.exitCode = 1;
} finally {
  await runtime.close();
}
