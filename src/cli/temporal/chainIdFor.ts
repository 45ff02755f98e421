import { createRpcPool } from '../../chain/rpc/createRpcPool.js';
import { rpcChainId } from '../../chain/rpc/rpcChainId.js';
import { ConfigurationError, InvalidInputError } from '../../errors/LedgerflowError.js';

/**
 * The chain id that names a run's workflow id: --chain-id, else CHAIN_ID, else asked from RPC_URL.
 * The worker checks it against its own node, so a wrong value fails the run instead of mixing chains.
 */
export async function chainIdFor(flag: string | undefined, env: Record<string, string | undefined> = process.env): Promise<number> {
  const raw = flag ?? env.CHAIN_ID;
  if (raw !== undefined && raw !== '') {
    const id = Number(raw);
    if (!Number.isInteger(id) || id <= 0) throw new InvalidInputError(`Not a chain id: ${raw}`, { fix: 'pass --chain-id as a positive integer, e.g. 1 for Ethereum mainnet' });
    return id;
  }
  if (!env.RPC_URL) {
    throw new ConfigurationError('Unknown chain id', { fix: 'pass --chain-id, set CHAIN_ID, or set RPC_URL so the node can be asked' });
  }
  const rpc = createRpcPool({ urls: env.RPC_URL.split(',').map((u) => u.trim()).filter(Boolean), maxRetries: 2 });
  try {
    return await rpcChainId(rpc);
  } finally {
    await rpc.close();
  }
}
