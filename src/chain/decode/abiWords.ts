/**
 * 32-byte word helpers shared by the event decoders. `splitWords` follows ethereum-etl's token
 * transfer rule: a trailing partial chunk still counts as a word.
 */
export function splitWords(data: string | null | undefined): string[] {
  if (!data || data === '0x') return [];
  const hex = data.startsWith('0x') ? data.slice(2) : data;
  const words: string[] = [];
  for (let i = 0; i < hex.length; i += 64) words.push(`0x${hex.slice(i, i + 64)}`);
  return words;
}

/** The address held in a word: `0x` + its last 40 hex characters, lower-cased. */
export function wordToAddress(word: string): string {
  if (word.length >= 40) return `0x${word.slice(-40).toLowerCase()}`;
  return word.toLowerCase();
}

/** A word as an unsigned integer; non-hex text is kept as is (ethereum-etl's behaviour). */
export function wordToUint(word: string): bigint | string {
  const digits = word.startsWith('0x') ? word.slice(2) : word;
  if (digits.length === 0 || !/^[0-9a-fA-F]+$/.test(digits)) return word;
  return BigInt(`0x${digits}`);
}
