// `npm run bench:alerts`: the anomaly detector of alert rules against the alternatives measured for it, over
// seeded hourly series (three volumes, weekly and daily seasonality, noise beyond Poisson, half of them growing)
// with injected spikes, drops and flat-lines: detection rate, false alarms per week, time to detect. Picks the
// method with the best detection rate within the false-alarm budget and writes docs/BENCHMARKS.md. CPU only, no
// services; BENCH_ALERT_SEEDS series per volume (default 4), BENCH_ALERT_WEEKS judged weeks each (default 52).
import { cpus, totalmem } from 'node:os';
import { DEFAULT_ANOMALY_OPTIONS, detectAnomaly, type AnomalyOptions } from '@pulse/backend/services/alerts/anomaly/anomaly-detector';
import { detectRollingZScore, detectSeasonalLinear, detectSeasonalPoisson } from '@pulse/backend/services/alerts/anomaly/alternative-detectors';
import {
  scoreSeries,
  summarizeScores,
  type DetectionSummary,
  type Detector,
  type IncidentKind,
  type SeriesScore,
} from '@pulse/backend/services/alerts/anomaly/evaluation';
import { BENCH_VOLUMES, WARMUP_WEEKS, benchmarkSeries } from './lib/alert-series.ts';
import { markdownTable, writeBenchmarkSection } from './lib/benchmarks-doc.ts';

const SEEDS = Number(process.env.BENCH_ALERT_SEEDS ?? 4);
const WEEKS = Number(process.env.BENCH_ALERT_WEEKS ?? 52);
/**
 * At most one false alarm per rule every 20 weeks (a tenant with 20 anomaly rules gets about one a week), at every
 * volume: an average over volumes would hide a detector that pesters small sites.
 */
const FALSE_ALARM_BUDGET = 0.05;
const KINDS: IncidentKind[] = ['spike', 'drop', 'flat-line'];

interface Method {
  name: string;
  detector: Detector;
}

const product = (changes: Partial<AnomalyOptions>): Detector => {
  const options = { ...DEFAULT_ANOMALY_OPTIONS, ...changes };
  return (window, history) => detectAnomaly(window, history, options);
};
const { weeks, minWeeks, z, minVolume, relativeSpread } = DEFAULT_ANOMALY_OPTIONS;
const SHIPPED = 'seasonal √, shipped defaults';
const METHODS: Method[] = [
  { name: SHIPPED, detector: product({}) },
  { name: 'seasonal √, z = 4', detector: product({ z: 4 }) },
  { name: 'seasonal √, z = 5', detector: product({ z: 5 }) },
  { name: 'seasonal √, K = 4 weeks', detector: product({ weeks: 4 }) },
  { name: 'seasonal √, K = 6 weeks', detector: product({ weeks: 6 }) },
  { name: 'seasonal √, window alone (no trailing sum)', detector: product({ trailingWindows: 1 }) },
  { name: 'seasonal √, trailing sum of 3 windows', detector: product({ trailingWindows: 3 }) },
  { name: 'seasonal √, no flat-line rule', detector: product({ flatLineProbability: 0 }) },
  { name: 'seasonal √, relative floor 5 %', detector: product({ relativeSpread: 0.05 }) },
  ...[4, 4.5, 5].map((linearZ) => ({
    name: `seasonal linear (median ± z·max(1.4826·MAD, √median)), z = ${linearZ}`,
    detector: ((window, history) => detectSeasonalLinear(window, history, { weeks, minWeeks, z: linearZ, minVolume, relativeSpread })) satisfies Detector,
  })),
  {
    name: `seasonal Poisson (counting noise only), z = ${z}`,
    detector: (window, history) => detectSeasonalPoisson(window, history, { weeks, minWeeks, z, minVolume }),
  },
  ...[3, 4].map((rollingZ) => ({
    name: `rolling z-score, last 24 windows, z = ${rollingZ}`,
    detector: ((window, history) => detectRollingZScore(window, history, { windows: 24, z: rollingZ, minVolume })) satisfies Detector,
  })),
];

const percent = (share: number) => `${(share * 100).toFixed(1)} %`;
const hours = (windows: number | null) => (windows === null ? '–' : `${windows} h`);
const onlyKind = (scores: readonly SeriesScore[], kind: IncidentKind) =>
  scores.map((score) => ({ ...score, outcomes: score.outcomes.filter((outcome) => outcome.incident.kind === kind) }));

const started = performance.now();
const suite = benchmarkSeries(SEEDS, WEEKS);
const ofVolume = (scores: readonly SeriesScore[], volume: number) => scores.filter((_, index) => suite[index]!.volume === volume);
const results = METHODS.map((method) => {
  const scores = suite.map(({ series }) => scoreSeries(series, method.detector));
  const worstFalseAlarms = Math.max(...BENCH_VOLUMES.map((volume) => summarizeScores(ofVolume(scores, volume)).falseAlarmsPerWeek));
  return { method, scores, summary: summarizeScores(scores), worstFalseAlarms };
});
const seconds = (performance.now() - started) / 1_000;

