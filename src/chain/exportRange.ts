import { InvalidInputError } from '../errors/LedgerflowError.js';
import type { Row, RowSink, SinkResult } from '../lake/format/types.js';
import { InconsistentNodeDataError } from './inconsistentNodeDataError.js';
import type { BundleSource, Entity, EntityFetchContext } from './entities/entity.js';
import { entityOf } from './entities/registry.js';
import type { BlockBundle } from './entities/rpcShapes.js';
import { fetchBlockBundles } from './fetchBlockBundles.js';
import type { EntityName, ExportRangeInput, ExportRangeResult } from './types.js';

const DEFAULT_BLOCK_BATCH = 50;
const DEFAULT_PREFETCH = 2;

/**
 * Streams the rows of every requested entity for an inclusive block range into one sink per
 * entity. Batches of blocks are fetched ahead (at most `prefetch` at once) while earlier ones
 * are written, so memory depends on the batch size, not the range length. Rows come out in
 * block order and each entity's sort key inside a block; nothing depends on the wall clock.
 */
export async function exportRange(input: ExportRangeInput): Promise<ExportRangeResult> {
  const { rpc, range } = input;
  checkRange(range.start, range.end);
  const names = [...new Set(input.entities)];
  if (names.length === 0) throw new InvalidInputError('No entities requested', { fix: 'name at least one entity' });
  const entities = names.map((name) => entityOf(name));
  const sources = new Set<BundleSource>(entities.flatMap((e) => e.needs));
  const fetchers = entities.filter((e): e is Entity & Required<Pick<Entity, 'fetch'>> => e.fetch !== undefined);
  const batchSize = Math.max(1, input.blockBatchSize ?? DEFAULT_BLOCK_BATCH);
  const prefetch = Math.max(1, input.prefetch ?? DEFAULT_PREFETCH);
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

    const fetchBatch = async (first: number): Promise<BlockBundle[]> => {
      const numbers: number[] = [];
      for (let n = first; n <= Math.min(range.end, first + batchSize - 1); n++) numbers.push(n);
      const bundles = await fetchBlockBundles(numbers, { rpc, sources, traceSource: input.traceSource ?? 'trace_block', signal });
      for (const entity of fetchers) await entity.fetch(bundles, context);
      return bundles;
    };

    const pending: Array<Promise<BlockBundle[]>> = [];
    let nextStart = range.start;
    const fill = () => {
      while (pending.length < prefetch && nextStart <= range.end) {
        const p = fetchBatch(nextStart);
        // Observed when awaited; until then a failure must not count as unhandled.
        p.catch(() => undefined);
        pending.push(p);
        nextStart += batchSize;
      }
    };

    const blocksTotal = range.end - range.start + 1;
    let blocksDone = 0;
    let firstBlockHash = '';
    let firstParentHash = '';
    let previousHash: string | undefined;
    fill();
    while (pending.length > 0) {
      signal.throwIfAborted();
      const bundles = await (pending.shift() as Promise<BlockBundle[]>);
      fill();
      for (const bundle of bundles) {
        const { block } = bundle;
        if (previousHash === undefined) {
          firstBlockHash = block.hash;
          firstParentHash = block.parentHash;
        } else if (block.parentHash.toLowerCase() !== previousHash.toLowerCase()) {
          throw new InconsistentNodeDataError({
            what: 'parent hash', block: bundle.number, expected: previousHash, actual: block.parentHash,
            method: 'eth_getBlockByNumber', endpoint: rpc.describe(),
          });
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
      }
    }

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
