import type { BlockRange } from '../chain/types.js';
import type { LakeFormatName } from '../lake/format/types.js';
import { col } from './columnType.js';
import { redshiftFromParquet, redshiftParquetStageType } from './redshiftParquetColumns.js';
import { qualified } from './sqlIdentifier.js';
import { stagingTableName } from './stagingTableName.js';
import type { TableDef } from './tables.js';

export interface RedshiftLoadSqlInput {
  schema: string;
  table: TableDef;
  date: string;
  range: BlockRange;
  /** s3://bucket/.../copy/<entity>.manifest, written by the lake when the day is sealed. */
  copyManifestUrl: string;
  iamRole: string;
  /** Format of the day's objects for this table (their keys' suffix); gzip CSV unless set. */
  format?: LakeFormatName;
  /** Suffix that gives this load attempt staging tables of its own. */
  attempt?: string;
}

export interface RedshiftLoadSql {
  stage: string;
  /** Fresh staging table shaped like the target (inherits its DISTKEY and SORTKEY). */
  prepare: string[];
  copy: string;
  /** What the swap's INSERT selects from the stage, in the target's column order. */
  select: string;
  /** One row: `rows` staged and `outside` rows whose block number is not in the day's range. */
  verify: string;
  /** Run inside one transaction, after verify matched the manifest. */
  swap: string[];
  cleanup: string[];
}

/**
 * The Redshift statements for loading one table of one day. One COPY per table reads every file
 * the COPY manifest lists in parallel across slices and fails if one is missing (`mandatory`).
 * Columns are listed because Redshift maps CSV fields by position. EMPTYASNULL keeps empty text
 * cells NULL as in PostgreSQL; no TRUNCATECOLUMNS, so an over-long value fails the load instead of
 * being silently cut.
 */
export function redshiftLoadSql(input: RedshiftLoadSqlInput): RedshiftLoadSql {
  const target = qualified(input.schema, input.table.name);
  const stageName = stagingTableName(input.table.name, input.date, input.attempt);
  const stage = qualified(input.schema, stageName);
  const columns = input.table.columns.map((c) => col(c.name)).join(', ');
  const block = col(input.table.blockColumn);
  const { start, end } = input.range;
  if (input.format === 'parquet') return parquetLoadSql(input, target, stage);
  return {
    stage,
    prepare: [`DROP TABLE IF EXISTS ${stage}`, `CREATE TABLE ${stage} (LIKE ${target})`],
    copy: [
      `COPY ${stage} (${columns})`,
      `FROM ${literal(input.copyManifestUrl)}`,
      `IAM_ROLE ${literal(input.iamRole)}`,
      'MANIFEST GZIP CSV IGNOREHEADER 1 EMPTYASNULL COMPUPDATE OFF STATUPDATE OFF',
    ].join('\n'),
    select: columns,
    verify: `SELECT COUNT(*) AS rows, SUM(CASE WHEN ${block} BETWEEN ${start} AND ${end} THEN 0 ELSE 1 END) AS outside FROM ${stage}`,
    swap: [
      `DELETE FROM ${target} WHERE ${block} BETWEEN ${start} AND ${end}`,
      `INSERT INTO ${target} (${columns}) SELECT ${columns} FROM ${stage}`,
    ],
    cleanup: [`DROP TABLE IF EXISTS ${stage}`],
  };
}

/**
 * Parquet: the stage has the file's columns, in its order, with types COPY can fill from Parquet
 * (redshiftParquetColumns.ts); no column list, since COPY takes Parquet columns by position. The
 * swap converts each column to the CSV load's value, so a Parquet day loads as its CSV twin.
 */
function parquetLoadSql(input: RedshiftLoadSqlInput, target: string, stage: string): RedshiftLoadSql {
  const columns = input.table.columns;
  const block = col(input.table.blockColumn);
  const { start, end } = input.range;
  const names = columns.map((c) => col(c.name)).join(', ');
  const select = columns.map((c) => redshiftFromParquet(c.name, c.type)).join(', ');
  return {
    stage,
    prepare: [`DROP TABLE IF EXISTS ${stage}`, `CREATE TABLE ${stage} (${columns.map((c) => `${col(c.name)} ${redshiftParquetStageType(c.type)}`).join(', ')})`],
    copy: [`COPY ${stage}`, `FROM ${literal(input.copyManifestUrl)}`, `IAM_ROLE ${literal(input.iamRole)}`, 'MANIFEST FORMAT AS PARQUET COMPUPDATE OFF STATUPDATE OFF'].join('\n'),
    select,
    verify: `SELECT COUNT(*) AS rows, SUM(CASE WHEN ${block} BETWEEN ${start} AND ${end} THEN 0 ELSE 1 END) AS outside FROM ${stage}`,
    swap: [
      `DELETE FROM ${target} WHERE ${block} BETWEEN ${start} AND ${end}`,
      `INSERT INTO ${target} (${names}) SELECT ${select} FROM ${stage}`,
    ],
    cleanup: [`DROP TABLE IF EXISTS ${stage}`],
  };
}

function literal(value: string): string {
  return `'${value.replaceAll("'", "''")}'`;
}
