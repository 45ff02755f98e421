import { WorkflowIdConflictPolicy, WorkflowIdReusePolicy, type Client, type WorkflowHandle } from '@temporalio/client';
import { dailyEtl, type DailyEtlInput } from '../../workflows/dailyEtl.js';
import { dailyWorkflowId, TASK_QUEUES } from '../../workflows/names.js';
import { chainIdKey, dateKey } from '../../workflows/searchAttributes.js';

/**
 * Starts the day's run under its deterministic id, or attaches to the run already in flight:
 * one day of one chain never runs twice at once, and asking twice is harmless.
 */
export async function startDay(client: Client, input: DailyEtlInput & { date: string; chainId: number }): Promise<WorkflowHandle<typeof dailyEtl>> {
  return client.workflow.start(dailyEtl, {
    taskQueue: TASK_QUEUES.workflows,
    workflowId: dailyWorkflowId(input.chainId, input.date),
    args: [input],
    workflowIdConflictPolicy: WorkflowIdConflictPolicy.USE_EXISTING,
    workflowIdReusePolicy: WorkflowIdReusePolicy.ALLOW_DUPLICATE,
    typedSearchAttributes: [
      { key: chainIdKey, value: input.chainId },
      { key: dateKey, value: input.date },
    ],
  });
}
