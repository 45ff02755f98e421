import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { getAddress, keccak256 } from 'ethers';
import { describe, expect, it } from 'vitest';
import { exportRange } from '../../../src/chain/exportRange.js';
import { createRpcPool } from '../../../src/chain/rpc/createRpcPool.js';
import type { EntityName } from '../../../src/chain/types.js';
import type { Row } from '../../../src/lake/format/types.js';
import { CollectingSink } from '../../support/collectingSink.js';
import { runCli } from '../../conformance/support/runCli.js';
import { ReplayRpcError, startReplayServer, type ReplayServer } from '../../support/replayServer.js';

const TRANSFER = '0xddf252ad1be2c89b69c2b068fc378daa952ba7f163c4a11628f55a4df523b3ef';
const APPROVAL = '0x8c5be1e5ebec7d5bd14f71427d1e84f3dd0314c0f7b2291e5b200ac8c7c3b925';
const TRANSFER_SINGLE = '0xc3d58168c5ae7397731d063d5bbf3d657854427343f4c083240f7aacaa2d0f62';
const TOKEN_A = `0x${'aa'.repeat(20)}`;
// EIP-55 mixed case, as nodes and users may write it: the filter and the checks must not care.
const TOKEN_B = getAddress(`0x${'bb'.repeat(20)}`);
const MULTI_C = `0x${'cc'.repeat(20)}`;
const word = (n: number) => `0x${n.toString(16).padStart(64, '0')}`;
const hex = (n: number) => `0x${n.toString(16)}`;
const hashOf = (n: number) => `0x${(n + 1).toString(16).padStart(64, '0')}`;
const txHash = (n: number, i: number) => `0xffffffff${(n * 10 + i).toString(16).padStart(56, '0')}`;

interface ChainFaults {
  /** eth_getLogs answers "more than N results" when a range would hold more logs than this. */
  maxLogs?: number;
  wrongLogHashAt?: number;
  removedLogAt?: number;
  /** eth_getLogs also returns logs of contracts nobody asked for. */
  ignoresAddressFilter?: boolean;
  /** Range queries leave out blocks from this one on (a node behind the one that served headers). */
  rangeLogsEndBefore?: number;
  /** ...and queries by block hash for those blocks fail as on a node without the block. */
  lacksBlocksByHash?: boolean;
  /** Token B's log of this block is repeated (same log index). */
  repeatedLogAt?: number;
  /** Token B's log of this block names a transaction the block does not have. */
  foreignTransactionAt?: number;
  /** Blocks carry no logsBloom (nothing can be ruled out, every block is asked again). */
  noBloom?: boolean;
  /** Range queries add a log of token B, with a topic0 the block never logged, to this block. */
  fabricatedLogAt?: number;
  /** eth_getLogs refuses ranges wider than this many blocks (a hosted node's fixed cap). */
  maxSpan?: number;
  /** Range queries leave out token B's log of this block (and keep the others). */
  dropsTokenBAt?: number;
}

/** The yellow paper's bloom of a set of logs, written here independently of src/ (256 bytes, hex). */
function bloomOf(logs: ReadonlyArray<{ address: string; topics: readonly string[] }>): string {
  const bytes = new Uint8Array(256);
  for (const item of logs.flatMap((l) => [l.address, ...l.topics])) {
    const hash = keccak256(item.toLowerCase());
    for (const i of [0, 2, 4]) {
      const bit = Number.parseInt(hash.slice(2 + 2 * i, 6 + 2 * i), 16) & 2047;
      bytes[255 - Math.floor(bit / 8)] = (bytes[255 - Math.floor(bit / 8)] as number) | (1 << bit % 8);
    }
  }
  return `0x${Buffer.from(bytes).toString('hex')}`;
}

/**
 * Three transactions per block: token A emits Transfer and Approval, token B a Transfer, contract C
 * an ERC-1155 TransferSingle. Served as blocks, block receipts and eth_getLogs over real HTTP.
 */
