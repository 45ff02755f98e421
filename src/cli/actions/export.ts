import { mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { exportRange } from '../../chain/exportRange.js';
import { ENTITY_NAMES, isEntityName, LOG_ENTITIES, type EntityName } from '../../chain/entities/registry.js';
import { createRpcPool } from '../../chain/rpc/createRpcPool.js';
import { InvalidInputError } from '../../errors/LedgerflowError.js';
import { maskUrl } from '../../errors/maskUrl.js';
import { fileExtension, FILE_FORMAT_NAMES, openEntityFileSink } from '../../lake/format/formatByName.js';
import type { FileFormatName } from '../../lake/format/types.js';
import { createProgressReporter } from '../commands/exportProgress.js';

export interface ExportOptions {
  rpc: string;
  startBlock: string;
  endBlock: string;
  entities: string;
  format: string;
  batchSize: string;
  blockBatchSize: string;
  inFlightMib: string;
  maxRps?: string;
  retries: string;
  output: string;
  tokenMetadataAt: string;
  tracesFrom: string;
  contracts?: string;
}

export async function runExport(options: ExportOptions, defaultEntities: boolean): Promise<void> {
  const start = blockNumber(options.startBlock, '--start-block');
  const end = blockNumber(options.endBlock, '--end-block');
  if (end < start) {
    throw new InvalidInputError(`--end-block ${end} is before --start-block ${start}`, { fix: 'pass an end block greater than or equal to the start block' });
  }
  const contracts = options.contracts === undefined ? undefined : await parseContracts(options.contracts);
  // Without --entities, a contract filter means every entity it can serve: those built from logs.
  const entities = contracts !== undefined && defaultEntities ? [...LOG_ENTITIES] : parseEntities(options.entities);
  const format = parseFormat(options.format);
  const urls = options.rpc.split(',').map((u) => u.trim()).filter(Boolean);
  for (const url of urls) {
    if (!/^https?:\/\//.test(url) || !URL.canParse(url)) {
      throw new InvalidInputError(`Invalid RPC URL ${maskUrl(url)}`, { fix: 'pass --rpc http(s)://host:port[/path], comma-separated for several' });
    }
  }
  const tokenMetadataAt = oneOf(options.tokenMetadataAt, ['block', 'latest'] as const, '--token-metadata-at');
  const traceSource = oneOf(options.tracesFrom, ['trace_block', 'geth'] as const, '--traces-from');
  const rpc = createRpcPool({
    urls,
    batchSize: positiveInt(options.batchSize, '--batch-size'),
    maxRetries: count(options.retries, '--retries'),
    ...(options.maxRps !== undefined ? { maxRps: positiveInt(options.maxRps, '--max-rps') } : {}),
  });
  await mkdir(options.output, { recursive: true });
  const controller = new AbortController();
  const onSignal = () => controller.abort(new InvalidInputError('Export interrupted', { fix: 'run the command again; no partial files were left' }));
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  const progress = createProgressReporter(process.stderr, end - start + 1);
  try {
    const result = await exportRange({
      rpc,
      range: { start, end },
      entities,
      openSink: (entity) => openEntityFileSink(path.join(options.output, `${entity}.${fileExtension(format)}`), entity, format),
      onProgress: (p) => progress.update(p.blocksDone),
      signal: controller.signal,
      blockBatchSize: positiveInt(options.blockBatchSize, '--block-batch-size'),
      inFlightChars: positiveInt(options.inFlightMib, '--in-flight-mib') * 2 ** 20,
      tokenMetadataAt,
      traceSource,
      ...(contracts !== undefined ? { contracts } : {}),
    });
    progress.done();
    const counts = entities.map((e) => `${e}=${result.rows[e] ?? 0}`).join(' ');
    process.stderr.write(`exported blocks ${start}-${end} to ${options.output}: ${counts}\n`);
    // In sha256sum's format, so a re-export can be checked byte for byte with `sha256sum -c`.
    for (const entity of entities) {
      const file = result.sinks?.[entity];
      if (file) process.stderr.write(`${file.sha256}  ${file.location}\n`);
    }
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    await rpc.close();
  }
}

function blockNumber(text: string, flag: string): number {
  if (!/^\d+$/.test(text.trim()) || !Number.isSafeInteger(Number(text))) {
    throw new InvalidInputError(`${flag} must be a non-negative integer, got "${text}"`, { fix: `pass ${flag} as a decimal block number, e.g. ${flag} 1000` });
  }
  return Number(text);
}

function positiveInt(text: string, flag: string): number {
  const value = count(text, flag);
  if (value < 1) throw new InvalidInputError(`${flag} must be at least 1, got "${text}"`, { fix: `pass ${flag} 1 or more` });
  return value;
}

function count(text: string, flag: string): number {
  if (!/^\d+$/.test(text.trim())) throw new InvalidInputError(`${flag} must be a non-negative integer, got "${text}"`, { fix: `pass ${flag} as a whole number` });
  return Number(text);
}

function parseEntities(text: string): EntityName[] {
  const names = text.split(',').map((s) => s.trim()).filter(Boolean);
  if (names.length === 0) throw new InvalidInputError('--entities is empty', { fix: `name one or more of: ${ENTITY_NAMES.join(', ')}` });
  const unknown = names.filter((n) => !isEntityName(n));
  if (unknown.length > 0) {
    throw new InvalidInputError(`Unknown entit${unknown.length > 1 ? 'ies' : 'y'} ${unknown.join(', ')}`, { fix: `choose from: ${ENTITY_NAMES.join(', ')}` });
  }
  return [...new Set(names as EntityName[])];
}

/** A comma-separated list, or `@path`: a file of addresses, one per line or comma-separated, `#` starting a comment. */
async function parseContracts(text: string): Promise<string[]> {
  let list = text;
  if (text.startsWith('@')) {
    const file = text.slice(1);
    try {
      list = (await readFile(file, 'utf8')).replace(/#.*$/gm, '').replaceAll('\n', ',');
    } catch (error) {
      throw new InvalidInputError(`Cannot read the contract list ${file}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`, {
        fix: 'pass --contracts @<path to a readable file>, or the addresses themselves, comma-separated',
      });
    }
  }
  return list.split(',').map((c) => c.trim()).filter(Boolean);
}

function parseFormat(text: string): FileFormatName {
  return oneOf(text, FILE_FORMAT_NAMES, '--format');
}

function oneOf<T extends string>(text: string, allowed: readonly T[], flag: string): T {
  if (!(allowed as readonly string[]).includes(text)) {
    throw new InvalidInputError(`${flag} must be one of ${allowed.join(', ')}, got "${text}"`, { fix: `pass ${flag} ${allowed[0]}` });
  }
  return text as T;
}
