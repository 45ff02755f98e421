/** One JSON-RPC call. `params` must be JSON-serialisable. */
export interface RpcRequest {
  method: string;
  params: readonly unknown[];
  /** The block the call is about when its parameters do not say (a receipt by hash): for errors and routing. */
  block?: number;
}

/**
 * What the rest of Ledgerflow needs from a node or a pool of nodes. Implementations batch,
 * retry transient faults, route between endpoints and fail fast on permanent errors
 * (RpcMethodNotFoundError, RpcBlockNotFoundError, RpcInvalidResponseError...).
 */
export interface RpcClient {
  request<T>(method: string, params: readonly unknown[], options?: RpcCallOptions): Promise<T>;
  /** Sends the calls as JSON-RPC batches of the configured size; results keep request order. */
  batch<T>(requests: readonly RpcRequest[], options?: RpcCallOptions): Promise<T[]>;
  /** Masked description of the endpoints, safe for logs and workflow history. */
  describe(): string;
  /**
   * Tells the client that blocks up to `height` exist (a day's range checked final): a null for
   * one of them is a replica behind, retried, never "no such block".
   */
  noteHeight?(height: number): void;
  /** The endpoints behind this client, in a fixed order (a pool's); their index pins calls. */
  endpoints?(): RpcEndpointStatus[];
  /**
   * A client whose every call goes to endpoint `index` of endpoints() and nowhere else: answers
   * from one node's view of the chain. Closing it leaves the pool open.
   */
  pinned?(index: number): RpcClient;
  close(): Promise<void>;
}

export interface RpcEndpointStatus {
  /** Masked: safe for logs, errors and workflow history. */
  endpoint: string;
  inFlight: number;
  head: number | undefined;
  lagging: boolean;
  consecutiveFailures: number;
}

export interface RpcCallOptions {
  signal?: AbortSignal;
  /** Block number the call is about, to name it in errors. */
  block?: number | bigint;
  /**
   * Every result must be non-null. A null block, receipt or trace is then a node that has not
   * caught up: retried (another endpoint first) while the block is at or below a head the pool
   * has seen, RpcBlockNotFoundError when it lies far above every head.
   */
  requireResults?: boolean;
  /** Which endpoint (masked) answered the requests [offset, offset + count): to name it when answers disagree. */
  onServed?: (endpoint: string, offset: number, count: number) => void;
  /**
   * Send every attempt to this endpoint (index into endpoints()), never to another: a caller that
   * needs one node's view retries elsewhere itself, from scratch.
   */
  endpoint?: number;
  /** Retries for this call, at most the pool's own maxRetries (0: one attempt). */
  maxRetries?: number;
  /** Told the length (UTF-16 units) of every response body read for this call: what it holds in memory. */
  onResponseChars?: (chars: number) => void;
}
