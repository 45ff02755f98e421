import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from '@cdktf/hcl2json';
import { describe, expect, it } from 'vitest';

const TF_DIR = path.resolve(import.meta.dirname, '../../terraform');
const MODULES = readdirSync(path.join(TF_DIR, 'modules'));
const ENV_DIR = path.join(TF_DIR, 'envs/example');

interface Variable {
  type?: string;
  default?: unknown;
  description?: string;
  validation?: { condition: string; error_message: string }[];
}

interface TfConfig {
  variable?: Record<string, Variable[]>;
  output?: Record<string, { value: unknown; description?: string }[]>;
  module?: Record<string, ({ source: string } & Record<string, unknown>)[]>;
  [block: string]: unknown;
}

interface TfDir {
  files: { name: string; text: string; json: TfConfig }[];
  variables: Record<string, Variable>;
  outputs: Record<string, { value: unknown; description?: string }>;
  modules: Record<string, { source: string } & Record<string, unknown>>;
}

async function readDir(dir: string): Promise<TfDir> {
  const names = readdirSync(dir).filter((f) => f.endsWith('.tf'));
  const files = await Promise.all(
    names.map(async (name) => {
      const text = readFileSync(path.join(dir, name), 'utf8');
      return { name, text, json: (await parse(name, text)) as TfConfig };
    }),
  );
  const merged: TfDir = { files, variables: {}, outputs: {}, modules: {} };
  for (const { json } of files) {
    for (const [name, [body]] of Object.entries(json.variable ?? {})) if (body) merged.variables[name] = body;
    for (const [name, [body]] of Object.entries(json.output ?? {})) if (body) merged.outputs[name] = body;
    for (const [name, [body]] of Object.entries(json.module ?? {})) if (body) merged.modules[name] = body;
  }
  return merged;
}

