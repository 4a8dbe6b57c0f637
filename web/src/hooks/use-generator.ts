import { useRef, useState } from 'react';
import { generateBatch, type TGeneratorSettings } from '../lib/generate-events.ts';
import { trpc } from '../lib/trpc.ts';
import { describeError, retryAfterSecondsOf } from '../lib/trpc-errors.ts';

export interface TGeneratorRun {
  status: 'idle' | 'sending' | 'waiting' | 'done' | 'cancelled' | 'failed';
  batchesSent: number;
  batchesTotal: number;
  accepted: number;
  duplicates: number;
  rejected: number;
  queued: number;
  /** Batches sent again after a 429 or 503, with the same message ids. */
  retries: number;
  message: string | null;
}

const IDLE: TGeneratorRun = { status: 'idle', batchesSent: 0, batchesTotal: 0, accepted: 0, duplicates: 0, rejected: 0, queued: 0, retries: 0, message: null };
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Sends generated batches at the chosen rate. A 429 or 503 is waited out (Retry-After) and the same batch is
 * sent again, so its events keep their message ids and a retry never stores anything twice.
 */
export function useGenerator() {
  const client = trpc.useUtils().client;
  const [run, setRun] = useState<TGeneratorRun>(IDLE);
  const cancelled = useRef(false);

  async function start(settings: TGeneratorSettings, apiKey: string | undefined): Promise<void> {
    cancelled.current = false;
    setRun({ ...IDLE, status: 'sending', batchesTotal: settings.batches });
    const startedAt = performance.now();
    for (let index = 0; index < settings.batches; index += 1) {
      const request = generateBatch(settings);
      for (;;) {
        if (cancelled.current) return setRun((current) => ({ ...current, status: 'cancelled' }));
        try {
          const result = await client.events.ingest.mutate(request, { context: { apiKey } });
          setRun((current) => ({
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
            return setRun((current) => ({ ...current, status: 'failed', message: `${title}. ${hint}` }));
          }
          setRun((current) => ({
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
    setRun((current) => ({ ...current, status: 'done' }));
  }

  return {
    run,
    start,
    cancel: () => {
      cancelled.current = true;
    },
  };
}
