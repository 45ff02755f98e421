import type { RpcClient } from '../rpc/types.js';
import type { BlockRange } from '../types.js';
import { BlockTimestampIndex, type BlockPoint } from './blockTimestampIndex.js';
import { parseUtcDate } from './parseUtcDate.js';
import { DateBeforeChainError, DayNotFinalError, NoBlocksOnDateError } from './errors.js';

export interface BlockRangeForDateOptions {
  /** The first block of the next day must be at least this many blocks below the head. */
  finalityDepth: number;
  /** Reuse one index across dates (backfills) to share cached block timestamps. */
  index?: BlockTimestampIndex;
  signal?: AbortSignal;
}

const SECONDS_PER_DAY = 86_400;

/**
 * The inclusive block range of a UTC day, as ethereum-etl's `get_block_range_for_date` defines it:
 * start = smallest block n >= 1 with ts(n) >= 00:00:00, or 0 when that is block 1 (genesis counts
 * in the chain's first day); end = largest n with ts(n) <= 23:59:59. Unlike ethereum-etl it refuses
 * a day that is not final: the next day's first block must exist and sit finalityDepth blocks
 * below the head, so a re-run never sees a different range.
 */
export async function blockRangeForDate(rpc: RpcClient, date: string, options: BlockRangeForDateOptions): Promise<BlockRange> {
  const dayStart = parseUtcDate(date);
  const nextDayStart = dayStart + SECONDS_PER_DAY;
  const index = options.index ?? new BlockTimestampIndex(rpc, options.signal);
  const endpoint = rpc.describe();

  const head = await index.latest();
  if (head.number < 1) throw new NoBlocksOnDateError({ date, endpoint });
  const first = await index.at(1);
  if (first.timestamp >= nextDayStart) {
    throw new DateBeforeChainError({ date, firstBlockTime: new Date(first.timestamp * 1000).toISOString(), endpoint });
  }

  const nextDayFirst = await index.firstAtOrAfter(nextDayStart, head);
  if (nextDayFirst === undefined || nextDayFirst + options.finalityDepth > head.number) {
    throw notFinal(date, head, nextDayFirst, nextDayStart, options.finalityDepth, await averageBlockSeconds(index, head));
  }

  const firstOfDay = first.timestamp >= dayStart ? 1 : ((await index.firstAtOrAfter(dayStart, head)) as number);
  const start = firstOfDay === 1 ? 0 : firstOfDay;
  const end = nextDayFirst - 1;
  if (end < firstOfDay) throw new NoBlocksOnDateError({ date, before: end, after: nextDayFirst, endpoint });
  return { start, end };
}

function notFinal(date: string, head: BlockPoint, nextDayFirst: number | undefined, nextDayStart: number, finalityDepth: number, blockSeconds: number): DayNotFinalError {
  let neededHead: number;
  let etaSeconds: number;
  if (nextDayFirst === undefined) {
    const blocksUntilNextDay = Math.max(1, Math.ceil((nextDayStart - head.timestamp) / blockSeconds));
    neededHead = head.number + blocksUntilNextDay + finalityDepth;
    etaSeconds = nextDayStart + finalityDepth * blockSeconds;
  } else {
    neededHead = nextDayFirst + finalityDepth;
    etaSeconds = head.timestamp + (neededHead - head.number) * blockSeconds;
  }
  return new DayNotFinalError({
    date,
    head: head.number,
    neededHead,
    retryAfter: new Date(Math.ceil(etaSeconds) * 1000).toISOString().replace('.000Z', 'Z'),
    finalityDepth,
    nextDayFirstBlock: nextDayFirst,
  });
}

/** Recent average block time (over up to the last 1000 blocks), used only to word DayNotFinalError. */
async function averageBlockSeconds(index: BlockTimestampIndex, head: BlockPoint): Promise<number> {
  const back = Math.min(1000, head.number - 1);
  if (back < 1) return 12;
  const earlier = await index.at(head.number - back);
  const average = (head.timestamp - earlier.timestamp) / back;
  return average > 0 ? average : 12;
}
