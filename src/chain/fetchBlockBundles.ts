import { LedgerflowError } from '../errors/LedgerflowError.js';
import { hexToInt, toQuantity } from './decode/hexToInt.js';
import type { GethCallFrame } from './decode/gethTraceRows.js';
import type { ParityTrace } from './decode/parityTraceRows.js';
import type { BundleSource } from './entities/entity.js';
import { assignContractLogs } from './assignContractLogs.js';
import { fetchContractLogs, type ContractLogFilter } from './fetchContractLogs.js';
import type { BlockBundle, RpcBlock, RpcReceipt } from './entities/rpcShapes.js';
import { InconsistentNodeDataError } from './inconsistentNodeDataError.js';
import { RpcInvalidResponseError } from './rpc/errors.js';
import type { RpcCallOptions, RpcClient } from './rpc/types.js';

export type TraceSource = 'trace_block' | 'geth';

export interface FetchBundlesOptions {
  rpc: RpcClient;
  sources: ReadonlySet<BundleSource>;
  /** Where the `traces` source comes from: parity trace_block, or geth callTracer frames. */
  traceSource: TraceSource;
  /** The contracts (and topic0s) of the `contractLogs` source. */
  logFilter?: ContractLogFilter;
  signal?: AbortSignal;
  /** Told the size of every block, receipt and trace answer read: what the stretch holds in memory. */
  onResponseChars?: (chars: number) => void;
}

// Whether a node serves eth_getBlockReceipts is asked once per client and remembered, so a
// node without it costs one failed call per export, not one per batch.
const blockReceiptsSupport = new WeakMap<RpcClient, boolean | Promise<boolean | undefined>>();

/**
 * Fetches the blocks `numbers` (consecutive, ascending) with what the sources ask for, as
 * JSON-RPC batches issued concurrently, and checks every answer against its block.
 */
export async function fetchBlockBundles(numbers: readonly number[], options: FetchBundlesOptions): Promise<BlockBundle[]> {
  const { rpc, sources, signal, onResponseChars } = options;
  // A null block, receipt or trace is a node behind: the pool retries it elsewhere, so every
  // result below is an answer. Who answered what is kept to name both sides of a disagreement.
  const served = new Servers();
  const callOptions = (into: string[]): RpcCallOptions => ({
    ...(signal ? { signal } : {}),
    ...(onResponseChars ? { onResponseChars } : {}),
    requireResults: true,
    onServed: served.recorder(into),
  });
  const includeTx = sources.has('blockTransactions');
  const blocksPromise = rpc.batch<RpcBlock>(
    numbers.map((n) => ({ method: 'eth_getBlockByNumber', params: [toQuantity(n), includeTx] })),
    callOptions(served.blocks),
  );
  const wantsParity = sources.has('traces') && options.traceSource === 'trace_block';
  const wantsGeth = sources.has('gethTraces') || (sources.has('traces') && options.traceSource === 'geth');
  const tracesPromise = wantsParity
    ? rpc.batch<ParityTrace[]>(numbers.map((n) => ({ method: 'trace_block', params: [toQuantity(n)] })), callOptions(served.traces))
    : undefined;
  const gethPromise = wantsGeth
    ? rpc.batch<Array<{ result?: GethCallFrame }>>(
        numbers.map((n) => ({ method: 'debug_traceBlockByNumber', params: [toQuantity(n), { tracer: 'callTracer' }] })),
        callOptions(served.traces),
      )
    : undefined;
  // An empty address list would ask the node for every log of the range: no filter, no call.
  if (sources.has('contractLogs') && !options.logFilter?.addresses.length) throw new TypeError('the contractLogs source needs a logFilter with addresses');
  const contractLogs =
    options.logFilter && sources.has('contractLogs') && numbers.length > 0
      ? fetchContractLogs(rpc, numbers[0] as number, numbers[numbers.length - 1] as number, options.logFilter, signal)
      : undefined;
  const receiptsByBlock = sources.has('receipts') && blockReceiptsSupport.get(rpc) !== false ? tryBlockReceipts(rpc, numbers, callOptions(served.receipts)) : undefined;
  // Attach handlers now: if the block batch fails first, the others must not reject unobserved.
  for (const p of [tracesPromise, gethPromise, receiptsByBlock, contractLogs]) p?.catch(() => undefined);

  const blocks = await blocksPromise;
  const bundles: BlockBundle[] = numbers.map((n, i) => ({ number: n, block: checkBlock(blocks[i] as RpcBlock, n, served.at(served.blocks, i)) }));
  if (numbers.length > 0) rpc.noteHeight?.(numbers[numbers.length - 1] as number);

  if (sources.has('receipts')) {
    let receipts = receiptsByBlock ? await receiptsByBlock : undefined;
    if (!receipts) receipts = await receiptsPerTransaction(rpc, bundles, callOptions(served.receipts));
    bundles.forEach((bundle, i) => {
      bundle.receipts = checkReceipts(bundle, receipts[i] ?? [], served.at(served.blocks, i), served.at(served.receipts, i));
    });
  }
  if (contractLogs && options.logFilter) await assignContractLogs(bundles, await contractLogs, options.logFilter, rpc, signal);
  if (tracesPromise) {
    const traces = await tracesPromise;
    bundles.forEach((bundle, i) => {
      bundle.traces = checkTraces(bundle, traces[i] ?? [], served.at(served.blocks, i), served.at(served.traces, i));
    });
  }
  if (gethPromise) {
    const frames = await gethPromise;
    bundles.forEach((bundle, i) => {
      const list = frames[i];
      if (!Array.isArray(list)) throw notAList('debug_traceBlockByNumber', bundle.number, served.at(served.traces, i));
      bundle.gethTraces = list.map((item) => item.result ?? {});
    });
  }
  return bundles;
}

