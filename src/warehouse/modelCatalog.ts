import { readdir, readFile } from 'node:fs/promises';
import { ConfigurationError } from '../errors/LedgerflowError.js';
import { parseModel, type Model } from './parseModel.js';

const MODELS_DIR = new URL('./models/', import.meta.url);

/** Every model in src/warehouse/models, in dependency order (ties broken by name). */
export async function modelCatalog(dir: URL = MODELS_DIR): Promise<Model[]> {
  const names = (await readdir(dir)).filter((f) => f.endsWith('.sql')).sort();
  const models = await Promise.all(names.map(async (file) => parseModel(file, await readFile(new URL(file, dir), 'utf8'))));
  return dependencyOrder(models);
}

export function dependencyOrder(models: readonly Model[]): Model[] {
  const byName = new Map(models.map((m) => [m.name, m]));
  const ordered: Model[] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (model: Model, path: string[]) => {
    if (state.get(model.name) === 'done') return;
    if (state.get(model.name) === 'visiting') {
      throw new ConfigurationError(`Models depend on each other in a cycle: ${[...path, model.name].join(' -> ')}`, {
        fix: 'remove one of the `-- depends:` entries in src/warehouse/models',
      });
    }
    state.set(model.name, 'visiting');
    for (const dependency of model.depends) {
      const target = byName.get(dependency);
      if (!target) {
        throw new ConfigurationError(`Model ${model.name} depends on unknown model ${dependency}`, {
          fix: `add src/warehouse/models/${dependency}.sql or fix the \`-- depends:\` line of ${model.file}`,
        });
      }
      visit(target, [...path, model.name]);
    }
    state.set(model.name, 'done');
    ordered.push(model);
  };
  for (const model of [...models].sort((a, b) => a.name.localeCompare(b.name))) visit(model, []);
  return ordered;
}
