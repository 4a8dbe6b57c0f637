import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';

// No Docker engine runs on the build machines, so the compose file is checked by reading it.
const compose = parse(readFileSync(new URL('../docker-compose.yml', import.meta.url), 'utf8')) as {
  services: Record<string, { image?: string; build?: unknown; command?: string[]; environment?: Record<string, string>; volumes?: string[]; healthcheck?: { test: string[] }; depends_on?: Record<string, { condition: string }>; restart?: string }>;
  volumes: Record<string, unknown>;
};

describe('docker-compose.yml', () => {
  const { postgres, redis, backend } = compose.services;

  it('runs PostgreSQL 16 on a named volume, with a health check', () => {
    expect(postgres?.image).toBe('postgres:16');
    expect(postgres?.volumes).toContain('postgres-data:/var/lib/postgresql/data');
    expect(postgres?.healthcheck?.test.join(' ')).toMatch(/pg_isready/);
    expect(compose.volumes).toHaveProperty('postgres-data');
  });

  it('runs Redis 7 with the append-only file on a named volume', () => {
    expect(redis?.image).toBe('redis:7');
    expect(redis?.command).toEqual(expect.arrayContaining(['--appendonly', 'yes']));
    expect(redis?.volumes).toContain('redis-data:/data');
    expect(redis?.healthcheck?.test).toContain('ping');
  });

  it('starts the backend once both are healthy, pointed at them', () => {
    expect(backend?.build).toBeDefined();
    expect(backend?.environment?.DATABASE_URL).toMatch(/^postgresql:\/\/.*@postgres:5432\//);
    expect(backend?.environment?.REDIS_URL).toBe('redis://redis:6379');
    expect(backend?.depends_on).toEqual({
      postgres: { condition: 'service_healthy' },
      redis: { condition: 'service_healthy' },
    });
    expect(backend?.healthcheck?.test.join(' ')).toMatch(/health\/ready/);
  });

  it('restarts every service after a crash', () => {
    for (const service of Object.values(compose.services)) expect(service.restart).toBe('unless-stopped');
  });
});
