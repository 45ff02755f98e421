import type { ConsistencyOptions } from './fetchConsistentBundles.js';
import type { RpcClient } from './rpc/types.js';
import type { EntityName } from './entities/registry.js';
import type { RowSink, SinkResult } from './rows.js';

/** Inclusive block interval. */
export interface BlockRange {
  start: number;
  end: number;
}

// The entity names and defaults derive from the registry: one declaration per entity.
export { DEFAULT_DAILY_ENTITIES, ENTITY_NAMES, type EntityName } from './entities/registry.js';

export interface ExportRangeInput {
  rpc: RpcClient;
  range: BlockRange;
  entities: readonly EntityName[];
  /** Called once per entity before the first row; every entity gets a sink even with no rows. */
  openSink: (entity: EntityName) => RowSink | Promise<RowSink>;
  /** Called after each block is fully written to every sink: a safe resume cursor. */
  onProgress?: (progress: ExportProgress) => void;
  signal?: AbortSignal;
  /** Most blocks per fetch batch (default 50); memory holds at most `1 + prefetch` batches. */
  blockBatchSize?: number;
  /**
   * JSON characters of node answers the batches alive at once may hold (default
   * DEFAULT_IN_FLIGHT_MIB Mi): batches
   * shrink below `blockBatchSize` on dense blocks to stay inside it.
   */
  inFlightChars?: number;
  /** Batches fetched ahead while earlier ones are written (default 2). */
  prefetch?: number;
  /** Block tag of token metadata eth_calls: the creation block (default, reproducible) or `latest` (ethereum-etl). */
  tokenMetadataAt?: 'block' | 'latest';
  /** Source of the `traces` entity: parity `trace_block` (default) or geth callTracer frames. */
  traceSource?: 'trace_block' | 'geth';
  /**
   * Only the logs of these contracts (0x-prefixed addresses), read with eth_getLogs instead of
   * every receipt: for `logs`, `token_transfers`, `erc1155_transfers`, `security_token_events`,
   * optionally with `blocks`.
   */
  contracts?: readonly string[];
  /**
   * A height known to exist (a day checked final): blocks up to it are never "not found", and
   * the range's last block is confirmed by its successor's parent hash when it lies below.
   */
  knownHeight?: number;
  /** How often a stretch whose answers disagree is fetched again (fetchConsistentBundles). */
  consistency?: ConsistencyOptions;
}

export interface ExportProgress {
  lastBlock: number;
  blocksDone: number;
  blocksTotal: number;
  rows: Partial<Record<EntityName, number>>;
}

/**
 * exportRange closes every sink it opened once all blocks are written and aborts every sink if
 * it fails; `sinks` holds what each close returned.
 */
export interface ExportRangeResult {
  range: BlockRange;
  sinks?: Partial<Record<EntityName, SinkResult>>;
  rows: Partial<Record<EntityName, number>>;
  firstBlockHash: string;
  firstParentHash: string;
  lastBlockHash: string;
}
