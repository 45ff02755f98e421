import type { BlockRange, EntityName } from '../chain/types.js';

/** Where a chain's lake lives: s3://<bucket>/<prefix>/... */
export interface LakeLocation {
  bucket: string;
  /** Key prefix without leading or trailing slash, e.g. `ledgerflow`. */
  prefix: string;
}

/** One fixed slice of a day, exported as one object per entity. Named fields, never tuples. */
export interface ChunkPlan {
  chainId: number;
  date: string;
  index: number;
  range: BlockRange;
  /**
   * A block known to exist past the range: the next day's first block, since days are exported
   * only once final. A null below it is a node behind, and the chunk's last block is confirmed by
   * that block's parent hash. Absent in plans recorded before it existed.
   */
  knownHeight?: number;
}

export interface LakeFile {
  entity: EntityName;
  key: string;
  sha256: string;
  bytes: number;
  rows: number;
  range: BlockRange;
  /** sha256 of the uncompressed text: lets a verifier tell a zlib difference from a data difference. */
  contentSha256?: string;
}

export interface ChunkExportResult {
  chunk: ChunkPlan;
  files: LakeFile[];
  firstBlockHash: string;
  firstParentHash: string;
  lastBlockHash: string;
}

/** The custody record of one exported day: `<prefix>/chain=<id>/manifests/date=<day>/manifest.json` (docs/lake.md). */
export interface DayManifest {
  manifestVersion: 1;
  chainId: number;
  date: string;
  range: BlockRange;
  firstBlockHash: string;
  lastBlockHash: string;
  entities: EntityName[];
  chunks: Array<{ index: number; range: BlockRange; firstParentHash: string; firstBlockHash: string; lastBlockHash: string }>;
  files: LakeFile[];
  exporterVersion: string;
  nodeClientVersion: string;
}