function chain(faults: ChainFaults = {}) {
  const logsOf = (n: number) => {
    const base = { blockHash: hashOf(n), blockNumber: hex(n) };
    const at = (i: number, index: number) => ({ ...base, transactionHash: txHash(n, i), transactionIndex: hex(i), logIndex: hex(index) });
    return [
      [
        { ...at(0, 0), address: TOKEN_A, topics: [TRANSFER, word(1), word(2)], data: word(n + 5) },
        { ...at(0, 1), address: TOKEN_A, topics: [APPROVAL, word(1), word(3)], data: word(7) },
      ],
      [{ ...at(1, 2), address: TOKEN_B, topics: [TRANSFER, word(4), word(5)], data: word(2 ** 40 + n) }],
      [{ ...at(2, 3), address: MULTI_C, topics: [TRANSFER_SINGLE, word(9), word(1), word(2)], data: `${word(77)}${word(n + 1).slice(2)}` }],
    ];
  };
  const block = (n: number, full: boolean) => ({
    number: hex(n),
    hash: hashOf(n),
    ...(faults.noBloom ? {} : { logsBloom: bloomOf(logsOf(n).flat()) }),
    parentHash: n === 0 ? word(0) : hashOf(n - 1),
    timestamp: hex(1_700_000_000 + n * 12),
    transactions: [0, 1, 2].map((i) => (full ? { hash: txHash(n, i), blockHash: hashOf(n), blockNumber: hex(n), transactionIndex: hex(i), from: '0xa', to: '0xb', value: '0x0', input: '0x' } : txHash(n, i))),
  });
  const receipts = (n: number) =>
    logsOf(n).map((logs, i) => ({ transactionHash: txHash(n, i), transactionIndex: hex(i), blockHash: hashOf(n), blockNumber: hex(n), status: '0x1', logs }));
  return (method: string, params: readonly unknown[]): unknown => {
    if (method === 'eth_getBlockByNumber') return block(Number(BigInt(params[0] as string)), params[1] === true);
    if (method === 'eth_getBlockReceipts') return receipts(Number(BigInt(params[0] as string)));
    if (method !== 'eth_getLogs') return undefined;
    const filter = params[0] as { fromBlock?: string; toBlock?: string; blockHash?: string; address: string[]; topics?: string[][] };
    const addresses = new Set(filter.address.map((a) => a.toLowerCase()));
    const found = [];
    const byHash = filter.blockHash === undefined ? undefined : Number(BigInt(filter.blockHash)) - 1;
    if (byHash !== undefined && faults.lacksBlocksByHash && byHash >= (faults.rangeLogsEndBefore ?? Infinity)) throw new ReplayRpcError(-32000, 'unknown block');
    const from = byHash ?? Number(BigInt(filter.fromBlock as string));
    if (faults.maxSpan !== undefined && byHash === undefined && Number(BigInt(filter.toBlock as string)) - from + 1 > faults.maxSpan) {
      throw new ReplayRpcError(-32614, `eth_getLogs is limited to a ${faults.maxSpan} blocks range`);
    }
    const to = byHash ?? Math.min(Number(BigInt(filter.toBlock as string)), (faults.rangeLogsEndBefore ?? Infinity) - 1);
    for (let n = from; n <= to; n++) {
      const blockLogs = logsOf(n).flat();
      if (n === faults.repeatedLogAt) blockLogs.push(blockLogs[2] as (typeof blockLogs)[number]);
      if (n === faults.foreignTransactionAt) blockLogs[2] = { ...(blockLogs[2] as (typeof blockLogs)[number]), transactionHash: txHash(n + 1, 1) };
      if (n === faults.fabricatedLogAt && byHash === undefined) blockLogs.push({ ...(blockLogs[2] as (typeof blockLogs)[number]), logIndex: hex(9), topics: [word(0x5ca1ab1e)] });
      for (const log of blockLogs) {
        if (n === faults.dropsTokenBAt && byHash === undefined && log.address === TOKEN_B) continue;
        if (!faults.ignoresAddressFilter && !addresses.has(log.address.toLowerCase())) continue;
        if (filter.topics && !filter.topics[0]?.includes(log.topics[0] as string)) continue;
        const hash = n === faults.wrongLogHashAt ? word(0xdead) : log.blockHash;
        found.push({ ...log, blockHash: hash, removed: n === faults.removedLogAt });
      }
    }
    if (faults.maxLogs !== undefined && found.length > faults.maxLogs) throw new ReplayRpcError(-32005, `query returned more than ${faults.maxLogs} results`);
    return found;
  };
}

