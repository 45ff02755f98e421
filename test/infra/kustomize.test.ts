import { createPublicKey } from 'node:crypto';
import type { V1ConfigMap, V1Deployment, V1EnvVar, V1NetworkPolicy } from '@kubernetes/client-node';
import { Deployment } from 'kubernetes-models/apps/v1/Deployment';
import { ClusterRole } from 'kubernetes-models/rbac.authorization.k8s.io/v1/ClusterRole';
import { ClusterRoleBinding } from 'kubernetes-models/rbac.authorization.k8s.io/v1/ClusterRoleBinding';
import { NetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1/NetworkPolicy';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1/PodDisruptionBudget';
import { ConfigMap } from 'kubernetes-models/v1/ConfigMap';
import { Namespace } from 'kubernetes-models/v1/Namespace';
import { Service } from 'kubernetes-models/v1/Service';
import { ServiceAccount } from 'kubernetes-models/v1/ServiceAccount';
import { describe, expect, it } from 'vitest';
import { parseCpuMillis, parseMemoryBytes } from '../../src/cluster/quantity.js';
import { configSchema, ROLE_SECTIONS } from '../../src/config.js';
import { TASK_QUEUES, type WorkerRole } from '../../src/workflows/names.js';
import { kubectlAvailable, ofKind, readBaseFiles, renderOverlay, type K8sObject } from './renderOverlay.js';

const ROLES = Object.keys(TASK_QUEUES) as WorkerRole[];
/** The secret behind each configuration section that holds one. */
const SECTION_SECRETS = {
  rpc: { variable: 'RPC_URL', secretName: 'ledgerflow-rpc' },
  warehouse: { variable: 'DATABASE_URL', secretName: 'ledgerflow-warehouse' },
} as const;
const OVERLAYS = ['local', 'eks', 'eks-temporal-cloud'];
/** Roles that reach no AWS service (no lake; the warehouse by DATABASE_URL). */
const NO_AWS_IDENTITY: WorkerRole[] = ['metrics'];

// Models for the built-in kinds; CRDs (KEDA, Prometheus Operator, External Secrets) are checked
// field by field below since kubernetes-models has no schema for them.
const MODELS: Record<string, new (data: never) => { validate(): void }> = {
  Deployment,
  Service,
  ConfigMap,
  ServiceAccount,
  Namespace,
  PodDisruptionBudget,
  NetworkPolicy,
  ClusterRole,
  ClusterRoleBinding,
};

function deployment(objects: K8sObject[], role: WorkerRole): V1Deployment {
  const found = objects.find((o) => o.kind === 'Deployment' && o.metadata.name === `ledgerflow-${role}`);
  if (!found) throw new Error(`no Deployment ledgerflow-${role}`);
  return found as unknown as V1Deployment;
}

function config(objects: K8sObject[]): Record<string, string> {
  const found = objects.find((o) => o.kind === 'ConfigMap' && o.metadata.name === 'ledgerflow-config') as V1ConfigMap | undefined;
  if (!found?.data) throw new Error('no ConfigMap ledgerflow-config');
  return found.data;
}

function checkDeployments(objects: K8sObject[]) {
  const settings = config(objects);
  // The worker reads a duration; the manifests keep it in whole seconds so it compares with
  // terminationGracePeriodSeconds.
  const drain = /^(\d+)s$/.exec(settings.LEDGERFLOW_SHUTDOWN_GRACE ?? '');
  expect(drain, 'LEDGERFLOW_SHUTDOWN_GRACE is whole seconds, e.g. 60s').not.toBeNull();
  const drainSeconds = Number(drain?.[1]);
  expect(drainSeconds).toBeGreaterThan(0);
  for (const role of ROLES) {
    const d = deployment(objects, role);
    const pod = d.spec?.template.spec;
    const container = pod?.containers[0];
    expect(pod, role).toBeDefined();
    expect(container, role).toBeDefined();
    if (!pod || !container) continue;

    expect(pod.serviceAccountName).toBe(`ledgerflow-${role}`);
    expect(pod.terminationGracePeriodSeconds, `${role} must outlast the ${drainSeconds}s drain`).toBeGreaterThan(drainSeconds);
    expect(pod.securityContext).toMatchObject({ runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } });
    expect(pod.securityContext?.runAsUser).toBeGreaterThan(0);
    expect(container.securityContext).toMatchObject({
      allowPrivilegeEscalation: false,
      readOnlyRootFilesystem: true,
      capabilities: { drop: ['ALL'] },
    });
    expect(container.command ?? container.args).toEqual(['node', 'dist/workers/main.js']);

    const tmp = container.volumeMounts?.find((m) => m.mountPath === '/tmp');
    expect(pod.volumes?.find((v) => v.name === tmp?.name)?.emptyDir, `${role} needs an emptyDir on /tmp`).toBeDefined();

    for (const kind of ['requests', 'limits'] as const) {
      expect(container.resources?.[kind]?.cpu, `${role} ${kind}.cpu`).toBeDefined();
      expect(container.resources?.[kind]?.memory, `${role} ${kind}.memory`).toBeDefined();
    }
    const limitBytes = parseMemoryBytes(String(container.resources?.limits?.memory));
    const heapMb = Number(/--max-old-space-size=(\d+)/.exec(container.env?.find((e) => e.name === 'NODE_OPTIONS')?.value ?? '')?.[1]);
    expect(heapMb * 2 ** 20, `${role} heap must leave room under the memory limit`).toBeLessThanOrEqual(limitBytes * 0.85);

    const metricsPort = container.ports?.find((p) => p.name === 'metrics')?.containerPort;
    expect(metricsPort).toBe(Number(settings.METRICS_PORT));
    expect(container.livenessProbe?.httpGet).toMatchObject({ path: '/healthz', port: 'metrics' });
    expect(container.readinessProbe?.httpGet).toMatchObject({ path: '/readyz', port: 'metrics' });

    expect(container.env?.find((e) => e.name === 'LEDGERFLOW_ROLES')?.value).toBe(role);
    // Each role mounts the secrets of the settings it reads (ROLE_SECTIONS) and no other.
    for (const [section, { variable, secretName }] of Object.entries(SECTION_SECRETS)) {
      const env = container.env?.find((e) => e.name === variable);
      expect(settings[variable], `${variable} must not sit in the ConfigMap`).toBeUndefined();
      if (ROLE_SECTIONS[role].includes(section as keyof typeof SECTION_SECRETS)) {
        expect(env?.value, `${variable} must not be inlined`).toBeUndefined();
        expect(env?.valueFrom?.secretKeyRef?.name, `${variable} comes from a Secret by name`).toBe(secretName);
      } else {
        expect(env, `the ${role} Deployment must not set ${variable}`).toBeUndefined();
        expect(JSON.stringify(pod), `the ${role} Deployment must not reference the ${secretName} Secret`).not.toContain(`"${secretName}"`);
      }
    }
    expect(pod.topologySpreadConstraints?.map((c) => c.topologyKey)).toContain('topology.kubernetes.io/zone');
    checkManifestKeys(role, container.env ?? [], settings);
  }

  checkMetricsDeployment(objects);

  // The capacity activity sizes backfills by these numbers: they must be the export pod's requests.
  const exportRequests = deployment(objects, 'export').spec?.template.spec?.containers[0]?.resources?.requests ?? {};
  expect(parseCpuMillis(settings.LEDGERFLOW_EXPORT_POD_CPU ?? '')).toBe(parseCpuMillis(String(exportRequests.cpu)));
  expect(parseMemoryBytes(settings.LEDGERFLOW_EXPORT_POD_MEMORY ?? '')).toBe(parseMemoryBytes(String(exportRequests.memory)));
  const exportSelector = deployment(objects, 'export').spec?.template.spec?.nodeSelector ?? {};
  const configuredSelector = Object.fromEntries(
    (settings.LEDGERFLOW_EXPORT_NODE_SELECTOR ?? '').split(',').filter(Boolean).map((pair) => pair.split('=')),
  );
  expect(configuredSelector).toEqual(exportSelector);
}

