import { ReplayRpcError, startReplayServer, type ReplayFault, type ReplayServer } from '../../../support/replayServer.js';

export const DAY = 86_400;
export const utc = (date: string) => Date.parse(`${date}T00:00:00Z`) / 1000;
export const hex = (n: number) => `0x${n.toString(16)}`;

/** What a node answers for eth_getBlockByNumber("finalized"): a block number, or how it lacks the tag. */
export type FinalizedAnswer = number | 'methodNotFound' | 'invalidParams' | 'unknownBlock' | 'null';

export interface FakeNodeOptions {
  /** Block timestamps by number (genesis at index 0). */
  timestamps: readonly number[];
  /** eth_blockNumber and `latest`; blocks above it answer null (default: the last block). */
  head?: number;
  finalized?: FinalizedAnswer;
  /** Blocks from this number on have other hashes: a node on another fork. */
  forkFrom?: number;
  /** Only the first N block answers at or above forkFrom are forked: a reorg that settles. */
  forkedAnswers?: number;
  /** Per HTTP request (1-based), as the replay server takes them. */
  faults?: (requestNumber: number) => ReplayFault | undefined;
  /** Appended to the URL (an API key in the path, to check it is masked). */
  path?: string;
}

export interface FakeNode {
  server: ReplayServer;
  url: string;
  /** Block numbers (or tags) asked for with eth_getBlockByNumber, in order. */
  blocksAsked(): string[];
}

export const canonicalHash = (n: number) => `0x${(n + 1).toString(16).padStart(64, '0')}`;
export const forkedHash = (n: number) => `0x${'fe'}${(n + 1).toString(16).padStart(62, '0')}`;

/** A node over real HTTP serving eth_blockNumber and eth_getBlockByNumber for a synthetic chain. */
export async function startFakeNode(options: FakeNodeOptions): Promise<FakeNode> {
  const head = options.head ?? options.timestamps.length - 1;
  let forkedLeft = options.forkedAnswers ?? Number.POSITIVE_INFINITY;
  const isForked = (n: number) => options.forkFrom !== undefined && n >= options.forkFrom && forkedLeft > 0;
  const hashOf = (n: number) => (isForked(n) ? forkedHash(n) : canonicalHash(n));
  const block = (n: number) => {
    const answer = { number: hex(n), hash: hashOf(n), parentHash: n === 0 ? `0x${'00'.repeat(32)}` : hashOf(n - 1), timestamp: hex(options.timestamps[n] as number) };
    if (isForked(n)) forkedLeft--;
    return answer;
  };
  const server = await startReplayServer({
    ...(options.faults ? { faults: options.faults } : {}),
    handle: (method, params) => {
      if (method === 'eth_blockNumber') return hex(head);
      if (method !== 'eth_getBlockByNumber') return undefined;
      const tag = String(params[0]);
      if (tag === 'latest') return block(head);
      if (tag === 'finalized') {
        const answer = options.finalized ?? 'methodNotFound';
        if (answer === 'methodNotFound') throw new ReplayRpcError(-32601, 'the method eth_getBlockByNumber with finalized does not exist/is not available');
        if (answer === 'invalidParams') throw new ReplayRpcError(-32602, 'hex string without 0x prefix');
        if (answer === 'unknownBlock') throw new ReplayRpcError(-32000, 'unknown block');
        if (answer === 'null') return null;
        return block(answer);
      }
      const n = /^0x[0-9a-f]+$/.test(tag) ? Number.parseInt(tag, 16) : -1;
      return n >= 0 && n <= head && options.timestamps[n] !== undefined ? block(n) : null;
    },
  });
  return {
    server,
    url: `${server.url}${options.path ?? ''}`,
    blocksAsked: () => server.requests.filter((r) => r.method === 'eth_getBlockByNumber').map((r) => String(r.params[0])),
  };
}

/** Genesis, block 1 at `firstTs`, then a block every `gap` seconds. */
export function evenChain(firstTs: number, blocks: number, gap = 12): number[] {
  const ts = [firstTs - gap];
  for (let n = 1; n < blocks; n++) ts.push(firstTs + (n - 1) * gap);
  return ts;
}

/** The ethereum-etl definition by brute force (start 0 when the day starts at block 1). */
export function expectedRange(timestamps: readonly number[], date: string): { start: number; end: number } {
  const start = utc(date);
  let first = timestamps.findIndex((ts, n) => n >= 1 && ts >= start);
  let last = -1;
  for (let n = 1; n < timestamps.length; n++) if ((timestamps[n] as number) < start + DAY) last = n;
  if (first === 1) first = 0;
  return { start: first, end: last };
}

/** The first block of the day after `date`. */
export function nextDayFirst(timestamps: readonly number[], date: string): number {
  return timestamps.findIndex((ts, n) => n >= 1 && ts >= utc(date) + DAY);
}

export async function rejection(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected the call to fail');
}
