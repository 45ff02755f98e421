import { cancellationSignal } from '@temporalio/activity';
import type { BlockRange, EntityName } from '../chain/types.js';
import type { ChunkPlan } from '../lake/types.js';
import { ConfigurationError } from '../errors/LedgerflowError.js';
import { classified } from './classifyError.js';
import { assertIsoDate } from './isoDate.js';
import { withKeepAlive } from './keepAlive.js';
import type { ResolveDayInput, ResolvedDay } from './types.js';

/** What resolving a day needs from the chain and lake libraries, bound to one RPC pool by the worker. */
export interface ResolveDeps {
  chainId(signal: AbortSignal): Promise<number>;
  clientVersion(signal: AbortSignal): Promise<string>;
  blockRangeForDate(date: string, signal: AbortSignal): Promise<BlockRange>;
  planChunks(chainId: number, date: string, range: BlockRange): ChunkPlan[];
  entities: readonly EntityName[];
}

export function createResolveActivities(deps: ResolveDeps) {
  return {
    /** Date -> block range and chunk plan; refuses a day that is not final yet (retryable). */
    async resolveDay(input: ResolveDayInput): Promise<ResolvedDay> {
      return classified(() => withKeepAlive(async () => {
        assertIsoDate(input.date);
        const signal = cancellationSignal();
        const chainId = await deps.chainId(signal);
        if (input.chainId !== undefined && input.chainId !== chainId) {
          throw new ConfigurationError('The RPC node serves a different chain than the run asked for', {
            context: { expected: input.chainId, actual: chainId, date: input.date },
            fix: 'point RPC_URL at a node of the requested chain or start the run with its chain id',
          });
        }
        const [range, nodeClientVersion] = await Promise.all([
          deps.blockRangeForDate(input.date, signal),
          deps.clientVersion(signal),
        ]);
        return {
          chainId,
          date: input.date,
          range,
          chunks: deps.planChunks(chainId, input.date, range),
          entities: [...deps.entities],
          nodeClientVersion,
        };
      }));
    },

    /** The chain id the configured node serves; backfills need it to name their child runs. */
    async detectChainId(): Promise<number> {
      return classified(() => deps.chainId(cancellationSignal()));
    },
  };
}
