import type { RpcClient } from './types.js';
import { fromQuantity } from './quantity.js';

/** The chain id (eth_chainId) as a number, to check the node serves the chain the run is for. */
export async function rpcChainId(rpc: RpcClient, signal?: AbortSignal): Promise<number> {
  return fromQuantity(await rpc.request<unknown>('eth_chainId', [], { signal }), 'chain id', 'eth_chainId');
}
