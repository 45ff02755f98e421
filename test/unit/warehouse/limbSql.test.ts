import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { limbMacros } from '../../../src/warehouse/limbSql.js';
import { startHarness, type Harness } from './support/harness.js';

const B = 10n ** 26n;
const UINT256_MAX = 2n ** 256n - 1n;
function expander(uint: string) {
  const macros = limbMacros(uint);
  return (name: string, ...args: string[]): string => {
    const macro = macros[name];
    if (!macro) throw new Error(`no macro ${name}`);
    return macro.expand(args);
  };
}

/** Values at and around every limb boundary, both signs, up to sums of uint256 values. */
function edgeValues(): bigint[] {
  const magnitudes = [0n, 1n, 9n, B - 1n, B, B + 1n, B * B - 1n, B * B, B * B + 1n, 10n ** 38n + 5n, UINT256_MAX, UINT256_MAX * 10n ** 11n];
  let seed = 12345n;
  for (let i = 0; i < 40; i++) {
    seed = (seed * 6364136223846793005n + 1442695040888963407n) % 2n ** 64n;
    magnitudes.push((seed * seed * seed * seed * seed) % 10n ** BigInt(1 + ((i * 7) % 89)));
  }
  return magnitudes.flatMap((v) => (v === 0n ? [v] : [v, -v]));
}

const floorDiv = (x: bigint) => (x >= 0n ? x / B : -((-x + B - 1n) / B));

let harness: Harness;

beforeAll(async () => {
  harness = await startHarness();
}, 60_000);

afterAll(async () => {
  await harness?.stop();
});

// NUMERIC is what PostgreSQL models use; DECIMAL(38,0) is the Redshift rendering, run here on
// PostgreSQL, which rejects a value past 38 digits as Redshift does.
describe.each(['NUMERIC', 'DECIMAL(38,0)'])('limb SQL with %s limbs (on PostgreSQL)', (uint) => {
  const m = expander(uint);

  it('splits a decimal text into signed limbs and joins the normalised limbs back to the same text', async () => {
    const values = edgeValues();
    // As the security-token balances do it: limbs of the signed text, both signs normalised, the
    // digits of whichever is not negative.
    const { rows } = await harness.deps('public').pool.query<{ v: string; lo: string; mid: string; hi: string; back: string }>(
      `WITH input AS (SELECT unnest($1::text[]) AS t),
       input_digits AS (SELECT t, REPLACE(t, '-', '') AS d FROM input),
       limbs AS (
         SELECT t AS v, ${m('signed_limb_lo', 't', 'd')} AS lo, ${m('signed_limb_mid', 't', 'd')} AS mid, ${m('signed_limb_hi', 't', 'd')} AS hi
         FROM input_digits),
       both_signs AS (SELECT v, lo AS lo0, mid AS mid0, hi AS hi0, lo, mid, hi, 0 - lo AS n_lo, 0 - mid AS n_mid, 0 - hi AS n_hi FROM limbs),
       carried_lo AS (
         SELECT v, lo0, mid0, hi0, hi, mid + ${m('carry', 'lo')} AS mid, ${m('rem', 'lo')} AS lo,
           n_hi, n_mid + ${m('carry', 'n_lo')} AS n_mid, ${m('rem', 'n_lo')} AS n_lo
         FROM both_signs),
       carried_mid AS (
         SELECT v, lo0, mid0, hi0, hi + ${m('carry', 'mid')} AS hi, ${m('rem', 'mid')} AS mid, lo,
           n_hi + ${m('carry', 'n_mid')} AS n_hi, ${m('rem', 'n_mid')} AS n_mid, n_lo
         FROM carried_lo)
       SELECT v, lo0::text AS lo, mid0::text AS mid, hi0::text AS hi,
         CASE WHEN hi < 0 THEN '-' || ${m('digits', 'n_hi', 'n_mid', 'n_lo')} ELSE ${m('digits', 'hi', 'mid', 'lo')} END AS back
       FROM carried_mid`,
      [values.map(String)],
    );
    expect(rows).toHaveLength(values.length);
    for (const row of rows) {
      const v = BigInt(row.v);
      const limbs = [BigInt(row.hi), BigInt(row.mid), BigInt(row.lo)];
      expect(limbs[0]! * B * B + limbs[1]! * B + limbs[2]!, row.v).toBe(v);
      expect(limbs.every((l) => (v < 0n ? l <= 0n : l >= 0n)), row.v).toBe(true);
      expect(row.back, row.v).toBe(row.v);
    }
  });

  it('carries a signed limb sum by floor division and keeps the remainder in [0, 10^26)', async () => {
    const values = [...edgeValues().filter((v) => (v < 0n ? -v : v) < 10n ** 37n), 10n ** 37n - 1n, 1n - 10n ** 37n];
    expect(values.length).toBeGreaterThan(40);
    const { rows } = await harness.deps('public').pool.query<{ x: string; carry: string; rem: string }>(
      `WITH input AS (SELECT CAST(unnest($1::text[]) AS ${uint}) AS x)
       SELECT x::text AS x, ${m('carry', 'x')}::text AS carry, ${m('rem', 'x')}::text AS rem FROM input`,
      [values.map(String)],
    );
    for (const row of rows) {
      const x = BigInt(row.x);
      expect([BigInt(row.carry), BigInt(row.rem)], row.x).toEqual([floorDiv(x), x - floorDiv(x) * B]);
    }
  });

  it('tells positive normalised limbs from zero and negative ones', async () => {
    const triples = [[0n, 0n, 0n], [0n, 0n, 1n], [0n, 1n, 0n], [1n, 0n, 0n], [-1n, B - 1n, B - 1n], [-1n, 0n, 0n]];
    const { rows } = await harness.deps('public').pool.query<{ positive: boolean }>(
      `WITH input AS (SELECT CAST(unnest($1::text[]) AS ${uint}) AS h, CAST(unnest($2::text[]) AS ${uint}) AS m, CAST(unnest($3::text[]) AS ${uint}) AS l)
       SELECT ${m('positive', 'h', 'm', 'l')} AS positive FROM input`,
      [triples.map((t) => String(t[0])), triples.map((t) => String(t[1])), triples.map((t) => String(t[2]))],
    );
    expect(rows.map((r) => r.positive)).toEqual([false, true, true, true, false, false]);
  });
});
