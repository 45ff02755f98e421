import { loadManifestSigner, type ManifestSigner } from '../../../src/lake/manifestSignature.js';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { blockRangeForDate } from '../../../src/chain/blockRange/blockRangeForDate.js';
import { createRpcPool, type RpcPool } from '../../../src/chain/rpc/createRpcPool.js';
import { rpcClientVersion } from '../../../src/chain/rpc/rpcClientVersion.js';
import { DEFAULT_DAILY_ENTITIES, type BlockRange } from '../../../src/chain/types.js';
import { createS3Client } from '../../../src/lake/createS3Client.js';
import { exportDayToLake } from '../../../src/lake/exportDayToLake.js';
import { exporterVersion } from '../../../src/lake/exporterVersion.js';
import type { LakeExportDeps } from '../../../src/lake/lakeDeps.js';
import { readDayManifest } from '../../../src/lake/readDayManifest.js';
import { createLogger } from '../../../src/log.js';
import { loadDay } from '../../../src/warehouse/loadDay.js';
import { migrate } from '../../../src/warehouse/migrate.js';
import { refreshMetrics, runModels } from '../../../src/warehouse/runMetric.js';
import type { WarehouseDeps } from '../../../src/warehouse/types.js';

const stack = inject('stack');
const days = stack.LEDGERFLOW_DAYS.split(',').filter(Boolean);
const chainId = Number(stack.CHAIN_ID);
// The stack's bucket and database are shared with other test files: own prefix, own schema.
const suffix = randomBytes(4).toString('hex');
const prefix = `it-warehouse-${suffix}`;
const schema = `it_wh_${suffix}`;
const TRANSFER_TOPIC = '0xddf252ad1be2c89b69c2b068fc378daa952ba7f163c4a11628f55a4df523b3ef';

interface NodeLog {
  topics: string[];
  data: string;
}

let rpc: RpcPool;
let lakeDeps: LakeExportDeps & { signer: ManifestSigner };
let deps: WarehouseDeps;
const ranges = new Map<string, BlockRange>();

/** What the node itself says about a block range: the counts the warehouse must reproduce. */
async function nodeCounts(range: BlockRange): Promise<Record<string, number>> {
  const numbers = Array.from({ length: range.end - range.start + 1 }, (_, i) => range.start + i);
  const blocks = await rpc.batch<{ transactions: unknown[] }>(numbers.map((n) => ({ method: 'eth_getBlockByNumber', params: [`0x${n.toString(16)}`, false] })));
  const receipts = await rpc.batch<Array<{ logs: NodeLog[] }>>(numbers.map((n) => ({ method: 'eth_getBlockReceipts', params: [`0x${n.toString(16)}`] })));
  const logs = receipts.flat().flatMap((r) => r.logs);
  // ethereum-etl's rule: a Transfer log whose topics plus 32-byte data words make exactly four.
  const transfers = logs.filter((l) => l.topics[0] === TRANSFER_TOPIC && l.topics.length + (l.data.length - 2) / 64 === 4);
  return {
    blocks: blocks.length,
    transactions: blocks.reduce((sum, b) => sum + b.transactions.length, 0),
    logs: logs.length,
    token_transfers: transfers.length,
  };
}

async function warehouseCounts(range: BlockRange): Promise<Record<string, number>> {
  const count = async (table: string, column: string) => {
    const { rows } = await deps.pool.query<{ n: number }>(`SELECT COUNT(*)::int AS n FROM ${schema}.${table} WHERE ${column} BETWEEN $1 AND $2`, [range.start, range.end]);
    return rows[0]?.n ?? -1;
  };
  return {
    blocks: await count('blocks', 'number'),
    transactions: await count('transactions', 'block_number'),
    logs: await count('logs', 'block_number'),
    token_transfers: await count('token_transfers', 'block_number'),
  };
}

beforeAll(async () => {
  rpc = createRpcPool({ urls: [stack.RPC_URL] });
  const s3 = createS3Client({ endpoint: stack.S3_ENDPOINT, credentials: { accessKeyId: stack.AWS_ACCESS_KEY_ID, secretAccessKey: stack.AWS_SECRET_ACCESS_KEY } });
  lakeDeps = { s3, rpc, lake: { bucket: stack.S3_BUCKET, prefix }, signer: loadManifestSigner(stack.LEDGERFLOW_SIGNING_KEY) };
  deps = {
    pool: new pg.Pool({ connectionString: stack.DATABASE_URL, max: 3 }),
    s3,
    lake: lakeDeps.lake,
    schema,
    dialect: 'postgres',
    logger: createLogger('warn'),
  };
  await migrate(deps);
  const nodeClientVersion = await rpcClientVersion(rpc);
  for (const date of days) {
    const range = await blockRangeForDate(rpc, date, { finalityDepth: Number(stack.FINALITY_DEPTH) });
    ranges.set(date, range);
    await exportDayToLake(lakeDeps, {
      chainId, date, range, entities: DEFAULT_DAILY_ENTITIES, chunkSize: 50, exporterVersion: exporterVersion(), nodeClientVersion, force: true,
    });
  }
});

afterAll(async () => {
  await deps?.pool.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  await deps?.pool.end();
  lakeDeps?.s3.destroy();
  await rpc?.close();
});

describe('warehouse on the local stack', () => {
  it('loads every generated day with the counts the node reports, and a reload changes nothing', async () => {
    expect(days.length).toBeGreaterThan(0);
    for (const date of days) {
      const manifest = await readDayManifest(lakeDeps, { chainId, date });
      expect(manifest, date).toBeDefined();
      const range = ranges.get(date)!;
      const loaded = await loadDay(deps, { manifest: manifest! });
      const expected = await nodeCounts(range);
      expect(await warehouseCounts(range), date).toEqual(expected);
      expect(loaded.tables.find((t) => t.table === 'blocks')?.rows).toBe(expected.blocks);

      await loadDay(deps, { manifest: manifest! });
      expect(await warehouseCounts(range), `${date} reloaded`).toEqual(expected);
    }
    const { rows } = await deps.pool.query<{ n: number }>(`SELECT COUNT(*)::int AS n FROM ${schema}.security_token_events`);
    expect(rows[0]?.n).toBeGreaterThan(0);
  });

  it('models for each day in order equal a full refresh, and count the loaded transactions', async () => {
    for (const date of days) await runModels(deps, { date });
    const dump = async () =>
      (await deps.pool.query<{ line: string }>(`SELECT grain || ' ' || t::text AS line FROM ${schema}.chain_activity t ORDER BY 1`)).rows.map((r) => r.line);
    const incremental = await dump();
    await refreshMetrics(deps);
    expect(await dump()).toEqual(incremental);
    const { rows } = await deps.pool.query<{ modelled: number; loaded: number }>(
      `SELECT (SELECT SUM(transactions)::int FROM ${schema}.chain_activity WHERE grain = 'day') AS modelled, (SELECT COUNT(*)::int FROM ${schema}.transactions) AS loaded`,
    );
    expect(rows[0]?.modelled).toBe(rows[0]?.loaded);
  });
});
