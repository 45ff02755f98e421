import { GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import type { Pool } from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DayManifest } from '../../../src/lake/types.js';
import { loadDay } from '../../../src/warehouse/loadDay.js';
import { ManifestMismatchError } from '../../../src/warehouse/loadErrors.js';
import type { WarehouseDeps } from '../../../src/warehouse/types.js';
import { startHarness, type Harness } from './support/harness.js';
import { syntheticDay, writeLakeDay } from './support/syntheticDay.js';

const DATE = '2024-03-05';
const RANGE = { start: 2000, end: 2011 };

let harness: Harness;
let manifest: DayManifest;

beforeAll(async () => {
  harness = await startHarness();
  const deps = harness.deps('wh_rs');
  manifest = await writeLakeDay({
    s3: deps.s3, bucket: deps.lake.bucket, prefix: deps.lake.prefix, chainId: 31337, date: DATE, range: RANGE,
    rows: syntheticDay({ date: DATE, firstBlock: RANGE.start, blocks: 12, txPerBlock: 2 }), chunks: 2,
  });
}, 60_000);

afterAll(async () => {
  await harness?.stop();
});

/**
 * A Redshift stand-in that records every statement and answers the staging check with the
 * manifest's counts; the lake objects are real (s3rver). No Redshift runs here.
 */
function redshiftStandIn(rows: number) {
  const statements: string[] = [];
  const client = {
    async query(sql: string) {
      statements.push(sql);
      if (sql.startsWith('SELECT COUNT(*) AS rows')) return { rows: [{ rows: String(rows), outside: '0' }], rowCount: 1 };
      return { rows: [], rowCount: rows };
    },
    on() {},
    off() {},
    removeListener() {},
    release() {},
  };
  const base = harness.deps('wh_rs');
  const deps: WarehouseDeps = {
    ...base,
    // The stand-in implements what a single-table load uses: connect, query, release and error listeners.
    pool: { connect: async () => client, options: {} } as unknown as Pool,
    dialect: 'redshift',
    iamRole: 'arn:aws:iam::123456789012:role/copy',
  };
  return { deps, statements };
}

const blockRows = () => manifest.files.filter((f) => f.entity === 'blocks').reduce((sum, f) => sum + f.rows, 0);

describe('loadDay on Redshift (stand-in that records SQL: no Redshift here)', () => {
  it('stages under names of its own per attempt and swaps under a LOCK on loaded_days, recording the manifest', async () => {
    const first = redshiftStandIn(blockRows());
    const second = redshiftStandIn(blockRows());
    await loadDay(first.deps, { manifest, tables: ['blocks'], manifestKey: 'lake/manifest.json', manifestSha256: 'a'.repeat(64) });
    await loadDay(second.deps, { manifest, tables: ['blocks'], manifestKey: 'lake/manifest.json', manifestSha256: 'a'.repeat(64) });
    const stageOf = (statements: string[]) => /CREATE TABLE (\S+) \(LIKE/.exec(statements.find((s) => s.startsWith('CREATE TABLE')) ?? '')?.[1];
    expect(stageOf(first.statements)).toMatch(/^wh_rs\.stg_blocks_20240305_[0-9a-f]{8}$/);
    expect(stageOf(second.statements)).not.toBe(stageOf(first.statements));

    const begin = first.statements.indexOf('BEGIN');
    expect(first.statements[begin + 1]).toBe('LOCK wh_rs.loaded_days');
    const commit = first.statements.indexOf('COMMIT');
    const deleteAt = first.statements.findIndex((s) => s.startsWith('DELETE FROM wh_rs.blocks'));
    expect(deleteAt).toBeGreaterThan(begin + 1);
    expect(deleteAt).toBeLessThan(commit);
    expect(first.statements.find((s) => s.startsWith('INSERT INTO wh_rs.loaded_days'))).toContain('manifest_sha256');
  });

  it('hashes every object before COPY and refuses one replaced since sealing, without running COPY', async () => {
    const file = manifest.files.find((f) => f.entity === 'blocks')!;
    const s3 = harness.deps('wh_rs').s3;
    const bucket = harness.deps('wh_rs').lake.bucket;
    const original = Buffer.from((await (await s3.send(new GetObjectCommand({ Bucket: bucket, Key: file.key }))).Body?.transformToByteArray()) ?? []);
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: file.key, Body: Buffer.concat([original, Buffer.from([0])]) }));
    try {
      const { deps, statements } = redshiftStandIn(blockRows());
      const error = await loadDay(deps, { manifest, tables: ['blocks'] }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ManifestMismatchError);
      expect((error as Error).message).toContain(file.key);
      expect(statements.some((s) => s.startsWith('COPY'))).toBe(false);
      expect(statements.some((s) => s.startsWith('INSERT INTO wh_rs.blocks'))).toBe(false);
    } finally {
      await s3.send(new PutObjectCommand({ Bucket: bucket, Key: file.key, Body: original }));
    }
  });

  it('loads a Parquet day with FORMAT AS PARQUET into a stage shaped like the file, and refuses a table whose objects mix formats', async () => {
    const base = harness.deps('wh_rs');
    const parquetDay = await writeLakeDay({
      s3: base.s3, bucket: base.lake.bucket, prefix: 'lake-parquet', chainId: 31337, date: DATE, range: RANGE,
      rows: syntheticDay({ date: DATE, firstBlock: RANGE.start, blocks: 12, txPerBlock: 2 }), chunks: 2, format: 'parquet',
    });
    const logRows = parquetDay.files.filter((f) => f.entity === 'logs').reduce((sum, f) => sum + f.rows, 0);
    const { deps, statements } = redshiftStandIn(logRows);
    await loadDay(deps, { manifest: parquetDay, tables: ['logs'] });
    expect(statements.find((s) => s.startsWith('CREATE TABLE'))).toContain('"topics" SUPER');
    expect(statements.find((s) => s.startsWith('COPY'))).toContain('MANIFEST FORMAT AS PARQUET');
    expect(statements.find((s) => s.startsWith('INSERT INTO wh_rs.logs'))).toContain('JSON_SERIALIZE("topics")');

    const mixed: DayManifest = { ...parquetDay, files: [...parquetDay.files.filter((f) => f.entity !== 'logs' || f.range.start === RANGE.start), ...manifest.files.filter((f) => f.entity === 'logs' && f.range.start !== RANGE.start)] };
    const refused = redshiftStandIn(logRows);
    const error = await loadDay(refused.deps, { manifest: mixed, tables: ['logs'] }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ManifestMismatchError);
    expect((error as ManifestMismatchError).check).toBe('format');
    expect(refused.statements.some((s) => s.startsWith('COPY'))).toBe(false);
  });
});
