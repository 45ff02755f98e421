/**
 * Load benchmark: one synthetic day in the lake (gzip CSV on s3rver) loaded into PostgreSQL (a)
 * by loadDay (S3 stream -> sha256 -> gunzip -> COPY into staging -> checks -> delete+insert into
 * the indexed tables) and (b) by `psql \copy ... FROM PROGRAM 'gzip -dc <file>'` of the same
 * files, downloaded beforehand, straight into an identical set of indexed tables. Both run in
 * this process's rounds, alternating which goes first; prints rows/s and the ratio (a)/(b).
 * `--format parquet` makes (a) load the same day written as Parquet objects (decoded into the
 * COPY stream), against the same psql baseline of the gzip CSV files.
 *
 *   npm run bench:load -- [--blocks 2400] [--tx 20] [--rounds 3] [--concurrency <loadDay default>] [--format csv|parquet]
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { promisify } from 'node:util';
import { GetObjectCommand } from '@aws-sdk/client-s3';
import pg from 'pg';
import { createS3Client } from '../../src/lake/createS3Client.js';
import { freePort } from '../../src/stack/freePort.js';
import { S3_BUCKET, S3RVER_CREDENTIALS, s3Endpoint, startS3, stopS3 } from '../../src/stack/s3Server.js';
import { createLogger } from '../../src/log.js';
import { loadDay } from '../../src/warehouse/loadDay.js';
import { migrate } from '../../src/warehouse/migrate.js';
import { TABLE_DEFS, isWarehouseTable } from '../../src/warehouse/tables.js';
import type { WarehouseDeps } from '../../src/warehouse/types.js';
import { startPostgres } from '../../test/support/postgres.js';
import { syntheticDay, writeLakeDay } from '../../test/unit/warehouse/support/syntheticDay.js';

const run = promisify(execFile);

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
}

const blocks = arg('blocks', 2400);
const txPerBlock = arg('tx', 20);
const rounds = arg('rounds', 3);
const concurrencyArg = process.argv.includes('--concurrency') ? arg('concurrency', 0) : undefined;
const date = '2024-03-04';
const formatAt = process.argv.indexOf('--format');
const format = formatAt >= 0 ? process.argv[formatAt + 1] : 'csv';
if (format !== 'csv' && format !== 'parquet') throw new Error(`--format must be csv or parquet, got ${format}`);

const work = await mkdtemp(path.join(tmpdir(), 'ledgerflow-bench-load-'));
const postgres = await startPostgres();
// s3rver in its own process, as the local stack runs it: the loader must not share its event loop.
const s3Record = await startS3({ dir: work, port: await freePort() });
const bucket = S3_BUCKET;
const pool = new pg.Pool({ connectionString: postgres.url, max: 5 });
const s3 = createS3Client({ endpoint: s3Endpoint(s3Record.port), credentials: { ...S3RVER_CREDENTIALS } });
const deps = (schema: string): WarehouseDeps => ({
  pool, s3, lake: { bucket, prefix: 'bench' }, schema, dialect: 'postgres', logger: createLogger('warn'),
});

try {
  const rows = syntheticDay({ date, firstBlock: 1, blocks, txPerBlock, addresses: 5000 });
  const manifest = await writeLakeDay({
    s3, bucket: bucket, prefix: 'bench', chainId: 1, date, range: { start: 1, end: blocks }, rows, chunks: 4,
  });
  // The day the loader reads: the CSV one, or the same rows as Parquet objects under another prefix.
  const loaded =
    format === 'csv'
      ? manifest
      : await writeLakeDay({ s3, bucket, prefix: 'bench-parquet', chainId: 1, date, range: { start: 1, end: blocks }, rows, chunks: 4, format });
  const totalRows = manifest.files.reduce((sum, f) => sum + f.rows, 0);
  const totalBytes = manifest.files.reduce((sum, f) => sum + f.bytes, 0);
  const loadedBytes = loaded.files.reduce((sum, f) => sum + f.bytes, 0);
  const local: Array<{ table: string; file: string }> = [];
  for (const [i, f] of manifest.files.entries()) {
    const body = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: f.key }));
    const file = path.join(work, `${i}.csv.gz`);
    await writeFile(file, await body.Body!.transformToByteArray());
    if (isWarehouseTable(f.entity)) local.push({ table: f.entity, file });
  }
  console.log(`day: ${blocks} blocks, ${totalRows} rows in ${manifest.files.length} files, ${(totalBytes / 2 ** 20).toFixed(1)} MiB gzip CSV${format === 'parquet' ? `, ${(loadedBytes / 2 ** 20).toFixed(1)} MiB Parquet (loaded)` : ''}`);

  const loader = async (schema: string) => {
    await migrate(deps(schema));
    const started = performance.now();
    const result = await loadDay(deps(schema), { manifest: loaded, concurrency: concurrencyArg });
    console.log(`  loadDay phases: staging ${result.stageMs} ms, replace ${result.swapMs} ms`);
    return (performance.now() - started) / 1000;
  };
  const psql = async (schema: string) => {
    await migrate(deps(schema));
    const script = local
      .map(({ table, file }) => {
        const columns = TABLE_DEFS[table as keyof typeof TABLE_DEFS].columns.map((c) => `"${c.name}"`).join(', ');
        return `\\copy ${schema}.${table} (${columns}) FROM PROGRAM 'gzip -dc ${file}' WITH (FORMAT csv, HEADER true)`;
      })
      .join('\n');
    const scriptFile = path.join(work, `${schema}.sql`);
    await writeFile(scriptFile, `${script}\n`);
    const started = performance.now();
    await run('psql', ['-X', '-q', '-v', 'ON_ERROR_STOP=1', '-d', postgres.url, '-f', scriptFile]);
    return (performance.now() - started) / 1000;
  };

  const ratios: number[] = [];
  for (let round = 0; round < rounds; round++) {
    const first = round % 2 === 0;
    const a = first ? await loader(`bench_loader_${round}`) : 0;
    const b = await psql(`bench_psql_${round}`);
    const loaderSeconds = first ? a : await loader(`bench_loader_${round}`);
    const ratio = totalRows / loaderSeconds / (totalRows / b);
    ratios.push(ratio);
    console.log(
      `round ${round + 1}: loadDay ${(totalRows / loaderSeconds).toFixed(0)} rows/s (${loaderSeconds.toFixed(2)} s), ` +
        `psql \\copy ${(totalRows / b).toFixed(0)} rows/s (${b.toFixed(2)} s), ratio ${ratio.toFixed(2)}`,
    );
  }
  const sorted = [...ratios].sort((x, y) => x - y);
  console.log(`median ratio loadDay (${format})/psql: ${sorted[Math.floor(sorted.length / 2)]!.toFixed(2)} (target >= 0.90 for csv)`);
} finally {
  s3.destroy();
  await pool.end();
  await Promise.all([postgres.stop(), stopS3(s3Record)]);
  await rm(work, { recursive: true, force: true });
}
