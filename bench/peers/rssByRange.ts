/**
 * Peak RSS of the compiled `ledgerflow export` and of the bare loop over growing ranges of the same
 * dense chain: tells memory held per range (growing with it) from memory held per batch in flight
 * (flat). Run after a build; prints one markdown line per range.
 *
 *   node --import tsx bench/peers/rssByRange.ts [--blocks 1000]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startDenseChain } from './denseChain.js';
import { positiveIntArg } from '../args.js';
import { measureSteps } from './measure.js';
import { bareLoop, ledgerflowCsv } from './tools.js';

const denseBlocks = positiveIntArg('blocks', 1000);
const work = mkdtempSync(path.join(tmpdir(), 'ledgerflow-peers-rss-'));
const chain = await startDenseChain({ denseBlocks, txPerBlock: 160, accounts: 200 });
try {
  console.log('| blocks | Ledgerflow export peak RSS MB | CPU s | bare loop peak RSS MB | CPU s |\n| --- | --- | --- | --- | --- |');
  for (const blocks of [50, 100, 250, 500, chain.rangeEnd + 1].filter((b) => b <= chain.rangeEnd + 1)) {
    const out = mkdtempSync(path.join(work, 'out-'));
    const run = { url: chain.url, end: blocks - 1, out };
    const ours = await measureSteps(ledgerflowCsv.steps(run), path.join(work, 'log'));
    const bare = await measureSteps(bareLoop.steps(run), path.join(work, 'log'));
    rmSync(out, { recursive: true, force: true });
    console.log(`| ${blocks} | ${ours.peakRssMb.toFixed(0)} | ${ours.cpuSeconds.toFixed(1)} | ${bare.peakRssMb.toFixed(0)} | ${bare.cpuSeconds.toFixed(1)} |`);
  }
} finally {
  await chain.stop();
  rmSync(work, { recursive: true, force: true });
}
