import type { DailyEtlSummary } from '../../workflows/dailyEtl.js';

/** A few aligned lines for a person; `--json` prints the summary object instead. */
export function formatDaySummary(summary: DailyEtlSummary): string {
  const entities = Object.keys(summary.rows).sort();
  const width = Math.max(...entities.map((e) => e.length), 8);
  const lines = [
    `day ${summary.date}  chain ${summary.chainId}  blocks ${summary.range.start}..${summary.range.end} (${summary.blocks})  chunks ${summary.chunks}`,
    `manifest ${summary.manifestKey}`,
    `sha256   ${summary.manifestSha256}`,
    `${'entity'.padEnd(width)}  ${'exported'.padStart(10)}  ${'loaded'.padStart(10)}`,
    ...entities.map((e) => {
      const key = e as keyof DailyEtlSummary['rows'];
      return `${e.padEnd(width)}  ${String(summary.rows[key] ?? 0).padStart(10)}  ${String(summary.loaded[key] ?? '-').padStart(10)}`;
    }),
  ];
  if (summary.models.length) lines.push(`models   ${summary.models.map((m) => `${m.name}=${m.rows}`).join(' ')}`);
  // Runs from before metrics ran as child workflows have no outcomes; a failed metric does not fail the day, so it is named here.
  for (const m of (summary.metrics as DailyEtlSummary['metrics'] | undefined) ?? []) if (m.status !== 'completed') lines.push(`metric   ${m.name} ${m.status}: ${m.error ?? ''}`);
  return `${lines.join('\n')}\n`;
}
