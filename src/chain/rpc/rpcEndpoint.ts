import { Pool } from 'undici';
import { maskHost, maskUrl } from '../../errors/maskUrl.js';
import { redactError, type Redaction } from '../../errors/redactError.js';
import { ConfigurationError } from '../../errors/LedgerflowError.js';
import { endpointLabel } from '../../metrics/endpointLabel.js';
import { classifyRpcFailure, type RpcFailure, type RpcFailureKind } from './classifyRpcFailure.js';

/**
 * One failed attempt, described for the pool's retry loop. Not a LedgerflowError: it never leaves
 * the pool, which turns it into a typed error naming the method and block.
 */
export class RpcAttemptFailure extends Error {
  override readonly name = 'RpcAttemptFailure';
  readonly kind: RpcFailureKind;
  constructor(
    readonly failure: RpcFailure,
    readonly detail: string | undefined,
    options: { cause?: unknown; retryAfterMs?: number | undefined; index?: number | undefined } = {},
  ) {
    super(detail ?? failure.type, { cause: options.cause });
    this.kind = classifyRpcFailure(failure);
    this.retryAfterMs = options.retryAfterMs;
    this.index = options.index;
  }
  readonly retryAfterMs: number | undefined;
  /** Position in the batch of the element that failed, when one did. */
  readonly index: number | undefined;
}

export interface RpcEndpointOptions {
  connections: number;
}

/** One node: a keep-alive connection pool plus the routing state the pool keeps about it. */
export class RpcEndpoint {
  /** Safe for messages and logs. */
  readonly masked: string;
  /** The metrics label: the URL's #alias, else host:port with key-like labels masked (endpointLabel). */
  readonly label: string;
  inFlight = 0;
  head: number | undefined;
  lagging = false;
  consecutiveFailures = 0;
  coolUntil = 0;
  private readonly pool: Pool;
  /** Raw parts of the URL that may hold a key, each with its masked form. */
  private readonly redactions: Redaction[];
  private readonly path: string;
  private readonly headers: Record<string, string>;

  constructor(url: string, options: RpcEndpointOptions) {
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      throw new ConfigurationError(`invalid RPC URL ${maskUrl(url)}`, { fix: 'pass an http(s)://host[:port][/path] URL in RPC_URL or --rpc' });
    }
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
      throw new ConfigurationError(`unsupported RPC URL scheme ${parsed.protocol} in ${maskUrl(url)}`, { fix: 'use an http:// or https:// endpoint' });
    }
    this.masked = maskUrl(url);
    this.label = endpointLabel(parsed);
    this.redactions = urlRedactions(url, parsed, this.masked);
    this.path = `${parsed.pathname}${parsed.search}`;
    this.headers = { 'content-type': 'application/json' };
    if (parsed.username || parsed.password) {
      const user = decodeURIComponent(parsed.username);
      const password = decodeURIComponent(parsed.password);
      this.headers.authorization = `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
    }
    this.pool = new Pool(parsed.origin, { connections: options.connections, pipelining: 1, keepAliveTimeout: 30_000 });
  }

  /** POSTs a JSON-RPC body and returns the parsed reply; every failure is an RpcAttemptFailure. */
  async post(body: string, timeoutMs: number, signal: AbortSignal | undefined, onChars?: (chars: number) => void): Promise<unknown> {
    let statusCode: number;
    let text: string;
    let retryAfter: string | string[] | undefined;
    try {
      const response = await this.pool.request({
        path: this.path,
        method: 'POST',
        headers: this.headers,
        body,
        headersTimeout: timeoutMs,
        bodyTimeout: timeoutMs,
        signal,
      });
      statusCode = response.statusCode;
      retryAfter = response.headers['retry-after'];
      text = await response.body.text();
      onChars?.(text.length);
    } catch (error) {
      if (signal?.aborted) throw error;
      const { code, name } = error as { code?: string; name?: string };
      throw new RpcAttemptFailure({ type: 'network', code, name }, code ?? name, { cause: error });
    }
    if (statusCode !== 200) throw httpFailure(statusCode, text, retryAfter);
    try {
      return JSON.parse(text);
    } catch (error) {
      throw new RpcAttemptFailure({ type: 'malformed' }, `unparseable JSON (${text.length} bytes${text.length ? `, ends with ${JSON.stringify(text.slice(-20))}` : ''})`, { cause: error });
    }
  }

  async close(): Promise<void> {
    await this.pool.close();
  }

  /**
   * The failure as it may leave the pool: its detail and cause chain with the URL's key-bearing
   * parts masked. A DNS failure's cause reads `getaddrinfo ENOTFOUND <key>.rpc.provider.io`.
   */
  redact(failure: RpcAttemptFailure): RpcAttemptFailure {
    const cause = redactError(failure.cause, this.redactions);
    const detail = failure.detail === undefined ? undefined : (redactError(failure.detail, this.redactions) as string);
    if (cause === failure.cause && detail === failure.detail) return failure;
    const redacted = new RpcAttemptFailure(failure.failure, detail, { cause, retryAfterMs: failure.retryAfterMs, index: failure.index });
    // Keep the frames of the attempt that failed, not of this copy.
    if (failure.stack !== undefined) redacted.stack = redactError(failure.stack, this.redactions) as string;
    return redacted;
  }
}

function urlRedactions(url: string, parsed: URL, masked: string): Redaction[] {
  const host = maskHost(parsed);
  const pathAndQuery = `${parsed.pathname}${parsed.search}`;
  return [
    [url, masked],
    [parsed.href, masked],
    [parsed.host, host],
    [parsed.hostname, parsed.port ? host.slice(0, -(parsed.port.length + 1)) : host],
    [pathAndQuery, pathAndQuery === '/' ? '/' : '/***'],
    ...[parsed.username, parsed.password].flatMap((part): Redaction[] => [
      [part, '***'],
      [safeDecode(part), '***'],
    ]),
  ];
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

function httpFailure(status: number, text: string, retryAfter: string | string[] | undefined): RpcAttemptFailure {
  const seconds = Number(Array.isArray(retryAfter) ? retryAfter[0] : retryAfter);
  const retryAfterMs = Number.isFinite(seconds) && seconds >= 0 ? seconds * 1000 : undefined;
  // Some nodes put a JSON-RPC error object in a 4xx body (e.g. 400 for unknown methods); that
  // object says more than the status does.
  if (status < 500 && status !== 429 && status !== 408) {
    const rpcError = parseRpcError(text);
    if (rpcError) return new RpcAttemptFailure({ type: 'rpc', ...rpcError }, rpcError.message, { retryAfterMs });
  }
  return new RpcAttemptFailure({ type: 'http', status }, `HTTP ${status}`, { retryAfterMs });
}

function parseRpcError(text: string): { code: number; message: string } | undefined {
  try {
    const parsed = JSON.parse(text) as { error?: { code?: unknown; message?: unknown } };
    const code = parsed.error?.code;
    if (typeof code !== 'number') return undefined;
    return { code, message: typeof parsed.error?.message === 'string' ? parsed.error.message : '' };
  } catch {
    return undefined;
  }
}
