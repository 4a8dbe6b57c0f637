/**
 * The Pulse script's names as the tracker reads them: the one place to change them if the tracker does.
 * `options` are the attributes the tag may carry besides the key.
 */
export const PULSE_SCRIPT = {
  path: '/pulse.js',
  keyAttribute: 'data-key',
  globalName: 'pulse',
  optOutStorageKey: 'pulse_ignore',
  options: [
    { attribute: 'data-outbound', example: '', effect: 'sends clicks on links to other sites, as outbound_click events' },
    {
      attribute: 'data-downloads',
      example: '',
      effect: 'sends clicks on file links, as file_download events (a value such as "pdf,zip" picks the extensions)',
    },
    { attribute: 'data-api', example: 'https://collect.example.com', effect: "sends the events to that origin instead of the script's own" },
  ],
} as const;

export const KEY_PLACEHOLDER = 'YOUR_INGEST_KEY';

/** Where snippets send events, and with which key. */
export interface TTrackingTarget {
  /** "https://pulse.example.com" */
  origin: string;
  key: string;
}

/** This dashboard's own address (the API is served from it), with `key` or the placeholder. */
export function trackingTargetOf(location: Pick<Location, 'origin'>, key: string): TTrackingTarget {
  return { origin: location.origin, key: key.trim() || KEY_PLACEHOLDER };
}

export function pulseScriptTag({ origin, key }: TTrackingTarget): string {
  return `<script defer src="${origin}${PULSE_SCRIPT.path}" ${PULSE_SCRIPT.keyAttribute}="${key}"></script>`;
}

export function pulseScriptCalls(): string {
  return [
    '// A custom event, with properties (once the script has loaded)',
    `${PULSE_SCRIPT.globalName}.track('signup', { plan: 'pro' });`,
    '',
    "// Leave this browser out (a site owner's own visits): run once in its console",
    `localStorage.${PULSE_SCRIPT.optOutStorageKey} = 'true';`,
  ].join('\n');
}

/** Segment's batching delivery: up to 10 events per request, sent at least every 5 s. */
export const SEGMENT_BATCHING = { integrations: { 'Segment.io': { deliveryStrategy: { strategy: 'batching', config: { size: 10, timeout: 5000 } } } } };

/**
 * analytics-next with its settings from this server (`cdnURL`): they name this server as where events go, so the
 * SDK asks nothing of Segment's servers. The browser tests run this code as written.
 */
export function segmentSnippet({ origin, key }: TTrackingTarget): string {
  return `import { AnalyticsBrowser } from '@segment/analytics-next';

export const analytics = AnalyticsBrowser.load({ writeKey: '${key}', cdnURL: '${origin}' });
// In batches (fewer requests): AnalyticsBrowser.load({ writeKey, cdnURL }, ${JSON.stringify(SEGMENT_BATCHING)});

analytics.track('signup', { plan: 'pro' });`;
}

/** RudderStack's SDK with its configuration from this server and its plugins from its own bundle. The browser tests run this code as written. */
export function rudderStackSnippet({ origin, key }: TTrackingTarget): string {
  return `import { RudderAnalytics } from '@rudderstack/analytics-js/bundled';

const analytics = new RudderAnalytics();
analytics.load('${key}', '${origin}', { configUrl: '${origin}', loadIntegration: false, polyfillIfRequired: false });

analytics.track('signup', { plan: 'pro' });`;
}

export function curlSnippet({ origin, key }: TTrackingTarget): string {
  return `curl -X POST ${origin}/v1/track \\
  -u ${key}: \\
  -H 'Content-Type: application/json' \\
  -d '{"userId":"u1","event":"signup"}'`;
}

export function nodeSdkSnippet({ origin, key }: TTrackingTarget): string {
  return `// npm install @segment/analytics-node
import { Analytics } from '@segment/analytics-node';

const analytics = new Analytics({ writeKey: '${key}', host: '${origin}' });
analytics.track({ userId: 'u1', event: 'signup', properties: { plan: 'pro' } });
await analytics.closeAndFlush();

// or: npm install @rudderstack/rudder-sdk-node
import RudderAnalytics from '@rudderstack/rudder-sdk-node';

const rudder = new RudderAnalytics('${key}', { dataPlaneUrl: '${origin}' });
rudder.track({ userId: 'u1', event: 'signup', properties: { plan: 'pro' } });
await rudder.flush();`;
}
