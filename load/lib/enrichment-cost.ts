// What enrichment costs per event in-process, beside what validating the event costs, measured in the same run.
import { performance } from 'node:perf_hooks';
import { ZIncomingEvent } from '@pulse/shared/ingest';
import { campaignOf } from '@pulse/backend/services/enrichment/campaign';
import { sharedCountryLookup } from '@pulse/backend/services/enrichment/country';
import { referrerSource } from '@pulse/backend/services/enrichment/referrer-source';
import { describeUserAgent } from '@pulse/backend/services/enrichment/user-agent';
import { browserEventsBody } from './ingest-workload.ts';

export interface EnrichmentCost {
  /** Microseconds per call. */
  userAgentUncached: number;
  userAgentCached: number;
  country: number;
  referrerAndCampaign: number;
  validation: number;
}

const CHROME = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';

function microsPerCall(calls: number, call: (i: number) => unknown): number {
  for (let i = 0; i < Math.min(calls, 1_000); i += 1) call(i);
  const start = performance.now();
  for (let i = 0; i < calls; i += 1) call(i);
  return ((performance.now() - start) * 1_000) / calls;
}

export function measureEnrichmentCost(): EnrichmentCost {
  const events = (JSON.parse(browserEventsBody(1_000)) as { batch: Array<{ context: { page: { url: string; referrer: string } } }> }).batch;
  const lookup = sharedCountryLookup();
  return {
    // A user agent never seen before (each call a new build number), then one seen before.
    userAgentUncached: microsPerCall(20_000, (i) => describeUserAgent(`${CHROME} Build/${i}${Math.random()}`)),
    userAgentCached: microsPerCall(200_000, () => describeUserAgent(CHROME)),
    country: microsPerCall(200_000, (i) => lookup.countryOf(`${(i % 200) + 11}.${i % 251}.${i % 199}.${i % 253}`)),
    referrerAndCampaign: microsPerCall(200_000, (i) => {
      const { page } = events[i % events.length]!.context;
      return [referrerSource(page.referrer, page.url), campaignOf({ page })];
    }),
    validation: microsPerCall(50_000, (i) => ZIncomingEvent.safeParse(events[i % events.length])),
  };
}
