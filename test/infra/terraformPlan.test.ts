import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PLUGIN_DIR, TF_DIR, terraformAvailable, tf } from './terraformCli.js';
import { denyingStatements, type PolicyRequest, type PolicyStatement } from './iamPolicy.js';

// `terraform validate` and `terraform plan` need the AWS provider. They run offline against a
// local provider mirror (TF_PLUGIN_DIR, default /opt/tf-plugins) with fake credentials: the
// provider renders every aws_iam_policy_document itself, so the bucket policy checked below is the
// JSON S3 would receive, not a reading of the .tf text. No AWS API is called.

const FAKE_PROVIDER = `provider "aws" {
  region                      = "us-east-1"
  access_key                  = "AKIAIOSFODNN7EXAMPLE"
  secret_key                  = "offline-plan-only"
  skip_credentials_validation = true
  skip_requesting_account_id  = true
  skip_metadata_api_check     = true
  skip_region_validation      = true
}
`;

const ACCOUNT = '123456789012';
const role = (name: string) => `arn:aws:iam::${ACCOUNT}:role/${name}`;
const SEALER = role('ledgerflow-test-export');
const LOADER = role('ledgerflow-test-load');
const ADMIN = role('platform-admin');
const BREAK_GLASS = role('ledgerflow-break-glass');
const BUCKET = 'acme-ledgerflow-test';
const LAKE_KEY = `arn:aws:kms:us-east-1:${ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;
const MANIFEST = `arn:aws:s3:::${BUCKET}/ledgerflow/chain=1/manifests/date=2024-01-01/manifest.json`;
const COPY_MANIFEST = `arn:aws:s3:::${BUCKET}/ledgerflow/chain=1/manifests/date=2024-01-01/copy/logs.manifest`;
const DATA = `arn:aws:s3:::${BUCKET}/ledgerflow/chain=1/entity=logs/date=2024-01-01/logs-0000000001-0000000180.csv.gz`;

/** An applied lake as Terraform recorded it, so a plan reads the bucket policy with known ARNs. */
function lakeState(objectLockEnabled: boolean): string {
  const provider = 'provider["registry.terraform.io/hashicorp/aws"]';
  const resource = (type: string, attributes: Record<string, unknown>) => ({
    mode: 'managed',
    type,
    name: 'lake',
    provider,
    instances: [{ schema_version: 0, attributes }],
  });
  return JSON.stringify({
    version: 4,
    terraform_version: '1.6.0',
    serial: 1,
    lineage: '5d0c8c1e-0000-4000-8000-000000000000',
    outputs: {},
    resources: [
      resource('aws_s3_bucket', { id: BUCKET, bucket: BUCKET, arn: `arn:aws:s3:::${BUCKET}`, object_lock_enabled: objectLockEnabled, tags: {}, tags_all: {} }),
      resource('aws_kms_key', {
        id: '1234abcd-12ab-34cd-56ef-1234567890ab',
        key_id: '1234abcd-12ab-34cd-56ef-1234567890ab',
        arn: LAKE_KEY,
        description: `${BUCKET} data lake`,
        enable_key_rotation: true,
        deletion_window_in_days: 30,
        customer_master_key_spec: 'SYMMETRIC_DEFAULT',
        key_usage: 'ENCRYPT_DECRYPT',
        is_enabled: true,
        multi_region: false,
        tags: {},
        tags_all: {},
      }),
    ],
  });
}

interface ResourceChange {
  address: string;
  change: { actions: string[]; after: Record<string, unknown> | null };
}
interface Plan {
  resource_changes: ResourceChange[];
  prior_state?: { values?: { root_module?: { resources?: { address: string; values: Record<string, unknown> }[] } } };
}

const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

/** The whole terraform/ tree in a temp dir, so module sources resolve and nothing lands in git. */
function copyTree(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'ledgerflow-tf-'));
  dirs.push(dir);
  cpSync(TF_DIR, dir, { recursive: true, filter: (src) => !src.includes(`${path.sep}.terraform`) });
  return dir;
}

function init(dir: string, backend = false): void {
  tf(dir, ['init', `-backend=${backend}`, '-input=false', `-plugin-dir=${PLUGIN_DIR}`]);
}

function plan(dir: string, name: string, vars: Record<string, unknown>, state?: string): Plan {
  writeFileSync(path.join(dir, `${name}.tfvars.json`), JSON.stringify(vars));
  const args = ['plan', '-input=false', '-refresh=false', `-var-file=${name}.tfvars.json`, `-out=${name}.plan`];
  if (state !== undefined) {
    writeFileSync(path.join(dir, `${name}.tfstate`), state);
    args.push(`-state=${name}.tfstate`);
  }
  tf(dir, args);
  return JSON.parse(tf(dir, ['show', '-json', `${name}.plan`])) as Plan;
}

const change = (p: Plan, address: string) => {
  const found = p.resource_changes.find((c) => c.address === address);
  if (!found) throw new Error(`no ${address} in the plan`);
  return found.change;
};

function bucketPolicy(p: Plan): { Statement: PolicyStatement[] } {
  const data = p.prior_state?.values?.root_module?.resources?.find((r) => r.address === 'data.aws_iam_policy_document.lake');
  if (typeof data?.values.json !== 'string') throw new Error('the bucket policy was not rendered at plan time');
  return JSON.parse(data.values.json) as { Statement: PolicyStatement[] };
}

type Headers = Record<string, string>;
const LOCKED = (mode: string, days: number): Headers => ({ 's3:object-lock-mode': mode, 's3:object-lock-remaining-retention-days': String(days) });
const request = (principal: string, action: string, resource: string, headers: Headers = {}): PolicyRequest => ({
  action,
  resource,
  keys: { 'aws:PrincipalArn': principal, 'aws:SecureTransport': 'true', ...headers },
});

describe('terraform validate and offline plans (AWS provider from a local mirror, fake credentials)', () => {
  if (!terraformAvailable()) {
    console.warn(`terraform or the AWS provider mirror (${PLUGIN_DIR}, TF_PLUGIN_DIR) not found: validate and plan checks not run`);
    it.skip('needs terraform and the provider mirror');
    return;
  }

  // The example calls every module, so validating it validates each module as it is used.
  it('the example environment validates, and plans with Object Lock and the signing secret and no cycle between the bucket policy and the export role', () => {
    const dir = path.join(copyTree(), 'envs/example');
    writeFileSync(path.join(dir, 'offline_override.tf'), `terraform {\n  backend "local" {}\n}\n\n${FAKE_PROVIDER}`);
    init(dir, true);
    expect(tf(dir, ['validate'])).toContain('Success! The configuration is valid.');
    const p = plan(dir, 'example', { lake_bucket_name: BUCKET });
    expect(change(p, 'module.s3.aws_s3_bucket_object_lock_configuration.lake').actions).toEqual(['create']);
    expect(change(p, 'module.s3.aws_s3_bucket.lake').after?.object_lock_enabled).toBe(true);
    expect(change(p, 'module.secrets.aws_secretsmanager_secret.this["signing"]').after?.name).toBe('ledgerflow-example/signing');
  }, 180_000);

  describe('s3 module', () => {
    let dir: string;
    let existing: Plan;
    let strict: Plan;
    beforeAll(() => {
      dir = path.join(copyTree(), 'modules/s3');
      writeFileSync(path.join(dir, 'offline_provider.tf'), FAKE_PROVIDER);
      init(dir);
      // A lake applied before Object Lock, with a break-glass role and the defaults.
      existing = plan(dir, 'existing', { bucket_name: BUCKET, sealer_role_arn: SEALER, break_glass_role_arns: [BREAK_GLASS] }, lakeState(false));
      // COMPLIANCE for 30 days and no break-glass role.
      strict = plan(dir, 'strict', { bucket_name: BUCKET, sealer_role_arn: SEALER, manifest_retention_mode: 'COMPLIANCE', manifest_retention_days: 30 }, lakeState(true));
    }, 180_000);

    it('creates a new bucket with Object Lock on, versioned, with no bucket-wide default retention', () => {
      const fresh = plan(dir, 'fresh', { bucket_name: BUCKET, sealer_role_arn: SEALER });
      expect(change(fresh, 'aws_s3_bucket.lake').after?.object_lock_enabled).toBe(true);
      expect(change(fresh, 'aws_s3_bucket_versioning.lake').after?.versioning_configuration).toEqual([expect.objectContaining({ status: 'Enabled' })]);
      const lock = change(fresh, 'aws_s3_bucket_object_lock_configuration.lake').after;
      expect(lock?.object_lock_enabled).toBe('Enabled');
      // Retention is per manifest, set by the sealer; a default rule would lock every data chunk.
      expect(lock?.rule).toEqual([]);
    });

    it('turns Object Lock on for an existing lake in place, never by replacing the bucket', () => {
      expect(change(existing, 'aws_s3_bucket.lake').actions).toEqual(['no-op']);
      expect(change(existing, 'aws_s3_bucket_object_lock_configuration.lake').actions).toEqual(['create']);
    });

    it('lets data objects in with no SSE headers (the bucket default applies) or with the lake key, and refuses any other encryption', () => {
      const policy = bucketPolicy(existing);
      const put = (headers: Headers, resource = DATA, action = 's3:PutObject') => denyingStatements(policy, request(SEALER, action, resource, headers));
      expect(put({})).toEqual([]);
      expect(put({ 's3:x-amz-server-side-encryption': 'aws:kms', 's3:x-amz-server-side-encryption-aws-kms-key-id': LAKE_KEY })).toEqual([]);
      expect(put({ 's3:x-amz-server-side-encryption': 'aws:kms', 's3:x-amz-server-side-encryption-aws-kms-key-id': `arn:aws:kms:us-east-1:${ACCOUNT}:key/other` })).toEqual(['DenyOtherEncryptionKeys']);
      expect(put({ 's3:x-amz-server-side-encryption': 'AES256' })).toEqual(['DenyOtherEncryptionTypes']);
      expect(put({ 's3:x-amz-server-side-encryption': 'aws:kms' })).toEqual(['DenyKmsWithoutLakeKey']);
    });

    it('lets only the export role write manifests, each locked in the configured mode for at least the configured days', () => {
      const policy = bucketPolicy(existing);
      const locked = LOCKED('GOVERNANCE', 2558);
      for (const key of [MANIFEST, COPY_MANIFEST]) {
        expect(denyingStatements(policy, request(SEALER, 's3:PutObject', key, locked)), key).toEqual([]);
        expect(denyingStatements(policy, request(SEALER, 's3:PutObjectRetention', key, locked)), key).toEqual([]);
        for (const other of [LOADER, ADMIN, BREAK_GLASS]) {
          expect(denyingStatements(policy, request(other, 's3:PutObject', key, locked)), `${other} ${key}`).toContain('DenyManifestWritesExceptSealer');
          expect(denyingStatements(policy, request(other, 's3:PutObjectRetention', key, locked)), `${other} ${key}`).toContain('DenyManifestWritesExceptSealer');
        }
      }
      // Unlocked (or a multipart part, which carries no lock headers), the wrong mode, too short.
      expect(denyingStatements(policy, request(SEALER, 's3:PutObject', MANIFEST))).toEqual(['DenyManifestsWithoutLock']);
      expect(denyingStatements(policy, request(SEALER, 's3:PutObject', MANIFEST, LOCKED('COMPLIANCE', 2558)))).toEqual(['DenyManifestsWithoutLock']);
      expect(denyingStatements(policy, request(SEALER, 's3:PutObject', MANIFEST, LOCKED('GOVERNANCE', 30)))).toEqual(['DenyManifestsWithShortRetention']);
      // A manifest under a prefix other than the pipeline's is protected all the same.
      expect(denyingStatements(policy, request(ADMIN, 's3:PutObject', `arn:aws:s3:::${BUCKET}/elsewhere/manifests/x.json`, locked))).toContain('DenyManifestWritesExceptSealer');
    });

    it('refuses every manifest delete and retention bypass but the break-glass role’s; without one, everybody’s', () => {
      const withBreakGlass = bucketPolicy(existing);
      for (const action of ['s3:DeleteObject', 's3:DeleteObjectVersion']) {
        for (const who of [SEALER, LOADER, ADMIN]) expect(denyingStatements(withBreakGlass, request(who, action, MANIFEST)), `${who} ${action}`).toEqual(['DenyManifestDeletesExceptBreakGlass']);
        expect(denyingStatements(withBreakGlass, request(BREAK_GLASS, action, MANIFEST))).toEqual([]);
        for (const who of [SEALER, ADMIN, BREAK_GLASS]) expect(denyingStatements(bucketPolicy(strict), request(who, action, MANIFEST)), `${who} ${action}`).toEqual(['DenyManifestDeletesExceptBreakGlass']);
      }
      expect(denyingStatements(withBreakGlass, request(ADMIN, 's3:BypassGovernanceRetention', MANIFEST))).toEqual(['DenyRetentionBypassExceptBreakGlass']);
      expect(denyingStatements(withBreakGlass, request(BREAK_GLASS, 's3:BypassGovernanceRetention', MANIFEST))).toEqual([]);
      // Data objects stay deletable by whoever IAM allows (nobody, in the iam module).
      expect(denyingStatements(withBreakGlass, request(ADMIN, 's3:DeleteObject', DATA))).toEqual([]);
    });

    it('enforces the configured mode and days: COMPLIANCE for 30 days refuses GOVERNANCE and 29 days', () => {
      const policy = bucketPolicy(strict);
      expect(denyingStatements(policy, request(SEALER, 's3:PutObject', MANIFEST, LOCKED('COMPLIANCE', 30)))).toEqual([]);
      expect(denyingStatements(policy, request(SEALER, 's3:PutObject', MANIFEST, LOCKED('GOVERNANCE', 2558)))).toEqual(['DenyManifestsWithoutLock']);
      expect(denyingStatements(policy, request(SEALER, 's3:PutObject', MANIFEST, LOCKED('COMPLIANCE', 29)))).toEqual(['DenyManifestsWithShortRetention']);
    });

    it('still refuses plain HTTP for everyone', () => {
      const policy = bucketPolicy(existing);
      expect(denyingStatements(policy, { ...request(SEALER, 's3:GetObject', DATA), keys: { 'aws:PrincipalArn': SEALER, 'aws:SecureTransport': 'false' } })).toEqual(['DenyInsecureTransport']);
    });
  });
});
