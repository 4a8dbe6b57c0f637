import { router } from '../../trpc/trpc.ts';
import { cancelScenario } from './cancel-scenario.ts';
import { getScenarioStatus } from './get-scenario-status.ts';
import { scenarioProgress } from './scenario-progress.ts';
import { startScenario } from './start-scenario.ts';

/**
 * The high-load demo: scenarios this instance runs against itself. Admin keys only. Watching and stopping a
 * run are critical: a scenario loads the server on purpose, and its tester must still be able to follow and cancel it.
 */
export const scenariosRouter = router({
  status: getScenarioStatus,
  start: startScenario,
  cancel: cancelScenario,
  progress: scenarioProgress,
});
