import { randomBytes } from 'node:crypto';
import pLimit from 'p-limit';
import pg, { type ClientBase, type PoolClient } from 'pg';
import type { BlockRange } from '../chain/types.js';
import { ConfigurationError, InvalidInputError } from '../errors/LedgerflowError.js';
import { checkLakeObjects } from '../lake/checkLakeObjects.js';
import { LakeObjectError } from '../lake/errors.js';
import type { LakeFormatName } from '../lake/format/types.js';
import { copyManifestKey, formatOfKey, manifestVersionOfKey, s3Url } from '../lake/objectKey.js';
import type { DayManifest, LakeFile } from '../lake/types.js';
import { col } from './columnType.js';
import { copyLakeFile } from './copyLakeFile.js';
import { ManifestMismatchError } from './loadErrors.js';
import { loadedDaysTable } from './migrations.js';
import { redshiftLoadSql } from './redshiftLoadSql.js';
import { qualified } from './sqlIdentifier.js';
import { stagingTableName } from './stagingTableName.js';
import { isWarehouseTable, TABLE_DEFS, type TableDef, type WarehouseTableName } from './tables.js';
import type { WarehouseDeps } from './types.js';
import { watchConnectionErrors } from './watchConnectionErrors.js';

export interface LoadDayInput {
  manifest: DayManifest;
  /** Where the manifest is stored and the sha256 of its exact bytes: recorded in loaded_days. */
  manifestKey?: string;
  manifestSha256?: string;
  /** Redshift COPY manifest per entity of this manifest version (the seal's result); derived from manifestKey otherwise. */
  copyManifestKeys?: Record<string, string>;
  /** Called as each table is staged and checked, so a caller can report progress. */
  onTableStaged?: (table: LoadTableResult) => void;
  /** Defaults to every warehouse table among the manifest's entities. */
  tables?: readonly WarehouseTableName[];
  /** Tables staged at once, each on its own connection (opened for the load, besides one pooled connection); PostgreSQL 2, Redshift 3. */
  concurrency?: number;
}

/**
 * PostgreSQL: two COPYs at once. The replacing transaction (one connection, one table after
 * another) is the longest path of a load; on the 2-core machines we measure on, a third staging
 * COPY only takes CPU from it (bench:load medians 0.93-1.09 with 2 against 0.89-0.98 with 3).
 * Redshift COPYs run on the cluster, where three at a time still pay.
 */
const DEFAULT_STAGING_CONCURRENCY = { postgres: 2, redshift: 3 } as const;

export interface LoadTableResult {
  table: WarehouseTableName;
  rows: number;
  files: number;
}

export interface LoadDayResult {
  chainId: number;
  date: string;
  range: BlockRange;
  tables: LoadTableResult[];
  ms: number;
  /** Of `ms`: until the last table was staged and checked, then the rest of the replacing transaction. */
  stageMs: number;
  swapMs: number;
}

/**
 * Loads one sealed day: every table is first staged and checked against the manifest (digest,
 * size and row count per file, all rows inside the day's block range), then one transaction
 * replaces the day's block range in every target table. A re-run replaces rather than
 * duplicates, rows that vanished from a re-export vanish here too, and any failure before the
 * commit leaves every target table as it was.
 */
