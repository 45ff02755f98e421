import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PLUGIN_DIR, TF_DIR, terraformAvailable, tf } from './terraformCli.js';

// What each worker's IRSA role may do in the lake, read from the policies the AWS provider
// renders in an offline plan of the iam module (local provider mirror, fake credentials, no AWS
// API called): export writes chunk objects and, as the sealing role, manifests; load only reads;
// workflows gets nothing. Requests are judged by Allow statements as IAM does (action and resource
// wildcards; `*` crosses `/`).

const BUCKET = 'arn:aws:s3:::acme-ledgerflow-test';
const KMS = 'arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab';
const CHUNK = `${BUCKET}/ledgerflow/chain=1/entity=logs/date=2024-01-01/logs-0000000001-0000000180.csv.gz`;
const SUPERSEDING_CHUNK = `${BUCKET}/ledgerflow/chain=1/entity=logs/date=2024-01-01/v2/logs-0000000001-0000000180.csv.gz`;
const MANIFEST = `${BUCKET}/ledgerflow/chain=1/manifests/date=2024-01-01/manifest.json`;
const SIGNATURE = `${MANIFEST}.sig`;
const COPY_MANIFEST = `${BUCKET}/ledgerflow/chain=1/manifests/date=2024-01-01/copy/logs.manifest`;
const OTHER_KEY = `${BUCKET}/ledgerflow/chain=1/anything-else.json`;
const OUTSIDE_PREFIX = `${BUCKET}/other/chain=1/entity=logs/x.csv.gz`;

interface Statement {
  Sid?: string;
  Effect: 'Allow' | 'Deny';
  Action: string | string[];
  Resource: string | string[];
  Condition?: unknown;
}

const list = <T>(value: T | T[]): T[] => (Array.isArray(value) ? value : [value]);
const wildcard = (pattern: string) => new RegExp(`^${pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`);

/** Whether an Allow statement (conditions aside: only ListBucket has one) grants the action on the resource. */
function allows(statements: Statement[], action: string, resource: string): boolean {
  return statements.some((s) => s.Effect === 'Allow' && list(s.Action).some((a) => wildcard(a).test(action)) && list(s.Resource).some((r) => wildcard(r).test(resource)));
}

const dirs: string[] = [];
let policies: Record<string, Statement[]> = {};
let planned: string[] = [];

describe('IAM roles of the workers (offline plan of terraform/modules/iam)', () => {
  if (!terraformAvailable()) {
    console.warn(`terraform or the AWS provider mirror (${PLUGIN_DIR}, TF_PLUGIN_DIR) not found: IAM role checks not run`);
    it.skip('needs terraform and the provider mirror');
    return;
  }

  beforeAll(() => {
    const root = mkdtempSync(path.join(tmpdir(), 'ledgerflow-iam-'));
    dirs.push(root);
    cpSync(path.join(TF_DIR, 'modules'), path.join(root, 'modules'), { recursive: true, filter: (src) => !src.includes(`${path.sep}.terraform`) });
    const dir = path.join(root, 'plan');
    cpSync(path.join(TF_DIR, 'modules/iam/versions.tf'), path.join(dir, 'versions.tf'));
    writeFileSync(
      path.join(dir, 'main.tf'),
      `provider "aws" {
  region                      = "us-east-1"
  access_key                  = "AKIAIOSFODNN7EXAMPLE"
  secret_key                  = "offline-plan-only"
  skip_credentials_validation = true
  skip_requesting_account_id  = true
  skip_metadata_api_check     = true
  skip_region_validation      = true
}

module "iam" {
  source              = "../modules/iam"
  name                = "ledgerflow-test"
  oidc_provider_arn   = "arn:aws:iam::123456789012:oidc-provider/oidc.eks.us-east-1.amazonaws.com/id/ABCDEF"
  oidc_issuer         = "oidc.eks.us-east-1.amazonaws.com/id/ABCDEF"
  lake_bucket_arn     = "${BUCKET}"
  lake_prefix         = "ledgerflow"
  lake_kms_key_arn    = "${KMS}"
  secret_arns         = ["arn:aws:secretsmanager:us-east-1:123456789012:secret:ledgerflow-test/rpc-AbCdEf"]
  secrets_kms_key_arn = "${KMS}"
}
`,
    );
    tf(dir, ['init', '-backend=false', '-input=false', `-plugin-dir=${PLUGIN_DIR}`]);
    tf(dir, ['plan', '-input=false', '-refresh=false', '-out=test.plan']);
    const plan = JSON.parse(tf(dir, ['show', '-json', 'test.plan'])) as { resource_changes: { address: string; change: { after: { policy?: string } | null } }[] };
    planned = plan.resource_changes.map((c) => c.address);
    for (const c of plan.resource_changes) {
      const match = /^module\.iam\.aws_iam_role_policy\.worker\["(\w+)"\]$/.exec(c.address);
      if (match?.[1] && c.change.after?.policy) policies[match[1]] = (JSON.parse(c.change.after.policy) as { Statement: Statement[] }).Statement;
    }
  }, 120_000);
  afterAll(() => {
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
    policies = {};
  });

  it('gives the workflows role no AWS permission (it runs no activity)', () => {
    expect(planned).toContain('module.iam.aws_iam_role.this["workflows"]');
    expect(Object.keys(policies).sort()).toEqual(['export', 'load']);
  });

  it('lets export write chunk objects and, as the sealing role, manifests, and nothing else in the lake', () => {
    const s = policies.export ?? [];
    for (const key of [CHUNK, SUPERSEDING_CHUNK]) {
      for (const action of ['s3:PutObject', 's3:AbortMultipartUpload', 's3:ListMultipartUploadParts', 's3:GetObject']) expect(allows(s, action, key), `${action} ${key}`).toBe(true);
      expect(allows(s, 's3:PutObjectRetention', key), 'no retention on chunks').toBe(false);
    }
    for (const key of [MANIFEST, SIGNATURE, COPY_MANIFEST]) {
      expect(allows(s, 's3:PutObject', key), key).toBe(true);
      expect(allows(s, 's3:PutObjectRetention', key), key).toBe(true);
    }
    expect(allows(s, 's3:PutObject', OTHER_KEY)).toBe(false);
    expect(allows(s, 's3:PutObject', OUTSIDE_PREFIX)).toBe(false);
    expect(allows(s, 's3:GetObject', OUTSIDE_PREFIX)).toBe(false);
    expect(allows(s, 'kms:GenerateDataKey', KMS)).toBe(true);
  });

  it('lets load only read the lake prefix', () => {
    const s = policies.load ?? [];
    expect(allows(s, 's3:GetObject', CHUNK)).toBe(true);
    expect(allows(s, 's3:GetObject', MANIFEST)).toBe(true);
    for (const key of [CHUNK, MANIFEST, COPY_MANIFEST]) {
      for (const action of ['s3:PutObject', 's3:PutObjectRetention', 's3:AbortMultipartUpload']) expect(allows(s, action, key), `${action} ${key}`).toBe(false);
    }
    expect(allows(s, 'kms:GenerateDataKey', KMS)).toBe(false);
    expect(allows(s, 'kms:Decrypt', KMS)).toBe(true);
  });

  it('grants nobody a delete, a retention bypass, a legal hold or a wildcard action', () => {
    for (const [role, statements] of Object.entries(policies)) {
      for (const action of statements.flatMap((s) => list(s.Action))) expect(action, role).not.toMatch(/Delete|Bypass|LegalHold|\*/);
    }
  });
});
