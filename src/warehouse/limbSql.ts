/**
 * Exact integer arithmetic for token amounts in model SQL that runs unchanged on PostgreSQL and
 * Redshift. Amounts go up to 78 digits (sums of them further), Redshift's DECIMAL stops at 38, so
 * an amount is handled as three limbs: value = hi * 10^52 + mid * 10^26 + lo, with mid and lo of
 * 26 digits (a negative value has all three negated). Sums and differences of limbs stay below
 * 10^37 for up to 10^11 amounts; `carry`/`rem` bring a limb back into [0, 10^26), and `digits`
 * joins normalised limbs into the value's decimal text. Only text slices of at most 38 digits
 * are ever cast to DECIMAL, and there is no division: Redshift gives a quotient of DECIMAL(38,0)
 * values at least 4 decimal places, which leaves too few integer digits.
 *
 * `carry` and `rem` name their argument once. Databases inline one CTE into the next and repeat
 * the expression behind a column each time it is named, so a carry that named its argument often
 * would multiply the work at every step (tried: 170 µs a row on PostgreSQL, against 2).
 */
export interface LimbMacro {
  arity: number;
  expand(args: readonly string[]): string;
}

const LIMB = 26;
/**
 * Added before reading a limb's carry off its digits: for -10^37 < x < 10^37, x + 5 * 10^37 has
 * exactly 38 digits and x's remainder, and its 12 leading digits are x's floor quotient plus
 * 5 * 10^11. Past -4 * 10^37 or 5 * 10^37 the digits would be misread without an error; limb sums
 * of up to 10^11 amounts stay far inside. (Padding to a fixed width instead costs more than the
 * rest: LPAD is slow.)
 */
const OFFSET_QUOTIENT = 5n * 10n ** 11n;

export function limbMacros(uint: string): Record<string, LimbMacro> {
  const offset = `CAST('${OFFSET_QUOTIENT * 10n ** BigInt(LIMB)}' AS ${uint})`;
  const text = (column: string) => `CAST(${column} AS VARCHAR(40))`;

  // Limbs of the digits `v` of a non-negative integer (no sign, no leading zeros needed).
  const lo = (v: string) => `CAST(RIGHT(${v}, ${LIMB}) AS ${uint})`;
  const mid = (v: string) => `CASE WHEN LENGTH(${v}) > ${LIMB} THEN CAST(RIGHT(LEFT(${v}, LENGTH(${v}) - ${LIMB}), ${LIMB}) AS ${uint}) ELSE 0 END`;
  const hi = (v: string) => `CASE WHEN LENGTH(${v}) > ${2 * LIMB} THEN CAST(LEFT(${v}, LENGTH(${v}) - ${2 * LIMB}) AS ${uint}) ELSE 0 END`;

  // The same for a decimal text `t` that may carry a sign, given its digits `v`: negated if it does.
  const signed = (limb: (v: string) => string) => (t: string, v: string) => `(CASE WHEN ${t} LIKE '-%' THEN 0 - ${limb(v)} ELSE ${limb(v)} END)`;

  const shifted = (x: string) => `CAST(${x} + ${offset} AS VARCHAR(40))`;
  const carry = (x: string) => `(CAST(LEFT(${shifted(x)}, ${38 - LIMB}) AS ${uint}) - ${OFFSET_QUOTIENT})`;
  const rem = (x: string) => `CAST(RIGHT(${shifted(x)}, ${LIMB}) AS ${uint})`;

  // Text of h * 10^52 + m * 10^26 + l for h >= 0 and m, l in [0, 10^26), without leading zeros.
  const digits = (h: string, m: string, l: string) =>
    `COALESCE(NULLIF(LTRIM(${text(h)} || LPAD(${text(m)}, ${LIMB}, '0') || LPAD(${text(l)}, ${LIMB}, '0'), '0'), ''), '0')`;
  const positive = (h: string, m: string, l: string) => `(${h} > 0 OR (${h} = 0 AND (${m} > 0 OR ${l} > 0)))`;

  const one = (f: (a: string) => string): LimbMacro => ({ arity: 1, expand: (args) => f(args[0] as string) });
  const two = (f: (a: string, b: string) => string): LimbMacro => ({ arity: 2, expand: (args) => f(args[0] as string, args[1] as string) });
  const three = (f: (a: string, b: string, c: string) => string): LimbMacro => ({
    arity: 3,
    expand: (args) => f(args[0] as string, args[1] as string, args[2] as string),
  });
  return {
    limb_lo: one(lo),
    limb_mid: one(mid),
    limb_hi: one(hi),
    signed_limb_lo: two(signed(lo)),
    signed_limb_mid: two(signed(mid)),
    signed_limb_hi: two(signed(hi)),
    carry: one(carry),
    rem: one(rem),
    digits: three(digits),
    positive: three(positive),
  };
}
