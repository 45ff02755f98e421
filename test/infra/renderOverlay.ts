import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';

export const K8S_DIR = path.resolve(import.meta.dirname, '../../k8s');

export interface K8sObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  [field: string]: unknown;
}

function hasKubectl(): boolean {
  try {
    execFileSync('kubectl', ['version', '--client'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

export const kubectlAvailable = hasKubectl();

export function parseManifests(text: string): K8sObject[] {
  return parseAllDocuments(text)
    .map((doc) => doc.toJS() as K8sObject | null)
    .filter((obj): obj is K8sObject => obj !== null);
}

/** `kubectl kustomize` output for an overlay, parsed. Kustomize runs offline, no cluster needed. */
export function renderOverlay(overlay: string): K8sObject[] {
  let text = rendered.get(overlay);
  if (text === undefined) {
    text = execFileSync('kubectl', ['kustomize', path.join(K8S_DIR, 'overlays', overlay)], { encoding: 'utf8' });
    rendered.set(overlay, text);
  }
  return parseManifests(text);
}

const rendered = new Map<string, string>();

/** Without kubectl, the base's own files (no overlay patches): still worth checking. */
export function readBaseFiles(): K8sObject[] {
  const dir = path.join(K8S_DIR, 'base');
  return readdirSync(dir)
    .filter((f) => f.endsWith('.yaml') && f !== 'kustomization.yaml')
    .flatMap((f) => parseManifests(readFileSync(path.join(dir, f), 'utf8')));
}

export const ofKind = (objects: K8sObject[], kind: string) => objects.filter((o) => o.kind === kind);
