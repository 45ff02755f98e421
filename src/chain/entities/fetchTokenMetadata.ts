import { getAddress } from 'ethers/address';
import { LedgerflowError } from '../../errors/LedgerflowError.js';
import {
  decodeAbiString, decodeBytes32, decodeStrictUtf8, decodeUint256, decodeUint8, hexBytes, stripNul,
} from '../decode/tokenMetadataDecode.js';
import { RpcExecutionRevertedError } from '../rpc/errors.js';
import type { RpcClient } from '../rpc/types.js';
import type { TokenMetadata } from './rpcShapes.js';

const SELECTORS = {
  symbol: '0x95d89b41',
  SYMBOL: '0xf76f8d78',
  name: '0x06fdde03',
  NAME: '0xa3f4df7e',
  decimals: '0x313ce567',
  DECIMALS: '0x2e0f2625',
  totalSupply: '0x18160ddd',
} as const;

/**
 * A token's metadata could not be read: the node could not serve the state at the block (pruned,
 * not yet imported) or kept failing. Never turned into nulls: a sealed row must not depend on
 * which node answered. Retryable; the fix names the two ways out when it persists.
 */
export class TokenMetadataUnavailableError extends LedgerflowError {
  override readonly name = 'TokenMetadataUnavailableError';
  readonly retryable = true;
  constructor(address: string, blockTag: string, cause: LedgerflowError) {
    super(`Token metadata of ${address} at block ${blockTag === 'latest' ? 'latest' : Number.parseInt(blockTag, 16)} could not be read: ${cause.shortMessage}`, {
      fix: 'point RPC_URL at an archive node (token metadata is read at the creation block), or export with --token-metadata-at latest (not reproducible)',
      cause,
    });
  }
}

/**
 * ethereum-etl's token metadata (spec 3.3): string-returning getters first, upper-case variants
 * next, bytes32 last; decimals as uint8; NULs stripped. Each selector is called at most once.
 */
export async function fetchTokenMetadata(rpc: RpcClient, address: string, blockTag: string, signal?: AbortSignal): Promise<TokenMetadata> {
  const to = getAddress(address);
  const cache = new Map<string, Promise<Buffer | undefined>>();
  const call = (data: string) => {
    let pending = cache.get(data);
    if (!pending) {
      pending = rpc
        .request<string>('eth_call', [{ to, data }, blockTag], signal ? { signal } : {})
        .then(hexBytes, (error: unknown) => {
          // A revert is the contract's answer (no such getter): "no value", as in ethereum-etl.
          if (error instanceof RpcExecutionRevertedError) return undefined;
          if (error instanceof LedgerflowError) throw new TokenMetadataUnavailableError(to, blockTag, error);
          throw error;
        });
      cache.set(data, pending);
    }
    return pending;
  };
  const text = async (lowerSel: string, upperSel: string): Promise<string | null> => {
    for (const sel of [lowerSel, upperSel]) {
      const bytes = await call(sel);
      const decoded = bytes && decodeAbiString(bytes);
      if (decoded !== undefined) return stripNul(decoded);
    }
    for (const sel of [lowerSel, upperSel]) {
      const bytes = await call(sel);
      const raw = bytes && decodeBytes32(bytes);
      if (raw !== undefined) {
        const decoded = decodeStrictUtf8(raw);
        return decoded === undefined ? null : stripNul(decoded);
      }
    }
    return null;
  };
  const symbol = await text(SELECTORS.symbol, SELECTORS.SYMBOL);
  const name = await text(SELECTORS.name, SELECTORS.NAME);
  let decimals: bigint | null = null;
  for (const sel of [SELECTORS.decimals, SELECTORS.DECIMALS]) {
    const bytes = await call(sel);
    const value = bytes && decodeUint8(bytes);
    if (value !== undefined) {
      decimals = value;
      break;
    }
  }
  const supplyBytes = await call(SELECTORS.totalSupply);
  const totalSupply = (supplyBytes && decodeUint256(supplyBytes)) ?? null;
  return { address, symbol, name, decimals, totalSupply };
}
