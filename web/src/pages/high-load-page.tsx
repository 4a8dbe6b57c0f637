import { Alert, Button, Group, Paper, Stack, Text } from '@mantine/core';
import { SCENARIOS, resolveKnobs, type TScenarioKnobValues, type TScenarioName } from '@pulse/shared/scenario-catalog';
import { ErrorAlert } from '../components/error-alert.tsx';
import { PageHeader } from '../components/page-header.tsx';
import { PermissionAlert } from '../components/permission-alert.tsx';
import { RecentRuns } from '../components/recent-runs.tsx';
import { ScenarioKnobs } from '../components/scenario-knobs.tsx';
import { ScenarioPicker } from '../components/scenario-picker.tsx';
import { ScenarioRunPanel } from '../components/scenario-run-panel.tsx';
import { usePermission } from '../hooks/use-permission.ts';
import { useScenarioRun, type TScenarioRunView } from '../hooks/use-scenario-run.ts';
import { useRecordedRuns } from '../stores/scenario-runs-store.ts';
import { useKnobValues, useSelectedScenario, useSetKnobs, useSetScenario, useSetShownRunId, useShownRunId } from '../stores/scenario-store.ts';

/** What is wrong with the entered knobs, in the words the server would use; null when they can run. */
function knobsProblemOf(scenario: TScenarioName, values: TScenarioKnobValues): string | null {
  try {
    resolveKnobs(scenario, values);
    return null;
  } catch (error) {
    return (error as Error).message;
  }
}

export function HighLoadPage() {
  const scenario = useSelectedScenario();
  const setScenario = useSetScenario();
  const knobValues = useKnobValues(scenario);
  const setKnobs = useSetKnobs();
  const recordedRuns = useRecordedRuns();
  const shownRunId = useShownRunId();
  const setShownRunId = useSetShownRunId();
  const runScenarios = usePermission('runScenarios');
  const scenarioRun = useScenarioRun();
  const { status, current, isFollowing } = scenarioRun;

  const knobsProblem = knobsProblemOf(scenario, knobValues);
  const unavailable = status.data?.unavailable[scenario];
  const canRun =
    runScenarios.allowed &&
    status.data?.enabled === true &&
    status.data.running === null &&
    !unavailable &&
    !isFollowing &&
    !scenarioRun.isStarting &&
    knobsProblem === null;
  const shownRecorded = recordedRuns.find((recorded) => recorded.verdict.run.runId === shownRunId);
  const shown: TScenarioRunView | null = shownRecorded ? { run: shownRecorded.verdict.run, ...shownRecorded } : current;

  return (
    <Stack gap="lg">
      <PageHeader
        title="High-load demo"
        description="Runs a scenario against this backend (a traffic spike, a database fault, a cold cache…), charts what the server does second by second, and checks at the end that it did what it should."
      />
      <PermissionAlert check={runScenarios} title={`The high-load demo needs ${runScenarios.needs}`} testId="scenarios-forbidden">
        Scenarios load this server hard and inject faults into it, so only some may run or follow them.
      </PermissionAlert>
      {status.isError && status.data === undefined && runScenarios.allowed ? <ErrorAlert error={status.error} onRetry={() => void status.refetch()} /> : null}
      {status.data?.enabled === false ? (
        <Alert color="yellow" variant="light" title="Scenarios cannot run on this server" data-testid="scenarios-disabled">
          {status.data.reason ?? 'Start the server with FAULT_INJECTION=true to run them.'}
        </Alert>
      ) : null}

      <Paper withBorder p="md">
        <Stack>
          <ScenarioPicker value={scenario} onChange={setScenario} />
          <Text size="sm">
            <Text span fw={700}>
              Expected:{' '}
            </Text>
            {SCENARIOS[scenario].expectation}
          </Text>
          <ScenarioKnobs scenario={scenario} values={knobValues} onChange={(changes) => setKnobs(scenario, changes)} />
          {unavailable ? (
            <Text size="sm" c="yellow.8" data-testid="scenario-unavailable">
              This server cannot run this scenario: {unavailable}.
            </Text>
          ) : null}
          {knobsProblem ? (
            <Text size="sm" c="red" data-testid="knobs-problem">
              {knobsProblem}
            </Text>
          ) : null}
          <Group>
            <Button onClick={() => scenarioRun.start(scenario, knobValues)} disabled={!canRun} loading={scenarioRun.isStarting} data-testid="run-scenario">
              Run scenario
            </Button>
            <Button variant="default" onClick={() => setKnobs(scenario, resolveKnobs(scenario, {}, 'short'))} data-testid="short-settings">
              Short settings
            </Button>
            <Button variant="subtle" onClick={() => setKnobs(scenario, resolveKnobs(scenario, {}))} data-testid="default-settings">
              Defaults
            </Button>
            {isFollowing ? (
              <Button color="red" variant="light" onClick={scenarioRun.cancel} loading={scenarioRun.isCancelling} data-testid="cancel-scenario">
                Cancel
              </Button>
            ) : null}
          </Group>
          {scenarioRun.startError ? <ErrorAlert error={scenarioRun.startError} /> : null}
          {scenarioRun.cancelError ? <ErrorAlert error={scenarioRun.cancelError} /> : null}
        </Stack>
      </Paper>

      {scenarioRun.streamError ? <ErrorAlert error={scenarioRun.streamError} onRetry={scenarioRun.refollow} /> : null}
      {scenarioRun.lost ? (
        <Alert color="yellow" variant="light" title="This run ended without a verdict" data-testid="scenario-lost">
          The server no longer has it: a server restart ends the run in progress, and finished runs are kept only for a while.
        </Alert>
      ) : null}
      {isFollowing && shown !== current ? (
        <Group>
          <Button variant="light" onClick={() => setShownRunId(null)}>
            Back to the run in progress
          </Button>
        </Group>
      ) : null}
      {shown ? <ScenarioRunPanel view={shown} live={isFollowing && shown === current} /> : null}
      <RecentRuns runs={recordedRuns} shownRunId={shown?.run.runId ?? null} onShow={setShownRunId} />
    </Stack>
  );
}
