import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['node_modules/', 'dist/', 'data/', 'coverage/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      globals: { process: 'readonly', console: 'readonly', URL: 'readonly', Buffer: 'readonly', setTimeout: 'readonly', clearTimeout: 'readonly' },
    },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-imports': 'off',
    },
  },
  {
    // The core reads in small pieces: a file is one concept, a function one step.
    files: ['src/**/*.ts'],
    ignores: ['src/models/prices-*.ts'],
    rules: {
      'max-lines': ['error', { max: 200 }],
      'max-lines-per-function': ['error', { max: 60, skipBlankLines: true, skipComments: true }],
    },
  },
  {
    files: ['src/**/*.ts'],
    ignores: ['src/app/hive.ts', 'src/app/main.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['**/adapters/**', '../adapters/*', '../../adapters/*'],
              message: 'The core never imports adapters; only the composition root (src/app/hive.ts, src/app/main.ts) composes them.',
            },
            {
              group: ['**/commands/**', '../commands/*', '../../commands/*'],
              message: 'The core never imports commands; only the composition root (src/app/hive.ts, src/app/main.ts) composes them.',
            },
          ],
        },
      ],
    },
  },
);
