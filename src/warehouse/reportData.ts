import { InvalidInputError } from '../errors/LedgerflowError.js';
import { loadedDaysTable } from './migrations.js';
import { spanWindow } from './modelWindow.js';
import { GRAIN_BUCKET, GRAINS, METRICS_TABLE } from './parseModel.js';
import { qualified } from './sqlIdentifier.js';
import type { SqlWarehouseDeps } from './types.js';

/** The `grain` values of the model tables a report can be drawn at. */
export const REPORT_GRAINS: readonly string[] = GRAINS.map((g) => GRAIN_BUCKET[g]);

/** Bucket lengths in seconds; weeks start on Mondays (spanWindow aligns them). */
const STEP_SECONDS: Record<string, number> = { hour: 3600, day: 86_400, week: 604_800 };

export interface ReportRange {
  /** First and last UTC day, inclusive (YYYY-MM-DD). */
  from: string;
  to: string;
  grain: string;
}

export interface ChainActivityRow {
  bucketStart: string;
  blocks: string;
  transactions: string;
  failedTransactions: string;
  gasUsed: string;
  feesWei: string;
  activeAddresses: string;
}

export interface SecurityTokenActivityRow {
  bucketStart: string;
  tokenAddress: string;
  partition: string | null;
  issued: string;
  redeemed: string;
  transferred: string;
  movements: string;
}

export interface HoldersRow {
  bucketStart: string;
  tokenAddress: string;
  holders: string;
}

export interface PartitionHoldersRow extends HoldersRow {
  partition: string | null;
}

export interface TokenLabel {
  address: string;
  symbol: string | null;
  name: string | null;
  decimals: number | null;
}

/**
 * Everything a report shows, as read from the warehouse. Bucket starts are `YYYY-MM-DDTHH:MM:SS`
 * (UTC); every figure is exact decimal text as the warehouse holds it, never a float.
 */
export interface ReportData {
  range: ReportRange;
  /** Every bucket of the grain the range touches, in order, whether or not it holds rows. */
  buckets: string[];
  chainIds: string[];
  loadedDays: string[];
  chainActivity: ChainActivityRow[];
  securityTokenActivity: SecurityTokenActivityRow[];
  /**
   * Holders per token at the end of each bucket. The model writes a row only where the token
   * moved, so the latest row before the range opens the series (holders change only by moves).
   */
  holders: HoldersRow[];
  openingHolders: HoldersRow[];
  /** From the security_token_holders_by_partition metric: daily and weekly only. */
  partitionHolders: PartitionHoldersRow[];
  tokens: TokenLabel[];
}

/** The buckets of `grain` that overlap the UTC days [from, to], as unix seconds. */
export function reportBuckets(range: ReportRange): number[] {
  const step = STEP_SECONDS[range.grain];
  if (!step) throw new InvalidInputError(`--grain ${range.grain} is not a report grain`, { fix: `use one of ${REPORT_GRAINS.join(', ')}` });
  const window = spanWindow(Date.parse(`${range.from}T00:00:00Z`) / 1000, Date.parse(`${range.to}T00:00:00Z`) / 1000);
  const [start, end] = range.grain === 'week' ? [window.weekFrom, window.weekTo] : [window.hourFrom, window.hourTo];
  const buckets: number[] = [];
  for (let s = start; s < end; s += step) buckets.push(s);
  return buckets;
}

const bucketText = (seconds: number) => new Date(seconds * 1000).toISOString().slice(0, 19);
const timestampText = (seconds: number) => bucketText(seconds).replace('T', ' ');
/** Works the same on PostgreSQL and Redshift, and never goes through a JavaScript Date (no local time zone). */
const BUCKET = `TO_CHAR(bucket_start, 'YYYY-MM-DD"T"HH24:MI:SS')`;
const exact = (column: string) => `CAST(${column} AS VARCHAR(100))`;

/**
 * Reads the model tables (SELECTs only) for a report over the UTC days [from, to]. A range in
 * which no day was loaded stops with one line naming it and the fix.
 */
