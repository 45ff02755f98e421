import type { Counter, Histogram, Registry } from 'prom-client';
import { getOrCreateCounter, getOrCreateHistogram } from './createMetricsRegistry.js';

/**
 * Throughput of the pipeline stages, as the Grafana dashboards (dashboards/*.json) chart them.
 * `table` is the lake entity / warehouse table name (blocks, transactions, logs, ...): a fixed,
 * small set, so the label stays bounded.
 */
export interface PipelineMetrics {
  blocksExported: Counter<'chain_id'>;
  rowsExported: Counter<'table'>;
  bytesUploaded: Counter<'table'>;
  rowsLoaded: Counter<'table'>;
  modelDuration: Histogram<'model'>;
}

export function pipelineMetrics(registry: Registry): PipelineMetrics {
  return {
    blocksExported: getOrCreateCounter(registry, {
      name: 'ledgerflow_blocks_exported_total',
      help: 'Blocks whose chunk was exported to the lake, by chain id',
      labelNames: ['chain_id'],
    }),
    rowsExported: getOrCreateCounter(registry, {
      name: 'ledgerflow_rows_exported_total',
      help: 'Rows written to lake files, by table',
      labelNames: ['table'],
    }),
    bytesUploaded: getOrCreateCounter(registry, {
      name: 'ledgerflow_bytes_uploaded_total',
      help: 'Compressed bytes uploaded to the lake, by table',
      labelNames: ['table'],
    }),
    rowsLoaded: getOrCreateCounter(registry, {
      name: 'ledgerflow_rows_loaded_total',
      help: 'Rows loaded into the warehouse, by table',
      labelNames: ['table'],
    }),
    modelDuration: getOrCreateHistogram(registry, {
      name: 'ledgerflow_model_duration_seconds',
      help: 'Time to update one SQL model for one day',
      labelNames: ['model'],
      buckets: [0.1, 0.5, 1, 5, 15, 60, 300, 900],
    }),
  };
}
