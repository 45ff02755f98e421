import { toQuantity } from './decode/hexToInt.js';
import type { RpcLog } from './entities/rpcShapes.js';
import { RpcInvalidResponseError, RpcResultTooLargeError } from './rpc/errors.js';
import type { RpcClient } from './rpc/types.js';

export interface ContractLogFilter {
  /** Lower-case 0x-prefixed addresses. */
  addresses: readonly string[];
  /** topic0 values to ask for; undefined asks for every log of the addresses. */
  topics0?: readonly string[] | undefined;
}

/**
 * eth_getLogs for the blocks first..last of the filter's contracts. A node that refuses the range
 * as too large (hosted nodes cap results or range) is asked again for each half, down to single
 * blocks, so one busy stretch of chain does not fail an export that a smaller range would serve.
 */
export async function fetchContractLogs(
  rpc: RpcClient,
  first: number,
  last: number,
  filter: ContractLogFilter,
  signal?: AbortSignal,
): Promise<RpcLog[]> {
  const params: Record<string, unknown> = { fromBlock: toQuantity(first), toBlock: toQuantity(last), address: filter.addresses };
  if (filter.topics0) params.topics = [filter.topics0];
  try {
    const logs = await rpc.request<RpcLog[] | null>('eth_getLogs', [params], { ...(signal ? { signal } : {}), block: first });
    // No logs is [], never null: taking null for "none" could drop a range's logs without a word.
    if (!Array.isArray(logs)) {
      throw new RpcInvalidResponseError({ method: 'eth_getLogs', endpoint: rpc.describe(), block: first, detail: `expected a list of logs for blocks ${first}-${last}, got ${JSON.stringify(logs)}` });
    }
    return logs;
  } catch (error) {
    if (!(error instanceof RpcResultTooLargeError) || first === last) throw error;
    const middle = first + Math.floor((last - first) / 2);
    const lower = await fetchContractLogs(rpc, first, middle, filter, signal);
    const upper = await fetchContractLogs(rpc, middle + 1, last, filter, signal);
    return lower.concat(upper);
  }
}
