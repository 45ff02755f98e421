import { PutObjectCommand, S3Client, type GetObjectCommandOutput } from '@aws-sdk/client-s3';
import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createS3Client } from '../../../src/lake/createS3Client.js';
import { canonicalJson } from '../../../src/lake/canonicalJson.js';
import { LakeObjectError } from '../../../src/lake/errors.js';
import { readManifestAt } from '../../../src/lake/readManifestAt.js';
import type { DayManifest } from '../../../src/lake/types.js';
import { loadDay } from '../../../src/warehouse/loadDay.js';
import { ManifestMismatchError } from '../../../src/warehouse/loadErrors.js';
import { migrate } from '../../../src/warehouse/migrate.js';
import { WAREHOUSE_TABLES } from '../../../src/warehouse/tables.js';
import type { WarehouseDeps } from '../../../src/warehouse/types.js';
import { startHarness, type Harness } from './support/harness.js';
import { syntheticDay, writeLakeDay } from './support/syntheticDay.js';

const DATE = '2024-03-04';
const RANGE = { start: 1000, end: 1047 };
const rows = syntheticDay({ date: DATE, firstBlock: RANGE.start, blocks: 48, txPerBlock: 6 });

let harness: Harness;
const days = {} as Record<'csv' | 'parquet', DayManifest>;

async function dump(deps: WarehouseDeps): Promise<Record<string, string[]>> {
  const result: Record<string, string[]> = {};
  for (const table of WAREHOUSE_TABLES) {
    const { rows: found } = await deps.pool.query<{ line: string }>(`SELECT t::text AS line FROM ${deps.schema}.${table} t ORDER BY 1`);
    result[table] = found.map((r) => r.line);
  }
  return result;
}

async function migrated(schema: string, s3?: S3Client): Promise<WarehouseDeps> {
  const deps = { ...harness.deps(schema), ...(s3 ? { s3 } : {}) };
  await migrate(deps);
  return deps;
}

beforeAll(async () => {
  harness = await startHarness();
  const { s3, lake } = harness.deps('unused');
  for (const format of ['csv', 'parquet'] as const) {
    days[format] = await writeLakeDay({ s3, bucket: lake.bucket, prefix: `lake-${format}`, chainId: 31337, date: DATE, range: RANGE, rows, chunks: 3, format });
  }
}, 60_000);

afterAll(async () => {
  await harness?.stop();
});

describe('loadDay of a Parquet lake day on PostgreSQL', () => {
  it('gives every table exactly as the CSV day of the same rows does (uint256 max, quoted commas, lists, NULLs)', async () => {
    expect(days.parquet.files.every((f) => f.key.endsWith('.parquet'))).toBe(true);
    const csv = await migrated('wh_pq_csv');
    const parquet = await migrated('wh_pq_parquet');
    const fromCsv = await loadDay(csv, { manifest: days.csv });
    const fromParquet = await loadDay(parquet, { manifest: days.parquet });
    expect(fromParquet.tables).toEqual(fromCsv.tables);
    const expected = await dump(csv);
    for (const table of ['blocks', 'transactions', 'logs', 'token_transfers'] as const) expect(expected[table]?.length, table).toBeGreaterThan(0);
    expect(await dump(parquet)).toEqual(expected);
  });

  it('reads an object again when a read comes back cut short, and loads the day', async () => {
    const victim = days.parquet.files.find((f) => f.entity === 'transactions' && f.rows > 0)!;
    let cut = 0;
    const s3 = cutFirstReadOf(victim.key, () => cut++);
    const deps = await migrated('wh_pq_cut', s3);
    try {
      await loadDay(deps, { manifest: days.parquet });
      expect(cut).toBe(1);
      expect(await dump(deps)).toEqual(await dump(harness.deps('wh_pq_csv')));
    } finally {
      s3.destroy();
    }
  });

  it('refuses an object that is not Parquet even when the manifest vouches for its bytes, and changes nothing', async () => {
    const deps = await migrated('wh_pq_bad');
    await loadDay(deps, { manifest: days.parquet });
    const before = await dump(deps);
    const garbage = Buffer.from('PAR1 this is not a parquet file PAR1');
    const key = 'lake-bad/chain=31337/entity=transactions/date=2024-03-04/transactions-0000001000-0000001015.parquet';
    await deps.s3.send(new PutObjectCommand({ Bucket: deps.lake.bucket, Key: key, Body: garbage }));
    const victim = days.parquet.files.find((f) => f.entity === 'transactions')!;
    const manifest: DayManifest = {
      ...days.parquet,
      files: days.parquet.files.map((f) => (f === victim ? { ...f, key, bytes: garbage.length, sha256: createHash('sha256').update(garbage).digest('hex') } : f)),
    };
    const error = await loadDay(deps, { manifest }).then(() => undefined, (e: unknown) => e);
    expect(error).toBeInstanceOf(ManifestMismatchError);
    expect((error as ManifestMismatchError).check).toBe('format');
    expect((error as Error).message).toContain(key);
    expect(await dump(deps)).toEqual(before);
  });
});

