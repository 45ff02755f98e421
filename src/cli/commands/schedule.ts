import type { Command } from 'commander';

// Placeholder registration: replaced by the real command.
export function registerSchedule(program: Command): void {
  program.command('schedule').description('(not built yet)').action(() => {
    throw new Error('ledgerflow schedule is not built yet');
  });
}