async function run(server: ReplayServer, entities: EntityName[], contracts?: string[], range = { start: 3, end: 14 }) {
  const rpc = createRpcPool({ urls: [server.url], maxRetries: 0 });
  const sinks = new Map<EntityName, CollectingSink>();
  try {
    await exportRange({
      rpc, range, entities, blockBatchSize: 5,
      // A refused answer is fetched again a few times before it fails; no need to wait between.
      consistency: { attempts: 2, backoff: { baseMs: 1, maxMs: 2 } },
      openSink: (e) => {
        const sink = new CollectingSink();
        sinks.set(e, sink);
        return sink;
      },
      ...(contracts ? { contracts } : {}),
    });
  } finally {
    await rpc.close();
  }
  return (entity: EntityName) => sinks.get(entity)?.rows ?? [];
}

async function withChain<T>(faults: ChainFaults, body: (server: ReplayServer) => Promise<T>): Promise<T> {
  const server = await startReplayServer({ handle: chain(faults) });
  try {
    return await body(server);
  } finally {
    await server.close();
  }
}

const LOG_ENTITIES: EntityName[] = ['blocks', 'logs', 'token_transfers', 'erc1155_transfers', 'security_token_events'];
const contractOf = (row: Row) => String(row.address ?? row.token_address).toLowerCase();

