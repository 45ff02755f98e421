import type { BlockRange, EntityName } from '../chain/types.js';
import { InvalidInputError } from '../errors/LedgerflowError.js';

/**
 * Key layout of the lake (docs/lake.md). Block numbers are zero-padded to 10 digits so a plain
 * lexical listing returns chunks in block order (10 digits last until block 9,999,999,999).
 *
 *   <prefix>/chain=<id>/entity=<entity>/date=<YYYY-MM-DD>/<entity>-<start>-<end>.<ext>.gz
 *   <prefix>/chain=<id>/manifests/date=<YYYY-MM-DD>/manifest.json
 *   <prefix>/chain=<id>/manifests/date=<YYYY-MM-DD>/copy/<entity>.manifest
 */
export interface ObjectKeyInput {
  prefix: string;
  chainId: number;
  entity: EntityName;
  date: string;
  range: BlockRange;
  /** Row format extension without the dot (`csv`, `json`). */
  extension: string;
}

const BLOCK_DIGITS = 10;
const DATE_PATTERN = /^\d{4}-\d{2}-\d{2}$/;

export function objectKey(input: ObjectKeyInput): string {
  checkRange(input.range);
  const start = padBlock(input.range.start);
  const end = padBlock(input.range.end);
  return `${chainRoot(input.prefix, input.chainId)}/entity=${input.entity}/date=${checkDate(input.date)}/${input.entity}-${start}-${end}.${input.extension}.gz`;
}

export function dayManifestKey(input: { prefix: string; chainId: number; date: string }): string {
  return `${manifestDir(input)}/manifest.json`;
}

/** Redshift COPY manifest for one entity of one day, next to the day manifest. */
export function copyManifestKey(input: { prefix: string; chainId: number; date: string; entity: EntityName }): string {
  return `${manifestDir(input)}/copy/${input.entity}.manifest`;
}

export function s3Url(bucket: string, key: string): string {
  return `s3://${bucket}/${key}`;
}

export function padBlock(block: number): string {
  if (!Number.isSafeInteger(block) || block < 0 || block >= 10 ** BLOCK_DIGITS) {
    throw new InvalidInputError(`Block number ${block} does not fit the ${BLOCK_DIGITS}-digit key layout`, {
      fix: 'pass a non-negative integer block number below 10^10',
    });
  }
  return String(block).padStart(BLOCK_DIGITS, '0');
}

function manifestDir(input: { prefix: string; chainId: number; date: string }): string {
  return `${chainRoot(input.prefix, input.chainId)}/manifests/date=${checkDate(input.date)}`;
}

function chainRoot(prefix: string, chainId: number): string {
  if (!Number.isSafeInteger(chainId) || chainId <= 0) {
    throw new InvalidInputError(`Chain id ${chainId} is not a positive integer`, { fix: 'pass the chain id from eth_chainId' });
  }
  const trimmed = prefix.replace(/^\/+|\/+$/g, '');
  return trimmed ? `${trimmed}/chain=${chainId}` : `chain=${chainId}`;
}

function checkDate(date: string): string {
  if (!DATE_PATTERN.test(date) || Number.isNaN(Date.parse(`${date}T00:00:00Z`))) {
    throw new InvalidInputError(`Date ${date} is not a UTC day in YYYY-MM-DD form`, { fix: 'pass a date such as 2024-01-31' });
  }
  return date;
}

function checkRange(range: BlockRange): void {
  padBlock(range.start);
  padBlock(range.end);
  if (range.end < range.start) {
    throw new InvalidInputError(`Block range ${range.start}-${range.end} ends before it starts`, {
      fix: 'pass an inclusive range with start <= end',
    });
  }
}
