import { defineConfig, type TestProjectInlineConfiguration } from 'vitest/config';
import { WxtVitest } from 'wxt/testing/vitest-plugin';

const SERVER_TESTS = ['server/**/*.test.ts'];

/**
 * Server tests run in plain Node (no fake browser), once on PGlite and, when DATABASE_URL is set, once
 * more on PostgreSQL (each file makes its own database there and drops it afterwards).
 */
const serverProject = (db: 'pglite' | 'postgres'): TestProjectInlineConfiguration => ({
  test: {
    name: `server-${db}`,
    include: SERVER_TESTS,
    environment: 'node',
    env: { WALLET_TEST_DB: db },
    globalSetup: ['tests/helpers/server-global-setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});

export default defineConfig({
  test: {
    mockReset: true,
    restoreMocks: true,
    projects: [
      {
        plugins: [WxtVitest()],
        test: {
          name: 'unit',
          include: ['**/*.test.ts', '**/*.test.tsx'],
          exclude: [
            'node_modules/**',
            '.output/**',
            '.wxt/**',
            'tests/e2e/**',
            'tests/firefox/**',
            'tests/server/**', // real server processes, run by node:test (steps durability and stress)
            ...SERVER_TESTS,
          ],
          mockReset: true,
          restoreMocks: true,
          testTimeout: 20_000,
          hookTimeout: 60_000,
        },
      },
      serverProject('pglite'),
      ...(process.env.DATABASE_URL ? [serverProject('postgres')] : []),
    ],
  },
});
