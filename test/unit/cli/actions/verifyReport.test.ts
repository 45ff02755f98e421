import { describe, expect, it } from 'vitest';
import type { VerifyDayReport } from '../../../../src/activities/types.js';
import { formatVerifyReport, parseLayers } from '../../../../src/cli/actions/runDay.js';

const report = (mismatches: Partial<Record<'lake' | 'chain' | 'warehouse', string[]>>): VerifyDayReport => {
  const layers = (['lake', 'chain', 'warehouse'] as const).map((layer) => ({ layer, checked: 3, mismatches: mismatches[layer] ?? [], note: `${layer} note` }));
  return { chainId: 31337, date: '2024-01-01', manifestKey: 'p/manifest.json', manifestSha256: 'a'.repeat(64), layers, ok: layers.every((l) => l.mismatches.length === 0) };
};

describe('verify-day output', () => {
  it('prints one line per layer and the verdict', () => {
    const text = formatVerifyReport(report({}));
    expect(text.split('\n').filter((l) => /^(lake|chain|warehouse) /.test(l))).toHaveLength(3);
    expect(text).toContain('verified: lake, chain, warehouse match the sealed manifest');
    expect(text).not.toMatch(/mismatch/i);
  });

  it('prints every mismatch line under its layer and a failed verdict', () => {
    const text = formatVerifyReport(report({ lake: ['lake mismatch: p/blocks/1.csv.gz: sha256 (manifest a, stored b)'] }));
    expect(text).toMatch(/^lake +MISMATCH lake note$/m);
    expect(text).toContain('  lake mismatch: p/blocks/1.csv.gz');
    expect(text).toMatch(/^chain +ok/m);
    expect(text).toContain('verification failed');
  });

  it('takes a subset of layers and refuses unknown ones with the fix', () => {
    expect(parseLayers('lake, warehouse')).toEqual(['lake', 'warehouse']);
    expect(() => parseLayers('lake,disk')).toThrow(/unknown layer\(s\): disk/);
    expect(() => parseLayers('')).toThrow(/subset of lake,chain,warehouse/);
  });
});
