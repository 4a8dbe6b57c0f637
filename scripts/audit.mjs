// `npm audit` that fails on high or critical findings only, and says so plainly when it cannot run.
// Some registries (mirrors, proxies) do not answer npm's audit endpoint: the audit is skipped with one line
// saying why, rather than failing a build that has nothing wrong with it. Wherever the endpoint answers, it
// enforces. `--report <file>` reads a saved `npm audit --json` answer instead of asking the registry.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

const BLOCKING = new Set(['high', 'critical']);

function runAudit() {
  const reportFlag = process.argv.indexOf('--report');
  if (reportFlag >= 0) return { stdout: readFileSync(process.argv[reportFlag + 1], 'utf8'), stderr: '' };
  const result = spawnSync('npm', ['audit', '--audit-level=high', '--json'], {
    encoding: 'utf8',
    shell: process.platform === 'win32',
    maxBuffer: 64 * 1024 * 1024,
  });
  if (result.error) return { stdout: '', stderr: result.error.message };
  return { stdout: result.stdout, stderr: result.stderr };
}

/** Why no report came back: npm's own error line, else its JSON error, else whatever it printed. */
function reasonOf(answer, stderr) {
  const npmError = stderr.split('\n').find((line) => line.startsWith('npm error') && !line.includes('complete log'));
  const detail = [answer?.message, answer?.error?.summary, npmError?.replace(/^npm error\s*/, '')].filter(Boolean);
  return detail.length > 0 ? [...new Set(detail)].join('; ') : stderr.trim().split('\n').at(-1) || 'npm printed no report';
}

const { stdout, stderr } = runAudit();
let answer;
try {
  answer = JSON.parse(stdout);
} catch {
  answer = null;
}

if (!answer || typeof answer.vulnerabilities !== 'object' || answer.vulnerabilities === null) {
  console.log(`npm audit could not run, so nothing was checked: ${reasonOf(answer, stderr)}`);
  process.exit(0);
}

const findings = Object.values(answer.vulnerabilities);
const blocking = findings.filter((finding) => BLOCKING.has(finding.severity));
const counts = answer.metadata?.vulnerabilities ?? {};
if (blocking.length === 0) {
  const minor =
    findings.length === 0
      ? 'none at all'
      : `${findings.length} low or moderate (${['low', 'moderate'].map((level) => `${counts[level] ?? 0} ${level}`).join(', ')})`;
  console.log(`npm audit: no high or critical findings; ${minor}`);
  process.exit(0);
}

console.error(`npm audit: ${blocking.length} package(s) with high or critical findings:`);
for (const finding of blocking.sort((a, b) => a.name.localeCompare(b.name))) {
  const advisories = finding.via.filter((via) => typeof via === 'object').map((via) => `${via.title} (${via.url})`);
  const through = finding.via.filter((via) => typeof via === 'string');
  const why = advisories.length > 0 ? advisories.join('; ') : `through ${through.join(', ')}`;
  const fix = finding.fixAvailable === false ? 'no fix available' : 'fix available (npm audit fix)';
  console.error(`  ${finding.name} [${finding.severity}] ${finding.range}: ${why}; ${fix}`);
}
process.exit(1);
