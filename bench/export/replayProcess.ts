/**
 * Child process of the export benchmark: records the chain's answers from anvil once, then
 * serves them from memory. Kept out of the measuring process so neither side shares its event
 * loop with the server and the measured RSS is the exporter's own.
 *
 * Blocks from <seeded> up to <served> are copies of the recorded ones (tiledChain.ts).
 *
 *   node --import tsx bench/export/replayProcess.ts <anvil url> <seeded> [<served>]
 */
import { MemoryReplay } from './memoryReplay.js';

const [url, seededText, servedText] = process.argv.slice(2);
const blocks = Number(seededText);
const replay = new MemoryReplay();
const requests = [];
for (let n = 0; n < blocks; n++) {
  const q = `0x${n.toString(16)}`;
  requests.push({ method: 'eth_getBlockByNumber', params: [q, true] }, { method: 'eth_getBlockReceipts', params: [q] });
}
await replay.record(url as string, requests);
if (servedText !== undefined && Number(servedText) > blocks) replay.extendBeyond(blocks);
process.stdout.write(`${await replay.start()}\n`);
process.on('SIGTERM', () => {
  void replay.stop().then(() => process.exit(0));
});
