import type { Client, WorkflowHandle } from '@temporalio/client';
import { dailyProgressQuery, type dailyEtl, type DailyEtlProgress, type DailyEtlSummary } from '../../workflows/dailyEtl.js';
import { TASK_QUEUES } from '../../workflows/names.js';
import { finalityWaitOf } from './finalityWait.js';
import { withNoWorkerWarning } from './noWorkerWarning.js';
import { watchProgress } from './watchProgress.js';

export interface FollowOptions {
  /** The queue the run was started on. */
  taskQueue?: string;
  noWorkerGraceMs?: number;
  out?: NodeJS.WritableStream & { isTTY?: boolean };
}

/**
 * Waits for one day's run with its progress bar: warns when no worker polls its queue and says
 * when the day waits for finality, so a run that makes no progress always says why.
 */
export async function followDay(client: Client, handle: WorkflowHandle<typeof dailyEtl>, options: FollowOptions = {}): Promise<DailyEtlSummary> {
  const progress = watchProgress(handle, dailyProgressQuery, renderDayProgress, handle.result(), {
    // Only resolveDay waits for finality; describing the run in later stages would buy nothing.
    note: async (p) => (p.stage === 'resolving' ? finalityWaitOf(handle) : undefined),
    ...(options.out ? { out: options.out } : {}),
  });
  return withNoWorkerWarning(client, options.taskQueue ?? TASK_QUEUES.workflows, progress, {
    ...(options.noWorkerGraceMs === undefined ? {} : { graceMs: options.noWorkerGraceMs }),
    ...(options.out ? { out: options.out } : {}),
  });
}

export function renderDayProgress(p: Pick<DailyEtlProgress, 'stage' | 'chunksDone' | 'chunksTotal' | 'tablesDone' | 'tablesTotal' | 'rows' | 'date'>) {
  const loading = p.stage === 'loading' || p.stage === 'modelling' || p.stage === 'done';
  const done = loading ? p.tablesDone : p.chunksDone;
  const total = loading ? p.tablesTotal : p.chunksTotal;
  const unit = loading ? 'tables' : 'chunks';
  return { done, total, text: `${p.date} ${p.stage.padEnd(9)} ${done}/${total} ${unit}, ${p.rows} rows` };
}
