import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics, type CounterConfiguration, type GaugeConfiguration, type HistogramConfiguration } from 'prom-client';

export interface MetricsRegistryOptions {
  /** Also collect Node process metrics (CPU, heap, event-loop lag); a worker wants them, tests do not. */
  collectDefault?: boolean;
}

/**
 * The registry a process serves on /metrics. One per process (the worker creates it and hands it
 * to the RPC pool, the lake writer and the loaders); tests make their own so counts never mix.
 */
export function createMetricsRegistry(options: MetricsRegistryOptions = {}): Registry {
  const registry = new Registry();
  if (options.collectDefault) collectDefaultMetrics({ register: registry });
  return registry;
}

// prom-client throws when a name is registered twice in one registry; several pools (or an
// activity factory built twice) may share a registry, so every part asks for its metrics here.

export function getOrCreateCounter<T extends string>(registry: Registry, config: Omit<CounterConfiguration<T>, 'registers'>): Counter<T> {
  const existing = registry.getSingleMetric(config.name);
  if (existing) return existing as Counter<T>;
  return new Counter<T>({ ...config, registers: [registry] });
}

export function getOrCreateHistogram<T extends string>(registry: Registry, config: Omit<HistogramConfiguration<T>, 'registers'>): Histogram<T> {
  const existing = registry.getSingleMetric(config.name);
  if (existing) return existing as Histogram<T>;
  return new Histogram<T>({ ...config, registers: [registry] });
}

export function getOrCreateGauge<T extends string>(registry: Registry, config: Omit<GaugeConfiguration<T>, 'registers'>): Gauge<T> {
  const existing = registry.getSingleMetric(config.name);
  if (existing) return existing as Gauge<T>;
  return new Gauge<T>({ ...config, registers: [registry] });
}