export async function loadDay(deps: WarehouseDeps, input: LoadDayInput): Promise<LoadDayResult> {
  const started = performance.now();
  const { manifest } = input;
  const tables = pickTables(manifest, input.tables);
  const client = await deps.pool.connect();
  const unwatch = watchConnectionErrors(client, deps.logger, { date: manifest.date });
  const stages: string[] = [];
  let failed = false;
  try {
    // Two loads of one day would interleave their swaps; Temporal's workflow ids prevent it, this lock makes sure.
    // Redshift has no advisory locks: there the replacing transaction locks loaded_days (below).
    if (deps.dialect === 'postgres') await client.query('SELECT pg_advisory_lock(hashtext($1))', [lockName(deps, manifest)]);
    const concurrency = Math.max(1, input.concurrency ?? DEFAULT_STAGING_CONCURRENCY[deps.dialect]);
    // Largest first: the replacing transaction then ends on a small table, not waiting on a big one.
    const bySize = [...tables].sort((a, b) => bytesOf(manifest, b) - bytesOf(manifest, a));
    const staging = startStaging(deps, client, input, bySize, stages, concurrency);
    // The replacing transaction starts at once and takes each table as soon as it is staged, so
    // index maintenance on the targets overlaps the COPYs of the tables still staging.
    const staged: StagedTable[] = [];
    await client.query('BEGIN');
    try {
      // Redshift: every load of the schema swaps in turn (LOCK holds to the end of the transaction),
      // so two loads of one day can never interleave their DELETE and INSERT.
      if (deps.dialect === 'redshift') await client.query(`LOCK ${loadedDaysTable(deps.schema)}`);
      for (const pending of inCompletionOrder(staging)) {
        const table = await pending;
        staged.push(table);
        const { def, stage } = table;
        const target = qualified(deps.schema, def.name);
        const columns = def.columns.map((c) => col(c.name)).join(', ');
        const block = col(def.blockColumn);
        const range = [manifest.range.start, manifest.range.end];
        await client.query(`DELETE FROM ${target} WHERE ${block} BETWEEN $1 AND $2`, range);
        // The range check rides on the INSERT's own scan of the staging table: a row outside the
        // range (or with no block) is left behind, the counts differ, and the transaction rolls
        // back. One scan per table instead of two; the failure path pays for the details.
        const inserted = await client.query(`INSERT INTO ${target} (${columns}) SELECT ${table.select ?? columns} FROM ${stage} WHERE ${block} BETWEEN $1 AND $2`, range);
        if (deps.dialect === 'postgres' && inserted.rowCount !== table.result.rows) {
          await throwOutsideRange(client, manifest, def, stage);
        }
      }
      await recordLoadedDay(client, deps.schema, manifest, { key: input.manifestKey ?? null, sha256: input.manifestSha256 ?? null });
      await client.query('COMMIT');
    } catch (error) {
      await client.query('ROLLBACK');
      // No COPY may still run when the staging tables are dropped.
      await Promise.allSettled(staging);
      throw error;
    }
    const stagedAt = Math.max(...staged.map((t) => t.finishedAt));
    const result: LoadDayResult = {
      chainId: manifest.chainId,
      date: manifest.date,
      range: manifest.range,
      tables: tables.map((t) => staged.find((s) => s.result.table === t)?.result ?? { table: t, rows: 0, files: 0 }),
      ms: Math.round(performance.now() - started),
      stageMs: Math.round(stagedAt - started),
      swapMs: Math.round(performance.now() - stagedAt),
    };
    deps.logger.info({ chain_id: manifest.chainId, date: manifest.date, tables: result.tables, ms: result.ms }, 'day loaded');
    return result;
  } catch (error) {
    failed = true;
    throw error;
  } finally {
    await cleanUp(deps, client, manifest, stages, failed);
    unwatch();
  }
}

interface StagedTable {
  def: TableDef;
  stage: string;
  /** What the replacing INSERT selects from the stage, when not its columns as they are (a Parquet stage on Redshift). */
  select?: string;
  result: LoadTableResult;
  finishedAt: number;
}

/**
 * Stages tables side by side, each on its own connection, so one table's S3 reads and gunzip
 * overlap another's COPY. One promise per table, in table order. The connections are opened for
 * the load, outside the pool: loads waiting on another's day lock hold pooled connections, and
 * staging must never wait for those. A single Redshift table stages on the load's own connection.
 */
function startStaging(
  deps: WarehouseDeps,
  main: PoolClient,
  input: LoadDayInput,
  tables: readonly WarehouseTableName[],
  stages: string[],
  concurrency: number,
): Array<Promise<StagedTable>> {
  const { manifest } = input;
  const limit = pLimit(concurrency);
  // PostgreSQL: the day's advisory lock makes the names safe to share, and a crashed attempt's
  // leftovers are dropped by the next. Redshift: no such lock while staging, so every attempt
  // stages under names of its own.
  const attempt = deps.dialect === 'redshift' ? randomBytes(4).toString('hex') : undefined;
  const promises = tables.map((table) => {
    const def = TABLE_DEFS[table];
    const files = filesOf(manifest, table);
    const stage = qualified(deps.schema, stagingTableName(table, manifest.date, attempt));
    stages.push(stage);
    return limit(async () => {
      // PostgreSQL always stages on its own connection: staging runs in its own transaction
      // (for COPY FREEZE), which must not nest in the replacing one.
      const own = tables.length > 1 || deps.dialect === 'postgres' ? new pg.Client(deps.pool.options) : undefined;
      const client = own ?? main;
      const unwatch = own ? watchConnectionErrors(own, deps.logger, { date: manifest.date, table }) : undefined;
      try {
        await own?.connect();
        const staged: { rows: number; select?: string } =
          deps.dialect === 'postgres'
            ? { rows: await stagePostgres(deps, client, manifest, def, stage, files) }
            : await stageRedshift(deps, client, input, def, files, attempt);
        const result = { table, rows: staged.rows, files: files.length };
        input.onTableStaged?.(result);
        return { def, stage, result, finishedAt: performance.now(), ...(staged.select ? { select: staged.select } : {}) };
      } finally {
        await own?.end().catch(() => undefined);
        unwatch?.();
      }
    });
  });
  // Failures surface when the replacing transaction reaches their table; until then, observed.
  for (const promise of promises) promise.catch(() => undefined);
  return promises;
}

