import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dayManifestKey } from '../../../src/lake/objectKey.js';
import { MIGRATIONS } from '../../../src/warehouse/migrations.js';
import { startHarness, type Harness } from './support/harness.js';
import { syntheticDay, writeLakeDay } from './support/syntheticDay.js';

const run = promisify(execFile);
const DATE = '2024-05-06';
const LATEST = MIGRATIONS.at(-1)?.version;

let harness: Harness;
let env: NodeJS.ProcessEnv;

async function cli(...args: string[]): Promise<{ stdout: string; stderr: string; code: number }> {
  try {
    const { stdout, stderr } = await run('node', ['bin/ledgerflow.js', 'warehouse', ...args], { env, timeout: 60_000 });
    return { stdout, stderr, code: 0 };
  } catch (error) {
    const e = error as { stdout: string; stderr: string; code: number };
    return { stdout: e.stdout, stderr: e.stderr, code: e.code };
  }
}

beforeAll(async () => {
  harness = await startHarness();
  const deps = harness.deps('wh_cli');
  const rows = syntheticDay({ date: DATE, firstBlock: 700, blocks: 12, txPerBlock: 3 });
  const manifest = await writeLakeDay({ s3: deps.s3, bucket: deps.lake.bucket, prefix: deps.lake.prefix, chainId: 31337, date: DATE, range: { start: 700, end: 711 }, rows });
  await deps.s3.send(new PutObjectCommand({
    Bucket: deps.lake.bucket,
    Key: dayManifestKey({ prefix: deps.lake.prefix, chainId: 31337, date: DATE }),
    Body: JSON.stringify(manifest),
  }));
  env = {
    PATH: process.env.PATH,
    DATABASE_URL: harness.postgres.url,
    S3_ENDPOINT: harness.s3rver.endpoint,
    S3_BUCKET: harness.s3rver.bucket,
    S3_PREFIX: deps.lake.prefix,
    AWS_ACCESS_KEY_ID: harness.s3rver.credentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: harness.s3rver.credentials.secretAccessKey,
    WAREHOUSE_SCHEMA: 'wh_cli',
    CHAIN_ID: '31337',
    LOG_LEVEL: 'silent',
  };
}, 60_000);

afterAll(async () => {
  await harness?.stop();
});

describe('ledgerflow warehouse', () => {
  it('migrates, loads a sealed day and updates its models', async () => {
    expect((await cli('migrate')).stdout).toBe(`schema wh_cli at version ${LATEST} (${MIGRATIONS.length} migration(s) applied)\n`);
    expect((await cli('migrate')).stdout).toBe(`schema wh_cli at version ${LATEST} (0 migration(s) applied)\n`);
    const load = await cli('load', '--date', DATE);
    expect(load.code).toBe(0);
    expect(load.stdout).toContain('blocks\t12\n');
    expect(load.stdout).toContain('transactions\t36\n');
    const models = await cli('models', '--date', DATE);
    expect(models.stdout).toMatch(/^chain_activity\t\d+\t\d+ ms$/m);
    expect((await cli('models', '--refresh')).code).toBe(0);
  }, 120_000);

  it('says which day is not sealed and how to fix it', async () => {
    const result = await cli('load', '--date', '2024-05-07');
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('Day 2024-05-07 of chain 31337 is not sealed');
    expect(result.stderr).toContain('ledgerflow lake export-day --date 2024-05-07');
  }, 60_000);

  it('refuses models without --date or --refresh', async () => {
    const result = await cli('models');
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('Pass exactly one of --date and --refresh');
  }, 60_000);
});
