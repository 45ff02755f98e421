import { describe, expect, it } from 'vitest';
import {
  RpcBlockNotFoundError,
  RpcInvalidParamsError,
  RpcInvalidResponseError,
  RpcMethodNotFoundError,
  RpcRemoteError,
  RpcResultTooLargeError,
  RpcUnavailableError,
} from '../../../../src/chain/rpc/errors.js';
import { permanentRpcError } from '../../../../src/chain/rpc/permanentRpcError.js';
import { RpcAttemptFailure } from '../../../../src/chain/rpc/rpcEndpoint.js';
import { DateBeforeChainError, DayNotFinalError, NoBlocksOnDateError } from '../../../../src/chain/blockRange/errors.js';

const endpoint = 'https://eth.example.com/v3/***';

describe('RPC error messages (pinned)', () => {
  it('RpcMethodNotFoundError names the method, block, endpoint and the entity to drop', () => {
    const error = new RpcMethodNotFoundError({ method: 'trace_block', endpoint, block: 1000690, code: -32601, detail: 'the method trace_block does not exist/is not available' });
    expect(error.retryable).toBe(false);
    expect(error.message).toMatchInlineSnapshot(`"RPC method trace_block is not available on https://eth.example.com/v3/*** (needed for block 1000690): the method trace_block does not exist/is not available (code=-32601) Fix: use a node that serves trace_block (Erigon, Reth, Nethermind, OpenEthereum) or drop the traces entity"`);
  });

  it('RpcInvalidParamsError', () => {
    expect(new RpcInvalidParamsError({ method: 'eth_getBlockByNumber', endpoint, block: 5, code: -32602, detail: 'invalid argument 0' }).message).toMatchInlineSnapshot(`"https://eth.example.com/v3/*** rejected the parameters of eth_getBlockByNumber for block 5: invalid argument 0 (code=-32602) Fix: check that the node supports this parameter form (block tags, tracer options); report it if it should"`);
  });

  it('RpcBlockNotFoundError', () => {
    expect(new RpcBlockNotFoundError({ method: 'eth_getBlockByNumber', endpoint, block: 19_000_000 }).message).toMatchInlineSnapshot(`"https://eth.example.com/v3/*** does not have block 19000000 (eth_getBlockByNumber returned null) Fix: ask for blocks at or below the chain head, use a synced archive node, or wait until the node has caught up past this block"`);
  });

  it('RpcInvalidResponseError', () => {
    expect(new RpcInvalidResponseError({ method: 'eth_getBlockReceipts', endpoint, block: 7, detail: 'unparseable JSON (120 bytes, ends with "\\"0x1\\",\\"logs\\":[")' }).message).toMatchInlineSnapshot(`"malformed JSON-RPC response from https://eth.example.com/v3/*** to eth_getBlockReceipts for block 7: unparseable JSON (120 bytes, ends with "\\"0x1\\",\\"logs\\":[") Fix: check the node or any proxy in front of it (response size limits, batch size limits); lower RPC_BATCH_SIZE if the node cuts large batches"`);
  });

  it('RpcResultTooLargeError names the range start and says what avoids the cap', () => {
    const error = new RpcResultTooLargeError({ method: 'eth_getLogs', endpoint, block: 19_000_000, code: -32005, detail: 'query returned more than 10000 results' });
    expect(error.retryable).toBe(false);
    expect(error.message).toMatchInlineSnapshot(`"https://eth.example.com/v3/*** refused eth_getLogs for block 19000000 as too large: query returned more than 10000 results (code=-32005) Fix: use a node without a cap on eth_getLogs results (a self-hosted node), or export without --contracts"`);
  });

  it('a refused log range becomes RpcResultTooLargeError', () => {
    const failure = new RpcAttemptFailure({ type: 'rpc', code: -32602, message: 'query exceeds max results 20000' }, 'query exceeds max results 20000');
    expect(permanentRpcError(failure, { method: 'eth_getLogs', endpoint, block: 1 }, 'too_many_results')).toBeInstanceOf(RpcResultTooLargeError);
    expect(permanentRpcError(failure, { method: 'eth_getLogs', endpoint, block: 1 })).toBeInstanceOf(RpcInvalidParamsError);
  });

  it('RpcMethodNotFoundError for eth_getLogs points back to the receipts path', () => {
    expect(new RpcMethodNotFoundError({ method: 'eth_getLogs', endpoint, block: 3, code: -32601 }).message).toMatch(/Fix: use a node that serves eth_getLogs, or export without --contracts/);
  });

  it('RpcRemoteError', () => {
    expect(new RpcRemoteError({ method: 'eth_call', endpoint, code: 3, detail: 'execution reverted' }).message).toMatchInlineSnapshot(`"https://eth.example.com/v3/*** returned error 3 for eth_call: execution reverted (code=3) Fix: read the node message; if the call is expected to fail (a reverted eth_call), handle it in the caller; if the node limits batches, lower RPC_BATCH_SIZE"`);
  });

  it('RpcUnavailableError', () => {
    const error = new RpcUnavailableError({ method: 'eth_getBlockByNumber', endpoint, block: 12, attempts: 6, kind: 'rate_limited', detail: 'HTTP 429' });
    expect(error.retryable).toBe(true);
    expect(error.message).toMatchInlineSnapshot(`"RPC unavailable for eth_getBlockByNumber for block 12 after 6 attempts: https://eth.example.com/v3/*** answered rate_limited (HTTP 429) Fix: check that the node is up and reachable; on 429 lower RPC_MAX_RPS or RPC_BATCH_SIZE; add endpoints to RPC_URL (comma-separated) for failover"`);
  });
});

describe('block range error messages (pinned)', () => {
  it('DayNotFinalError says which head and when to retry', () => {
    const error = new DayNotFinalError({ date: '2024-03-01', head: 19_350_000, neededHead: 19_350_100, retryAfter: '2024-03-02T00:12:48Z', finalityDepth: 64, nextDayFirstBlock: 19_350_036 });
    expect(error.retryable).toBe(true);
    expect(error.message).toMatchInlineSnapshot(`"day 2024-03-01 is not final yet: head is block 19350000, need block 19350100 (retry after about 2024-03-02T00:12:48Z) (date=2024-03-01 head=19350000 needed_head=19350100 finality_depth=64 next_day_first_block=19350036) Fix: run it after block 19350100 (about 2024-03-02T00:12:48Z), or lower --finality-depth if the chain finalises faster"`);
  });

  it('DateBeforeChainError and NoBlocksOnDateError', () => {
    expect(new DateBeforeChainError({ date: '2015-07-29', firstBlockTime: '2015-07-30T15:26:28.000Z', endpoint }).message).toMatchInlineSnapshot(`"date 2015-07-29 is before the chain's first block (block 1 is at 2015-07-30T15:26:28.000Z) (date=2015-07-29 endpoint=https://eth.example.com/v3/***) Fix: pick a date on or after 2015-07-30, or check that the endpoint serves the intended chain"`);
    expect(new NoBlocksOnDateError({ date: '2024-03-02', before: 99, after: 100, endpoint }).message).toMatchInlineSnapshot(`"no blocks on 2024-03-02: block 99 is before the day and block 100 after it (date=2024-03-02 endpoint=https://eth.example.com/v3/***) Fix: skip this date; there is nothing to export for it"`);
  });
});
