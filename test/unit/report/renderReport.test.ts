import { describe, expect, it } from 'vitest';
import { labelledBuckets } from '../../../src/report/bucketLabel.js';
import { renderReport } from '../../../src/report/renderReport.js';
import { partitionName, reportDocument } from '../../../src/report/reportDocument.js';
import { niceTicks, svgChart } from '../../../src/report/svgChart.js';
import { reportBuckets, type ReportData } from '../../../src/warehouse/reportData.js';

const TOKEN = '0xcf7ed3acca5a467e9e704c703e8d87f634fb0fc9';
const LOCKED = `0x${Buffer.from('locked').toString('hex').padEnd(64, '0')}`;
const HUGE = '123456789012345678901234567890';

function data(overrides: Partial<ReportData> = {}): ReportData {
  return {
    range: { from: '2024-01-01', to: '2024-01-02', grain: 'day' },
    buckets: ['2024-01-01T00:00:00', '2024-01-02T00:00:00'],
    chainIds: ['31337'],
    loadedDays: ['2024-01-01', '2024-01-02'],
    chainActivity: [
      { bucketStart: '2024-01-01T00:00:00', blocks: '180', transactions: '100', failedTransactions: '3', gasUsed: '8881681', feesWei: HUGE, activeAddresses: '15' },
      { bucketStart: '2024-01-02T00:00:00', blocks: '180', transactions: '53', failedTransactions: '0', gasUsed: '3278714', feesWei: '3911345927892799', activeAddresses: '12' },
    ],
    securityTokenActivity: [
      { bucketStart: '2024-01-01T00:00:00', tokenAddress: TOKEN, partition: LOCKED, issued: '500', redeemed: '50', transferred: '100', movements: '3' },
      { bucketStart: '2024-01-01T00:00:00', tokenAddress: TOKEN, partition: null, issued: '1000', redeemed: '105', transferred: '10', movements: '4' },
    ],
    holders: [{ bucketStart: '2024-01-01T00:00:00', tokenAddress: TOKEN, holders: '5' }],
    openingHolders: [],
    partitionHolders: [
      { bucketStart: '2024-01-01T00:00:00', tokenAddress: TOKEN, partition: LOCKED, holders: '2' },
      { bucketStart: '2024-01-01T00:00:00', tokenAddress: TOKEN, partition: null, holders: '1' },
    ],
    tokens: [{ address: TOKEN, symbol: null, name: null, decimals: null }],
    ...overrides,
  };
}

const html = (d: ReportData) => renderReport(reportDocument(d, { schema: 'ledgerflow' }));