describe('loadDay when a read of a gzip CSV object is cut short', () => {
  it('fails retryably, changing nothing, since the stored object still matches its manifest; the retry loads the day', async () => {
    const victim = days.csv.files.find((f) => f.entity === 'transactions' && f.rows > 0)!;
    let cut = 0;
    const s3 = cutFirstReadOf(victim.key, () => cut++);
    const deps = await migrated('wh_csv_cut', s3);
    try {
      const error = await loadDay(deps, { manifest: days.csv }).then(() => undefined, (e: unknown) => e);
      expect(cut).toBe(1);
      expect(error).toBeInstanceOf(LakeObjectError);
      expect((error as LakeObjectError).retryable).toBe(true);
      expect((error as Error).message).toContain(victim.key);
      expect((error as Error).message).toContain('cut short or garbled');
      expect((await dump(deps)).transactions).toEqual([]);
      await loadDay(deps, { manifest: days.csv });
      expect(await dump(deps)).toEqual(await dump(harness.deps('wh_pq_csv')));
    } finally {
      s3.destroy();
    }
  });

  it('still refuses for good an object whose stored bytes differ from the manifest', async () => {
    const deps = await migrated('wh_csv_sha');
    const victim = days.csv.files.find((f) => f.entity === 'transactions')!;
    const manifest = { ...days.csv, files: days.csv.files.map((f) => (f === victim ? { ...f, sha256: 'ab'.repeat(32) } : f)) };
    const error = await loadDay(deps, { manifest }).then(() => undefined, (e: unknown) => e);
    expect(error).toBeInstanceOf(ManifestMismatchError);
    expect((error as ManifestMismatchError).retryable).toBe(false);
  });
});

describe('reading a day manifest cut short', () => {
  it('reads it again instead of calling the sealed manifest broken', async () => {
    const key = 'lake-csv/chain=31337/manifests/date=2024-03-04/manifest.json';
    const bytes = Buffer.from(canonicalJson(days.csv));
    const { lake } = harness.deps('unused');
    await harness.deps('unused').s3.send(new PutObjectCommand({ Bucket: lake.bucket, Key: key, Body: bytes }));
    let cut = 0;
    const s3 = cutFirstReadOf(key, () => cut++);
    try {
      const stored = await readManifestAt({ s3, lake: { bucket: lake.bucket, prefix: 'lake-csv' } }, key);
      expect(cut).toBe(1);
      expect(stored.sha256).toBe(createHash('sha256').update(bytes).digest('hex'));
      expect(stored.manifest.files).toHaveLength(days.csv.files.length);
    } finally {
      s3.destroy();
    }
  });
});

/** A real S3 client on the harness's s3rver whose first read of `key` delivers only half the bytes. */
function cutFirstReadOf(key: string, onCut: () => void): S3Client {
  const { s3rver } = harness;
  const s3 = createS3Client({ endpoint: s3rver.endpoint, credentials: s3rver.credentials });
  let done = false;
  s3.middlewareStack.add(
    (next, context) => async (args) => {
      const result = await next(args);
      const input = args.input as { Key?: string };
      if (context.commandName !== 'GetObjectCommand' || input.Key !== key || done) return result;
      done = true;
      onCut();
      const output = result.output as GetObjectCommandOutput;
      const bytes = Buffer.from(await output.Body!.transformToByteArray());
      const half = bytes.subarray(0, bytes.length >> 1);
      // A stream, with the SDK's helper that reads it whole, as the SDK hands bodies over.
      const body = Object.assign(Readable.from([half]), { transformToByteArray: () => Promise.resolve(new Uint8Array(half)) });
      return { ...result, output: { ...output, Body: body } };
    },
    { step: 'initialize', name: 'cutFirstRead' },
  );
  return s3;
}
