import { defineConfig } from '@playwright/test';

export default defineConfig({
  testDir: 'tests/e2e',
  testMatch: '**/*.spec.ts',
  // Two workers (one wallet server and one Chromium each): the test files split across both cores. Tests in a
  // file run in order. E2E_WORKERS=1 for a calmer run on a busy machine.
  workers: Number(process.env.E2E_WORKERS ?? 2),
  fullyParallel: false,
  // Most tests take 5 to 20 s on a quiet 2-core machine; a loaded one takes two to three times longer, and that
  // must not fail them. Longer tests set their own.
  timeout: 90_000,
  expect: { timeout: 7_000 },
  retries: 0,
  reporter: process.env.CI ? [['list'], ['junit', { outputFile: 'test-results/e2e-junit.xml' }]] : 'list',
  use: { trace: 'retain-on-failure' },
});
