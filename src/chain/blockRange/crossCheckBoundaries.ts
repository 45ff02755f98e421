import type { RpcClient } from '../rpc/types.js';
import { toQuantity } from '../rpc/quantity.js';
import { RpcInvalidResponseError } from '../rpc/errors.js';
import { blockPoint, type BlockPoint, type RawBlock } from './blockTimestampIndex.js';

export interface BoundaryDisagreement {
  block: number;
  hash: string;
  witnessHash: string;
}

/**
 * Asks `witness` for the boundary blocks another endpoint resolved a day from (its first block,
 * its last, and the block after, which proves the last is the last) in one batch, and returns the
 * first whose hash differs, or undefined when all agree. Agreement on the block after the day
 * also pins everything below it through the parent hashes.
 */
export async function crossCheckBoundaries(witness: RpcClient, boundaries: readonly BlockPoint[], signal?: AbortSignal): Promise<BoundaryDisagreement | undefined> {
  const answers = await witness.batch<RawBlock>(
    boundaries.map((b) => ({ method: 'eth_getBlockByNumber', params: [toQuantity(b.number), false], block: b.number })),
    { requireResults: true, ...(signal ? { signal } : {}) },
  );
  for (let i = 0; i < boundaries.length; i++) {
    const mine = boundaries[i] as BlockPoint;
    const theirs = blockPoint(answers[i] as RawBlock);
    const hash = requireHash(mine, 'the resolving endpoint');
    const witnessHash = requireHash(theirs, witness.describe());
    if (theirs.number !== mine.number) {
      throw new RpcInvalidResponseError({ method: 'eth_getBlockByNumber', endpoint: witness.describe(), block: mine.number, detail: `answered block ${theirs.number}` });
    }
    if (hash !== witnessHash) return { block: mine.number, hash, witnessHash };
  }
  return undefined;
}

function requireHash(point: BlockPoint, endpoint: string): string {
  if (point.hash === undefined) {
    throw new RpcInvalidResponseError({ method: 'eth_getBlockByNumber', endpoint, block: point.number, detail: 'block without a hash' });
  }
  return point.hash;
}
