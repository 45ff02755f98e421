/**
 * Child process of the export benchmark: records the chain's answers from anvil once, then
 * serves them from memory. Kept out of the measuring process so neither side shares its event
 * loop with the server and the measured RSS is the exporter's own.
 *
 *   node --import tsx bench/export/replayProcess.ts <anvil url> <blocks>
 */
import { MemoryReplay } from './memoryReplay.js';

const [url, blocksText] = process.argv.slice(2);
const blocks = Number(blocksText);
const replay = new MemoryReplay();
const requests = [];
for (let n = 0; n < blocks; n++) {
  const q = `0x${n.toString(16)}`;
  requests.push({ method: 'eth_getBlockByNumber', params: [q, true] }, { method: 'eth_getBlockReceipts', params: [q] });
}
await replay.record(url as string, requests);
process.stdout.write(`${await replay.start()}\n`);
process.on('SIGTERM', () => {
  void replay.stop().then(() => process.exit(0));
});
