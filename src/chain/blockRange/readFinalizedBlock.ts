import type { RpcClient } from '../rpc/types.js';
import { RpcInvalidParamsError, RpcMethodNotFoundError, RpcRemoteError, RpcUnavailableError } from '../rpc/errors.js';
import { blockPoint, type BlockPoint, type RawBlock } from './blockTimestampIndex.js';

// How nodes without a finalized block word it: geth without a consensus client "finalized block
// not found", Nethermind and others "unknown block", some "block not found". The pool files these
// under state_unavailable, which it would retry; here they mean "this node has no such tag".
const NO_FINALIZED_BLOCK = /unknown block|block not found|not supported/i;

/**
 * The node's `finalized` block, or undefined when the node does not serve the tag: an unknown
 * method or parameter (-32601, -32602, pre-merge nodes), an "unknown block" answer or null.
 * The first attempt is not retried, so a node without the tag costs one call; any other
 * transient fault is asked again within the pool's budget and then thrown, never read as
 * "unsupported": a flaky node must not switch the finality rule by chance.
 */
export async function readFinalizedBlock(rpc: RpcClient, signal?: AbortSignal): Promise<BlockPoint | undefined> {
  const ask = (maxRetries?: number) =>
    rpc.request<RawBlock | null>('eth_getBlockByNumber', ['finalized', false], {
      requireResults: false,
      ...(signal ? { signal } : {}),
      ...(maxRetries === undefined ? {} : { maxRetries }),
    });
  let raw: RawBlock | null;
  try {
    raw = await ask(0);
  } catch (error) {
    if (tagUnsupported(error)) return undefined;
    if (!(error instanceof RpcUnavailableError)) throw error;
    try {
      raw = await ask();
    } catch (again) {
      if (tagUnsupported(again)) return undefined;
      throw again;
    }
  }
  return raw ? blockPoint(raw) : undefined;
}

function tagUnsupported(error: unknown): boolean {
  if (error instanceof RpcUnavailableError) return error.fields.kind === 'state_unavailable' && NO_FINALIZED_BLOCK.test(error.fields.detail ?? '');
  // Permanent answers (unknown method, invalid parameter, any other error object) say the node
  // will not serve the tag.
  return error instanceof RpcMethodNotFoundError || error instanceof RpcInvalidParamsError || error instanceof RpcRemoteError;
}
