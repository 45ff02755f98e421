/**
 * The bare fetch+parse loop of bench/export (rawFetchLoop.ts) as its own process, so the peers
 * benchmark measures it under /usr/bin/time like every exporter: the same requests the exporter
 * makes (full blocks and block receipts, 50 blocks a step, 100 calls an HTTP batch, two steps in
 * flight), answers parsed and dropped. Runs under tsx, whose start-up the figures include.
 *
 *   node --import tsx bench/peers/rawFetchChild.ts <rpc url> <blocks>
 */
import { rawFetchLoop } from '../export/rawFetchLoop.js';

const [url, blocks] = process.argv.slice(2);
if (!url || !blocks) throw new Error('usage: rawFetchChild.ts <rpc url> <blocks>');
const chars = await rawFetchLoop(url, Number(blocks), { blockBatch: 50, callsPerHttp: 100, prefetch: 2 });
process.stdout.write(`${chars} JSON characters read\n`);
