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
}

/**
 * The day is not final yet: the first block of the next day does not exist or is fewer than
 * finalityDepth blocks below the head. Retryable: waiting fixes it.
 */
export class DayNotFinalError extends LedgerflowError {
  override readonly name = 'DayNotFinalError';
  readonly retryable = true;
  constructor(readonly fields: DayNotFinalFields) {
    super(
      `day ${fields.date} is not final yet: head is block ${fields.head}, need block ${fields.neededHead} (retry after about ${fields.retryAfter})`,
      {
        context: { date: fields.date, head: fields.head, needed_head: fields.neededHead, finality_depth: fields.finalityDepth, next_day_first_block: fields.nextDayFirstBlock },
        fix: `run it after block ${fields.neededHead} (about ${fields.retryAfter}), or lower --finality-depth if the chain finalises faster`,
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
