import type { Command } from 'commander';
import { WAREHOUSE_TABLES } from '../../warehouse/tables.js';
import type { LoadOptions, ModelsOptions } from '../actions/warehouse.js';

export function registerWarehouse(program: Command): void {
  const warehouse = program.command('warehouse').description('Create the warehouse schema, load sealed days, update the SQL models');
  warehouse
    .command('migrate')
    .description('Create or upgrade the schema (tables, models, migrations record); safe to repeat')
    .action(async () => (await import('../actions/warehouse.js')).runWarehouseMigrate());
  warehouse
    .command('load')
    .description("Load a sealed day from the lake: verify every file against the manifest, then replace the day's rows")
    .requiredOption('--date <YYYY-MM-DD>', 'the UTC day')
    .option('--chain-id <id>', 'chain of the day (default: $CHAIN_ID)')
    .option('--tables <list>', `comma-separated subset of ${WAREHOUSE_TABLES.join(',')}`)
    .action(async (options: LoadOptions) => (await import('../actions/warehouse.js')).runWarehouseLoad(options));
  warehouse
    .command('models')
    .description("Update the SQL models for one day's buckets (--date) or rebuild them from everything loaded (--refresh)")
    .option('--date <YYYY-MM-DD>', 'the UTC day')
    .option('--refresh', 'rebuild every model from all loaded data')
    .action(async (options: ModelsOptions) => (await import('../actions/warehouse.js')).runWarehouseModels(options));
}
