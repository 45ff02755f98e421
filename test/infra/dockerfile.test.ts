import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { TASK_QUEUES } from '../../src/workflows/names.js';
import { readBaseFiles } from './renderOverlay.js';

const ROOT = path.resolve(import.meta.dirname, '../..');
const dockerfile = readFileSync(path.join(ROOT, 'Dockerfile'), 'utf8');
const instructions = dockerfile
  .replace(/\\\n/g, ' ')
  .split('\n')
  .map((l) => l.trim())
  .filter((l) => l && !l.startsWith('#'));
const stages = instructions.reduce<string[][]>((acc, line) => {
  if (/^FROM\s/i.test(line)) acc.push([line]);
  else acc.at(-1)?.push(line);
  return acc;
}, []);
const runtime = stages.at(-1) ?? [];

describe('Dockerfile', () => {
  it('builds on glibc Debian slim in several stages', () => {
    expect(stages.length).toBeGreaterThanOrEqual(2);
    expect(dockerfile).toMatch(/ARG NODE_IMAGE=node:20[\w.]*-(bookworm|bullseye|trixie)-slim/);
    expect(instructions.join('\n').toLowerCase()).not.toContain('alpine');
    expect(instructions.some((l) => /npm ci\b/.test(l) && !l.includes('--omit=dev'))).toBe(true);
    expect(instructions.some((l) => l.includes('npm run build'))).toBe(true);
  });

  it('ships production dependencies only, the prebuilt bundle, and runs node directly as a non-root user', () => {
    const nodeModules = runtime.find((l) => /^COPY --from=(\w+).*node_modules/.test(l));
    const from = /--from=(\w+)/.exec(nodeModules ?? '')?.[1];
    const depsStage = stages.find((s) => s[0]?.match(new RegExp(`AS ${from}$`, 'i')));
    expect(depsStage?.some((l) => l.includes('npm ci') && l.includes('--omit=dev')), 'node_modules come from an --omit=dev install').toBe(true);
    expect(runtime.some((l) => /^COPY --from=build .*\/app\/dist/.test(l))).toBe(true);
    expect(dockerfile).toContain('test -f dist/workflow-bundle.js');
    expect(runtime.at(-1)).toBe('CMD ["node", "dist/workers/main.js"]');
    const user = runtime.find((l) => l.startsWith('USER '));
    expect(user).toMatch(/^USER [1-9]\d*(:\d+)?$/);
    // The pods' runAsUser must be the image's user, or files the image owns become unreadable.
    const uid = Number(user?.split(/[ :]/)[1]);
    const deployments = readBaseFiles().filter((o) => o.kind === 'Deployment') as unknown as { spec: { template: { spec: { securityContext: { runAsUser: number } } } } }[];
    // One Deployment per worker role.
    expect(deployments).toHaveLength(Object.keys(TASK_QUEUES).length);
    for (const d of deployments) expect(d.spec.template.spec.securityContext.runAsUser).toBe(uid);
  });

  it('keeps secrets, state and dependencies out of the build context', () => {
    const ignored = readFileSync(path.join(ROOT, '.dockerignore'), 'utf8').split('\n').map((l) => l.trim());
    for (const entry of ['node_modules', '.env', '.env.*', '*.tfstate', '.stack', '.git']) expect(ignored).toContain(entry);
  });
});
