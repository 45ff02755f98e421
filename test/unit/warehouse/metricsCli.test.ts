import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadDay } from '../../../src/warehouse/loadDay.js';
import { BUILT_IN_METRICS_DIR } from '../../../src/warehouse/metricRegistry.js';
import { migrate } from '../../../src/warehouse/migrate.js';
import type { WarehouseDeps } from '../../../src/warehouse/types.js';
import { startHarness, type Harness } from './support/harness.js';
import { syntheticDay, writeLakeDay } from './support/syntheticDay.js';

const run = promisify(execFile);
const DATE = '2024-05-06';
const SCHEMA = 'wh_metrics_cli';

let harness: Harness;
let deps: WarehouseDeps;
let metricsDir: string;
let env: NodeJS.ProcessEnv;

async function cli(...args: string[]): Promise<{ stdout: string; stderr: string; code: number }> {
  try {
    const { stdout, stderr } = await run('node', ['bin/ledgerflow.js', 'metrics', ...args], { env, timeout: 60_000 });
    return { stdout, stderr, code: 0 };
  } catch (error) {
    const e = error as { stdout: string; stderr: string; code: number };
    return { stdout: e.stdout, stderr: e.stderr, code: e.code };
  }
}

async function rows(sql: string): Promise<string[]> {
  return (await deps.pool.query<{ line: string }>(sql)).rows.map((r) => r.line);
}

beforeAll(async () => {
  harness = await startHarness();
  deps = harness.deps(SCHEMA);
  await migrate(deps);
  const day = syntheticDay({ date: DATE, firstBlock: 900, blocks: 24, txPerBlock: 3 });
  await loadDay(deps, { manifest: await writeLakeDay({ s3: deps.s3, bucket: deps.lake.bucket, prefix: deps.lake.prefix, chainId: 31337, date: DATE, range: { start: 900, end: 923 }, rows: day }) });

  // What an analyst drops into the ConfigMap: a built-in model copied under a new name, and mistakes.
  metricsDir = await mkdtemp(path.join(tmpdir(), 'user-metrics-'));
  const chainActivity = await readFile(path.join(BUILT_IN_METRICS_DIR, 'chain_activity.sql'), 'utf8');
  await writeFile(path.join(metricsDir, 'my_chain_activity.sql'), chainActivity.replaceAll('chain_activity', 'my_chain_activity'));
  await writeFile(path.join(metricsDir, 'chain_activity.sql'), chainActivity);
  await writeFile(
    path.join(metricsDir, 'broken_sql.sql'),
    ['-- model: broken_sql', '-- kind: gauge', '-- grains: daily', '-- @insert', 'INSERT INTO {{schema}}.metrics_data (metric, grain, bucket_start, dimensions, value, value_json)', 'WITH {{windows}}', "SELECT {{metric}}, grain, TIMESTAMP '1970-01-01 00:00:00', '{}', COUNT(no_such_column), NULL", 'FROM windows GROUP BY grain;', ''].join('\n'),
  );
  env = { PATH: process.env.PATH, DATABASE_URL: harness.postgres.url, WAREHOUSE_SCHEMA: SCHEMA, LEDGERFLOW_METRICS_DIR: metricsDir, LOG_LEVEL: 'silent' };
}, 120_000);

afterAll(async () => {
  await harness?.stop();
  if (metricsDir) await rm(metricsDir, { recursive: true, force: true });
});

