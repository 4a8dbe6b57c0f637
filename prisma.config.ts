import { defineConfig } from 'prisma/config';

// Prisma CLI settings. The app itself connects through @prisma/adapter-pg (backend/src/infra/db).
export default defineConfig({
  schema: 'prisma/schema.prisma',
  migrations: { path: 'prisma/migrations' },
  datasource: { url: process.env.DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/pulse' },
});
