import { configForSections } from '../../config.js';
import { InvalidInputError } from '../../errors/LedgerflowError.js';
import { dayManifestKey } from '../../lake/objectKey.js';
import { findDayManifest } from '../../lake/readDayManifest.js';
import { createLogger } from '../../log.js';
import { loadDay } from '../../warehouse/loadDay.js';
import { migrate } from '../../warehouse/migrate.js';
import { refreshMetrics, runModels } from '../../warehouse/runMetric.js';
import { isWarehouseTable, WAREHOUSE_TABLES, type WarehouseTableName } from '../../warehouse/tables.js';
import type { WarehouseDeps } from '../../warehouse/types.js';
import { warehouseFromConfig } from '../../warehouse/warehouseFromConfig.js';

export interface LoadOptions {
  date: string;
  chainId?: string;
  tables?: string;
}

export interface ModelsOptions {
  date?: string;
  refresh?: boolean;
}

export async function runWarehouseMigrate(): Promise<void> {
  return withWarehouse(async (deps) => {
    const result = await migrate(deps);
    process.stdout.write(`schema ${deps.schema} at version ${result.version} (${result.applied.length} migration(s) applied)\n`);
  });
}

export async function runWarehouseLoad(options: LoadOptions): Promise<void> {
  return withWarehouse(async (deps, chainIdFromEnv) => {
    const chainId = Number(options.chainId ?? chainIdFromEnv);
    if (!Number.isSafeInteger(chainId) || chainId <= 0) {
      throw new InvalidInputError('No chain id for the load', { fix: 'pass --chain-id or set CHAIN_ID' });
    }
    const found = await findDayManifest(deps, { chainId, date: options.date });
    if (!found) {
      throw new InvalidInputError(`Day ${options.date} of chain ${chainId} is not sealed: no ${dayManifestKey({ prefix: deps.lake.prefix, chainId, date: options.date })}`, {
        fix: `export it first: ledgerflow lake export-day --date ${options.date}`,
      });
    }
    const result = await loadDay(deps, {
      manifest: found.manifest,
      manifestKey: found.key,
      manifestSha256: found.sha256,
      ...(options.tables ? { tables: parseTables(options.tables) } : {}),
    });
    for (const table of result.tables) process.stdout.write(`${table.table}\t${table.rows}\n`);
  });
}

export async function runWarehouseModels(options: ModelsOptions): Promise<void> {
  return withWarehouse(async (deps) => {
    if (Boolean(options.date) === Boolean(options.refresh)) {
      throw new InvalidInputError('Pass exactly one of --date and --refresh', { fix: 'ledgerflow warehouse models --date 2024-01-31, or --refresh' });
    }
    const results = options.date ? await runModels(deps, { date: options.date }) : await refreshMetrics(deps);
    for (const r of results) process.stdout.write(`${r.model}\t${r.rows}\t${r.ms} ms\n`);
  });
}

async function withWarehouse(action: (deps: WarehouseDeps, chainId: number | undefined) => Promise<void>): Promise<void> {
  // Warehouse commands never call a node: they read the lake and the warehouse, never RPC_URL.
  const config = configForSections(['lake', 'warehouse'], { neededBy: () => 'the `ledgerflow warehouse` commands' });
  const deps = warehouseFromConfig(config, createLogger(config.logLevel));
  try {
    await action(deps, config.chainId);
  } finally {
    await deps.close();
  }
}

function parseTables(list: string): WarehouseTableName[] {
  const names = list.split(',').map((s) => s.trim()).filter(Boolean);
  const unknown = names.filter((n) => !isWarehouseTable(n));
  if (unknown.length || !names.length) {
    throw new InvalidInputError(`Unknown table(s) ${unknown.join(', ') || '(none given)'}`, { fix: `choose from ${WAREHOUSE_TABLES.join(', ')}` });
  }
  return names as WarehouseTableName[];
}
