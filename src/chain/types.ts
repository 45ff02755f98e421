import type { RpcClient } from './rpc/types.js';
import type { RowSink } from '../lake/format/types.js';

/** Inclusive block interval. */
export interface BlockRange {
  start: number;
  end: number;
}

export const ENTITY_NAMES = [
  'blocks',
  'transactions',
  'receipts',
  'logs',
  'token_transfers',
  'erc1155_transfers',
  'security_token_events',
  'contracts',
  'tokens',
  'traces',
  'geth_traces',
] as const;

export type EntityName = (typeof ENTITY_NAMES)[number];

/** The entities a daily run exports by default (every node that answers trace_block has them). */
export const DEFAULT_DAILY_ENTITIES: readonly EntityName[] = [
  'blocks',
  'transactions',
  'receipts',
  'logs',
  'token_transfers',
  'erc1155_transfers',
  'security_token_events',
  'contracts',
  'tokens',
  'traces',
];

export interface ExportRangeInput {
  rpc: RpcClient;
  range: BlockRange;
  entities: readonly EntityName[];
  /** Called once per entity before the first row; every entity gets a sink even with no rows. */
  openSink: (entity: EntityName) => RowSink | Promise<RowSink>;
  /** Called after each block is fully written to every sink: a safe resume cursor. */
  onProgress?: (progress: ExportProgress) => void;
  signal?: AbortSignal;
}

export interface ExportProgress {
  lastBlock: number;
  blocksDone: number;
  blocksTotal: number;
  rows: Partial<Record<EntityName, number>>;
}

export interface ExportRangeResult {
  range: BlockRange;
  rows: Partial<Record<EntityName, number>>;
  firstBlockHash: string;
  firstParentHash: string;
  lastBlockHash: string;
}
