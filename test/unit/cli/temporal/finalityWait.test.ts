import { defaultFailureConverter, defaultPayloadConverter } from '@temporalio/common';
import { describe, expect, it } from 'vitest';
import { classifyError } from '../../../../src/activities/classifyError.js';
import { DayNotFinalError, NoBlocksOnDateError } from '../../../../src/chain/blockRange/errors.js';
import { finalityWaitNote, runningDaysFinalityWait, type PendingActivitySeen } from '../../../../src/cli/temporal/finalityWait.js';

/** What DescribeWorkflowExecution reports for an activity whose last attempt threw `error`. */
function pendingAfter(activity: string, error: Error): PendingActivitySeen {
  const failure = defaultFailureConverter.errorToFailure(classifyError(error) as Error, defaultPayloadConverter);
  return { activityType: { name: activity }, lastFailure: failure };
}

const notFinal = new DayNotFinalError({ date: '2024-01-01', head: 7120, neededHead: 7214, retryAfter: '2024-01-02T00:12:48Z', finalityDepth: 64, nextDayFirstBlock: 7150 });

describe('a day waiting for finality on the progress line', () => {
  it('names the head and the block it waits for, from the failure the worker reported', () => {
    expect(finalityWaitNote([pendingAfter('resolveDay', notFinal)])).toBe(
      'waiting for finality: head is block 7120, need block 7214 (retry after about 2024-01-02T00:12:48Z)',
    );
  });

  it('says nothing for other failures, other activities or a first attempt still running', () => {
    const noBlocks = new NoBlocksOnDateError({ date: '2024-01-01', before: 1, after: 2, endpoint: 'node-a' });
    expect(finalityWaitNote([pendingAfter('resolveDay', noBlocks)])).toBeUndefined();
    expect(finalityWaitNote([pendingAfter('exportChunks', new Error('day 2024-01-01 was fine'))])).toBeUndefined();
    expect(finalityWaitNote([{ activityType: { name: 'resolveDay' }, lastFailure: null }])).toBeUndefined();
    expect(finalityWaitNote([])).toBeUndefined();
  });

  it('in a backfill, asks about one running day per call and shows the first day that waits', async () => {
    const asked: string[] = [];
    const waiting = new Set(['2024-01-03']);
    const note = runningDaysFinalityWait(async (date) => {
      asked.push(date);
      return waiting.has(date) ? 'waiting for finality: need block 9' : undefined;
    });
    expect(await note(['2024-01-02', '2024-01-03'])).toBeUndefined();
    expect(await note(['2024-01-02', '2024-01-03'])).toBe('2024-01-03 waiting for finality: need block 9');
    // Remembered while the day runs, even on calls that ask about another day...
    expect(await note(['2024-01-02', '2024-01-03'])).toBe('2024-01-03 waiting for finality: need block 9');
    // ...and forgotten once it has left the window.
    expect(await note(['2024-01-04'])).toBeUndefined();
    expect(asked).toEqual(['2024-01-02', '2024-01-03', '2024-01-02', '2024-01-04']);
  });
});
