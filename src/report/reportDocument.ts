import type { ReportData, TokenLabel } from '../warehouse/reportData.js';
import { bucketText } from './bucketLabel.js';
import type { ChartSeries, ChartSpec, DetailTable } from './chartTypes.js';
import { COUNT, sumIntegers, type AmountFormat } from './formatAmount.js';

export interface ReportPanel {
  chart: ChartSpec;
  table: DetailTable;
}

export interface ReportSection {
  id: string;
  title: string;
  notes: string[];
  panels: ReportPanel[];
}

export interface StatTile {
  label: string;
  value: string;
  format: AmountFormat;
}

/** What the page says, decided from the data alone: the HTML is a pure rendering of this. */
export interface ReportDocument {
  title: string;
  facts: string[];
  stats: StatTile[];
  sections: ReportSection[];
}

const ETH: AmountFormat = { decimals: 18, unit: 'ETH' };
const GAS: AmountFormat = { decimals: 0, unit: 'gas' };
const GRAIN_WORDS: Record<string, string> = { hour: 'hourly', day: 'daily', week: 'weekly' };

export function reportDocument(data: ReportData, options: { schema: string }): ReportDocument {
  const { range } = data;
  const chains = data.chainIds.length === 1 ? `chain ${data.chainIds[0]}` : `chains ${data.chainIds.join(', ')}`;
  const days = daysOf(range.from, range.to);
  const missing = days.filter((d) => !data.loadedDays.includes(d));
  // The title names the chain and the range; these say how the figures were cut and where from.
  const facts = [
    `${GRAIN_WORDS[range.grain] ?? range.grain} buckets (UTC)`,
    `${data.loadedDays.length} of ${days.length} day${days.length === 1 ? '' : 's'} loaded${missing.length > 0 ? ` (not loaded: ${missing.join(', ')})` : ''}`,
    `warehouse schema ${options.schema}`,
  ];
  const chain = data.chainActivity;
  const movements = data.securityTokenActivity.map((r) => r.movements);
  return {
    title: `Ledgerflow report · ${chains} · ${range.from} to ${range.to}`,
    facts,
    stats: [
      { label: 'Blocks', value: sumIntegers(chain.map((r) => r.blocks)), format: COUNT },
      { label: 'Transactions', value: sumIntegers(chain.map((r) => r.transactions)), format: COUNT },
      { label: 'Failed transactions', value: sumIntegers(chain.map((r) => r.failedTransactions)), format: COUNT },
      { label: 'Gas used', value: sumIntegers(chain.map((r) => r.gasUsed)), format: GAS },
      { label: 'Fees paid', value: sumIntegers(chain.map((r) => r.feesWei)), format: ETH },
      { label: 'Security-token movements', value: sumIntegers(movements), format: COUNT },
    ],
    sections: [chainSection(data), securityTokenSection(data)],
  };
}

function chainSection(data: ReportData): ReportSection {
  const byBucket = new Map(data.chainActivity.map((r) => [r.bucketStart, r]));
  const column = (pick: (r: ReportData['chainActivity'][number]) => string) => data.buckets.map((b) => {
    const row = byBucket.get(b);
    return row ? pick(row) : null;
  });
  const panel = (id: string, title: string, note: string, kind: ChartSpec['kind'], format: AmountFormat, series: ChartSeries[]) => bucketPanel(data, { id, title, note, kind, format, series });
  const notes = data.range.grain === 'week' ? ['Weekly buckets cover whole weeks (Monday to Sunday), including days outside the range.'] : [];
  return {
    id: 'chain',
    title: 'Chain activity',
    notes: data.chainActivity.length === 0 ? [...notes, 'No blocks in this range.'] : notes,
    panels: [
      panel('transactions', 'Transactions', 'Transactions included in blocks, and those whose receipt status is 0 (failed).', 'bars', COUNT, [
        { name: 'transactions', values: column((r) => r.transactions) },
        { name: 'failed', values: column((r) => r.failedTransactions) },
      ]),
      panel('gas-used', 'Gas used', 'Sum of the gas used by every block.', 'bars', GAS, [{ name: 'gas used', values: column((r) => r.gasUsed) }]),
      panel('fees', 'Fees paid (ETH)', 'Sum over transactions of receipt gas used × effective gas price.', 'bars', ETH, [{ name: 'fees', values: column((r) => r.feesWei) }]),
      panel('active-addresses', 'Active addresses', 'Distinct senders and recipients of transactions.', 'lines', COUNT, [
        { name: 'active addresses', values: column((r) => r.activeAddresses) },
      ]),
    ],
  };
}

