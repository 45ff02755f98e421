/**
 * eth-abi 2.x decoding of token metadata call results (spec 3.3). Each function returns
 * undefined for "no result" (so the caller tries the next fallback); trailing bytes are ignored.
 */
export function hexBytes(result: string | null | undefined): Buffer | undefined {
  if (typeof result !== 'string') return undefined;
  const hex = result.startsWith('0x') ? result.slice(2) : result;
  if (hex.length === 0 || hex.length % 2 !== 0 || !/^[0-9a-fA-F]*$/.test(hex)) return undefined;
  return Buffer.from(hex, 'hex');
}

export function decodeUint256(bytes: Buffer): bigint | undefined {
  if (bytes.length < 32) return undefined;
  return BigInt(`0x${bytes.subarray(0, 32).toString('hex')}`);
}

export function decodeUint8(bytes: Buffer): bigint | undefined {
  if (bytes.length < 32) return undefined;
  for (let i = 0; i < 31; i++) if (bytes[i] !== 0) return undefined;
  return BigInt(bytes[31] as number);
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

export function decodeStrictUtf8(bytes: Uint8Array): string | undefined {
  try {
    return utf8.decode(bytes);
  } catch {
    return undefined;
  }
}

export function decodeAbiString(bytes: Buffer): string | undefined {
  if (bytes.length < 32) return undefined;
  const offset = decodeUint256(bytes) as bigint;
  if (offset + 32n > BigInt(bytes.length)) return undefined;
  const start = Number(offset);
  const length = BigInt(`0x${bytes.subarray(start, start + 32).toString('hex')}`);
  const padded = ((length + 31n) / 32n) * 32n;
  if (BigInt(start + 32) + padded > BigInt(bytes.length)) return undefined;
  const end = start + 32 + Number(length);
  const paddingEnd = start + 32 + Number(padded);
  for (let i = end; i < paddingEnd; i++) if (bytes[i] !== 0) return undefined;
  return decodeStrictUtf8(bytes.subarray(start + 32, end));
}

/** The first 32 bytes, accepted as a result; UTF-8 decoding happens after the fallback chain. */
export function decodeBytes32(bytes: Buffer): Buffer | undefined {
  return bytes.length < 32 ? undefined : bytes.subarray(0, 32);
}

export function stripNul(text: string): string {
  return text.includes('\0') ? text.replaceAll('\0', '') : text;
}
