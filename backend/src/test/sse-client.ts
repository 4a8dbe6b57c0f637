export interface SseMessage {
  event: string;
  id: string | undefined;
  data: string;
}

export interface SseStream {
  /** The next message that carries data (pings and tRPC's "connected" notice skipped), or an error after `timeoutMs`. */
  next(timeoutMs?: number): Promise<SseMessage>;
  /** Cuts the connection, as a network failure or a closed tab would. */
  close(): void;
}

/** A bare Server-sent Events reader over fetch, so a test controls exactly when a stream is cut and resumed. */
export async function openSse(url: string, headers: Record<string, string> = {}): Promise<SseStream> {
  const controller = new AbortController();
  const response = await fetch(url, { headers: { accept: 'text/event-stream', ...headers }, signal: controller.signal });
  if (!response.ok || !response.body) throw new Error(`SSE ${url} answered ${response.status}: ${await response.text()}`);
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';

  const readMessage = async (): Promise<SseMessage> => {
    for (;;) {
      const end = buffer.indexOf('\n\n');
      if (end >= 0) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
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
      const { value, done } = await reader.read();
      if (done) throw new Error('the stream ended');
      buffer += value;
    }
  };

  return {
    async next(timeoutMs = 5_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        // (After a timeout the test has failed; the read left pending does not matter.)
        const message = await Promise.race([
          readMessage(),
          new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`no SSE message within ${timeoutMs} ms`)), Math.max(0, deadline - Date.now()))),
        ]);
        if (message.event === 'ping' || message.event === 'connected') continue;
        return message;
      }
    },
    close() {
      controller.abort();
    },
  };
}
