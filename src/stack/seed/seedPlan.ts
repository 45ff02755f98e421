import { Interface, type InterfaceAbi, encodeBytes32String, getCreateAddress, id as keccakText, parseEther } from 'ethers';
import type { CompiledContracts } from './compileContracts.js';
import { mulberry32, randomInt } from './mulberry32.js';

export interface SeedOptions {
  /** PRNG seed: same seed, same chain. */
  seed: number;
  /** Complete UTC days to generate, starting at startDate. */
  days: number;
  /** First generated day, YYYY-MM-DD (UTC midnight). */
  startDate: string;
  /** Seconds between blocks; 86400 must be a multiple. */
  blockIntervalSeconds: number;
  /** Blocks mined after the last day so every generated day is final. */
  finalityDepth: number;
}

export const DEFAULT_SEED_OPTIONS: SeedOptions = {
  seed: 1,
  days: 3,
  startDate: '2024-01-01',
  blockIntervalSeconds: 480,
  finalityDepth: 64,
};

export type TxType = 'legacy' | 'eip2930' | 'eip1559';

export interface PlannedTx {
  /** What the transaction exercises, used in error messages and tests. */
  label: string;
  from: string;
  to: string | null;
  data: string;
  value: bigint;
  gas: number;
  nonce: number;
  type: TxType;
  priorityFee: bigint;
  expectSuccess: boolean;
}

export interface PlannedBlock {
  number: number;
  timestamp: number;
  txs: PlannedTx[];
}

export interface SeedPlan {
  genesisTimestamp: number;
  blocks: PlannedBlock[];
  /** Complete generated days with their inclusive block ranges. */
  days: { date: string; firstBlock: number; lastBlock: number }[];
  contracts: Record<'erc20' | 'erc721' | 'erc1155' | 'securityToken' | 'factory', string>;
}

const GWEI = 1_000_000_000n;
export const LEGACY_GAS_PRICE = 2n * GWEI;
export const MAX_FEE_PER_GAS = 3n * GWEI;

const PARTITION_LOCKED = encodeBytes32String('locked');
const PARTITION_UNLOCKED = encodeBytes32String('unlocked');
const PARTITION_DEFAULT = encodeBytes32String('default');

type Op = Omit<PlannedTx, 'nonce' | 'type' | 'priorityFee'> & { type?: TxType };

/**
 * Plans the whole seeded chain as data: which transaction goes into which block at which
 * timestamp. Pure, so it is unit-tested and the same inputs always give the same chain. Day `d`
 * depends only on the seed and days before it, so a shorter chain is a prefix of a longer one.
 */
