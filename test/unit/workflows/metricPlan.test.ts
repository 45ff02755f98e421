import { describe, expect, it } from 'vitest';
import type { PlannedMetric } from '../../../src/activities/types.js';
import { rootMessage, runMetricPlan } from '../../../src/workflows/metricPlan.js';

/** A runner whose metrics finish when the test says so, recording the order they started in. */
function controlledRunner(failing: readonly string[] = []) {
  const startedOrder: string[] = [];
  const finish = new Map<string, () => void>();
  const run = (metric: string) => {
    startedOrder.push(metric);
    return new Promise<{ model: string; rows: number; ms: number }>((resolve, reject) => {
      finish.set(metric, () => (failing.includes(metric) ? reject(new Error('child failed', { cause: new Error(`${metric}: relation "nope" does not exist`) })) : resolve({ model: metric, rows: metric.length, ms: 5 })));
    });
  };
  // Lets every pending continuation run: starts wait on their dependencies through a few promise hops.
  const flush = async () => {
    for (let i = 0; i < 20; i += 1) await Promise.resolve();
  };
  const settle = async (metric: string) => {
    await flush();
    const done = finish.get(metric);
    if (!done) throw new Error(`${metric} has not started`);
    done();
    await flush();
  };
  return { run, settle, flush, startedOrder };
}

const plan: PlannedMetric[] = [
  { name: 'base', depends: [] },
  { name: 'other', depends: [] },
  { name: 'derived', depends: ['base'] },
  { name: 'twice_derived', depends: ['derived', 'other'] },
];

describe('runMetricPlan', () => {
  it('starts independent metrics at once and each dependant only when its dependencies completed', async () => {
    const r = controlledRunner();
    const outcomes = runMetricPlan(plan, r.run);
    await r.flush();
    expect(r.startedOrder).toEqual(['base', 'other']);
    await r.settle('base');
    expect(r.startedOrder).toEqual(['base', 'other', 'derived']);
    await r.settle('derived');
    // twice_derived still waits for other.
    expect(r.startedOrder).toEqual(['base', 'other', 'derived']);
    await r.settle('other');
    expect(r.startedOrder).toEqual(['base', 'other', 'derived', 'twice_derived']);
    await r.settle('twice_derived');
    expect(await outcomes).toEqual([
      { name: 'base', status: 'completed', rows: 4, ms: 5 },
      { name: 'other', status: 'completed', rows: 5, ms: 5 },
      { name: 'derived', status: 'completed', rows: 7, ms: 5 },
      { name: 'twice_derived', status: 'completed', rows: 13, ms: 5 },
    ]);
  });

  it('a failed metric is its own outcome: its dependants are skipped unstarted, unrelated metrics complete', async () => {
    const r = controlledRunner(['base']);
    const outcomes = runMetricPlan(plan, r.run);
    await r.settle('base');
    await r.settle('other');
    expect(await outcomes).toEqual([
      { name: 'base', status: 'failed', error: 'base: relation "nope" does not exist' },
      { name: 'other', status: 'completed', rows: 5, ms: 5 },
      { name: 'derived', status: 'skipped', error: 'dependency base failed' },
      { name: 'twice_derived', status: 'skipped', error: 'dependency derived skipped' },
    ]);
    expect(r.startedOrder).toEqual(['base', 'other']);
  });

  it('waits for a dependency listed after its dependant, and skips a cycle instead of waiting forever', async () => {
    const r = controlledRunner();
    const outcomes = runMetricPlan(
      [
        { name: 'late', depends: ['early'] },
        { name: 'early', depends: [] },
        { name: 'a', depends: ['b'] },
        { name: 'b', depends: ['a'] },
      ],
      r.run,
    );
    await r.settle('early');
    await r.settle('late');
    const result = await outcomes;
    expect(result.map((o) => [o.name, o.status])).toEqual([
      ['late', 'completed'],
      ['early', 'completed'],
      ['a', 'skipped'],
      ['b', 'skipped'],
    ]);
    expect(r.startedOrder).toEqual(['early', 'late']);
  });

  it('rethrows what the caller says must end the run (the day being cancelled)', async () => {
    const cancelled = new Error('cancelled');
    const outcome = runMetricPlan([{ name: 'base', depends: [] }], () => Promise.reject(cancelled), { rethrow: (e) => e === cancelled });
    await expect(outcome).rejects.toBe(cancelled);
  });

  it('an empty plan has no outcomes', async () => {
    expect(await runMetricPlan([], () => Promise.reject(new Error('never')))).toEqual([]);
  });
});

describe('rootMessage', () => {
  it('names the innermost cause of a failure chain', () => {
    expect(rootMessage(new Error('child', { cause: new Error('activity', { cause: new Error('the SQL failed') }) }))).toBe('the SQL failed');
    expect(rootMessage('plain')).toBe('plain');
    const wrapped = new Error('child', { cause: new Error('activity', { cause: new TypeError('broken.sql:3: the SQL failed', { cause: new Error('relation x does not exist') }) }) });
    expect(rootMessage(wrapped, (e) => !(e instanceof TypeError))).toBe('broken.sql:3: the SQL failed');
  });
});
