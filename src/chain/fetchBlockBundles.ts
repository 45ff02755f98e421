import { LedgerflowError } from '../errors/LedgerflowError.js';
import { hexToInt, toQuantity } from './decode/hexToInt.js';
import type { GethCallFrame } from './decode/gethTraceRows.js';
import type { ParityTrace } from './decode/parityTraceRows.js';
import type { BundleSource } from './entities/entity.js';
import { assignContractLogs } from './assignContractLogs.js';
import { fetchContractLogs, type ContractLogFilter } from './fetchContractLogs.js';
import type { BlockBundle, RpcBlock, RpcReceipt } from './entities/rpcShapes.js';
import { InconsistentNodeDataError } from './inconsistentNodeDataError.js';
import { RpcBlockNotFoundError } from './rpc/errors.js';
import type { RpcClient } from './rpc/types.js';

export type TraceSource = 'trace_block' | 'geth';

export interface FetchBundlesOptions {
  rpc: RpcClient;
  sources: ReadonlySet<BundleSource>;
  /** Where the `traces` source comes from: parity trace_block, or geth callTracer frames. */
  traceSource: TraceSource;
  /** The contracts (and topic0s) of the `contractLogs` source. */
  logFilter?: ContractLogFilter;
  signal?: AbortSignal;
}

// Whether a node serves eth_getBlockReceipts is asked once per client and remembered, so a
// node without it costs one failed call per export, not one per batch.
const blockReceiptsSupport = new WeakMap<RpcClient, boolean | Promise<boolean | undefined>>();

/**
 * Fetches the blocks `numbers` (consecutive, ascending) with what the sources ask for, as
 * JSON-RPC batches issued concurrently, and checks every answer against its block.
 */
export async function fetchBlockBundles(numbers: readonly number[], options: FetchBundlesOptions): Promise<BlockBundle[]> {
  const { rpc, sources, signal } = options;
  const callOptions = signal ? { signal } : {};
  const includeTx = sources.has('blockTransactions');
  const blocksPromise = rpc.batch<RpcBlock | null>(
    numbers.map((n) => ({ method: 'eth_getBlockByNumber', params: [toQuantity(n), includeTx] })),
    callOptions,
  );
  const wantsParity = sources.has('traces') && options.traceSource === 'trace_block';
  const wantsGeth = sources.has('gethTraces') || (sources.has('traces') && options.traceSource === 'geth');
  const tracesPromise = wantsParity
    ? rpc.batch<ParityTrace[] | null>(numbers.map((n) => ({ method: 'trace_block', params: [toQuantity(n)] })), callOptions)
    : undefined;
  const gethPromise = wantsGeth
    ? rpc.batch<Array<{ result?: GethCallFrame }> | null>(
        numbers.map((n) => ({ method: 'debug_traceBlockByNumber', params: [toQuantity(n), { tracer: 'callTracer' }] })),
        callOptions,
      )
    : undefined;
  // An empty address list would ask the node for every log of the range: no filter, no call.
  if (sources.has('contractLogs') && !options.logFilter?.addresses.length) throw new TypeError('the contractLogs source needs a logFilter with addresses');
  const contractLogs =
    options.logFilter && sources.has('contractLogs') && numbers.length > 0
      ? fetchContractLogs(rpc, numbers[0] as number, numbers[numbers.length - 1] as number, options.logFilter, signal)
      : undefined;
  const receiptsByBlock = sources.has('receipts') && blockReceiptsSupport.get(rpc) !== false ? tryBlockReceipts(rpc, numbers, callOptions) : undefined;
  // Attach handlers now: if the block batch fails first, the others must not reject unobserved.
  for (const p of [tracesPromise, gethPromise, receiptsByBlock, contractLogs]) p?.catch(() => undefined);

  const blocks = await blocksPromise;
  const bundles: BlockBundle[] = numbers.map((n, i) => ({ number: n, block: checkBlock(blocks[i], n, rpc) }));

  if (sources.has('receipts')) {
    let receipts = receiptsByBlock ? await receiptsByBlock : undefined;
    if (!receipts) receipts = await receiptsPerTransaction(rpc, bundles, callOptions);
    bundles.forEach((bundle, i) => {
      bundle.receipts = checkReceipts(bundle, receipts[i] ?? null, rpc);
    });
  }
  if (contractLogs && options.logFilter) await assignContractLogs(bundles, await contractLogs, options.logFilter, rpc, signal);
  if (tracesPromise) {
    const traces = await tracesPromise;
    bundles.forEach((bundle, i) => {
      bundle.traces = checkTraces(bundle, traces[i] ?? null, rpc);
    });
  }
  if (gethPromise) {
    const frames = await gethPromise;
    bundles.forEach((bundle, i) => {
      const list = frames[i];
      if (!Array.isArray(list)) throw nullAnswer('debug_traceBlockByNumber', bundle.number, rpc);
      bundle.gethTraces = list.map((item) => item.result ?? {});
    });
  }
  return bundles;
}

