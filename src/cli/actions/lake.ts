import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { blockRangeForDate } from '../../chain/blockRange/blockRangeForDate.js';
import { createRpcPool } from '../../chain/rpc/createRpcPool.js';
import { rpcPoolOptionsFromConfig } from '../../chain/rpc/rpcPoolOptionsFromConfig.js';
import { rpcChainId } from '../../chain/rpc/rpcChainId.js';
import { rpcClientVersion } from '../../chain/rpc/rpcClientVersion.js';
import type { RpcClient } from '../../chain/rpc/types.js';
import { configForSections, type Config, type SectionConfig } from '../../config.js';
import { ConfigurationError, InvalidInputError } from '../../errors/LedgerflowError.js';
import { createLogger } from '../../log.js';
import { checkLakeObjects, pullLakeObjects } from '../../lake/checkLakeObjects.js';
import { InvalidManifestError } from '../../lake/errors.js';
import { exportDayToLake } from '../../lake/exportDayToLake.js';
import { exporterVersion } from '../../lake/exporterVersion.js';
import { lakeFromConfig } from '../../lake/lakeFromConfig.js';
import { dayManifestKey } from '../../lake/objectKey.js';
import { loadManifestSigner, loadTrustedKeys, verifyManifestSignature, type TrustedKey } from '../../lake/manifestSignature.js';
import { findDayManifest } from '../../lake/readDayManifest.js';
import { verifyChain } from '../../lake/verifyChain.js';
import { verifyDay } from '../../lake/verifyDay.js';

export interface ExportDayOptions {
  date: string;
  chunkSize?: string;
  concurrency: string;
  force?: boolean;
  reason?: string;
  unsigned?: boolean;
}

export interface VerifyChainOptions {
  from: string;
  to: string;
  chainId?: string;
}

export interface VerifyOptions {
  date: string;
  objectsOnly?: boolean;
}

export interface PullOptions {
  date: string;
  out: string;
  entities?: string;
  chainId?: string;
}

export async function runExportDay(options: ExportDayOptions): Promise<void> {
  const reason = options.reason?.trim();
  if (options.force && !reason) {
    throw new InvalidInputError('--force supersedes the sealed manifest and needs --reason', {
      fix: `say why: \`ledgerflow lake export-day --date ${options.date} --force --reason "<why>"\``,
    });
  }
  if (reason && !options.force) throw new InvalidInputError('--reason is only used with --force', { fix: 'add --force to supersede the sealed manifest' });
  const config = lakeConfig(options.chunkSize === undefined ? {} : { chunkSize: positive(options.chunkSize, '--chunk-size') });
  const logger = createLogger(config.logLevel);
  // Loaded before any export: a bad key fails at once, not after the day is exported.
  const signer = config.signingKey ? loadManifestSigner(config.signingKey) : undefined;
  const unsigned = options.unsigned === true || config.sealUnsigned;
  await withRpc(config, async (rpc) => {
    const chainId = await checkedChainId(config, rpc);
    const range = await blockRangeForDate(rpc, options.date, { finalityDepth: config.finalityDepth });
    const deps = { ...lakeFromConfig(config), rpc, logger, ...(signer ? { signer } : {}) };
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
          ...(options.force && reason ? { supersede: { reason } } : {}),
          unsigned,
        },
        {
          concurrency: positive(options.concurrency, '--concurrency'),
          onChunk: (done, total) => logger.info({ chain_id: chainId, date: options.date, done, total }, 'chunk exported'),
        },
      );
      if (result.skipped) logger.info({ chain_id: chainId, date: options.date, key: result.manifestKey }, 'day already sealed; pass --force --reason "<why>" to supersede it');
      else if (result.outcome === 'unchanged') logger.info({ chain_id: chainId, date: options.date, key: result.manifestKey }, 'export gave the sealed bytes again; nothing superseded');
      process.stdout.write(`${result.manifestKey} ${result.manifestSha256}\n`);
    } finally {
      deps.s3.destroy();
    }
  });
}

