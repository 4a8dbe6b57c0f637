import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../backend/src/config.ts';

// The layers of docs/ARCHITECTURE.md, as `npm run lint` holds them: a file that crosses one fails the lint.
const eslint = new ESLint({ cwd: REPO_ROOT });

async function restrictedImports(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return result!.messages.filter((message) => message.ruleId === 'no-restricted-imports').map((message) => message.message);
}

describe('import boundaries', () => {
  it('fails a service that imports Prisma, SQL, Express or tRPC', async () => {
    const file = 'backend/src/services/example-service.ts';
    expect(await restrictedImports(file, "import type { Plan } from '../generated/prisma/client.ts';\nexport type P = Plan;\n")).toEqual([
      expect.stringContaining('only repositories and infra/db know Prisma'),
    ]);
    expect(await restrictedImports(file, "import type pg from 'pg';\nexport type P = pg.Pool;\n")).toEqual([expect.stringContaining('touch SQL')]);
    expect(await restrictedImports(file, "import type { Request } from 'express';\nexport type R = Request;\n")).toEqual([
      expect.stringContaining('nothing of HTTP or tRPC'),
    ]);
    expect(await restrictedImports(file, "import { TRPCError } from '@trpc/server';\nexport const e = TRPCError;\n")).toEqual([
      expect.stringContaining('nothing of HTTP or tRPC'),
    ]);
  });

  it('fails a repository that calls a service, and a router that skips the services or handles HTTP', async () => {
    expect(
      await restrictedImports('backend/src/repositories/example-repository.ts', "import { x } from '../services/analytics-service.ts';\nexport const y = x;\n"),
    ).toHaveLength(1);
    expect(
      await restrictedImports('backend/src/routers/example/get.ts', "import { x } from '../../repositories/event-repository.ts';\nexport const y = x;\n"),
    ).toHaveLength(1);
    expect(
      await restrictedImports('backend/src/routers/example/get.ts', "import { x } from '../../http/session-cookie.ts';\nexport const y = x;\n"),
    ).toHaveLength(1);
  });

  it('fails a dashboard file or a client file (but caller-router.ts) that reaches into the backend', async () => {
    const backendImport = "import type { AppRouter } from '@pulse/backend/trpc/app-router';\nexport type R = AppRouter;\n";
    expect(await restrictedImports('web/src/lib/example.ts', backendImport)).toEqual([expect.stringContaining('from @pulse/client')]);
    expect(await restrictedImports('client/src/example.ts', backendImport)).toEqual([
      expect.stringContaining("only caller-router.ts reads the server's router"),
    ]);
    expect(await restrictedImports('client/src/caller-router.ts', backendImport)).toEqual([]);
    expect(await restrictedImports('web/src/lib/example.ts', "import type { PulseRouter } from '@pulse/client';\nexport type R = PulseRouter;\n")).toEqual([]);
  });

  it('lets each layer use the one below it and shared types', async () => {
    expect(
      await restrictedImports(
        'backend/src/services/example-service.ts',
        "import type { EventRow } from '../repositories/event-repository.ts';\nimport type { TPlan } from '@pulse/shared/plans';\nexport type R = [EventRow, TPlan];\n",
      ),
    ).toEqual([]);
    expect(
      await restrictedImports(
        'backend/src/routers/example/get.ts',
        "import { publicProcedure } from '../../trpc/trpc.ts';\nexport const p = publicProcedure;\n",
      ),
    ).toEqual([]);
  });
});
