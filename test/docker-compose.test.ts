import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { INGEST_LIMITS } from '@pulse/shared/ingest';
import { dockerStages } from './dockerfile.ts';

// No Docker engine runs on the build machines, so the compose file, the Dockerfile and the proxy's
// configuration are checked by reading them.

interface Service {
  image?: string;
  build?: { context: string; target: string };
  command?: string[];
  environment?: Record<string, string>;
  ports?: string[];
  volumes?: string[];
  healthcheck?: { test: string[] };
  depends_on?: Record<string, { condition: string }>;
  restart?: string;
}

const read = (path: string) => readFileSync(new URL(`../${path}`, import.meta.url), 'utf8');

// `merge`: the replicas may share their definition through `<<: *anchor` as well as a plain alias.
const compose = parse(read('docker-compose.yml'), { merge: true }) as { services: Record<string, Service>; volumes: Record<string, unknown> };
const { postgres, redis, proxy } = compose.services;
const replicaNames = Object.keys(compose.services).filter((name) => compose.services[name]!.build?.target === 'backend');
const replicas = replicaNames.map((name) => compose.services[name]!);
const backendPort = replicas[0]?.environment?.PORT;

const stages = dockerStages(read('Dockerfile'));
const nginx = read('deploy/nginx.conf').replace(/#.*$/gm, '');

/** The body of each `location` block by its match ("/trpc/", "= /metrics"). */
const locations = new Map([...nginx.matchAll(/location\s+((?:=\s*)?\S+)\s*\{([^}]*)\}/g)].map((match) => [match[1]!.replace(/\s+/, ' '), match[2]!]));
const directive = (block: string, name: string) => new RegExp(`^\\s*${name}\\s+([^;]+);`, 'm').exec(block)?.[1];

function upstreamServers(name: string): string[] {
  const body = new RegExp(`upstream\\s+${name}\\s*\\{([^}]*)\\}`).exec(nginx)?.[1] ?? '';
  return [...body.matchAll(/^\s*server\s+([^\s;]+)/gm)].map((match) => match[1]!);
}

/** nginx durations ("90s", "1h") in seconds; a bare number is seconds. */
function seconds(duration: string): number {
  const match = /^(\d+)(ms|s|m|h|d)?$/.exec(duration);
  if (!match) throw new Error(`not an nginx duration: ${duration}`);
  const unitSeconds = { ms: 0.001, s: 1, m: 60, h: 3_600, d: 86_400 }[match[2] ?? 's']!;
  return Number(match[1]) * unitSeconds;
}

/** nginx sizes ("512k", "1m") in bytes. */
function bytes(size: string): number {
  const match = /^(\d+)([kKmMgG])?$/.exec(size);
  if (!match) throw new Error(`not an nginx size: ${size}`);
  return Number(match[1]) * 1024 ** ' kmg'.indexOf((match[2] ?? ' ').toLowerCase());
}

describe('docker-compose.yml', () => {
  it('runs PostgreSQL 16 on a named volume, with a health check', () => {
    expect(postgres?.image).toBe('postgres:16');
    expect(postgres?.volumes).toContain('postgres-data:/var/lib/postgresql/data');
    expect(postgres?.healthcheck?.test.join(' ')).toMatch(/pg_isready/);
  });

  it('runs Redis 7 with the append-only file on a named volume, with a health check', () => {
    expect(redis?.image).toBe('redis:7');
    expect(redis?.command).toEqual(expect.arrayContaining(['--appendonly', 'yes']));
    expect(redis?.volumes).toContain('redis-data:/data');
    expect(redis?.healthcheck?.test).toContain('ping');
  });

  it('runs two or more identical backend replicas, started once PostgreSQL and Redis are healthy and pointed at them', () => {
    expect(replicas.length).toBeGreaterThanOrEqual(2);
    for (const replica of replicas) expect(replica).toEqual(replicas[0]);

    const environment = replicas[0]!.environment ?? {};
    const database = new URL(environment.DATABASE_URL ?? '');
    expect(database.hostname).toBe('postgres');
    expect([database.username, database.password, database.pathname]).toEqual([
      postgres?.environment?.POSTGRES_USER,
      postgres?.environment?.POSTGRES_PASSWORD,
      `/${postgres?.environment?.POSTGRES_DB}`,
    ]);
    expect(new URL(environment.REDIS_URL ?? '').hostname).toBe('redis');
    expect(environment.REDIS_KEY_PREFIX).toBeTruthy();
    expect(replicas[0]!.depends_on).toEqual({ postgres: { condition: 'service_healthy' }, redis: { condition: 'service_healthy' } });
  });

  it('tells each replica how many share the rate limits and that one proxy stands in front', () => {
    expect(replicas[0]!.environment?.RATE_LIMIT_INSTANCES).toBe(String(replicas.length));
    expect(replicas[0]!.environment?.TRUST_PROXY).toBe('1');
  });

  it('counts a replica healthy only once it is ready to serve', () => {
    expect(replicas[0]!.healthcheck?.test.join(' ')).toContain(`:${backendPort}/health/ready`);
  });

  it('starts the proxy once every replica is healthy', () => {
    expect(proxy?.depends_on).toEqual(Object.fromEntries(replicaNames.map((name) => [name, { condition: 'service_healthy' }])));
  });

  it('publishes only the proxy beyond this machine; the databases at most on loopback, for `npm test`', () => {
    const publishing = Object.entries(compose.services)
      .filter(([, service]) => (service.ports ?? []).some((port) => !port.startsWith('127.0.0.1:')))
      .map(([name]) => name);
    expect(publishing).toEqual(['proxy']);
    expect(proxy?.ports).toEqual(['8080:80']);
  });

  it('health-checks every service and restarts it after a crash', () => {
    for (const service of Object.values(compose.services)) {
      expect(service.healthcheck?.test.length).toBeGreaterThan(0);
      expect(service.restart).toBe('unless-stopped');
    }
  });

  it('declares every named volume a service mounts', () => {
    const mounted = Object.values(compose.services)
      .flatMap((service) => service.volumes ?? [])
      .map((volume) => volume.split(':')[0]!)
      .filter((source) => !/^[./~]/.test(source));
    expect(Object.keys(compose.volumes)).toEqual(expect.arrayContaining(mounted));
  });

  it('builds every target it names from a stage of the Dockerfile', () => {
    const targets = Object.values(compose.services).flatMap((service) => (service.build ? [service.build.target] : []));
    expect(targets).toEqual(expect.arrayContaining(['backend', 'proxy']));
    for (const target of targets) expect([...stages.keys()]).toContain(target);
  });
});

