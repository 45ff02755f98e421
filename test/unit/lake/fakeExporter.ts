import { createHash } from 'node:crypto';
import type { EntityName, ExportRangeInput, ExportRangeResult } from '../../../src/chain/types.js';
import type { RpcClient } from '../../../src/chain/rpc/types.js';
import type { LakeExporter } from '../../../src/lake/lakeDeps.js';

/**
 * A fake exporter for lake unit tests (the real one needs a node): a made-up chain whose block n
 * has hash sha256("<fork>:n") and parent hash of n-1, two log rows per even block. `fork`
 * changes the hashes from a block on, as a reorg would; `failAt` throws when reaching a block.
 */
export function fakeExporter(options: { failAt?: number; forkFrom?: number; closesSinks?: boolean; extraValue?: string } = {}): LakeExporter & { calls: number } {
  const hashOf = (n: number) => `0x${createHash('sha256').update(`${options.forkFrom !== undefined && n >= options.forkFrom ? 'fork' : 'main'}:${n}`).digest('hex')}`;
  const state = {
    calls: 0,
    columnsOf(entity: EntityName): readonly string[] {
      return entity === 'blocks' ? ['number', 'hash', 'parent_hash'] : ['block_number', 'log_index', 'value'];
    },
    async exportRange(input: ExportRangeInput): Promise<ExportRangeResult> {
      state.calls += 1;
      const sinks = new Map<EntityName, Awaited<ReturnType<ExportRangeInput['openSink']>>>();
      for (const entity of input.entities) sinks.set(entity, await input.openSink(entity));
      const rows: Partial<Record<EntityName, number>> = {};
      for (let n = input.range.start; n <= input.range.end; n++) {
        if (n === options.failAt) throw new Error(`fake node failed at block ${n}`);
        for (const [entity, sink] of sinks) {
          if (entity === 'blocks') {
            await sink.write({ number: n, hash: hashOf(n), parent_hash: n === 0 ? `0x${'0'.repeat(64)}` : hashOf(n - 1) });
            rows[entity] = (rows[entity] ?? 0) + 1;
          } else if (n % 2 === 0) {
            for (let i = 0; i < 2; i++) {
              await sink.write({ block_number: n, log_index: i, value: 2n ** 200n + BigInt(n) + (options.extraValue !== undefined && n === input.range.start ? 1n : 0n) });
              rows[entity] = (rows[entity] ?? 0) + 1;
            }
          } else {
            rows[entity] ??= 0;
          }
        }
      }
      if (options.closesSinks) for (const sink of sinks.values()) await sink.close();
      return {
        range: input.range,
        rows,
        firstBlockHash: hashOf(input.range.start),
        firstParentHash: input.range.start === 0 ? `0x${'0'.repeat(64)}` : hashOf(input.range.start - 1),
        lastBlockHash: hashOf(input.range.end),
      };
    },
  };
  return state;
}

/** The lake never calls the node itself; the fake exporter does not either. */
export const unusedRpc: RpcClient = {
  request: () => Promise.reject(new Error('fake rpc: not used')),
  batch: () => Promise.reject(new Error('fake rpc: not used')),
  describe: () => 'fake rpc',
  close: () => Promise.resolve(),
};
