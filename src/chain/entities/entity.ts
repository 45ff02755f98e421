import type { Row } from '../rows.js';
import type { RpcClient } from '../rpc/types.js';
import type { EntityName } from '../types.js';
import type { BlockBundle } from './rpcShapes.js';

/**
 * What a block bundle must hold before `toRows` runs. `block` is always fetched (hash checks
 * need it); `blockTransactions` asks for full transaction objects instead of hashes;
 * `contractLogs` reads only the logs of some contracts with eth_getLogs.
 */
export type BundleSource = 'blockTransactions' | 'receipts' | 'contractLogs' | 'traces' | 'gethTraces';

export interface EntityFetchContext {
  rpc: RpcClient;
  /** Block tag for state reads (token metadata): the bundle's own block, or `latest` as ethereum-etl. */
  stateAt: 'block' | 'latest';
  signal?: AbortSignal;
}

/**
 * One exported table. `toRows` is pure: the same bundle gives the same rows in the same order
 * (the sort key), so re-exports are byte-identical. `fetch` does extra I/O that depends on the
 * block's other data (token metadata for contracts created in it).
 */
export interface Entity {
  readonly name: EntityName;
  readonly columns: readonly string[];
  /** Row order inside a block; blocks are written in ascending number. */
  readonly sortKey: readonly string[];
  /** JSON-RPC methods the entity reads, for its docs page and error messages. */
  readonly rpcMethods: readonly string[];
  readonly needs: readonly BundleSource[];
  /**
   * Set on entities built from nothing but a block's logs: the topic0 values they read, or 'any'.
   * Limited to some contracts, they read eth_getLogs instead of every receipt of every block.
   */
  readonly logTopics?: readonly string[] | 'any';
  fetch?(bundles: readonly BlockBundle[], context: EntityFetchContext): Promise<void>;
  toRows(bundle: BlockBundle): Row[];
}
