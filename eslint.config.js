import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import prettier from 'eslint-config-prettier';
import globals from 'globals';

/** Folders of tools and test helpers, which production code must not import. */
const TOOL_FOLDERS = ['**/scripts/**', '**/simulator/**'];
const TEST_FOLDERS = ['**/testing/**'];

export default tseslint.config(
  { ignores: ['node_modules/', 'dist/', 'data/'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: { allowDefaultProject: ['*.js', 'scripts/*.mjs'] } },
    },
    rules: {
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', ignoreRestSiblings: true },
      ],
      // Fastify plugins and handlers are async by contract, with or without an await inside.
      '@typescript-eslint/require-await': 'off',
      '@typescript-eslint/no-floating-promises': 'error',
      'no-console': ['error', { allow: ['warn', 'error'] }],
    },
  },
  {
    files: ['**/*.js', '**/*.mjs'],
    extends: [tseslint.configs.disableTypeChecked],
    languageOptions: { globals: globals.node },
  },
  {
    // Tests read `response.json()`, which is untyped; the assertions are the type check there.
    files: ['**/*.test.ts'],
    rules: {
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
    },
  },
  {
    files: ['scripts/**'],
    rules: { 'no-console': 'off' },
  },
  // Import boundaries: where code runs and what it may depend on (see each folder's README).
  {
    files: ['contracts/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            { regex: '^\\.\\./', message: 'contracts/ imports only typebox and other contracts.' },
            { regex: '^node:', message: 'contracts/ runs in the browser too: no Node APIs.' },
          ],
        },
      ],
    },
  },
  {
    files: ['{server,queues,ivr,db}/**/*.ts'],
    ignores: ['**/*.test.ts', '**/testing/**'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: TOOL_FOLDERS, message: 'Production code imports nothing from tools or the simulator.' },
            { group: TEST_FOLDERS, message: 'Production code imports no test helpers.' },
            {
              group: ['**/console/**'],
              message: 'Node code imports no console code; share it in contracts/.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['console/**/*.ts'],
    ignores: ['**/*.test.ts', 'console/testing/**'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '^(\\.\\./)+server/(?!.*\\.schemas\\.js$)',
              message:
                'The console imports the server only through contracts/ or, as types, its *.schemas.ts.',
            },
            {
              regex: '^(\\.\\./)+server/.*\\.schemas\\.js$',
              allowTypeImports: true,
              message: 'The console imports server schemas as types only (`import type`).',
            },
            {
              regex: '^(\\.\\./)+(queues|ivr|db|scripts|simulator)/',
              message: 'The console imports Node code only through contracts/.',
            },
            { group: TEST_FOLDERS, message: 'Production code imports no test helpers.' },
          ],
        },
      ],
    },
  },
  prettier,
);
