import { setTimeout as sleep } from 'node:timers/promises';
import type { Client } from '@temporalio/client';

/** How long a command waits for a poller before it says that none is there. */
export const NO_WORKER_GRACE_MS = 3_000;

/**
 * The server keeps a stopped worker in a queue's poller list for minutes; a live one starts a new
 * long poll at least once a minute, so an older last access means the worker is gone.
 */
export const LIVE_POLLER_WINDOW_MS = 120_000;

// temporal.api.enums.v1.TaskQueueType.TASK_QUEUE_TYPE_WORKFLOW; @temporalio/proto, where the enum
// lives, is only a dependency of @temporalio/client, so the type is taken from the request.
type TaskQueueType = NonNullable<Parameters<Client['workflowService']['describeTaskQueue']>[0]['taskQueueType']>;
const WORKFLOW_TASK_QUEUE = 1 as TaskQueueType;

export function noWorkerLine(taskQueue: string): string {
  return `no worker polls ${taskQueue}; start one with \`npx ledgerflow worker\``;
}

export interface PollerSeen {
  lastAccessTime?: { seconds?: number | { toNumber(): number } | null; nanos?: number | null } | null;
}

export function livePollerCount(pollers: readonly PollerSeen[], nowMs: number): number {
  return pollers.filter((poller) => {
    const seconds = poller.lastAccessTime?.seconds;
    if (seconds === undefined || seconds === null) return true;
    const lastMs = (typeof seconds === 'number' ? seconds : seconds.toNumber()) * 1000 + (poller.lastAccessTime?.nanos ?? 0) / 1e6;
    return nowMs - lastMs <= LIVE_POLLER_WINDOW_MS;
  }).length;
}

/** Workers that poll the task queue for workflow tasks now. */
export async function countLivePollers(client: Client, taskQueue: string, signal?: AbortSignal): Promise<number> {
  // A deadline of its own: a slow server must not hold up a command that only wanted advice.
  const request = () =>
    client.withDeadline(Date.now() + 5_000, () =>
      client.workflowService.describeTaskQueue({ namespace: client.options.namespace, taskQueue: { name: taskQueue }, taskQueueType: WORKFLOW_TASK_QUEUE }),
    );
  const response = await (signal ? client.withAbortSignal(signal, request) : request());
  return livePollerCount(response.pollers ?? [], Date.now());
}

export interface NoWorkerWarningOptions {
  graceMs?: number;
  pollMs?: number;
  /** Where the warning goes; stderr by default, like the progress bar. */
  out?: NodeJS.WritableStream & { isTTY?: boolean };
  signal?: AbortSignal;
}

/**
 * Resolves as soon as a worker polls `taskQueue`, or after the grace time, having printed the
 * one-line warning then. Never throws: the check is advice, the run goes on either way. Stays
 * quiet when the server never answered, since then it cannot know.
 */
export async function warnIfNoWorker(client: Client, taskQueue: string, options: NoWorkerWarningOptions = {}): Promise<boolean> {
  const graceMs = options.graceMs ?? NO_WORKER_GRACE_MS;
  const pollMs = options.pollMs ?? 500;
  const out = options.out ?? process.stderr;
  const deadline = Date.now() + graceMs;
  let answered = false;
  for (;;) {
    if (options.signal?.aborted) return false;
    const live = await countLivePollers(client, taskQueue, options.signal).catch(() => undefined);
    if (live !== undefined && live > 0) return false;
    answered ||= live === 0;
    const left = deadline - Date.now();
    if (left <= 0) {
      if (!answered || options.signal?.aborted) return false;
      // On a terminal the progress bar may own the current line; clear it so the warning stands alone.
      out.write(`${out.isTTY ? '\r\x1b[2K' : ''}${noWorkerLine(taskQueue)}\n`);
      return true;
    }
    await sleep(Math.min(pollMs, left), undefined, options.signal ? { signal: options.signal } : {}).catch(() => undefined);
  }
}

/** Runs the poller check beside `work`, which keeps waiting whatever the check finds. */
export async function withNoWorkerWarning<T>(client: Client, taskQueue: string, work: Promise<T>, options: Omit<NoWorkerWarningOptions, 'signal'> = {}): Promise<T> {
  const stop = new AbortController();
  const check = warnIfNoWorker(client, taskQueue, { ...options, signal: stop.signal });
  try {
    return await work;
  } finally {
    stop.abort();
    await check;
  }
}
