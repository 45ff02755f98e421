import { readdirSync, readFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '../../..');

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile())
    .map((e) => path.relative(dir, path.join(e.parentPath, e.name)));
}

// `npx ledgerflow` runs dist/ (bin/ledgerflow.js), so whatever the sources read at run time (SQL
// models, the seed chain's Solidity) must be there too, or the demo fails on a fresh clone.
describe('npm run build', () => {
  it('puts every file of src/ that is not TypeScript into dist/, unchanged', () => {
    expect(existsSync(path.join(ROOT, 'dist/cli/main.js')), 'dist/ is missing: run `npm install` or `npm run build`').toBe(true);
    const assets = filesUnder(path.join(ROOT, 'src')).filter((f) => !f.endsWith('.ts'));
    expect(assets.length).toBeGreaterThan(0);
    for (const asset of assets) {
      const built = path.join(ROOT, 'dist', asset);
      expect(existsSync(built), `dist/${asset} is missing (run \`npm run build\`)`).toBe(true);
      expect(readFileSync(built).equals(readFileSync(path.join(ROOT, 'src', asset))), `dist/${asset} differs from src/ (run \`npm run build\`)`).toBe(true);
    }
  });
});
