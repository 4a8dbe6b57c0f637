import { router } from '../../trpc/trpc.ts';
import { exportEvents } from './export-events.ts';
import { getRecentEvents } from './get-recent-events.ts';
import { getTimeline } from './get-timeline.ts';
import { ingestEvents } from './ingest-events.ts';
import { listEvents } from './list-events.ts';

export const eventsRouter = router({
  export: exportEvents,
  ingest: ingestEvents,
  list: listEvents,
  recent: getRecentEvents,
  timeline: getTimeline,
});
