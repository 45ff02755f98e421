import pLimit from 'p-limit';
import { createHashingLakeSink } from './hashingLakeSink.js';
import type { LakeExportDeps } from './lakeDeps.js';
import { parseObjectKey, s3Url } from './objectKey.js';
import { runChunkExport } from './runChunkExport.js';
import type { BlockRange } from '../chain/types.js';
import type { FileFormatName } from './format/types.js';
import type { ChunkExportResult, DayManifest, LakeFile } from './types.js';

export interface DigestMismatch {
  key: string;
  entity: string;
  /** One line for an operator: which digest differs and how. */
  reason: string;
  expectedSha256: string;
  /** null when the re-export produced no file under this key. */
  actualSha256: string | null;
  expectedRows: number;
  actualRows: number | null;
  /** Set when the uncompressed text matches: the difference is in compression (zlib build), not data. */
  sameContent?: boolean;
}

export interface HashMismatch {
  chunk: number;
  field: 'firstParentHash' | 'firstBlockHash' | 'lastBlockHash';
  expected: string;
  actual: string;
}

export interface VerifyDayResult {
  ok: boolean;
  mismatches: DigestMismatch[];
  hashMismatches: HashMismatch[];
}

/**
 * Re-exports every chunk of a sealed day into hashing sinks (nothing is uploaded) and compares
 * each object's sha256 and row count, and each chunk's block hashes, with the manifest.
 */
export async function verifyDay(
  deps: Omit<LakeExportDeps, 's3'>,
  input: { manifest: DayManifest },
  options: { signal?: AbortSignal; concurrency?: number } = {},
): Promise<VerifyDayResult> {
  const { manifest } = input;
  const limit = pLimit(options.concurrency ?? 2);
  const results = await Promise.all(
    manifest.chunks.map((chunk) =>
      limit(() =>
        runChunkExport(
          { ...deps, lake: { ...deps.lake, format: sealedAs(manifest, chunk.range).format } },
          { chunk: { chainId: manifest.chainId, date: manifest.date, index: chunk.index, range: chunk.range, ...objectVersionOf(sealedAs(manifest, chunk.range)) }, entities: manifest.entities },
          ({ entity, key, format, columns }) => createHashingLakeSink({ key, location: s3Url(deps.lake.bucket, key), format, entity, columns }),
          options.signal ? { signal: options.signal } : {},
        ),
      ),
    ),
  );
  const mismatches = compareFiles(manifest, results);
  const hashMismatches = compareHashes(manifest, results);
  deps.logger?.info(
    { chain_id: manifest.chainId, date: manifest.date, mismatches: mismatches.length, hash_mismatches: hashMismatches.length },
    'day verified',
  );
  return { ok: mismatches.length === 0 && hashMismatches.length === 0, mismatches, hashMismatches };
}

/**
 * How a chunk's objects were sealed: their format and manifest version, read from the key of one
 * of them, so a day is re-encoded as it was written, whatever this verifier's own settings say.
 */
function sealedAs(manifest: DayManifest, range: BlockRange): { format: FileFormatName; version?: number } {
  const file = manifest.files.find((f) => f.range.start === range.start && f.range.end === range.end);
  const parsed = file ? parseObjectKey(file.key) : undefined;
  return parsed ? { format: parsed.format, ...(parsed.version ? { version: parsed.version } : {}) } : { format: 'csv' };
}

function objectVersionOf(sealed: { version?: number }): { objectVersion?: number } {
  return sealed.version && sealed.version > 1 ? { objectVersion: sealed.version } : {};
}

function compareFiles(manifest: DayManifest, results: readonly ChunkExportResult[]): DigestMismatch[] {
  const actual = new Map(results.flatMap((result) => result.files).map((file) => [file.key, file]));
  const mismatches: DigestMismatch[] = [];
  for (const expected of manifest.files) {
    const found = actual.get(expected.key);
    if (found && found.sha256 === expected.sha256 && found.rows === expected.rows) continue;
    const sameContent = found !== undefined && expected.contentSha256 !== undefined && found.contentSha256 === expected.contentSha256;
    mismatches.push({
      key: expected.key,
      entity: expected.entity,
      reason: mismatchReason(expected, found, sameContent),
      expectedSha256: expected.sha256,
      actualSha256: found?.sha256 ?? null,
      expectedRows: expected.rows,
      actualRows: found?.rows ?? null,
      ...(sameContent ? { sameContent: true } : {}),
    });
  }
  return mismatches;
}

function mismatchReason(expected: LakeFile, found: LakeFile | undefined, sameContent: boolean): string {
  if (!found) return 'the re-export produced no object under this key';
  if (found.rows !== expected.rows) return `re-export has ${found.rows} rows, manifest ${expected.rows}`;
  if (sameContent) return 'same rows and text, different gzip bytes: compressed by another zlib build';
  return 'sha256 differs: the node now returns different data for these blocks';
}

function compareHashes(manifest: DayManifest, results: readonly ChunkExportResult[]): HashMismatch[] {
  const mismatches: HashMismatch[] = [];
  manifest.chunks.forEach((chunk, i) => {
    const result = results[i];
    if (!result) return;
    for (const field of ['firstParentHash', 'firstBlockHash', 'lastBlockHash'] as const) {
      if (chunk[field].toLowerCase() !== result[field].toLowerCase()) {
        mismatches.push({ chunk: chunk.index, field, expected: chunk[field], actual: result[field] });
      }
    }
  });
  return mismatches;
}