/**
 * The metrics pods read the user's metric files from the optional ledgerflow-metrics ConfigMap,
 * mounted read-only where LEDGERFLOW_METRICS_DIR points, and hold no lake setting or key.
 */
function checkMetricsDeployment(objects: K8sObject[]) {
  const pod = deployment(objects, 'metrics').spec?.template.spec;
  const container = pod?.containers[0];
  const dir = container?.env?.find((e) => e.name === 'LEDGERFLOW_METRICS_DIR')?.value;
  expect(dir, 'LEDGERFLOW_METRICS_DIR').toMatch(/^\/.+/);
  expect(config(objects).LEDGERFLOW_METRICS_DIR, 'LEDGERFLOW_METRICS_DIR belongs to the metrics pods, not the shared ConfigMap').toBeUndefined();
  const mount = container?.volumeMounts?.find((m) => m.mountPath === dir);
  expect(mount?.readOnly).toBe(true);
  const volume = pod?.volumes?.find((v) => v.name === mount?.name);
  expect(volume?.configMap).toEqual({ name: 'ledgerflow-metrics', optional: true });
  const env = (container?.env ?? []).map((e) => e.name);
  for (const name of ['LEDGERFLOW_TRUSTED_KEYS', 'LEDGERFLOW_SIGNING_KEY']) expect(env, `metrics must not read ${name}`).not.toContain(name);
  const secretRefs = JSON.stringify(pod).match(/"secretKeyRef":\{"name":"([^"]+)"/g) ?? [];
  // The warehouse secret, plus what every worker reads (codec keys, a Temporal Cloud API key).
  for (const ref of secretRefs) expect(ref).toMatch(/"(ledgerflow-warehouse|ledgerflow-codec|ledgerflow-temporal)"/);
  expect(JSON.stringify(pod), 'metrics pods get no lake credentials').not.toContain('ledgerflow-local-s3');
}

