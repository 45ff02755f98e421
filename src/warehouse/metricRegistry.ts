import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { InvalidInputError, LedgerflowError } from '../errors/LedgerflowError.js';
import { METRICS_TABLE, parseModel, type Model } from './parseModel.js';

export type { Grain, MetricKind, MetricSchedule } from './parseModel.js';

/** The built-in models and metrics, shipped beside the code (dist/ copies them). */
export const BUILT_IN_METRICS_DIR = fileURLToPath(new URL('./models/', import.meta.url));

export type MetricSource = 'built-in' | 'user';

export interface Metric extends Model {
  source: MetricSource;
  /** The file it was read from. */
  path: string;
}

/** A file left out of the registry, and why, in one line that names the file. */
export interface MetricProblem {
  file: string;
  source: MetricSource;
  message: string;
}

export interface MetricRegistry {
  /** In dependency order, ties broken by name; without the files in `problems` and what depends on them. */
  metrics: Metric[];
  problems: MetricProblem[];
}

/**
 * Every metric: the built-in files, then the user's from `userDir` (LEDGERFLOW_METRICS_DIR),
 * read at call time so a new file needs no rebuild. A bad file (syntax, unknown dependency, a
 * cycle, a name or table another file owns) is reported in `problems` and left out with its
 * dependents; it never stops the others.
 */
export async function loadMetricRegistry(options: { userDir?: string; builtInDir?: string } = {}): Promise<MetricRegistry> {
  const problems: MetricProblem[] = [];
  const parsed: Metric[] = [];
  const dirs: Array<[string, MetricSource]> = [[options.builtInDir ?? BUILT_IN_METRICS_DIR, 'built-in']];
  if (options.userDir) dirs.push([options.userDir, 'user']);
  for (const [dir, source] of dirs) {
    let files: string[];
    try {
      files = await sqlFiles(dir);
    } catch (error) {
      problems.push({ file: dir, source, message: `LEDGERFLOW_METRICS_DIR=${dir} cannot be read (${(error as NodeJS.ErrnoException).code ?? String(error)}): only the built-in metrics run; fix: point it at a directory of *.sql metric files` });
      continue;
    }
    for (const file of files) {
      const filePath = path.join(dir, file);
      try {
        parsed.push({ ...parseModel(file, await readFile(filePath, 'utf8')), source, path: filePath });
      } catch (error) {
        problems.push({ file: filePath, source, message: oneLine(filePath, file, error) });
      }
    }
  }
  const owned = rejectClashes(parsed, problems);
  return { metrics: orderAndPrune(owned, problems), problems };
}

/** The named metric, or an error that says why it is not runnable. */
export function findMetric(registry: MetricRegistry, name: string): Metric {
  const metric = registry.metrics.find((m) => m.name === name);
  if (metric) return metric;
  const problem = registry.problems.find((p) => path.basename(p.file) === `${name}.sql`);
  if (problem) throw new InvalidInputError(`Metric ${name} is not runnable: ${problem.message}`, { fix: `fix ${problem.file}; \`ledgerflow metrics validate\` lists every problem` });
  throw new InvalidInputError(`Unknown metric ${name}`, { fix: `use one of ${registry.metrics.map((m) => m.name).join(', ')} (\`ledgerflow metrics list\`)` });
}

async function sqlFiles(dir: string): Promise<string[]> {
  const names = (await readdir(dir)).filter((f) => f.endsWith('.sql') && !f.startsWith('.')).sort();
  // A ConfigMap volume holds its files as symlinks into a hidden, timestamped directory.
  const isFile = await Promise.all(names.map(async (f) => (await stat(path.join(dir, f))).isFile()));
  return names.filter((_, i) => isFile[i]);
}

function oneLine(filePath: string, file: string, error: unknown): string {
  const text = error instanceof LedgerflowError ? error.shortMessage : error instanceof Error ? error.message : String(error);
  const fix = error instanceof LedgerflowError && error.fix ? `; fix: ${error.fix}` : '';
  // Parse errors name the bare file; the problem names where it lives.
  return `${text.startsWith(`${file}`) ? `${path.dirname(filePath)}/${text}` : `${filePath}: ${text}`}${fix}`.replace(/\s*\n\s*/g, ' ');
}

/** A user file may not take a built-in's name, nor a table another file writes. Built-ins win. */
function rejectClashes(metrics: readonly Metric[], problems: MetricProblem[]): Metric[] {
  const byName = new Map<string, Metric>();
  const byTable = new Map<string, Metric>();
  const kept: Metric[] = [];
  for (const metric of [...metrics].sort((a, b) => (a.source === b.source ? 0 : a.source === 'built-in' ? -1 : 1))) {
    const sameName = byName.get(metric.name);
    const sameTable = metric.table === METRICS_TABLE ? undefined : byTable.get(metric.table);
    if (sameName || sameTable) {
      const other = (sameName ?? sameTable) as Metric;
      const what = sameName ? `name ${metric.name}` : `table ${metric.table}`;
      problems.push({
        file: metric.path,
        source: metric.source,
        message: `${metric.path}: its ${what} is taken by the ${other.source} metric ${other.path}; fix: rename the file, its \`-- model:\` line${sameTable ? ' and its table' : ''}`,
      });
      continue;
    }
    byName.set(metric.name, metric);
    if (metric.table !== METRICS_TABLE) byTable.set(metric.table, metric);
    kept.push(metric);
  }
  return kept;
}

function orderAndPrune(metrics: readonly Metric[], problems: MetricProblem[]): Metric[] {
  const byName = new Map(metrics.map((m) => [m.name, m]));
  const excluded = new Set<string>();
  const ordered: Metric[] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const reject = (metric: Metric, message: string) => {
    if (excluded.has(metric.name)) return;
    excluded.add(metric.name);
    problems.push({ file: metric.path, source: metric.source, message: `${metric.path}: ${message}` });
  };
  // Returns whether the metric is runnable.
  const visit = (metric: Metric, trail: string[]): boolean => {
    if (state.get(metric.name) === 'done') return !excluded.has(metric.name);
    if (state.get(metric.name) === 'visiting') {
      const cycle = [...trail.slice(trail.indexOf(metric.name)), metric.name];
      for (const name of cycle) {
        const member = byName.get(name);
        if (member) reject(member, `depends on itself through ${cycle.join(' -> ')}; fix: remove one of those \`-- depends:\` entries`);
      }
      return false;
    }
    state.set(metric.name, 'visiting');
    let runnable = true;
    for (const dependency of metric.depends) {
      const target = byName.get(dependency);
      if (!target) {
        reject(metric, `depends on unknown metric ${dependency}; fix: add ${dependency}.sql or correct the \`-- depends:\` line`);
        runnable = false;
      } else if (!visit(target, [...trail, metric.name])) {
        reject(metric, `depends on ${dependency}, which is left out (see its problem); fix: repair ${dependency} first`);
        runnable = false;
      }
    }
    state.set(metric.name, 'done');
    if (runnable && !excluded.has(metric.name)) ordered.push(metric);
    return runnable && !excluded.has(metric.name);
  };
  for (const metric of [...metrics].sort((a, b) => a.name.localeCompare(b.name))) visit(metric, []);
  // A member of a cycle can be pushed before the cycle closes on it.
  return ordered.filter((m) => !excluded.has(m.name));
}
