import { analyticsRouter } from '../routers/analytics/router.ts';
import { authRouter } from '../routers/auth/router.ts';
import { boardsRouter } from '../routers/boards/router.ts';
import { eventsRouter } from '../routers/events/router.ts';
import { goalsRouter } from '../routers/goals/router.ts';
import { keysRouter } from '../routers/keys/router.ts';
import { scenariosRouter } from '../routers/scenarios/router.ts';
import { systemRouter } from '../routers/system/router.ts';
import { router } from './trpc.ts';

export const appRouter = router({
  analytics: analyticsRouter,
  auth: authRouter,
  boards: boardsRouter,
  events: eventsRouter,
  goals: goalsRouter,
  keys: keysRouter,
  scenarios: scenariosRouter,
  system: systemRouter,
});

export type AppRouter = typeof appRouter;
