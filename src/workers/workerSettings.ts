import { z } from 'zod';
import { ConfigurationError } from '../errors/LedgerflowError.js';
import { TASK_QUEUES, type WorkerRole } from '../workflows/names.js';

const ROLES = Object.keys(TASK_QUEUES) as [WorkerRole, ...WorkerRole[]];

const schema = z.object({
  roles: z.array(z.enum(ROLES)).min(1),
  slots: z.object({
    workflows: z.coerce.number().int().min(2),
    export: z.coerce.number().int().min(1),
    load: z.coerce.number().int().min(1),
    metrics: z.coerce.number().int().min(1),
  }),
  /** In-flight tasks may finish for this long after SIGTERM; keep it below the pod's termination grace period. */
  shutdownGraceTime: z.string().regex(/^\d+(ms|s|m)$/),
  shutdownForceTime: z.string().regex(/^\d+(ms|s|m)$/),
  workflowBundlePath: z.string().optional(),
});

export type WorkerSettings = z.infer<typeof schema>;

/**
 * How one worker process runs, from LEDGERFLOW_* variables. Export slots default to a few
 * (each export holds RPC connections and upload buffers); load slots to 2, which bounds the
 * warehouse's concurrent COPYs per pod.
 */
export function workerSettingsFromEnv(env: Record<string, string | undefined> = process.env, overrides: Partial<WorkerSettings> = {}): WorkerSettings {
  const parsed = schema.safeParse({
    roles: (env.LEDGERFLOW_ROLES ?? ROLES.join(',')).split(',').map((r) => r.trim()).filter(Boolean),
    slots: {
      workflows: env.LEDGERFLOW_WORKFLOW_SLOTS ?? 40,
      export: env.LEDGERFLOW_EXPORT_SLOTS ?? 4,
      load: env.LEDGERFLOW_LOAD_SLOTS ?? 2,
      metrics: env.LEDGERFLOW_METRIC_SLOTS ?? 2,
    },
    shutdownGraceTime: env.LEDGERFLOW_SHUTDOWN_GRACE ?? '60s',
    shutdownForceTime: env.LEDGERFLOW_SHUTDOWN_FORCE ?? '90s',
    workflowBundlePath: env.LEDGERFLOW_WORKFLOW_BUNDLE || undefined,
    ...overrides,
  });
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new ConfigurationError(`Invalid worker settings: ${problems}`, {
      fix: `LEDGERFLOW_ROLES is a comma list of ${ROLES.join(', ')}; LEDGERFLOW_*_SLOTS are positive integers; LEDGERFLOW_SHUTDOWN_GRACE looks like 60s`,
    });
  }
  return parsed.data;
}