// Only the role that seals (export, on the ledgerflow-export task queue) holds the signing key, and
// from a Secret; the roles that verify (export for verify-day, load for its pinned manifest) get
// the public keys from a ConfigMap. Nothing may switch signing off in a deployment.
const SEALERS: WorkerRole[] = ['export'];
const VERIFIERS: WorkerRole[] = ['export', 'load'];

function checkManifestKeys(role: WorkerRole, env: V1EnvVar[], settings: Record<string, string>) {
  const signing = env.find((e) => e.name === 'LEDGERFLOW_SIGNING_KEY');
  if (SEALERS.includes(role)) {
    expect(signing?.value, 'LEDGERFLOW_SIGNING_KEY must not be inlined').toBeUndefined();
    expect(signing?.valueFrom?.secretKeyRef).toEqual({ name: 'ledgerflow-signing', key: 'LEDGERFLOW_SIGNING_KEY' });
  } else {
    expect(signing, `${role} must not hold the signing key`).toBeUndefined();
  }
  const trusted = env.find((e) => e.name === 'LEDGERFLOW_TRUSTED_KEYS');
  if (VERIFIERS.includes(role)) {
    expect(trusted?.valueFrom?.configMapKeyRef?.key, `${role} trusted keys`).toBe('LEDGERFLOW_TRUSTED_KEYS');
    expect(trusted?.valueFrom?.configMapKeyRef?.name).toMatch(/^ledgerflow-trusted-keys/);
  }
  expect(env.map((e) => e.name)).not.toContain('LEDGERFLOW_SEAL_UNSIGNED');
  for (const name of ['LEDGERFLOW_SIGNING_KEY', 'LEDGERFLOW_SEAL_UNSIGNED']) expect(settings[name], `${name} in the ConfigMap`).toBeUndefined();
}

