import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';

// Terraform runs offline in these checks: a local provider mirror (TF_PLUGIN_DIR, default
// /opt/tf-plugins), no CLI config, fake credentials, no instance metadata. No AWS API is called.
export const TF_DIR = path.resolve(import.meta.dirname, '../../terraform');
export const PLUGIN_DIR = process.env.TF_PLUGIN_DIR ?? '/opt/tf-plugins';
const TF_ENV = { ...process.env, TF_CLI_CONFIG_FILE: '/dev/null', TF_IN_AUTOMATION: '1', TF_INPUT: '0', AWS_EC2_METADATA_DISABLED: 'true' };

/** Whether terraform and the AWS provider mirror are here. */
export function terraformAvailable(): boolean {
  try {
    execFileSync('terraform', ['version'], { stdio: 'ignore', env: TF_ENV });
    return existsSync(path.join(PLUGIN_DIR, 'registry.terraform.io/hashicorp/aws'));
  } catch {
    return false;
  }
}

/** Runs terraform in `cwd`; a failure carries its output. */
export function tf(cwd: string, args: string[]): string {
  try {
    return execFileSync('terraform', [...args, '-no-color'], { cwd, env: TF_ENV, encoding: 'utf8', stdio: 'pipe', maxBuffer: 64 * 2 ** 20 });
  } catch (error) {
    const e = error as { stdout?: string; stderr?: string };
    throw new Error(`terraform ${args.join(' ')} failed in ${cwd}:\n${e.stdout ?? ''}${e.stderr ?? ''}`);
  }
}
