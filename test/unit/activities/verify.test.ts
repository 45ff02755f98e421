import { MockActivityEnvironment } from '@temporalio/testing';
import { describe, expect, it } from 'vitest';
import { createResolveActivities } from '../../../src/activities/resolve.js';
import { createSealActivities } from '../../../src/activities/seal.js';
import { createVerifyActivities } from '../../../src/activities/verify.js';
import { createFakeWorld, FAKE_CHAIN_ID, fakeRangeForDate, runIn } from './fakeDeps.js';

const date = '2024-01-04';

async function sealedWorld() {
  const world = createFakeWorld();
  const range = fakeRangeForDate(date);
  const chunks = world.deps.planChunks(FAKE_CHAIN_ID, date, range);
  const results = await Promise.all(chunks.map((chunk) => world.deps.exportChunk({ chunk, entities: world.deps.entities }, { signal: new AbortController().signal, onProgress: () => undefined })));
  const sealed = await runIn(new MockActivityEnvironment(), createSealActivities(world.deps).sealDay, {
    chainId: FAKE_CHAIN_ID,
    date,
    range,
    entities: [...world.deps.entities],
    nodeClientVersion: 'anvil',
    results,
  });
  return { world, sealed };
}

describe('dayStatus (MockActivityEnvironment, fake libraries)', () => {
  it('says sealed but not loaded until the warehouse holds the day', async () => {
    const { world, sealed } = await sealedWorld();
    const { dayStatus } = createVerifyActivities(world.deps);
    expect(await runIn(new MockActivityEnvironment(), dayStatus, { chainId: FAKE_CHAIN_ID, date })).toEqual({
      chainId: FAKE_CHAIN_ID,
      date,
      sealed: true,
      loaded: false,
      manifestKey: sealed.manifestKey,
      manifestSha256: sealed.manifestSha256,
    });
    world.loadedDays.add(date);
    expect(await runIn(new MockActivityEnvironment(), dayStatus, { chainId: FAKE_CHAIN_ID, date })).toMatchObject({ sealed: true, loaded: true });
  });

  it('says neither for a day never sealed', async () => {
    const { dayStatus } = createVerifyActivities(createFakeWorld().deps);
    expect(await runIn(new MockActivityEnvironment(), dayStatus, { chainId: FAKE_CHAIN_ID, date })).toEqual({ chainId: FAKE_CHAIN_ID, date, sealed: false, loaded: false });
  });
});

describe('sealDay (MockActivityEnvironment, fake libraries)', () => {
  it('sums rows per entity from the manifest and names the tables to load', async () => {
    const { sealed } = await sealedWorld();
    expect(sealed.rows).toEqual({ blocks: 10, transactions: 10, logs: 10 });
    expect(sealed.tables).toEqual(['blocks', 'transactions', 'logs']);
    expect(sealed.range).toEqual(fakeRangeForDate(date));
  });

  it('leaves out entities the warehouse has no table for', async () => {
    const world = createFakeWorld();
    const { sealDay } = createSealActivities({ ...world.deps, loadableTables: (entities) => entities.filter((e) => e !== 'logs') });
    const result = await runIn(new MockActivityEnvironment(), sealDay, { chainId: FAKE_CHAIN_ID, date, range: { start: 1, end: 1 }, entities: ['blocks', 'logs'], nodeClientVersion: 'x', results: [] });
    expect(result.tables).toEqual(['blocks']);
  });
});

describe('verifyDayAgainstManifest (MockActivityEnvironment, fake libraries)', () => {
  it('reports the files whose digest differs', async () => {
    const { world } = await sealedWorld();
    const result = await runIn(new MockActivityEnvironment(), createVerifyActivities(world.deps).verifyDayAgainstManifest, { chainId: FAKE_CHAIN_ID, date });
    expect(result.filesChecked).toBe(12);
    expect(result.mismatches.map((m) => m.entity)).toEqual(['logs']);
  });

  it('reports a day without a manifest as one mismatch, not as success', async () => {
    const result = await runIn(new MockActivityEnvironment(), createVerifyActivities(createFakeWorld().deps).verifyDayAgainstManifest, { chainId: FAKE_CHAIN_ID, date });
    expect(result.filesChecked).toBe(0);
    expect(result.mismatches).toHaveLength(1);
    expect(result.mismatches[0]?.reason).toContain('no sealed manifest');
  });
});

describe('resolveDay of a sealed day (MockActivityEnvironment, fake libraries)', () => {
  it("returns the sealed manifest, and plans a superseding export under the next version's keys", async () => {
    const { world, sealed } = await sealedWorld();
    const { resolveDay } = createResolveActivities(world.deps);
    const plain = await runIn(new MockActivityEnvironment(), resolveDay, { date });
    expect(plain.sealed).toMatchObject({ manifestKey: sealed.manifestKey, manifestSha256: sealed.manifestSha256, outcome: 'unchanged' });
    expect(plain.chunks.every((c) => c.objectVersion === undefined)).toBe(true);
    const superseding = await runIn(new MockActivityEnvironment(), resolveDay, { date, supersede: true });
    expect(superseding.chunks.map((c) => c.objectVersion)).toEqual(plain.chunks.map(() => 2));
  });
});
