import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    exclude: ['e2e/**', 'node_modules/**', 'dist/**'],
    environment: 'node',
    testTimeout: 60_000,
    // The JSON report feeds .ci/run's closing 'N passed, N failed' line.
    reporters: ['default', ['json', { outputFile: '.reports/vitest.json' }]],
    hookTimeout: 60_000,
  },
});
