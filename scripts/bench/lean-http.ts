import net from 'node:net';

/**
 * A lean HTTP/1.1 load generator for the warm tile rounds of bench:tiles: keep-alive connections,
 * one request in flight per connection, the response's headers read as latin-1 text and its body
 * counted, never copied or decoded. autocannon appends every body to a string (`req.body += data`
 * in its pipelined-requests queue), which for tiles of 1–80 KB cost the load generator 0.17 ms of
 * CPU per request — twice what the server spent serving a hit — so on two cores the warm figure
 * measured autocannon. The cold rounds and the product ÷ peer comparison keep autocannon.
 *
 * Only what a tile server answers is understood: a status line, headers, and a body of
 * `content-length` bytes (or none for 204/304). Anything else (chunked encoding, a closed
 * connection) ends the run with an error rather than a wrong figure.
 */
export interface LeanResponse {
  status: number;
  /** Body bytes as they came over the wire (gzip). */
  bytes: number;
  /** The `x-tile-cache` header, or 'none'. */
  cache: string;
}

export interface LeanOptions<T> {
  host: string;
  port: number;
  headers: Record<string, string>;
  items: readonly T[];
  pathOf: (item: T) => string;
  concurrency: number;
  seconds: number;
  onResponse: (item: T, ms: number, response: LeanResponse) => void;
}

const HEADER_END = Buffer.from('\r\n\r\n');
const EMPTY = Buffer.alloc(0);

export async function leanLoad<T>(options: LeanOptions<T>): Promise<{ seconds: number; requests: number }> {
  const headerLines = Object.entries({ host: `${options.host}:${options.port}`, connection: 'keep-alive', ...options.headers })
    .map(([name, value]) => `${name}: ${value}\r\n`).join('');
  let next = 0;
  let requests = 0;
  const started = performance.now();
  const deadline = started + options.seconds * 1000;

  const connection = () => new Promise<void>((resolve, reject) => {
    const socket = net.connect({ host: options.host, port: options.port, noDelay: true });
    let item: T;
    let sentAt = 0;
    /** Bytes of a header block not yet complete. */
    let head: Buffer = EMPTY;
    /** The answer being read (its headers done), or null between answers. */
    let response: LeanResponse | null = null;
    let remaining = 0;
    let done = false;
    const fail = (error: Error) => {
      if (done) return;
      done = true;
      socket.destroy();
      reject(error);
    };
    const send = () => {
      if (performance.now() >= deadline) {
        done = true;
        socket.end();
        resolve();
        return;
      }
      item = options.items[next++ % options.items.length];
      sentAt = performance.now();
      socket.write(`GET ${options.pathOf(item)} HTTP/1.1\r\n${headerLines}\r\n`, 'latin1');
    };
    socket.on('connect', send);
    socket.on('error', fail);
    socket.on('close', () => fail(new Error('the server closed a keep-alive connection')));
    socket.on('data', (chunk: Buffer) => {
      let data = chunk;
      if (response === null) {
        data = head.length > 0 ? Buffer.concat([head, chunk]) : chunk;
        const end = data.indexOf(HEADER_END);
        if (end < 0) {
          head = data;
          return;
        }
        head = EMPTY;
        const [statusLine, ...lines] = data.toString('latin1', 0, end).split('\r\n');
        const headers = new Map(lines.map((line) => [line.slice(0, line.indexOf(':')).trim().toLowerCase(), line.slice(line.indexOf(':') + 1).trim()]));
        const status = Number(statusLine.split(' ')[1]);
        if (headers.has('transfer-encoding')) return fail(new Error(`chunked response to ${options.pathOf(item)}: not understood`));
        remaining = status === 204 || status === 304 ? 0 : Number(headers.get('content-length') ?? NaN);
        if (!Number.isFinite(remaining)) return fail(new Error(`no content-length in the response to ${options.pathOf(item)}`));
        response = { status, bytes: remaining, cache: headers.get('x-tile-cache') ?? 'none' };
        data = data.subarray(end + HEADER_END.length);
      }
      remaining -= data.length;
      if (remaining < 0) return fail(new Error('more bytes than content-length (pipelining is not used)'));
      if (remaining > 0) return;
      requests++;
      options.onResponse(item, performance.now() - sentAt, response);
      response = null;
      send();
    });
  });

  await Promise.all(Array.from({ length: options.concurrency }, connection));
  return { seconds: (performance.now() - started) / 1000, requests };
}
