import { Interface, type InterfaceAbi, encodeBytes32String, getCreateAddress, id as keccakText, parseEther } from 'ethers';
import type { CompiledContracts } from './compileContracts.js';
import { randomInt } from './mulberry32.js';

export type TxType = 'legacy' | 'eip2930' | 'eip1559';

/** One transaction to send, before the planner gives it a nonce, a type and fees. */
export interface SeedOp {
  /** What the transaction exercises, used in error messages and tests. */
  label: string;
  from: string;
  to: string | null;
  data: string;
  value: bigint;
  gas: number;
  expectSuccess: boolean;
  /** Fixed transaction type; otherwise the planner draws one. */
  type?: TxType;
}

export interface SeedContracts {
  erc20: string;
  erc721: string;
  erc1155: string;
  securityToken: string;
  factory: string;
}

export interface SeedOps {
  contracts: SeedContracts;
  /** Deployments and token distribution, once, at the start of day 1. */
  setup: SeedOp[];
  /** The activity every day has, in dependency order. */
  daily: (day: number) => SeedOp[];
  /** A random ETH or ERC-20 transfer that is always valid. */
  filler: (rng: () => number) => SeedOp;
}

const PARTITION_LOCKED = encodeBytes32String('locked');
const PARTITION_UNLOCKED = encodeBytes32String('unlocked');
const PARTITION_DEFAULT = encodeBytes32String('default');

/**
 * The seed's transactions, built from anvil's dev accounts and the compiled contracts. Contract
 * addresses follow from deployer and nonce (the deployer's first five transactions are the setup
 * deployments), so later ops can call contracts deployed earlier in the same block.
 */
export function seedOps(accounts: readonly string[], compiled: CompiledContracts): SeedOps {
  if (accounts.length < 10) throw new RangeError(`seedOps needs 10 accounts, got ${accounts.length}`);
  const a = (i: number): string => accounts[i] as string;
  const abi = (name: string): Interface => new Interface(contractOf(compiled, name).abi as InterfaceAbi);
  const erc20Abi = abi('SeedERC20');
  const erc721Abi = abi('SeedERC721');
  const erc1155Abi = abi('SeedERC1155');
  const secAbi = abi('SeedSecurityToken');
  const factoryAbi = abi('SeedFactory');

  const deployer = a(0);
  const contracts: SeedContracts = {
    erc20: getCreateAddress({ from: deployer, nonce: 0 }),
    erc721: getCreateAddress({ from: deployer, nonce: 1 }),
    erc1155: getCreateAddress({ from: deployer, nonce: 2 }),
    securityToken: getCreateAddress({ from: deployer, nonce: 3 }),
    factory: getCreateAddress({ from: deployer, nonce: 4 }),
  };
  const deploy = (label: string, name: string, args: unknown[], gas: number): SeedOp => ({
    label,
    from: deployer,
    to: null,
    data: contractOf(compiled, name).bytecode + abi(name).encodeDeploy(args).slice(2),
    value: 0n,
    gas,
    expectSuccess: true,
  });
  const call = (label: string, from: string, to: string, iface: Interface, fn: string, args: unknown[], extra: Partial<SeedOp> = {}): SeedOp => ({
    label,
    from,
    to,
    data: iface.encodeFunctionData(fn, args),
    value: 0n,
    gas: 250_000,
    expectSuccess: true,
    ...extra,
  });

  const setup: SeedOp[] = [
    deploy('deploy erc20', 'SeedERC20', ['Ledgerflow Seed Dollar', 'LFUSD', 6, 10n ** 18n, deployer], 1_500_000),
    deploy('deploy erc721', 'SeedERC721', [], 1_500_000),
    deploy('deploy erc1155', 'SeedERC1155', [], 1_500_000),
    deploy('deploy security token', 'SeedSecurityToken', [], 4_000_000),
    deploy('deploy factory', 'SeedFactory', [], 2_500_000),
    ...[1, 2, 3, 4].map((i) => call('erc20 distribution', deployer, contracts.erc20, erc20Abi, 'transfer', [a(i), 10n ** 12n])),
    call('erc1155 uri', deployer, contracts.erc1155, erc1155Abi, 'setURI', [1, 'ipfs://ledgerflow-seed/1.json']),
  ];

  const daily = (day: number): SeedOp[] => {
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

  const filler = (rng: () => number): SeedOp => {
    const from = a(randomInt(rng, 0, 4));
    let to = a(randomInt(rng, 0, 8));
    if (to === from) to = a(8);
    if (rng() < 0.5) {
      return { label: 'eth filler', from, to, data: '0x', value: BigInt(randomInt(rng, 1, 1_000_000)) * 10n ** 12n, gas: 21_000, expectSuccess: true };
    }
    return call('erc20 filler', from, contracts.erc20, erc20Abi, 'transfer', [to, BigInt(randomInt(rng, 1, 100_000_000))]);
  };
  return { contracts, setup, daily: (day) => daily(day), filler };
}

function contractOf(compiled: CompiledContracts, name: string): CompiledContracts[string] {
  const contract = compiled[name];
  if (!contract) throw new RangeError(`compiled contracts lack ${name}`);
  return contract;
}
