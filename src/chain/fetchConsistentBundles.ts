import { toQuantity } from './decode/hexToInt.js';
import type { BlockBundle, RpcBlock } from './entities/rpcShapes.js';
import { fetchBlockBundles, type FetchBundlesOptions } from './fetchBlockBundles.js';
import { InconsistentNodeDataError } from './inconsistentNodeDataError.js';
import { backoffDelay, DEFAULT_BACKOFF, type BackoffOptions } from './rpc/backoffDelay.js';
import { realClock, type Clock } from './rpc/rateLimiter.js';

export interface ConsistencyOptions {
  /** Fetches of one stretch of blocks before its disagreement is reported (default 5). */
  attempts?: number;
  backoff?: BackoffOptions;
  clock?: Clock;
}

export interface StretchAnchors {
  /** Hash the first block's parentHash must equal (the last block already written), if any. */
  parentHash?: string | undefined;
  /** A block after the stretch whose header must name the stretch's last block as its parent. */
  confirmWith?: number | undefined;
}

/**
 * Fetches consecutive blocks so that every answer agrees with one chain of hashes: each block's
 * parentHash is the previous block's hash, the first continues `parentHash`, the header of
 * `confirmWith` continues the last, and every receipt, log and trace names its block's hash
 * (checked in fetchBlockBundles). Behind a balancer, or with several endpoints in the pool, the
 * answers of one stretch may come from nodes that disagree (a node on another fork, a sibling
 * block near a reorg); the stretch is then fetched again, whole, and only a disagreement that
 * outlasts every attempt fails, naming both endpoints and both hashes.
 */
export async function fetchConsistentBundles(
  numbers: readonly number[],
  fetch: FetchBundlesOptions,
  anchors: StretchAnchors = {},
  options: ConsistencyOptions = {},
): Promise<BlockBundle[]> {
  const attempts = Math.max(1, options.attempts ?? 5);
  const clock = options.clock ?? realClock;
  for (let attempt = 1; ; attempt++) {
    try {
      return await fetchOnce(numbers, fetch, anchors);
    } catch (error) {
      if (!(error instanceof InconsistentNodeDataError)) throw error;
      if (attempt >= attempts) throw new InconsistentNodeDataError({ ...error.fields, attempts: attempt });
      await clock.sleep(backoffDelay(attempt, options.backoff ?? DEFAULT_BACKOFF), fetch.signal);
    }
  }
}

async function fetchOnce(numbers: readonly number[], fetch: FetchBundlesOptions, anchors: StretchAnchors): Promise<BlockBundle[]> {
  const { rpc, signal } = fetch;
  let confirmFrom = '';
  const confirm =
    anchors.confirmWith === undefined
      ? undefined
      : rpc.request<RpcBlock>('eth_getBlockByNumber', [toQuantity(anchors.confirmWith), false], {
          ...(signal ? { signal } : {}),
          onServed: (endpoint) => (confirmFrom = endpoint),
        });
  confirm?.catch(() => undefined);
  const bundles = await fetchBlockBundles(numbers, fetch);
  let expected = anchors.parentHash;
  for (const bundle of bundles) {
    if (expected !== undefined && !sameHash(bundle.block.parentHash, expected)) {
      throw new InconsistentNodeDataError({
        what: 'parent hash', block: bundle.number, expected, actual: bundle.block.parentHash, method: 'eth_getBlockByNumber', endpoint: rpc.describe(),
      });
    }
    expected = bundle.block.hash;
  }
  if (confirm) {
    const next = await confirm;
    const last = bundles[bundles.length - 1];
    if (last && !sameHash(next.parentHash, last.block.hash)) {
      throw new InconsistentNodeDataError({
        what: `the hash of block ${last.number} (parent hash of block ${anchors.confirmWith})`,
        block: last.number,
        expected: next.parentHash,
        actual: last.block.hash,
        method: 'eth_getBlockByNumber',
        endpoint: rpc.describe(),
        expectedEndpoint: confirmFrom,
      });
    }
  }
  return bundles;
}

/** Hashes compare case-insensitively; equal strings, the norm, skip the lower-casing. */
export function sameHash(a: string, b: string): boolean {
  return a === b || a.toLowerCase() === b.toLowerCase();
}
