import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { K8S_DIR, parseManifests, type K8sObject } from './renderOverlay.js';

// The capacity activity's Kubernetes permissions, read from the manifest files themselves (no
// kubectl, no cluster): one ClusterRole that may only get and list nodes and pods, bound only to
// Ledgerflow's own service accounts, and no other RBAC object anywhere under k8s/.
const RBAC_KINDS = new Set(['Role', 'ClusterRole', 'RoleBinding', 'ClusterRoleBinding']);

function yamlFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return yamlFiles(full);
    return /\.ya?ml$/.test(entry.name) && entry.name !== 'values.yaml' ? [full] : [];
  });
}

interface Rule {
  apiGroups?: string[];
  resources?: string[];
  verbs?: string[];
  resourceNames?: string[];
  nonResourceURLs?: string[];
}

const rbac = parseManifests(readFileSync(path.join(K8S_DIR, 'base/rbac.yaml'), 'utf8'));
const byKind = (kind: string) => rbac.filter((o) => o.kind === kind);

describe('capacity reader RBAC (k8s/base/rbac.yaml, offline)', () => {
  it('is one ClusterRole allowing get and list on core nodes and pods, nothing else', () => {
    const roles = byKind('ClusterRole') as (K8sObject & { rules?: Rule[]; aggregationRule?: unknown })[];
    expect(roles.map((r) => r.metadata.name)).toEqual(['ledgerflow-capacity-reader']);
    const role = roles[0];
    expect(role?.aggregationRule, 'an aggregated role would gather other roles’ rules').toBeUndefined();
    const rules = role?.rules ?? [];
    expect(rules.length).toBeGreaterThan(0);
    for (const rule of rules) {
      expect(rule.apiGroups).toEqual(['']);
      expect([...(rule.resources ?? [])].sort()).toEqual(['nodes', 'pods']);
      expect([...(rule.verbs ?? [])].sort()).toEqual(['get', 'list']);
      expect(rule.nonResourceURLs).toBeUndefined();
    }
    expect(byKind('Role')).toEqual([]);
    expect(byKind('RoleBinding')).toEqual([]);
  });

  it('is bound only to Ledgerflow service accounts in the ledgerflow namespace', () => {
    const bindings = byKind('ClusterRoleBinding') as (K8sObject & { roleRef: { kind: string; name: string }; subjects: { kind: string; name: string; namespace?: string }[] })[];
    expect(bindings.map((b) => b.metadata.name)).toEqual(['ledgerflow-capacity-reader']);
    const binding = bindings[0];
    expect(binding?.roleRef).toMatchObject({ kind: 'ClusterRole', name: 'ledgerflow-capacity-reader' });
    for (const subject of binding?.subjects ?? []) {
      expect(subject.kind).toBe('ServiceAccount');
      expect(subject.namespace).toBe('ledgerflow');
      expect(subject.name).toMatch(/^ledgerflow-(workflows|export|load)$/);
    }
  });

  it('is the only RBAC object in any kustomize file (base, components, overlays)', () => {
    const found = yamlFiles(K8S_DIR)
      .filter((file) => !file.endsWith(path.join('base', 'rbac.yaml')))
      .flatMap((file) => parseManifests(readFileSync(file, 'utf8')).filter((o) => RBAC_KINDS.has(o?.kind)).map((o) => `${path.relative(K8S_DIR, file)}: ${o.kind} ${o.metadata.name}`));
    expect(found).toEqual([]);
  });
});
