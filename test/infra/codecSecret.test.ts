import { describe, expect, it } from 'vitest';
import { TASK_QUEUES } from '../../src/workflows/names.js';
import { CODEC_ENV } from '../../src/codec/codecSettings.js';
import { kubectlAvailable, ofKind, renderOverlay, type K8sObject } from './renderOverlay.js';

interface EnvVar {
  name: string;
  value?: string;
  valueFrom?: { secretKeyRef?: { name: string; key: string } };
}
interface Deployment extends K8sObject {
  spec: { template: { spec: { containers: { env?: EnvVar[] }[] } } };
}
interface ExternalSecret extends K8sObject {
  spec: { target: { name: string }; data: { secretKey: string; remoteRef: { key: string; property: string } }[] };
}

describe.skipIf(!kubectlAvailable)('payload codec keys on EKS', () => {
  it.each(['eks', 'eks-temporal-cloud'])('%s: every worker Deployment reads LEDGERFLOW_CODEC_KEYS from the Secrets Manager codec secret, never the token', (overlay) => {
    const objects = renderOverlay(overlay);
    const deployments = ofKind(objects, 'Deployment') as Deployment[];
    expect(deployments.map((d) => d.metadata.name).sort()).toEqual(Object.keys(TASK_QUEUES).map((role) => `ledgerflow-${role}`).sort());
    for (const deployment of deployments) {
      const env = deployment.spec.template.spec.containers[0]?.env ?? [];
      const keys = env.filter((e) => e.name === CODEC_ENV.keys);
      expect(keys, deployment.metadata.name).toEqual([{ name: CODEC_ENV.keys, valueFrom: { secretKeyRef: { name: 'ledgerflow-codec', key: CODEC_ENV.keys } } }]);
      expect(env.find((e) => e.name === CODEC_ENV.token), `${deployment.metadata.name} must not hold the codec server's token`).toBeUndefined();
    }
    const secret = (ofKind(objects, 'ExternalSecret') as ExternalSecret[]).find((e) => e.metadata.name === 'ledgerflow-codec');
    expect(secret?.spec.target.name).toBe('ledgerflow-codec');
    // The secret the Terraform secrets module creates (<name>/codec), by the name Terraform printed.
    expect(secret?.spec.data).toEqual([{ secretKey: CODEC_ENV.keys, remoteRef: { key: 'ledgerflow-example/codec', property: CODEC_ENV.keys } }]);
    expect(JSON.stringify(objects)).not.toMatch(/LEDGERFLOW_CODEC_KEYS"?\s*[:=]\s*"?[A-Za-z0-9-]+=[A-Za-z0-9+/]{40,}/);
  });
});
