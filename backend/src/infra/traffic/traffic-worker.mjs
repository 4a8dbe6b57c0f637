// The scenario runner's load generator. It runs in a worker thread so that sending thousands of requests a
// second does not compete with the server for its own event loop (the server measures that loop's delay to
// decide when to shed). Plain JavaScript, so it loads the same under tsx, vitest and plain Node.
// The messages are typed in traffic-generator.ts, the only code that talks to this file.
import { parentPort } from 'node:worker_threads';

const TICK_MS = 5;
const REPORT_MS = 1_000;
const REQUEST_TIMEOUT_MS = 30_000;

let baseUrl = '';
/** @type {Map<string, ReturnType<typeof createStream>>} */
const streams = new Map();

function emptySecond() {
  return { sent: 0, skipped: 0, statuses: {}, latencies: [], acknowledged: 0, duplicates: 0, degraded: 0, retryAfterMissing: 0 };
}

function createStream(spec) {
  const state = { spec, startedAt: performance.now(), sent: 0, inFlight: 0, stopped: false, second: emptySecond(), settled: null };
  let itemIndex = 0;

  const nextRequest = () => {
    const { requests } = spec;
    if (requests.kind === 'ingest') {
      const seq = state.sent;
      const now = new Date().toISOString();
      const batch = Array.from({ length: requests.batchSize }, (_, i) => ({
        type: 'track',
        event: requests.eventName,
        messageId: `${requests.idPrefix}-${seq}-${i}`,
        userId: `user-${(seq * requests.batchSize + i) % 1_000}`,
        timestamp: now,
        properties: { path: `/scenario/${seq % 20}` },
      }));
      return { path: requests.path, body: JSON.stringify({ batch }) };
    }
    const item = requests.items[itemIndex % requests.items.length];
    itemIndex += 1;
    return item;
  };

  const inspect = async (response, second) => {
    const text = await response.text();
    if (!response.ok || spec.inspect === 'none') return;
    try {
      const body = JSON.parse(text);
      if (spec.inspect === 'ingest') {
        second.acknowledged += (body.accepted ?? 0) + (body.queued ?? 0);
        second.duplicates += body.duplicates ?? 0;
      } else if (spec.inspect === 'degraded' && body?.result?.data?.degraded) {
        second.degraded += 1;
      }
    } catch {
      // An unreadable body on a 2xx is counted by status alone.
    }
  };

  const send = async () => {
    const { path, body } = nextRequest();
    state.sent += 1;
    state.inFlight += 1;
    const second = state.second;
    second.sent += 1;
    const started = performance.now();
    try {
      const response = await fetch(baseUrl + path, {
        method: body === undefined ? 'GET' : 'POST',
        headers: { ...spec.headers, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
        body,
        signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
      });
      // Counted in the second the answer came, like the server counts it.
      const current = state.second;
      await inspect(response, current);
      current.latencies.push(performance.now() - started);
      current.statuses[response.status] = (current.statuses[response.status] ?? 0) + 1;
      if ((response.status === 429 || response.status === 503) && !response.headers.get('retry-after')) current.retryAfterMissing += 1;
    } catch {
      state.second.statuses.failed = (state.second.statuses.failed ?? 0) + 1;
    } finally {
      state.inFlight -= 1;
    }
  };

  const elapsed = () => performance.now() - state.startedAt;
  const finished = () => state.stopped || elapsed() >= spec.durationMs || state.sent >= spec.maxRequests;

  const run = async () => {
    const pending = new Set();
    const track = (promise) => {
      pending.add(promise);
      promise.finally(() => pending.delete(promise));
    };
    if (spec.load.kind === 'closed') {
      const loop = async () => {
        while (!finished()) await send();
      };
      await Promise.all(Array.from({ length: spec.load.concurrency }, loop));
    } else {
      const { fromPerSecond, toPerSecond, rampMs } = spec.load;
      // Requests due by `ms` under a rate that climbs linearly from `from` to `to` over rampMs, then holds.
      const dueBy = (ms) => {
        const rampPart = Math.min(ms, rampMs);
        const slope = rampMs > 0 ? (toPerSecond - fromPerSecond) / rampMs : 0;
        const ramped = (fromPerSecond * rampPart + (slope * rampPart * rampPart) / 2) / 1_000;
        return ramped + (Math.max(0, ms - rampMs) * toPerSecond) / 1_000;
      };
      let due = 0;
      while (!finished()) {
        const target = Math.floor(dueBy(elapsed()));
        while (due < target && !finished()) {
          due += 1;
          // An open loop does not wait for answers; past maxInFlight the generator itself is the bottleneck.
          if (state.inFlight >= spec.maxInFlight) state.second.skipped += 1;
          else track(send());
        }
        await new Promise((resolve) => setTimeout(resolve, TICK_MS));
      }
    }
    await Promise.allSettled([...pending]);
  };

  state.settled = run();
  return state;
}

function report(name, state) {
  const second = state.second;
  state.second = emptySecond();
  parentPort.postMessage({ type: 'second', name, stats: second });
}

const reporter = setInterval(() => {
  for (const [name, state] of streams) report(name, state);
}, REPORT_MS);

parentPort.on('message', (message) => {
  if (message.type === 'init') {
    baseUrl = message.baseUrl;
  } else if (message.type === 'stream') {
    const state = createStream(message.spec);
    streams.set(message.spec.name, state);
    state.settled.then(() => {
      report(message.spec.name, state);
      streams.delete(message.spec.name);
      parentPort.postMessage({ type: 'ended', name: message.spec.name });
    });
  } else if (message.type === 'stop') {
    for (const [name, state] of streams) if (message.name === undefined || message.name === name) state.stopped = true;
  } else if (message.type === 'close') {
    clearInterval(reporter);
    parentPort.close();
  }
});
