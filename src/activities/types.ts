import type { BlockRange, EntityName } from '../chain/types.js';
import type { ChunkExportResult, ChunkPlan } from '../lake/types.js';
import type { VerifyLayer } from '../workflows/verifyLayers.js';

/**
 * Inputs and results that cross the workflow boundary. They hold keys, block numbers, hashes and
 * counts only (never rows, never secrets), each as one named object so a field can be added
 * without breaking running histories.
 */
export interface DayRef {
  chainId: number;
  date: string;
}

export interface ResolveDayInput {
  date: string;
  /** When given, the node must report the same chain id. */
  chainId?: number;
  /** The run supersedes the sealed day: plan its objects under the next manifest version's keys. */
  supersede?: boolean;
}

export interface ResolvedDay extends DayRef {
  range: BlockRange;
  chunks: ChunkPlan[];
  entities: EntityName[];
  /** Masked `web3_clientVersion` of the node, recorded in the manifest. */
  nodeClientVersion: string;
  /**
   * The day's latest sealed manifest, when there is one. Sealed bytes never change, so a run of
   * a sealed day loads it as sealed instead of exporting again (which could only seal the same
   * bytes, or be refused after overwriting the sealed objects); superseding exports anew.
   */
  sealed?: SealDayResult;
}

export interface ExportChunksInput extends DayRef {
  chunks: ChunkPlan[];
  entities: EntityName[];
}

export interface ExportChunksResult {
  results: ChunkExportResult[];
  /** Chunks a retry found already exported in the heartbeat details. */
  resumed: number;
}

/** What the export activity checkpoints: every finished chunk plus the cursor inside the current one. */
export interface ExportHeartbeat {
  done: ChunkExportResult[];
  current?: { index: number; lastBlock: number };
}

export interface SealDayInput extends DayRef {
  range: BlockRange;
  entities: EntityName[];
  nodeClientVersion: string;
  results: ChunkExportResult[];
  /** Write a new manifest version over different sealed bytes, recording this reason. */
  supersede?: { reason: string };
}

export interface SealDayResult extends DayRef {
  manifestKey: string;
  manifestSha256: string;
  range: BlockRange;
  firstBlockHash: string;
  lastBlockHash: string;
  rows: Partial<Record<EntityName, number>>;
  tables: EntityName[];
  /** Absent in results recorded before sealing was immutable. */
  outcome?: 'written' | 'unchanged' | 'superseded';
  /** Redshift COPY manifest per entity of this manifest version. */
  copyManifestKeys?: Record<string, string>;
  /** The previous day's manifest this one links to; null when it starts a segment of the chain. */
  previousManifestSha256?: string | null;
}

/** A day's load, pinned to the exact manifest bytes the seal returned. */
export interface LoadDayInput extends DayRef {
  manifestKey: string;
  manifestSha256: string;
  copyManifestKeys?: Record<string, string>;
}

export interface LoadDayResult extends DayRef {
  manifestSha256: string;
  tables: LoadTableResult[];
}

export interface LoadTableResult {
  table: EntityName;
  rows: number;
}

export interface RunModelsInput extends DayRef {
  range: BlockRange;
}

export interface RunModelsResult {
  models: Array<{ name: string; rows: number }>;
}

/** A metric that runs after each day's load, and the after-load metrics it reads. */
export interface PlannedMetric {
  name: string;
  depends: string[];
}

export interface PlanMetricsResult {
  /** In dependency order. */
  metrics: PlannedMetric[];
  /** One line per metric file left out of the registry, naming the file. */
  problems: string[];
}

export interface RunMetricInput extends DayRef {
  metric: string;
  /** The block range the day's load committed; the one loaded_days records when absent. */
  range?: BlockRange;
}

export interface DayStatus extends DayRef {
  sealed: boolean;
  loaded: boolean;
  manifestKey?: string;
  manifestSha256?: string;
}

export interface VerifyDayResult extends DayRef {
  manifestKey: string;
  filesChecked: number;
  mismatches: Array<{ key: string; entity: string; expectedSha256: string; actualSha256: string | null; reason: string }>;
}


/** One layer's verdict: what was checked, and one line per mismatch naming the object or table. */
export interface LayerReport {
  layer: VerifyLayer;
  /** Objects hashed, files re-exported, or tables counted. */
  checked: number;
  /** Each line contains the word `mismatch` and names the object or table. */
  mismatches: string[];
  /** One line on what was proven, e.g. the signature's key id. */
  note: string;
}

export interface VerifyLayerInput extends DayRef {
  manifestKey: string;
  manifestSha256: string;
}

export interface VerifyDayReport extends DayRef {
  manifestKey: string;
  manifestSha256: string;
  layers: LayerReport[];
  ok: boolean;
}

// Workflows may import activities as types only; these re-exports are how they name the shapes.
export type { BlockRange, EntityName } from '../chain/types.js';
export type { ChunkExportResult, ChunkPlan } from '../lake/types.js';
export type { VerifyLayer } from '../workflows/verifyLayers.js';
export type { ModelRunResult } from '../warehouse/applyModels.js';
