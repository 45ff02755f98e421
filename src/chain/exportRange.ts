import { getAddress } from 'ethers/address';
import { InvalidInputError } from '../errors/LedgerflowError.js';
import type { Row, RowSink, SinkResult } from './rows.js';
import { BlockBatchSizer, DEFAULT_IN_FLIGHT_MIB } from './blockBatchSizer.js';
import type { BundleSource, Entity, EntityFetchContext } from './entities/entity.js';
import { entityOf } from './entities/registry.js';
import type { BlockBundle } from './entities/rpcShapes.js';
import { fetchConsistentBundles, sameHash } from './fetchConsistentBundles.js';
import type { ContractLogFilter } from './fetchContractLogs.js';
import type { EntityName, ExportRangeInput, ExportRangeResult } from './types.js';

const DEFAULT_BLOCK_BATCH = 50;
const DEFAULT_PREFETCH = 2;

/**
 * Streams the rows of every requested entity for an inclusive block range into one sink per
 * entity. Batches of blocks are fetched ahead (at most `prefetch` at once) while earlier ones
 * are written, each sized so that all of them together hold about `inFlightChars` of answers:
 * memory depends on that budget, not on the range length or how dense the blocks are. Rows
 * come out in block order and each entity's sort key inside a block, whatever the batch
 * boundaries; nothing depends on the wall clock.
 */
export async function exportRange(input: ExportRangeInput): Promise<ExportRangeResult> {
  const { rpc, range } = input;
  checkRange(range.start, range.end);
  const names = [...new Set(input.entities)];
  if (names.length === 0) throw new InvalidInputError('No entities requested', { fix: 'name at least one entity' });
  const entities = names.map((name) => entityOf(name));
  for (const entity of entities) await entity.prepare?.();
  const logFilter = input.contracts === undefined ? undefined : contractLogFilter(input.contracts, entities);
  // Limited to some contracts, log entities read eth_getLogs; nothing else then needs receipts.
  const sources = new Set<BundleSource>(entities.flatMap((e) => (logFilter && e.logTopics ? ['contractLogs' as const] : e.needs)));
  const fetchers = entities.filter((e): e is Entity & Required<Pick<Entity, 'fetch'>> => e.fetch !== undefined);
  const batchSize = Math.max(1, input.blockBatchSize ?? DEFAULT_BLOCK_BATCH);
  const prefetch = Math.max(1, input.prefetch ?? DEFAULT_PREFETCH);
  const sizer = new BlockBatchSizer(input.inFlightChars ?? DEFAULT_IN_FLIGHT_MIB * 2 ** 20, batchSize, prefetch + 1);
  const controller = new AbortController();
  const onOuterAbort = () => controller.abort(input.signal?.reason);
  input.signal?.addEventListener('abort', onOuterAbort, { once: true });
  const signal = controller.signal;
  const context: EntityFetchContext = { rpc, stateAt: input.tokenMetadataAt ?? 'block', signal };

  const sinks = new Map<EntityName, RowSink>();
  const rows: Partial<Record<EntityName, number>> = {};
  try {
    for (const name of names) {
      sinks.set(name, await input.openSink(name));
      rows[name] = 0;
    }

    if (input.knownHeight !== undefined) rpc.noteHeight?.(input.knownHeight);
    // The range's last block is confirmed by its successor's parent hash when that block is known
    // to exist; inside the range, each batch's first block confirms the previous batch's last.
    const confirmWith = input.knownHeight !== undefined && range.end < input.knownHeight ? range.end + 1 : undefined;
    const fetchOptions = { rpc, sources, traceSource: input.traceSource ?? 'trace_block', ...(logFilter ? { logFilter } : {}), signal };
    const fetchStretch = async (numbers: readonly number[], parentHash?: string): Promise<BlockBundle[]> => {
      const anchors = { parentHash, confirmWith: numbers[numbers.length - 1] === range.end ? confirmWith : undefined };
      let chars = 0;
      const onResponseChars = (n: number) => (chars += n);
      const bundles = await fetchConsistentBundles(numbers, { ...fetchOptions, onResponseChars }, anchors, input.consistency);
      sizer.observe(numbers.length, chars);
      for (const entity of fetchers) await entity.fetch(bundles, context);
      return bundles;
    };
    const fetchBatch = (first: number, size: number): Promise<BlockBundle[]> => {
      const numbers: number[] = [];
      for (let n = first; n <= Math.min(range.end, first + size - 1); n++) numbers.push(n);
      return fetchStretch(numbers);
    };

    const pending: Array<Promise<BlockBundle[]>> = [];
    let nextStart = range.start;
    const fill = () => {
      while (pending.length < prefetch && nextStart <= range.end) {
        const size = sizer.next();
        const p = fetchBatch(nextStart, size);
        // Observed when awaited; until then a failure must not count as unhandled.
        p.catch(() => undefined);
        pending.push(p);
        nextStart += size;
      }
    };

    const blocksTotal = range.end - range.start + 1;
    let blocksDone = 0;
    let firstBlockHash = '';
    let firstParentHash = '';
    let previousHash: string | undefined;
    const write = async (bundle: BlockBundle) => {
      const { block } = bundle;
      if (previousHash === undefined) {
        firstBlockHash = block.hash;
        firstParentHash = block.parentHash;
      }
      previousHash = block.hash;
      for (const entity of entities) {
          const sink = sinks.get(entity.name) as RowSink;
          const entityRows: Row[] = entity.toRows(bundle);
          for (const row of entityRows) {
            const written = sink.write(row);
            if (written) await written;
          }
          rows[entity.name] = (rows[entity.name] ?? 0) + entityRows.length;
        }
      blocksDone++;
      input.onProgress?.({ lastBlock: bundle.number, blocksDone, blocksTotal, rows: { ...rows } });
    };

    // A batch's last block is held back until the next batch's first block names it as parent:
    // written rows cannot be taken back, so nothing is written before its successor agrees.
    let held: BlockBundle | undefined;
    fill();
    while (pending.length > 0) {
      signal.throwIfAborted();
      let bundles = await (pending.shift() as Promise<BlockBundle[]>);
      fill();
      const first = bundles[0];
      if (held && first && !sameHash(first.block.parentHash, held.block.hash)) {
        // Either side may be the stray answer: fetch the held block and this batch again as one
        // stretch, anchored on the last block written.
        const again = await fetchStretch([held.number, ...bundles.map((b) => b.number)], previousHash);
        held = again[0];
        bundles = again.slice(1);
      }
      if (held) await write(held);
      for (let i = 0; i < bundles.length - 1; i++) await write(bundles[i] as BlockBundle);
      held = bundles[bundles.length - 1];
    }
    if (held) await write(held);

    const results: Partial<Record<EntityName, SinkResult>> = {};
    for (const name of names) results[name] = await (sinks.get(name) as RowSink).close();
    return { range: { ...range }, rows, sinks: results, firstBlockHash, firstParentHash, lastBlockHash: previousHash ?? '' };
  } catch (error) {
    controller.abort(error);
    await Promise.all([...sinks.values()].map((sink) => sink.abort(error).catch(() => undefined)));
    throw error;
  } finally {
    input.signal?.removeEventListener('abort', onOuterAbort);
  }
}

