import type { Command } from 'commander';
import { DEFAULT_IN_FLIGHT_MIB } from '../../chain/blockBatchSizer.js';
import { ENTITY_NAMES, UNTRACED_ENTITIES } from '../../chain/entities/registry.js';
import type { ExportOptions } from '../actions/export.js';

export function registerExport(program: Command): void {
  program
    .command('export')
    .description('Export a block range to one ethereum-etl compatible file per entity (DIR/<entity>.csv, .json or .parquet)')
    .requiredOption('--rpc <urls>', 'JSON-RPC endpoint URL(s), comma-separated for a failover pool')
    .requiredOption('--start-block <n>', 'first block (inclusive)')
    .requiredOption('--end-block <n>', 'last block (inclusive)')
    .option('--entities <list>', `comma-separated, from: ${ENTITY_NAMES.join(', ')}`, UNTRACED_ENTITIES.join(','))
    .option('--format <format>', 'csv, json (JSON lines) or parquet (deterministic bytes, docs/parquet.md)', 'csv')
    .option('--batch-size <n>', 'JSON-RPC calls per HTTP batch', '100')
    .option('--block-batch-size <n>', 'most blocks fetched per pipeline step (fewer on dense blocks, see --in-flight-mib)', '50')
    .option('--in-flight-mib <n>', 'node answers held at once, in MiB of JSON: bounds memory on dense blocks', String(DEFAULT_IN_FLIGHT_MIB))
    .option('--max-rps <n>', 'cap on JSON-RPC calls per second')
    .option('--retries <n>', 'retries of a failed RPC call on transient errors', '5')
    .option('--token-metadata-at <tag>', 'read token metadata at the creation "block" (reproducible) or "latest" (ethereum-etl)', 'block')
    .option('--traces-from <source>', 'traces from "trace_block" (parity/erigon/reth) or "geth" (debug_traceBlockByNumber callTracer)', 'trace_block')
    .option('--contracts <addresses>', 'only logs of these contracts (comma-separated, or @file with one per line), read with eth_getLogs: for logs, token_transfers, erc1155_transfers, security_token_events (and blocks)')
    .requiredOption('--output <dir>', 'directory for the entity files')
    .action(async (options: ExportOptions, command: Command) => {
      const { runExport } = await import('../actions/export.js');
      return runExport(options, command.getOptionValueSource('entities') === 'default');
    });
}
