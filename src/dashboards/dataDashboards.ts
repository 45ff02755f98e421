/**
 * The Grafana dashboards analysts use on the warehouse, written once and rendered for both
 * datasources: PostgreSQL (grafana-postgresql-datasource) and Redshift (the
 * grafana-redshift-datasource plugin). `npm run dashboards` writes dashboards/*.json from here;
 * a test fails when the files and this definition differ, so nobody edits the JSON by hand.
 *
 * Queries use Grafana's macros (`$__timeFilter`, `$__timeFrom()`, `$__timeTo()`) and three
 * dashboard variables: `$datasource`, `$schema` (the warehouse schema, WAREHOUSE_SCHEMA) and
 * `$grain` (hour, day or week: the buckets of the models and of metrics_data).
 */

import { GRAIN_BUCKET, GRAINS } from '../warehouse/parseModel.js';

export type DatasourceKind = 'postgres' | 'redshift';

/** The `$grain` variable's values: the `grain` column of the models and of metrics_data. */
const BUCKETS = GRAINS.map((g) => GRAIN_BUCKET[g]);

/** What differs between the two warehouses, said once. */
interface Dialect {
  pluginId: string;
  label: string;
  /** The n-th element of a JSON array under `key` in a text column, as an integer. */
  jsonArrayInt(column: string, key: string, index: number): string;
  /** Exact amounts (NUMERIC, or decimal text on Redshift) in descending order of value. */
  amountDesc(column: string): string;
  /** A non-zero exact amount is above zero (balances can be negative: a contract may emit any transfer). */
  nonZeroIsPositive(column: string): string;
}

const DIALECTS: Record<DatasourceKind, Dialect> = {
  postgres: {
    pluginId: 'grafana-postgresql-datasource',
    label: 'PostgreSQL',
    jsonArrayInt: (column, key, index) => `CAST(CAST(${column} AS JSON)->'${key}'->>${index} AS BIGINT)`,
    amountDesc: (column) => `${column} DESC`,
    nonZeroIsPositive: (column) => `${column} > 0`,
  },
  redshift: {
    pluginId: 'grafana-redshift-datasource',
    label: 'Redshift',
    jsonArrayInt: (column, key, index) => `CAST(JSON_EXTRACT_ARRAY_ELEMENT_TEXT(JSON_EXTRACT_PATH_TEXT(${column}, '${key}'), ${index}) AS BIGINT)`,
    // Non-negative decimal text: a longer number is larger, and equal lengths compare as text.
    amountDesc: (column) => `LENGTH(${column}) DESC, ${column} DESC`,
    nonZeroIsPositive: (column) => `LEFT(${column}, 1) <> '-'`,
  },
};

export interface PanelDef {
  title: string;
  description: string;
  /** Time series (time column plus one or more value columns, optionally a `metric` label) or a table. */
  format: 'time_series' | 'table';
  chart?: 'bars' | 'lines' | 'stacked';
  unit?: string;
  /** A registry metric whose `-- grains:` bound the panel's: other values of `$grain` chart nothing. */
  grainsOf?: string;
  sql(d: Dialect): string;
}

export interface DashboardDef {
  uid: string;
  title: string;
  description: string;
  panels: PanelDef[];
}

const S = '$schema';
/** A model's buckets of the chosen grain inside the dashboard's time range. */
const buckets = (alias = '') => `${alias}grain = '$grain' AND $__timeFilter(${alias}bucket_start)`;
/** Block timestamps (unix seconds) inside the dashboard's time range. */
const secondsInRange = (column: string) =>
  `${column} >= EXTRACT(EPOCH FROM CAST($__timeFrom() AS TIMESTAMP)) AND ${column} < EXTRACT(EPOCH FROM CAST($__timeTo() AS TIMESTAMP))`;
const amount = (column: string) => `CAST(${column} AS DOUBLE PRECISION)`;
const tokenLabel = (alias: string) => `COALESCE(k.symbol, ${alias}.token_address)`;
const tokenJoin = (alias: string) => `LEFT JOIN ${S}.tokens k ON k.address = ${alias}.token_address`;
const partitionLabel = (alias: string) => `${tokenLabel(alias)} || ' ' || COALESCE(SUBSTRING(${alias}."partition", 1, 10), 'no partition')`;

const GAS_BINS = ['<= 1', '1-2', '2-5', '5-10', '10-20', '20-50', '50-100', '100-200', '200-500', '500-1000', '> 1000'];

