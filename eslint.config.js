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
              group: ['**/utils/wallet/*', '@/utils/wallet/*', '**/utils/storage', '@/utils/storage'],
              message: 'Wallet code and storage stay out of the content script and components.',
              allowTypeImports: true,
            },
            { group: ['**/server/*', '@/server/*'], message: 'The extension never imports server code.' },
          ],
        },
      ],
    },
  },
  prettier,
);
