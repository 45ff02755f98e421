import { afterEach, describe, expect, it } from 'vitest';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { createRpcPool, type RpcPool } from '../../../../src/chain/rpc/createRpcPool.js';
import { rpcChainId } from '../../../../src/chain/rpc/rpcChainId.js';
import { rpcClientVersion } from '../../../../src/chain/rpc/rpcClientVersion.js';
import { rpcPoolOptionsFromConfig } from '../../../../src/chain/rpc/rpcPoolOptionsFromConfig.js';
import { blockOfCall, fromQuantity, toQuantity } from '../../../../src/chain/rpc/quantity.js';
import { RpcInvalidResponseError } from '../../../../src/chain/rpc/errors.js';
import { startReplayServer, type ReplayServer } from '../../../support/replayServer.js';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()?.();
});

async function setup(options: Parameters<typeof startReplayServer>[0], url?: (base: string) => string, extra: Partial<Parameters<typeof createRpcPool>[0]> = {}): Promise<{ server: ReplayServer; rpc: RpcPool }> {
  const server = await startReplayServer(options);
  const rpc = createRpcPool({ urls: [url ? url(server.url) : server.url], backoff: { baseMs: 2, maxMs: 5 }, ...extra });
  cleanups.push(() => server.close(), () => rpc.close());
  return { server, rpc };
}

describe('rpcChainId and rpcClientVersion', () => {
  it('read eth_chainId from the ethereum-etl fixture and web3_clientVersion', async () => {
    const { rpc } = await setup({
      dirs: ['/work/shared/fixtures/ethereum-etl/test_export_tokens_job/token_with_invalid_data'],
      handle: (method) => (method === 'web3_clientVersion' ? 'Geth/v1.14.0-stable/linux-amd64/go1.22' : undefined),
    });
    expect(await rpcChainId(rpc)).toBe(0x1234);
    expect(await rpcClientVersion(rpc)).toBe('Geth/v1.14.0-stable/linux-amd64/go1.22');
  });

  it('rejects a chain id that is not a hex quantity', async () => {
    const { rpc } = await setup({ handle: () => 'one' });
    await expect(rpcChainId(rpc)).rejects.toBeInstanceOf(RpcInvalidResponseError);
    await expect(rpcChainId(rpc)).rejects.toThrow(/eth_chainId: expected a hex chain id, got "one"/);
  });
});

describe('quantity helpers', () => {
  it('round-trip block numbers as minimal lower-case hex', () => {
    expect(toQuantity(0)).toBe('0x0');
    expect(toQuantity(483920)).toBe('0x76250');
    expect(toQuantity(10n ** 18n)).toBe('0xde0b6b3a7640000');
    expect(fromQuantity('0x76250')).toBe(483920);
    // A garbled value from a node is retried like a garbled reply, not refused as bad input.
    expect(() => fromQuantity('76250', 'block number', 'eth_blockNumber')).toThrow(RpcInvalidResponseError);
    expect(blockOfCall('trace_block', ['0xf44f2'])).toBe(1000690);
    expect(blockOfCall('eth_getTransactionReceipt', ['0xabc'])).toBeUndefined();
  });
});

describe('rpcPoolOptionsFromConfig', () => {
  it('maps the RPC settings of the configuration', () => {
    expect(rpcPoolOptionsFromConfig({ rpcUrls: ['http://a', 'http://b'], rpcBatchSize: 10, rpcMaxRps: 50, rpcTimeoutMs: 1000, rpcMaxRetries: 2, rpcRetryBudgetMs: 30_000 })).toEqual({
      urls: ['http://a', 'http://b'],
      batchSize: 10,
      maxRps: 50,
      timeoutMs: 1000,
      maxRetries: 2,
      retryBudgetMs: 30_000,
    });
  });
});

describe('retry logs', () => {
  it('name the endpoint masked, never with its key', async () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        lines.push(chunk.toString());
        done();
      },
    });
    const logger = pino({ level: 'debug' }, sink);
    const { rpc } = await setup(
      { handle: () => 'ok', faults: [{ type: 'status', status: 429 }, { type: 'reset' }] },
      (base) => `${base}v2/abcdef0123456789SECRETKEY?key=SECRET`,
      { logger },
    );
    expect(await rpc.request('eth_blockNumber', [])).toBe('ok');
    expect(lines).toHaveLength(2);
    const text = lines.join('');
    expect(text).toContain('v2/***');
    expect(text).toContain('"kind":"rate_limited"');
    expect(text).not.toContain('SECRET');
  });
});