describe('Dockerfile', () => {
  it('builds once; the backend image holds production dependencies and compiled JavaScript, with node as PID 1', () => {
    expect(stages.get('build')?.instructions).toContain('RUN npm run build');
    const backend = stages.get('backend');
    // A fresh image, not the build stage with every devDependency in it (production-image.int.test.ts runs it).
    expect(backend?.from).toMatch(/^node:/);
    expect(backend?.instructions).toEqual(
      expect.arrayContaining([expect.stringMatching(/^RUN npm ci --omit=dev\b/), expect.stringMatching(/^COPY --from=build \/app\/dist\//)]),
    );
    // The process that receives the container's SIGTERM is the server, not npm, and it runs no TypeScript.
    expect(backend?.instructions.find((line) => line.startsWith('CMD'))).toMatch(/^CMD \["node", .*"backend\/src\/main\.js"\]$/);
    expect(stages.get('proxy')?.from).toMatch(/^nginx:/);
    expect(stages.get('proxy')?.instructions).toEqual(
      expect.arrayContaining([`COPY --from=build /app/web/dist ${directive(nginx, 'root')}`, 'COPY deploy/nginx.conf /etc/nginx/nginx.conf']),
    );
  });

  it("copies every workspace's package.json before npm ci, in each stage that installs", () => {
    const workspaces = (JSON.parse(read('package.json')) as { workspaces: string[] }).workspaces;
    for (const name of ['build', 'backend']) {
      const instructions = stages.get(name)!.instructions;
      const install = instructions.findIndex((line) => line.startsWith('RUN npm ci'));
      for (const workspace of workspaces)
        expect(instructions.slice(0, install), `${name}: ${workspace}`).toContain(`COPY ${workspace}/package.json ${workspace}/`);
    }
  });
});

describe('deploy/nginx.conf', () => {
  it("sends the API, the browser SDKs' paths, the tracker, health checks and metrics to exactly the backend replicas of the compose file", () => {
    expect(upstreamServers('backends').sort()).toEqual(replicaNames.map((name) => `${name}:${backendPort}`).sort());
    for (const path of ['/trpc/', '/v1/', '/beacon/', '/sourceConfig', '= /pulse.js', '/health/', '= /metrics']) {
      expect(directive(locations.get(path) ?? '', 'proxy_pass'), path).toBe('http://backends');
    }
  });

  it('passes live streams (Server-Sent Events) through unbuffered and keeps them open far past the 10 s pings', () => {
    const trpc = locations.get('/trpc/') ?? '';
    expect(directive(trpc, 'proxy_buffering')).toBe('off');
    expect(seconds(directive(trpc, 'proxy_read_timeout') ?? '0')).toBeGreaterThanOrEqual(300);
  });

  it('tells the backends the client address the proxy saw', () => {
    expect(directive(nginx, 'proxy_set_header X-Forwarded-For')).toBe('$proxy_add_x_forwarded_for');
  });

  it('lets ingestion bodies up to the backend limit through, so larger ones get the backend error', () => {
    expect(bytes(directive(nginx, 'client_max_body_size') ?? '0')).toBeGreaterThan(INGEST_LIMITS.maxRequestBytes);
  });

  it('serves the dashboard from the web build, with index.html for any other path', () => {
    expect(directive(nginx, 'root')).toBe('/usr/share/nginx/html');
    expect(directive(locations.get('/') ?? '', 'try_files')).toMatch(/ \/index\.html$/);
  });

  it('answers the proxy health check itself, without the backends', () => {
    const path = new URL(proxy?.healthcheck?.test.at(-1) ?? '').pathname;
    expect(directive(locations.get(`= ${path}`) ?? '', 'return')).toMatch(/^200\b/);
  });
});
