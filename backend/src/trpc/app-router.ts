import { alertsRouter } from '../routers/alerts/router.ts';
import { analyticsRouter } from '../routers/analytics/router.ts';
import { auditRouter } from '../routers/audit/router.ts';
import { authRouter } from '../routers/auth/router.ts';
import { boardsRouter } from '../routers/boards/router.ts';
import { eventsRouter } from '../routers/events/router.ts';
import { goalsRouter } from '../routers/goals/router.ts';
import { invitationsRouter } from '../routers/invitations/router.ts';
import { keysRouter } from '../routers/keys/router.ts';
import { membersRouter } from '../routers/members/router.ts';
import { scenariosRouter } from '../routers/scenarios/router.ts';
import { systemRouter } from '../routers/system/router.ts';
import { tenantRouter } from '../routers/tenant/router.ts';
import { usageRouter } from '../routers/usage/router.ts';
import { router } from './trpc.ts';

export const appRouter = router({
  alerts: alertsRouter,
  analytics: analyticsRouter,
  audit: auditRouter,
  auth: authRouter,
  boards: boardsRouter,
  events: eventsRouter,
  goals: goalsRouter,
  invitations: invitationsRouter,
  keys: keysRouter,
  members: membersRouter,
  scenarios: scenariosRouter,
  system: systemRouter,
  tenant: tenantRouter,
  usage: usageRouter,
});

export type AppRouter = typeof appRouter;
