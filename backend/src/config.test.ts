import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.ts';

describe('loadConfig', () => {
  it('has sane defaults for an empty environment (embedded mode on port 3001)', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({ PORT: 3001, HOST: '127.0.0.1', DATA_DIR: '.data', MAX_BATCH_EVENTS: 1_000 });
    expect(config.DATABASE_URL).toBeUndefined();
    expect(config.REDIS_URL).toBeUndefined();
  });

  it('reads and converts the values it is given', () => {
    const config = loadConfig({ PORT: '8080', DEMO_MODE: 'false', REDIS_URL: 'redis://cache:6379' });
    expect(config).toMatchObject({ PORT: 8080, DEMO_MODE: false, REDIS_URL: 'redis://cache:6379' });
  });

  it('fails with one line per bad value, naming the variable and its value', () => {
    const error = (() => {
      try {
        loadConfig({ PORT: 'eighty', DATABASE_URL: 'mysql://db/x', DEMO_MODE: 'maybe' });
      } catch (caught) {
        return caught;
      }
    })();
    expect(error).toBeInstanceOf(ConfigError);
    const lines = (error as Error).message.split('\n').slice(1);
    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatch(/^ {2}PORT="eighty": /);
    expect(lines.some((line) => line.startsWith('  DATABASE_URL="mysql://db/x": '))).toBe(true);
    expect(lines.some((line) => line.startsWith('  DEMO_MODE="maybe": '))).toBe(true);
  });

  it('takes Redis Cluster seed nodes instead of one Redis URL, never both', () => {
    expect(loadConfig({ REDIS_CLUSTER_NODES: '10.0.0.1:7000,10.0.0.2:7000' }).REDIS_CLUSTER_NODES).toBe('10.0.0.1:7000,10.0.0.2:7000');
    expect(() => loadConfig({ REDIS_CLUSTER_NODES: 'redis://10.0.0.1' })).toThrow(/REDIS_CLUSTER_NODES="redis:\/\/10.0.0.1": expected seed nodes as host:port/);
    expect(() => loadConfig({ REDIS_URL: 'redis://cache:6379', REDIS_CLUSTER_NODES: 'cache:7000' })).toThrow(/not both/);
  });

  it('changes single cells of the rate-limit table and refuses unknown plans or classes', () => {
    const { RATE_LIMITS } = loadConfig({ RATE_LIMITS: '{"pro":{"read":2000},"free":{"ingest":5}}' });
    expect(RATE_LIMITS.pro).toEqual({ ingest: 600_000, read: 2_000, admin: 600 });
    expect(RATE_LIMITS.free.ingest).toBe(5);
    expect(loadConfig({}).RATE_LIMITS.enterprise.read).toBe(10_000);
    expect(() => loadConfig({ RATE_LIMITS: '{"gold":{"read":1}}' })).toThrow(/RATE_LIMITS=.*gold/);
    expect(() => loadConfig({ RATE_LIMITS: '{"pro":{"reads":1}}' })).toThrow(/RATE_LIMITS=.*reads/);
    expect(() => loadConfig({ RATE_LIMITS: 'pro.read=1' })).toThrow(/RATE_LIMITS="pro.read=1": expected JSON/);
  });

  it('changes the monthly event quotas of single plans, null for none, and counts calendar months unless given a period', () => {
    expect(loadConfig({}).EVENT_QUOTAS).toEqual({ free: 100_000, pro: 10_000_000, enterprise: null });
    expect(loadConfig({ EVENT_QUOTAS: '{"pro":300,"free":null}' }).EVENT_QUOTAS).toEqual({ free: null, pro: 300, enterprise: null });
    expect(() => loadConfig({ EVENT_QUOTAS: '{"gold":1}' })).toThrow(/EVENT_QUOTAS=.*gold/);
    expect(() => loadConfig({ EVENT_QUOTAS: 'free=1' })).toThrow(/EVENT_QUOTAS="free=1": expected JSON, like \{"free":300\}/);
    expect(loadConfig({}).QUOTA_PERIOD_SECONDS).toBeUndefined();
    expect(loadConfig({ QUOTA_PERIOD_SECONDS: '5' }).QUOTA_PERIOD_SECONDS).toBe(5);
    expect(() => loadConfig({ QUOTA_PERIOD_SECONDS: '0' })).toThrow(/QUOTA_PERIOD_SECONDS="0"/);
  });

  it('trusts no proxy unless told which', () => {
    expect(loadConfig({}).TRUST_PROXY).toBe(false);
    expect(loadConfig({ TRUST_PROXY: '1' }).TRUST_PROXY).toBe(1);
    expect(loadConfig({ TRUST_PROXY: 'loopback, 10.0.0.0/8' }).TRUST_PROXY).toBe('loopback, 10.0.0.0/8');
  });

  it('allows no other origin unless listed, and lists only exact origins', () => {
    expect(loadConfig({}).CORS_ORIGINS).toEqual([]);
    expect(loadConfig({ CORS_ORIGINS: 'https://app.example.com, http://localhost:5173' }).CORS_ORIGINS).toEqual([
      'https://app.example.com',
      'http://localhost:5173',
    ]);
    expect(() => loadConfig({ CORS_ORIGINS: 'https://app.example.com/dashboard' })).toThrow(
      /CORS_ORIGINS=.*"https:\/\/app.example.com\/dashboard" is not an exact origin/,
    );
    expect(() => loadConfig({ CORS_ORIGINS: '*' })).toThrow(/"\*" is not an exact origin/);
  });

  it('answers or closes slow requests after 30 s, slow headers after 10 s', () => {
    expect(loadConfig({})).toMatchObject({ REQUEST_TIMEOUT_MS: 30_000, HEADERS_TIMEOUT_MS: 10_000 });
    expect(() => loadConfig({ REQUEST_TIMEOUT_MS: '5' })).toThrow(/REQUEST_TIMEOUT_MS="5"/);
  });
});