const chainActivity: DashboardDef = {
  uid: 'ledgerflow-chain-activity',
  title: 'Ledgerflow: chain activity',
  description: 'Transactions, gas, fees and active addresses per bucket, from the chain_activity model and the registry metrics.',
  panels: [
    {
      title: 'Transactions',
      description: 'Transactions per bucket and those whose receipt status is 0.',
      format: 'time_series',
      chart: 'bars',
      sql: () => `SELECT bucket_start AS time, transactions, failed_transactions\nFROM ${S}.chain_activity\nWHERE ${buckets()}\nORDER BY 1`,
    },
    {
      title: 'Gas used',
      description: 'Gas used by all blocks of the bucket.',
      format: 'time_series',
      chart: 'bars',
      sql: () => `SELECT bucket_start AS time, CAST(gas_used AS DOUBLE PRECISION) AS gas_used\nFROM ${S}.chain_activity\nWHERE ${buckets()}\nORDER BY 1`,
    },
    {
      title: 'Fees paid (ETH)',
      description: 'Sum over transactions of receipt gas_used x effective_gas_price, in ETH.',
      format: 'time_series',
      chart: 'bars',
      sql: () => `SELECT bucket_start AS time, CAST(fees_wei AS DOUBLE PRECISION) / 1e18 AS fees_eth\nFROM ${S}.chain_activity\nWHERE ${buckets()}\nORDER BY 1`,
    },
    {
      title: 'Base fee (gwei)',
      description: 'Lowest, average and highest base fee per gas of the blocks in the bucket.',
      format: 'time_series',
      chart: 'lines',
      sql: () =>
        `SELECT bucket_start AS time, CAST(min_base_fee_per_gas AS DOUBLE PRECISION) / 1e9 AS min_gwei,\n  CAST(avg_base_fee_per_gas AS DOUBLE PRECISION) / 1e9 AS avg_gwei, CAST(max_base_fee_per_gas AS DOUBLE PRECISION) / 1e9 AS max_gwei\nFROM ${S}.chain_activity\nWHERE ${buckets()} AND avg_base_fee_per_gas IS NOT NULL\nORDER BY 1`,
    },
    {
      title: 'Active addresses',
      description: 'Distinct senders and recipients per bucket (registry metric active_addresses; it has days and weeks, so hours come from chain_activity, the model it copies).',
      format: 'time_series',
      chart: 'bars',
      sql: () =>
        `SELECT bucket_start AS time, value AS active_addresses\nFROM ${S}.metrics_data\nWHERE metric = 'active_addresses' AND ${buckets()}\nUNION ALL\nSELECT bucket_start, active_addresses\nFROM ${S}.chain_activity\nWHERE '$grain' = 'hour' AND ${buckets()}\nORDER BY 1`,
    },
    {
      title: 'Gas price paid (gwei bins)',
      description: 'Transactions per bucket by effective gas price, in the fixed bins of the registry metric gas_price_histogram.',
      format: 'time_series',
      chart: 'stacked',
      sql: (d) =>
        `SELECT bucket_start AS time,\n${GAS_BINS.map((bin, i) => `  ${d.jsonArrayInt('value_json', 'counts', i)} AS "${bin} gwei"`).join(',\n')}\nFROM ${S}.metrics_data\nWHERE metric = 'gas_price_histogram' AND ${buckets()}\nORDER BY 1`,
    },
  ],
};

