import type { StepCost } from './measure.js';
import type { OutputSummary } from './outputs.js';

export interface ToolResult {
  name: string;
  /** Medians over the rounds; peak RSS is the largest of them. */
  cost: StepCost;
  /** CPU anvil spent serving the tool (median): the node's side of the wall time. */
  anvilCpuSeconds: number;
  output: OutputSummary;
  /** The bare loop writes nothing: its rows and output are shown as "-". */
  writes: boolean;
}

const ENTITY_COLUMNS: Array<[string, string[]]> = [
  ['blocks', ['blocks']],
  ['transactions', ['transactions']],
  ['receipts', ['receipts']],
  ['logs', ['logs']],
  ['token transfers', ['token_transfers', 'erc20_transfers']],
];

const fixed = (n: number, digits: number) => n.toFixed(digits);

/** One line per tool: time, CPU, memory, output size and rows per entity. */
export function resultsTable(results: ToolResult[], blocks: number): string {
  const header = ['tool', 'wall s', 'CPU s', 'ms CPU / block', 'peak RSS MB', 'anvil CPU s', 'output MB', ...ENTITY_COLUMNS.map(([label]) => `${label} rows`)];
  const lines = results.map((r) => {
    const rows = ENTITY_COLUMNS.map(([, names]) => {
      const found = names.map((n) => r.output.rows.get(n)).find((v) => v !== undefined);
      return r.writes && found !== undefined ? String(found) : '-';
    });
    return [r.name, fixed(r.cost.wallSeconds, 1), fixed(r.cost.cpuSeconds, 1), fixed((1000 * r.cost.cpuSeconds) / blocks, 2), fixed(r.cost.peakRssMb, 0), fixed(r.anvilCpuSeconds, 1), r.writes ? fixed(r.output.bytes / 2 ** 20, 1) : '-', ...rows];
  });
  return markdown(header, lines);
}

/**
 * Each Ledgerflow line against every other tool: its CPU per block, peak RSS, wall time and output
 * bytes divided by the other's. Below 1 means Ledgerflow needs less.
 */
export function ratiosTable(results: ToolResult[]): string {
  const ours = results.filter((r) => r.name.startsWith('Ledgerflow'));
  const others = results.filter((r) => !r.name.startsWith('Ledgerflow'));
  const lines: string[][] = [];
  for (const a of ours) {
    for (const b of others) {
      const output = a.writes && b.writes && b.output.bytes > 0 ? fixed(a.output.bytes / b.output.bytes, 2) : '-';
      lines.push([a.name, b.name, fixed(a.cost.cpuSeconds / b.cost.cpuSeconds, 2), fixed(a.cost.peakRssMb / b.cost.peakRssMb, 2), fixed(a.cost.wallSeconds / b.cost.wallSeconds, 2), output]);
    }
  }
  return markdown(['Ledgerflow', 'against', 'CPU per block', 'peak RSS', 'wall', 'output bytes'], lines);
}

function markdown(header: string[], lines: string[][]): string {
  return [header, header.map(() => '---'), ...lines].map((cells) => `| ${cells.join(' | ')} |`).join('\n');
}
