// The one module a worker bundles: every workflow type, re-exported from its own file.
export { dailyEtl } from './dailyEtl.js';
export { backfill } from './backfill.js';
export { verifyDay } from './verifyDay.js';
export { metricDay, scheduledMetric } from './metricDay.js';