async function stagePostgres(
  deps: WarehouseDeps,
  client: ClientBase,
  manifest: DayManifest,
  def: TableDef,
  stage: string,
  files: LakeFile[],
): Promise<number> {
  // UNLOGGED and index-free: staging is scratch space, rebuilt on every attempt. Created in the
  // transaction that COPYs into it, so COPY may write the rows FREEZE-d and all-visible: the
  // INSERT that later reads them neither checks commit status nor sets hint bits (which would
  // dirty every page a second time). The commit of scratch rows need not wait for the WAL flush.
  // One round trip for all of it.
  await client.query(
    `BEGIN; SET LOCAL synchronous_commit = off; DROP TABLE IF EXISTS ${stage}; ` +
      `CREATE UNLOGGED TABLE ${stage} (LIKE ${qualified(deps.schema, def.name)} INCLUDING DEFAULTS)`,
  );
  try {
    const rows = await copyFiles(deps, client, manifest, def, stage, files);
    await client.query('COMMIT');
    return rows;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  }
}

async function copyFiles(
  deps: WarehouseDeps,
  client: ClientBase,
  manifest: DayManifest,
  def: TableDef,
  stage: string,
  files: LakeFile[],
): Promise<number> {
  let rows = 0;
  for (const file of files) {
    const mismatch = (check: 'format' | 'sha256' | 'bytes' | 'rows', expected: string | number, actual: string | number) =>
      new ManifestMismatchError({ check, table: def.name, key: file.key, date: manifest.date, expected, actual });
    const refused = (error: unknown) => refuseUnlessCutShort(deps, manifest, file, error);
    const copied = await copyLakeFile({
      s3: deps.s3,
      client,
      bucket: deps.lake.bucket,
      key: file.key,
      entity: file.entity,
      expected: { sha256: file.sha256, bytes: file.bytes },
      target: stage,
      table: def.name,
      date: manifest.date,
      columns: def.columns.map((c) => c.name),
      freeze: true,
    }).catch(refused);
    if (copied.sha256 !== file.sha256.toLowerCase()) return refused(mismatch('sha256', file.sha256, copied.sha256));
    if (copied.bytes !== file.bytes) return refused(mismatch('bytes', file.bytes, copied.bytes));
    if (copied.rows !== file.rows) throw mismatch('rows', file.rows, copied.rows);
    rows += copied.rows;
  }
  return rows;
}

/**
 * A read whose bytes differ from the manifest, or whose gzip breaks off, proves only that this
 * read went wrong. The stored object is read once more (hashed, not decoded): when it matches the
 * manifest, the failure was on the way, and the load fails retryably instead of refusing the day.
 * Otherwise the mismatch stands. A value PostgreSQL refuses, or a Parquet object that fails to
 * decode after its digest matched, is a fact about the sealed bytes and stands at once.
 */
async function refuseUnlessCutShort(deps: WarehouseDeps, manifest: DayManifest, file: LakeFile, error: unknown): Promise<never> {
  if (!(error instanceof ManifestMismatchError) || !(error.check === 'sha256' || error.check === 'bytes' || (error.check === 'format' && isZlibError(error.cause)))) {
    throw error;
  }
  const stored = await checkLakeObjects(deps, { ...manifest, files: [file] });
  if (!stored.ok) throw error;
  throw new LakeObjectError(`The read of ${s3Url(deps.lake.bucket, file.key)} failed its checks, but the stored object matches the manifest: the read was cut short or garbled on the way`, {
    retryable: true,
    context: { key: file.key, date: manifest.date },
    fix: 'nothing to fix if it passes on retry; if it recurs, check the network path to S3',
    cause: error,
  });
}