const securityTokens: DashboardDef = {
  uid: 'ledgerflow-security-tokens',
  title: 'Ledgerflow: security tokens',
  description: 'ERC-1400 family tokens: issuance, redemption and transfers by token and partition, holders, top holders and document updates.',
  panels: [
    {
      title: 'Issued by token and partition',
      description: 'Raw units issued per bucket (security_token_activity; exact in the warehouse, charted as floating point).',
      format: 'time_series',
      chart: 'bars',
      sql: () => `SELECT a.bucket_start AS time, ${partitionLabel('a')} AS metric, ${amount('a.issued')} AS issued\nFROM ${S}.security_token_activity a ${tokenJoin('a')}\nWHERE ${buckets('a.')}\nORDER BY 1`,
    },
    {
      title: 'Redeemed by token and partition',
      description: 'Raw units redeemed per bucket (security_token_activity).',
      format: 'time_series',
      chart: 'bars',
      sql: () => `SELECT a.bucket_start AS time, ${partitionLabel('a')} AS metric, ${amount('a.redeemed')} AS redeemed\nFROM ${S}.security_token_activity a ${tokenJoin('a')}\nWHERE ${buckets('a.')}\nORDER BY 1`,
    },
    {
      title: 'Transferred by token and partition',
      description: 'Raw units transferred between holders per bucket (security_token_activity).',
      format: 'time_series',
      chart: 'bars',
      sql: () => `SELECT a.bucket_start AS time, ${partitionLabel('a')} AS metric, ${amount('a.transferred')} AS transferred\nFROM ${S}.security_token_activity a ${tokenJoin('a')}\nWHERE ${buckets('a.')}\nORDER BY 1`,
    },
    {
      title: 'Holders by token',
      description: 'Addresses with a positive balance at the end of each bucket in which the token moved (security_token_holders).',
      format: 'time_series',
      chart: 'lines',
      sql: () => `SELECT h.bucket_start AS time, ${tokenLabel('h')} AS metric, h.holders\nFROM ${S}.security_token_holders h ${tokenJoin('h')}\nWHERE ${buckets('h.')}\nORDER BY 1`,
    },
    {
      title: 'Holders by partition',
      description: 'Holders with a positive balance in each partition at the end of the day or week (registry metric security_token_holders_by_partition; dimensions as JSON).',
      format: 'time_series',
      chart: 'lines',
      grainsOf: 'security_token_holders_by_partition',
      sql: () => `SELECT bucket_start AS time, dimensions AS metric, value AS holders\nFROM ${S}.metrics_data\nWHERE metric = 'security_token_holders_by_partition' AND ${buckets()}\nORDER BY 1`,
    },
    {
      title: 'Issuance events',
      description: 'Issuance movements per bucket, token and partition (registry metric security_token_issuance, a counter).',
      format: 'time_series',
      chart: 'bars',
      sql: () => `SELECT bucket_start AS time, dimensions AS metric, value AS issuances\nFROM ${S}.metrics_data\nWHERE metric = 'security_token_issuance' AND ${buckets()}\nORDER BY 1`,
    },
    {
      title: 'Top holders',
      description: 'The largest positive balances at the end of the last loaded day in the time range (security_token_balances; exact raw units).',
      format: 'table',
      sql: (d) =>
        `SELECT ${tokenLabel('b')} AS token, b.holder, b.balance\nFROM ${S}.security_token_balances b ${tokenJoin('b')}\nWHERE b.day_start = (\n  SELECT MAX(day_start) FROM ${S}.security_token_balances WHERE ${secondsInRange('day_start')}\n) AND ${d.nonZeroIsPositive('b.balance')}\nORDER BY ${d.amountDesc('b.balance')}\nLIMIT 20`,
    },
    {
      title: 'Document updates',
      description: 'ERC-1643 DocumentUpdated and DocumentRemoved events in the time range.',
      format: 'table',
      sql: () =>
        `SELECT TIMESTAMP '1970-01-01 00:00:00' + bl."timestamp" * INTERVAL '1 second' AS time, e.token_address, e.event_name, e.document_name, e.document_uri, e.document_hash\nFROM ${S}.security_token_events e\nJOIN ${S}.blocks bl ON bl.number = e.block_number\nWHERE e.event_name IN ('DocumentUpdated', 'DocumentRemoved') AND ${secondsInRange('bl."timestamp"')}\nORDER BY bl."timestamp" DESC, e.log_index DESC\nLIMIT 100`,
    },
  ],
};

const tokenActivity: DashboardDef = {
  uid: 'ledgerflow-token-activity',
  title: 'Ledgerflow: token activity',
  description: 'ERC-20 and ERC-721 transfers, volume and distinct senders and receivers per bucket and token (token_activity).',
  panels: [
    {
      title: 'Transfers by token',
      description: 'Transfer events per bucket.',
      format: 'time_series',
      chart: 'bars',
      sql: () => `SELECT t.bucket_start AS time, ${tokenLabel('t')} AS metric, t.transfers\nFROM ${S}.token_activity t ${tokenJoin('t')}\nWHERE ${buckets('t.')}\nORDER BY 1`,
    },
    {
      title: 'Volume by token (raw units)',
      description: 'Sum of transferred raw units (exact in the warehouse; meaningless for ERC-721, whose values are token ids).',
      format: 'time_series',
      chart: 'lines',
      sql: () => `SELECT t.bucket_start AS time, ${tokenLabel('t')} AS metric, ${amount('t.volume')} AS volume\nFROM ${S}.token_activity t ${tokenJoin('t')}\nWHERE ${buckets('t.')}\nORDER BY 1`,
    },
    {
      title: 'Distinct senders and receivers',
      description: 'Addresses sending and receiving tokens per bucket, summed over tokens.',
      format: 'time_series',
      chart: 'lines',
      sql: () => `SELECT bucket_start AS time, SUM(distinct_senders) AS senders, SUM(distinct_receivers) AS receivers\nFROM ${S}.token_activity\nWHERE ${buckets()}\nGROUP BY bucket_start\nORDER BY 1`,
    },
    {
      title: 'Most active tokens',
      description: 'Tokens by transfers over the time range.',
      format: 'table',
      sql: () =>
        `SELECT ${tokenLabel('t')} AS token, t.token_address, SUM(t.transfers) AS transfers, SUM(t.distinct_senders) AS sender_buckets\nFROM ${S}.token_activity t ${tokenJoin('t')}\nWHERE ${buckets('t.')}\nGROUP BY k.symbol, t.token_address\nORDER BY 3 DESC\nLIMIT 20`,
    },
  ],
};

