/**
 * The exporter's own work per block, stage by stage, on any node's answers (a dense anvil chain,
 * a recorded mainnet range): µs of CPU for JSON.parse, rows, CSV lines, UTF-8 + sha256, file I/O,
 * and the lake's gzip encoding. The answers are downloaded once, so the node's speed and HTTP
 * do not count; docs/performance-export.md keeps the per-stage budget this prints.
 *
 *   npm run bench:stages -- --rpc URL [--blocks 600] [--rounds 5] [--batch 20]
 */
import type { EntityName } from '../../src/chain/types.js';
import { formatStageCosts, measureStageCosts } from './stageCosts.js';

const ENTITIES: EntityName[] = ['blocks', 'transactions', 'receipts', 'logs', 'token_transfers'];

function option(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

function count(name: string, fallback: number): number {
  const text = option(name);
  const value = text === undefined ? fallback : Number(text);
  if (!Number.isInteger(value) || value < 1) throw new Error(`--${name} must be a positive integer, got ${text}`);
  return value;
}

const url = option('rpc');
if (!url) throw new Error('bench:stages needs --rpc URL (e.g. the dense anvil chain bench:peers builds)');
const blocks = count('blocks', 600);
const rounds = count('rounds', 5);
const stages = await measureStageCosts(url, blocks, ENTITIES, count('batch', 20), rounds);
console.log(`${blocks} blocks, ${(stages.csvCharsPerBlock / 1024).toFixed(0)} KiB of CSV a block; µs of CPU per block, median of ${rounds} (each step adds to the one before):`);
console.log(formatStageCosts(stages));