function isZlibError(error: unknown): boolean {
  const code = (error as { code?: unknown } | undefined)?.code;
  return typeof code === 'string' && code.startsWith('Z_');
}

async function stageRedshift(
  deps: WarehouseDeps,
  client: ClientBase,
  input: LoadDayInput,
  def: TableDef,
  files: LakeFile[],
  attempt: string | undefined,
): Promise<{ rows: number; select: string }> {
  const { manifest } = input;
  if (!deps.iamRole) {
    throw new ConfigurationError('Redshift loads need an IAM role for COPY', {
      context: { table: def.name },
      fix: 'set REDSHIFT_IAM_ROLE to the ARN of a role the cluster may assume to read the lake bucket',
    });
  }
  const version = input.manifestKey ? (manifestVersionOfKey(input.manifestKey) ?? 1) : 1;
  const key =
    input.copyManifestKeys?.[def.name] ?? copyManifestKey({ prefix: deps.lake.prefix, chainId: manifest.chainId, date: manifest.date, entity: def.name, version });
  // COPY reads S3 on the cluster, out of our sight: every object it is about to load is read and
  // hashed here first, so a replaced object is refused as on PostgreSQL.
  const { problems } = await checkLakeObjects(deps, { ...manifest, files });
  const problem = problems[0];
  if (problem) {
    throw new ManifestMismatchError({
      check: problem.problem === 'size' ? 'bytes' : problem.problem,
      table: def.name,
      key: problem.key,
      date: manifest.date,
      expected: problem.expected ?? 'an object',
      actual: problem.actual ?? 'none',
    });
  }
  const sql = redshiftLoadSql({
    schema: deps.schema,
    table: def,
    date: manifest.date,
    range: manifest.range,
    format: oneLoadableFormat(manifest, def, files),
    copyManifestUrl: s3Url(deps.lake.bucket, key),
    iamRole: deps.iamRole,
    ...(attempt ? { attempt } : {}),
  });
  for (const statement of sql.prepare) await client.query(statement);
  const expected = files.reduce((sum, f) => sum + f.rows, 0);
  if (files.length) await client.query(sql.copy);
  const verified = await client.query<{ rows: string; outside: string | null }>(sql.verify);
  const rows = Number(verified.rows[0]?.rows ?? 0);
  if (rows !== expected) {
    throw new ManifestMismatchError({ check: 'rows', table: def.name, key, date: manifest.date, expected, actual: rows });
  }
  const outside = Number(verified.rows[0]?.outside ?? 0);
  if (outside > 0) {
    throw new ManifestMismatchError({
      check: 'range',
      table: def.name,
      key,
      date: manifest.date,
      expected: `rows in blocks ${manifest.range.start}-${manifest.range.end}`,
      actual: `${outside} row(s) outside`,
    });
  }
  return { rows, select: sql.select };
}

/** One COPY reads every file of a table, so they must share a format Redshift loads. */
function oneLoadableFormat(manifest: DayManifest, def: TableDef, files: readonly LakeFile[]): LakeFormatName {
  const formats = [...new Set(files.map((file) => formatOfKey(file.key)))];
  const [format] = formats;
  if (files.length === 0) return 'csv';
  if (formats.length === 1 && (format === 'csv' || format === 'parquet')) return format;
  throw new ManifestMismatchError({
    check: 'format',
    table: def.name,
    key: files.map((file) => file.key).join(' '),
    date: manifest.date,
    expected: 'every object of the table as .csv.gz, or every one as .parquet',
    actual: formats.map((f) => f ?? 'unknown').join(' and '),
  });
}

async function throwOutsideRange(client: ClientBase, manifest: DayManifest, def: TableDef, stage: string): Promise<never> {
  const block = col(def.blockColumn);
  const result = await client.query<{ outside: string; first: string | null }>(
    `SELECT COUNT(*) AS outside, MIN(${block})::text AS first FROM ${stage} WHERE ${block} IS NULL OR ${block} NOT BETWEEN $1 AND $2`,
    [manifest.range.start, manifest.range.end],
  );
  const outside = Number(result.rows[0]?.outside ?? 0);
  throw new ManifestMismatchError({
    check: 'range',
    table: def.name,
    key: filesOf(manifest, def.name).map((f) => f.key).join(' '),
    date: manifest.date,
    expected: `${def.blockColumn} in ${manifest.range.start}-${manifest.range.end}`,
    actual: `${outside} row(s) outside, first ${result.rows[0]?.first ?? 'NULL'}`,
  });
}

