import { LedgerflowError } from '../../errors/LedgerflowError.js';

export interface DayNotFinalFields {
  date: string;
  head: number;
  /** Head block the node must reach before the day can be resolved. */
  neededHead: number;
  /** Rough UTC time at which that head is expected (ISO 8601), from the chain's average block time. */
  retryAfter: string;
  finalityDepth: number;
  /** First block of the next day, when it exists already. */
  nextDayFirstBlock?: number | undefined;
  /** Which rule refused the day (default 'depth'): the node's finalized tag or head minus finalityDepth. */
  rule?: FinalityRule | undefined;
  /** The node's finalized block, under the 'finalized' rule. */
  finalizedBlock?: number | undefined;
  /** Masked endpoint whose view refused the day. */
  endpoint?: string | undefined;
}

/** How a day was judged final: the node's `finalized` block tag, or head minus finalityDepth. */
export type FinalityRule = 'finalized' | 'depth';

/**
 * The day is not final yet: the first block of the next day does not exist, or is not finalized
 * (finalized rule) or fewer than finalityDepth blocks below the head (depth rule). Retryable:
 * waiting fixes it.
 */
export class DayNotFinalError extends LedgerflowError {
  override readonly name = 'DayNotFinalError';
  readonly retryable = true;
  constructor(readonly fields: DayNotFinalFields) {
    const byTag = fields.rule === 'finalized';
    const nextDay = fields.nextDayFirstBlock === undefined ? "the next day's first block" : `block ${fields.nextDayFirstBlock}`;
    super(
      byTag
        ? `day ${fields.date} is not final yet: the node's finalized block is ${fields.finalizedBlock}, need ${nextDay} finalized (retry after about ${fields.retryAfter})`
        : `day ${fields.date} is not final yet: head is block ${fields.head}, need block ${fields.neededHead} (retry after about ${fields.retryAfter})`,
      {
        context: {
          date: fields.date,
          head: fields.head,
          needed_head: fields.neededHead,
          finality_rule: fields.rule,
          finalized_block: fields.finalizedBlock,
          finality_depth: byTag ? undefined : fields.finalityDepth,
          next_day_first_block: fields.nextDayFirstBlock,
          endpoint: fields.endpoint,
        },
        fix: byTag
          ? `run it once ${nextDay} is finalized (about ${fields.retryAfter}); the node's finalized tag decides, not --finality-depth`
          : `run it after block ${fields.neededHead} (about ${fields.retryAfter}), or lower --finality-depth if the chain finalises faster`,
      },
    );
  }
}

export interface BoundaryHashMismatchFields {
  date: string;
  block: number;
  /** Masked endpoint that resolved the range, and its hash for `block`. */
  endpoint: string;
  hash: string;
  /** Masked endpoint that was asked to confirm it, and its hash. */
  witness: string;
  witnessHash: string;
  /** Cross-check rounds made, each on another pair of endpoints where there is one. */
  attempts: number;
}

/**
 * Two endpoints disagree on a boundary block of a day (its first block, its last, or the block
 * after it), round after round. Retryable: a reorg that settles heals it; a lasting one means a
 * node on another fork, which a human must take out of RPC_URL.
 */
export class BoundaryHashMismatchError extends LedgerflowError {
  override readonly name = 'BoundaryHashMismatchError';
  readonly retryable = true;
  constructor(readonly fields: BoundaryHashMismatchFields) {
    super(
      `endpoints disagree on block ${fields.block} at the edge of day ${fields.date}: ${fields.endpoint} has ${fields.hash}, ${fields.witness} has ${fields.witnessHash}`,
      {
        context: { date: fields.date, block: fields.block, attempts: fields.attempts },
        fix: `compare eth_getBlockByNumber ${fields.block} on both nodes; remove the one on another fork (or not synced) from RPC_URL, or retry once a reorg has settled`,
      },
    );
  }
}

/** The date ends before block 1: the chain did not exist yet (or the node serves another chain). */
export class DateBeforeChainError extends LedgerflowError {
  override readonly name = 'DateBeforeChainError';
  readonly retryable = false;
  constructor(readonly fields: { date: string; firstBlockTime: string; endpoint: string }) {
    super(`date ${fields.date} is before the chain's first block (block 1 is at ${fields.firstBlockTime})`, {
      context: { date: fields.date, endpoint: fields.endpoint },
      fix: `pick a date on or after ${fields.firstBlockTime.slice(0, 10)}, or check that the endpoint serves the intended chain`,
    });
  }
}

/** No block has a timestamp within the day (an idle dev chain, or a chain with only a genesis block). */
export class NoBlocksOnDateError extends LedgerflowError {
  override readonly name = 'NoBlocksOnDateError';
  readonly retryable = false;
  constructor(readonly fields: { date: string; before?: number | undefined; after?: number | undefined; endpoint: string }) {
    super(
      fields.before === undefined
        ? `no blocks on ${fields.date}: the chain has no block after genesis`
        : `no blocks on ${fields.date}: block ${fields.before} is before the day and block ${fields.after} after it`,
      { context: { date: fields.date, endpoint: fields.endpoint }, fix: 'skip this date; there is nothing to export for it' },
    );
  }
}
