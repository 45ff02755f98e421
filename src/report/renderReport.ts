import type { DetailTable } from './chartTypes.js';
import { escapeHtml } from './escapeHtml.js';
import { exactAmount, humanAmount } from './formatAmount.js';
import type { ReportDocument, ReportPanel, ReportSection, StatTile } from './reportDocument.js';
import { seriesColour, svgChart } from './svgChart.js';

/**
 * The report as one self-contained HTML page: inline CSS and inline SVG, no script, no external
 * resource of any kind, so it opens offline and can be mailed or archived as it is. The same
 * document always gives the same bytes.
 */
export function renderReport(doc: ReportDocument): string {
  return [
    '<!doctype html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${escapeHtml(doc.title)}</title>`,
    `<style>${STYLE}</style>`,
    '</head>',
    '<body>',
    '<header>',
    `<h1>${escapeHtml(doc.title)}</h1>`,
    `<p class="facts">${doc.facts.map((f) => `<span>${escapeHtml(f)}</span>`).join('')}</p>`,
    '</header>',
    `<section class="stats" aria-label="Totals">${doc.stats.map(statTile).join('')}</section>`,
    ...doc.sections.map(section),
    '<footer>Figures are exact: hover a mark or open a table for the full value. Drawn from the warehouse model tables by <code>ledgerflow report</code>.</footer>',
    '</body>',
    '</html>',
    '',
  ].join('\n');
}

function statTile(tile: StatTile): string {
  const exact = exactAmount(tile.value, tile.format);
  return `<div class="stat"><div class="stat-label">${escapeHtml(tile.label)}</div><div class="stat-value" title="${escapeHtml(exact)}">${escapeHtml(humanAmount(tile.value, tile.format))}</div><div class="stat-exact">${escapeHtml(exact)}</div></div>`;
}

function section(s: ReportSection): string {
  return [
    `<section class="report-section" id="${escapeHtml(s.id)}">`,
    `<h2>${escapeHtml(s.title)}</h2>`,
    ...s.notes.map((n) => `<p class="note">${escapeHtml(n)}</p>`),
    `<div class="panels">${s.panels.map(panel).join('\n')}</div>`,
    '</section>',
  ].join('\n');
}

function panel(p: ReportPanel): string {
  const { chart } = p;
  const legend = chart.series
    .map((s, i) => `<li><span class="swatch" style="background:${seriesColour(i)}"></span>${escapeHtml(s.name)}</li>`)
    .join('');
  return [
    `<figure class="panel" data-chart="${escapeHtml(chart.id)}">`,
    `<figcaption><h3>${escapeHtml(chart.title)}</h3>${chart.note ? `<p>${escapeHtml(chart.note)}</p>` : ''}</figcaption>`,
    `<ul class="legend">${legend}</ul>`,
    svgChart(chart),
    detailTable(p.table),
    '</figure>',
  ].join('\n');
}

function detailTable(table: DetailTable): string {
  const head = table.columns.map((c) => `<th scope="col"${c.format ? ' class="num"' : ''}>${escapeHtml(c.label)}</th>`).join('');
  const body = table.rows
    .map((row) => `<tr>${row.map((cell, i) => tableCell(cell, table.columns[i]?.format)).join('')}</tr>`)
    .join('');
  const count = `${table.rows.length} row${table.rows.length === 1 ? '' : 's'}`;
  return `<details><summary>Exact figures: ${escapeHtml(table.caption)} (${count})</summary><table><thead><tr>${head}</tr></thead><tbody>${body}</tbody></table></details>`;
}

function tableCell(cell: string | null, format: ReportPanel['table']['columns'][number]['format']): string {
  if (cell === null) return '<td class="num none">–</td>';
  if (!format) return `<td>${escapeHtml(cell)}</td>`;
  return `<td class="num" title="${escapeHtml(cell)}">${escapeHtml(exactAmount(cell, format))}</td>`;
}

const STYLE = `
:root { color-scheme: light; --ink: #1f2328; --muted: #59636e; --line: #d1d9e0; --panel: #ffffff; --page: #f6f8fa; }
* { box-sizing: border-box; }
body { margin: 0; padding: 24px 32px 40px; background: var(--page); color: var(--ink);
  font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; }
h1 { font-size: 22px; margin: 0 0 6px; }
h2 { font-size: 18px; margin: 28px 0 8px; padding-bottom: 4px; border-bottom: 1px solid var(--line); }
h3 { font-size: 15px; margin: 0; }
.facts { margin: 0; color: var(--muted); }
.facts span + span::before { content: "·"; margin: 0 8px; }
.stats { display: grid; grid-template-columns: repeat(auto-fill, minmax(170px, 1fr)); gap: 12px; margin-top: 18px; }
.stat { background: var(--panel); border: 1px solid var(--line); border-radius: 8px; padding: 10px 14px; }
.stat-label { color: var(--muted); font-size: 12px; text-transform: uppercase; letter-spacing: .04em; }
.stat-value { font-size: 22px; font-weight: 600; }
.stat-exact { color: var(--muted); font-size: 11px; font-variant-numeric: tabular-nums; overflow-wrap: anywhere; }
.note { color: var(--muted); margin: 4px 0; }
.panels { display: grid; grid-template-columns: repeat(auto-fill, minmax(480px, 1fr)); gap: 16px; margin-top: 12px; }
.panel { margin: 0; background: var(--panel); border: 1px solid var(--line); border-radius: 8px; padding: 14px 16px; min-width: 0; }
.panel figcaption p { margin: 2px 0 0; color: var(--muted); font-size: 12px; }
.legend { list-style: none; display: flex; flex-wrap: wrap; gap: 4px 14px; padding: 0; margin: 8px 0 4px; font-size: 12px; }
.legend li { display: flex; align-items: center; gap: 6px; }
.swatch { width: 12px; height: 12px; border-radius: 2px; display: inline-block; }
svg.chart { width: 100%; height: auto; display: block; font-size: 11px; }
svg.chart text { fill: var(--muted); stroke: none; }
svg.chart .axis-title { font-size: 11px; font-style: italic; }
svg.chart .grid { stroke: #e6eaef; stroke-width: 1; }
svg.chart .axis, svg.chart .tick { stroke: #8c959f; stroke-width: 1; }
svg.chart .empty { font-size: 14px; }
svg.chart .mark:hover { opacity: .75; }
details { margin-top: 6px; font-size: 12px; overflow-x: auto; }
summary { cursor: pointer; color: var(--muted); }
table { border-collapse: collapse; width: 100%; margin-top: 6px; font-variant-numeric: tabular-nums; }
th, td { padding: 3px 8px; border-bottom: 1px solid #eef1f4; text-align: left; white-space: nowrap; }
th { color: var(--muted); font-weight: 600; }
.num { text-align: right; }
.none { color: #afb8c1; }
footer { margin-top: 32px; color: var(--muted); font-size: 12px; }
`.trim();
