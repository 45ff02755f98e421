import { cancellationSignal } from '@temporalio/activity';
import type { BlockRange, EntityName } from '../chain/types.js';
import { manifestVersionOfKey } from '../lake/objectKey.js';
import type { ChunkPlan, DayManifest } from '../lake/types.js';
import { ConfigurationError } from '../errors/LedgerflowError.js';
import { classified } from './classifyError.js';
import { assertIsoDate } from './isoDate.js';
import { withKeepAlive } from './keepAlive.js';
import { summarizeManifest } from './seal.js';
import type { DayRef, ResolveDayInput, ResolvedDay, SealDayResult } from './types.js';

/** What resolving a day needs from the chain and lake libraries, bound to one RPC pool by the worker. */
export interface ResolveDeps {
  chainId(signal: AbortSignal): Promise<number>;
  clientVersion(signal: AbortSignal): Promise<string>;
  blockRangeForDate(date: string, signal: AbortSignal): Promise<BlockRange>;
  planChunks(chainId: number, date: string, range: BlockRange): ChunkPlan[];
  entities: readonly EntityName[];
  /** The day's latest sealed manifest, or null when the day was never sealed. */
  findManifest(day: DayRef, signal: AbortSignal): Promise<{ key: string; sha256: string; manifest: DayManifest } | null>;
  /** The entities the warehouse has tables for; all of them when absent. */
  loadableTables?(entities: readonly EntityName[]): EntityName[];
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
        const [range, nodeClientVersion, found] = await Promise.all([
          deps.blockRangeForDate(input.date, signal),
          deps.clientVersion(signal),
          deps.findManifest({ chainId, date: input.date }, signal),
        ]);
        // Superseding exports beside the sealed objects, so the sealed version stays verifiable.
        const objectVersion = input.supersede && found ? (manifestVersionOfKey(found.key) ?? 1) + 1 : undefined;
        const chunks = deps.planChunks(chainId, input.date, range).map((chunk) => (objectVersion ? { ...chunk, objectVersion } : chunk));
        return {
          chainId,
          date: input.date,
          range,
          chunks,
          entities: [...deps.entities],
          nodeClientVersion,
          ...(found ? { sealed: sealedSummary(chainId, input.date, found, deps) } : {}),
        };
      }));
    },

    /** The chain id the configured node serves; backfills need it to name their child runs. */
    async detectChainId(): Promise<number> {
      return classified(() => deps.chainId(cancellationSignal()));
    },
  };
}

/** A sealed day as the seal would have returned it: the run loads it without exporting again. */
function sealedSummary(chainId: number, date: string, found: { key: string; sha256: string; manifest: DayManifest }, deps: ResolveDeps): SealDayResult {
  const summary = summarizeManifest(found.manifest);
  return {
    chainId,
    date,
    manifestKey: found.key,
    manifestSha256: found.sha256,
    ...summary,
    tables: deps.loadableTables ? deps.loadableTables(summary.tables) : summary.tables,
    outcome: 'unchanged',
    previousManifestSha256: found.manifest.manifestVersion === 2 ? (found.manifest.previous?.manifestSha256 ?? null) : null,
  };
}
