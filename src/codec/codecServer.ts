import { createHash, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Payload, PayloadCodec } from '@temporalio/common';

export interface CodecServerOptions {
  codec: PayloadCodec;
  /** Required as `Authorization: Bearer <token>` on /encode and /decode. */
  token: string;
  /** The Temporal Web origin browsers may call from (CORS); undefined allows no browser origin. */
  corsOrigin?: string;
  /**
   * Let requests from `corsOrigin` decode without the token. Only for a local dev server on
   * loopback: its Web UI has no sign-in and so never sends a token, and its history is open to
   * any local process anyway. Refused with any other host.
   */
  webWithoutToken?: boolean;
  port: number;
  /** Default 127.0.0.1; a codec server holds the keys, so expose it deliberately. */
  host?: string;
  /** Request bodies above this are refused with 413; default 8 MiB (history pages carry many payloads). */
  maxBodyBytes?: number;
  /** One line per refused or failed request (never a payload or a token). */
  log?: (line: string) => void;
}

export interface RunningCodecServer {
  port: number;
  url: string;
  close(): Promise<void>;
}

/** Payloads as the codec server protocol carries them: protobuf JSON, bytes in base64. */
interface JsonPayload {
  metadata?: Record<string, string>;
  data?: string;
}

const ALLOWED_HEADERS = 'Authorization, Content-Type, X-Namespace';

/**
 * Temporal's codec server protocol on node:http: POST .../encode and .../decode (only the last
 * path segment counts, so it can sit under any prefix, e.g. /{namespace}/decode) with a JSON body
 * `{ payloads: [{ metadata: { key: base64 }, data: base64 }] }`, answered in the same shape.
 * Every request needs the bearer token except the CORS preflight, which a browser sends without
 * credentials; CORS headers go only to the configured Temporal Web origin. GET /health answers
 * without a token and without data, for process supervisors.
 */
export async function startCodecServer(options: CodecServerOptions): Promise<RunningCodecServer> {
  const host = options.host ?? '127.0.0.1';
  const maxBodyBytes = options.maxBodyBytes ?? 8 * 1024 * 1024;
  const log = options.log ?? (() => undefined);
  const expected = digest(`Bearer ${options.token}`);
  if (options.webWithoutToken && !isLoopback(host)) {
    throw new Error(`a codec server on ${host} must require its token from every caller: drop the Temporal Web exception or bind to 127.0.0.1`);
  }

  const server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      log(`codec server: ${request.method} ${pathOf(request)} failed: ${(error as Error).message}`);
      if (!response.headersSent) send(response, 500, { message: 'internal error' });
      else response.destroy();
    });
  });

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const origin = request.headers.origin;
    const allowedOrigin = origin !== undefined && origin === options.corsOrigin;
    if (allowedOrigin) {
      response.setHeader('Access-Control-Allow-Origin', origin);
      response.setHeader('Access-Control-Allow-Credentials', 'true');
    }
    response.setHeader('Vary', 'Origin');
    const path = pathOf(request);
    const operation = path.split('/').filter(Boolean).at(-1);

    if (request.method === 'GET' && path === '/health') return send(response, 200, { status: 'ok' });
    if (operation !== 'encode' && operation !== 'decode') return send(response, 404, { message: 'not found: POST .../encode or .../decode' });
    if (request.method === 'OPTIONS') {
      if (!allowedOrigin) return send(response, 403, { message: 'origin not allowed' });
      response.setHeader('Access-Control-Allow-Methods', 'POST, OPTIONS');
      response.setHeader('Access-Control-Allow-Headers', ALLOWED_HEADERS);
      response.setHeader('Access-Control-Max-Age', '600');
      response.writeHead(204).end();
      return;
    }
    if (request.method !== 'POST') {
      response.setHeader('Allow', 'POST, OPTIONS');
      return send(response, 405, { message: 'method not allowed' });
    }
    if (!authorized(request.headers.authorization) && !(options.webWithoutToken && allowedOrigin)) {
      log(`codec server: refused ${operation} without a valid bearer token (origin ${origin ?? 'none'})`);
      response.setHeader('WWW-Authenticate', 'Bearer');
      return send(response, 401, { message: 'a valid bearer token is required' });
    }

    const body = await readBody(request, maxBodyBytes);
    if (body === undefined) return send(response, 413, { message: `body larger than ${maxBodyBytes} bytes` });
    let payloads: Payload[];
    try {
      payloads = parsePayloads(body);
    } catch (error) {
      return send(response, 400, { message: `bad request: ${(error as Error).message}` });
    }
    let result: Payload[];
    try {
      result = operation === 'encode' ? await options.codec.encode(payloads) : await options.codec.decode(payloads);
    } catch (error) {
      // The codec's messages name key ids and the fix, never keys or payload contents.
      log(`codec server: ${operation} failed: ${(error as Error).message}`);
      return send(response, 400, { message: (error as Error).message });
    }
    send(response, 200, { payloads: result.map(toJson) });
  }

  function authorized(header: string | undefined): boolean {
    return header !== undefined && timingSafeEqual(digest(header), expected);
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  return {
    port,
    url: `http://${host.includes(':') ? `[${host}]` : host}:${port}`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}

function digest(text: string): Buffer {
  return createHash('sha256').update(text).digest();
}

function pathOf(request: IncomingMessage): string {
  return new URL(request.url ?? '/', 'http://codec.invalid').pathname;
}

function send(response: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  response.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text), 'Cache-Control': 'no-store' });
  response.end(text);
}

/** The body as text, or undefined past `limit` bytes (read to the end regardless, so the 413 reaches the client). */
async function readBody(request: IncomingMessage, limit: number): Promise<string | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size <= limit) chunks.push(chunk);
  }
  return size > limit ? undefined : Buffer.concat(chunks).toString('utf8');
}

function parsePayloads(body: string): Payload[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    throw new Error('the body is not JSON');
  }
  const payloads = (parsed as { payloads?: unknown } | null)?.payloads;
  if (!Array.isArray(payloads)) throw new Error('the body has no payloads array');
  return payloads.map((item: unknown, i) => {
    const { metadata = {}, data = '' } = (item ?? {}) as JsonPayload;
    if (typeof metadata !== 'object' || metadata === null || typeof data !== 'string') throw new Error(`payload ${i} is not { metadata, data }`);
    const decoded: Record<string, Uint8Array> = {};
    for (const [key, value] of Object.entries(metadata)) {
      if (typeof value !== 'string') throw new Error(`payload ${i} metadata ${key} is not base64`);
      decoded[key] = Buffer.from(value, 'base64');
    }
    return { metadata: decoded, data: Buffer.from(data, 'base64') };
  });
}

function toJson(payload: Payload): JsonPayload {
  const metadata: Record<string, string> = {};
  for (const [key, value] of Object.entries(payload.metadata ?? {})) metadata[key] = Buffer.from(value).toString('base64');
  return { metadata, data: Buffer.from(payload.data ?? new Uint8Array()).toString('base64') };
}

function isLoopback(host: string): boolean {
  return host === '127.0.0.1' || host === '::1' || host === 'localhost';
}
