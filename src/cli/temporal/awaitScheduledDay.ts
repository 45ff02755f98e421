import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import type { DailyEtlSummary } from '../../workflows/dailyEtl.js';
import { addDays } from '../../workflows/dates.js';

/** The id the server gives the run a schedule starts for `date` (nominal time: next day at `at`). */
export function scheduledRunId(scheduleId: string, date: string, at = '00:30'): string {
  return `${scheduleId}-${addDays(date, 1)}T${at}:00Z`;
}

/**
 * Waits for the schedule's run of `date` that started at or after `since` (an older run under the
 * same id may exist from an earlier backfill) and returns its summary and wall-clock seconds.
 */
export async function awaitScheduledDay(
  client: Client,
  input: { scheduleId: string; date: string; since: Date; at?: string; pollMs?: number },
): Promise<{ workflowId: string; summary: DailyEtlSummary; seconds: number }> {
  const workflowId = scheduledRunId(input.scheduleId, input.date, input.at);
  for (;;) {
    const handle = client.workflow.getHandle<() => Promise<DailyEtlSummary>>(workflowId);
    const description = await handle.describe().catch((error: unknown) => {
      if (error instanceof WorkflowNotFoundError) return undefined;
      throw error;
    });
    // Start times are in server time; allow a second of clock difference with this process.
    if (description && description.startTime.getTime() >= input.since.getTime() - 1000) {
      const summary = await handle.result();
      const closed = (await handle.describe()).closeTime ?? new Date();
      return { workflowId, summary, seconds: (closed.getTime() - description.startTime.getTime()) / 1000 };
    }
    await new Promise((resolve) => setTimeout(resolve, input.pollMs ?? 500));
  }
}
