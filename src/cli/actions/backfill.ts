import { InvalidInputError } from '../../errors/LedgerflowError.js';
import { backfill, backfillProgressQuery, type BackfillSummary } from '../../workflows/backfill.js';
import { isoDate } from './isoDateOption.js';
import { backfillWorkflowId, TASK_QUEUES } from '../../workflows/names.js';
import { chainIdFor } from '../temporal/chainIdFor.js';
import { connectClient } from '../temporal/connectClient.js';
import { dayFinalityWait, runningDaysFinalityWait } from '../temporal/finalityWait.js';
import { withNoWorkerWarning } from '../temporal/noWorkerWarning.js';
import { watchProgress } from '../temporal/watchProgress.js';
import { WorkflowIdConflictPolicy } from '@temporalio/client';

export interface BackfillOptions {
  from: string;
  to: string;
  window: string;
  force?: boolean;
  adaptiveWindow?: boolean;
  chainId?: string;
  wait: boolean;
  json?: boolean;
}

export async function runBackfill(options: BackfillOptions): Promise<void> {
  isoDate(options.from, '--from');
  isoDate(options.to, '--to');
  if (options.to < options.from) throw new InvalidInputError(`--to ${options.to} is before --from ${options.from}`, { fix: 'swap the two days' });
  const window = Number(options.window);
  if (!Number.isInteger(window) || window < 1) throw new InvalidInputError(`--window must be a positive integer, got ${options.window}`, { fix: 'pass e.g. --window 4' });
  const chainId = await chainIdFor(options.chainId);
  const { client, close } = await connectClient();
  try {
    const handle = await client.workflow.start(backfill, {
      taskQueue: TASK_QUEUES.workflows,
      workflowId: backfillWorkflowId(chainId, options.from, options.to),
      args: [{ from: options.from, to: options.to, window, chainId, force: options.force ?? false, adaptiveWindow: options.adaptiveWindow ?? false }],
      workflowIdConflictPolicy: WorkflowIdConflictPolicy.USE_EXISTING,
    });
    if (!options.wait) {
      process.stdout.write(`${handle.workflowId}\n`);
      return;
    }
    process.stderr.write(`workflow ${handle.workflowId} (temporal workflow show -w '${handle.workflowId}')\n`);
    const finalityWait = runningDaysFinalityWait(dayFinalityWait(client, chainId));
    const progress = watchProgress(
      handle,
      backfillProgressQuery,
      (p) => {
        const done = p.completed + p.skipped + p.failed;
        return { done, total: p.daysTotal, text: `${done}/${p.daysTotal} days (${p.completed} ok, ${p.skipped} skipped, ${p.failed} failed), running: ${p.running.join(' ') || '-'}` };
      },
      handle.result(),
      { note: (p) => finalityWait(p.running) },
    );
    const summary: BackfillSummary = await withNoWorkerWarning(client, TASK_QUEUES.workflows, progress);
    if (options.json) process.stdout.write(`${JSON.stringify(summary, null, 2)}\n`);
    else {
      process.stdout.write(`backfill ${summary.from}..${summary.to} chain ${summary.chainId}: ${summary.completed} completed, ${summary.skipped.length} skipped, ${summary.failed.length} failed\n`);
      for (const f of summary.failed) process.stdout.write(`failed ${f.date}: ${f.reason}\n`);
    }
    if (summary.failed.length > 0) process.exitCode = 1;
  } finally {
    await close();
  }
}
