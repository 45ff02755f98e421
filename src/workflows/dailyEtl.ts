import {
  ActivityFailure,
  ApplicationFailure,
  CancellationScope,
  ChildWorkflowFailure,
  defineQuery,
  isCancellation,
  patched,
  proxyActivities,
  setHandler,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import type { Duration } from '@temporalio/common';
import type { Activities } from '../activities/index.js';
import type { BlockRange, ChunkPlan, EntityName, ExportChunksResult, LoadTableResult, RunModelsResult, SealDayResult } from '../activities/types.js';
import { runMetricPlan, type MetricOutcome } from './metricPlan.js';
import { runMetricDayChild } from './metricDay.js';
import { dayBeforeNominal, isIsoDate } from './dates.js';
import { dailyWorkflowId, TASK_QUEUES } from './names.js';
import { awaitPreviousDaySeal, dayRunNotifier, dayRunWaiter } from './runDayOnce.js';
import { HEARTBEAT_TIMEOUT } from '../heartbeatTiming.js';
import { standardRetry, waitForFinalityRetry } from './retryPolicies.js';
import { chainIdKey, dateKey, scheduledStartKey } from './searchAttributes.js';

export interface DailyEtlInput {
  /** UTC day YYYY-MM-DD; scheduled runs leave it out and take it from the nominal start time. */
  date?: string;
  /** Expected chain; the run fails when the node serves another one. */
  chainId?: number;
  /** Chunk groups exported at once; each group is one heartbeating activity. Default 4. */
  exportParallelism?: number;
  /** Gap after which a silent export attempt counts as dead and is retried. Default HEARTBEAT_TIMEOUT (20 s). */
  exportHeartbeatTimeout?: Duration;
  /**
   * Replace a sealed manifest whose bytes differ (new exporter version, a repaired node) with a
   * new version that records what it supersedes and this reason. Without it such a seal is refused.
   */
  supersede?: { reason: string };
}

export interface DailyEtlSummary {
  chainId: number;
  date: string;
  range: BlockRange;
  blocks: number;
  chunks: number;
  /** Chunks a retried export attempt did not redo because its heartbeat recorded them. */
  resumedChunks: number;
  manifestKey: string;
  manifestSha256: string;
  firstBlockHash: string;
  lastBlockHash: string;
  /** Rows per entity as sealed in the manifest. */
  rows: Partial<Record<EntityName, number>>;
  /** Rows per warehouse table after the load. */
  loaded: Partial<Record<EntityName, number>>;
  /** The metrics that completed, with their rows. */
  models: RunModelsResult['models'];
  /** Every after-load metric of the day: completed, failed (the day still completes) or skipped behind a failed dependency. */
  metrics: MetricOutcome[];
  /** What the seal did: wrote the manifest, found the same bytes already sealed, or superseded another version. Absent in runs before sealing reported it. */
  sealOutcome?: SealDayResult['outcome'];
  /** The previous day's manifest this day's manifest links to; null when it starts a segment of the chain. */
  previousManifestSha256?: string | null;
}

export type DailyEtlStage = 'resolving' | 'exporting' | 'sealing' | 'loading' | 'modelling' | 'done';

export interface DailyEtlProgress {
  stage: DailyEtlStage;
  date: string;
  chainId: number | null;
  range: BlockRange | null;
  chunksDone: number;
  chunksTotal: number;
  tablesDone: number;
  tablesTotal: number;
  /** Rows exported (then loaded) so far, summed over entities. */
  rows: number;
}

export const dailyProgressQuery = defineQuery<DailyEtlProgress>('progress');

/** Workflow changes guarded for runs recorded before them (test/histories, docs/orchestration.md). */
const PATCHES = {
  runUnderDayId: 'run-under-day-id',
  loadDayAsOneUnit: 'load-day-as-one-unit',
  sealAfterPreviousDay: 'seal-after-previous-day',
  reuseSealedDay: 'reuse-sealed-day',
  metricsAsChildWorkflows: 'metrics-as-child-workflows',
} as const;

const { resolveDay } = proxyActivities<Activities>({
  taskQueue: TASK_QUEUES.export,
  startToCloseTimeout: '5m',
  heartbeatTimeout: HEARTBEAT_TIMEOUT,
  scheduleToCloseTimeout: '6h',
  retry: waitForFinalityRetry,
});

const { sealDay } = proxyActivities<Activities>({
  taskQueue: TASK_QUEUES.export,
  startToCloseTimeout: '10m',
  heartbeatTimeout: HEARTBEAT_TIMEOUT,
  retry: standardRetry,
});

const { detectChainId } = proxyActivities<Activities>({
  taskQueue: TASK_QUEUES.export,
  startToCloseTimeout: '2m',
  retry: standardRetry,
});

// The load queue has few slots per worker: that, not this workflow, bounds warehouse concurrency.
const { loadDay, runModels } = proxyActivities<Activities>({
  taskQueue: TASK_QUEUES.load,
  startToCloseTimeout: '1h',
  heartbeatTimeout: HEARTBEAT_TIMEOUT,
  retry: standardRetry,
});

const { planMetrics } = proxyActivities<Activities>({
  taskQueue: TASK_QUEUES.metrics,
  startToCloseTimeout: '5m',
  retry: standardRetry,
});

/** Runs recorded before loads became one activity per day replay against this. */
const { loadTable } = proxyActivities<{ loadTable(input: { chainId: number; date: string; manifestKey: string; table: EntityName }): Promise<LoadTableResult> }>({
  taskQueue: TASK_QUEUES.load,
  startToCloseTimeout: '1h',
  heartbeatTimeout: HEARTBEAT_TIMEOUT,
  retry: standardRetry,
});

/**
 * One UTC day of one chain: resolve, export, seal, load, then each after-load metric as a child workflow. The work always happens under the
 * day's own id, `ledgerflow/<chain>/<date>`: a run started under another id (by the schedule)
 * runs the day as a child of that id, or waits for the run already doing it, so a scheduled and a
 * manual run of one day never both do the work.
 */
export async function dailyEtl(input: DailyEtlInput = {}): Promise<DailyEtlSummary> {
  const date = chooseDate(input);
  if (patched(PATCHES.runUnderDayId)) {
    const chainId = input.chainId ?? (await detectChainId());
    if (workflowInfo().workflowId !== dailyWorkflowId(chainId, date)) {
      upsertSearchAttributes([
        { key: dateKey, value: date },
        { key: chainIdKey, value: chainId },
      ]);
      return dayRunWaiter().run(chainId, date, { ...input, chainId });
    }
  }
  const notifier = dayRunNotifier();
  try {
    const summary = await runDay(input, date, notifier);
    await CancellationScope.nonCancellable(() => notifier.answer({ summary }));
    return summary;
  } catch (error) {
    await CancellationScope.nonCancellable(() => notifier.answer({ failure: error instanceof Error ? error.message : String(error) }));
    throw error;
  }
}

async function runDay(input: DailyEtlInput, date: string, notifier: ReturnType<typeof dayRunNotifier>): Promise<DailyEtlSummary> {
  const progress: DailyEtlProgress = {
    stage: 'resolving',
    date,
    chainId: null,
    range: null,
    chunksDone: 0,
    chunksTotal: 0,
    tablesDone: 0,
    tablesTotal: 0,
    rows: 0,
  };
  setHandler(dailyProgressQuery, () => progress);
  upsertSearchAttributes([{ key: dateKey, value: date }]);

  const day = await resolveDay({ date, chainId: input.chainId, ...(input.supersede ? { supersede: true } : {}) });
  upsertSearchAttributes([{ key: chainIdKey, value: day.chainId }]);
  progress.chainId = day.chainId;
  progress.range = day.range;
  progress.chunksTotal = day.chunks.length;

  // A sealed day is immutable: a run of it loads what was sealed. Exporting again could only seal
  // the same bytes, or overwrite sealed objects before the seal refused the new manifest.
  const reuse = day.sealed && !input.supersede && patched(PATCHES.reuseSealedDay) ? day.sealed : undefined;
  let sealed: SealDayResult;
  let chunkCount = day.chunks.length;
  let resumedChunks = 0;
  if (reuse) {
    sealed = reuse;
    progress.chunksDone = day.chunks.length;
  } else {
    progress.stage = 'exporting';
    const { exportChunks } = proxyActivities<Activities>({
      taskQueue: TASK_QUEUES.export,
      startToCloseTimeout: '2h',
      heartbeatTimeout: input.exportHeartbeatTimeout ?? HEARTBEAT_TIMEOUT,
      retry: standardRetry,
    });
    const groups = splitIntoGroups(day.chunks, input.exportParallelism ?? 4);
    const exported = await Promise.all(
      groups.map(async (chunks): Promise<ExportChunksResult> => {
        const result = await exportChunks({ chainId: day.chainId, date, chunks, entities: day.entities });
        progress.chunksDone += result.results.length;
        for (const chunk of result.results) for (const file of chunk.files) progress.rows += file.rows;
        return result;
      }),
    );
    const results = exported.flatMap((group) => group.results).sort((a, b) => a.chunk.index - b.chunk.index);

    progress.stage = 'sealing';
    // Days export side by side but seal in date order, so each manifest links to the one before.
    if (patched(PATCHES.sealAfterPreviousDay)) await awaitPreviousDaySeal(day.chainId, date);
    sealed = await sealDay({
      chainId: day.chainId,
      date,
      range: day.range,
      entities: day.entities,
      nodeClientVersion: day.nodeClientVersion,
      results,
      ...(input.supersede ? { supersede: input.supersede } : {}),
    });
    chunkCount = results.length;
    resumedChunks = exported.reduce((sum, group) => sum + group.resumed, 0);
  }
  await CancellationScope.nonCancellable(() => notifier.sealed(sealed.manifestSha256));

  progress.stage = 'loading';
  progress.tablesTotal = sealed.tables.length;
  progress.rows = 0;
  let loadedTables: LoadTableResult[];
  if (patched(PATCHES.loadDayAsOneUnit)) {
    // One activity, pinned to the manifest the seal returned: every table and the loaded_days
    // row change in one transaction, from one manifest, or not at all.
    ({ tables: loadedTables } = await loadDay({
      chainId: day.chainId,
      date,
      manifestKey: sealed.manifestKey,
      manifestSha256: sealed.manifestSha256,
      ...(sealed.copyManifestKeys ? { copyManifestKeys: sealed.copyManifestKeys } : {}),
    }));
    progress.tablesDone = loadedTables.length;
    progress.rows = loadedTables.reduce((sum, table) => sum + table.rows, 0);
  } else {
    loadedTables = await Promise.all(
      sealed.tables.map(async (table): Promise<LoadTableResult> => {
        const loadedTable = await loadTable({ chainId: day.chainId, date, manifestKey: sealed.manifestKey, table });
        progress.tablesDone += 1;
        progress.rows += loadedTable.rows;
        return loadedTable;
      }),
    );
  }

  progress.stage = 'modelling';
  let metrics: MetricOutcome[];
  if (patched(PATCHES.metricsAsChildWorkflows)) {
    const plan = await planMetrics({ chainId: day.chainId, date });
    // Each metric is its own child workflow: a broken one fails alone, never the day.
    metrics = await runMetricPlan(plan.metrics, (metric) => runMetricDayChild({ chainId: day.chainId, date, metric, range: sealed.range }), {
      rethrow: isCancellation,
      isWrapper: (error) => error instanceof ChildWorkflowFailure || error instanceof ActivityFailure,
    });
  } else {
    const { models: ran } = await runModels({ chainId: day.chainId, date, range: sealed.range });
    metrics = ran.map((m) => ({ name: m.name, status: 'completed', rows: m.rows }));
  }
  const models = metrics.flatMap((m) => (m.status === 'completed' ? [{ name: m.name, rows: m.rows ?? 0 }] : []));

  progress.stage = 'done';
  const loaded: Partial<Record<EntityName, number>> = {};
  for (const { table, rows } of loadedTables) loaded[table] = rows;
  return {
    chainId: day.chainId,
    date,
    range: sealed.range,
    blocks: sealed.range.end - sealed.range.start + 1,
    chunks: chunkCount,
    resumedChunks,
    manifestKey: sealed.manifestKey,
    manifestSha256: sealed.manifestSha256,
    firstBlockHash: sealed.firstBlockHash,
    lastBlockHash: sealed.lastBlockHash,
    rows: sealed.rows,
    loaded,
    models,
    metrics,
    ...(sealed.outcome ? { sealOutcome: sealed.outcome } : {}),
    ...(sealed.previousManifestSha256 !== undefined ? { previousManifestSha256: sealed.previousManifestSha256 } : {}),
  };
}

function chooseDate(input: DailyEtlInput): string {
  if (input.date !== undefined) {
    if (!isIsoDate(input.date)) {
      throw ApplicationFailure.nonRetryable(`Not a calendar day: date=${input.date}. Fix: pass the day as YYYY-MM-DD (UTC)`, 'InvalidInputError');
    }
    return input.date;
  }
  const nominal = workflowInfo().typedSearchAttributes.get(scheduledStartKey);
  if (nominal) return dayBeforeNominal(nominal);
  throw ApplicationFailure.nonRetryable(
    'dailyEtl needs a day: no date in the input and no TemporalScheduledStartTime. Fix: start it with {"date":"YYYY-MM-DD"} or from the schedule',
    'InvalidInputError',
  );
}

/** Contiguous groups of nearly equal size, at most `parallelism` of them, in chunk order. */
export function splitIntoGroups(chunks: readonly ChunkPlan[], parallelism: number): ChunkPlan[][] {
  const count = Math.max(1, Math.min(Math.floor(parallelism), chunks.length));
  const groups: ChunkPlan[][] = [];
  let start = 0;
  for (let g = 0; g < count; g += 1) {
    const size = Math.floor(chunks.length / count) + (g < chunks.length % count ? 1 : 0);
    groups.push(chunks.slice(start, start + size));
    start += size;
  }
  return groups.filter((group) => group.length > 0);
}
