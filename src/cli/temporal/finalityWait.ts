import type { Client, WorkflowHandle } from '@temporalio/client';
import { readableFailure } from '../../codec/readableFailure.js';
import { dailyWorkflowId } from '../../workflows/names.js';

/** The fields of a pending activity (DescribeWorkflowExecution) that tell a finality wait. */
export interface PendingActivitySeen {
  activityType?: { name?: string | null } | null;
  lastFailure?: { message?: string | null; applicationFailureInfo?: { type?: string | null } | null } | null;
}

// DayNotFinalError's wording (src/chain/blockRange/errors.ts): the reason runs from "not final yet:"
// to the context list "(date=...)" or the "Fix:" that LedgerflowError appends.
const NOT_FINAL = /is not final yet: (.+?)(?: \([a-z_]+=| Fix: |$)/;

/**
 * The progress-line note for a day that waits for finality: its resolveDay activity is retried
 * with DayNotFinalError until the chain reaches the block named in the failure. The workflow's own
 * progress only says "resolving", so the CLI reads the reason from the pending activity.
 */
export function finalityWaitNote(pending: readonly PendingActivitySeen[]): string | undefined {
  for (const activity of pending) {
    if (activity.activityType?.name !== 'resolveDay') continue;
    const reason = NOT_FINAL.exec(activity.lastFailure?.message ?? '')?.[1];
    if (reason) return `waiting for finality: ${reason}`;
  }
  return undefined;
}

/**
 * One describe of the run; no note when it is not waiting or the server does not answer. The raw
 * failures are read through the client's data converter: with payload encryption their message
 * is encoded.
 */
export async function finalityWaitOf(handle: Pick<WorkflowHandle, 'describe' | 'client'>): Promise<string | undefined> {
  try {
    const converter = handle.client.options.loadedDataConverter;
    const pending = await Promise.all(
      ((await handle.describe()).raw.pendingActivities ?? []).map(async (activity) =>
        activity.lastFailure ? { ...activity, lastFailure: await readableFailure(activity.lastFailure, converter) } : activity,
      ),
    );
    return finalityWaitNote(pending);
  } catch {
    return undefined;
  }
}

/**
 * The note for a backfill: the first running day that waits for finality. Each call asks about one
 * running day, taking them in turn, so a wide window still costs one describe per call.
 */
export function runningDaysFinalityWait(noteOf: (date: string) => Promise<string | undefined>): (running: readonly string[]) => Promise<string | undefined> {
  const notes = new Map<string, string>();
  let turn = 0;
  return async (running) => {
    for (const date of notes.keys()) if (!running.includes(date)) notes.delete(date);
    if (running.length === 0) return undefined;
    const date = running[turn++ % running.length] as string;
    const note = await noteOf(date);
    if (note) notes.set(date, note);
    else notes.delete(date);
    const waiting = running.find((d) => notes.has(d));
    return waiting ? `${waiting} ${notes.get(waiting)}` : undefined;
  };
}

/** The finality note of one day's run under its deterministic id (a backfill's child). */
export function dayFinalityWait(client: Client, chainId: number): (date: string) => Promise<string | undefined> {
  return (date) => finalityWaitOf(client.workflow.getHandle(dailyWorkflowId(chainId, date)));
}