function checkCommon(objects: K8sObject[]) {
  for (const object of objects) {
    const Model = MODELS[object.kind];
    if (Model) expect(() => new Model(object as never).validate(), `${object.kind}/${object.metadata.name}`).not.toThrow();
  }
  expect(ofKind(objects, 'Secret'), 'secrets are referenced by name, never rendered').toEqual([]);
  for (const role of ROLES) {
    expect(objects.some((o) => o.kind === 'PodDisruptionBudget' && o.metadata.name === `ledgerflow-${role}`), `PDB for ${role}`).toBe(true);
    expect(objects.some((o) => o.kind === 'ServiceAccount' && o.metadata.name === `ledgerflow-${role}`), `ServiceAccount for ${role}`).toBe(true);
  }
  const deny = ofKind(objects, 'NetworkPolicy').find((p) => p.metadata.name === 'ledgerflow-default-deny') as V1NetworkPolicy | undefined;
  expect(deny?.spec?.podSelector).toEqual({});
  expect(deny?.spec?.policyTypes).toEqual(['Ingress', 'Egress']);

  const role = ofKind(objects, 'ClusterRole').find((r) => r.metadata.name === 'ledgerflow-capacity-reader') as
    | { rules: { resources: string[]; verbs: string[] }[] }
    | undefined;
  expect(role?.rules.flatMap((r) => r.resources).sort()).toEqual(['nodes', 'pods']);
  expect(role?.rules.flatMap((r) => r.verbs).every((verb) => ['get', 'list', 'watch'].includes(verb))).toBe(true);
  const binding = ofKind(objects, 'ClusterRoleBinding').find((b) => b.metadata.name === 'ledgerflow-capacity-reader') as
    | { subjects: { name: string; namespace: string }[] }
    | undefined;
  const readers = binding?.subjects.map((s) => `${s.namespace}/${s.name}`).sort();
  expect(readers).toEqual(['ledgerflow/ledgerflow-load', 'ledgerflow/ledgerflow-workflows']);
  // Only pods bound to the reader get an API token at all.
  for (const role of ROLES) {
    const token = deployment(objects, role).spec?.template.spec?.automountServiceAccountToken;
    expect(token, `${role} API token`).toBe(readers?.includes(`ledgerflow/ledgerflow-${role}`));
  }
}

interface ScaledObject {
  metadata: { name: string };
  spec: { scaleTargetRef: { name: string }; minReplicaCount: number; maxReplicaCount: number; triggers: { type: string; metadata: Record<string, string> }[] };
}

function checkScaledObjects(objects: K8sObject[]) {
  const scaled = ofKind(objects, 'ScaledObject') as unknown as ScaledObject[];
  const settings = config(objects);
  expect(scaled.map((s) => s.spec.scaleTargetRef.name).sort()).toEqual(ROLES.map((r) => `ledgerflow-${r}`).sort());
  for (const role of ROLES) {
    const s = scaled.find((o) => o.spec.scaleTargetRef.name === `ledgerflow-${role}`);
    const trigger = s?.spec.triggers[0];
    expect(trigger?.type).toBe('temporal');
    expect(trigger?.metadata.taskQueue).toBe(TASK_QUEUES[role]);
    expect(trigger?.metadata.namespace).toBe(settings.TEMPORAL_NAMESPACE);
    expect(trigger?.metadata.endpoint).toBe(settings.TEMPORAL_ADDRESS);
    expect(s?.spec.maxReplicaCount).toBeGreaterThanOrEqual(s?.spec.minReplicaCount ?? Infinity);
  }
  const byRole = (role: WorkerRole) => scaled.find((o) => o.spec.scaleTargetRef.name === `ledgerflow-${role}`)?.spec;
  expect(byRole('workflows')?.minReplicaCount).toBeGreaterThanOrEqual(1);
  expect(byRole('load')?.maxReplicaCount).toBeLessThanOrEqual(3);
  expect(byRole('export')?.maxReplicaCount).toBeGreaterThan(byRole('load')?.maxReplicaCount ?? Infinity);
}

