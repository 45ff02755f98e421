import type { RpcClient } from '../rpc/types.js';
import { fromQuantity, toQuantity } from '../rpc/quantity.js';
import { RpcBlockNotFoundError } from '../rpc/errors.js';

export interface BlockPoint {
  number: number;
  timestamp: number;
  /** As the node gave it (clients that are not pools may leave it out). */
  hash?: string | undefined;
}

/**
 * Block timestamps read from a node, cached so that the start and end of a day, the next day and
 * the finality check share their look-ups (ethereum-etl caches its points the same way). Searches
 * keep a bracket [lo, hi] with ts(lo) < target <= ts(hi), probe by interpolation on timestamps and
 * fall back to bisection whenever an interpolation step fails to halve the bracket, so a day costs
 * about as many calls as ethereum-etl's search on an even chain and at most ~2·log2(n) otherwise.
 * Only non-decreasing timestamps are assumed, so equal timestamps (dev chains) are handled too.
 *
 * Points from two nodes never share a cache: `forEndpoint(i)` gives endpoint i of a pool its own
 * index, so a search reads one node's view of the chain.
 */
export class BlockTimestampIndex {
  /** Cached points sorted by number. */
  private readonly points: BlockPoint[] = [];
  private readonly perEndpoint = new Map<number, BlockTimestampIndex>();
  calls = 0;

  constructor(
    readonly rpc: RpcClient,
    private readonly signal?: AbortSignal,
  ) {}

  /** The index of endpoint `index` alone (this one when the client cannot pin calls). */
  forEndpoint(index: number): BlockTimestampIndex {
    const pinned = this.rpc.pinned;
    if (!pinned) return this;
    let view = this.perEndpoint.get(index);
    if (!view) this.perEndpoint.set(index, (view = new BlockTimestampIndex(pinned.call(this.rpc, index), this.signal)));
    return view;
  }

  /** Drops points above `height`: blocks that may still be replaced must not outlive one search. */
  forgetAbove(height: number): void {
    let keep = this.points.length;
    while (keep > 0 && (this.points[keep - 1] as BlockPoint).number > height) keep--;
    this.points.length = keep;
  }

  async latest(): Promise<BlockPoint> {
    const head = await this.fetch('latest');
    // A new head reading replaces what was cached above it: that stretch may have been reorged.
    this.forgetAbove(head.number - 1);
    return this.add(head);
  }

  async at(number: number): Promise<BlockPoint> {
    const cached = this.find(number);
    return cached ?? this.add(await this.fetch(number));
  }

  /** Smallest block in [1, head] with timestamp >= target, or undefined if there is none. */
  async firstAtOrAfter(target: number, head: BlockPoint): Promise<number | undefined> {
    if (head.timestamp < target) return undefined;
    const first = await this.at(1);
    if (first.timestamp >= target) return 1;
    let lo = first;
    let hi = head;
    for (const p of this.points) {
      if (p.number > lo.number && p.timestamp < target && p.number < hi.number) lo = p;
      if (p.number < hi.number && p.timestamp >= target && p.number > lo.number) hi = p;
    }
    let interpolate = true;
    while (hi.number - lo.number > 1) {
      const width = hi.number - lo.number;
      let probe: number;
      if (interpolate && hi.timestamp > lo.timestamp) {
        probe = lo.number + Math.floor(((target - lo.timestamp) * width) / (hi.timestamp - lo.timestamp));
      } else {
        probe = lo.number + Math.floor(width / 2);
      }
      probe = Math.min(hi.number - 1, Math.max(lo.number + 1, probe));
      const point = await this.at(probe);
      if (point.timestamp >= target) hi = point;
      else lo = point;
      interpolate = hi.number - lo.number <= width / 2;
    }
    return hi.number;
  }

  private find(number: number): BlockPoint | undefined {
    let lo = 0;
    let hi = this.points.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const p = this.points[mid] as BlockPoint;
      if (p.number === number) return p;
      if (p.number < number) lo = mid + 1;
      else hi = mid - 1;
    }
    return undefined;
  }

  private add(point: BlockPoint): BlockPoint {
    if (this.find(point.number)) return point;
    let i = this.points.length;
    while (i > 0 && (this.points[i - 1] as BlockPoint).number > point.number) i--;
    this.points.splice(i, 0, point);
    return point;
  }

  private async fetch(block: number | 'latest'): Promise<BlockPoint> {
    this.calls++;
    const tag = block === 'latest' ? 'latest' : toQuantity(block);
    const raw = await this.rpc.request<RawBlock | null>('eth_getBlockByNumber', [tag, false], {
      signal: this.signal,
      block: block === 'latest' ? undefined : block,
    });
    // A pool raises RpcBlockNotFoundError itself; other RpcClient implementations may return null.
    if (!raw) throw new RpcBlockNotFoundError({ method: 'eth_getBlockByNumber', endpoint: this.rpc.describe(), block: block === 'latest' ? undefined : block });
    return blockPoint(raw);
  }
}

export interface RawBlock {
  number?: unknown;
  timestamp?: unknown;
  hash?: unknown;
}

/** Number, timestamp and hash of an eth_getBlockByNumber answer; a garbled field is a retryable RpcInvalidResponseError. */
export function blockPoint(raw: RawBlock): BlockPoint {
  return {
    number: fromQuantity(raw.number, 'block number', 'eth_getBlockByNumber'),
    timestamp: fromQuantity(raw.timestamp, 'block timestamp', 'eth_getBlockByNumber'),
    hash: typeof raw.hash === 'string' ? raw.hash.toLowerCase() : undefined,
  };
}
