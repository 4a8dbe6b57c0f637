import { analyticsRouter } from '../routers/analytics/router.ts';
import { authRouter } from '../routers/auth/router.ts';
import { eventsRouter } from '../routers/events/router.ts';
import { keysRouter } from '../routers/keys/router.ts';
import { scenariosRouter } from '../routers/scenarios/router.ts';
import { systemRouter } from '../routers/system/router.ts';
import { router } from './trpc.ts';

export const appRouter = router({
  analytics: analyticsRouter,
  auth: authRouter,
  events: eventsRouter,
  keys: keysRouter,
  scenarios: scenariosRouter,
  system: systemRouter,
});

export type AppRouter = typeof appRouter;
