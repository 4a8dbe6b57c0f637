import { router } from '../../trpc/trpc.ts';
import { getSummary } from './get-summary.ts';

export const analyticsRouter = router({
  summary: getSummary,
});
