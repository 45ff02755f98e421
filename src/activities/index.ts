import { createExportActivities, type ExportDeps } from './export.js';
import { createLoadActivities, type LoadDeps } from './load.js';
import { createMetricActivities, type MetricDeps } from './metrics.js';
import { createModelActivities, type ModelDeps } from './model.js';
import { createResolveActivities, type ResolveDeps } from './resolve.js';
import { createSealActivities, type SealDeps } from './seal.js';
import { createVerifyActivities, type VerifyDeps } from './verify.js';

export type ActivityDeps = ResolveDeps & ExportDeps & SealDeps & LoadDeps & ModelDeps & MetricDeps & VerifyDeps;

/** Every activity, built from one set of bound library functions. Workflows import this as a type. */
export function createActivities(deps: ActivityDeps) {
  return {
    ...createResolveActivities(deps),
    ...createExportActivities(deps),
    ...createSealActivities(deps),
    ...createLoadActivities(deps),
    ...createModelActivities(deps),
    ...createMetricActivities(deps),
    ...createVerifyActivities(deps),
  };
}

export type Activities = ReturnType<typeof createActivities>;
