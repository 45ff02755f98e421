import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DATA_DASHBOARDS, dashboardText, renderDataDashboards } from '../../src/dashboards/dataDashboards.js';
import { loadMetricRegistry } from '../../src/warehouse/metricRegistry.js';

const DATA = renderDataDashboards();
const DATA_FILES = new Set(DATA.map((d) => d.file));

const ROOT = path.resolve(import.meta.dirname, '../..');
const ALL_DASHBOARDS = readdirSync(path.join(ROOT, 'dashboards')).filter((f) => f.endsWith('.json'));
/** The operational dashboards read Prometheus; the data dashboards (dataDashboards.ts) read the warehouse. */
const DASHBOARDS = ALL_DASHBOARDS.filter((f) => !DATA_FILES.has(f));

// The Temporal SDK's core metrics (prefix temporal_), as listed in temporal-notes.md section 5.4.
const SDK_METRICS = new Set([
  'worker_task_slots_available',
  'worker_task_slots_used',
  'workflow_task_schedule_to_start_latency',
  'activity_schedule_to_start_latency',
  'activity_execution_latency',
  'activity_execution_failed',
  'activity_succeed_endtoend_latency',
  'workflow_task_execution_latency',
  'workflow_task_replay_latency',
  'workflow_endtoend_latency',
  'workflow_completed',
  'workflow_failed',
  'workflow_canceled',
  'workflow_continue_as_new',
  'workflow_task_execution_failed',
  'num_pollers',
  'sticky_cache_size',
  'sticky_cache_hit',
  'sticky_cache_miss',
  'request',
  'request_failure',
  'request_latency',
  'long_request',
  'long_request_failure',
  'long_request_latency',
]);

// Not ours and not the SDK's: KEDA's operator exports the value its temporal scaler reads
// (approximate_backlog_count), the only backlog figure a worker-side Prometheus can see.
const EXTERNAL_METRICS = new Set(['keda_scaler_metrics_value']);

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(full);
    return entry.name.endsWith('.ts') ? [full] : [];
  });
}
const SOURCE = sourceFiles(path.join(ROOT, 'src')).map((f) => readFileSync(f, 'utf8')).join('\n');

interface Panel {
  id: number;
  type: string;
  title: string;
  datasource?: { type: string; uid: string };
  targets?: { expr: string; refId: string }[];
}
interface Dashboard {
  uid: string;
  title: string;
  panels: Panel[];
  templating: { list: { name: string }[] };
}

const load = (file: string) => JSON.parse(readFileSync(path.join(ROOT, 'dashboards', file), 'utf8')) as Dashboard;
const seriesName = (metric: string) => metric.replace(/_(bucket|sum|count)$/, '');

