/**
 * Figures arrive as exact decimal text (NUMERIC, or decimal text on Redshift) and may exceed what
 * a double holds. Exact forms are produced by string arithmetic only; floats are used for the
 * short human form and for pixel positions, never for a figure a reader is told is exact.
 */

/** How a series' raw integers read: `decimals` places (wei -> ETH is 18) and a unit after the figure. */
export interface AmountFormat {
  decimals: number;
  unit: string;
}

export const COUNT: AmountFormat = { decimals: 0, unit: '' };

const DECIMAL = /^-?\d+(\.\d+)?$/;

/** `-1234567.5` -> `-1,234,567.5`: the exact figure, digits grouped by thousands. */
export function groupDigits(text: string): string {
  if (!DECIMAL.test(text)) return text;
  const negative = text.startsWith('-');
  const [whole = '', fraction] = (negative ? text.slice(1) : text).split('.');
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${negative ? '-' : ''}${grouped}${fraction ? `.${fraction}` : ''}`;
}

/** `scaleDecimal('1500', 3)` -> `1.5`: the raw integer as a decimal with `decimals` places, exactly, trailing zeros dropped. */
export function scaleDecimal(text: string, decimals: number): string {
  if (!/^-?\d+$/.test(text) || decimals === 0) return text;
  const negative = text.startsWith('-');
  const digits = (negative ? text.slice(1) : text).replace(/^0+(?=\d)/, '').padStart(decimals + 1, '0');
  const whole = digits.slice(0, digits.length - decimals);
  const fraction = digits.slice(digits.length - decimals).replace(/0+$/, '');
  const result = fraction ? `${whole}.${fraction}` : whole;
  return negative && result !== '0' ? `-${result}` : result;
}

/** The exact figure with its unit, digits grouped: what tables and tooltips show. */
export function exactAmount(text: string, format: AmountFormat): string {
  const figure = groupDigits(scaleDecimal(text, format.decimals));
  return format.unit ? `${figure} ${format.unit}` : figure;
}

const SUFFIXES: ReadonlyArray<readonly [number, string]> = [
  [1e15, 'P'],
  [1e12, 'T'],
  [1e9, 'G'],
  [1e6, 'M'],
  [1e3, 'k'],
];

/** A short reading of a number for axes and labels: 3 significant digits and an SI suffix (`11.7M`, `0.0117`). */
export function compactNumber(value: number): string {
  if (value === 0 || !Number.isFinite(value)) return '0';
  const size = Math.abs(value);
  if (size >= 1e18) return value.toExponential(2).replace('e+', 'e');
  for (const [scale, suffix] of SUFFIXES) {
    if (size >= scale) return `${trimZeros((value / scale).toPrecision(3))}${suffix}`;
  }
  if (size >= 1) return trimZeros(value.toPrecision(3));
  if (size < 1e-4) return value.toExponential(2);
  return trimZeros(value.toPrecision(3));
}

/** The short reading of exact text, with its unit. */
export function humanAmount(text: string, format: AmountFormat): string {
  const figure = compactNumber(amountValue(text, format));
  return format.unit ? `${figure} ${format.unit}` : figure;
}

/** A float for positioning marks: close enough for pixels, never shown as the figure. */
export function amountValue(text: string, format: AmountFormat): number {
  return Number(scaleDecimal(text, format.decimals));
}

/** Sum of exact integers, exactly. */
export function sumIntegers(values: ReadonlyArray<string | null>): string {
  let total = 0n;
  for (const v of values) if (v !== null) total += BigInt(v);
  return total.toString();
}

function trimZeros(text: string): string {
  return text.includes('.') && !text.includes('e') ? text.replace(/\.?0+$/, '') : text;
}
