import type { Command } from 'commander';

// Placeholder registration: replaced by the real command.
export function registerExport(program: Command): void {
  program.command('export').description('(not built yet)').action(() => {
    throw new Error('ledgerflow export is not built yet');
  });
}