const better = (a: DetectionSummary, b: DetectionSummary) =>
  b.detectionRate - a.detectionRate || a.falseAlarmsPerWeek - b.falseAlarmsPerWeek || (a.p90WindowsToDetect ?? Infinity) - (b.p90WindowsToDetect ?? Infinity);
const winner = results.filter((result) => result.worstFalseAlarms <= FALSE_ALARM_BUDGET).sort((a, b) => better(a.summary, b.summary))[0];

const { summary: first } = results[0]!;
const methodTable = markdownTable(
  ['method', 'detected', 'false alarms / week (count)', 'at the worst volume', 'time to detect p50 / p90', 'windows judged insufficient'],
  results.map(({ method, summary, worstFalseAlarms }) => [
    method === winner?.method ? `**${method.name}**` : method.name,
    `${percent(summary.detectionRate)} (${summary.detected} of ${summary.incidents})`,
    `${summary.falseAlarmsPerWeek.toFixed(3)} (${summary.falseAlarms})`,
    worstFalseAlarms.toFixed(3),
    `${hours(summary.medianWindowsToDetect)} / ${hours(summary.p90WindowsToDetect)}`,
    percent(summary.insufficientShare),
  ]),
);
const chosen = winner ?? results[0]!;
const volumeTable = markdownTable(
  ['mean events / hour', ...KINDS.map((kind) => `${kind}s detected`), 'all detected', 'false alarms / week', 'time to detect p50 / p90', 'insufficient'],
  BENCH_VOLUMES.map((volume) => {
    const scores = ofVolume(chosen.scores, volume);
    const summary = summarizeScores(scores);
    const byKind = KINDS.map((kind) => {
      const kindSummary = summarizeScores(onlyKind(scores, kind));
      return `${percent(kindSummary.detectionRate)} (${kindSummary.detected}/${kindSummary.incidents})`;
    });
    return [
      volume.toLocaleString('en-US'),
      ...byKind,
      percent(summary.detectionRate),
      summary.falseAlarmsPerWeek.toFixed(3),
      `${hours(summary.medianWindowsToDetect)} / ${hours(summary.p90WindowsToDetect)}`,
      percent(summary.insufficientShare),
    ];
  }),
);
const verdict = !winner
  ? `**No method stayed within the budget**; the figures by volume are those of ${SHIPPED}.`
  : winner.method.name === SHIPPED
    ? `The shipped detector (\`detectAnomaly\` with \`DEFAULT_ANOMALY_OPTIONS\`) has the best detection rate within the budget.`
    : `**${winner.method.name}** beats the shipped defaults within the budget: the defaults should change.`;
const cpu = cpus()[0]?.model.trim() ?? 'unknown CPU';
const machine = `${cpus().length} × ${cpu}, ${Math.round(totalmem() / 2 ** 30)} GiB RAM, Node.js ${process.versions.node}`;
const section = `## Anomaly detection for alert rules — \`npm run bench:alerts\`

Run ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC on ${machine} (${seconds.toFixed(1)} s for every method).
${suite.length} seeded hourly series (${SEEDS} per volume; every other one growing 1 % a week): daily and weekly seasonality
(quiet nights, weekends at 55 %), Poisson noise plus 6 % day-to-day and 4 % hour-to-hour variation, ${WARMUP_WEEKS} weeks of warm-up, then
${WEEKS} judged weeks with an incident every 1–3 days: spikes (×2–×5 for 1–3 h), drops (−50 to −90 % for 2–6 h), flat-lines
(0 or the last count, for 3–8 h). ${first.incidents.toLocaleString('en-US')} incidents over ${Math.round(first.weeks).toLocaleString('en-US')} series-weeks.
Every hour is judged as an anomaly rule with one pending window and no cooldown would judge it. An incident counts
as detected with an alarm inside it or in the hour after; false alarms are runs of alarmed hours outside incidents,
per week of one series (one rule).

${methodTable}

Seasonal √ is \`detectAnomaly\` (\`backend/src/services/alerts/anomaly/anomaly-detector.ts\`) with its defaults: the median
of the same hour over the past K = ${weeks} weeks on the square-root scale, spread max(1.4826·MAD, counting noise,
${relativeSpread * 100} % of the baseline), band ±${z}, the window judged alone and in a sum of the last ${DEFAULT_ANOMALY_OPTIONS.trailingWindows} windows, a rule for
flat-lines, no verdict under ${minVolume} events; each row below it changes one of these. The other methods are in
\`alternative-detectors.ts\` next to it. \`evaluation.test.ts\` runs the same harness on a smaller seeded set in CI.

Budget: at most ${FALSE_ALARM_BUDGET} false alarms a week per rule at every volume; within it, the best detection rate wins.
${verdict}

${chosen.method.name}, by volume:

${volumeTable}`;
// The section is printed whole, so every figure in docs/BENCHMARKS.md is one this run printed.
console.log(section);
const doc = await writeBenchmarkSection('bench:alerts', section);
console.log(`wrote ${doc}`);
