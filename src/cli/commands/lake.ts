import type { Command } from 'commander';
import { blockRangeForDate } from '../../chain/blockRange/blockRangeForDate.js';
import { createRpcPool } from '../../chain/rpc/createRpcPool.js';
import { rpcPoolOptionsFromConfig } from '../../chain/rpc/rpcPoolOptionsFromConfig.js';
import { rpcChainId } from '../../chain/rpc/rpcChainId.js';
import { rpcClientVersion } from '../../chain/rpc/rpcClientVersion.js';
import type { RpcClient } from '../../chain/rpc/types.js';
import { configFromEnv, type Config } from '../../config.js';
import { ConfigurationError, InvalidInputError } from '../../errors/LedgerflowError.js';
import { createLogger } from '../../log.js';
import { checkLakeObjects } from '../../lake/checkLakeObjects.js';
import { exportDayToLake } from '../../lake/exportDayToLake.js';
import { exporterVersion } from '../../lake/exporterVersion.js';
import { lakeFromConfig } from '../../lake/lakeFromConfig.js';
import { dayManifestKey } from '../../lake/objectKey.js';
import { readDayManifest } from '../../lake/readDayManifest.js';
import { verifyDay } from '../../lake/verifyDay.js';

interface ExportDayOptions {
  date: string;
  chunkSize?: string;
  concurrency: string;
  force?: boolean;
}

interface VerifyOptions {
  date: string;
  objectsOnly?: boolean;
}

export function registerLake(program: Command): void {
  const lake = program.command('lake').description('Export days to the S3 data lake and verify them against their custody manifests');
  lake
    .command('export-day')
    .description('Export one UTC day to S3 in chunks and seal its manifest (prints the manifest key and sha256)')
    .requiredOption('--date <YYYY-MM-DD>', 'the UTC day')
    .option('--chunk-size <blocks>', 'blocks per chunk (default: $CHUNK_SIZE or 500)')
    .option('--concurrency <n>', 'chunks exported at once', '2')
    .option('--force', 'export and seal again even if the day is sealed')
    .action(async (options: ExportDayOptions) => runExportDay(options));
  lake
    .command('verify')
    .description("Check a sealed day: every object's size and sha256, then a re-export compared digest by digest")
    .requiredOption('--date <YYYY-MM-DD>', 'the UTC day')
    .option('--objects-only', 'check the stored objects only, without re-exporting from the node')
    .action(async (options: VerifyOptions) => runVerify(options));
}

async function runExportDay(options: ExportDayOptions): Promise<void> {
  const config = lakeConfig(options.chunkSize === undefined ? {} : { chunkSize: positive(options.chunkSize, '--chunk-size') });
  const logger = createLogger(config.logLevel);
  await withRpc(config, async (rpc) => {
    const chainId = await checkedChainId(config, rpc);
    const range = await blockRangeForDate(rpc, options.date, { finalityDepth: config.finalityDepth });
    const deps = { ...lakeFromConfig(config), rpc, logger };
    try {
      const result = await exportDayToLake(
        deps,
        {
          chainId,
          date: options.date,
          range,
          entities: config.entities,
          chunkSize: config.chunkSize,
          exporterVersion: exporterVersion(),
          nodeClientVersion: await rpcClientVersion(rpc),
          force: options.force ?? false,
        },
        {
          concurrency: positive(options.concurrency, '--concurrency'),
          onChunk: (done, total) => logger.info({ chain_id: chainId, date: options.date, done, total }, 'chunk exported'),
        },
      );
      if (result.skipped) logger.info({ chain_id: chainId, date: options.date, key: result.manifestKey }, 'day already sealed; pass --force to export it again');
      process.stdout.write(`${result.manifestKey} ${result.manifestSha256}\n`);
    } finally {
      deps.s3.destroy();
    }
  });
}

async function runVerify(options: VerifyOptions): Promise<void> {
  const config = lakeConfig();
  const logger = createLogger(config.logLevel);
  await withRpc(config, async (rpc) => {
    const chainId = await checkedChainId(config, rpc);
    const deps = { ...lakeFromConfig(config), rpc, logger };
    try {
      const manifest = await readDayManifest(deps, { chainId, date: options.date });
      if (!manifest) {
        throw new InvalidInputError(`Day ${options.date} of chain ${chainId} is not sealed: no ${dayManifestKey({ prefix: config.s3Prefix, chainId, date: options.date })}`, {
          fix: `run \`ledgerflow lake export-day --date ${options.date}\` first`,
        });
      }
      const objects = await checkLakeObjects(deps, manifest);
      for (const problem of objects.problems) {
        process.stdout.write(`object ${problem.problem}\t${problem.key}\texpected=${problem.expected ?? ''}\tactual=${problem.actual ?? ''}\n`);
      }
      let reexportOk = true;
      if (!options.objectsOnly) {
        const verified = await verifyDay(deps, { manifest });
        reexportOk = verified.ok;
        for (const m of verified.mismatches) {
          process.stdout.write(`digest mismatch\t${m.key}\t${m.reason}\texpected=${m.expectedSha256}/${m.expectedRows}\tactual=${m.actualSha256 ?? ''}/${m.actualRows ?? ''}\n`);
        }
        for (const m of verified.hashMismatches) {
          process.stdout.write(`block hash mismatch\tchunk ${m.chunk}\t${m.field}\texpected=${m.expected}\tactual=${m.actual}\n`);
        }
      }
      const ok = objects.ok && reexportOk;
      process.stdout.write(`${ok ? 'ok' : 'FAILED'}\t${options.date}\t${manifest.files.length} files\n`);
      if (!ok) process.exitCode = 1;
    } finally {
      deps.s3.destroy();
    }
  });
}

/** Lake commands never reach the warehouse, so DATABASE_URL is not required for them. */
function lakeConfig(overrides: Partial<Record<keyof Config, unknown>> = {}): Config {
  return configFromEnv(process.env, { databaseUrl: process.env.DATABASE_URL || 'unused-by-lake-commands', ...overrides });
}

async function withRpc<T>(config: Config, run: (rpc: RpcClient) => Promise<T>): Promise<T> {
  const rpc = createRpcPool(rpcPoolOptionsFromConfig(config));
  try {
    return await run(rpc);
  } finally {
    await rpc.close();
  }
}

async function checkedChainId(config: Config, rpc: RpcClient): Promise<number> {
  const reported = await rpcChainId(rpc);
  if (config.chainId !== undefined && config.chainId !== reported) {
    throw new ConfigurationError(`CHAIN_ID is ${config.chainId} but the node at ${rpc.describe()} serves chain ${reported}`, {
      fix: 'point RPC_URL at a node of the configured chain, or correct CHAIN_ID',
    });
  }
  return reported;
}

function positive(text: string, flag: string): number {
  const value = Number(text);
  if (!/^\d+$/.test(text.trim()) || !Number.isSafeInteger(value) || value < 1) {
    throw new InvalidInputError(`${flag} must be a positive integer, got "${text}"`, { fix: `pass ${flag} as a whole number such as 500` });
  }
  return value;
}