function securityTokenSection(data: ReportData): ReportSection {
  const labels = new Map(data.tokens.map((t) => [t.address, t]));
  const tokens = [...new Set([...data.securityTokenActivity, ...data.holders, ...data.openingHolders].map((r) => r.tokenAddress))].sort();
  const notes: string[] = [];
  if (tokens.length === 0) notes.push('No security-token activity in this range.');
  const panels: ReportPanel[] = [];
  tokens.forEach((token, t) => {
    const label = tokenName(labels.get(token), token);
    const format = tokenFormat(labels.get(token));
    const rows = data.securityTokenActivity.filter((r) => r.tokenAddress === token);
    if (rows.length === 0) return;
    const sum = (pick: (r: (typeof rows)[number]) => string) => data.buckets.map((b) => {
      const inBucket = rows.filter((r) => r.bucketStart === b);
      return inBucket.length === 0 ? null : sumIntegers(inBucket.map(pick));
    });
    const chart: ChartSpec = {
      id: `token-${t + 1}-amounts`,
      title: `${label}: issued, redeemed and transferred`,
      note: `Token ${token}, all partitions together; the table splits them.`,
      kind: 'bars',
      buckets: data.buckets,
      grain: data.range.grain,
      format,
      series: [
        { name: 'issued', values: sum((r) => r.issued) },
        { name: 'redeemed', values: sum((r) => r.redeemed) },
        { name: 'transferred', values: sum((r) => r.transferred) },
      ],
    };
    const table: DetailTable = {
      caption: `${label} by partition`,
      columns: [{ label: 'bucket' }, { label: 'partition' }, { label: 'issued', format }, { label: 'redeemed', format }, { label: 'transferred', format }, { label: 'movements', format: COUNT }],
      rows: rows.map((r) => [bucketText(r.bucketStart, data.range.grain), partitionName(r.partition), r.issued, r.redeemed, r.transferred, r.movements]),
    };
    panels.push({ chart, table });
  });
  if (tokens.length > 0) {
    panels.push(
      bucketPanel(data, {
        id: 'holders',
        title: 'Holders by token',
        note: 'Addresses holding a positive balance at the end of each bucket; unchanged where the token did not move.',
        kind: 'lines',
        format: COUNT,
        series: tokens.map((token) => ({ name: tokenName(labels.get(token), token), values: carriedHolders(data, token) })),
      }),
    );
  }
  if (data.range.grain === 'hour') {
    if (tokens.length > 0) notes.push('Holders by partition are computed for daily and weekly buckets: run the report with --grain day or week to see them.');
  } else {
    const partitionTokens = [...new Set(data.partitionHolders.map((r) => r.tokenAddress))].sort();
    partitionTokens.forEach((token, t) => {
      const rows = data.partitionHolders.filter((r) => r.tokenAddress === token);
      const partitions = [...new Set(rows.map((r) => r.partition))].sort(comparePartitions);
      const label = tokenName(labels.get(token), token);
      panels.push(
        bucketPanel(data, {
          id: `token-${t + 1}-partition-holders`,
          title: `${label}: holders by partition`,
          note: `Token ${token}: addresses with a positive balance in each partition at the end of the bucket.`,
          // Bars side by side: partitions often hold the same count, and equal lines would hide each other.
          kind: 'bars',
          format: COUNT,
          series: partitions.map((p) => ({
            name: partitionName(p),
            values: data.buckets.map((b) => rows.find((r) => r.bucketStart === b && r.partition === p)?.holders ?? null),
          })),
        }),
      );
    });
  }
  return { id: 'security-tokens', title: 'Security tokens', notes, panels };
}

/** A chart over the buckets and the table of the same figures, one row per bucket with any figure. */
function bucketPanel(data: ReportData, chart: Omit<ChartSpec, 'buckets' | 'grain'>): ReportPanel {
  const rows = data.buckets
    .map((b, i) => [bucketText(b, data.range.grain), ...chart.series.map((s) => s.values[i] ?? null)])
    .filter((row) => row.slice(1).some((v) => v !== null));
  return {
    chart: { ...chart, buckets: data.buckets, grain: data.range.grain },
    table: { caption: chart.title, columns: [{ label: 'bucket' }, ...chart.series.map((s) => ({ label: s.name, format: chart.format }))], rows },
  };
}

/** The token's holders per bucket: the model writes a row only when the token moved, so the last figure carries. */
function carriedHolders(data: ReportData, token: string): Array<string | null> {
  let last: string | null = data.openingHolders.find((r) => r.tokenAddress === token)?.holders ?? null;
  const rows = new Map(data.holders.filter((r) => r.tokenAddress === token).map((r) => [r.bucketStart, r.holders]));
  return data.buckets.map((b) => {
    last = rows.get(b) ?? last;
    return last;
  });
}

export function tokenName(label: TokenLabel | undefined, address: string): string {
  return label?.symbol ?? shortHex(address);
}

function tokenFormat(label: TokenLabel | undefined): AmountFormat {
  return { decimals: label?.decimals ?? 0, unit: label?.symbol ?? 'units' };
}

/** bytes32 partitions are usually short ASCII names padded with zeros (`locked`); others keep their hex. */
export function partitionName(partition: string | null): string {
  if (partition === null) return 'no partition';
  const hex = /^0x((?:[0-9a-f]{2})*)$/i.exec(partition)?.[1];
  if (hex === undefined) return partition;
  const bytes = Buffer.from(hex, 'hex');
  let end = bytes.length;
  while (end > 0 && bytes[end - 1] === 0) end -= 1;
  const text = bytes.subarray(0, end).toString('latin1');
  return end > 0 && /^[\x20-\x7e]+$/.test(text) ? text : shortHex(partition);
}

function comparePartitions(a: string | null, b: string | null): number {
  if (a === b) return 0;
  if (a === null) return 1;
  if (b === null) return -1;
  return a < b ? -1 : 1;
}

function shortHex(hex: string): string {
  return hex.length > 14 ? `${hex.slice(0, 6)}…${hex.slice(-4)}` : hex;
}

function daysOf(from: string, to: string): string[] {
  const days: string[] = [];
  for (let ms = Date.parse(`${from}T00:00:00Z`); ms <= Date.parse(`${to}T00:00:00Z`); ms += 86_400_000) days.push(new Date(ms).toISOString().slice(0, 10));
  return days;
}
