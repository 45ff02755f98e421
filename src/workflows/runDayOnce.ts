import {
  ApplicationFailure,
  condition,
  defineSignal,
  getExternalWorkflowHandle,
  ParentClosePolicy,
  setHandler,
  startChild,
  workflowInfo,
  WorkflowIdReusePolicy,
} from '@temporalio/workflow';
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/common';
import type { dailyEtl, DailyEtlInput, DailyEtlSummary } from './dailyEtl.js';
import { dailyWorkflowId, TASK_QUEUES } from './names.js';

/** Sent to a day's run: "signal me when you are done". The run answers every waiter once. */
export const notifyWhenDoneSignal = defineSignal<[{ workflowId: string }]>('notifyWhenDone');

/** The day's run to each waiter: its summary, or why it failed. */
export interface DayRunOutcome {
  /** The day's workflow id, `ledgerflow/<chain>/<date>`. */
  workflowId: string;
  summary?: DailyEtlSummary;
  failure?: string;
}
export const dayDoneSignal = defineSignal<[DayRunOutcome]>('dayDone');

/**
 * How long a waiter trusts its subscription before looking again: a run that closes between our
 * failed start and our signal never answers, and the next look starts the day itself.
 */
const RECHECK = '1 minute';

export interface DayRunWaiter {
  /**
   * Runs the day under `ledgerflow/<chain>/<date>` as a child, or, when a run of the day is
   * already in flight (a manual run-day, another backfill, the schedule), waits for that run
   * instead: one run does the day's work however many ask for it, and each gets its summary.
   */
  run(chainId: number, date: string, input: DailyEtlInput): Promise<DailyEtlSummary>;
}

/** Call once per workflow, before the first `run`: it owns the workflow's dayDone handler. */
export function dayRunWaiter(): DayRunWaiter {
  const outcomes = new Map<string, DayRunOutcome>();
  setHandler(dayDoneSignal, (outcome) => {
    outcomes.set(outcome.workflowId, outcome);
  });
  const self = workflowInfo().workflowId;

  return {
    async run(chainId, date, input) {
      const workflowId = dailyWorkflowId(chainId, date);
      for (;;) {
        const child = await startChild<typeof dailyEtl>('dailyEtl', {
          workflowId,
          taskQueue: TASK_QUEUES.workflows,
          args: [{ ...input, date, chainId }],
          // The day stands on its own: closing the waiter (a cancelled backfill) must not tear it down.
          parentClosePolicy: ParentClosePolicy.ABANDON,
          // A day whose earlier run closed may run again (a re-run, a forced backfill).
          workflowIdReusePolicy: WorkflowIdReusePolicy.ALLOW_DUPLICATE,
        }).catch((error: unknown) => {
          if (error instanceof WorkflowExecutionAlreadyStartedError) return undefined;
          throw error;
        });
        if (child) return child.result();

        outcomes.delete(workflowId);
        const subscribed = await getExternalWorkflowHandle(workflowId)
          .signal(notifyWhenDoneSignal, { workflowId: self })
          .then(
            () => true,
            // Closed between our start and our signal: look again.
            () => false,
          );
        if (!subscribed) continue;
        if (!(await condition(() => outcomes.has(workflowId), RECHECK))) continue;
        const outcome = outcomes.get(workflowId)!;
        if (outcome.summary) return outcome.summary;
        throw ApplicationFailure.nonRetryable(`The run of ${workflowId} this run waited for failed: ${outcome.failure ?? 'no reason given'}`, 'DayRunFailedError');
      }
    },
  };
}

/**
 * The answering side, in dailyEtl: collects waiters and answers each when the run ends.
 * Duplicate subscriptions (a waiter that looked again) are answered once.
 */
export function dayRunNotifier(): { answer(outcome: Omit<DayRunOutcome, 'workflowId'>): Promise<void> } {
  const waiters = new Set<string>();
  setHandler(notifyWhenDoneSignal, ({ workflowId }) => {
    waiters.add(workflowId);
  });
  const self = workflowInfo().workflowId;
  return {
    async answer(outcome) {
      // A waiter that is gone (terminated backfill) must not fail the day.
      await Promise.all([...waiters].map((id) => getExternalWorkflowHandle(id).signal(dayDoneSignal, { ...outcome, workflowId: self }).catch(() => undefined)));
    },
  };
}
