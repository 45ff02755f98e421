import type { RpcClient, RpcEndpointStatus } from '../rpc/types.js';
import { realClock } from '../rpc/rateLimiter.js';
import type { BlockRange } from '../types.js';
import { LedgerflowError } from '../../errors/LedgerflowError.js';
import { BlockTimestampIndex } from './blockTimestampIndex.js';
import { crossCheckBoundaries, type BoundaryDisagreement } from './crossCheckBoundaries.js';
import { BoundaryHashMismatchError, DayNotFinalError, type FinalityRule } from './errors.js';
import { parseUtcDate } from './parseUtcDate.js';
import { searchDay, type DaySearch } from './searchDay.js';

export interface BlockRangeForDateOptions {
  /**
   * Under the depth rule (a node without a meaningful `finalized` tag), the first block of the
   * next day must be at least this many blocks below the head.
   */
  finalityDepth: number;
  /** Reuse one index across dates (backfills) to share cached block timestamps; build it on `rpc`. */
  index?: BlockTimestampIndex;
  signal?: AbortSignal;
  /** With several endpoints: rounds of resolve-and-cross-check, each on another pair (default max(3, endpoints)). */
  crossCheckAttempts?: number;
  /** With several endpoints: wait after a round whose endpoints disagreed (default 1000 ms). */
  crossCheckDelayMs?: number;
  /** Told how the accepted range was judged final, and by which endpoints. */
  onFinality?: (report: FinalityReport) => void;
}

export interface FinalityReport {
  rule: FinalityRule;
  head: number;
  /** The node's finalized block, when it serves the tag. */
  finalizedBlock?: number | undefined;
  /** Masked endpoint every probe of the search went to. */
  endpoint: string;
  /** Masked endpoint that confirmed the boundary hashes; absent with a single endpoint. */
  crossCheckedOn?: string | undefined;
}

/**
 * The inclusive block range of a UTC day, as ethereum-etl's `get_block_range_for_date` defines it:
 * start = smallest block n >= 1 with ts(n) >= 00:00:00, or 0 when that is block 1 (genesis counts
 * in the chain's first day); end = largest n with ts(n) <= 23:59:59. Unlike ethereum-etl it refuses
 * a day that is not final (the next day's first block must be finalized, see dayFinality), so a
 * re-run never sees a different range.
 *
 * Every probe of one search goes to one endpoint, so a range never mixes two nodes' views. With
 * several endpoints, the day's first block, last block and the block after it are then compared
 * with a second endpoint before the range is accepted; a failed endpoint or a disagreement starts
 * the search again on another pair (docs/rpc.md, "Finality").
 */
export async function blockRangeForDate(rpc: RpcClient, date: string, options: BlockRangeForDateOptions): Promise<BlockRange> {
  const dayStart = parseUtcDate(date);
  const index = options.index ?? new BlockTimestampIndex(rpc, options.signal);
  const endpoints = rpc.pinned ? rpc.endpoints?.() : undefined;
  if (!endpoints || endpoints.length < 2) {
    const found = await searchDay(index, date, dayStart, options.finalityDepth, options.signal);
    options.onFinality?.(report(found, found.endpoint, undefined));
    return found.range;
  }
  return resolveOnPairs(rpc, index, date, dayStart, options);
}

