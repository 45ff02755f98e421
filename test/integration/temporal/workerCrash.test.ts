import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { DeleteObjectCommand, ListObjectsV2Command } from '@aws-sdk/client-s3';
import { defaultPayloadConverter, type Payload } from '@temporalio/common';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { ExportHeartbeat } from '../../../src/activities/types.js';
import { startDay } from '../../../src/cli/temporal/startDay.js';
import { codecConverterFromEnv } from '../../../src/codec/dataConverter.js';
import { lakeFromConfig } from '../../../src/lake/lakeFromConfig.js';
import { dayManifestDir } from '../../../src/lake/objectKey.js';
import { dailyProgressQuery } from '../../../src/workflows/dailyEtl.js';
import { nodeCounts, openTemporalTestStack, warehouseCounts, type TemporalTestStack } from './temporalStack.js';

const stack = inject('stack');
const bin = fileURLToPath(new URL('../../../bin/ledgerflow.js', import.meta.url));
let t: TemporalTestStack;
let worker: ChildProcess | undefined;

/** `ledgerflow worker` as its own process, slowed by an RPC rate cap so a kill lands mid-export. */
function startWorkerProcess(): ChildProcess {
  const child = spawn(process.execPath, [bin, 'worker'], { env: { ...process.env, ...t.env }, stdio: ['ignore', 'ignore', 'pipe'] });
  child.stderr?.resume();
  return child;
}

/** The export's heartbeat as the worker wrote it: decrypted with the stack's codec key, then parsed. */
async function heartbeatOf(payload: Payload): Promise<ExportHeartbeat> {
  let decoded = payload;
  for (const codec of codecConverterFromEnv(t.env).dataConverter.payloadCodecs ?? []) [decoded] = (await codec.decode([decoded])) as [Payload];
  return defaultPayloadConverter.fromPayload<ExportHeartbeat>(decoded);
}

async function stopWorker(signal: NodeJS.Signals): Promise<void> {
  if (!worker || worker.exitCode !== null || worker.signalCode !== null) return;
  const exited = once(worker, 'exit');
  worker.kill(signal);
  await exited;
}

beforeAll(async () => {
  t = await openTemporalTestStack(stack, 'crash', { RPC_BATCH_SIZE: '1', RPC_MAX_RPS: '30', CHUNK_SIZE: '20', LEDGERFLOW_SHUTDOWN_GRACE: '1s' });
  worker = startWorkerProcess();
});
afterAll(async () => {
  await stopWorker('SIGTERM');
  await t?.close();
});

async function unseal(date: string): Promise<void> {
  const { s3, lake } = lakeFromConfig(t.config);
  try {
    const dir = dayManifestDir({ prefix: lake.prefix, chainId: t.chainId, date });
    const listed = await s3.send(new ListObjectsV2Command({ Bucket: lake.bucket, Prefix: `${dir}/` }));
    for (const object of listed.Contents ?? []) await s3.send(new DeleteObjectCommand({ Bucket: lake.bucket, Key: object.Key! }));
  } finally {
    s3.destroy();
  }
}

describe('a worker killed with SIGKILL in the middle of an export', () => {
  it('resumes from the heartbeat on a new worker and seals the same manifest with no duplicate rows', async () => {
    const date = t.days[0]!;
    const options = { date, chainId: t.chainId, exportParallelism: 1, exportHeartbeatTimeout: '5s' };
    const clean = await (await startDay(t.client, options)).result();
    expect(clean.resumedChunks).toBe(0);
    // A run of a sealed day loads it without exporting: unseal the day, so the second run exports
    // again and its manifest can be compared with the clean one.
    await unseal(date);

    const handle = await startDay(t.client, options);
    // Wait until the export attempt has checkpointed at least two finished chunks on the server.
    let checkpointed = 0;
    while (checkpointed < 2) {
      const pending = (await handle.describe()).raw.pendingActivities ?? [];
      const payload = pending.find((a) => a.activityType?.name === 'exportChunks')?.heartbeatDetails?.payloads?.[0];
      checkpointed = payload ? (await heartbeatOf(payload)).done.length : 0;
      if (checkpointed >= 2) break;
      const { stage } = await handle.query(dailyProgressQuery);
      if (stage !== 'resolving' && stage !== 'exporting') throw new Error(`export ended (stage ${stage}) before two checkpoints were seen: slow the worker further`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    await stopWorker('SIGKILL');
    worker = startWorkerProcess();

    const resumed = await handle.result();
    expect(resumed.resumedChunks).toBeGreaterThanOrEqual(2);
    expect(resumed.manifestSha256).toBe(clean.manifestSha256);
    expect(resumed.rows).toEqual(clean.rows);

    const node = await nodeCounts(t.config.rpcUrls[0]!, resumed.range);
    expect(await warehouseCounts(t, resumed.range)).toEqual({
      blocks: node.blocks,
      distinct_blocks: node.blocks,
      transactions: node.transactions,
      distinct_transactions: node.transactions,
      logs: node.logs,
    });
  });
});
