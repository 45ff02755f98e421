/** One JSON-RPC call. `params` must be JSON-serialisable. */
export interface RpcRequest {
  method: string;
  params: readonly unknown[];
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
  close(): Promise<void>;
}

export interface RpcCallOptions {
  signal?: AbortSignal;
  /** Block number the call is about, to name it in errors. */
  block?: number | bigint;
}
