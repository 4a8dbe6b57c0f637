// Scores an anomaly detector on a series whose incidents are known: which incidents it caught, how soon, and how
// often it alarmed outside them. Shared by `npm run bench:alerts` and the unit test that holds its figures.
import { percentile } from '../../../infra/load/percentile.ts';
import { WEEK_MS, type AnomalyVerdict, type JudgedWindow, type SeriesHistory } from './anomaly-detector.ts';

export type IncidentKind = 'spike' | 'drop' | 'flat-line';

/** Windows [start, end) of a series (indexes) that were tampered with. */
export interface Incident {
  kind: IncidentKind;
  start: number;
  end: number;
}

/** Counts of consecutive windows, the first ending at `start + windowMs`, with its incidents as ground truth. */
export interface LabelledSeries {
  name: string;
  start: Date;
  windowMs: number;
  values: readonly number[];
  incidents: readonly Incident[];
  /** Windows before this index are history only (the warm-up): they are neither judged nor scored. */
  evaluateFrom: number;
}

export type Detector = (window: JudgedWindow, history: SeriesHistory) => Pick<AnomalyVerdict, 'verdict'>;

export interface ScoreOptions {
  /** An alarm this many windows after an incident's last window still counts as catching it. */
  lateWindows: number;
}

export interface IncidentOutcome {
  incident: Incident;
  /** Windows from the incident's first window to the first alarm (0: alarmed in its first window); null: missed. */
  windowsToDetect: number | null;
}

export interface SeriesScore {
  outcomes: IncidentOutcome[];
  /** Runs of consecutive alarmed windows outside every incident. */
  falseAlarms: number;
  weeks: number;
  judgedWindows: number;
  insufficientWindows: number;
}

export interface DetectionSummary {
  incidents: number;
  detected: number;
  detectionRate: number;
  falseAlarms: number;
  weeks: number;
  falseAlarmsPerWeek: number;
  /** In windows; null when nothing was detected. */
  medianWindowsToDetect: number | null;
  p90WindowsToDetect: number | null;
  insufficientShare: number;
}

const windowEnd = (series: LabelledSeries, index: number) => new Date(series.start.getTime() + (index + 1) * series.windowMs);

/** The series as the detector sees it when judging window `current`: nothing later than that window. */
function historyUpTo(series: LabelledSeries, current: number): SeriesHistory {
  return {
    valueAt(end) {
      const index = (end.getTime() - series.start.getTime()) / series.windowMs - 1;
      return Number.isInteger(index) && index >= 0 && index <= current ? series.values[index]! : null;
    },
  };
}

/** Runs `detector` over every judged window of `series` and scores its alarms ('high' or 'low') against the incidents. */
export function scoreSeries(series: LabelledSeries, detector: Detector, options: ScoreOptions = { lateWindows: 1 }): SeriesScore {
  const alarmed: boolean[] = [];
  let insufficientWindows = 0;
  for (let index = series.evaluateFrom; index < series.values.length; index += 1) {
    const { verdict } = detector({ windowEnd: windowEnd(series, index), windowMs: series.windowMs, value: series.values[index]! }, historyUpTo(series, index));
    alarmed[index] = verdict === 'high' || verdict === 'low';
    if (verdict === 'insufficient') insufficientWindows += 1;
  }

  const attributed = new Set<number>();
  const outcomes = series.incidents.map((incident): IncidentOutcome => {
    let windowsToDetect: number | null = null;
    for (let index = incident.start; index < incident.end + options.lateWindows; index += 1) {
      attributed.add(index);
      if (windowsToDetect === null && alarmed[index]) windowsToDetect = index - incident.start;
    }
    return { incident, windowsToDetect };
  });

  let falseAlarms = 0;
  for (let index = series.evaluateFrom; index < series.values.length; index += 1) {
    const falseAlarm = alarmed[index] && !attributed.has(index);
    const continuing = index > series.evaluateFrom && alarmed[index - 1] && !attributed.has(index - 1);
    if (falseAlarm && !continuing) falseAlarms += 1;
  }
  const judgedWindows = series.values.length - series.evaluateFrom;
  return { outcomes, falseAlarms, weeks: (judgedWindows * series.windowMs) / WEEK_MS, judgedWindows, insufficientWindows };
}

/** Detection rate, false alarms per week and time to detect over several series' scores. */
export function summarizeScores(scores: readonly SeriesScore[]): DetectionSummary {
  const outcomes = scores.flatMap((score) => score.outcomes);
  const delays = outcomes.flatMap((outcome) => (outcome.windowsToDetect === null ? [] : [outcome.windowsToDetect]));
  const sum = (pick: (score: SeriesScore) => number) => scores.reduce((total, score) => total + pick(score), 0);
  const weeks = sum((score) => score.weeks);
  const falseAlarms = sum((score) => score.falseAlarms);
  return {
    incidents: outcomes.length,
    detected: delays.length,
    detectionRate: outcomes.length === 0 ? 0 : delays.length / outcomes.length,
    falseAlarms,
    weeks,
    falseAlarmsPerWeek: weeks === 0 ? 0 : falseAlarms / weeks,
    medianWindowsToDetect: percentile(delays, 50),
    p90WindowsToDetect: percentile(delays, 90),
    insufficientShare:
      sum((score) => score.insufficientWindows) /
      Math.max(
        1,
        sum((score) => score.judgedWindows),
      ),
  };
}
