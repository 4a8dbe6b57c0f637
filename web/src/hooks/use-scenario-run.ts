import { skipToken } from '@tanstack/react-query';
import { useCallback, useEffect, useRef, useState } from 'react';
import type {
  TScenarioEvent,
  TScenarioKnobValues,
  TScenarioMark,
  TScenarioName,
  TScenarioRun,
  TScenarioSample,
  TScenarioVerdict,
} from '@pulse/shared/scenarios';
import { trpc } from '../lib/trpc.ts';
import { appCodeOf, retryAfterSecondsOf } from '../lib/trpc-errors.ts';
import { useRecordRun, useScenarioRunsStore } from '../stores/scenario-runs-store.ts';
import { useFollowedRun, useSetFollowedRun, useSetShownRunId } from '../stores/scenario-store.ts';

/** A run as the page shows it: what its progress stream has delivered so far. */
export interface TScenarioRunView {
  run: TScenarioRun;
  samples: TScenarioSample[];
  marks: TScenarioMark[];
  /** Null until the run ends. */
  verdict: TScenarioVerdict | null;
}

// Errors of these calls are shown next to the buttons, not as notices as well.
const SHOWN_IN_PLACE = { meta: { errorShownInPlace: true } };
const CANCEL_RETRIES = 5;

function withEvent(view: TScenarioRunView, event: TScenarioEvent): TScenarioRunView {
  switch (event.type) {
    case 'sample':
      return { ...view, samples: [...view.samples, event] };
    case 'mark':
      return { ...view, marks: [...view.marks, event] };
    case 'verdict':
      return { ...view, verdict: event };
  }
}

const isRecorded = (runId: string) => useScenarioRunsStore.getState().runs.some((recorded) => recorded.verdict.run.runId === runId);

/**
 * Starts a scenario and follows its progress stream (scenarios.progress over SSE) to the verdict, which is then
 * kept among the recent runs. After a reload or a visit to another page, the run in progress (or the one this
 * page was following, finished meanwhile) is followed again from its start.
 */
export function useScenarioRun() {
  const utils = trpc.useUtils();
  const status = trpc.scenarios.status.useQuery();
  const recordRun = useRecordRun();
  const followedRun = useFollowedRun();
  const setFollowedRun = useSetFollowedRun();
  const setShownRunId = useSetShownRunId();
  const [current, setCurrent] = useState<TScenarioRunView | null>(null);
  const [streamError, setStreamError] = useState<unknown>(null);
  const [lost, setLost] = useState(false);

  // The server under test sheds load, a cancel included: it is sent again after the wait the 503 asks for.
  const cancelMutation = trpc.scenarios.cancel.useMutation({
    ...SHOWN_IN_PLACE,
    retry: (failures, error) => failures < CANCEL_RETRIES && retryAfterSecondsOf(error) !== undefined,
    retryDelay: (_failures, error) => (retryAfterSecondsOf(error) ?? 1) * 1_000,
  });
  const resetCancel = cancelMutation.reset;

  const follow = useCallback(
    (run: TScenarioRun) => {
      resetCancel();
      setStreamError(null);
      setLost(false);
      setShownRunId(null);
      setFollowedRun(run);
      setCurrent({ run, samples: [], marks: [], verdict: null });
    },
    [resetCancel, setShownRunId, setFollowedRun],
  );

  // The server has no such run: a restart ends runs, and finished ones are kept only for a while.
  const loseRun = useCallback(() => {
    setLost(true);
    setFollowedRun(null);
  }, [setFollowedRun]);

  const startMutation = trpc.scenarios.start.useMutation({
    ...SHOWN_IN_PLACE,
    onSuccess: follow,
    // A 409 means a run started elsewhere (another tab, npm run demo): the refreshed status attaches to it.
    onSettled: () => utils.scenarios.status.invalidate(),
  });

  const followedRunId = current !== null && current.verdict === null && streamError === null && !lost ? current.run.runId : null;
  trpc.scenarios.progress.useSubscription(followedRunId === null ? skipToken : { runId: followedRunId }, {
    onData: ({ data: event }) => setCurrent((view) => view && withEvent(view, event)),
    onError: (error) => (appCodeOf(error) === 'NOT_FOUND' ? loseRun() : setStreamError(error)),
    // The stream ends after the verdict; without one, the run is gone.
    onComplete: loseRun,
  });

  const verdict = current?.verdict ?? null;
  const recordedVerdict = useRef<TScenarioVerdict | null>(null);
  useEffect(() => {
    if (current === null || verdict === null || recordedVerdict.current === verdict) return;
    recordedVerdict.current = verdict;
    recordRun({ verdict, samples: current.samples, marks: current.marks });
    setFollowedRun(null);
    void utils.scenarios.status.invalidate();
  }, [current, verdict, recordRun, setFollowedRun, utils]);

  const resumable = status.data ? (status.data.running ?? followedRun) : null;
  useEffect(() => {
    if (resumable !== null && followedRunId === null && current?.run.runId !== resumable.runId && !isRecorded(resumable.runId)) follow(resumable);
  }, [resumable, followedRunId, current, follow]);

  return {
    status,
    current,
    /** True from the start of a run here (or attaching to one) until its verdict. */
    isFollowing: followedRunId !== null,
    start: (scenario: TScenarioName, knobs: TScenarioKnobValues) => startMutation.mutate({ scenario, knobs }),
    isStarting: startMutation.isPending,
    startError: startMutation.error,
    cancel: () => {
      if (followedRunId !== null) cancelMutation.mutate({ runId: followedRunId });
    },
    /** From the click until the verdict says cancelled. */
    isCancelling: cancelMutation.isPending || cancelMutation.data?.cancelled === true,
    cancelError: cancelMutation.error,
    /** Why the progress stream failed before the verdict; `refollow` tries again. */
    streamError: verdict === null ? streamError : null,
    /** The server no longer has the current run, so it will have no verdict. */
    lost: verdict === null && lost,
    refollow: () => {
      if (current !== null) follow(current.run);
    },
  };
}
