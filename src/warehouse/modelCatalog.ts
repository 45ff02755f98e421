import { ConfigurationError } from '../errors/LedgerflowError.js';
import { loadMetricRegistry, type Metric } from './metricRegistry.js';

/**
 * The built-in models and metrics, in dependency order. Unlike a user file, a broken built-in is
 * a defect of the release, so it throws instead of being left out.
 */
export async function modelCatalog(): Promise<Metric[]> {
  const { metrics, problems } = await loadMetricRegistry();
  if (problems.length > 0) {
    throw new ConfigurationError(`Built-in metric files are broken: ${problems.map((p) => p.message).join('; ')}`, { fix: 'repair src/warehouse/models before release' });
  }
  return metrics;
}
