import { generateBatch, type TGeneratorSettings } from '../lib/generate-events.ts';
import { trpc } from '../lib/trpc.ts';
import { describeError, retryAfterSecondsOf } from '../lib/trpc-errors.ts';
import { IDLE_RUN, isRunBusy, useGeneratorStore } from '../stores/generator-store.ts';

type IngestClient = ReturnType<typeof trpc.useUtils>['client'];

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Sends generated batches at the chosen rate. A 429 or 503 is waited out (Retry-After) and the same batch is
 * sent again, so its events keep their message ids and a retry never stores anything twice. The loop and its
 * tally live outside any page: navigating away and back finds the run still going, with its Cancel.
 */
async function sendRun(client: IngestClient, settings: TGeneratorSettings, apiKey: string | undefined): Promise<void> {
  const { updateRun } = useGeneratorStore.getState();
  const cancelled = () => useGeneratorStore.getState().cancelRequested;
  useGeneratorStore.setState({ cancelRequested: false, run: { ...IDLE_RUN, status: 'sending', batchesTotal: settings.batches } });
  const startedAt = performance.now();
  for (let index = 0; index < settings.batches; index += 1) {
    const request = generateBatch(settings);
    for (;;) {
      if (cancelled()) return updateRun((current) => ({ ...current, status: 'cancelled' }));
      try {
        const result = await client.events.ingest.mutate(request, { context: { apiKey } });
        updateRun((current) => ({
          ...current,
          status: 'sending',
          batchesSent: current.batchesSent + 1,
          accepted: current.accepted + result.accepted,
          duplicates: current.duplicates + result.duplicates,
          rejected: current.rejected + result.rejected.length,
          queued: current.queued + (result.queued ?? 0),
          message: null,
        }));
        break;
      } catch (error) {
        const retryAfter = retryAfterSecondsOf(error);
        if (retryAfter === undefined) {
          const { title, hint } = describeError(error);
          return updateRun((current) => ({ ...current, status: 'failed', message: `${title}. ${hint}` }));
        }
        updateRun((current) => ({
          ...current,
          status: 'waiting',
          retries: current.retries + 1,
          message: `The server asked to wait ${retryAfter} s; the same batch follows.`,
        }));
        await sleep(retryAfter * 1_000);
      }
    }
    const nextAt = startedAt + ((index + 1) * 1_000) / settings.rate;
    await sleep(Math.max(0, nextAt - performance.now()));
  }
  updateRun((current) => ({ ...current, status: 'done' }));
}

export function useGenerator() {
  const client = trpc.useUtils().client;
  const run = useGeneratorStore((state) => state.run);
  return {
    run,
    start: async (settings: TGeneratorSettings, apiKey: string | undefined) => {
      // One run at a time: a second Start while one goes (from another visit to the page) is ignored.
      if (!isRunBusy(useGeneratorStore.getState().run)) await sendRun(client, settings, apiKey);
    },
    cancel: () => useGeneratorStore.setState({ cancelRequested: true }),
  };
}