describe('renderReport', () => {
  it('is one self-contained page: no script, no stylesheet link, no fetched URL', () => {
    const page = html(data());
    expect(page).toMatch(/^<!doctype html>/);
    expect(page).not.toMatch(/https?:\/\//);
    expect(page).not.toMatch(/<script|<link|<img|<iframe|@import|url\(/i);
    expect(page).toContain('<title>Ledgerflow report · chain 31337 · 2024-01-01 to 2024-01-02</title>');
  });

  it('draws one chart per panel, each with marks', () => {
    const page = html(data());
    const charts = page.match(/<svg class="chart"/g) ?? [];
    // transactions, gas, fees, active addresses; token amounts, holders, holders by partition
    expect(charts).toHaveLength(7);
    for (const svg of page.split('<svg class="chart"').slice(1)) expect(svg.slice(0, svg.indexOf('</svg>'))).toContain('class="mark"');
    expect(page).toContain('<li><span class="swatch" style="background:#0072b2"></span>transactions</li>');
  });

  it('escapes every text value from the data', () => {
    const evil = '<script>alert("x")</script>&\'';
    const page = html(
      data({
        chainIds: [evil],
        tokens: [{ address: TOKEN, symbol: evil, name: null, decimals: 0 }],
        securityTokenActivity: [{ bucketStart: '2024-01-01T00:00:00', tokenAddress: TOKEN, partition: `0x${Buffer.from('"><b>').toString('hex')}`, issued: '1', redeemed: '0', transferred: '0', movements: '1' }],
      }),
    );
    expect(page).not.toContain('<script>');
    expect(page).not.toContain('"><b>');
    expect(page).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&amp;&#39;');
    expect(page).toContain('&quot;&gt;&lt;b&gt;');
  });

  it('keeps amounts exact past what a double holds, in the tooltips, the tables and the totals', () => {
    const page = html(data());
    const eth = '123,456,789,012.34567890123456789 ETH';
    expect(page).toContain(`<title>fees · 2024-01-01: ${eth}</title>`);
    expect(page).toContain(`<td class="num" title="${HUGE}">${eth}</td>`);
    // total fees: HUGE + 3911345927892799 wei, summed as integers
    expect(page).toContain('123,456,789,012.349590247162460689 ETH');
  });

  it('says so when a series has no figure, instead of drawing an empty plot', () => {
    const svg = svgChart({ id: 'x', title: 'Nothing', kind: 'bars', buckets: ['2024-01-01T00:00:00'], grain: 'day', series: [{ name: 'a', values: [null] }], format: { decimals: 0, unit: '' } });
    expect(svg).toContain('No data in this range');
    expect(svg).not.toContain('class="mark"');
    const none = html(data({ chainActivity: [], securityTokenActivity: [], holders: [], partitionHolders: [], tokens: [] }));
    expect(none).toContain('No blocks in this range.');
    expect(none).toContain('No security-token activity in this range.');
    expect(none.match(/No data in this range/g)).toHaveLength(4);
  });

  it('carries holders across buckets where the token did not move, from the last figure before the range', () => {
    const page = html(data({ holders: [{ bucketStart: '2024-01-02T00:00:00', tokenAddress: TOKEN, holders: '6' }], openingHolders: [{ bucketStart: '2023-12-31T00:00:00', tokenAddress: TOKEN, holders: '4' }] }));
    expect(page).toContain('<title>0xcf7e…0fc9 · 2024-01-01: 4</title>');
    expect(page).toContain('<title>0xcf7e…0fc9 · 2024-01-02: 6</title>');
  });

  it('sends readers to day or week for holders by partition at hourly grain', () => {
    const page = html(data({ range: { from: '2024-01-01', to: '2024-01-01', grain: 'hour' }, buckets: ['2024-01-01T00:00:00'] }));
    expect(page).toContain('run the report with --grain day or week');
    expect(page).not.toContain('holders by partition</h3>');
  });

  it('gives the same bytes for the same data', () => {
    expect(html(data())).toBe(html(data()));
  });
});

describe('chart pieces', () => {
  it('names partitions by their text when they are padded ASCII', () => {
    expect(partitionName(LOCKED)).toBe('locked');
    expect(partitionName(null)).toBe('no partition');
    expect(partitionName(`0x${'ff'.repeat(32)}`)).toBe('0xffff…ffff');
  });

  it('picks round y ticks covering the data', () => {
    expect(niceTicks(0, 100, true)).toEqual([0, 25, 50, 75, 100]);
    expect(niceTicks(0, 3, true)).toEqual([0, 1, 2, 3]);
    expect(niceTicks(0, 0, true)).toEqual([0, 1]);
    expect(niceTicks(0, 0.0117, false)).toEqual([0, 0.005, 0.01, 0.015]);
  });

  it('labels hours on the same clock times every day', () => {
    const hours = reportBuckets({ from: '2024-01-01', to: '2024-01-03', grain: 'hour' }).map((s) => new Date(s * 1000).toISOString().slice(0, 19));
    const labelled = hours.filter((_, i) => labelledBuckets(hours, 'hour', 7)[i]);
    expect(labelled).toEqual(['2024-01-01T00:00:00', '2024-01-01T12:00:00', '2024-01-02T00:00:00', '2024-01-02T12:00:00', '2024-01-03T00:00:00', '2024-01-03T12:00:00']);
  });

  it('covers the range with whole buckets; weeks start on Monday', () => {
    expect(reportBuckets({ from: '2024-01-01', to: '2024-01-03', grain: 'day' })).toHaveLength(3);
    expect(reportBuckets({ from: '2024-01-01', to: '2024-01-03', grain: 'hour' })).toHaveLength(72);
    const weeks = reportBuckets({ from: '2024-01-03', to: '2024-01-09', grain: 'week' }).map((s) => new Date(s * 1000).toISOString().slice(0, 10));
    expect(weeks).toEqual(['2024-01-01', '2024-01-08']);
  });
});
