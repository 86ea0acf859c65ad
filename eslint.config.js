import js from '@eslint/js';
import prettier from 'eslint-config-prettier';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: ['node_modules/', '.output/', '.wxt/', '.data/', 'test-results/', 'playwright-report/', 'docs/'],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.browser, ...globals.node } },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-syntax': [
        'error',
        {
          selector: "CallExpression[callee.name='parseFloat']",
          message: 'Money is integer cents: never parseFloat.',
        },
      ],
    },
  },
  {
    // The content script and presentational components never touch the wallet, tokens or storage.
    files: ['entrypoints/x.content/**', 'components/**'],
    rules: {
      // The typescript-eslint variant lets `import type` of the shared wallet DTOs through (types carry no code).
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['**/entrypoints/background/**', '@/entrypoints/background/**', '**/background/*'],
              message: 'The wallet client and its tokens live in the background only.',
            },
            {
              group: ['**/utils/storage', '@/utils/storage'],
              message: 'Wallet code and storage stay out of the content script and components.',
              allowTypeImports: true,
            },
            { group: ['**/server/*', '@/server/*'], message: 'The extension never imports server code.' },
          ],
        },
      ],
    },
  },
  {
    // core/ is what the extension and the server both run: plain TypeScript, no browser, no server, no Node.
    files: ['core/**'],
    ignores: ['core/**/*.test.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['./*/**', '../**', '@/**', '~/**'],
              message: 'core/ imports only its own modules (./name).',
            },
            {
              regex: '^(?!\\./)',
              message: 'core/ runs in the browser and on the server: no browser, server or Node packages.',
            },
          ],
        },
      ],
      'no-restricted-globals': [
        'error',
        ...[
          'window',
          'document',
          'navigator',
          'location',
          'localStorage',
          'sessionStorage',
          'chrome',
          'browser',
        ]
          .concat(['process', 'Buffer', 'require', '__dirname', 'global', 'setImmediate'])
          .map((name) => ({
            name,
            message: 'core/ runs in the browser and on the server: no host globals.',
          })),
      ],
    },
  },
  prettier,
);
