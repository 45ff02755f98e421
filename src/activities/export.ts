import { activityInfo, cancellationSignal, heartbeat, log } from '@temporalio/activity';
import type { EntityName, ExportProgress } from '../chain/types.js';
import type { ChunkExportResult, ChunkPlan } from '../lake/types.js';
import { HEARTBEAT_INTERVAL_MS } from '../heartbeatTiming.js';
import { classified } from './classifyError.js';
import type { ExportChunksInput, ExportChunksResult, ExportHeartbeat } from './types.js';

/** The lake's chunk exporter, bound to the RPC pool, S3 client and lake location by the worker. */
export interface ExportDeps {
  exportChunk(
    input: { chunk: ChunkPlan; entities: readonly EntityName[] },
    options: { signal: AbortSignal; onProgress: (progress: ExportProgress) => void },
  ): Promise<ChunkExportResult>;
  /** Keeps the heartbeat going while a chunk is busy between progress callbacks (slow node, upload). */
  keepAliveMs?: number;
}

export function createExportActivities(deps: ExportDeps) {
  return {
    /**
     * Exports a group of chunks, one after another. Each finished chunk goes into the heartbeat
     * details, so after a crash or heartbeat timeout the retry skips it and redoes only the chunk
     * that was in flight (its objects appear under their final keys only when complete, so a
     * half-written chunk leaves nothing behind).
     */
    async exportChunks(input: ExportChunksInput): Promise<ExportChunksResult> {
      return classified(async () => {
        const signal = cancellationSignal();
        const previous = readHeartbeat(activityInfo().heartbeatDetails);
        const done = new Map<number, ChunkExportResult>();
        for (const result of previous.done) {
          if (input.chunks.some((c) => c.index === result.chunk.index)) done.set(result.chunk.index, result);
        }
        const resumed = done.size;
        if (resumed > 0) log.info('resuming chunk export from heartbeat', { date: input.date, resumed, total: input.chunks.length });

        let current: ExportHeartbeat['current'];
        const beat = () => heartbeat({ done: [...done.values()], current } satisfies ExportHeartbeat);
        const keepAlive = setInterval(beat, deps.keepAliveMs ?? HEARTBEAT_INTERVAL_MS);
        try {
          for (const chunk of input.chunks) {
            if (done.has(chunk.index)) continue;
            signal.throwIfAborted();
            current = { index: chunk.index, lastBlock: chunk.range.start - 1 };
            beat();
            const result = await deps.exportChunk(
              { chunk, entities: input.entities },
              {
                signal,
                onProgress: (progress) => {
                  current = { index: chunk.index, lastBlock: progress.lastBlock };
                  beat();
                },
              },
            );
            done.set(chunk.index, result);
            current = undefined;
            beat();
          }
        } finally {
          clearInterval(keepAlive);
        }
        const results = input.chunks.map((c) => done.get(c.index)).filter((r): r is ChunkExportResult => r !== undefined);
        return { results, resumed };
      });
    },
  };
}

function readHeartbeat(details: unknown): ExportHeartbeat {
  if (details && typeof details === 'object' && Array.isArray((details as ExportHeartbeat).done)) return details as ExportHeartbeat;
  return { done: [] };
}
