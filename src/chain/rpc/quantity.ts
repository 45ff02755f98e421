import { RpcInvalidResponseError } from './errors.js';

/** A JSON-RPC quantity: lower-case hex without leading zeros, as nodes and the fixture names expect. */
export function toQuantity(value: number | bigint): string {
  return `0x${value.toString(16)}`;
}

/**
 * Parses a JSON-RPC quantity from a node's answer into a safe integer (block numbers, timestamps,
 * chain ids). Anything else is a garbled answer: retryable, like every malformed reply.
 */
export function fromQuantity(value: unknown, what = 'quantity', method = 'a JSON-RPC call'): number {
  if (typeof value === 'string' && /^0x[0-9a-fA-F]+$/.test(value)) {
    const parsed = Number.parseInt(value, 16);
    if (Number.isSafeInteger(parsed)) return parsed;
  }
  throw new RpcInvalidResponseError({ method, endpoint: 'the node', detail: `expected a hex ${what}, got ${JSON.stringify(value)?.slice(0, 80)}` });
}

const BLOCK_NUMBER_METHODS = new Set(['eth_getBlockByNumber', 'eth_getBlockReceipts', 'trace_block', 'debug_traceBlockByNumber', 'trace_replayBlockTransactions']);

/** The block a call is about when its first parameter says so; only used to word errors. */
export function blockOfCall(method: string, params: readonly unknown[]): number | undefined {
  if (!BLOCK_NUMBER_METHODS.has(method)) return undefined;
  const first = params[0];
  return typeof first === 'string' && /^0x[0-9a-fA-F]+$/.test(first) ? Number.parseInt(first, 16) : undefined;
}

/** Methods whose null result means "the node does not have this block". */
export function isBlockMethod(method: string): boolean {
  return BLOCK_NUMBER_METHODS.has(method) || method === 'eth_getBlockByHash';
}
