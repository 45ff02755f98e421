import { maskUrl } from '../../errors/maskUrl.js';
import { StackError } from '../StackError.js';

export type JsonRpc = <T = unknown>(method: string, params?: unknown[]) => Promise<T>;

interface JsonRpcReply {
  result?: unknown;
  error?: { code: number; message: string };
}

/**
 * A bare JSON-RPC caller for seeding and probing the local node. The chain engineer's RpcClient
 * (retries, batching, rate limits) is for exports; seeding wants every failure to stop at once.
 */
export function jsonRpc(url: string, timeoutMs = 30_000): JsonRpc {
  let id = 0;
  return async <T>(method: string, params: unknown[] = []): Promise<T> => {
    id += 1;
    let reply: JsonRpcReply;
    try {
      const response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ jsonrpc: '2.0', id, method, params }),
        signal: AbortSignal.timeout(timeoutMs),
      });
      reply = (await response.json()) as JsonRpcReply;
    } catch (cause) {
      throw new StackError(`JSON-RPC ${method} failed: ${(cause as Error).message}`, {
        context: { endpoint: maskUrl(url), method },
        fix: 'check that the node is running (`ledgerflow stack status`)',
        cause,
      });
    }
    if (reply.error) {
      throw new StackError(`JSON-RPC ${method} returned error ${reply.error.code}: ${reply.error.message}`, {
        context: { endpoint: maskUrl(url), method },
      });
    }
    return reply.result as T;
  };
}
