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
import { addDays } from './dates.js';
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

/** Sent to the previous day's run: "signal me once you are sealed", so manifests link in date order. */
export const notifyWhenSealedSignal = defineSignal<[{ workflowId: string }]>('notifyWhenSealed');

/** The previous day's run to each waiter: sealed (with its manifest's sha256), or failed before sealing. */
export interface DaySealOutcome {
  workflowId: string;
  manifestSha256?: string;
  failure?: string;
}
export const daySealedSignal = defineSignal<[DaySealOutcome]>('daySealed');

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
 * Waits until the previous day's run, when one is in flight, has sealed (or failed): this day's
 * manifest then links to the previous one however the two runs were started (a backfill window,
 * a schedule catching up, two manual runs). With no run of the previous day in flight there is
 * nothing to wait for: the seal links to whatever the lake holds.
 */
export async function awaitPreviousDaySeal(chainId: number, date: string): Promise<void> {
  const previous = dailyWorkflowId(chainId, addDays(date, -1));
  let answered = false;
  setHandler(daySealedSignal, (outcome) => {
    if (outcome.workflowId === previous) answered = true;
  });
  const self = workflowInfo().workflowId;
  for (;;) {
    const inFlight = await getExternalWorkflowHandle(previous)
      .signal(notifyWhenSealedSignal, { workflowId: self })
      .then(
        () => true,
        () => false,
      );
    if (!inFlight) return;
    if (await condition(() => answered, RECHECK)) return;
  }
}

/**
 * The answering side, in dailyEtl: collects waiters and answers each when the run has sealed
 * (seal waiters) and when it ends (done waiters). Duplicate subscriptions (a waiter that looked
 * again) are answered once; a subscription after the answer is answered at once.
 */
export function dayRunNotifier(): {
  sealed(manifestSha256: string): Promise<void>;
  answer(outcome: Omit<DayRunOutcome, 'workflowId'>): Promise<void>;
} {
  const self = workflowInfo().workflowId;
  const doneWaiters = new Set<string>();
  const sealWaiters = new Set<string>();
  let seal: DaySealOutcome | undefined;
  // A waiter that is gone (terminated backfill) must not fail the day.
  const tell = (id: string, outcome: DaySealOutcome) => getExternalWorkflowHandle(id).signal(daySealedSignal, outcome).catch(() => undefined);
  setHandler(notifyWhenDoneSignal, ({ workflowId }) => {
    doneWaiters.add(workflowId);
  });
  setHandler(notifyWhenSealedSignal, async ({ workflowId }) => {
    if (seal) await tell(workflowId, seal);
    else sealWaiters.add(workflowId);
  });
  const answerSeal = async (outcome: DaySealOutcome) => {
    seal = outcome;
    const waiting = [...sealWaiters];
    sealWaiters.clear();
    await Promise.all(waiting.map((id) => tell(id, outcome)));
  };
  return {
    sealed: (manifestSha256) => answerSeal({ workflowId: self, manifestSha256 }),
    async answer(outcome) {
      if (!seal) await answerSeal({ workflowId: self, failure: outcome.failure ?? 'ended before sealing' });
      await Promise.all([...doneWaiters].map((id) => getExternalWorkflowHandle(id).signal(dayDoneSignal, { ...outcome, workflowId: self }).catch(() => undefined)));
    },
  };
}
