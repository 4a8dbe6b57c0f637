import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// scripts/audit.mjs (npm run audit) over saved `npm audit --json` answers, as the registry would give them.
const SCRIPT = fileURLToPath(new URL('../scripts/audit.mjs', import.meta.url));
const directory = mkdtempSync(join(tmpdir(), 'pulse-audit-'));

function audit(report: unknown) {
  const file = join(directory, `${Math.random().toString(36).slice(2)}.json`);
  writeFileSync(file, JSON.stringify(report));
  const result = spawnSync(process.execPath, [SCRIPT, '--report', file], { encoding: 'utf8' });
  return { status: result.status, output: result.stdout + result.stderr };
}

const finding = (name: string, severity: string, via: unknown[] = [{ title: `${name} is broken`, url: `https://github.com/advisories/${name}` }]) => ({
  name,
  severity,
  via,
  range: '<2.0.0',
  fixAvailable: true,
});
const report = (...findings: Array<ReturnType<typeof finding>>) => ({
  auditReportVersion: 2,
  vulnerabilities: Object.fromEntries(findings.map((entry) => [entry.name, entry])),
  metadata: {
    vulnerabilities: {
      low: findings.filter((entry) => entry.severity === 'low').length,
      moderate: findings.filter((entry) => entry.severity === 'moderate').length,
    },
  },
});

describe('npm run audit', () => {
  it('fails on high or critical findings, naming each package and its advisory', () => {
    const { status, output } = audit(report(finding('left-pad', 'critical'), finding('lodash', 'high', ['left-pad']), finding('chalk', 'moderate')));
    expect(status).toBe(1);
    expect(output).toContain('2 package(s) with high or critical findings');
    expect(output).toMatch(/left-pad \[critical\] <2.0.0: left-pad is broken \(https:\/\/github.com\/advisories\/left-pad\)/);
    expect(output).toMatch(/lodash \[high\] <2.0.0: through left-pad/);
    expect(output).not.toMatch(/chalk \[/);
  });

  it('passes with low or moderate findings only, or none', () => {
    expect(audit(report(finding('chalk', 'moderate'), finding('debug', 'low')))).toEqual({
      status: 0,
      output: 'npm audit: no high or critical findings; 2 low or moderate (1 low, 1 moderate)\n',
    });
    expect(audit(report()).output).toBe('npm audit: no high or critical findings; none at all\n');
  });

  it('passes with one line saying why when the registry has no audit endpoint', () => {
    const { status, output } = audit({
      message: '405 Method Not Allowed - POST https://registry.example/-/npm/v1/security/advisories/bulk',
      statusCode: 405,
      error: { summary: '', detail: '' },
    });
    expect(status).toBe(0);
    expect(output).toBe(
      'npm audit could not run, so nothing was checked: 405 Method Not Allowed - POST https://registry.example/-/npm/v1/security/advisories/bulk\n',
    );
  });
});
