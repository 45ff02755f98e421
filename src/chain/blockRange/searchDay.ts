import type { BlockRange } from '../types.js';
import { BlockTimestampIndex, type BlockPoint } from './blockTimestampIndex.js';
import { dayFinality, type DayFinality } from './dayFinality.js';
import { DateBeforeChainError, DayNotFinalError, NoBlocksOnDateError } from './errors.js';
import { readFinalizedBlock } from './readFinalizedBlock.js';

const SECONDS_PER_DAY = 86_400;

export interface DaySearch {
  range: BlockRange;
  finality: DayFinality;
  /** The day's first block, its last, and the block after it, with their hashes, from the same view. */
  boundaries: BlockPoint[];
  /** Masked endpoint (or endpoints) that answered. */
  endpoint: string;
}

/**
 * Resolves a day on one index: its head, its finalized block and every probe come from the
 * client the index is bound to. Points above the final height are dropped afterwards, so an index
 * shared across dates never keeps a block that may still be replaced.
 */
export async function searchDay(index: BlockTimestampIndex, date: string, dayStart: number, finalityDepth: number, signal?: AbortSignal): Promise<DaySearch> {
  const seen = { finalHeight: -1 };
  try {
    return await search(index, date, dayStart, finalityDepth, seen, signal);
  } finally {
    index.forgetAbove(seen.finalHeight);
  }
}

async function search(index: BlockTimestampIndex, date: string, dayStart: number, finalityDepth: number, seen: { finalHeight: number }, signal?: AbortSignal): Promise<DaySearch> {
  const nextDayStart = dayStart + SECONDS_PER_DAY;
  const endpoint = index.rpc.describe();

  const head = await index.latest();
  if (head.number < 1) throw new NoBlocksOnDateError({ date, endpoint });
  const finality = dayFinality(head, await readFinalizedBlock(index.rpc, signal), finalityDepth);
  seen.finalHeight = finality.finalHeight;
  const first = await index.at(1);
  if (first.timestamp >= nextDayStart) {
    throw new DateBeforeChainError({ date, firstBlockTime: new Date(first.timestamp * 1000).toISOString(), endpoint });
  }

  const nextDayFirst = await index.firstAtOrAfter(nextDayStart, head);
  if (nextDayFirst === undefined || nextDayFirst > finality.finalHeight) {
    throw notFinal(date, finality, nextDayFirst, nextDayStart, finalityDepth, await averageBlockSeconds(index, head), endpoint);
  }

  const firstOfDay = first.timestamp >= dayStart ? 1 : ((await index.firstAtOrAfter(dayStart, head)) as number);
  const start = firstOfDay === 1 ? 0 : firstOfDay;
  const end = nextDayFirst - 1;
  if (end < firstOfDay) throw new NoBlocksOnDateError({ date, before: end, after: nextDayFirst, endpoint });
  const numbers = [...new Set([start, end, nextDayFirst])];
  const boundaries: BlockPoint[] = [];
  for (const n of numbers) boundaries.push(await index.at(n));
  return { range: { start, end }, finality, boundaries, endpoint };
}

function notFinal(date: string, finality: DayFinality, nextDayFirst: number | undefined, nextDayStart: number, finalityDepth: number, blockSeconds: number, endpoint: string): DayNotFinalError {
  const { head } = finality;
  // Blocks the final height trails the head by: the depth, or what the node's finalized tag shows.
  const trail = Math.max(0, head.number - finality.finalHeight);
  let neededHead: number;
  let etaSeconds: number;
  if (nextDayFirst === undefined) {
    const blocksUntilNextDay = Math.max(1, Math.ceil((nextDayStart - head.timestamp) / blockSeconds));
    neededHead = head.number + blocksUntilNextDay + trail;
    etaSeconds = nextDayStart + trail * blockSeconds;
  } else {
    neededHead = nextDayFirst + trail;
    etaSeconds = head.timestamp + (neededHead - head.number) * blockSeconds;
  }
  return new DayNotFinalError({
    date,
    head: head.number,
    neededHead,
    retryAfter: new Date(Math.ceil(etaSeconds) * 1000).toISOString().replace('.000Z', 'Z'),
    finalityDepth,
    nextDayFirstBlock: nextDayFirst,
    rule: finality.rule,
    finalizedBlock: finality.finalized?.number,
    endpoint,
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
