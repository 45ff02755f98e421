import type { Command } from 'commander';

// Placeholder registration: replaced by the real command.
export function registerWarehouse(program: Command): void {
  program.command('warehouse').description('(not built yet)').action(() => {
    throw new Error('ledgerflow warehouse is not built yet');
  });
}
