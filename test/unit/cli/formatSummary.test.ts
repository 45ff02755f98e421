import { describe, expect, it } from 'vitest';
import { formatDaySummary } from '../../../src/cli/temporal/formatSummary.js';
import type { DailyEtlSummary } from '../../../src/workflows/dailyEtl.js';

const summary: DailyEtlSummary = {
  chainId: 1,
  date: '2024-01-02',
  range: { start: 10, end: 19 },
  blocks: 10,
  chunks: 1,
  resumedChunks: 0,
  manifestKey: 'ledgerflow/chain=1/date=2024-01-02/manifest.json',
  manifestSha256: 'ab',
  firstBlockHash: '0x1',
  lastBlockHash: '0x2',
  rows: { blocks: 10 },
  loaded: { blocks: 10 },
  models: [{ name: 'chain_activity', rows: 3 }],
  metrics: [
    { name: 'chain_activity', status: 'completed', rows: 3, ms: 4 },
    { name: 'broken', status: 'failed', error: 'broken.sql:7: relation "x" does not exist' },
    { name: 'after_broken', status: 'skipped', error: 'dependency broken failed' },
  ],
};

describe('formatDaySummary', () => {
  it('names every metric that did not complete, since a failed metric does not fail the day', () => {
    const text = formatDaySummary(summary);
    expect(text).toContain('models   chain_activity=3');
    expect(text).toContain('metric   broken failed: broken.sql:7: relation "x" does not exist');
    expect(text).toContain('metric   after_broken skipped: dependency broken failed');
    expect(text).not.toContain('metric   chain_activity');
  });

  it('reads a summary of a run from before metric outcomes', () => {
    const { metrics: _dropped, ...old } = summary;
    expect(formatDaySummary(old as DailyEtlSummary)).not.toContain('metric ');
  });
});