async function resolveOnPairs(rpc: RpcClient, index: BlockTimestampIndex, date: string, dayStart: number, options: BlockRangeForDateOptions): Promise<BlockRange> {
  const pin = rpc.pinned?.bind(rpc) as (i: number) => RpcClient;
  const statuses = () => rpc.endpoints?.() ?? [];
  const names = endpointNames(statuses());
  const count = names.length;
  const rounds = Math.max(1, options.crossCheckAttempts ?? Math.max(3, count));
  const timesPrimary = new Array<number>(count).fill(0);
  const pairsTried = new Set<string>();
  let lastError: unknown;
  let disagreement: (BoundaryDisagreement & { endpoint: string; witness: string }) | undefined;

  for (let round = 0; round < rounds; round++) {
    if (round > 0 && disagreement) await realClock.sleep(options.crossCheckDelayMs ?? 1_000, options.signal);
    const ranked = rank(statuses());
    // The endpoint least used as primary so far, best ranked first: each round tries another pair.
    const primary = [...ranked].sort((a, b) => (timesPrimary[a] as number) - (timesPrimary[b] as number))[0] as number;
    timesPrimary[primary] = (timesPrimary[primary] as number) + 1;

    let found: DaySearch;
    try {
      found = await searchDay(index.forEndpoint(primary), date, dayStart, options.finalityDepth, options.signal);
    } catch (error) {
      if (error instanceof DayNotFinalError && !someoneAhead(statuses(), primary, error.fields.head, timesPrimary)) throw error;
      if (!worthAnotherPair(error)) throw error;
      lastError = error;
      continue;
    }

    const needed = found.boundaries.at(-1)?.number ?? 0;
    const pair = (witness: number) => [primary, witness].sort((a, b) => a - b).join('+');
    const demerit = (witness: number) => (pairsTried.has(pair(witness)) ? 2 : 0) + (behind(statuses()[witness], needed) ? 1 : 0);
    // A pair already tried goes last, and so does an endpoint known to be behind the block after
    // the day (it would answer null).
    const witnesses = ranked.filter((i) => i !== primary).sort((a, b) => demerit(a) - demerit(b));
    for (const witness of witnesses) {
      pairsTried.add(pair(witness));
      let differs: BoundaryDisagreement | undefined;
      try {
        differs = await crossCheckBoundaries(pin(witness), found.boundaries, options.signal);
      } catch (error) {
        if (!worthAnotherPair(error)) throw error;
        lastError = error;
        continue;
      }
      if (!differs) {
        options.onFinality?.(report(found, names[primary] as string, names[witness]));
        return found.range;
      }
      disagreement = { ...differs, endpoint: names[primary] as string, witness: names[witness] as string };
      lastError = undefined;
      break;
    }
  }
  if (disagreement) {
    throw new BoundaryHashMismatchError({
      date,
      block: disagreement.block,
      endpoint: disagreement.endpoint,
      hash: disagreement.hash,
      witness: disagreement.witness,
      witnessHash: disagreement.witnessHash,
      attempts: rounds,
    });
  }
  throw lastError;
}

/** A node's transient fault; an abort, a bug or an answer about the chain itself ends the search. */
function worthAnotherPair(error: unknown): boolean {
  return error instanceof LedgerflowError && error.retryable;
}

function report(found: DaySearch, endpoint: string, crossCheckedOn: string | undefined): FinalityReport {
  return { rule: found.finality.rule, head: found.finality.head.number, finalizedBlock: found.finality.finalized?.number, endpoint, crossCheckedOn };
}

/** Masked names, numbered where two endpoints mask alike (same host, different keys). */
function endpointNames(statuses: readonly RpcEndpointStatus[]): string[] {
  const seen = new Map<string, number>();
  for (const s of statuses) seen.set(s.endpoint, (seen.get(s.endpoint) ?? 0) + 1);
  return statuses.map((s, i) => ((seen.get(s.endpoint) ?? 0) > 1 ? `${s.endpoint} (#${i + 1})` : s.endpoint));
}

/** Endpoint indexes, best first: not lagging, fewest recent failures, highest known head. */
function rank(statuses: readonly RpcEndpointStatus[]): number[] {
  const head = (s: RpcEndpointStatus) => s.head ?? Number.NEGATIVE_INFINITY;
  return statuses
    .map((s, i) => ({ s, i }))
    .sort((a, b) => Number(a.s.lagging) - Number(b.s.lagging) || a.s.consecutiveFailures - b.s.consecutiveFailures || head(b.s) - head(a.s) || a.i - b.i)
    .map(({ i }) => i);
}

function behind(status: RpcEndpointStatus | undefined, block: number): boolean {
  return status?.head !== undefined && status.head < block;
}

/** Whether an endpoint not yet used as primary has seen a head above the one that refused the day. */
function someoneAhead(statuses: readonly RpcEndpointStatus[], primary: number, head: number, timesPrimary: readonly number[]): boolean {
  return statuses.some((s, i) => i !== primary && timesPrimary[i] === 0 && s.head !== undefined && s.head > head);
}
