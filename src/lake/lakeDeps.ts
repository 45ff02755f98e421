import type { S3Client } from '@aws-sdk/client-s3';
import type { EntityName, ExportRangeInput, ExportRangeResult } from '../chain/types.js';
import type { RpcClient } from '../chain/rpc/types.js';
import type { Logger } from '../log.js';
import type { FileFormatName } from './format/types.js';
import type { LakeLocation } from './types.js';

/** Where the lake is and how its objects are written. */
export interface LakeSettings extends LakeLocation {
  /**
   * Format of the entity objects a chunk writes: gzip CSV (ethereum-etl columns) unless set
   * (LEDGERFLOW_LAKE_FORMAT offers the formats a warehouse loads; JSON lines only in code).
   */
  format?: FileFormatName;
  /** Multipart tuning for large objects; defaults suit 500-block chunks. */
  partSize?: number;
  queueSize?: number;
  /** Object Lock retention written with every sealed manifest, signature and COPY manifest (AWS); none locally. */
  manifestRetention?: { mode: 'GOVERNANCE' | 'COMPLIANCE'; days: number };
}

/** The exporter as the lake sees it: rows of a block range, and each entity's column order. */
export interface LakeExporter {
  exportRange(input: ExportRangeInput): Promise<ExportRangeResult>;
  columnsOf(entity: EntityName): readonly string[];
}

export interface LakeStoreDeps {
  s3: S3Client;
  lake: LakeSettings;
  logger?: Logger;
}

export interface LakeExportDeps extends LakeStoreDeps {
  rpc: RpcClient;
  /** The chain exporter (src/chain exportRange and its entity registry) unless a test passes a fake. */
  exporter?: LakeExporter;
}