export async function reportData(deps: Pick<SqlWarehouseDeps, 'pool' | 'schema'>, range: ReportRange): Promise<ReportData> {
  if (range.from > range.to) throw new InvalidInputError(`--from ${range.from} is after --to ${range.to}`, { fix: 'swap them' });
  const buckets = reportBuckets(range);
  const first = buckets[0] as number;
  const end = (buckets.at(-1) as number) + (STEP_SECONDS[range.grain] as number);
  const loaded = await loadedDays(deps, range);
  if (loaded.days.length === 0) {
    throw new InvalidInputError(`No loaded data for ${range.from}..${range.to} in warehouse schema ${deps.schema}`, {
      fix: `load the days first (ledgerflow backfill --from ${range.from} --to ${range.to}), then run the report again`,
    });
  }
  const table = (name: string) => qualified(deps.schema, name);
  const inRange = `grain = $1 AND bucket_start >= CAST($2 AS TIMESTAMP) AND bucket_start < CAST($3 AS TIMESTAMP)`;
  const params = [range.grain, timestampText(first), timestampText(end)];
  const query = async <R extends object>(sql: string, values: unknown[] = params): Promise<R[]> => (await deps.pool.query<R>(sql, values)).rows;

  const chainActivity = await query<ChainActivityRow>(
    `SELECT ${BUCKET} AS "bucketStart", ${exact('blocks')} AS blocks, ${exact('transactions')} AS transactions,
       ${exact('failed_transactions')} AS "failedTransactions", ${exact('gas_used')} AS "gasUsed", ${exact('fees_wei')} AS "feesWei",
       ${exact('active_addresses')} AS "activeAddresses"
     FROM ${table('chain_activity')} WHERE ${inRange} ORDER BY bucket_start`,
  );
  const securityTokenActivity = await query<SecurityTokenActivityRow>(
    `SELECT ${BUCKET} AS "bucketStart", token_address AS "tokenAddress", "partition", ${exact('issued')} AS issued,
       ${exact('redeemed')} AS redeemed, ${exact('transferred')} AS transferred, ${exact('movements')} AS movements
     FROM ${table('security_token_activity')} WHERE ${inRange} ORDER BY bucket_start, token_address, "partition"`,
  );
  const holders = await query<HoldersRow>(
    `SELECT ${BUCKET} AS "bucketStart", token_address AS "tokenAddress", ${exact('holders')} AS holders
     FROM ${table('security_token_holders')} WHERE ${inRange} ORDER BY bucket_start, token_address`,
  );
  const openingHolders = await query<HoldersRow>(
    `SELECT ${BUCKET} AS "bucketStart", h.token_address AS "tokenAddress", ${exact('h.holders')} AS holders
     FROM ${table('security_token_holders')} h
     JOIN (SELECT token_address, MAX(bucket_start) AS latest FROM ${table('security_token_holders')}
           WHERE grain = $1 AND bucket_start < CAST($2 AS TIMESTAMP) GROUP BY token_address) p
       ON p.token_address = h.token_address AND p.latest = h.bucket_start
     WHERE h.grain = $1 ORDER BY h.token_address`,
    params.slice(0, 2),
  );
  const partitionRows = await query<{ bucketStart: string; dimensions: string; holders: string }>(
    `SELECT ${BUCKET} AS "bucketStart", dimensions, ${exact('value')} AS holders
     FROM ${table(METRICS_TABLE)} WHERE metric = 'security_token_holders_by_partition' AND ${inRange}
     ORDER BY bucket_start, dimensions`,
  );
  const tokens = await tokenLabels(deps, [...new Set([...securityTokenActivity, ...holders, ...openingHolders].map((r) => r.tokenAddress))]);
  return {
    range,
    buckets: buckets.map(bucketText),
    chainIds: loaded.chainIds,
    loadedDays: loaded.days,
    chainActivity,
    securityTokenActivity,
    holders,
    openingHolders,
    partitionHolders: partitionRows.map((r) => {
      const dimensions = JSON.parse(r.dimensions) as { token_address?: string; partition?: string | null };
      return { bucketStart: r.bucketStart, tokenAddress: dimensions.token_address ?? '', partition: dimensions.partition ?? null, holders: r.holders };
    }),
    tokens,
  };
}

async function loadedDays(deps: Pick<SqlWarehouseDeps, 'pool' | 'schema'>, range: ReportRange): Promise<{ days: string[]; chainIds: string[] }> {
  try {
    const { rows } = await deps.pool.query<{ day: string; chain_id: string }>(
      `SELECT TO_CHAR(day, 'YYYY-MM-DD') AS day, ${exact('chain_id')} AS chain_id FROM ${loadedDaysTable(deps.schema)}
       WHERE day >= CAST($1 AS DATE) AND day <= CAST($2 AS DATE) ORDER BY day, chain_id`,
      [range.from, range.to],
    );
    return { days: [...new Set(rows.map((r) => r.day))], chainIds: [...new Set(rows.map((r) => r.chain_id))].sort() };
  } catch (error) {
    // 3F000: no such schema; 42P01: not migrated yet. Either way nothing was loaded there.
    const code = (error as { code?: string }).code;
    if (code === '3F000' || code === '42P01') return { days: [], chainIds: [] };
    throw error;
  }
}

/** Symbol, name and decimals of the tokens the report names, where the tokens table knows them. */
async function tokenLabels(deps: Pick<SqlWarehouseDeps, 'pool' | 'schema'>, addresses: string[]): Promise<TokenLabel[]> {
  if (addresses.length === 0) return [];
  const { rows } = await deps.pool.query<{ address: string; symbol: string | null; name: string | null; decimals: string | null }>(
    `SELECT address, symbol, name, ${exact('decimals')} AS decimals FROM ${qualified(deps.schema, 'tokens')}
     WHERE address IN (${addresses.map((_, i) => `$${i + 1}`).join(', ')}) ORDER BY address, block_number DESC`,
    addresses,
  );
  const labels = new Map<string, TokenLabel>();
  for (const address of [...addresses].sort()) labels.set(address, { address, symbol: null, name: null, decimals: null });
  const seen = new Set<string>();
  for (const row of rows) {
    // The latest metadata row of each token wins.
    if (seen.has(row.address)) continue;
    seen.add(row.address);
    const decimals = row.decimals === null ? null : Number(row.decimals);
    labels.set(row.address, {
      address: row.address,
      symbol: row.symbol || null,
      name: row.name || null,
      decimals: decimals !== null && Number.isInteger(decimals) && decimals >= 0 && decimals <= 77 ? decimals : null,
    });
  }
  return [...labels.values()];
}
