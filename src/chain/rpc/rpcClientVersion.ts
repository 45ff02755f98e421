import type { RpcClient } from './types.js';

/** The node's client string (web3_clientVersion), recorded in each day's custody manifest. */
export async function rpcClientVersion(rpc: RpcClient, signal?: AbortSignal): Promise<string> {
  const version = await rpc.request<unknown>('web3_clientVersion', [], { signal });
  return typeof version === 'string' ? version : JSON.stringify(version);
}
