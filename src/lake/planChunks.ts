import type { BlockRange } from '../chain/types.js';
import { InvalidInputError } from '../errors/LedgerflowError.js';
import type { ChunkPlan } from './types.js';

/**
 * Splits a day's inclusive block range into fixed chunks aligned to the range start. Pure: the
 * same inputs always give the same chunks, so a retried or re-run day writes the same keys.
 */
export function planChunks(chainId: number, date: string, range: BlockRange, chunkSize: number): ChunkPlan[] {
  if (!Number.isSafeInteger(chunkSize) || chunkSize < 1) {
    throw new InvalidInputError(`Chunk size ${chunkSize} is not a positive integer`, { fix: 'pass --chunk-size 1 or more (500 is typical)' });
  }
  if (!Number.isSafeInteger(range.start) || !Number.isSafeInteger(range.end) || range.start < 0 || range.end < range.start) {
    throw new InvalidInputError(`Block range ${range.start}-${range.end} is not an inclusive range of block numbers`, {
      context: { chain_id: chainId, date },
      fix: 'pass a range with 0 <= start <= end',
    });
  }
  const chunks: ChunkPlan[] = [];
  for (let start = range.start, index = 0; start <= range.end; start += chunkSize, index += 1) {
    chunks.push({ chainId, date, index, range: { start, end: Math.min(start + chunkSize - 1, range.end) }, knownHeight: range.end + 1 });
  }
  return chunks;
}
