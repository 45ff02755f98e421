import { bloomMayContain } from './decode/logsBloom.js';
import { hexToInt } from './decode/hexToInt.js';
import type { BlockBundle, RpcLog } from './entities/rpcShapes.js';
import { logFilterParams, type ContractLogFilter } from './fetchContractLogs.js';
import { InconsistentNodeDataError } from './inconsistentNodeDataError.js';
import { RpcInvalidResponseError } from './rpc/errors.js';
import type { RpcClient } from './rpc/types.js';

const METHOD = 'eth_getLogs';

/**
 * Hands each block of a batch its logs of the filter's contracts, with the trust logs read from
 * receipts have. Each log must belong to a block of the batch (its number and hash as the header
 * reports them), to a transaction of that block, to a requested contract, must not be `removed`,
 * must not repeat a log index, and its address and topic0 must be in the block's logsBloom.
 *
 * Logs that never came back pass no per-log check: a node behind the header's node, or a reorg
 * between the two calls, can answer a range with fewer logs and no error. So every block whose
 * bloom may hold a requested contract (and topic) that got no log of that contract is asked again
 * by its hash, which a node without that block refuses instead of answering empty. On mainnet,
 * where blooms are nearly full, that is most blocks without a log of the contracts: one small
 * call each, batched per step.
 */
export async function assignContractLogs(
  bundles: BlockBundle[],
  logs: readonly RpcLog[],
  filter: ContractLogFilter,
  rpc: RpcClient,
  signal?: AbortSignal,
): Promise<void> {
  const byNumber = new Map<number, BlockBundle>();
  for (const bundle of bundles) {
    bundle.logs = [];
    byNumber.set(bundle.number, bundle);
  }
  const context: CheckContext = { filter, wanted: new Set(filter.addresses), seen: new Set(), transactions: new Map(), rpc };
  for (const log of logs) {
    const number = typeof log.blockNumber === 'string' ? hexToInt(log.blockNumber) : null;
    const bundle = typeof number === 'bigint' ? byNumber.get(Number(number)) : undefined;
    if (!bundle) {
      const first = bundles[0]?.number ?? 0;
      throw inconsistent(first, `block number of a log of ${String(log.transactionHash)}`, String(log.blockNumber ?? 'missing'), `${first}-${first + bundles.length - 1}`, rpc);
    }
    checkLog(bundle, log, context);
    bundle.logs?.push(log);
  }

  const unconfirmed = bundles.filter((b) => mayLackLogs(b, filter));
  if (unconfirmed.length === 0) return;
  const answers = await rpc.batch<RpcLog[] | null>(
    unconfirmed.map((b) => ({ method: METHOD, params: [{ blockHash: b.block.hash, ...logFilterParams(filter) }] })),
    signal ? { signal } : {},
  );
  unconfirmed.forEach((bundle, i) => {
    const answer = answers[i];
    // The answer by hash is the whole truth for the block: it replaces what the range gave.
    for (const log of bundle.logs ?? []) context.seen.delete(`${bundle.number}/${String(hexToInt(log.logIndex))}`);
    bundle.logs = [];
    if (!Array.isArray(answer)) {
      throw new RpcInvalidResponseError({ method: METHOD, endpoint: rpc.describe(), block: bundle.number, detail: `expected a list of logs for block hash ${bundle.block.hash}, got ${JSON.stringify(answer)}` });
    }
    for (const log of answer) {
      if (typeof log.blockNumber !== 'string' || hexToInt(log.blockNumber) !== BigInt(bundle.number)) {
        throw inconsistent(bundle.number, `block number of a log of ${String(log.transactionHash)}`, String(log.blockNumber ?? 'missing'), String(bundle.number), rpc);
      }
      checkLog(bundle, log, context);
      bundle.logs?.push(log);
    }
  });
}

/**
 * Whether a block may hold a log of the filter that did not come back: a requested contract whose
 * address is (probably) in the bloom, with a requested topic0 when narrowed, and no log of it.
 * Without a readable bloom nothing can be ruled out.
 */
function mayLackLogs(bundle: BlockBundle, filter: ContractLogFilter): boolean {
  const bloom = bundle.block.logsBloom;
  if (filter.topics0 !== undefined && !filter.topics0.some((topic) => bloomMayContain(bloom, topic) !== false)) return false;
  const got = new Set((bundle.logs ?? []).map((log) => (log.address ?? '').toLowerCase()));
  return filter.addresses.some((address) => !got.has(address) && bloomMayContain(bloom, address) !== false);
}

interface CheckContext {
  filter: ContractLogFilter;
  wanted: ReadonlySet<string>;
  /** `<block>/<log index>` of every log handed out so far. */
  seen: Set<string>;
  /** Lower-cased transaction hashes per block, built on a block's first log. */
  transactions: Map<number, ReadonlySet<string>>;
  rpc: RpcClient;
}

function checkLog(bundle: BlockBundle, log: RpcLog, context: CheckContext): void {
  const { rpc } = context;
  const n = bundle.number;
  const what = (field: string) => `${field} of a log of ${String(log.transactionHash)}`;
  if (log.blockHash?.toLowerCase() !== bundle.block.hash.toLowerCase()) throw inconsistent(n, what('block hash'), String(log.blockHash ?? 'missing'), bundle.block.hash, rpc);
  const address = (log.address ?? '').toLowerCase();
  if (!context.wanted.has(address)) throw inconsistent(n, what('address'), String(log.address ?? 'missing'), describeAddresses(context.filter.addresses), rpc);
  if (log.removed === true) throw inconsistent(n, what('removed flag'), 'true', 'false', rpc);
  const transactions = transactionsOf(bundle, context);
  if (transactions && !transactions.has(String(log.transactionHash).toLowerCase())) {
    throw inconsistent(n, what('transaction'), 'not in the block', `one of its ${transactions.size} transactions`, rpc);
  }
  const key = `${n}/${String(hexToInt(log.logIndex))}`;
  if (context.seen.has(key)) throw inconsistent(n, `log index ${String(log.logIndex)}`, 'repeated', 'once per block', rpc);
  context.seen.add(key);
  const topic0 = log.topics?.[0];
  for (const item of topic0 ? [address, topic0] : [address]) {
    if (bloomMayContain(bundle.block.logsBloom, item) === false) throw inconsistent(n, what(item === address ? 'address' : 'topic0'), `${item}, absent from the block's logsBloom`, 'in the logsBloom', rpc);
  }
}

function transactionsOf(bundle: BlockBundle, context: CheckContext): ReadonlySet<string> | undefined {
  const list = bundle.block.transactions;
  if (!list) return undefined;
  let set = context.transactions.get(bundle.number);
  if (!set) {
    set = new Set(list.map((tx) => (typeof tx === 'string' ? tx : tx.hash).toLowerCase()));
    context.transactions.set(bundle.number, set);
  }
  return set;
}

function describeAddresses(addresses: readonly string[]): string {
  return addresses.length <= 3 ? addresses.join(' or ') : `one of the ${addresses.length} requested contracts`;
}

function inconsistent(block: number, what: string, actual: string, expected: string, rpc: RpcClient): InconsistentNodeDataError {
  return new InconsistentNodeDataError({ what, block, expected, actual, method: METHOD, endpoint: rpc.describe() });
}
