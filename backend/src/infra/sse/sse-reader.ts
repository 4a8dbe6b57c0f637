export interface SseMessage {
  event: string;
  id: string | undefined;
  data: string;
}

export interface SseStream {
  /** The next message that carries data (pings and tRPC's "connected" notice skipped); rejects after `timeoutMs` or when the stream ends. */
  next(timeoutMs?: number): Promise<SseMessage>;
  /** Cuts the connection, as a network failure or a closed tab would. */
  close(): void;
}

/** Splits one SSE block ("field: value" lines) into a message. */
function parseBlock(block: string): SseMessage {
  const message: SseMessage = { event: 'message', id: undefined, data: '' };
  for (const line of block.split('\n')) {
    const [field, ...rest] = line.split(':');
    const value = rest.join(':').replace(/^ /, '');
    if (field === 'event') message.event = value;
    else if (field === 'id') message.id = value;
    else if (field === 'data') message.data += value;
  }
  return message;
}

/**
 * A bare Server-sent Events reader over fetch (Node 20 has no EventSource), so the caller controls exactly
 * when a stream is cut and resumed. Messages are read as they come and queued until asked for.
 */
export async function openSse(url: string, headers: Record<string, string> = {}): Promise<SseStream> {
  const controller = new AbortController();
  const response = await fetch(url, { headers: { accept: 'text/event-stream', ...headers }, signal: controller.signal });
  if (!response.ok || !response.body) throw new Error(`SSE ${url} answered ${response.status}: ${await response.text()}`);
  const queue: SseMessage[] = [];
  const waiting: { wake: (() => void) | null } = { wake: null };
  let ended = false;

  void (async () => {
    let buffer = '';
    try {
      const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
      for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) {
        buffer += chunk.value;
        for (let end = buffer.indexOf('\n\n'); end >= 0; end = buffer.indexOf('\n\n')) {
          const message = parseBlock(buffer.slice(0, end));
          buffer = buffer.slice(end + 2);
          if (message.event !== 'ping' && message.event !== 'connected') queue.push(message);
        }
        waiting.wake?.();
      }
    } catch {
      // Cut (by close() or the network): the stream has ended either way.
    }
    ended = true;
    waiting.wake?.();
  })();

  return {
    async next(timeoutMs = 5_000) {
      const deadline = Date.now() + timeoutMs;
      while (queue.length === 0) {
        if (ended) throw new Error('the stream ended');
        const remaining = deadline - Date.now();
        if (remaining <= 0) throw new Error(`no SSE message within ${timeoutMs} ms`);
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, remaining);
          waiting.wake = () => {
            clearTimeout(timer);
            resolve();
          };
        });
        waiting.wake = null;
      }
      return queue.shift()!;
    },
    close() {
      controller.abort();
    },
  };
}