async function tryBlockReceipts(rpc: RpcClient, numbers: readonly number[], callOptions: RpcCallOptions): Promise<RpcReceipt[][] | undefined> {
  let known = blockReceiptsSupport.get(rpc);
  let settle: ((supported: boolean | undefined) => void) | undefined;
  if (known === undefined) {
    // This batch probes; batches fetched concurrently wait for its answer instead of probing too.
    blockReceiptsSupport.set(rpc, new Promise((resolve) => (settle = resolve)));
  } else if (known instanceof Promise) {
    known = await known;
  }
  if (known === false) return undefined;
  try {
    const result = await rpc.batch<RpcReceipt[]>(numbers.map((n) => ({ method: 'eth_getBlockReceipts', params: [toQuantity(n)] })), callOptions);
    blockReceiptsSupport.set(rpc, true);
    settle?.(true);
    return result;
  } catch (error) {
    if (error instanceof LedgerflowError && error.name === 'RpcMethodNotFoundError') {
      blockReceiptsSupport.set(rpc, false);
      settle?.(false);
      return undefined;
    }
    if (settle) blockReceiptsSupport.delete(rpc);
    settle?.(undefined);
    throw error;
  }
}

/**
 * Receipts by transaction hash, for nodes without eth_getBlockReceipts. A null receipt for a
 * transaction of a block the node has is retried by the pool like a missing block; when it
 * persists, the error's fix names geth's transaction index (ethereum-etl #297, #252).
 */