export const DATA_DASHBOARDS: readonly DashboardDef[] = [chainActivity, securityTokens, tokenActivity];

export interface RenderedDashboard {
  file: string;
  kind: DatasourceKind;
  json: Record<string, unknown>;
}

/** Every dashboard for every datasource, as the files dashboards/ holds. */
export function renderDataDashboards(): RenderedDashboard[] {
  return DATA_DASHBOARDS.flatMap((def) =>
    (['postgres', 'redshift'] as const).map((kind) => ({
      file: `${def.uid}${kind === 'redshift' ? '-redshift' : ''}.json`,
      kind,
      json: renderDashboard(def, kind),
    })),
  );
}

function renderDashboard(def: DashboardDef, kind: DatasourceKind): Record<string, unknown> {
  const d = DIALECTS[kind];
  const datasource = { type: d.pluginId, uid: '${datasource}' };
  return {
    uid: kind === 'redshift' ? `${def.uid}-rs` : def.uid,
    title: `${def.title} (${d.label})`,
    description: def.description,
    tags: ['ledgerflow', 'analytics', kind],
    timezone: 'utc',
    schemaVersion: 39,
    version: 1,
    editable: true,
    graphTooltip: 1,
    time: { from: 'now-30d', to: 'now' },
    templating: {
      list: [
        { name: 'datasource', type: 'datasource', query: d.pluginId, label: `${d.label} warehouse`, current: {}, hide: 0 },
        { name: 'schema', type: 'textbox', label: 'Warehouse schema (WAREHOUSE_SCHEMA)', query: 'ledgerflow', current: { text: 'ledgerflow', value: 'ledgerflow' }, hide: 0 },
        {
          name: 'grain',
          type: 'custom',
          label: 'Bucket',
          query: BUCKETS.join(','),
          current: { text: 'day', value: 'day' },
          options: BUCKETS.map((g) => ({ text: g, value: g, selected: g === 'day' })),
          hide: 0,
        },
      ],
    },
    annotations: { list: [] },
    links: [],
    panels: def.panels.map((panel, i) => renderPanel(panel, i, d, datasource)),
  };
}

function renderPanel(panel: PanelDef, index: number, d: Dialect, datasource: { type: string; uid: string }): Record<string, unknown> {
  const sql = panel.sql(d);
  const target =
    d.pluginId === DIALECTS.postgres.pluginId
      ? { refId: 'A', datasource, editorMode: 'code', rawQuery: true, format: panel.format, rawSql: sql }
      : // The Redshift plugin's query model: format 1 is a time series, 0 a table.
        { refId: 'A', datasource, rawSQL: sql, format: panel.format === 'time_series' ? 1 : 0, fillMode: { mode: 0 } };
  const width = 12;
  const base = {
    id: index + 1,
    title: panel.title,
    description: panel.description,
    datasource,
    gridPos: { x: (index % 2) * width, y: Math.floor(index / 2) * 9, w: width, h: 9 },
    targets: [target],
  };
  if (panel.format === 'table') return { ...base, type: 'table', options: { showHeader: true }, fieldConfig: { defaults: {}, overrides: [] } };
  return {
    ...base,
    type: 'timeseries',
    fieldConfig: {
      defaults: {
        unit: panel.unit ?? 'short',
        custom: {
          drawStyle: panel.chart === 'lines' ? 'line' : 'bars',
          fillOpacity: panel.chart === 'lines' ? 10 : 80,
          stacking: { mode: panel.chart === 'stacked' ? 'normal' : 'none', group: 'A' },
        },
      },
      overrides: [],
    },
    options: { legend: { displayMode: 'list', placement: 'bottom', showLegend: true }, tooltip: { mode: 'multi', sort: 'none' } },
  };
}

/** The file's text: two-space JSON and a final newline, like the hand-written dashboards. */
export function dashboardText(json: Record<string, unknown>): string {
  return `${JSON.stringify(json, null, 2)}\n`;
}
