import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

let cached: string | undefined;

/**
 * Ledgerflow's package.json version, recorded in each day's manifest. Found by walking up from
 * this module, so it works from src/ under tsx and from dist/ alike.
 */
export function exporterVersion(): string {
  if (cached) return cached;
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let depth = 0; depth < 6; depth++) {
    try {
      const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { name?: string; version?: string };
      if (pkg.name === 'ledgerflow' && pkg.version) return (cached = `ledgerflow/${pkg.version}`);
    } catch {
      // No package.json at this level; keep walking up.
    }
    dir = dirname(dir);
  }
  return (cached = 'ledgerflow/unknown');
}
