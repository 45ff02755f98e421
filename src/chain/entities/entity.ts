import type { Row } from '../rows.js';
import type { Column } from '../columnTypes.js';
import type { RpcClient } from '../rpc/types.js';
import type { EntityName } from './registry.js';
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
 * The warehouse table an entity loads into, named after the entity (a day's load finds a
 * table's lake files by that name). Columns are the entity's, in the same order.
 */
export interface EntityWarehouseTable {
  /** The block-number column a day's load deletes and re-inserts by. */
  readonly blockColumn: string;
  /** Column for time-range scans, when the table has one (PostgreSQL indexes it). */
  readonly timestampColumn?: string;
  /** Redshift distribution: a column, or ALL for small dimension tables. */
  readonly distKey: string | 'ALL';
  /** Redshift compound sort key. */
  readonly sortKey: readonly string[];
}

/**
 * One exported table, declared once: everything else (entity names, defaults, CLI choices, file
 * headers, warehouse DDL, the docs check) derives from these declarations through registry.ts.
 * `toRows` is pure: the same bundle gives the same rows in the same order (the sort key), so
 * re-exports are byte-identical. `fetch` does extra I/O that depends on the block's other data
 * (token metadata for contracts created in it).
 */
export interface Entity<N extends string = EntityName, W extends EntityWarehouseTable | null = EntityWarehouseTable | null> {
  readonly name: N;
  /** Columns in file order (ethereum-etl's where it has the entity), each with its type. */
  readonly columns: readonly Column[];
  /** Row order inside a block; blocks are written in ascending number. */
  readonly sortKey: readonly string[];
  /** JSON-RPC methods the entity reads, for its docs page and error messages. */
  readonly rpcMethods: readonly string[];
  readonly needs: readonly BundleSource[];
  /** Exported by a daily run unless LEDGERFLOW_ENTITIES names the entities. */
  readonly daily: boolean;
  /** Its warehouse table, or null when its rows stay in the lake only. */
  readonly warehouse: W;
  /**
   * Set on entities built from nothing but a block's logs: the topic0 values they read, or 'any'.
   * Limited to some contracts, they read eth_getLogs instead of every receipt of every block.
   */
  readonly logTopics?: readonly string[] | 'any';
  /**
   * Loads what `toRows` needs that is too heavy to load with the registry (an ABI decoder):
   * reading declarations (CLI help, configuration) loads no library. exportRange awaits it once
   * before the first row; it may be called any number of times.
   */
  prepare?(): Promise<void>;
  fetch?(bundles: readonly BlockBundle[], context: EntityFetchContext): Promise<void>;
  toRows(bundle: BlockBundle): Row[];
}

/** What a prepared entity loaded, or an error naming the missing call. */
export function prepared<T>(loaded: T | undefined, entity: string): T {
  if (loaded === undefined) throw new Error(`entity ${entity}: await its prepare() before toRows (exportRange does)`);
  return loaded;
}

/** An entity loaded into a warehouse table of its name. */
export type TableEntity<N extends string> = Entity<N, EntityWarehouseTable>;

/** An entity whose rows stay in the lake (no warehouse table). */
export type LakeOnlyEntity<N extends string> = Entity<N, null>;