/** Metric names in a PromQL expression: every identifier followed by a label selector. */
const metricsIn = (expr: string) => [...expr.matchAll(/([a-zA-Z_:][a-zA-Z0-9_:]*)\{/g)].map((m) => m[1] ?? '');

function known(metric: string): boolean {
  const name = seriesName(metric);
  if (name.startsWith('ledgerflow_')) return SOURCE.includes(`'${name}'`);
  if (name.startsWith('temporal_')) return SDK_METRICS.has(name.slice('temporal_'.length));
  return EXTERNAL_METRICS.has(name);
}

describe.each(DASHBOARDS)('dashboard %s', (file) => {
  const dashboard = load(file);
  const graphs = dashboard.panels.filter((p) => p.type !== 'row');

  it('queries only metrics that exist in src/, in the SDK or in KEDA', () => {
    for (const panel of graphs) {
      expect(panel.targets?.length, panel.title).toBeGreaterThan(0);
      for (const target of panel.targets ?? []) {
        const metrics = metricsIn(target.expr);
        expect(metrics.length, `${panel.title}: ${target.expr}`).toBeGreaterThan(0);
        for (const metric of metrics) expect(known(metric), `${panel.title}: unknown metric ${metric}`).toBe(true);
      }
    }
  });

  it('is importable: unique panel ids, a datasource variable every panel uses', () => {
    expect(dashboard.uid).toMatch(/^[a-z0-9-]{1,40}$/);
    const ids = dashboard.panels.map((p) => p.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(dashboard.templating.list.map((v) => v.name)).toContain('datasource');
    for (const panel of graphs) expect(panel.datasource).toEqual({ type: 'prometheus', uid: '${datasource}' });
  });
});

describe('dashboards together', () => {
  it('chart every signal the deploy guide promises', () => {
    const exprs = DASHBOARDS.flatMap((f) => load(f).panels.flatMap((p) => p.targets ?? []).map((t) => t.expr));
    const charted = (pattern: RegExp) => exprs.some((e) => pattern.test(e));
    expect(charted(/by \(le, method\) \(rate\(ledgerflow_rpc_request_duration_seconds_bucket/), 'RPC latency per method').toBe(true);
    expect(charted(/by \(le, endpoint\) \(rate\(ledgerflow_rpc_request_duration_seconds_bucket/), 'RPC latency per endpoint').toBe(true);
    expect(charted(/rate\(ledgerflow_blocks_exported_total/), 'blocks per second').toBe(true);
    expect(charted(/by \(table\) \(rate\(ledgerflow_rows_exported_total/), 'rows exported per table').toBe(true);
    expect(charted(/by \(table\) \(rate\(ledgerflow_rows_loaded_total/), 'rows loaded per table').toBe(true);
    expect(charted(/temporal_activity_execution_failed/), 'activity failures').toBe(true);
    expect(charted(/ledgerflow_rpc_retries_total/), 'retries').toBe(true);
    expect(charted(/keda_scaler_metrics_value/), 'task-queue backlog').toBe(true);
    expect(charted(/temporal_activity_schedule_to_start_latency_bucket/), 'schedule-to-start latency').toBe(true);
  });
});

interface SqlPanel {
  id: number;
  type: string;
  title: string;
  datasource: { type: string; uid: string };
  targets: Array<{ rawSql?: string; rawSQL?: string; datasource: { type: string; uid: string } }>;
}

describe('data dashboards (warehouse SQL)', () => {
  it.each(DATA.map((d) => d.file))('%s is the file dataDashboards.ts renders (run `npm run dashboards` after changing it)', (file) => {
    const rendered = DATA.find((d) => d.file === file);
    expect(readFileSync(path.join(ROOT, 'dashboards', file), 'utf8')).toBe(dashboardText(rendered?.json ?? {}));
  });

  it('has no stray dashboard: every JSON file is operational (Prometheus) or rendered from dataDashboards.ts', () => {
    for (const file of DASHBOARDS) expect(load(file).templating.list.find((v) => v.name === 'datasource')).toMatchObject({ query: 'prometheus' });
  });

  it.each(DATA.map((d) => [d.file, d.kind] as const))('%s: every panel queries its %s datasource through the variables', (file, kind) => {
    const dashboard = load(file) as unknown as { uid: string; panels: SqlPanel[]; templating: { list: Array<{ name: string; query: string }> } };
    const plugin = kind === 'postgres' ? 'grafana-postgresql-datasource' : 'grafana-redshift-datasource';
    expect(dashboard.templating.list.map((v) => v.name)).toEqual(['datasource', 'schema', 'grain']);
    expect(dashboard.templating.list[0]?.query).toBe(plugin);
    const ids = dashboard.panels.map((p) => p.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const panel of dashboard.panels) {
      expect(panel.datasource, panel.title).toEqual({ type: plugin, uid: '${datasource}' });
      const sql = panel.targets[0]?.rawSql ?? panel.targets[0]?.rawSQL ?? '';
      expect(sql, panel.title).toMatch(/\$schema\./);
      expect(sql, panel.title).toMatch(/\$__time(Filter|From|To)\(/);
      // Redshift has no `::` casts and no JSON operators.
      if (kind === 'redshift') expect(sql, panel.title).not.toMatch(/::|->/);
    }
  });

  it('reads only built-in registry metrics from metrics_data', async () => {
    const builtIn = new Set((await loadMetricRegistry()).metrics.filter((m) => m.source === 'built-in').map((m) => m.name));
    const read = DATA.flatMap((d) => (d.json.panels as SqlPanel[]).flatMap((p) => p.targets.map((t) => t.rawSql ?? t.rawSQL ?? '')));
    const named = read.flatMap((sql) => [...sql.matchAll(/metric = '([^']+)'/g)].map((m) => m[1] ?? ''));
    expect(named.length).toBeGreaterThan(0);
    const bounding = DATA_DASHBOARDS.flatMap((d) => d.panels.flatMap((p) => (p.grainsOf ? [p.grainsOf] : [])));
    for (const metric of [...named, ...bounding]) expect(builtIn.has(metric), `unknown metric ${metric}`).toBe(true);
  });

  it('gives both datasources the same panels, and covers what analysts asked for', () => {
    const titles = (file: string) => (load(file) as unknown as { panels: SqlPanel[] }).panels.map((p) => p.title);
    for (const { file, kind } of DATA) if (kind === 'postgres') expect(titles(file.replace('.json', '-redshift.json'))).toEqual(titles(file));
    const all = DATA.filter((d) => d.kind === 'postgres').flatMap((d) => titles(d.file)).join('\n');
    for (const topic of [/Issued/, /Redeemed/, /Transferred/, /Holders by token/, /Top holders/, /Document updates/, /Transactions/, /Gas used/, /Fees/, /Active addresses/, /Transfers by token/]) {
      expect(all).toMatch(topic);
    }
  });
});
