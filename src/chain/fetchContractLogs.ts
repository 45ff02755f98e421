import { toQuantity } from './decode/hexToInt.js';
import type { RpcLog } from './entities/rpcShapes.js';
import { isRangeCap } from './rpc/classifyRpcFailure.js';
import { RpcInvalidResponseError, RpcResultTooLargeError } from './rpc/errors.js';
import type { RpcClient } from './rpc/types.js';

export interface ContractLogFilter {
  /** Lower-case 0x-prefixed addresses, sorted. */
  addresses: readonly string[];
  /** topic0 values to ask for; undefined asks for every log of the addresses. */
  topics0?: readonly string[] | undefined;
}

/** The address and topic part of an eth_getLogs filter object. */
export function logFilterParams(filter: ContractLogFilter): { address: readonly string[]; topics?: [readonly string[]] } {
  return filter.topics0 ? { address: filter.addresses, topics: [filter.topics0] } : { address: filter.addresses };
}

// Hosted nodes cap eth_getLogs ranges at a fixed width. Once a client has refused a range for its
// width, the widest range it answered since is where later batches start, instead of paying a
// refused call per halving again on every batch.
const refusedBy = new WeakSet<RpcClient>();
const answeredSpan = new WeakMap<RpcClient, number>();

/**
 * eth_getLogs for the blocks first..last of the filter's contracts. A node that refuses the range
 * as too large (hosted nodes cap results or range) is asked again for each half, down to single
 * blocks, so one busy stretch of chain does not fail an export that a smaller range would serve.
 */
export async function fetchContractLogs(rpc: RpcClient, first: number, last: number, filter: ContractLogFilter, signal?: AbortSignal): Promise<RpcLog[]> {
  const span = answeredSpan.get(rpc);
  if (span === undefined || last - first + 1 <= span) return fetchSplitting(rpc, first, last, filter, signal);
  const parts: RpcLog[][] = [];
  for (let from = first; from <= last; from += span) parts.push(await fetchSplitting(rpc, from, Math.min(last, from + span - 1), filter, signal));
  return parts.flat();
}

async function fetchSplitting(rpc: RpcClient, first: number, last: number, filter: ContractLogFilter, signal: AbortSignal | undefined): Promise<RpcLog[]> {
  const params = { fromBlock: toQuantity(first), toBlock: toQuantity(last), ...logFilterParams(filter) };
  let logs: RpcLog[] | null;
  try {
    logs = await rpc.request<RpcLog[] | null>('eth_getLogs', [params], { ...(signal ? { signal } : {}), block: first });
  } catch (error) {
    if (!(error instanceof RpcResultTooLargeError) || first === last) throw error;
    // A result cap depends on the stretch of chain, not the width: only a width cap is remembered.
    if (isRangeCap(error.fields.detail)) refusedBy.add(rpc);
    const middle = first + Math.floor((last - first) / 2);
    const lower = await fetchSplitting(rpc, first, middle, filter, signal);
    const upper = await fetchSplitting(rpc, middle + 1, last, filter, signal);
    return lower.concat(upper);
  }
  // No logs is [], never null: taking null for "none" could drop a range's logs without a word.
  if (!Array.isArray(logs)) {
    throw new RpcInvalidResponseError({ method: 'eth_getLogs', endpoint: rpc.describe(), block: first, detail: `expected a list of logs for blocks ${first}-${last}, got ${JSON.stringify(logs)}` });
  }
  if (refusedBy.has(rpc)) answeredSpan.set(rpc, Math.max(answeredSpan.get(rpc) ?? 0, last - first + 1));
  return logs;
}