describe('exportRange limited to some contracts (eth_getLogs)', () => {
  it('writes exactly the rows of the full export that belong to those contracts, without receipts or transaction objects', async () => {
    await withChain({}, async (server) => {
      const full = await run(server, LOG_ENTITIES);
      server.requests.length = 0;
      const limited = await run(server, LOG_ENTITIES, [TOKEN_B, MULTI_C]);
      const wanted = new Set([TOKEN_B.toLowerCase(), MULTI_C]);
      for (const entity of ['logs', 'token_transfers', 'erc1155_transfers'] as const) {
        expect(limited(entity)).toEqual(full(entity).filter((row) => wanted.has(contractOf(row))));
      }
      expect(limited('logs')).toHaveLength(24);
      expect(limited('token_transfers').map((r) => r.token_address)).toEqual(Array(12).fill(TOKEN_B.toLowerCase()));
      expect(limited('erc1155_transfers')).toHaveLength(12);
      expect(limited('blocks')).toEqual(full('blocks'));
      const methods = new Set(server.requests.map((r) => r.method));
      expect(methods).toEqual(new Set(['eth_getBlockByNumber', 'eth_getLogs']));
      expect(server.requests.filter((r) => r.method === 'eth_getBlockByNumber').every((r) => r.params[1] === false)).toBe(true);
      // One eth_getLogs per pipeline step of 5 blocks, addresses sorted, every log of the contracts
      // (`logs` reads them all).
      const filters = server.requests.filter((r) => r.method === 'eth_getLogs').map((r) => r.params[0]);
      expect(filters).toEqual([
        { fromBlock: '0x3', toBlock: '0x7', address: [TOKEN_B.toLowerCase(), MULTI_C] },
        { fromBlock: '0x8', toBlock: '0xc', address: [TOKEN_B.toLowerCase(), MULTI_C] },
        { fromBlock: '0xd', toBlock: '0xe', address: [TOKEN_B.toLowerCase(), MULTI_C] },
      ]);
    });
  });

  it('asks only for the topic0s the entities read when `logs` is not among them', async () => {
    await withChain({}, async (server) => {
      const rows = await run(server, ['token_transfers'], [TOKEN_A]);
      expect(rows('token_transfers')).toHaveLength(12);
      const filter = server.requests.find((r) => r.method === 'eth_getLogs')?.params[0];
      expect(filter).toEqual({ fromBlock: '0x3', toBlock: '0x7', address: [TOKEN_A], topics: [[TRANSFER]] });
    });
  });

  it('splits a range the node refuses as too large, down to what it answers, with the same rows', async () => {
    await withChain({ maxLogs: 3 }, async (server) => {
      const rows = await run(server, ['logs'], [TOKEN_A]);
      expect(rows('logs').map((r) => [r.block_number, r.log_index])).toEqual(Array.from({ length: 12 }, (_, i) => [[3 + i, 0], [3 + i, 1]]).flat());
      const ranges = server.requests.filter((r) => r.method === 'eth_getLogs').map((r) => {
        const f = r.params[0] as { fromBlock: string; toBlock: string };
        return `${Number(f.fromBlock)}-${Number(f.toBlock)}`;
      });
      // The first step, in order: 3-7 (10 logs) refused, 3-5 (6) refused, 3-4 (4) refused, single
      // blocks answered, 6-7 (4) refused, single blocks answered. Later steps interleave with it.
      const firstStep = ranges.filter((r) => Number(r.split('-')[0]) <= 7);
      expect(firstStep).toEqual(['3-7', '3-5', '3-4', '3-3', '4-4', '5-5', '6-7', '6-6', '7-7']);
      // A result cap depends on the chain, not the width: every step still starts whole.
      expect(ranges.filter((r) => ['3-7', '8-12', '13-14'].includes(r))).toHaveLength(3);
    });
  });

  it('remembers the range cap of a node: once learned, later steps ask within it', async () => {
    await withChain({ maxSpan: 3 }, async (server) => {
      const rows = await run(server, ['token_transfers'], [TOKEN_A], { start: 3, end: 40 });
      expect(rows('token_transfers')).toHaveLength(38);
      const spans = server.requests.filter((r) => r.method === 'eth_getLogs').map((r) => {
        const f = r.params[0] as { fromBlock: string; toBlock: string };
        return Number(f.toBlock) - Number(f.fromBlock) + 1;
      });
      // The two steps in flight before the cap is known are refused once each (5 blocks), never
      // again; from then on each 5-block step is asked as 3 blocks (the cap) and the 2 left.
      expect(spans.filter((s) => s > 3)).toEqual([5, 5]);
      const afterLearning = spans.slice(spans.lastIndexOf(5) + 1);
      expect(afterLearning.length).toBeGreaterThan(10);
      expect(new Set(afterLearning)).toEqual(new Set([3, 2]));
    });
  });

  it('fails naming the block when even one block is too large for the node', async () => {
    await withChain({ maxLogs: 1 }, async (server) => {
      await expect(run(server, ['logs'], [TOKEN_A])).rejects.toThrow(/refused eth_getLogs for block 3 as too large: query returned more than 1 results/);
    });
  });

  it('asks again by block hash for blocks whose bloom holds the contract but got no log (a node behind), and loses nothing', async () => {
    await withChain({}, async (server) => {
      const full = await run(server, ['logs', 'token_transfers'], [TOKEN_B]);
      await withChain({ rangeLogsEndBefore: 12 }, async (behind) => {
        const limited = await run(behind, ['logs', 'token_transfers'], [TOKEN_B]);
        expect(limited('logs')).toEqual(full('logs'));
        expect(limited('token_transfers')).toEqual(full('token_transfers'));
        const byHash = behind.requests.filter((r) => r.method === 'eth_getLogs' && 'blockHash' in (r.params[0] as object));
        expect(byHash.map((r) => (r.params[0] as { blockHash: string }).blockHash)).toEqual([hashOf(12), hashOf(13), hashOf(14)]);
      });
    });
  });

  it('asks again for a block that came back with logs of one requested contract but not of another its bloom holds', async () => {
    await withChain({}, async (server) => {
      const full = await run(server, ['logs'], [TOKEN_A, TOKEN_B]);
      await withChain({ dropsTokenBAt: 6 }, async (partial) => {
        const limited = await run(partial, ['logs'], [TOKEN_A, TOKEN_B]);
        expect(limited('logs')).toEqual(full('logs'));
        expect(limited('logs')).toHaveLength(36);
        const byHash = partial.requests.filter((r) => r.method === 'eth_getLogs' && 'blockHash' in (r.params[0] as object));
        expect(byHash.map((r) => (r.params[0] as { blockHash: string }).blockHash)).toEqual([hashOf(6)]);
      });
    });
  });

  it('fails rather than export a block the logs node does not have', async () => {
    await withChain({ rangeLogsEndBefore: 12, lacksBlocksByHash: true }, async (server) => {
      await expect(run(server, ['logs'], [TOKEN_B])).rejects.toThrow(/eth_getLogs.*unknown block/);
    });
  });

  it('asks no block again when the bloom rules the contract out, and every block when there is no bloom', async () => {
    const silent = `0x${'dd'.repeat(20)}`;
    for (const [faults, asked] of [[{}, 0], [{ noBloom: true }, 12]] as const) {
      await withChain(faults, async (server) => {
        const rows = await run(server, ['logs'], [silent]);
        expect(rows('logs')).toEqual([]);
        expect(server.requests.filter((r) => r.method === 'eth_getLogs' && 'blockHash' in (r.params[0] as object))).toHaveLength(asked);
      });
    }
  });

  it.each([
    ['a log of another block hash', { wrongLogHashAt: 6 }, /block 6: block hash of a log of .* is 0x0+dead, expected 0x0+7/],
    ['a repeated log', { repeatedLogAt: 5 }, /block 5: log index 0x2 is repeated, expected once per block/],
    ['a log of a transaction the block does not have', { foreignTransactionAt: 4 }, new RegExp(`block 4: transaction of a log of ${txHash(5, 1)} is not in the block, expected one of its 3 transactions`)],
    ['a log the block bloom rules out', { fabricatedLogAt: 7 }, /block 7: topic0 of a log of .* is 0x0*5ca1ab1e, absent from the block's logsBloom/],
    ['a removed (reorged) log', { removedLogAt: 8 }, /block 8: removed flag of a log of .* is true, expected false/],
    ['a log of a contract not asked for', { ignoresAddressFilter: true }, /block 3: address of a log of .* is 0xaa+, expected 0xbb+/],
  ] as const)('refuses %s', async (_name, faults, message) => {
    await withChain(faults, async (server) => {
      await expect(run(server, ['logs'], [TOKEN_B])).rejects.toThrow(message);
    });
  });

  it.each([
    ['an entity that is not made of logs', ['transactions', 'logs'], [TOKEN_A], /applies to log entities only, not to transactions/],
    ['no log entity', ['blocks'], [TOKEN_A], /needs a log entity to filter/],
    ['an address that is not one', ['logs'], ['0x1234'], /Not a contract address: 0x1234/],
    ['an empty list', ['logs'], [], /contract filter is empty/],
    ['a mistyped checksummed address', ['logs'], ['0xdAC17F958D2ee523a2206206994597C13D831ec8'], /Checksum mismatch in 0xdAC17F958D2ee523a2206206994597C13D831ec8: mistyped address\? Fix: copy the address again/],
    ['more contracts than a node takes', ['logs'], Array.from({ length: 1001 }, (_, i) => `0x${i.toString(16).padStart(40, '0')}`), /More than 1000 contracts in one filter/],
  ] as const)('rejects %s before asking the node anything', async (_name, entities, contracts, message) => {
    await withChain({}, async (server) => {
      await expect(run(server, [...entities], [...contracts])).rejects.toThrow(message);
      expect(server.requests).toEqual([]);
    });
  });
});

describe('ledgerflow export --contracts', () => {
  it('without --entities writes the four log entities, each file with its sha256 line', async () => {
    await withChain({}, async (server) => {
      const out = mkdtempSync(path.join(tmpdir(), 'ledgerflow-contracts-'));
      try {
        const run = await runCli(['export', '--rpc', server.url, '--start-block', '3', '--end-block', '9', '--contracts', TOKEN_A, '--retries', '0', '--output', out]);
        expect(run.code, run.stderr).toBe(0);
        expect(readdirSync(out).sort()).toEqual(['erc1155_transfers.csv', 'logs.csv', 'security_token_events.csv', 'token_transfers.csv']);
        for (const file of readdirSync(out)) {
          const full = path.join(out, file);
          expect(run.stderr).toContain(`${createHash('sha256').update(readFileSync(full)).digest('hex')}  ${full}\n`);
        }
        expect(readFileSync(path.join(out, 'logs.csv'), 'utf8').trim().split('\n')).toHaveLength(1 + 14);
        expect(readFileSync(path.join(out, 'erc1155_transfers.csv'), 'utf8').trim().split('\n')).toHaveLength(1);
        expect(server.requests.some((r) => r.method === 'eth_getBlockReceipts')).toBe(false);
      } finally {
        rmSync(out, { recursive: true, force: true });
      }
    });
  });

  it('reads the addresses from @file: one per line, comments and blank lines ignored', async () => {
    await withChain({}, async (server) => {
      const dir = mkdtempSync(path.join(tmpdir(), 'ledgerflow-contracts-'));
      try {
        writeFileSync(path.join(dir, 'watchlist.txt'), `# tokens we follow\n${TOKEN_A}\r\n\n${TOKEN_B}  # the second one\n`);
        const out = path.join(dir, 'out');
        const run = await runCli(['export', '--rpc', server.url, '--start-block', '3', '--end-block', '9', '--entities', 'token_transfers', '--contracts', `@${path.join(dir, 'watchlist.txt')}`, '--retries', '0', '--output', out]);
        expect(run.code, run.stderr).toBe(0);
        expect(readFileSync(path.join(out, 'token_transfers.csv'), 'utf8').trim().split('\n')).toHaveLength(1 + 14);
        const filter = server.requests.find((r) => r.method === 'eth_getLogs')?.params[0] as { address: string[] };
        expect(filter.address).toEqual([TOKEN_A, TOKEN_B.toLowerCase()]);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
  });
});
