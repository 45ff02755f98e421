import { ENTITY_NAMES, type BlockRange, type EntityName } from '../chain/types.js';
import { assertUniqueKeys } from './assertUniqueKeys.js';
import { ChainContinuityError, ChunkCoverageError } from './errors.js';
import type { ChunkExportResult, DayManifestV1, LakeFile } from './types.js';

export interface SealDayInput {
  chainId: number;
  date: string;
  range: BlockRange;
  entities: readonly EntityName[];
  chunks: readonly ChunkExportResult[];
  /** package.json version of the exporter that wrote the files. */
  exporterVersion: string;
  /** web3_clientVersion of the node the rows came from. */
  nodeClientVersion: string;
}

/**
 * Checks that the chunks tile the day's range exactly, in block order, each with one file per
 * entity, and that each chunk's first parentHash is the previous chunk's last hash; then builds
 * the manifest with every list in a fixed order, so the same chunks always seal to the same
 * bytes whatever order they finished in.
 */
export function buildDayManifest(input: SealDayInput): DayManifestV1 {
  const { chainId, date, range } = input;
  const context = { chain_id: chainId, date, block_range: `${range.start}-${range.end}` };
  const entities = ENTITY_NAMES.filter((name) => input.entities.includes(name));
  if (entities.length === 0) throw new ChunkCoverageError('No entities to seal', { context, fix: 'pass the entities the chunks were exported with' });

  const chunks = [...input.chunks].sort((a, b) => a.chunk.range.start - b.chunk.range.start);
  if (chunks.length === 0) throw new ChunkCoverageError('No chunks to seal', { context, fix: 'export the day before sealing it' });

  let expectedStart = range.start;
  let previous: ChunkExportResult | undefined;
  for (const result of chunks) {
    const { chunk } = result;
    const chunkRange = `${chunk.range.start}-${chunk.range.end}`;
    if (chunk.chainId !== chainId || chunk.date !== date) {
      throw new ChunkCoverageError(`Chunk ${chunkRange} belongs to chain ${chunk.chainId} day ${chunk.date}`, { context, fix: 'seal each day with its own chunks' });
    }
    if (chunk.range.start !== expectedStart) {
      const problem = chunk.range.start > expectedStart ? `blocks ${expectedStart}-${chunk.range.start - 1} are missing` : `chunk ${chunkRange} overlaps blocks before ${expectedStart}`;
      throw new ChunkCoverageError(`Chunks do not cover the day exactly: ${problem}`, { context, fix: 'export the missing chunks (planChunks gives the plan) and seal again' });
    }
    if (chunk.range.end < chunk.range.start || chunk.range.end > range.end) {
      throw new ChunkCoverageError(`Chunk ${chunkRange} runs past the day's last block ${range.end}`, { context, fix: 'plan chunks with planChunks for this day' });
    }
    checkFiles(result, entities, context);
    if (previous && previous.lastBlockHash.toLowerCase() !== result.firstParentHash.toLowerCase()) {
      throw new ChainContinuityError({
        chainId,
        date,
        previousBlock: previous.chunk.range.end,
        previousHash: previous.lastBlockHash,
        block: chunk.range.start,
        parentHash: result.firstParentHash,
      });
    }
    expectedStart = chunk.range.end + 1;
    previous = result;
  }
  if (expectedStart !== range.end + 1) {
    throw new ChunkCoverageError(`Chunks do not cover the day exactly: blocks ${expectedStart}-${range.end} are missing`, { context, fix: 'export the missing chunks and seal again' });
  }

  const files: LakeFile[] = chunks
    .flatMap((result) => result.files)
    .map((file) => ({ ...file, range: { start: file.range.start, end: file.range.end } }))
    .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  assertUniqueKeys(files.map((file) => ({ key: file.key, label: `${file.entity} ${file.range.start}-${file.range.end}` })));

  const first = chunks[0]!;
  const last = chunks[chunks.length - 1]!;
  return {
    manifestVersion: 1,
    chainId,
    date,
    range: { start: range.start, end: range.end },
    firstBlockHash: first.firstBlockHash,
    lastBlockHash: last.lastBlockHash,
    entities,
    chunks: chunks.map((result, index) => ({
      index,
      range: { start: result.chunk.range.start, end: result.chunk.range.end },
      firstParentHash: result.firstParentHash,
      firstBlockHash: result.firstBlockHash,
      lastBlockHash: result.lastBlockHash,
    })),
    files,
    exporterVersion: input.exporterVersion,
    nodeClientVersion: input.nodeClientVersion,
  };
}

function checkFiles(result: ChunkExportResult, entities: readonly EntityName[], context: Record<string, string | number>): void {
  const { range } = result.chunk;
  const have = result.files.map((file) => file.entity);
  for (const entity of entities) {
    const count = have.filter((name) => name === entity).length;
    if (count !== 1) {
      throw new ChunkCoverageError(`Chunk ${range.start}-${range.end} has ${count} ${entity} files, expected 1`, {
        context,
        fix: `export chunk ${range.start}-${range.end} again with every entity of the day`,
      });
    }
  }
  const extra = have.find((entity) => !entities.includes(entity));
  if (extra) {
    throw new ChunkCoverageError(`Chunk ${range.start}-${range.end} has a ${extra} file but ${extra} is not among the day's entities`, {
      context,
      fix: 'seal with the same entity list the chunks were exported with',
    });
  }
  for (const file of result.files) {
    if (file.range.start !== range.start || file.range.end !== range.end) {
      throw new ChunkCoverageError(`File ${file.key} covers ${file.range.start}-${file.range.end}, not its chunk ${range.start}-${range.end}`, { context });
    }
  }
}
