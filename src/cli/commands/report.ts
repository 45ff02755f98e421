import type { Command } from 'commander';
import type { ReportOptions } from '../actions/report.js';

export function registerReport(program: Command): void {
  program
    .command('report')
    .description('Write one self-contained HTML page (no network fetches) charting chain and security-token activity over [--from, --to] from the model tables')
    .requiredOption('--from <YYYY-MM-DD>', 'first UTC day')
    .requiredOption('--to <YYYY-MM-DD>', 'last UTC day (inclusive)')
    .requiredOption('--out <file>', 'HTML file to write')
    .option('--grain <grain>', 'bucket size: hour, day or week', 'day')
    .action(async (options: ReportOptions) => (await import('../actions/report.js')).runReport(options));
}