async function cleanUp(deps: WarehouseDeps, client: PoolClient, manifest: DayManifest, stages: string[], failed: boolean): Promise<void> {
  try {
    for (const stage of stages) await client.query(`DROP TABLE IF EXISTS ${stage}`);
    if (deps.dialect === 'postgres') await client.query('SELECT pg_advisory_unlock(hashtext($1))', [lockName(deps, manifest)]);
    // After a failed COPY the session is usable but fresh is cheaper than doubt.
    client.release(failed);
  } catch (error) {
    // A broken connection must not go back to the pool; the original error (if any) wins.
    client.release(error instanceof Error ? error : true);
    deps.logger.warn({ date: manifest.date, err: error }, 'could not drop staging tables');
  }
}

async function recordLoadedDay(client: ClientBase, schema: string, manifest: DayManifest, stored: { key: string | null; sha256: string | null }): Promise<void> {
  const table = loadedDaysTable(schema);
  await client.query(`DELETE FROM ${table} WHERE chain_id = $1 AND day = $2`, [manifest.chainId, manifest.date]);
  await client.query(
    `INSERT INTO ${table} (chain_id, day, start_block, end_block, first_block_hash, last_block_hash, exporter_version, node_client_version, loaded_at, manifest_sha256, manifest_key)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
    [
      manifest.chainId,
      manifest.date,
      manifest.range.start,
      manifest.range.end,
      manifest.firstBlockHash,
      manifest.lastBlockHash,
      manifest.exporterVersion,
      manifest.nodeClientVersion,
      new Date().toISOString().replace('T', ' ').replace('Z', ''),
      stored.sha256,
      stored.key,
    ],
  );
}

function pickTables(manifest: DayManifest, requested?: readonly WarehouseTableName[]): WarehouseTableName[] {
  const version: unknown = manifest.manifestVersion;
  if (version !== 1 && version !== 2) {
    throw new InvalidInputError(`Day manifest version ${String(version)} is not supported`, {
      context: { date: manifest.date },
      fix: 'load with the Ledgerflow version that sealed the day, or re-seal it',
    });
  }
  const available = manifest.entities.filter(isWarehouseTable);
  if (!requested) return available;
  const missing = requested.filter((t) => !manifest.entities.includes(t));
  if (missing.length) {
    throw new InvalidInputError(`Day ${manifest.date} was not exported with table(s) ${missing.join(', ')}`, {
      context: { chain_id: manifest.chainId, date: manifest.date, entities: manifest.entities.join(',') },
      fix: `load only exported tables (${available.join(', ')}) or re-export the day with the missing entities`,
    });
  }
  return [...requested];
}

function filesOf(manifest: DayManifest, table: WarehouseTableName): LakeFile[] {
  return manifest.files
    .filter((f) => f.entity === table)
    .sort((a, b) => a.range.start - b.range.start || a.key.localeCompare(b.key));
}

/**
 * The same outcomes, in the order they settle: the replacing transaction is the one serial part
 * of a load, so it takes whichever table is staged first instead of waiting on the largest.
 */
function inCompletionOrder<T>(promises: readonly Promise<T>[]): Array<Promise<T>> {
  const slots = promises.map(() => {
    let settle: { resolve: (value: T) => void; reject: (reason: unknown) => void } | undefined;
    const promise = new Promise<T>((resolve, reject) => {
      settle = { resolve, reject };
    });
    promise.catch(() => undefined);
    return { promise, settle: settle! };
  });
  let next = 0;
  for (const promise of promises) {
    promise.then(
      (value) => slots[next++]?.settle.resolve(value),
      (reason: unknown) => slots[next++]?.settle.reject(reason),
    );
  }
  return slots.map((slot) => slot.promise);
}

function bytesOf(manifest: DayManifest, table: WarehouseTableName): number {
  return filesOf(manifest, table).reduce((sum, f) => sum + f.bytes, 0);
}

function lockName(deps: WarehouseDeps, manifest: DayManifest): string {
  return `ledgerflow-load/${deps.schema}/${manifest.chainId}/${manifest.date}`;
}
