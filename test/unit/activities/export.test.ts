import { MockActivityEnvironment } from '@temporalio/testing';
import { describe, expect, it } from 'vitest';
import { createExportActivities } from '../../../src/activities/export.js';
import type { ExportHeartbeat } from '../../../src/activities/types.js';
import { createFakeWorld, FAKE_CHAIN_ID, fakeRangeForDate, runIn } from './fakeDeps.js';

const date = '2024-01-03';

function plan() {
  const world = createFakeWorld();
  const chunks = world.deps.planChunks(FAKE_CHAIN_ID, date, fakeRangeForDate(date));
  return { world, chunks, input: { chainId: FAKE_CHAIN_ID, date, chunks, entities: world.deps.entities.slice() } };
}

describe('exportChunks (MockActivityEnvironment, fake libraries)', () => {
  it('heartbeats every finished chunk so a retry can skip it', async () => {
    const { world, chunks, input } = plan();
    const env = new MockActivityEnvironment();
    const beats: ExportHeartbeat[] = [];
    env.on('heartbeat', (d: ExportHeartbeat) => beats.push(d));
    const { results, resumed } = await runIn(env, createExportActivities(world.deps).exportChunks, input);

    expect(resumed).toBe(0);
    expect(results.map((r) => r.chunk.index)).toEqual(chunks.map((c) => c.index));
    expect(beats.at(-1)?.done.map((r) => r.chunk.index)).toEqual(chunks.map((c) => c.index));
    expect(beats.some((b) => b.current?.lastBlock === chunks[0]?.range.end)).toBe(true);
  });

  it('resumes from heartbeat details: finished chunks are not exported again', async () => {
    const first = plan();
    const firstRun = await runIn(new MockActivityEnvironment(), createExportActivities(first.world.deps).exportChunks, first.input);
    const doneBefore = firstRun.results.slice(0, 2);

    const { world, chunks, input } = plan();
    const env = new MockActivityEnvironment({ attempt: 2, heartbeatDetails: { done: doneBefore } satisfies ExportHeartbeat });
    const { results, resumed } = await runIn(env, createExportActivities(world.deps).exportChunks, input);

    expect(resumed).toBe(2);
    expect(world.calls.exportChunk).toEqual(chunks.slice(2).map((c) => c.range.start));
    expect(results).toEqual(firstRun.results);
  });

  it('ignores heartbeat details of chunks outside its group', async () => {
    const { world, chunks, input } = plan();
    const stranger = { ...chunks[0]!, index: 99 };
    const foreign = (await runIn(new MockActivityEnvironment(), createExportActivities(createFakeWorld().deps).exportChunks, { ...input, chunks: [stranger] })).results;
    const env = new MockActivityEnvironment({ heartbeatDetails: { done: foreign } });
    const { resumed } = await runIn(env, createExportActivities(world.deps).exportChunks, input);
    expect(resumed).toBe(0);
    expect(world.calls.exportChunk).toHaveLength(chunks.length);
  });

  it('passes cancellation down to the exporter', async () => {
    const { world, input } = plan();
    const env = new MockActivityEnvironment();
    let seen: AbortSignal | undefined;
    world.hooks.beforeExportChunk = () =>
      new Promise<void>((resolve) => {
        env.cancel();
        setTimeout(resolve, 20);
      });
    const exporter = createExportActivities({
      ...world.deps,
      exportChunk: (args, options) => {
        seen = options.signal;
        return world.deps.exportChunk(args, options);
      },
    });
    await expect(runIn(env, exporter.exportChunks, input)).rejects.toThrow();
    expect(seen?.aborted).toBe(true);
  });
});