async function tryBlockReceipts(rpc: RpcClient, numbers: readonly number[], callOptions: { signal?: AbortSignal }): Promise<Array<RpcReceipt[] | null> | undefined> {
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
    const result = await rpc.batch<RpcReceipt[] | null>(numbers.map((n) => ({ method: 'eth_getBlockReceipts', params: [toQuantity(n)] })), callOptions);
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

async function receiptsPerTransaction(rpc: RpcClient, bundles: readonly BlockBundle[], callOptions: { signal?: AbortSignal }): Promise<RpcReceipt[][]> {
  const hashes = bundles.map((b) => (b.block.transactions ?? []).map((tx) => (typeof tx === 'string' ? tx : tx.hash)));
  const flat = hashes.flat();
  const answers = flat.length === 0 ? [] : await rpc.batch<RpcReceipt | null>(flat.map((h) => ({ method: 'eth_getTransactionReceipt', params: [h] })), callOptions);
  const out: RpcReceipt[][] = [];
  let k = 0;
  bundles.forEach((bundle, i) => {
    const list: RpcReceipt[] = [];
    for (const hash of hashes[i] ?? []) {
      const receipt = answers[k++];
      if (!receipt) throw nullAnswer('eth_getTransactionReceipt', bundle.number, rpc, hash);
      list.push(receipt);
    }
    out.push(list);
  });
  return out;
}

function checkBlock(block: RpcBlock | null | undefined, n: number, rpc: RpcClient): RpcBlock {
  if (!block) throw nullAnswer('eth_getBlockByNumber', n, rpc);
  mustEqual('block number', n, hexToInt(block.number), 'eth_getBlockByNumber', rpc, String(n));
  for (const tx of block.transactions ?? []) {
    if (typeof tx === 'string') continue;
    if (tx.blockHash !== block.hash) mustEqual(`block hash of transaction ${tx.hash}`, n, tx.blockHash, 'eth_getBlockByNumber', rpc, block.hash);
  }
  return block;
}

function checkReceipts(bundle: BlockBundle, receipts: RpcReceipt[] | null, rpc: RpcClient): RpcReceipt[] {
  const method = 'eth_getBlockReceipts';
  if (!receipts) throw nullAnswer(method, bundle.number, rpc);
  const txCount = bundle.block.transactions?.length ?? 0;
  mustEqual('receipt count', bundle.number, String(receipts.length), method, rpc, String(txCount));
  // Equal strings are the norm; mustEqual (case-insensitive, builds the message) only for the rest.
  const hash = bundle.block.hash;
  for (const receipt of receipts) {
    if (receipt.blockHash !== hash) mustEqual(`block hash of receipt ${receipt.transactionHash}`, bundle.number, receipt.blockHash, method, rpc, hash);
    for (const log of receipt.logs ?? []) {
      if (log.blockHash !== hash) mustEqual(`block hash of a log of ${receipt.transactionHash}`, bundle.number, log.blockHash, method, rpc, hash);
    }
  }
  return receipts;
}

function checkTraces(bundle: BlockBundle, traces: ParityTrace[] | null, rpc: RpcClient): ParityTrace[] {
  // ethereum-etl treats a null trace_block answer as "node not synced or tracing disabled".
  if (!Array.isArray(traces)) throw nullAnswer('trace_block', bundle.number, rpc);
  for (const trace of traces) {
    if (trace.blockHash !== undefined) mustEqual('block hash of a trace', bundle.number, trace.blockHash, 'trace_block', rpc, bundle.block.hash);
    if (trace.blockNumber !== undefined) mustEqual('block number of a trace', bundle.number, hexToInt(trace.blockNumber), 'trace_block', rpc, String(bundle.number));
  }
  return traces;
}

function mustEqual(what: string, block: number, actual: unknown, method: string, rpc: RpcClient, expected: string): void {
  const actualText = actual === null || actual === undefined ? 'missing' : String(actual);
  if (actualText.toLowerCase() !== expected.toLowerCase()) {
    throw new InconsistentNodeDataError({ what, block, expected, actual: actualText, method, endpoint: rpc.describe() });
  }
}

// A null answer means the node does not have the block (not synced that far, pruned, or for
// traces: tracing not enabled); for a transaction of a block it does have, it contradicts itself.
function nullAnswer(method: string, block: number, rpc: RpcClient, hash?: string): Error {
  if (!hash) return new RpcBlockNotFoundError({ method, endpoint: rpc.describe(), block });
  return new InconsistentNodeDataError({
    what: `the receipt of ${hash}`, block, expected: 'a receipt', actual: 'null', method, endpoint: rpc.describe(),
    // The usual cause (ethereum-etl #297, #252): geth finds receipts by hash only for its most
    // recent blocks unless told to index them all.
    fix: 'a node that has the block but no receipt for its transaction has not indexed it: run geth with --history.transactions 0 (formerly --txlookuplimit 0) and let it index, or use a node that serves eth_getBlockReceipts',
  });
}
