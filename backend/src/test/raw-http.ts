import { connect, type Socket } from 'node:net';

export interface RawAnswer {
  status: number;
  headers: Record<string, string>;
  body: string;
  /** Time from connecting until the answer was complete (or the connection closed). */
  ms: number;
  /** Whether the server closed the connection within the wait. */
  closed: boolean;
}

/**
 * A hand-made HTTP/1.1 exchange, for what fetch cannot do: declare a body and not send it, stream one chunk by
 * chunk and never end it, send headers a byte at a time. `send` writes to the socket; the answer is read as
 * soon as it is complete, without waiting for the client's side to finish.
 */
export async function rawExchange(url: string, send: (socket: Socket) => Promise<void> | void, waitMs = 5_000): Promise<RawAnswer> {
  const { hostname, port } = new URL(url);
  const socket = connect(Number(port), hostname);
  socket.on('error', () => {});
  await new Promise<void>((resolve) => socket.once('connect', resolve));
  const started = performance.now();
  let received = Buffer.alloc(0);
  let closed = false;
  const answer = new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, waitMs);
    const done = () => {
      clearTimeout(timer);
      resolve();
    };
    socket.on('data', (chunk: Buffer) => {
      received = Buffer.concat([received, chunk]);
      if (isComplete(received)) done();
    });
    socket.once('close', () => {
      closed = true;
      done();
    });
  });
  void Promise.resolve(send(socket)).catch(() => {});
  await answer;
  const ms = performance.now() - started;
  // The server may close right after its answer: give that a moment to show.
  if (!closed) await new Promise<void>((resolve) => setTimeout(resolve, 50));
  const result = { ...parse(received), ms, closed: closed || socket.destroyed || socket.readyState !== 'open' };
  socket.destroy();
  return result;
}

function isComplete(data: Buffer): boolean {
  const end = data.indexOf('\r\n\r\n');
  if (end < 0) return false;
  const head = data.subarray(0, end).toString('latin1');
  if (/\r\ntransfer-encoding: *chunked/i.test(head)) return data.subarray(end + 4).includes('0\r\n\r\n');
  const length = /\r\ncontent-length: *(\d+)/i.exec(head);
  return length !== null && data.length >= end + 4 + Number(length[1]);
}

function parse(data: Buffer): Omit<RawAnswer, 'ms' | 'closed'> {
  const end = data.indexOf('\r\n\r\n');
  if (end < 0) return { status: 0, headers: {}, body: '' };
  const [statusLine = '', ...lines] = data.subarray(0, end).toString('latin1').split('\r\n');
  const headers = Object.fromEntries(lines.map((line) => [line.slice(0, line.indexOf(':')).toLowerCase(), line.slice(line.indexOf(':') + 1).trim()]));
  let body = data.subarray(end + 4);
  if (/chunked/i.test(headers['transfer-encoding'] ?? '')) body = unchunk(body);
  return { status: Number(statusLine.split(' ')[1]), headers, body: body.toString('utf8') };
}

function unchunk(data: Buffer): Buffer {
  const parts: Buffer[] = [];
  for (let offset = 0; offset < data.length;) {
    const lineEnd = data.indexOf('\r\n', offset);
    const size = parseInt(data.subarray(offset, lineEnd).toString('latin1'), 16);
    if (!(size > 0)) break;
    parts.push(data.subarray(lineEnd + 2, lineEnd + 2 + size));
    offset = lineEnd + 2 + size + 2;
  }
  return Buffer.concat(parts);
}

/** One chunk of a `Transfer-Encoding: chunked` body. */
export function chunk(data: string | Buffer): Buffer {
  const bytes = Buffer.from(data);
  return Buffer.concat([Buffer.from(`${bytes.length.toString(16)}\r\n`), bytes, Buffer.from('\r\n')]);
}
