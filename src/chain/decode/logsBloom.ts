import { keccak256 } from 'ethers/crypto';

const BLOOM_BYTES = 256;
const HEX_BYTES = /^0x(?:[0-9a-f]{2})*$/;

// Bit positions of an address or topic: the same few values recur in every block of an export.
const positions = new Map<string, ReadonlyArray<readonly [number, number]>>();

/**
 * The three (byte, mask) pairs the yellow paper's bloom sets for an item: from each of the first
 * three 16-bit words of keccak256(item), the low 11 bits pick one of 2048 bits, counted from the
 * end of the 256-byte filter.
 */
function bloomBits(item: string): ReadonlyArray<readonly [number, number]> | undefined {
  const key = item.toLowerCase();
  if (!HEX_BYTES.test(key)) return undefined;
  let bits = positions.get(key);
  if (!bits) {
    const hash = keccak256(key);
    bits = [0, 2, 4].map((i) => {
      const word = Number.parseInt(hash.slice(2 + i * 2, 6 + i * 2), 16) & 0x7ff;
      return [BLOOM_BYTES - 1 - (word >> 3), 1 << (word & 7)] as const;
    });
    if (positions.size > 10_000) positions.clear();
    positions.set(key, bits);
  }
  return bits;
}

/**
 * Whether a block's (or receipt's) logsBloom may hold an address or topic (0x hex bytes): false
 * means certainly not, true means probably (blooms give false positives, never false negatives).
 * Undefined when the bloom or the item is absent or malformed, so callers can tell "cannot say" apart.
 */
export function bloomMayContain(bloom: string | null | undefined, item: string): boolean | undefined {
  if (typeof bloom !== 'string' || bloom.length !== 2 + BLOOM_BYTES * 2) return undefined;
  const bits = bloomBits(item);
  if (!bits) return undefined;
  for (const [byte, mask] of bits) {
    const value = Number.parseInt(bloom.slice(2 + byte * 2, 4 + byte * 2), 16);
    if (Number.isNaN(value)) return undefined;
    if ((value & mask) === 0) return false;
  }
  return true;
}