describe('k8s manifests (offline)', () => {
  if (!kubectlAvailable) {
    // Rendering needs kubectl's built-in kustomize; the base's files are still checked as written.
    console.warn('kubectl not found: overlays not rendered; checking k8s/base files only');
    it('base manifests hold resources, probes and the restricted securityContext (kubectl absent)', () => {
      const objects = readBaseFiles().map((o) => ({ ...o, metadata: { ...o.metadata, namespace: 'ledgerflow' } }));
      checkCommon(objects);
      checkDeployments(objects);
    });
    return;
  }

  describe.each(OVERLAYS)('overlay %s', (overlay) => {
    const objects = renderOverlay(overlay);

    it('renders valid objects: PDBs, service accounts, default-deny, read-only capacity RBAC, no Secrets', () => {
      checkCommon(objects);
    });

    it('every Deployment has resources, probes, the restricted securityContext and a long enough grace period', () => {
      checkDeployments(objects);
    });
  });

  it('eks scales each role on its own task queue with KEDA and fills every IRSA role ARN', () => {
    const objects = renderOverlay('eks');
    checkScaledObjects(objects);
    for (const sa of ofKind(objects, 'ServiceAccount')) {
      const arn = sa.metadata.annotations?.['eks.amazonaws.com/role-arn'];
      // The metrics role reaches only the warehouse, with DATABASE_URL: it has no AWS identity.
      if (NO_AWS_IDENTITY.includes(sa.metadata.name.replace(/^ledgerflow-/, '') as WorkerRole)) expect(arn, sa.metadata.name).toBeUndefined();
      else expect(arn, sa.metadata.name).toMatch(/^arn:aws:iam::\d{12}:role\/.+/);
    }
    expect(ofKind(objects, 'ServiceMonitor')).toHaveLength(1);
    expect(ofKind(objects, 'ExternalSecret').map((e) => e.metadata.name).sort()).toEqual(['ledgerflow-codec', 'ledgerflow-rpc', 'ledgerflow-signing', 'ledgerflow-warehouse']);
    expect(objects.some((o) => o.metadata.name === 'terraform-outputs'), 'the Terraform outputs ConfigMap is local-only').toBe(false);
    const placeholder = JSON.stringify(objects).match(/FROM_TERRAFORM|"eks.amazonaws.com\/role-arn":""/);
    expect(placeholder).toBeNull();
  });

  it('eks: the export pods get the signing key from Secrets Manager, verifiers the public keys, the sealer the lock to put on manifests', () => {
    const objects = renderOverlay('eks');
    const signing = ofKind(objects, 'ExternalSecret').find((e) => e.metadata.name === 'ledgerflow-signing') as unknown as {
      spec: { target: { name: string }; data: { secretKey: string; remoteRef: { key: string; property: string } }[] };
    };
    expect(signing.spec.target.name).toBe('ledgerflow-signing');
    expect(signing.spec.data).toEqual([{ secretKey: 'LEDGERFLOW_SIGNING_KEY', remoteRef: { key: 'ledgerflow-example/signing', property: 'LEDGERFLOW_SIGNING_KEY' } }]);

    // The generated ConfigMap (its name carries a content hash) is the one every verifier reads.
    const trusted = ofKind(objects, 'ConfigMap').find((c) => c.metadata.name.startsWith('ledgerflow-trusted-keys-')) as V1ConfigMap | undefined;
    expect(trusted?.metadata?.namespace).toBe('ledgerflow');
    for (const role of VERIFIERS) {
      const env = deployment(objects, role).spec?.template.spec?.containers[0]?.env?.find((e) => e.name === 'LEDGERFLOW_TRUSTED_KEYS');
      expect(env?.valueFrom?.configMapKeyRef?.name, role).toBe(trusted?.metadata?.name);
    }
    const pems = (trusted?.data?.LEDGERFLOW_TRUSTED_KEYS ?? '').split(',').map((p) => p.trim()).filter(Boolean);
    expect(pems.length).toBeGreaterThan(0);
    for (const pem of pems) {
      expect(pem).toMatch(/^-----BEGIN PUBLIC KEY-----\n[\s\S]+\n-----END PUBLIC KEY-----$/);
      expect(createPublicKey(pem).asymmetricKeyType).toBe('ed25519');
    }

    const settings = config(objects);
    expect(['GOVERNANCE', 'COMPLIANCE']).toContain(settings.LEDGERFLOW_MANIFEST_RETENTION_MODE);
    expect(Number(settings.LEDGERFLOW_MANIFEST_RETENTION_DAYS)).toBeGreaterThanOrEqual(1);
    // Lake writes name the lake's KMS key, in the form the configuration accepts (a full key ARN).
    expect(configSchema.shape.s3KmsKeyId.safeParse(settings.LEDGERFLOW_S3_KMS_KEY_ID).success, String(settings.LEDGERFLOW_S3_KMS_KEY_ID)).toBe(true);
    expect(settings.LEDGERFLOW_S3_KMS_KEY_ID).not.toBe('FROM_TERRAFORM');
  });

  it('local: the signing key and trusted keys come from a Secret and a ConfigMap made by hand, no manifest lock (MinIO has none)', () => {
    const objects = renderOverlay('local');
    const env = deployment(objects, 'export').spec?.template.spec?.containers[0]?.env ?? [];
    expect(env.find((e) => e.name === 'LEDGERFLOW_SIGNING_KEY')?.valueFrom?.secretKeyRef?.name).toBe('ledgerflow-signing');
    expect(env.find((e) => e.name === 'LEDGERFLOW_TRUSTED_KEYS')?.valueFrom?.configMapKeyRef?.name).toBe('ledgerflow-trusted-keys');
    expect(config(objects).LEDGERFLOW_MANIFEST_RETENTION_MODE).toBeUndefined();
  });

  it('Temporal Cloud: workers and KEDA use TLS and an API key from a Secret', () => {
    const objects = renderOverlay('eks-temporal-cloud');
    checkScaledObjects(objects);
    for (const s of ofKind(objects, 'ScaledObject') as unknown as { spec: { triggers: { metadata: Record<string, string>; authenticationRef?: { name: string } }[] } }[]) {
      expect(s.spec.triggers[0]?.metadata.enableTLS).toBe('true');
      expect(s.spec.triggers[0]?.authenticationRef?.name).toBe('ledgerflow-temporal-cloud');
    }
    expect(config(objects).TEMPORAL_TLS).toBe('true');
    for (const role of ROLES) {
      const env = deployment(objects, role).spec?.template.spec?.containers[0]?.env?.find((e) => e.name === 'TEMPORAL_API_KEY');
      expect(env?.valueFrom?.secretKeyRef?.name).toBe('ledgerflow-temporal');
    }
  });

  it('local runs one replica per role without KEDA or the Prometheus Operator', () => {
    const objects = renderOverlay('local');
    expect(ofKind(objects, 'ScaledObject')).toEqual([]);
    expect(ofKind(objects, 'ServiceMonitor')).toEqual([]);
    for (const role of ROLES) expect(deployment(objects, role).spec?.replicas).toBe(1);
  });

  it('the base leaves replicas to KEDA', () => {
    for (const role of ROLES) expect(deployment(renderOverlay('eks'), role).spec?.replicas).toBeUndefined();
  });
});
