import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { startDay } from '../../../src/cli/temporal/startDay.js';
import { createMetricsRegistry } from '../../../src/metrics/createMetricsRegistry.js';
import type { RunningWorkers } from '../../../src/workers/main.js';
import { dailyProgressQuery } from '../../../src/workflows/dailyEtl.js';
import { nodeCounts, openTemporalTestStack, startInProcessWorkers, warehouseCounts, type TemporalTestStack } from './temporalStack.js';

const stack = inject('stack');
let t: TemporalTestStack;
let workers: RunningWorkers;
const registry = createMetricsRegistry();

beforeAll(async () => {
  t = await openTemporalTestStack(stack, 'daily');
  workers = await startInProcessWorkers(t, registry);
});

/** Sum of a counter's values for one label value, as a dashboard would read it. */
async function counter(name: string, label: string, value: string): Promise<number> {
  const metric = (await registry.getMetricsAsJSON()).find((m) => m.name === name);
  return (metric?.values ?? []).filter((v) => v.labels[label] === value).reduce((sum, v) => sum + v.value, 0);
}
afterAll(async () => {
  await workers?.shutdown();
  await t?.close();
});

describe('dailyEtl on the local stack', () => {
  it('loads a seeded day with the counts the node reports, and a re-run changes nothing', async () => {
    const date = t.days[1] ?? t.days[0]!;
    const first = await (await startDay(t.client, { date, chainId: t.chainId })).result();
    const node = await nodeCounts(t.config.rpcUrls[0]!, first.range);
    const afterFirst = await warehouseCounts(t, first.range);

    expect(first.blocks).toBe(node.blocks);
    expect(first.rows.transactions).toBe(node.transactions);
    expect(first.rows.logs).toBe(node.logs);
    expect(afterFirst).toEqual({
      blocks: node.blocks,
      distinct_blocks: node.blocks,
      transactions: node.transactions,
      distinct_transactions: node.transactions,
      logs: node.logs,
    });
    expect(first.manifestKey).toContain(`date=${date}`);
    // The worker's pipeline metrics count what the day moved.
    expect(await counter('ledgerflow_blocks_exported_total', 'chain_id', String(t.chainId))).toBe(node.blocks);
    expect(await counter('ledgerflow_rows_exported_total', 'table', 'transactions')).toBe(node.transactions);
    expect(await counter('ledgerflow_rows_loaded_total', 'table', 'logs')).toBe(node.logs);

    const handle = await startDay(t.client, { date, chainId: t.chainId });
    const second = await handle.result();
    expect(second.manifestSha256).toBe(first.manifestSha256);
    expect(second.rows).toEqual(first.rows);
    expect(second.loaded).toEqual(first.loaded);
    expect(await warehouseCounts(t, first.range)).toEqual(afterFirst);
    expect(await handle.query(dailyProgressQuery)).toMatchObject({ stage: 'done', date, chainId: t.chainId });
  });
});
