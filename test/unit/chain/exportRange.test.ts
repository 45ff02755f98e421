import { describe, expect, it } from 'vitest';
import { exportRange } from '../../../src/chain/exportRange.js';
import { createRpcPool } from '../../../src/chain/rpc/createRpcPool.js';
import type { EntityName } from '../../../src/chain/types.js';
import type { Row } from '../../../src/lake/format/types.js';
import { CollectingSink } from '../../support/collectingSink.js';
import { startReplayServer } from '../../support/replayServer.js';
import { hashOf, hex, txHash, withChain } from '../../support/syntheticChain.js';

function sinksFor(entities: EntityName[], onWrite?: (row: Row) => void) {
  const sinks = new Map<EntityName, CollectingSink>();
  return { sinks, openSink: (e: EntityName) => { const s = new CollectingSink(onWrite); sinks.set(e, s); return s; } };
}

describe('exportRange', () => {
  it('writes rows in block, transaction and log order, reports progress per block, closes every sink', async () => {
    await withChain({ blockReceipts: true }, async (server) => {
      const rpc = createRpcPool({ urls: [server.url], maxRetries: 0 });
      const entities: EntityName[] = ['blocks', 'transactions', 'receipts', 'logs', 'token_transfers', 'erc1155_transfers'];
      const { sinks, openSink } = sinksFor(entities);
      const progress: number[] = [];
      const result = await exportRange({ rpc, range: { start: 5, end: 16 }, entities, openSink, blockBatchSize: 5, onProgress: (p) => progress.push(p.lastBlock) });
      await rpc.close();
      expect(progress).toEqual(Array.from({ length: 12 }, (_, i) => 5 + i));
      expect(sinks.get('blocks')?.rows.map((r) => r.number)).toEqual(Array.from({ length: 12 }, (_, i) => 5 + i));
      // eth_getBlockReceipts answered out of order; rows come out by transaction index.
      expect(sinks.get('receipts')?.rows.slice(0, 2).map((r) => r.transaction_index)).toEqual([0, 1]);
      expect(sinks.get('token_transfers')?.rows).toHaveLength(24);
      expect(sinks.get('erc1155_transfers')?.rows).toEqual([]);
      expect([...sinks.values()].every((s) => s.state === 'closed')).toBe(true);
      expect(result.rows).toMatchObject({ blocks: 12, transactions: 24, receipts: 24, logs: 24, token_transfers: 24, erc1155_transfers: 0 });
      expect(result.firstBlockHash).toBe(hashOf(5));
      expect(result.firstParentHash).toBe(hashOf(4));
      expect(result.lastBlockHash).toBe(hashOf(16));
      expect(server.requests.some((r) => r.method === 'eth_getTransactionReceipt')).toBe(false);
    });
  });

  it('falls back to per-transaction receipts and asks for eth_getBlockReceipts only once per client', async () => {
    await withChain({}, async (server) => {
      const rpc = createRpcPool({ urls: [server.url], maxRetries: 0 });
      for (const range of [{ start: 0, end: 3 }, { start: 4, end: 7 }]) {
        const { sinks, openSink } = sinksFor(['receipts']);
        await exportRange({ rpc, range, entities: ['receipts'], openSink, blockBatchSize: 2 });
        expect(sinks.get('receipts')?.rows).toHaveLength(8);
      }
      await rpc.close();
      expect(server.requests.filter((r) => r.method === 'eth_getBlockReceipts').length).toBe(2);
      expect(server.requests.filter((r) => r.method === 'eth_getTransactionReceipt')).toHaveLength(16);
    });
  });

  it('fails on a broken parent link naming both hashes, and aborts every sink', async () => {
    await withChain({ blockReceipts: true, breakParentAt: 9 }, async (server) => {
      const rpc = createRpcPool({ urls: [server.url], maxRetries: 0 });
      const { sinks, openSink } = sinksFor(['blocks', 'logs']);
      const consistency = { attempts: 3, backoff: { baseMs: 1, maxMs: 2 } };
      const error = await exportRange({ rpc, range: { start: 5, end: 12 }, entities: ['blocks', 'logs'], openSink, blockBatchSize: 3, consistency }).catch((e: unknown) => e);
      await rpc.close();
      expect(String(error)).toContain(`block 9: parent hash is 0x${'ee'.repeat(32)}, expected ${hashOf(8)}`);
      // A disagreement is fetched again before it fails the range.
      expect(String(error)).toContain('still after 3 fetches');
      expect([...sinks.values()].map((s) => s.state)).toEqual(['aborted', 'aborted']);
    });
  });

  it('fails on a receipt of another block naming both hashes', async () => {
    await withChain({ blockReceipts: true, wrongReceiptHashAt: 6 }, async (server) => {
      const rpc = createRpcPool({ urls: [server.url], maxRetries: 0 });
      const { openSink } = sinksFor(['receipts']);
      const consistency = { attempts: 2, backoff: { baseMs: 1, maxMs: 2 } };
      await expect(exportRange({ rpc, range: { start: 5, end: 7 }, entities: ['receipts'], openSink, consistency })).rejects.toThrow(
        new RegExp(`block 6: block hash of receipt .* is 0x${'dd'.repeat(32)}, expected ${hashOf(6)} .*; still after 2 fetches`),
      );
      await rpc.close();
    });
  });

  it('names the transaction index as the likely cause when a node has a block but keeps answering null for its receipts', async () => {
    await withChain({ unindexedReceiptsAt: 6 }, async (server) => {
      const rpc = createRpcPool({ urls: [server.url], maxRetries: 2, backoff: { baseMs: 1, maxMs: 2 } });
      const { openSink } = sinksFor(['receipts']);
      await expect(exportRange({ rpc, range: { start: 5, end: 7 }, entities: ['receipts'], openSink })).rejects.toThrow(
        /eth_getTransactionReceipt for block 6 after 3 attempts.* answered missing_block x3 \(null\).*Fix: .*--history.transactions 0 \(formerly --txlookuplimit 0\)/,
      );
      // A null receipt is a node behind, asked again rather than failed at once.
      expect(server.requests.filter((r) => r.method === 'eth_getTransactionReceipt' && r.params[0] === txHash(6, 0))).toHaveLength(3);
      await rpc.close();
    });
  });

  it('fetches at most `prefetch` batches ahead of the block being written', async () => {
    await withChain({ blockReceipts: true }, async (server) => {
      const rpc = createRpcPool({ urls: [server.url], maxRetries: 0 });
      let maxLead = 0;
      const { openSink } = sinksFor(['blocks'], (row) => {
        const requested = Math.max(...server.requests.filter((r) => r.method === 'eth_getBlockByNumber').map((r) => Number(BigInt(r.params[0] as string))));
        maxLead = Math.max(maxLead, requested - Number(row.number));
      });
      await exportRange({ rpc, range: { start: 0, end: 199 }, entities: ['blocks'], openSink, blockBatchSize: 10, prefetch: 2 });
      await rpc.close();
      expect(maxLead).toBeLessThan(3 * 10);
      expect(maxLead).toBeGreaterThan(0);
    });
  });

  it('shrinks batches to what the in-flight budget holds, with the same rows as unbounded batches', async () => {
    await withChain({ blockReceipts: true }, async (server) => {
      const entities: EntityName[] = ['blocks', 'transactions', 'logs'];
      const run = async (inFlightChars: number, onWrite?: (row: Row) => void) => {
        const rpc = createRpcPool({ urls: [server.url], maxRetries: 0 });
        const { sinks, openSink } = sinksFor(entities, onWrite);
        await exportRange({ rpc, range: { start: 0, end: 119 }, entities, openSink, blockBatchSize: 40, prefetch: 2, inFlightChars });
        await rpc.close();
        return entities.map((e) => sinks.get(e)?.rows);
      };
      const unbounded = await run(2 ** 30);
      const before = server.requests.length;
      let lateLead = 0;
      // A budget smaller than one block's answers: one block per batch once the first are measured.
      const bounded = await run(1, (row) => {
        if (row.number === undefined || Number(row.number) < 60) return;
        const asked = server.requests.slice(before).filter((r) => r.method === 'eth_getBlockByNumber');
        const requested = Math.max(...asked.map((r) => Number(BigInt(r.params[0] as string))));
        lateLead = Math.max(lateLead, requested - Number(row.number));
      });
      expect(bounded).toEqual(unbounded);
      expect(lateLead).toBeGreaterThan(0);
      expect(lateLead).toBeLessThanOrEqual(3);
    });
  });

  it('rejects a reversed range before touching the node', async () => {
    await withChain({}, async (server) => {
      const rpc = createRpcPool({ urls: [server.url], maxRetries: 0 });
      const { sinks, openSink } = sinksFor(['blocks']);
      await expect(exportRange({ rpc, range: { start: 5, end: 4 }, entities: ['blocks'], openSink })).rejects.toThrow(/End block 4 is before start block 5/);
      await rpc.close();
      expect(sinks.size).toBe(0);
      expect(server.requests).toEqual([]);
    });
  });
});

describe('exportRange past the node head', () => {
  it('names the missing block instead of writing a partial range', async () => {
    const handle = (method: string, params: readonly unknown[]) => {
      if (method === 'eth_blockNumber') return hex(3);
      const n = Number(BigInt(params[0] as string));
      if (method === 'eth_getBlockByNumber') return n > 3 ? null : { number: hex(n), hash: hashOf(n), parentHash: n === 0 ? `0x${'00'.repeat(32)}` : hashOf(n - 1), timestamp: '0x0', transactions: [] };
      return undefined;
    };
    const server = await startReplayServer({ handle: (m, p) => handle(m, p) ?? null });
    const rpc = createRpcPool({ urls: [server.url], maxRetries: 0 });
    const sink = new CollectingSink();
    try {
      await expect(exportRange({ rpc, range: { start: 0, end: 5 }, entities: ['blocks'], openSink: () => sink, blockBatchSize: 2 })).rejects.toThrow(/does not have block 4/);
      expect(sink.state).toBe('aborted');
    } finally {
      await rpc.close();
      await server.close();
    }
  });
});
