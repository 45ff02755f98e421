import type { Command } from 'commander';

// Placeholder registration: replaced by the real command.
export function registerStack(program: Command): void {
  program.command('stack').description('(not built yet)').action(() => {
    throw new Error('ledgerflow stack is not built yet');
  });
}
