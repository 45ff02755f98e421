import { toQuantity } from 'ethers';
import { StackError } from '../StackError.js';
import { compileContracts } from './compileContracts.js';
import type { JsonRpc } from './jsonRpc.js';
import { LEGACY_GAS_PRICE, MAX_FEE_PER_GAS, planSeed, type PlannedTx, type SeedOptions, type SeedPlan } from './seedPlan.js';

export interface SeedSummary {
  options: SeedOptions;
  chainId: number;
  head: number;
  headHash: string;
  txCount: number;
  days: SeedPlan['days'];
  contracts: SeedPlan['contracts'];
}

interface Receipt {
  transactionHash: string;
  status: string;
}

/**
 * Plays the seed plan into an anvil started with `--no-mining`, `--order fifo` and the plan's
 * genesis timestamp: transactions go to the pool in plan order, then `evm_mine` seals each block
 * at its planned timestamp. Every block is checked (transaction order, receipt status) before the
 * next, so a chain that differs from the plan fails here, not in a test much later.
 */
export async function seedChain(rpc: JsonRpc, options: SeedOptions, cacheDir: string): Promise<SeedSummary> {
  const compiled = await compileContracts(cacheDir);
  const head = Number(await rpc<string>('eth_blockNumber'));
  if (head !== 0) {
    throw new StackError('Cannot seed: the node already has blocks', {
      context: { head },
      fix: 'seed only a fresh anvil (`ledgerflow stack down` then `ledgerflow stack up`)',
    });
  }
  const accounts = (await rpc<string[]>('eth_accounts')).slice(0, 10);
  const plan = planSeed(accounts, compiled, options);
  const genesis = await rpc<{ timestamp: string }>('eth_getBlockByNumber', ['0x0', false]);
  if (Number(genesis.timestamp) !== plan.genesisTimestamp) {
    throw new StackError('Cannot seed: genesis timestamp differs from the seed plan', {
      context: { genesis: Number(genesis.timestamp), planned: plan.genesisTimestamp },
      fix: 'start anvil with --timestamp set to the plan genesis timestamp (startAnvil does this)',
    });
  }

  let txCount = 0;
  let headHash = '';
  for (const block of plan.blocks) {
    const hashes: string[] = [];
    for (const tx of block.txs) hashes.push(await rpc<string>('eth_sendTransaction', [toRpcTx(tx)]));
    await rpc('evm_mine', [{ timestamp: block.timestamp, blocks: 1 }]);
    const mined = await rpc<{ number: string; hash: string; transactions: string[] }>('eth_getBlockByNumber', ['latest', false]);
    if (Number(mined.number) !== block.number || mined.transactions.join() !== hashes.join()) {
      const missing = block.txs.filter((_, i) => !mined.transactions.includes(hashes[i] ?? ''));
      throw new StackError('Seeded block differs from the plan', {
        context: { block: block.number, missing: missing.map((tx) => `${tx.label}/${tx.type}/${tx.from}/${tx.nonce}`).join(','), mined: Number(mined.number), planned_txs: hashes.length, mined_txs: mined.transactions.length },
        fix: 'make sure nothing else sends transactions to this anvil while it is being seeded',
      });
    }
    if (block.txs.length > 0) {
      const receipts = await rpc<Receipt[]>('eth_getBlockReceipts', [toQuantity(block.number)]);
      block.txs.forEach((tx, i) => {
        const ok = receipts[i]?.status === '0x1';
        if (ok !== tx.expectSuccess) {
          throw new StackError(`Seed transaction "${tx.label}" ${ok ? 'succeeded' : 'failed'} but the plan expects the opposite`, {
            context: { block: block.number, tx: hashes[i], from: tx.from, nonce: tx.nonce },
            fix: 'fix the seed plan or the contracts in src/stack/seed',
          });
        }
      });
    }
    txCount += block.txs.length;
    headHash = mined.hash;
  }
  const chainId = Number(await rpc<string>('eth_chainId'));
  return { options, chainId, head: plan.blocks.length, headHash, txCount, days: plan.days, contracts: plan.contracts };
}

function toRpcTx(tx: PlannedTx): Record<string, unknown> {
  const base: Record<string, unknown> = {
    from: tx.from,
    data: tx.data,
    value: toQuantity(tx.value),
    gas: toQuantity(tx.gas),
    nonce: toQuantity(tx.nonce),
  };
  if (tx.to) base.to = tx.to;
  switch (tx.type) {
    case 'legacy':
      return { ...base, gasPrice: toQuantity(LEGACY_GAS_PRICE) };
    case 'eip2930':
      return { ...base, type: '0x1', gasPrice: toQuantity(LEGACY_GAS_PRICE), accessList: [{ address: tx.to ?? tx.from, storageKeys: [] }] };
    case 'eip1559':
      return { ...base, type: '0x2', maxFeePerGas: toQuantity(MAX_FEE_PER_GAS), maxPriorityFeePerGas: toQuantity(tx.priorityFee) };
  }
}
