import { router } from '../../trpc/trpc.ts';
import { ingestEvents } from './ingest-events.ts';

export const eventsRouter = router({
  ingest: ingestEvents,
});
