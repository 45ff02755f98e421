import type { BlockRange, EntityName } from '../chain/types.js';
import { InvalidInputError } from '../errors/LedgerflowError.js';
import type { FileFormatName } from './format/types.js';

/**
 * Key layout of the lake (docs/lake.md). Block numbers are zero-padded to 10 digits so a plain
 * lexical listing returns chunks in block order (10 digits last until block 9,999,999,999).
 *
 *   <prefix>/chain=<id>/entity=<entity>/date=<YYYY-MM-DD>/<entity>-<start>-<end>.<suffix>
 *   <prefix>/chain=<id>/entity=<entity>/date=<YYYY-MM-DD>/v<n>/<entity>-<start>-<end>.<suffix> (exported to supersede: version n >= 2)
 *   <prefix>/chain=<id>/manifests/date=<YYYY-MM-DD>/manifest.json          (version 1 of the day)
 *   <prefix>/chain=<id>/manifests/date=<YYYY-MM-DD>/manifest.v<n>.json     (version n >= 2, superseding)
 *   <prefix>/chain=<id>/manifests/date=<YYYY-MM-DD>/<manifest key>.sig     (its detached signature)
 *   <prefix>/chain=<id>/manifests/date=<YYYY-MM-DD>/copy/<entity>.manifest (Redshift COPY, version 1)
 *   <prefix>/chain=<id>/manifests/date=<YYYY-MM-DD>/copy/v<n>/<entity>.manifest
 *
 * The suffix names the object's format: `csv.gz` (the default), `json.gz` or `parquet` (Parquet
 * compresses inside its pages, so the object is not gzipped again).
 */
export interface ObjectKeyInput {
  prefix: string;
  chainId: number;
  entity: EntityName;
  date: string;
  range: BlockRange;
  /** The object's format, which its key's suffix names. */
  format: FileFormatName;
  /**
   * The manifest version the object is exported for; absent or 1 for the original layout. A
   * superseding export writes beside the sealed objects, never over them.
   */
  version?: number;
}

const BLOCK_DIGITS = 10;
const SUFFIXES: Readonly<Record<FileFormatName, string>> = { csv: 'csv.gz', json: 'json.gz', parquet: 'parquet' };
const FORMAT_OF_SUFFIX = new Map(Object.entries(SUFFIXES).map(([format, suffix]) => [suffix, format as FileFormatName]));

/** The suffix of a data object's key in a format: `csv.gz`, `json.gz`, `parquet`. */
export function objectSuffix(format: FileFormatName): string {
  return `.${SUFFIXES[format]}`;
}

/** The format of a data object, read from its key's suffix; undefined for any other key. */
export function formatOfKey(key: string): FileFormatName | undefined {
  for (const [suffix, format] of FORMAT_OF_SUFFIX) if (key.endsWith(`.${suffix}`)) return format;
  return undefined;
}
const DATE_PATTERN = /^\d{4}-\d{2}-\d{2}$/;

export function objectKey(input: ObjectKeyInput): string {
  checkRange(input.range);
  const start = padBlock(input.range.start);
  const end = padBlock(input.range.end);
  const version = checkVersion(input.version ?? 1);
  return `${chainRoot(input.prefix, input.chainId)}/entity=${input.entity}/date=${checkDate(input.date)}/${version === 1 ? '' : `v${version}/`}${input.entity}-${start}-${end}.${SUFFIXES[input.format]}`;
}

/** The key of one version of a day's manifest; version 1 (the default) is `manifest.json`. */
export function dayManifestKey(input: { prefix: string; chainId: number; date: string; version?: number }): string {
  const version = checkVersion(input.version ?? 1);
  return `${dayManifestDir(input)}/${version === 1 ? 'manifest.json' : `manifest.v${version}.json`}`;
}

/** The folder holding every manifest version of a day (and their signatures and COPY manifests). */
export function dayManifestDir(input: { prefix: string; chainId: number; date: string }): string {
  return `${chainRoot(input.prefix, input.chainId)}/manifests/date=${checkDate(input.date)}`;
}

/** The version number of a day manifest key's file name, or undefined for any other object. */
export function manifestVersionOfKey(key: string): number | undefined {
  const name = key.slice(key.lastIndexOf('/') + 1);
  if (name === 'manifest.json') return 1;
  const match = /^manifest\.v([1-9]\d{0,8})\.json$/.exec(name);
  if (!match) return undefined;
  const version = Number(match[1]);
  return version >= 2 ? version : undefined;
}

/** The detached signature of a manifest lives next to it. */
export function manifestSignatureKey(manifestKey: string): string {
  return `${manifestKey}.sig`;
}

/**
 * Redshift COPY manifest for one entity of one version of a day, next to the day manifest.
 * Version 1 keeps the original key, so lakes sealed before versions existed stay loadable.
 */
export function copyManifestKey(input: { prefix: string; chainId: number; date: string; entity: EntityName; version?: number }): string {
  const version = checkVersion(input.version ?? 1);
  return `${dayManifestDir(input)}/copy/${version === 1 ? '' : `v${version}/`}${input.entity}.manifest`;
}

/**
 * Reads a data object key back into its parts, or undefined when the key is not one objectKey
 * writes. Round-trips through objectKey, so the layout is defined once.
 */
export function parseObjectKey(key: string): ObjectKeyInput | undefined {
  const match = /^(?:(.+)\/)?chain=(\d+)\/entity=([a-z][a-z0-9_]*)\/date=(\d{4}-\d{2}-\d{2})\/(?:v(\d+)\/)?([a-z][a-z0-9_]*)-(\d+)-(\d+)\.([a-z0-9.]+)$/.exec(key);
  if (!match) return undefined;
  const [, prefix = '', chainId, entity, date, version, fileEntity, start, end, suffix] = match;
  const format = FORMAT_OF_SUFFIX.get(suffix!);
  if (entity !== fileEntity || format === undefined) return undefined;
  const parsed: ObjectKeyInput = {
    prefix,
    chainId: Number(chainId),
    entity: entity as EntityName,
    date: date!,
    range: { start: Number(start), end: Number(end) },
    format,
    ...(version !== undefined ? { version: Number(version) } : {}),
  };
  try {
    return objectKey(parsed) === key ? parsed : undefined;
  } catch {
    return undefined;
  }
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

function checkVersion(version: number): number {
  if (!Number.isSafeInteger(version) || version < 1) {
    throw new InvalidInputError(`Manifest version ${version} is not a positive integer`, { fix: 'number manifest versions from 1' });
  }
  return version;
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
