import {
  ApplicationFailure,
  condition,
  continueAsNew,
  defineQuery,
  patched,
  proxyActivities,
  setHandler,
  workflowInfo,
} from '@temporalio/workflow';
import type { CapacityActivities } from '../activities/capacity.js';
import type { Activities } from '../activities/index.js';
import type { DailyEtlInput } from './dailyEtl.js';
import { addDays, daysBetween, isIsoDate } from './dates.js';
import { TASK_QUEUES } from './names.js';
import { dayRunWaiter } from './runDayOnce.js';
import { standardRetry } from './retryPolicies.js';

export interface BackfillInput {
  from: string;
  to: string;
  /** Most days running at once. */
  window: number;
  /** Re-run days that are already sealed and loaded. */
  force?: boolean;
  chainId?: number;
  /** Ask the `clusterCapacity` activity how many days fit right now (never below 1, never above `window`). */
  adaptiveWindow?: boolean;
  /** Options passed to every day's run. */
  daily?: Pick<DailyEtlInput, 'exportParallelism' | 'exportHeartbeatTimeout'>;
  /** Days started per run before continuing as new; keeps each run's history short. Default 200. */
  daysPerRun?: number;
  /** Carried across continue-as-new; absent on the first run. */
  state?: BackfillState;
}

export interface BackfillState {
  next: string;
  completed: number;
  skipped: string[];
  failed: Array<{ date: string; reason: string }>;
  runs: number;
}

export interface BackfillProgress {
  from: string;
  to: string;
  daysTotal: number;
  window: number;
  next: string | null;
  running: string[];
  completed: number;
  skipped: number;
  failed: number;
  /** Which continue-as-new generation is answering, starting at 1. */
  run: number;
}

export interface BackfillSummary {
  chainId: number;
  from: string;
  to: string;
  completed: number;
  skipped: string[];
  failed: Array<{ date: string; reason: string }>;
  runs: number;
}

export const backfillProgressQuery = defineQuery<BackfillProgress>('progress');

const { dayStatus, detectChainId: detectChainIdOnLoad } = proxyActivities<Activities>({
  taskQueue: TASK_QUEUES.load,
  startToCloseTimeout: '2m',
  retry: standardRetry,
});

// Only export workers read RPC_URL (configForRoles); runs recorded before asked the load queue.
const { detectChainId } = proxyActivities<Activities>({
  taskQueue: TASK_QUEUES.export,
  startToCloseTimeout: '2m',
  retry: standardRetry,
});

const { clusterCapacity } = proxyActivities<CapacityActivities>({
  taskQueue: TASK_QUEUES.load,
  startToCloseTimeout: '1m',
  retry: { ...standardRetry, maximumAttempts: 3 },
});

/**
 * A bounded sliding window of dailyEtl children over [from, to]. Children are ABANDONed on
 * parent close: each day is a self-contained, idempotent unit, so cancelling or terminating a
 * backfill stops new days without tearing down days already exporting. A day already running
 * elsewhere (a manual run, another backfill) is waited for, not started twice. Days export side
 * by side but seal in date order, each manifest linking to the one before (dailyEtl). Before
 * continuing as new the run waits for its children, so the next run starts with an empty window
 * and exact counts.
 */
export async function backfill(input: BackfillInput): Promise<BackfillSummary> {
  validate(input);
  const state: BackfillState = input.state ?? { next: input.from, completed: 0, skipped: [], failed: [], runs: 0 };
  state.runs += 1;
  const running = new Map<string, Promise<void>>();
  let window = input.window;
  setHandler(backfillProgressQuery, () => ({
    from: input.from,
    to: input.to,
    daysTotal: daysBetween(input.from, input.to),
    window,
    next: state.next <= input.to ? state.next : null,
    running: [...running.keys()].sort(),
    completed: state.completed,
    skipped: state.skipped.length,
    failed: state.failed.length,
    run: state.runs,
  }));

  const chainId = input.chainId ?? (await (patched('chain-id-from-export-queue') ? detectChainId() : detectChainIdOnLoad()));
  const days = dayRunWaiter();

  const daysPerRun = Math.max(1, input.daysPerRun ?? 200);
  let startedThisRun = 0;

  while (state.next <= input.to) {
    if (startedThisRun >= daysPerRun || workflowInfo().continueAsNewSuggested) {
      await Promise.all(running.values());
      await continueAsNew<typeof backfill>({ ...input, chainId, state });
    }
    if (input.adaptiveWindow) window = clamp((await clusterCapacity({ maxWindow: input.window })).window, 1, input.window);
    await condition(() => running.size < window);

    const date = state.next;
    state.next = addDays(date, 1);
    if (!input.force) {
      const status = await dayStatus({ chainId, date });
      if (status.sealed && status.loaded) {
        state.skipped.push(date);
        continue;
      }
    }
    startedThisRun += 1;
    running.set(
      date,
      days
        .run(chainId, date, { ...input.daily })
        .then(
          () => {
            state.completed += 1;
          },
          (error: unknown) => {
            state.failed.push({ date, reason: error instanceof Error ? rootMessage(error) : String(error) });
          },
        )
        .finally(() => {
          running.delete(date);
        }),
    );
  }
  await Promise.all(running.values());
  return { chainId, from: input.from, to: input.to, completed: state.completed, skipped: state.skipped, failed: state.failed, runs: state.runs };
}

function validate(input: BackfillInput): void {
  const problems: string[] = [];
  if (!isIsoDate(input.from)) problems.push(`from=${input.from} is not YYYY-MM-DD`);
  if (!isIsoDate(input.to)) problems.push(`to=${input.to} is not YYYY-MM-DD`);
  if (problems.length === 0 && input.to < input.from) problems.push(`to=${input.to} is before from=${input.from}`);
  if (!Number.isInteger(input.window) || input.window < 1) problems.push(`window=${input.window} must be an integer >= 1`);
  if (problems.length > 0) {
    throw ApplicationFailure.nonRetryable(`Invalid backfill input: ${problems.join('; ')}. Fix: pass --from <= --to as YYYY-MM-DD and --window >= 1`, 'InvalidInputError');
  }
}

function clamp(value: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, Math.floor(Number.isFinite(value) ? value : max)));
}

function rootMessage(error: Error): string {
  let current: unknown = error;
  while (current instanceof Error && current.cause instanceof Error) current = current.cause;
  return current instanceof Error ? current.message : String(current);
}
