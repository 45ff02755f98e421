import { Command, CommanderError } from 'commander';
import { LedgerflowError } from '../errors/LedgerflowError.js';
import { registerExport } from './commands/export.js';
import { registerBlockRange } from './commands/blockRange.js';
import { registerStack } from './commands/stack.js';
import { registerLake } from './commands/lake.js';
import { registerWarehouse } from './commands/warehouse.js';
import { registerRunDay } from './commands/runDay.js';
import { registerBackfill } from './commands/backfill.js';
import { registerSchedule } from './commands/schedule.js';
import { registerWorker } from './commands/worker.js';
import { registerDemo } from './commands/demo.js';
import { registerCodecServer } from './commands/codecServer.js';
import { registerRpc } from './commands/rpc.js';
import { registerMetrics } from './commands/metrics.js';
import { registerReport } from './commands/report.js';

// Each register* only declares a command's options; its action imports src/cli/actions/<command>.js when it
// runs, so `--help` and usage errors never load Temporal, the AWS SDK, pg or the chain exporter.
const program = new Command('ledgerflow')
  .description('Durable, reproducible Ethereum ETL: JSON-RPC -> S3 data lake -> warehouse -> models')
  .showHelpAfterError('(run with --help for usage)')
  .exitOverride();

for (const register of [
  registerExport,
  registerBlockRange,
  registerStack,
  registerLake,
  registerWarehouse,
  registerRunDay,
  registerBackfill,
  registerSchedule,
  registerWorker,
  registerDemo,
  registerCodecServer,
  registerRpc,
  registerMetrics,
  registerReport,
]) {
  register(program);
}

try {
  await program.parseAsync(process.argv);
} catch (error) {
  process.exitCode = reportError(error);
}

/** One line per failure on stderr, naming the problem and the fix; never a stack trace for expected errors. */
function reportError(error: unknown): number {
  if (error instanceof CommanderError) {
    // Commander already printed usage problems; --help and --version exit 0.
    return error.exitCode;
  }
  if (error instanceof LedgerflowError) {
    process.stderr.write(`ledgerflow: ${error.message}\n`);
    if (process.env.LEDGERFLOW_DEBUG && error.cause) process.stderr.write(`${String((error.cause as Error).stack ?? error.cause)}\n`);
    return 1;
  }
  process.stderr.write(`ledgerflow: unexpected error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  return 2;
}
