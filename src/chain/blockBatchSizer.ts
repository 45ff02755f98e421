/** Node answers, in MiB of JSON, that the batches alive at once may hold unless told otherwise. */
export const DEFAULT_IN_FLIGHT_MIB = 8;

/** Blocks in the first batches, before any answer has shown how large this chain's blocks are. */
const FIRST_BATCH = 10;

/**
 * Sizes the export's fetch batches by what their answers weigh, not by a block count. A mainnet
 * block with its receipts is ~100 times a sparse test chain's, so a count that keeps the
 * pipeline busy on one chain holds hundreds of megabytes on the other. The budget covers every
 * batch alive at once (those fetched ahead and the one being written), in characters of JSON
 * read; the objects parsed from them are a small multiple of that.
 */
export class BlockBatchSizer {
  private charsPerBlock: number | undefined;

  constructor(
    private readonly budgetChars: number,
    private readonly maxBlocks: number,
    private readonly batchesAlive: number,
  ) {}

  /** Blocks in the next batch: at least 1, at most the configured batch size. */
  next(): number {
    if (this.charsPerBlock === undefined) return Math.min(this.maxBlocks, FIRST_BATCH);
    const fits = Math.floor(this.budgetChars / this.batchesAlive / this.charsPerBlock);
    return Math.max(1, Math.min(this.maxBlocks, fits));
  }

  /** Records what a fetched batch of `blocks` blocks read. */
  observe(blocks: number, chars: number): void {
    const perBlock = chars / Math.max(1, blocks);
    // Shrinks at once on a denser stretch and grows back slowly: batches sized on the old
    // estimate are already in flight when the first dense one lands.
    this.charsPerBlock = this.charsPerBlock === undefined || perBlock > this.charsPerBlock ? perBlock : this.charsPerBlock * 0.75 + perBlock * 0.25;
  }
}
