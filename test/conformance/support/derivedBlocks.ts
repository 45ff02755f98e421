import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fixtureFileName } from '../../support/replayServer.js';

/**
 * ethereum-etl's trace jobs read only trace_block / debug_traceBlockByNumber, so their fixture
 * folders hold no block. Ledgerflow always reads the header (to check hashes and parent links),
 * so these scenarios get a header made up from the recorded traces: number, the traces' block
 * hash, no transactions. The traces themselves are served from the recorded files unchanged.
 * Blocks recorded only with full transactions also answer the hashes-only form.
 */
export function derivedBlocks(dirs: readonly string[]) {
  return (method: string, params: readonly unknown[]): unknown => {
    if (method !== 'eth_getBlockByNumber') return undefined;
    const name = fixtureFileName(method, params);
    if (dirs.some((d) => existsSync(path.join(d, name)))) return undefined;
    const hex = params[0] as string;
    // A node asked for hashes only answers the recorded full block with transaction objects
    // reduced to their hashes; the blocks job recorded only the `true` form.
    const full = fixtureFileName(method, [hex, true]);
    const fullDir = dirs.find((d) => existsSync(path.join(d, full)));
    if (params[1] === false && fullDir) {
      const raw = JSON.parse(readFileSync(path.join(fullDir, full), 'utf8')) as { result?: { transactions?: Array<{ hash: string }> } };
      const block = 'result' in raw ? raw.result : (raw as { transactions?: Array<{ hash: string }> });
      return { ...block, transactions: (block?.transactions ?? []).map((tx) => tx.hash) };
    }
    let hash = `0x${BigInt(hex).toString(16).padStart(64, '0')}`;
    for (const dir of dirs) {
      const traces = path.join(dir, fixtureFileName('trace_block', [hex]));
      if (!existsSync(traces)) continue;
      const result = (JSON.parse(readFileSync(traces, 'utf8')) as { result: Array<{ blockHash?: string }> }).result;
      if (result[0]?.blockHash) hash = result[0].blockHash;
    }
    return { number: hex, hash, parentHash: `0x${'00'.repeat(32)}`, timestamp: '0x0', transactions: [] };
  };
}
