import { describe, expect, it } from 'vitest';
import { ConfigurationError } from '../../../src/errors/LedgerflowError.js';
import { workerSettingsFromEnv } from '../../../src/workers/workerSettings.js';

describe('workerSettingsFromEnv', () => {
  it('polls every queue with default slots when nothing is set', () => {
    expect(workerSettingsFromEnv({})).toEqual({
      roles: ['workflows', 'export', 'load', 'metrics'],
      slots: { workflows: 40, export: 4, load: 2, metrics: 2 },
      shutdownGraceTime: '60s',
      shutdownForceTime: '90s',
    });
  });

  it('reads roles, slots, grace time and bundle path from LEDGERFLOW_*', () => {
    const settings = workerSettingsFromEnv({
      LEDGERFLOW_ROLES: 'export, load',
      LEDGERFLOW_EXPORT_SLOTS: '16',
      LEDGERFLOW_LOAD_SLOTS: '1',
      LEDGERFLOW_METRIC_SLOTS: '3',
      LEDGERFLOW_SHUTDOWN_GRACE: '45s',
      LEDGERFLOW_WORKFLOW_BUNDLE: '/app/dist/workflow-bundle.js',
    });
    expect(settings.roles).toEqual(['export', 'load']);
    expect(settings.slots).toMatchObject({ export: 16, load: 1, metrics: 3 });
    expect(settings.shutdownGraceTime).toBe('45s');
    expect(settings.workflowBundlePath).toBe('/app/dist/workflow-bundle.js');
  });

  it('names every bad value in one error', () => {
    const error = (() => {
      try {
        workerSettingsFromEnv({ LEDGERFLOW_ROLES: 'export,redshift', LEDGERFLOW_EXPORT_SLOTS: '0', LEDGERFLOW_SHUTDOWN_GRACE: 'soon' });
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(ConfigurationError);
    const message = (error as Error).message;
    expect(message).toContain('roles');
    expect(message).toContain('slots.export');
    expect(message).toContain('shutdownGraceTime');
  });
});
