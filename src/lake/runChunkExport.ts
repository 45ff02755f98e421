import { exportRange } from '../chain/exportRange.js';
import { columnsOf } from '../chain/entities/registry.js';
import type { EntityName, ExportProgress } from '../chain/types.js';
import { ConfigurationError } from '../errors/LedgerflowError.js';
import type { FileFormatName, RowSink } from './format/types.js';
import type { LakeExportDeps, LakeExporter } from './lakeDeps.js';
import type { LakeSink, LakeSinkResult } from './s3LakeSink.js';
import type { ChunkExportResult, ChunkPlan, LakeFile } from './types.js';
import { assertUniqueKeys } from './assertUniqueKeys.js';
import { objectKey } from './objectKey.js';
import { LakeObjectError } from './errors.js';

const chainExporter: LakeExporter = { exportRange, columnsOf };

export interface ChunkExportOptions {
  signal?: AbortSignal;
  onProgress?: (progress: ExportProgress) => void;
}

export type SinkFactory = (target: { entity: EntityName; key: string; format: FileFormatName; columns: readonly string[] }) => LakeSink;

/**
 * The loop shared by export and verification: one sink per entity, keyed by objectKey; every
 * sink closed on success and every unfinished one aborted on failure. Sinks are closed here
 * whether or not the exporter closed them already (closing twice returns the first result).
 */
export async function runChunkExport(
  deps: Pick<LakeExportDeps, 'rpc' | 'exporter' | 'lake' | 'logger'>,
  input: { chunk: ChunkPlan; entities: readonly EntityName[] },
  makeSink: SinkFactory,
  options: ChunkExportOptions = {},
): Promise<ChunkExportResult> {
  const { chunk, entities } = input;
  const exporter = deps.exporter ?? chainExporter;
  if (entities.length === 0) {
    throw new ConfigurationError('No entities to export', { context: { chain_id: chunk.chainId, date: chunk.date }, fix: 'set LEDGERFLOW_ENTITIES' });
  }
  const format: FileFormatName = deps.lake.format ?? 'csv';
  const keys = new Map<EntityName, string>();
  for (const entity of entities) {
    keys.set(entity, objectKey({ prefix: deps.lake.prefix, chainId: chunk.chainId, entity, date: chunk.date, range: chunk.range, format, ...(chunk.objectVersion ? { version: chunk.objectVersion } : {}) }));
  }
  assertUniqueKeys([...keys].map(([entity, key]) => ({ key, label: `${entity} ${chunk.range.start}-${chunk.range.end}` })));

  const sinks = new Map<EntityName, ReturnType<typeof onceClosing>>();
  const openSink = (entity: EntityName): RowSink => {
    const key = keys.get(entity);
    if (key === undefined || sinks.has(entity)) {
      throw new ConfigurationError(`Exporter opened a sink for ${entity} ${key === undefined ? 'which was not requested' : 'twice'}`, {
        context: { chain_id: chunk.chainId, date: chunk.date, entity },
      });
    }
    const sink = onceClosing(makeSink({ entity, key, format, columns: exporter.columnsOf(entity) }));
    sinks.set(entity, sink);
    return sink;
  };

  const log = deps.logger?.child({ chain_id: chunk.chainId, date: chunk.date, chunk: chunk.index });
  try {
    const exported = await exporter.exportRange({
      rpc: deps.rpc,
      range: chunk.range,
      entities,
      ...(chunk.knownHeight !== undefined ? { knownHeight: chunk.knownHeight } : {}),
      openSink,
      ...(options.onProgress ? { onProgress: options.onProgress } : {}),
      ...(options.signal ? { signal: options.signal } : {}),
    });
    const files: LakeFile[] = [];
    for (const entity of entities) {
      const sink = sinks.get(entity);
      if (!sink) throw new ConfigurationError(`Exporter never opened a sink for ${entity}`, { context: { chain_id: chunk.chainId, date: chunk.date } });
      const result = await sink.close();
      const reported = exported.rows[entity];
      if (reported !== undefined && reported !== result.rows) {
        throw new LakeObjectError(`Exporter reported ${reported} ${entity} rows but ${result.rows} reached ${result.location}`, {
          retryable: false,
          context: { chain_id: chunk.chainId, date: chunk.date, block_range: `${chunk.range.start}-${chunk.range.end}` },
        });
      }
      files.push({ entity, key: result.key, sha256: result.sha256, bytes: result.bytes, rows: result.rows, range: { ...chunk.range }, contentSha256: result.contentSha256 });
    }
    log?.debug({ files: files.length }, 'chunk exported');
    return {
      chunk,
      files,
      firstBlockHash: exported.firstBlockHash,
      firstParentHash: exported.firstParentHash,
      lastBlockHash: exported.lastBlockHash,
    };
  } catch (error) {
    await Promise.all([...sinks.values()].map((sink) => sink.abort(error)));
    throw error;
  }
}

/** Makes close() idempotent and abort() a no-op after a successful close. */
function onceClosing(sink: LakeSink): LakeSink {
  let closing: Promise<LakeSinkResult> | undefined;
  let closed = false;
  return {
    write: (row) => sink.write(row),
    close() {
      closing ??= sink.close().then((result) => {
        closed = true;
        return result;
      });
      return closing;
    },
    async abort(reason) {
      if (closed) return;
      if (closing) await closing.catch(() => undefined);
      if (!closed) await sink.abort(reason);
    },
  };
}
