import { describe, expect, it } from 'vitest';
import { classifyRpcFailure, shouldRetry, type RpcFailure } from '../../../../src/chain/rpc/classifyRpcFailure.js';

const cases: [string, RpcFailure, string, boolean][] = [
  ['HTTP 429', { type: 'http', status: 429 }, 'rate_limited', true],
  ['HTTP 500', { type: 'http', status: 500 }, 'server_error', true],
  ['HTTP 503', { type: 'http', status: 503 }, 'server_error', true],
  ['HTTP 408', { type: 'http', status: 408 }, 'timeout', true],
  ['HTTP 401', { type: 'http', status: 401 }, 'http_error', false],
  ['HTTP 413', { type: 'http', status: 413 }, 'http_error', false],
  ['headers timeout', { type: 'network', code: 'UND_ERR_HEADERS_TIMEOUT' }, 'timeout', true],
  ['body timeout', { type: 'network', code: 'UND_ERR_BODY_TIMEOUT' }, 'timeout', true],
  ['AbortSignal.timeout', { type: 'network', code: undefined, name: 'TimeoutError' }, 'timeout', true],
  ['reset', { type: 'network', code: 'ECONNRESET' }, 'connection', true],
  ['refused', { type: 'network', code: 'ECONNREFUSED' }, 'connection', true],
  ['socket closed', { type: 'network', code: 'UND_ERR_SOCKET' }, 'connection', true],
  ['truncated JSON', { type: 'malformed' }, 'malformed', false],
  ['Infura limit in 200', { type: 'rpc', code: -32005, message: 'daily request count exceeded, request rate limited' }, 'rate_limited', true],
  ['Alchemy 429 in 200', { type: 'rpc', code: 429, message: 'Your app has exceeded its compute units per second capacity' }, 'rate_limited', true],
  ['rate limit only in message', { type: 'rpc', code: -32603, message: 'Too Many Requests' }, 'rate_limited', true],
  ['method not found', { type: 'rpc', code: -32601, message: 'the method trace_block does not exist/is not available' }, 'method_not_found', false],
  ['not supported under -32000', { type: 'rpc', code: -32000, message: 'method eth_getBlockReceipts not supported' }, 'method_not_found', false],
  ['not implemented filter', { type: 'rpc', code: -32000, message: 'the method is currently not implemented: eth_newFilter' }, 'method_not_found', false],
  ['invalid params', { type: 'rpc', code: -32602, message: 'invalid argument 0: hex string has leading zero digits' }, 'invalid_params', false],
  ['reverted code 3', { type: 'rpc', code: 3, message: 'execution reverted' }, 'reverted', false],
  ['reverted -32000', { type: 'rpc', code: -32000, message: 'execution reverted' }, 'reverted', false],
  ['header not found', { type: 'rpc', code: -32000, message: 'header not found' }, 'server_error', true],
  ['internal error', { type: 'rpc', code: -32603, message: 'internal error' }, 'server_error', true],
  ['invalid request', { type: 'rpc', code: -32600, message: 'invalid request' }, 'rpc_error', false],
  // eth_getLogs ranges a node will not answer whole: a smaller range can succeed, the same one never.
  ['Infura log cap (shares -32005 with its rate limit)', { type: 'rpc', code: -32005, message: 'query returned more than 10000 results. Try with this block range [0x1, 0x2].' }, 'too_many_results', false],
  ['Alchemy log response size', { type: 'rpc', code: -32602, message: 'Log response size exceeded. You can make eth_getLogs requests with up to a 2K block range and no limit on the response size' }, 'too_many_results', false],
  ['reth max results', { type: 'rpc', code: -32602, message: 'query exceeds max results 20000, retry with the range 1-2' }, 'too_many_results', false],
  ['QuickNode range cap', { type: 'rpc', code: -32614, message: 'eth_getLogs is limited to a 10,000 range' }, 'too_many_results', false],
  ['block range too wide', { type: 'rpc', code: -32000, message: 'block range is too wide' }, 'too_many_results', false],
  ['Alchemy free-tier range', { type: 'rpc', code: -32600, message: 'Under the Free tier plan, you can make eth_getLogs requests with up to a 10 block range.' }, 'too_many_results', false],
  ['QuickNode range cap, plural', { type: 'rpc', code: -32614, message: 'eth_getLogs is limited to a 10,000 blocks range' }, 'too_many_results', false],
  ['Infura range limit', { type: 'rpc', code: -32602, message: 'range 5000 exceeds limit of 3500' }, 'too_many_results', false],
  ['dRPC range, not "not supported"', { type: 'rpc', code: -32000, message: 'ranges over 10000 blocks are not supported on freetier' }, 'too_many_results', false],
  ['range limit "exceeded", not a rate limit', { type: 'rpc', code: -32005, message: 'Block range limit exceeded' }, 'too_many_results', false],
  ['max block range', { type: 'rpc', code: -32000, message: 'block range is larger than max block range' }, 'too_many_results', false],
  ['Infura log query timeout', { type: 'rpc', code: -32005, message: 'query timeout exceeded' }, 'too_many_results', false],
  ['a proxy batch limit is not a log range', { type: 'rpc', code: -32000, message: 'Response size is larger than 150MB limit' }, 'server_error', true],
];

describe('classifyRpcFailure', () => {
  it.each(cases)('%s', (_name, failure, kind, retry) => {
    const classified = classifyRpcFailure(failure);
    expect(classified).toBe(kind);
    expect(shouldRetry(classified)).toBe(retry);
  });
});