describe('ledgerflow metrics', () => {
  it('lists built-in and user metrics with kind, grains, schedule and dependencies, and names each file left out', async () => {
    const list = await cli('list');
    expect(list.code).toBe(0);
    expect(list.stdout).toMatch(/^NAME\s+SOURCE\s+KIND\s+GRAINS\s+SCHEDULE\s+DEPENDS ON$/m);
    expect(list.stdout).toMatch(/^my_chain_activity\s+user\s+model\s+hourly,daily,weekly\s+after-load\s+-$/m);
    expect(list.stdout).toMatch(/^active_addresses\s+built-in\s+gauge\s+daily,weekly\s+after-load\s+chain_activity$/m);
    expect(list.stdout).toMatch(/^security_token_holders\s+built-in\s+model\s+hourly,daily,weekly\s+after-load\s+security_token_movements,security_token_balances$/m);
    expect(list.stderr.trim().split('\n')).toEqual([expect.stringMatching(new RegExp(`^ledgerflow: left out: ${path.join(metricsDir, 'chain_activity.sql')}: its name chain_activity is taken by the built-in metric`))]);
    const json = JSON.parse((await cli('list', '--json')).stdout) as { metrics: Array<{ name: string; source: string }> };
    expect(json.metrics.find((m) => m.name === 'broken_sql')).toMatchObject({ source: 'user' });
  });

  it('validates every metric in a rolled-back transaction, naming file and line of a SQL error', async () => {
    const validate = await cli('validate');
    expect(validate.code).toBe(1);
    expect(validate.stdout).toContain(`FAIL ${path.join(metricsDir, 'broken_sql.sql')}:7: column "no_such_column" does not exist`);
    expect(validate.stdout).toMatch(new RegExp(`^ok   my_chain_activity\\t\\d+ row\\(s\\) for ${DATE}$`, 'm'));
    expect(validate.stdout).toMatch(/^ok   security_token_holders_by_partition\t\d+ row\(s\)/m);
    expect(validate.stderr).toContain('chain_activity.sql: its name chain_activity is taken');
    // Nothing stayed behind: not even the user model's table.
    expect(await rows(`SELECT to_regclass('${SCHEMA}.my_chain_activity')::text AS line`)).toEqual([null]);
    expect(await rows(`SELECT COUNT(*)::text AS line FROM ${SCHEMA}.chain_activity`)).toEqual(['0']);
  });

  it('runs a user metric copied from a built-in: same rows under its own name', async () => {
    const one = await cli('run', '--date', DATE, '--metric', 'my_chain_activity');
    expect(one.code).toBe(0);
    expect(one.stdout).toMatch(/^my_chain_activity\t[1-9]\d*\t\d+ ms$/m);
    const all = await cli('run', '--date', DATE);
    // A bad user file fails alone: every other metric ran, and the command says what failed.
    expect(all.code).toBe(1);
    expect(all.stdout).toMatch(/^chain_activity\t[1-9]\d*\t/m);
    expect(all.stdout).toMatch(/^gas_price_histogram\t[1-9]\d*\t/m);
    expect(all.stderr).toContain(`${path.join(metricsDir, 'broken_sql.sql')}:7: column "no_such_column" does not exist`);
    const mine = await rows(`SELECT t::text AS line FROM ${SCHEMA}.my_chain_activity t ORDER BY 1`);
    expect(mine.length).toBeGreaterThan(0);
    expect(mine).toEqual(await rows(`SELECT t::text AS line FROM ${SCHEMA}.chain_activity t ORDER BY 1`));
    const histogram = await rows(`SELECT value_json AS line FROM ${SCHEMA}.metrics_data WHERE metric = 'gas_price_histogram' AND grain = 'day'`);
    expect(histogram).toHaveLength(1);
    expect(JSON.parse(histogram[0] as string)).toMatchObject({ le_gwei: [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, null] });
  });

  it('refreshes a range idempotently and refuses half a range', async () => {
    const before = await rows(`SELECT t::text AS line FROM ${SCHEMA}.metrics_data t ORDER BY 1`);
    expect((await cli('refresh', '--from', DATE, '--to', DATE, '--metric', 'active_addresses')).code).toBe(0);
    expect((await cli('refresh', '--metric', 'gas_price_histogram')).code).toBe(0);
    expect(await rows(`SELECT t::text AS line FROM ${SCHEMA}.metrics_data t ORDER BY 1`)).toEqual(before);
    const half = await cli('refresh', '--from', DATE);
    expect(half.code).toBe(1);
    expect(half.stderr).toContain('Pass both --from and --to, or neither');
    const unknown = await cli('run', '--date', DATE, '--metric', 'nope');
    expect(unknown.stderr).toMatch(/^ledgerflow: Unknown metric nope Fix: use one of /);
  });
});
