// Lint protects the house rules: no forgotten promises anywhere, deterministic workflow files,
// and Temporal-free libraries under chain/, lake/ and warehouse/.
import tseslint from 'typescript-eslint';
import { builtinModules } from 'node:module';

const temporalFree = { group: ['@temporalio/*'], message: 'chain/, lake/ and warehouse/ are plain libraries; adapt them in activities/.' };

const nodeBuiltins = [...builtinModules, ...builtinModules.map((m) => `node:${m}`)];

export default tseslint.config(
  { ignores: ['node_modules/**', 'dist/**', '.stack/**', '.stack-*/**', 'coverage/**', 'terraform/**', 'k8s/**'] },
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    languageOptions: {
      // vitest.config.ts sits outside tsconfig's include (it is not part of the program).
      parserOptions: { projectService: { allowDefaultProject: ['vitest.config.ts'] }, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      // Forgetting to await an activity, a stream or a query silently drops errors.
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    // Workflow code runs in Temporal's deterministic sandbox: no I/O, no Node built-ins, no
    // configuration from the environment; it sees activities as types only.
    files: ['src/workflows/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          paths: nodeBuiltins.map((name) => ({ name, message: 'Workflows are deterministic: no Node built-ins.' })),
          patterns: [
            { group: ['**/chain/**', '**/lake/**', '**/warehouse/**', '**/workers/**', '**/cli/**', '**/stack/**'], message: 'Workflows reach libraries only through activities.' },
            { group: ['@temporalio/activity', '@temporalio/worker', '@temporalio/client'], message: 'Workflows import @temporalio/workflow only.' },
            { group: ['**/activities/**'], allowTypeImports: true, message: 'Import activities as types and call them through proxyActivities.' },
          ],
        },
      ],
      'no-restricted-properties': ['error', { object: 'process', property: 'env', message: 'Configuration reaches a workflow as input.' }],
    },
  },
  {
    files: ['src/chain/**/*.ts', 'src/lake/**/*.ts', 'src/warehouse/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        { patterns: [temporalFree] },
      ],
    },
  },
  {
    // chain/ is the bottom layer: the lake writes what chain/ produces (rows, entities, column
    // types), never the other way round. A later block for the same files replaces the rule above,
    // so the Temporal ban is repeated.
    files: ['src/chain/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            temporalFree,
            { group: ['**/lake/**', '**/warehouse/**'], message: 'chain/ imports nothing from lake/ or warehouse/: they build on chain/ (row types live in chain/rows.ts).' },
          ],
        },
      ],
    },
  },
);
