/**
 * The exporter's own work per block, stage by stage, on any node's answers (a dense anvil chain,
 * a recorded mainnet range): µs of CPU for JSON.parse, rows, CSV lines, UTF-8 + sha256, file I/O,
 * and the lake's gzip encoding. The answers are downloaded once, so the node's speed and HTTP
 * do not count; docs/performance-export.md keeps the per-stage budget this prints.
 *
 *   npm run bench:stages -- --rpc URL [--blocks 600] [--rounds 5] [--batch 20]
 */
import type { EntityName } from '../../src/chain/types.js';
import { positiveIntArg, stringArg } from '../args.js';
import { formatStageCosts, measureStageCosts } from './stageCosts.js';

const ENTITIES: EntityName[] = ['blocks', 'transactions', 'receipts', 'logs', 'token_transfers'];

const url = stringArg('rpc');
if (!url) throw new Error('bench:stages needs --rpc URL (e.g. the dense anvil chain bench:peers builds)');
const blocks = positiveIntArg('blocks', 600);
const rounds = positiveIntArg('rounds', 5);
const stages = await measureStageCosts(url, blocks, ENTITIES, positiveIntArg('batch', 20), rounds);
console.log(`${blocks} blocks, ${(stages.csvCharsPerBlock / 1024).toFixed(0)} KiB of CSV a block; µs of CPU per block, median of ${rounds} (each step adds to the one before):`);
console.log(formatStageCosts(stages));
