/**
 * ethereum-etl's `hex_to_dec`: a hex quantity as an exact integer. null/absent stays null; a
 * string that is not hex (`"0x"`) is kept verbatim rather than failing, as the reference does.
 * JSON numbers (trace positions, geth frame fields on some nodes) are accepted as integers.
 */
export function hexToInt(value: unknown): bigint | string | null {
  if (value === null || value === undefined) return null;
  if (typeof value === 'number') return Number.isInteger(value) ? BigInt(value) : String(value);
  if (typeof value === 'bigint') return value;
  if (typeof value !== 'string') return String(value);
  const prefixed = value.startsWith('0x') || value.startsWith('0X');
  if (value.length === (prefixed ? 2 : 0)) return value;
  try {
    // BigInt parses hex strictly (no sign, no spaces) and throws on anything else.
    return BigInt(prefixed ? value : `0x${value}`);
  } catch {
    return value;
  }
}

/**
 * `hexToInt` for row cells: the same value, but quantities of up to 13 hex digits (below 2^52,
 * so exact) come back as a number instead of a bigint. Most quantities in a row are small
 * (indexes, gas, nonces, timestamps) and skipping BigInt for them is a measurable share of
 * export time (docs/performance-export.md); every format prints both as the same digits.
 */
export function quantity(value: unknown): number | bigint | string | null {
  if (typeof value === 'string' && value.length <= SMALL_HEX_LENGTH && value.length > 2 && value.charCodeAt(0) === 48 && (value.charCodeAt(1) | 32) === 120) {
    const small = smallHexDigits(value);
    if (small >= 0) return small;
  }
  // Anything else, including text Number() would take but the loop does not (trailing
  // whitespace), goes the exact BigInt way: the same digits in every format.
  return hexToInt(value);
}

// "0x" and 13 hex digits: at most 2^52 - 1.
const SMALL_HEX_LENGTH = 15;

// The digits after "0x" as a number, or -1 at the first character that is not a hex digit.
// A loop over charCodes costs ~17 ns a quantity where Number('0x…') costs ~48 (bench/export,
// about 100 quantities a block).
function smallHexDigits(text: string): number {
  let result = 0;
  for (let i = 2; i < text.length; i++) {
    const code = text.charCodeAt(i);
    const lowered = code | 32;
    let digit: number;
    if (code >= 48 && code <= 57) digit = code - 48;
    else if (lowered >= 97 && lowered <= 102) digit = lowered - 87;
    else return -1;
    result = result * 16 + digit;
  }
  return result;
}

/** ethereum-etl's lower-casing helper: strings lower-cased, everything else (null) unchanged. */
export function lower(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  return typeof value === 'string' ? value.toLowerCase() : String(value);
}

/** A verbatim string field, null when absent. */
export function verbatim(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  return typeof value === 'string' ? value : String(value);
}

/** A quantity the exporter itself needs as a JS number (block numbers, indexes). */
export function hexToNumber(value: unknown, what: string): number {
  const parsed = hexToInt(value);
  if (typeof parsed !== 'bigint' || parsed > BigInt(Number.MAX_SAFE_INTEGER)) {
    throw new TypeError(`${what} is not a hex quantity: ${JSON.stringify(value)}`);
  }
  return Number(parsed);
}

/** Minimal lower-case hex for request parameters: block 0 is `0x0`. */
export function toQuantity(value: number | bigint): string {
  return `0x${value.toString(16)}`;
}
