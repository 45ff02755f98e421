import { ApplicationFailure } from '@temporalio/common';
import { MockActivityEnvironment } from '@temporalio/testing';
import { describe, expect, it } from 'vitest';
import { classifyError } from '../../../src/activities/classifyError.js';
import { createResolveActivities } from '../../../src/activities/resolve.js';
import { ConfigurationError, InvalidInputError, LedgerflowError } from '../../../src/errors/LedgerflowError.js';
import { createFakeWorld, runIn } from './fakeDeps.js';

class NodeBusyError extends LedgerflowError {
  override readonly name = 'NodeBusyError';
  readonly retryable = true;
}

describe('classifyError (MockActivityEnvironment, fake libraries)', () => {
  it('turns a non-retryable LedgerflowError into a non-retryable failure typed with its class name', () => {
    const error = new InvalidInputError('Not a calendar day', { context: { date: '2024-13-01' }, fix: 'use YYYY-MM-DD' });
    const failure = classifyError(error);
    expect(failure).toBeInstanceOf(ApplicationFailure);
    expect((failure as ApplicationFailure).nonRetryable).toBe(true);
    expect((failure as ApplicationFailure).type).toBe('InvalidInputError');
    expect((failure as ApplicationFailure).message).toContain('date=2024-13-01');
    expect((failure as ApplicationFailure).details).toEqual([{ context: { date: '2024-13-01' }, fix: 'use YYYY-MM-DD' }]);
  });

  it('keeps a retryable LedgerflowError retryable, with its type', () => {
    const failure = classifyError(new NodeBusyError('node busy', { cause: new Error('503') })) as ApplicationFailure;
    expect(failure.nonRetryable).toBe(false);
    expect(failure.type).toBe('NodeBusyError');
    expect(failure.cause?.message).toBe('503');
  });

  it('leaves foreign errors alone (Temporal types them by class name and retries)', () => {
    const error = new TypeError('boom');
    expect(classifyError(error)).toBe(error);
  });
});

describe('resolveDay (MockActivityEnvironment, fake libraries)', () => {
  it('rejects a malformed day without retry', async () => {
    const { resolveDay } = createResolveActivities(createFakeWorld().deps);
    const failure = await runIn(new MockActivityEnvironment(), resolveDay, { date: '2024-02-30' }).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(ApplicationFailure);
    expect((failure as ApplicationFailure).type).toBe('InvalidInputError');
    expect((failure as ApplicationFailure).nonRetryable).toBe(true);
  });

  it('refuses a node that serves another chain', async () => {
    const { resolveDay } = createResolveActivities(createFakeWorld().deps);
    const failure = (await runIn(new MockActivityEnvironment(), resolveDay, { date: '2024-01-02', chainId: 1 }).catch((e: unknown) => e)) as ApplicationFailure;
    expect(failure.type).toBe(new ConfigurationError('x').name);
    expect(failure.nonRetryable).toBe(true);
    expect(failure.message).toContain('expected=1');
  });

  it('plans chunks over the resolved range', async () => {
    const { resolveDay } = createResolveActivities(createFakeWorld().deps);
    const day = await runIn(new MockActivityEnvironment(), resolveDay, { date: '2024-01-02' });
    expect(day.range).toEqual({ start: 1010, end: 1019 });
    expect(day.chunks.map((c) => c.range)).toEqual([
      { start: 1010, end: 1012 },
      { start: 1013, end: 1015 },
      { start: 1016, end: 1018 },
      { start: 1019, end: 1019 },
    ]);
    expect(day.nodeClientVersion).toBe('anvil/v1.7.1');
  });
});