export function planSeed(accounts: readonly string[], compiled: CompiledContracts, options: SeedOptions): SeedPlan {
  if (accounts.length < 10) throw new RangeError(`planSeed needs 10 accounts, got ${accounts.length}`);
  if (86_400 % options.blockIntervalSeconds !== 0) throw new RangeError(`blockIntervalSeconds must divide 86400, got ${options.blockIntervalSeconds}`);
  const a = (i: number): string => accounts[i] as string;
  const abi = (name: string): Interface => new Interface(contractOf(compiled, name).abi as InterfaceAbi);
  const erc20Abi = abi('SeedERC20');
  const erc721Abi = abi('SeedERC721');
  const erc1155Abi = abi('SeedERC1155');
  const secAbi = abi('SeedSecurityToken');
  const factoryAbi = abi('SeedFactory');

  const nonces = new Map<string, number>();
  const nextNonce = (from: string): number => {
    const n = nonces.get(from) ?? 0;
    nonces.set(from, n + 1);
    return n;
  };
  // Contract addresses follow from deployer and nonce, so the plan can call a contract deployed
  // earlier in the same block.
  const deployer = a(0);
  const contracts = {
    erc20: getCreateAddress({ from: deployer, nonce: 0 }),
    erc721: getCreateAddress({ from: deployer, nonce: 1 }),
    erc1155: getCreateAddress({ from: deployer, nonce: 2 }),
    securityToken: getCreateAddress({ from: deployer, nonce: 3 }),
    factory: getCreateAddress({ from: deployer, nonce: 4 }),
  };
  const deploy = (label: string, name: string, args: unknown[], gas: number): Op => ({
    label,
    from: deployer,
    to: null,
    data: contractOf(compiled, name).bytecode + abi(name).encodeDeploy(args).slice(2),
    value: 0n,
    gas,
    expectSuccess: true,
  });
  const call = (label: string, from: string, to: string, iface: Interface, fn: string, args: unknown[], extra: Partial<Op> = {}): Op => ({
    label,
    from,
    to,
    data: iface.encodeFunctionData(fn, args),
    value: 0n,
    gas: 250_000,
    expectSuccess: true,
    ...extra,
  });

  const setup: Op[] = [
    deploy('deploy erc20', 'SeedERC20', ['Ledgerflow Seed Dollar', 'LFUSD', 6, 10n ** 18n, deployer], 1_500_000),
    deploy('deploy erc721', 'SeedERC721', [], 1_500_000),
    deploy('deploy erc1155', 'SeedERC1155', [], 1_500_000),
    deploy('deploy security token', 'SeedSecurityToken', [], 4_000_000),
    deploy('deploy factory', 'SeedFactory', [], 2_500_000),
    ...[1, 2, 3, 4].map((i) => call('erc20 distribution', deployer, contracts.erc20, erc20Abi, 'transfer', [a(i), 10n ** 12n])),
    call('erc1155 uri', deployer, contracts.erc1155, erc1155Abi, 'setURI', [1, 'ipfs://ledgerflow-seed/1.json']),
  ];

  const daily = (day: number): Op[] => {
    const tag = `${day + 1}`;
    const doc = encodeBytes32String(`notice-${tag}`);
    return [
      { label: 'eth legacy', from: a(1), to: a(2), data: '0x', value: parseEther('1'), gas: 21_000, expectSuccess: true, type: 'legacy' },
      { label: 'eth eip1559', from: a(2), to: a(3), data: '0x', value: parseEther('0.5'), gas: 21_000, expectSuccess: true, type: 'eip1559' },
      { label: 'eth eip2930', from: a(3), to: a(4), data: '0x', value: parseEther('0.25'), gas: 30_000, expectSuccess: true, type: 'eip2930' },
      deploy('contract creation by eoa', 'SeedERC20', [`Daily Token ${tag}`, `DLY${tag}`, 18, 10n ** 24n, deployer], 1_500_000),
      call('contract creation by contract', deployer, contracts.factory, factoryAbi, 'create', [`Child Token ${tag}`, `CHD${tag}`, 10n ** 21n], { gas: 2_000_000 }),
      call('contract creation by contract create2', a(1), contracts.factory, factoryAbi, 'create2', [keccakText(`salt-${tag}`), `Salted Token ${tag}`, `SLT${tag}`, 10n ** 21n], { gas: 2_000_000 }),
      call('internal eth transfers', a(4), contracts.factory, factoryAbi, 'split', [a(5), a(6)], { value: parseEther('1') }),
      call('erc20 transfer', deployer, contracts.erc20, erc20Abi, 'transfer', [a(5), 1_000_000n + BigInt(day)]),
      call('erc20 approve', a(1), contracts.erc20, erc20Abi, 'approve', [a(3), 5_000_000n]),
      call('erc20 transferFrom', a(3), contracts.erc20, erc20Abi, 'transferFrom', [a(1), a(6), 2_500_000n]),
      call('reverted erc20 transfer', a(9), contracts.erc20, erc20Abi, 'transfer', [a(1), 1n], { expectSuccess: false }),
      call('out of gas erc20 transfer', a(2), contracts.erc20, erc20Abi, 'transfer', [a(7), 1n], { gas: 30_000, expectSuccess: false }),
      call('erc721 mint', deployer, contracts.erc721, erc721Abi, 'mint', [a(1), day * 10 + 1]),
      call('erc721 mint', deployer, contracts.erc721, erc721Abi, 'mint', [a(2), day * 10 + 2]),
      call('erc721 transfer', a(1), contracts.erc721, erc721Abi, 'transferFrom', [a(1), a(3), day * 10 + 1]),
      call('erc1155 mint', deployer, contracts.erc1155, erc1155Abi, 'mint', [a(1), 1, 100]),
      call('erc1155 mint', deployer, contracts.erc1155, erc1155Abi, 'mint', [a(1), 2, 50]),
      call('erc1155 transfer single', a(1), contracts.erc1155, erc1155Abi, 'safeTransferFrom', [a(1), a(2), 1, 10, '0x']),
      call('erc1155 transfer batch', a(1), contracts.erc1155, erc1155Abi, 'safeBatchTransferFrom', [a(1), a(3), [1, 2], [5, 5], '0x']),
      call('security issue', deployer, contracts.securityToken, secAbi, 'issue', [a(1), 1000, '0x01']),
      call('security issue by partition', deployer, contracts.securityToken, secAbi, 'issueByPartition', [PARTITION_LOCKED, a(2), 500, '0x02']),
      call('security operator issue by partition', deployer, contracts.securityToken, secAbi, 'operatorIssueByPartition', [PARTITION_UNLOCKED, a(3), 300, '0x03', '0x04']),
      call('security transfer by partition', a(2), contracts.securityToken, secAbi, 'transferByPartition', [PARTITION_LOCKED, a(4), 100, '0x05']),
      call('security change partition', deployer, contracts.securityToken, secAbi, 'changePartition', [a(2), PARTITION_LOCKED, PARTITION_UNLOCKED, 50]),
      call('security redeem', a(1), contracts.securityToken, secAbi, 'redeem', [100, '0x06']),
      call('security redeem by partition', a(4), contracts.securityToken, secAbi, 'redeemByPartition', [PARTITION_LOCKED, 50, '0x07']),
      call('security operator redeem by partition', deployer, contracts.securityToken, secAbi, 'operatorRedeemByPartition', [PARTITION_UNLOCKED, a(3), 30, '0x08']),
      call('security controller transfer', deployer, contracts.securityToken, secAbi, 'controllerTransfer', [a(1), a(5), 10, '0x09', '0x0a']),
      call('security controller redemption', deployer, contracts.securityToken, secAbi, 'controllerRedeem', [a(5), 5, '0x0b', '0x0c']),
      call('security document updated', deployer, contracts.securityToken, secAbi, 'setDocument', [encodeBytes32String('prospectus'), `https://docs.example/prospectus-v${tag}.pdf`, keccakText(`prospectus-${tag}`)]),
      call('security document updated', deployer, contracts.securityToken, secAbi, 'setDocument', [doc, `https://docs.example/notice-${tag}.pdf`, keccakText(`notice-${tag}`)]),
      call('security document removed', deployer, contracts.securityToken, secAbi, 'removeDocument', [doc]),
      call('reverted security transfer', a(9), contracts.securityToken, secAbi, 'transferByPartition', [PARTITION_DEFAULT, a(1), 1, '0x'], { expectSuccess: false }),
    ];
  };

  const filler = (rng: () => number): Op => {
    const from = a(randomInt(rng, 0, 4));
    let to = a(randomInt(rng, 0, 8));
    if (to === from) to = a(8);
    if (rng() < 0.5) {
      return { label: 'eth filler', from, to, data: '0x', value: BigInt(randomInt(rng, 1, 1_000_000)) * 10n ** 12n, gas: 21_000, expectSuccess: true };
    }
    return call('erc20 filler', from, contracts.erc20, erc20Abi, 'transfer', [to, BigInt(randomInt(rng, 1, 100_000_000))]);
  };

  const blocksPerDay = 86_400 / options.blockIntervalSeconds;
  const genesisTimestamp = genesisTimestampOf(options);
  const firstDayStart = genesisTimestamp + options.blockIntervalSeconds;

  const toTx = (op: Op, rng: () => number): PlannedTx => {
    const type: TxType = op.type ?? (['legacy', 'eip2930', 'eip1559', 'eip1559'] as const)[randomInt(rng, 0, 3)]!;
    // An EIP-2930 access list costs 2400 gas per address: raise a tight limit to keep the op valid.
    const gas = type === 'eip2930' && op.gas < 30_000 ? 30_000 : op.gas;
    return { ...op, gas, type, nonce: nextNonce(op.from), priorityFee: type === 'eip1559' ? BigInt(randomInt(rng, 1, 1_000_000_000)) : 0n };
  };

  const blocks: PlannedBlock[] = [];
  const days: SeedPlan['days'] = [];
  let number = 1;
  for (let day = 0; day < options.days; day += 1) {
    const rng = mulberry32((options.seed * 1_000_003 + day) >>> 0);
    const required = daily(day);
    const fillers = Array.from({ length: randomInt(rng, 20, 60) }, () => filler(rng));
    // Setup (deployments, token distribution) first; then the day's ops interleaved at random
    // with fillers, keeping the required ops in order since later ones depend on earlier ones.
    const ops: Op[] = day === 0 ? [...setup] : [];
    while (required.length > 0 || fillers.length > 0) {
      const takeRequired = fillers.length === 0 || (required.length > 0 && rng() < 0.5);
      ops.push((takeRequired ? required.shift() : fillers.shift())!);
    }
    const dayStart = firstDayStart + day * 86_400;
    const firstBlock = number;
    for (let i = 0; i < blocksPerDay; i += 1) {
      const last = i === blocksPerDay - 1;
      const count = last ? ops.length : rng() < 0.55 ? 0 : randomInt(rng, 1, 4);
      const txs = ops.splice(0, count).map((op) => toTx(op, rng));
      blocks.push({ number, timestamp: dayStart + i * options.blockIntervalSeconds, txs });
      number += 1;
    }
    days.push({ date: new Date(dayStart * 1000).toISOString().slice(0, 10), firstBlock, lastBlock: number - 1 });
  }
  // Empty blocks into the next day, past the finality depth, so the last generated day is final.
  const tailStart = firstDayStart + options.days * 86_400;
  for (let i = 0; i <= options.finalityDepth + 8; i += 1) {
    blocks.push({ number, timestamp: tailStart + i * options.blockIntervalSeconds, txs: [] });
    number += 1;
  }
  return { genesisTimestamp, blocks, days, contracts };
}

/** Genesis sits one block interval before the first day, so the first day starts with block 1. */
export function genesisTimestampOf(options: SeedOptions): number {
  const firstDayStart = Date.parse(`${options.startDate}T00:00:00Z`) / 1000;
  if (!/^\d{4}-\d{2}-\d{2}$/.test(options.startDate) || !Number.isFinite(firstDayStart)) {
    throw new RangeError(`startDate must be YYYY-MM-DD, got ${options.startDate}`);
  }
  return firstDayStart - options.blockIntervalSeconds;
}

/** Blocks the plan mines after genesis. */
export function plannedBlockCount(options: SeedOptions): number {
  return options.days * (86_400 / options.blockIntervalSeconds) + options.finalityDepth + 9;
}

function contractOf(compiled: CompiledContracts, name: string): CompiledContracts[string] {
  const contract = compiled[name];
  if (!contract) throw new RangeError(`compiled contracts lack ${name}`);
  return contract;
}