async function receiptsPerTransaction(rpc: RpcClient, bundles: readonly BlockBundle[], callOptions: RpcCallOptions): Promise<RpcReceipt[][]> {
  const hashes = bundles.map((b) => (b.block.transactions ?? []).map((tx) => (typeof tx === 'string' ? tx : tx.hash)));
  const flat = hashes.flatMap((list, i) => list.map((hash) => ({ method: 'eth_getTransactionReceipt', params: [hash], block: bundles[i]?.number })));
  const served: string[] = [];
  const answers =
    flat.length === 0
      ? []
      : await rpc.batch<RpcReceipt>(flat, {
          ...callOptions,
          onServed: (endpoint, offset, count) => served.fill(endpoint, offset, offset + count),
        });
  served.length = flat.length;
  const out: RpcReceipt[][] = [];
  let k = 0;
  for (const list of hashes) {
    // The receipts of one block may come from several batches; the first one's endpoint names them.
    if (list.length > 0) callOptions.onServed?.(served[k] ?? rpc.describe(), out.length, 1);
    out.push(list.map(() => answers[k++] as RpcReceipt));
  }
  return out;
}

/** Which endpoint answered each block's call, per source; filled by the pool's onServed hook. */
class Servers {
  readonly blocks: string[] = [];
  readonly receipts: string[] = [];
  readonly traces: string[] = [];
  recorder(into: string[]): (endpoint: string, offset: number, count: number) => void {
    return (endpoint, offset, count) => {
      for (let i = offset; i < offset + count; i++) into[i] = endpoint;
    };
  }
  at(list: readonly string[], index: number): string {
    return list[index] ?? 'the endpoint';
  }
}

function checkBlock(block: RpcBlock, n: number, from: string): RpcBlock {
  mustEqual('block number', n, hexToInt(block.number), 'eth_getBlockByNumber', from, String(n), from);
  for (const tx of block.transactions ?? []) {
    if (typeof tx === 'string') continue;
    if (tx.blockHash !== block.hash) mustEqual(`block hash of transaction ${tx.hash}`, n, tx.blockHash, 'eth_getBlockByNumber', from, block.hash, from);
  }
  return block;
}

function checkReceipts(bundle: BlockBundle, receipts: RpcReceipt[], blockFrom: string, from: string): RpcReceipt[] {
  const method = 'eth_getBlockReceipts';
  const txCount = bundle.block.transactions?.length ?? 0;
  mustEqual('receipt count', bundle.number, String(receipts.length), method, from, String(txCount), blockFrom);
  // Equal strings are the norm; mustEqual (case-insensitive, builds the message) only for the rest.
  const hash = bundle.block.hash;
  for (const receipt of receipts) {
    if (receipt.blockHash !== hash) mustEqual(`block hash of receipt ${receipt.transactionHash}`, bundle.number, receipt.blockHash, method, from, hash, blockFrom);
    for (const log of receipt.logs ?? []) {
      if (log.blockHash !== hash) mustEqual(`block hash of a log of ${receipt.transactionHash}`, bundle.number, log.blockHash, method, from, hash, blockFrom);
    }
  }
  return receipts;
}

function checkTraces(bundle: BlockBundle, traces: ParityTrace[], blockFrom: string, from: string): ParityTrace[] {
  if (!Array.isArray(traces)) throw notAList('trace_block', bundle.number, from);
  for (const trace of traces) {
    if (trace.blockHash !== undefined) mustEqual('block hash of a trace', bundle.number, trace.blockHash, 'trace_block', from, bundle.block.hash, blockFrom);
    if (trace.blockNumber !== undefined) mustEqual('block number of a trace', bundle.number, hexToInt(trace.blockNumber), 'trace_block', from, String(bundle.number), blockFrom);
  }
  return traces;
}

function mustEqual(what: string, block: number, actual: unknown, method: string, from: string, expected: string, expectedFrom: string): void {
  const actualText = actual === null || actual === undefined ? 'missing' : String(actual);
  if (actualText.toLowerCase() !== expected.toLowerCase()) {
    throw new InconsistentNodeDataError({ what, block, expected, actual: actualText, method, endpoint: from, expectedEndpoint: expectedFrom });
  }
}

function notAList(method: string, block: number, from: string): Error {
  return new RpcInvalidResponseError({ method, endpoint: from, block, detail: 'expected a list of traces' });
}
