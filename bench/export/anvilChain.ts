import { spawn, type ChildProcess } from 'node:child_process';
import { freePort } from '../../src/stack/freePort.js';
import { ANVIL, call, postJson, waitForRpc } from '../anvilRpc.js';

const TRANSFER = 'ddf252ad1be2c89b69c2b068fc378daa952ba7f163c4a11628f55a4df523b3ef';

// A token stand-in assembled by hand: every call emits Transfer(caller, origin, calldata word 0),
// which is all the exporter sees of an ERC-20 (a log with three topics and one data word).
const RUNTIME = `6000356000523233${'7f'}${TRANSFER}60206000a300`;
const INIT = `0x602f600c600039602f6000f3${RUNTIME}`;

export interface AnvilChain {
  url: string;
  blocks: number;
  /** The token stand-in: every log of the chain is its Transfer. */
  token: string;
  stop(): Promise<void>;
}

/**
 * Starts anvil on a free loopback port (flags from local-infra-notes: history in memory, nothing
 * on disk) and mines `blocks` blocks, each with `txPerBlock` transactions: ETH transfers and token
 * calls that each emit one Transfer log. Automine is off; one HTTP batch carries many blocks.
 */
export async function startAnvilChain(blocks: number, txPerBlock = 6): Promise<AnvilChain> {
  const port = await freePort();
  const child: ChildProcess = spawn(ANVIL, ['--host', '127.0.0.1', '--port', String(port), '--timestamp', '1704067100', '--prune-history', String(blocks + 1000), '--silent'], {
    stdio: 'ignore',
  });
  const url = `http://127.0.0.1:${port}/`;
  await waitForRpc(url);
  const accounts = await call<string[]>(url, 'eth_accounts', []);
  const deployer = accounts[0] as string;
  const deployHash = await call<string>(url, 'eth_sendTransaction', [{ from: deployer, data: INIT }]);
  let token: string | undefined;
  for (let i = 0; !token; i++) {
    const receipt = await call<{ contractAddress: string } | null>(url, 'eth_getTransactionReceipt', [deployHash]);
    token = receipt?.contractAddress;
    if (!token) await new Promise((r) => setTimeout(r, 50));
    if (i > 100) throw new Error('token deployment did not mine');
  }
  await call(url, 'evm_setAutomine', [false]);
  let id = 0;
  const nonces = new Map<string, number>();
  for (const account of accounts) nonces.set(account, Number(BigInt(await call<string>(url, 'eth_getTransactionCount', [account, 'latest']))));
  const mined = Number(BigInt(await call<string>(url, 'eth_blockNumber', [])));
  // anvil runs the elements of a batch concurrently: nonces are set here and each block is
  // mined by its own request after its transactions are in the pool.
  for (let k = 0; k < blocks - 1 - mined; k++) {
    const batch: unknown[] = [];
    for (let t = 0; t < txPerBlock; t++) {
      const from = accounts[(k + t) % accounts.length] as string;
      const nonce = nonces.get(from) ?? 0;
      nonces.set(from, nonce + 1);
      const tx = t % 2 === 0
        ? { from, nonce: `0x${nonce.toString(16)}`, to: accounts[(k + t + 1) % accounts.length], value: `0x${(1000 + k * 10 + t).toString(16)}`, gas: '0x5208' }
        : { from, nonce: `0x${nonce.toString(16)}`, to: token, data: `0x${(k * 100 + t).toString(16).padStart(64, '0')}`, gas: '0x15f90' };
      batch.push({ jsonrpc: '2.0', id: id++, method: 'eth_sendTransaction', params: [tx] });
    }
    const replies = (await postJson(url, batch)) as Array<{ error?: { message: string } }>;
    const failed = replies.find((r) => r.error);
    if (failed) throw new Error(`seeding anvil failed: ${failed.error?.message}`);
    await call(url, 'evm_mine', []);
  }
  const head = Number(BigInt(await call<string>(url, 'eth_blockNumber', [])));
  return {
    url,
    blocks: head + 1,
    token,
    async stop() {
      if (child.exitCode !== null) return;
      child.kill('SIGTERM');
      await new Promise((resolve) => child.once('exit', resolve));
    },
  };
}
