import { afterEach, describe, expect, it } from 'vitest';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fixtureFileName, startReplayServer, type ReplayServer } from '../../support/replayServer.js';

const FIXTURES = '/work/shared/fixtures/ethereum-etl';
let server: ReplayServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function post(url: string, body: unknown): Promise<unknown> {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return response.json();
}

describe('fixtureFileName (ethereum-etl naming rule)', () => {
  it.each([
    ['eth_getBlockByNumber', ['0x76250', true], 'web3_response.eth_getBlockByNumber_0x76250_true.json'],
    ['eth_getBlockByNumber', ['latest', false], 'web3_response.eth_getBlockByNumber_latest_false.json'],
    ['eth_chainId', [], 'web3_response.eth_chainId_.json'],
    ['trace_block', ['0xf44f2'], 'web3_response.trace_block_0xf44f2.json'],
    ['debug_traceBlockByNumber', ['0xf4240', { tracer: 'callTracer' }], 'web3_response.debug_traceBlockByNumber_0xf4240_tracer_calltracer.json'],
    ['eth_call', [{ to: '0x86Fa049857E0209aa7D9e616F7eb3b3B78ECfdb0', data: '0x06fdde03' }, 'latest'], 'web3_response.eth_call_data_0x06fdde03_to_0x86fa049857e0209aa7d9e616f7eb3b3b78ecfdb0_latest.json'],
    ['eth_newFilter', [{ toBlock: '0x76250', topics: ['0xddf2'], fromBlock: '0x76250' }], 'web3_response.eth_newFilter_fromBlock_0x76250_toBlock_0x76250_topics_0xddf2.json'],
    ['x', [null, 12, { B: 1, a: 2 }], 'web3_response.x_none_12_B_1_a_2.json'],
  ])('%s %j', (method, params, name) => {
    expect(fixtureFileName(method, params)).toBe(name);
  });

  it('names files that exist in the fixtures', () => {
    const dir = join(FIXTURES, 'test_export_token_transfers_job/block_with_transfers');
    const name = fixtureFileName('eth_newFilter', [
      { fromBlock: '0x76250', toBlock: '0x76250', topics: ['0xddf252ad1be2c89b69c2b068fc378daa952ba7f163c4a11628f55a4df523b3ef'] },
    ]);
    expect(existsSync(join(dir, name))).toBe(true);
  });
});

describe('startReplayServer', () => {
  it('serves a batch from recorded files in request order with the request ids', async () => {
    server = await startReplayServer({
      dirs: [join(FIXTURES, 'test_export_blocks_job/blocks_with_transactions'), join(FIXTURES, 'test_export_blocks_job/block_without_transactions')],
    });
    const reply = (await post(server.url, [
      { jsonrpc: '2.0', id: 7, method: 'eth_getBlockByNumber', params: ['0xb873', true] },
      { jsonrpc: '2.0', id: 3, method: 'eth_getBlockByNumber', params: ['0x0', true] },
      { jsonrpc: '2.0', id: 9, method: 'eth_getBlockByNumber', params: ['0xb872', true] },
    ])) as { id: number; result: { number: string } }[];
    expect(reply.map((r) => [r.id, r.result.number])).toEqual([
      [7, '0xb873'],
      [3, '0x0'],
      [9, '0xb872'],
    ]);
    expect(server.requests.map((r) => r.params[0])).toEqual(['0xb873', '0x0', '0xb872']);
  });

  it('answers a missing fixture with a non-retryable error naming the file, and a missing eth_call as a revert', async () => {
    server = await startReplayServer({ dirs: [join(FIXTURES, 'test_export_tokens_job/token_with_alternative_return_type')] });
    const missing = (await post(server.url, { jsonrpc: '2.0', id: 1, method: 'trace_block', params: ['0x1'] })) as { error: { code: number; message: string } };
    expect(missing.error.code).toBe(-32601);
    expect(missing.error.message).toContain('web3_response.trace_block_0x1.json');
    const reverted = (await post(server.url, {
      jsonrpc: '2.0',
      id: 2,
      method: 'eth_call',
      params: [{ to: '0x86Fa049857E0209aa7D9e616F7eb3b3B78ECfdb0', data: '0xf76f8d78' }, 'latest'],
    })) as { error: { code: number; message: string } };
    expect(reverted.error.message).toMatch(/^execution reverted/);
  });

  it('injects faults per HTTP request', async () => {
    server = await startReplayServer({ handle: () => 'ok', faults: [{ type: 'status', status: 429, retryAfterSeconds: 1 }, { type: 'truncate' }] });
    const first = await fetch(server.url, { method: 'POST', body: '{"jsonrpc":"2.0","id":1,"method":"m","params":[]}' });
    expect(first.status).toBe(429);
    expect(first.headers.get('retry-after')).toBe('1');
    await first.text();
    const second = await fetch(server.url, { method: 'POST', body: '{"jsonrpc":"2.0","id":1,"method":"m","params":[]}' });
    await expect(second.json()).rejects.toThrow();
    expect(await post(server.url, { jsonrpc: '2.0', id: 1, method: 'm', params: [] })).toEqual({ jsonrpc: '2.0', id: 1, result: 'ok' });
    expect(server.httpRequests()).toBe(3);
  });
});
