/**
 * Pulse's browser tracker, served at /pulse.js and built into web/dist by `npm run build`:
 *
 *   <script defer src="https://pulse.example.com/pulse.js" data-key="INGEST_KEY"></script>
 *
 * It records a page view on load and on every change of path or hash (history.pushState/replaceState,
 * popstate, hashchange), `pulse.track(name, properties)` calls, and, when the tag opts in, clicks on links to
 * other sites and on file links. Each event goes at once, in its own beacon, to Segment's `/v1/batch` as
 * `text/plain` (no CORS preflight). It sets no cookie and writes no storage, and sends no user or anonymous id:
 * the server derives a cookieless visitor from the address and user agent.
 */

export type Properties = Record<string, unknown>;

export interface Pulse {
  track(name: string, properties?: Properties): void;
}

/** The tag's options, as data-* attributes. */
interface TrackerOptions {
  /** An ingest key of the site's tenant (required). */
  key?: string;
  /** Where the events go, e.g. "https://pulse.example.com"; the origin of the script's own URL by default. */
  api?: string;
  /** Present: clicks on links to other hosts are sent as `outbound_click` events with the link's `url`. */
  outbound?: string;
  /** Present: clicks on file links are sent as `file_download`; a value ("pdf,zip") replaces the extensions. */
  downloads?: string;
}

/** Calls made before the script ran, by the optional stub `window.pulse = window.pulse || { q: [], track() { this.q.push(arguments) } }`. */
type QueuedCall = [name: string, properties?: Properties];

declare global {
  interface Window {
    pulse?: Pulse & { q?: QueuedCall[] };
  }
}

// Plausible's list, so sites moving over count the same files.
const DOWNLOAD_EXTENSIONS = 'pdf,xlsx,docx,txt,rtf,csv,exe,key,pps,ppt,pptx,7z,pkg,rar,gz,zip,avi,mov,mp4,mpeg,wmv,midi,mp3,wav,wma,dmg';
/** The server refuses a whole event whose page fields are longer (shared/src/ingest.ts); cut them instead. */
const MAX_URL_LENGTH = 2048;
const MAX_TITLE_LENGTH = 500;

// `currentScript` is null in a module script; the tag is then found by its key.
const script = (document.currentScript ?? document.querySelector('script[data-key]')) as HTMLScriptElement;
const options: TrackerOptions = script.dataset;
const endpoint = `${(options.api ?? new URL(script.src).origin).replace(/\/$/, '')}/v1/batch?writeKey=${encodeURIComponent(options.key ?? '')}`;
if (!options.key) console.warn('pulse.js sends nothing: add data-key="<an ingest key>" to its <script> tag');

/** A visitor opts out on one site by running `localStorage.pulse_ignore = 'true'` in that site's console. */
function optedOut(): boolean {
  try {
    return localStorage.getItem('pulse_ignore') === 'true';
  } catch {
    // Storage can be disabled (sandboxed frames, some privacy settings): nobody opted out there.
    return false;
  }
}

/** 32 hex digits; `crypto.randomUUID` exists only on secure origins. */
function randomId(): string {
  return Array.from(crypto.getRandomValues(new Uint8Array(16)), (byte) => (byte + 256).toString(16).slice(1)).join('');
}

const currentPath = () => location.pathname + location.hash;

function send(type: 'page' | 'track', event: string | undefined, properties: Properties = {}): void {
  if (!options.key || optedOut()) return;
  const now = new Date().toISOString();
  const page = {
    url: location.href.slice(0, MAX_URL_LENGTH),
    path: currentPath().slice(0, MAX_URL_LENGTH),
    referrer: document.referrer.slice(0, MAX_URL_LENGTH),
    title: document.title.slice(0, MAX_TITLE_LENGTH),
  };
  const message = { type, event, messageId: randomId(), timestamp: now, context: { page, library: { name: 'pulse.js', version: '1' } }, properties };
  const body = JSON.stringify({ batch: [message], sentAt: now });
  // A beacon outlives the page, so a click that leaves it is still recorded; it returns false when the browser's queue is full.
  if (!navigator.sendBeacon?.(endpoint, body)) fetch(endpoint, { method: 'POST', body, keepalive: true }).catch(() => {});
}

let lastPath: string | undefined;
/** One page view per path: routers also call replaceState for the same page (scroll state, removing utm_ parameters). */
function trackPageView(): void {
  // A page the browser prerenders (its guess at where the visitor goes next) counts once it is shown.
  if ((document as Document & { prerendering?: boolean }).prerendering || currentPath() === lastPath) return;
  lastPath = currentPath();
  send('page', undefined);
}

function track(name: string, properties?: Properties): void {
  send('track', name, properties);
}

for (const method of ['pushState', 'replaceState'] as const) {
  const original = history[method];
  history[method] = function (this: History, ...args: Parameters<History['pushState']>) {
    original.apply(this, args);
    trackPageView();
  };
}
addEventListener('popstate', trackPageView);
addEventListener('hashchange', trackPageView);
document.addEventListener('prerenderingchange', trackPageView);
// Back to a page the browser kept whole (the back/forward cache): a new view, though the path is the same.
addEventListener('pageshow', (event) => {
  if (!event.persisted) return;
  lastPath = undefined;
  trackPageView();
});

const downloadExtensions = options.downloads === undefined ? undefined : (options.downloads || DOWNLOAD_EXTENSIONS).split(',');

function trackLinkClick(event: MouseEvent): void {
  // auxclick: a middle click opens the link in a new tab.
  if (event.type === 'auxclick' && event.button !== 1) return;
  const link = event.composedPath().find((target): target is HTMLAnchorElement => target instanceof HTMLAnchorElement);
  if (!link?.href) return;
  const extension = link.pathname.split('.').pop()!.toLowerCase();
  if (downloadExtensions && (link.hasAttribute('download') || downloadExtensions.includes(extension))) {
    track('file_download', { url: link.href });
  } else if (options.outbound !== undefined && /^https?:$/.test(link.protocol) && link.host !== location.host) {
    track('outbound_click', { url: link.href });
  }
}

if (options.outbound !== undefined || downloadExtensions) {
  document.addEventListener('click', trackLinkClick);
  document.addEventListener('auxclick', trackLinkClick);
}

const queued = window.pulse?.q ?? [];
window.pulse = { track };
trackPageView();
for (const [name, properties] of queued) track(name, properties);
