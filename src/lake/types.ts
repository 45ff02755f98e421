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
  /** Set when exporting to supersede a sealed day: objects go under keys of this manifest version (objectKey). */
  objectVersion?: number;
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

/** Where the previous day's sealed manifest is, and the hash the next day must start from. */
export interface PreviousDayLink {
  date: string;
  manifestKey: string;
  manifestSha256: string;
  lastBlockHash: string;
}

/** How a manifest was sealed; recorded inside the signed bytes, so the key id cannot be swapped. */
export type ManifestSigning = { algorithm: 'ed25519'; keyId: string } | { unsigned: true };

/** The sealed version of the day this version replaces, and why. */
export interface SupersededManifest {
  manifestKey: string;
  manifestSha256: string;
  reason: string;
}

interface DayManifestBody {
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

/** A manifest sealed before the custody chain: no link to the previous day, no signature. */
export interface DayManifestV1 extends DayManifestBody {
  manifestVersion: 1;
}

/** A manifest chained to the previous day's and signed (or marked unsigned on purpose). */
export interface DayManifestV2 extends DayManifestBody {
  manifestVersion: 2;
  /** null: the first day of a chain segment (the previous day has no manifest in the lake). */
  previous: PreviousDayLink | null;
  signing: ManifestSigning;
  supersedes?: SupersededManifest;
}

/**
 * The custody record of one exported day: `<prefix>/chain=<id>/manifests/date=<day>/manifest.json`,
 * later versions `manifest.v<n>.json` (docs/lake.md).
 */
export type DayManifest = DayManifestV1 | DayManifestV2;
