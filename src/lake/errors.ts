import { LedgerflowError } from '../errors/LedgerflowError.js';

/**
 * Two consecutive chunks do not chain: the later chunk's first parentHash is not the earlier
 * chunk's last block hash. The node served blocks from different forks (a reorg during export,
 * or an inconsistent endpoint); re-exporting the same data cannot fix it without a re-export of
 * both chunks.
 */
export class ChainContinuityError extends LedgerflowError {
  override readonly name = 'ChainContinuityError';
  readonly retryable = false;

  constructor(fields: {
    chainId: number;
    date: string;
    previousBlock: number;
    previousHash: string;
    block: number;
    parentHash: string;
  }) {
    super(
      `Block ${fields.block}'s parentHash ${fields.parentHash} is not block ${fields.previousBlock}'s hash ${fields.previousHash}`,
      {
        context: { chain_id: fields.chainId, date: fields.date },
        fix: `re-export chunks ending at ${fields.previousBlock} and starting at ${fields.block} once the chain is final, then seal the day again`,
      },
    );
  }
}

/** The chunk results handed to sealDay do not tile the day's range exactly once. */
export class ChunkCoverageError extends LedgerflowError {
  override readonly name = 'ChunkCoverageError';
  readonly retryable = false;
}

/** Two planned chunks or files would be written under one S3 key. */
export class DuplicateObjectKeyError extends LedgerflowError {
  override readonly name = 'DuplicateObjectKeyError';
  readonly retryable = false;

  constructor(fields: { key: string; first: string; second: string }) {
    super(`Two outputs map to one S3 key ${fields.key}: ${fields.first} and ${fields.second}`, {
      fix: 'plan chunks that do not overlap (planChunks gives disjoint ranges)',
    });
  }
}

/** A manifest.json does not have the shape this version writes. */
export class InvalidManifestError extends LedgerflowError {
  override readonly name = 'InvalidManifestError';
  readonly retryable = false;
}

/**
 * Writing or reading an S3 object failed. Network faults and throttling are worth a retry; a
 * missing bucket or refused credentials are not, unless the caller says otherwise.
 */
export class LakeObjectError extends LedgerflowError {
  override readonly name = 'LakeObjectError';
  readonly retryable: boolean;

  constructor(shortMessage: string, options: ConstructorParameters<typeof LedgerflowError>[1] & { retryable?: boolean }) {
    super(shortMessage, options);
    this.retryable = options?.retryable ?? !isPermanentS3Error(options?.cause);
  }
}

const PERMANENT_S3_ERRORS = new Set(['NoSuchBucket', 'AccessDenied', 'InvalidAccessKeyId', 'SignatureDoesNotMatch', 'InvalidBucketName', 'AllAccessDisabled']);

/** S3 errors that a retry of the same request cannot fix: configuration or permissions. */
export function isPermanentS3Error(error: unknown): boolean {
  return error instanceof Error && PERMANENT_S3_ERRORS.has(error.name);
}