const references = (text: string, pattern: RegExp) => new Set([...text.matchAll(pattern)].map((m) => m.slice(1).join('.')));
// Comments may mention names without using them; only code counts.
const code = (text: string) => text.replace(/^\s*#.*$/gm, '');

function terraform(args: string[]): { status: number; output: string } {
  try {
    const output = execFileSync('terraform', args, { cwd: TF_DIR, encoding: 'utf8', env: { ...process.env, TF_CLI_CONFIG_FILE: '/dev/null' } });
    return { status: 0, output };
  } catch (error) {
    const e = error as { status?: number; stdout?: string; stderr?: string; code?: string };
    if (e.code === 'ENOENT') return { status: -1, output: 'terraform not found' };
    return { status: e.status ?? 1, output: `${e.stdout ?? ''}${e.stderr ?? ''}` };
  }
}

describe('terraform (offline)', () => {
  it('is `terraform fmt` clean', () => {
    const result = terraform(['fmt', '-check', '-diff', '-recursive', '.']);
    if (result.status === -1) {
      console.warn('terraform not found: fmt check not run; the parse and reference checks below still run');
      return;
    }
    expect(result.output, 'run `terraform fmt -recursive terraform`').toBe('');
    expect(result.status).toBe(0);
  });

  it('has the six modules and an example environment', () => {
    expect([...MODULES].sort()).toEqual(['eks', 'iam', 'redshift', 's3', 'secrets', 'vpc']);
    expect(existsSync(path.join(ENV_DIR, 'main.tf'))).toBe(true);
  });

  describe.each(MODULES)('module %s', (name) => {
    it('parses, and declares every var it references, uses every var it declares, and documents both', async () => {
      const dir = await readDir(path.join(TF_DIR, 'modules', name));
      const declared = Object.keys(dir.variables);
      const used = new Set(dir.files.flatMap((f) => [...references(code(f.text), /\bvar\.([A-Za-z_][A-Za-z0-9_-]*)/g)]));
      expect([...used].filter((v) => !declared.includes(v)), 'referenced but not declared').toEqual([]);
      expect(declared.filter((v) => !used.has(v)), 'declared but never used').toEqual([]);
      expect(Object.keys(dir.outputs).length).toBeGreaterThan(0);
      for (const [v, body] of Object.entries(dir.variables)) expect(body.description, `variable ${v}`).toBeTruthy();
      for (const [o, body] of Object.entries(dir.outputs)) expect(body.description, `output ${o}`).toBeTruthy();
    });

    it('validates every variable that is not a plain flag or tag map', async () => {
      const dir = await readDir(path.join(TF_DIR, 'modules', name));
      for (const [v, body] of Object.entries(dir.variables)) {
        if (v === 'tags' || body.type === '${bool}') continue;
        expect(body.validation?.length, `variable ${v} needs a validation block`).toBeGreaterThan(0);
        for (const rule of body.validation ?? []) expect(rule.error_message).toMatch(/\.$/);
      }
    });
  });

  it('the example environment passes only declared inputs, all required ones, and reads only existing outputs', async () => {
    const env = await readDir(ENV_DIR);
    const modules: Record<string, TfDir> = {};
    for (const [name, call] of Object.entries(env.modules)) {
      modules[name] = await readDir(path.resolve(ENV_DIR, call.source));
      const inputs = Object.keys(call).filter((k) => !['source', 'version', 'providers', 'depends_on', 'count', 'for_each'].includes(k));
      const declared = modules[name].variables;
      expect(inputs.filter((i) => !(i in declared)), `module ${name}: unknown inputs`).toEqual([]);
      const required = Object.entries(declared).filter(([, v]) => !('default' in v)).map(([k]) => k);
      expect(required.filter((r) => !inputs.includes(r)), `module ${name}: missing required inputs`).toEqual([]);
    }
    const envText = env.files.map((f) => code(f.text)).join('\n');
    const used = references(envText, /\bmodule\.([A-Za-z_][\w-]*)\.([A-Za-z_][\w-]*)/g);
    expect(used.size).toBeGreaterThan(10);
    for (const ref of used) {
      const [mod, output] = ref.split('.') as [string, string];
      expect(modules[mod], `module ${mod} is called`).toBeDefined();
      expect(Object.keys(modules[mod]?.outputs ?? {}), `module.${ref}`).toContain(output);
    }
    const envVars = new Set([...references(envText, /\bvar\.([A-Za-z_][\w-]*)/g)]);
    expect([...envVars].filter((v) => !(v in env.variables))).toEqual([]);
  });

  it('hands the eks overlay exactly the settings it reads', async () => {
    const env = await readDir(ENV_DIR);
    const value = String(env.outputs.eks_overlay_env?.value ?? '');
    const keysOf = (text: string) => text.split('\n').map((l) => l.trim()).filter((l) => l && !l.startsWith('#')).map((l) => l.split('=')[0]).sort();
    const overlayEnv = readFileSync(path.resolve(TF_DIR, '../k8s/overlays/eks/terraform-outputs.env'), 'utf8');
    expect(keysOf(value)).toEqual(keysOf(overlayEnv));
  });

  it('keeps IAM least-privilege: only export writes and seals, nobody deletes or bypasses retention, COPY reads only the lake prefix', async () => {
    const iam = await readDir(path.join(TF_DIR, 'modules/iam'));
    const locals = (iam.files.find((f) => f.name === 'main.tf')?.json.locals as
      | { worker_roles?: Record<string, { object_actions: string[]; manifest_actions: string[] }>; manifest_objects?: string }[]
      | undefined)?.[0];
    const roles = locals?.worker_roles ?? {};
    expect(Object.keys(roles).sort()).toEqual(['export', 'load', 'workflows']);
    for (const [role, { object_actions, manifest_actions }] of Object.entries(roles)) {
      expect(object_actions.includes('s3:PutObject'), `${role} writes`).toBe(role === 'export');
      expect(manifest_actions, `${role} seals`).toEqual(role === 'export' ? ['s3:PutObjectRetention'] : []);
      for (const action of [...object_actions, ...manifest_actions]) expect(action, `${role}`).not.toMatch(/Delete|Bypass|LegalHold|\*/);
    }
    // Retention may be set on manifests only, not on data chunks.
    expect(locals?.manifest_objects).toBe('${var.lake_bucket_arn}/${var.lake_prefix}/*/manifests/*');
    // The lake bucket policy denies "s3:*" over plain HTTP; the modules that grant must not use it.
    const granting = ['iam', 'redshift', 'eks'].map((m) => readFileSync(path.join(TF_DIR, 'modules', m, 'main.tf'), 'utf8')).join('\n');
    expect(granting).not.toMatch(/"s3:\*"|"iam:\*"|"kms:\*"|"\*:\*"/);
    const redshift = readFileSync(path.join(TF_DIR, 'modules/redshift/main.tf'), 'utf8');
    expect(redshift).toMatch(/publicly_accessible\s*=\s*false/);
    expect(redshift).toMatch(/enhanced_vpc_routing\s*=\s*true/);
    expect(redshift).toMatch(/encrypted\s*=\s*true/);
    expect(redshift).toContain('resources = ["${var.lake_bucket_arn}/${var.lake_prefix}/*"]');
  });

  it('locks the lake bucket down: SSE-KMS, versioning, Object Lock, no public access, TLS only, lifecycle rules', async () => {
    const s3 = await readDir(path.join(TF_DIR, 'modules/s3'));
    const json = JSON.stringify(s3.files.map((f) => f.json));
    expect(json).toContain('"object_lock_enabled":true');
    expect(json).toContain('"object_lock_enabled":"Enabled"');
    // The encryption guard judges only headers that are sent: "...IfExists" would deny the PUTs
    // that rely on the bucket default and every UploadPart (terraformPlan.test.ts checks the effect).
    expect(json).not.toContain('IfExists');
    for (const sid of ['DenyManifestWritesExceptSealer', 'DenyManifestsWithoutLock', 'DenyManifestsWithShortRetention', 'DenyManifestDeletesExceptBreakGlass', 'DenyRetentionBypassExceptBreakGlass']) {
      expect(json).toContain(`"sid":"${sid}"`);
    }
    expect(s3.variables.manifest_retention_mode?.default).toBe('GOVERNANCE');
    expect(json).toContain('"sse_algorithm":"aws:kms"');
    expect(json).toContain('"status":"Enabled"');
    for (const flag of ['block_public_acls', 'block_public_policy', 'ignore_public_acls', 'restrict_public_buckets']) expect(json).toContain(`"${flag}":true`);
    expect(json).toMatch(/"variable":"aws:SecureTransport"/);
    expect(json).toContain('abort_incomplete_multipart_upload');
    expect(json).toContain('noncurrent_version_expiration');
  });
});
