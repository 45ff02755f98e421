import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { DATA_DASHBOARDS, renderDataDashboards } from '../../../src/dashboards/dataDashboards.js';
import { findMetric, loadMetricRegistry } from '../../../src/warehouse/metricRegistry.js';
import { GRAIN_BUCKET, GRAINS } from '../../../src/warehouse/parseModel.js';
import { openSeededWarehouse, type TemporalTestStack } from '../temporal/temporalStack.js';

// Grafana is not installed here: the test expands the macros and variables the way Grafana's
// PostgreSQL datasource does, then runs every panel's SQL against the seeded days.
let t: TemporalTestStack;
let pool: pg.Pool;
let range: { from: string; to: string };

beforeAll(async () => {
  t = await openSeededWarehouse(inject('stack'), 'dash');
  pool = new pg.Pool({ connectionString: t.config.databaseUrl, max: 2 });
  const first = t.days[0] as string;
  const last = new Date(Date.parse(`${t.days.at(-1)}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
  range = { from: `${first}T00:00:00Z`, to: `${last}T00:00:00Z` };
});

afterAll(async () => {
  await pool?.end();
  await t?.close();
});

/** Grafana's expansion: $__timeFilter(c) -> c BETWEEN 'from' AND 'to', $__timeFrom() -> 'from', variables by value. */
function expand(sql: string, vars: { schema: string; grain: string }): string {
  return sql
    .replace(/\$__timeFilter\(([^)]+)\)/g, (_m, column: string) => `${column} BETWEEN '${range.from}' AND '${range.to}'`)
    .replace(/\$__timeFrom\(\)/g, `'${range.from}'`)
    .replace(/\$__timeTo\(\)/g, `'${range.to}'`)
    .replace(/\$\{?schema\}?/g, vars.schema)
    .replace(/\$\{?grain\}?/g, vars.grain);
}

const registry = await loadMetricRegistry();
/** The buckets a panel charts: all three, or those of the registry metric bounding it. */
const bucketsOf = (grainsOf: string | undefined) => (grainsOf ? findMetric(registry, grainsOf).grains : GRAINS).map((g) => GRAIN_BUCKET[g]);

const panels = renderDataDashboards()
  .filter((d) => d.kind === 'postgres')
  .flatMap((d) => {
    const def = DATA_DASHBOARDS.find((candidate) => d.file === `${candidate.uid}.json`);
    return (d.json.panels as Array<{ title: string; targets: Array<{ rawSql: string }> }>).map((p) => ({
      name: `${d.file} / ${p.title}`,
      sql: p.targets[0]?.rawSql ?? '',
      buckets: bucketsOf(def?.panels.find((candidate) => candidate.title === p.title)?.grainsOf),
    }));
  });

describe('data dashboards on the seeded warehouse (PostgreSQL)', () => {
  it('renders every defined panel', () => {
    expect(panels).toHaveLength(DATA_DASHBOARDS.reduce((n, d) => n + d.panels.length, 0));
  });

  it.each(GRAINS.map((g) => GRAIN_BUCKET[g]))('every panel query runs with grain %s, with rows exactly when its source has that grain', async (grain) => {
    const wrong: string[] = [];
    for (const panel of panels) {
      const sql = expand(panel.sql, { schema: t.config.warehouseSchema, grain });
      expect(sql, panel.name).not.toMatch(/\$/);
      const { rows } = await pool.query(sql).catch((error: unknown) => {
        throw new Error(`${panel.name}: ${error instanceof Error ? error.message : String(error)}\n${sql}`);
      });
      const expected = panel.buckets.includes(grain);
      if ((rows.length > 0) !== expected) wrong.push(`${panel.name}: ${rows.length} rows, expected ${expected ? 'some' : 'none'}`);
    }
    expect(wrong).toEqual([]);
  });
});
