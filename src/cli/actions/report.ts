import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { configForSections } from '../../config.js';
import { createLogger } from '../../log.js';
import { renderReport } from '../../report/renderReport.js';
import { reportDocument } from '../../report/reportDocument.js';
import { reportData, REPORT_GRAINS } from '../../warehouse/reportData.js';
import { sqlWarehouseFromConfig } from '../../warehouse/warehouseFromConfig.js';
import { InvalidInputError } from '../../errors/LedgerflowError.js';
import { isoDate } from './isoDateOption.js';

export interface ReportOptions {
  from: string;
  to: string;
  out: string;
  grain?: string;
}

export interface WrittenReport {
  path: string;
  bytes: number;
  title: string;
  buckets: number;
}

/** `ledgerflow report`: prints where the page went. */
export async function runReport(options: ReportOptions): Promise<void> {
  const report = await writeReport(options);
  process.stdout.write(`${report.title}: ${report.buckets} bucket(s), ${report.bytes} bytes written to ${report.path}\n`);
}

/** Reads the model tables (SELECTs only) and writes the page; `env` is where the warehouse settings come from. */
export async function writeReport(options: ReportOptions, env: Record<string, string | undefined> = process.env): Promise<WrittenReport> {
  const from = isoDate(options.from, '--from');
  const to = isoDate(options.to, '--to');
  const grain = options.grain ?? 'day';
  if (!REPORT_GRAINS.includes(grain)) throw new InvalidInputError(`--grain ${grain} is not a report grain`, { fix: `use one of ${REPORT_GRAINS.join(', ')}` });
  if (from > to) throw new InvalidInputError(`--from ${from} is after --to ${to}`, { fix: 'swap them' });
  // A report only reads SQL: no lake, no node settings.
  const config = configForSections(['warehouse'], { env, neededBy: () => '`ledgerflow report`' });
  const deps = sqlWarehouseFromConfig(config, createLogger(config.logLevel));
  let html: string;
  let doc: ReturnType<typeof reportDocument>;
  let buckets: number;
  try {
    const data = await reportData(deps, { from, to, grain });
    doc = reportDocument(data, { schema: deps.schema });
    html = renderReport(doc);
    buckets = data.buckets.length;
  } finally {
    await deps.close();
  }
  const out = path.resolve(options.out);
  await mkdir(path.dirname(out), { recursive: true });
  await writeFile(out, html);
  return { path: out, bytes: Buffer.byteLength(html), title: doc.title, buckets };
}
