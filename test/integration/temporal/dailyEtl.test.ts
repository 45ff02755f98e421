import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { startDay } from '../../../src/cli/temporal/startDay.js';
import type { RunningWorkers } from '../../../src/workers/main.js';
import { dailyProgressQuery } from '../../../src/workflows/dailyEtl.js';
import { nodeCounts, openTemporalTestStack, startInProcessWorkers, warehouseCounts, type TemporalTestStack } from './temporalStack.js';

const stack = inject('stack');
let t: TemporalTestStack;
let workers: RunningWorkers;

beforeAll(async () => {
  t = await openTemporalTestStack(stack, 'daily');
  workers = await startInProcessWorkers(t);
});
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

    const handle = await startDay(t.client, { date, chainId: t.chainId });
    const second = await handle.result();
    expect(second.manifestSha256).toBe(first.manifestSha256);
    expect(second.rows).toEqual(first.rows);
    expect(second.loaded).toEqual(first.loaded);
    expect(await warehouseCounts(t, first.range)).toEqual(afterFirst);
    expect(await handle.query(dailyProgressQuery)).toMatchObject({ stage: 'done', date, chainId: t.chainId });
  });
});