export async function runVerify(options: VerifyOptions): Promise<void> {
  const config = lakeConfig();
  const logger = createLogger(config.logLevel);
  const trusted = trustedKeysOf(config);
  await withRpc(config, async (rpc) => {
    const chainId = await checkedChainId(config, rpc);
    const deps = { ...lakeFromConfig(config), rpc, logger };
    try {
      let found;
      try {
        found = await findDayManifest(deps, { chainId, date: options.date });
      } catch (error) {
        if (!(error instanceof InvalidManifestError)) throw error;
        process.stdout.write(`manifest mismatch\t${options.date}\t${error.shortMessage}\nFAILED\t${options.date}\n`);
        process.exitCode = 1;
        return;
      }
      if (!found) {
        throw new InvalidInputError(`Day ${options.date} of chain ${chainId} is not sealed: no ${dayManifestKey({ prefix: config.s3Prefix, chainId, date: options.date })}`, {
          fix: `run \`ledgerflow lake export-day --date ${options.date}\` first`,
        });
      }
      const { manifest } = found;
      const signature = await verifyManifestSignature(deps, found, trusted);
      // With trusted keys configured, a manifest that calls itself unsigned proves nothing.
      const signatureOk = signature.status === 'valid' || (signature.status === 'unsigned' && trusted.length === 0);
      process.stdout.write(
        `${signatureOk ? 'signature' : 'signature mismatch'}\t${found.key}\t${signature.status}${signature.keyId ? `\tkey=${signature.keyId}` : ''}\tsha256=${found.sha256}\n`,
      );
      const objects = await checkLakeObjects(deps, manifest);
      for (const problem of objects.problems) {
        process.stdout.write(`object mismatch\t${problem.key}\t${problem.problem}\texpected=${problem.expected ?? ''}\tactual=${problem.actual ?? ''}\n`);
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
      const ok = signatureOk && objects.ok && reexportOk;
      process.stdout.write(`${ok ? 'ok' : 'FAILED'}\t${options.date}\t${manifest.files.length} files\n`);
      if (!ok) process.exitCode = 1;
    } finally {
      deps.s3.destroy();
    }
  });
}

export async function runVerifyChain(options: VerifyChainOptions): Promise<void> {
  const config = lakeConfig();
  const logger = createLogger(config.logLevel);
  const trusted = trustedKeysOf(config);
  const walk = async (chainId: number) => {
    const store = { ...lakeFromConfig(config), logger };
    try {
      const result = await verifyChain(store, { chainId, from: options.from, to: options.to, trusted });
      for (const day of result.days) process.stdout.write(`${day.line}\n`);
      if (result.firstBreak) {
        process.stdout.write(`chain mismatch\tfirst break ${result.firstBreak.date}: ${result.firstBreak.problem}\n`);
        process.exitCode = 1;
      } else {
        process.stdout.write(`ok\tchain ${chainId}\t${options.from}..${options.to}\t${result.days.length} days linked\n`);
      }
    } finally {
      store.s3.destroy();
    }
  };
  if (options.chainId !== undefined) return walk(positive(options.chainId, '--chain-id'));
  await withRpc(config, async (rpc) => walk(await checkedChainId(config, rpc)));
}

export async function runPull(options: PullOptions): Promise<void> {
  const config = lakeConfig();
  const logger = createLogger(config.logLevel);
  const trusted = trustedKeysOf(config);
  const pull = async (chainId: number) => {
    const store = { ...lakeFromConfig(config), logger };
    try {
      const found = await findDayManifest(store, { chainId, date: options.date });
      if (!found) {
        throw new InvalidInputError(`Day ${options.date} of chain ${chainId} is not sealed: no ${dayManifestKey({ prefix: config.s3Prefix, chainId, date: options.date })}`, {
          fix: `run \`ledgerflow lake export-day --date ${options.date}\` first, or pass the --chain-id of the lake`,
        });
      }
      const entities = options.entities === undefined ? found.manifest.entities : pickEntities(options.entities, found.manifest.entities, options.date);
      const signature = await verifyManifestSignature(store, found, trusted);
      if (!(signature.status === 'valid' || (signature.status === 'unsigned' && trusted.length === 0))) {
        process.stdout.write(`signature mismatch\t${found.key}\t${signature.status}\nFAILED\t${options.date}\n`);
        process.exitCode = 1;
        return;
      }
      const files = found.manifest.files.filter((file) => entities.includes(file.entity));
      const pulled = await pullLakeObjects(store, { files, dir: options.out });
      // The manifest goes beside the objects: the copy carries its own proof.
      const manifestPath = path.join(options.out, ...found.key.split('/'));
      await mkdir(path.dirname(manifestPath), { recursive: true });
      await writeFile(manifestPath, found.bytes);
      for (const problem of pulled.problems) {
        process.stdout.write(`object mismatch\t${problem.key}\t${problem.problem}\texpected=${problem.expected ?? ''}\tactual=${problem.actual ?? ''}\n`);
      }
      process.stdout.write(`${pulled.ok ? 'ok' : 'FAILED'}\t${options.date}\t${files.length - pulled.problems.length} of ${files.length} files\t${path.resolve(options.out)}\n`);
      if (!pulled.ok) process.exitCode = 1;
    } finally {
      store.s3.destroy();
    }
  };
  if (options.chainId !== undefined) return pull(positive(options.chainId, '--chain-id'));
  await withRpc(config, async (rpc) => pull(await checkedChainId(config, rpc)));
}

function pickEntities(list: string, sealed: readonly string[], date: string): string[] {
  const names = list.split(',').map((name) => name.trim()).filter(Boolean);
  const unknown = names.filter((name) => !sealed.includes(name));
  if (names.length === 0 || unknown.length > 0) {
    throw new InvalidInputError(`--entities ${unknown.length ? `names ${unknown.join(', ')}, not exported on ${date}` : 'is empty'}`, {
      fix: `pass entities the day holds: ${sealed.join(',')}`,
    });
  }
  return names;
}

/** LEDGERFLOW_TRUSTED_KEYS, else the public half of LEDGERFLOW_SIGNING_KEY. */
function trustedKeysOf(config: LakeCommandConfig): TrustedKey[] {
  return loadTrustedKeys(config.trustedKeys.length > 0 ? config.trustedKeys : config.signingKey ? [config.signingKey] : []);
}

/** Lake commands never reach the warehouse, so DATABASE_URL is not required for them. */
type LakeCommandConfig = SectionConfig<'rpc' | 'lake'>;

/** The lake commands read the node and the lake, never DATABASE_URL. */
function lakeConfig(overrides: Partial<Record<keyof Config, unknown>> = {}): LakeCommandConfig {
  return configForSections(['rpc', 'lake'], { overrides, neededBy: () => 'the `ledgerflow lake` commands' });
}

async function withRpc<T>(config: LakeCommandConfig, run: (rpc: RpcClient) => Promise<T>): Promise<T> {
  const rpc = createRpcPool(rpcPoolOptionsFromConfig(config));
  try {
    return await run(rpc);
  } finally {
    await rpc.close();
  }
}

async function checkedChainId(config: LakeCommandConfig, rpc: RpcClient): Promise<number> {
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
