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

const supersedeFix = (date: string) =>
  `if the new export is the right one, supersede the sealed version: \`ledgerflow lake export-day --date ${date} --force --reason "<why>"\`, or for a Temporal run \`ledgerflow run-day --date ${date} --supersede "<why>"\``;

/**
 * A sealed object (a manifest, its signature or a COPY manifest) already exists with other bytes.
 * Sealed objects are never overwritten: the day changed since it was sealed, and only an explicit
 * supersede may record a new version next to the old one.
 */
export class SealedManifestConflictError extends LedgerflowError {
  override readonly name = 'SealedManifestConflictError';
  readonly retryable = false;

  constructor(fields: { key: string; date: string; storedSha256: string; newSha256: string }) {
    super(`Refusing to overwrite sealed ${fields.key}: stored sha256 ${fields.storedSha256}, new sha256 ${fields.newSha256}`, {
      context: { key: fields.key, date: fields.date },
      fix: supersedeFix(fields.date),
    });
  }
}

/**
 * The day's first block does not extend the previous sealed day: its parentHash is not the
 * previous day's last block hash (a reorg across the day boundary), or the ranges leave a gap or
 * overlap. Sealing again cannot help until one of the two days is exported again.
 */
export class DayBoundaryReorgError extends LedgerflowError {
  override readonly name = 'DayBoundaryReorgError';
  readonly retryable = false;

  constructor(
    shortMessage: string,
    fields: { chainId: number; date: string; previousDate: string; previousManifestKey: string },
  ) {
    super(shortMessage, {
      context: { chain_id: fields.chainId, date: fields.date, previous_manifest: fields.previousManifestKey },
      fix: `re-export day ${fields.previousDate} once final and supersede it (\`ledgerflow lake export-day --date ${fields.previousDate} --force --reason "reorg across ${fields.previousDate}/${fields.date}"\`), then seal ${fields.date} again`,
    });
  }
}