const ADDRESS = /^0x[0-9a-fA-F]{40}$/;
const MAX_CONTRACTS = 1000;

function isChecksummed(address: string): boolean {
  try {
    return getAddress(address) === address;
  } catch {
    return false;
  }
}

/**
 * The eth_getLogs filter of an export limited to some contracts. Only entities made from logs
 * can be limited that way (and `blocks`, which comes with every export); the topic0s asked for
 * are those the entities read, unless `logs` wants every log of the contracts.
 */
function contractLogFilter(contracts: readonly string[], entities: readonly Entity[]): ContractLogFilter {
  const logEntities = entities.filter((e) => e.logTopics !== undefined).map((e) => e.name);
  const others = entities.filter((e) => e.logTopics === undefined && e.name !== 'blocks').map((e) => e.name);
  if (others.length > 0) {
    throw new InvalidInputError(`A contract filter applies to log entities only, not to ${others.join(', ')}`, {
      fix: `export ${others.join(', ')} without --contracts, or limit --entities to logs, token_transfers, erc1155_transfers, security_token_events (and blocks)`,
    });
  }
  if (logEntities.length === 0) {
    throw new InvalidInputError('A contract filter needs a log entity to filter', { fix: 'add logs, token_transfers, erc1155_transfers or security_token_events to --entities, or drop --contracts' });
  }
  const bad = contracts.filter((c) => !ADDRESS.test(c));
  if (contracts.length === 0 || bad.length > 0) {
    throw new InvalidInputError(contracts.length === 0 ? 'The contract filter is empty' : `Not a contract address: ${bad.join(', ')}`, {
      fix: 'pass 0x-prefixed 20-byte hex addresses, comma-separated, e.g. --contracts 0xdac17f958d2ee523a2206206994597c13d831ec7',
    });
  }
  // Mixed case is an EIP-55 checksum: a typo there would export an empty file and succeed.
  const misspelt = contracts.filter((c) => c !== c.toLowerCase() && c.slice(2) !== c.slice(2).toUpperCase() && !isChecksummed(c));
  if (misspelt.length > 0) {
    throw new InvalidInputError(`Checksum mismatch in ${misspelt.join(', ')}: mistyped address?`, { fix: 'copy the address again, or pass it in lower case to skip the checksum' });
  }
  const addresses = [...new Set(contracts.map((c) => c.toLowerCase()))].sort();
  if (addresses.length > MAX_CONTRACTS) {
    throw new InvalidInputError(`More than ${MAX_CONTRACTS} contracts in one filter`, { fix: `split the list into exports of at most ${MAX_CONTRACTS} contracts (geth refuses larger log filters)` });
  }
  const topics = entities.map((e) => e.logTopics).filter((t) => t !== undefined);
  const topics0 = topics.includes('any') ? undefined : [...new Set(topics.flatMap((t) => (t === 'any' ? [] : t)))].sort();
  return { addresses, topics0 };
}

function checkRange(start: number, end: number): void {
  for (const [label, value] of [['start block', start], ['end block', end]] as const) {
    if (!Number.isSafeInteger(value) || value < 0) {
      throw new InvalidInputError(`Invalid ${label} ${String(value)}`, { fix: 'give block numbers as non-negative integers' });
    }
  }
  if (end < start) {
    throw new InvalidInputError(`End block ${end} is before start block ${start}`, { fix: 'pass an end block greater than or equal to the start block' });
  }
}
