import { existsSync } from 'node:fs';
import { defineConfig } from '@playwright/test';

// Debian's Chromium where present (CI and these machines have no internet for `playwright install`),
// Playwright's own browser elsewhere.
const chromium = [process.env.CHROMIUM_PATH, '/usr/bin/chromium'].find((p): p is string => !!p && existsSync(p));

// WebGPU needs a secure context (http://localhost) and --enable-unsafe-webgpu; on machines without a GPU,
// Chromium falls back to its SwiftShader software adapter. The network flags stop Chromium's background
// connections, which a closed network refuses.
const chromiumArgs = [
  '--enable-unsafe-webgpu',
  '--use-webgpu-adapter=swiftshader',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];

// E2E_PORT lets two checkouts run their e2e suites side by side.
const port = Number(process.env.E2E_PORT ?? 4173);

export default defineConfig({
  testDir: 'e2e',
  timeout: 120_000,
  fullyParallel: false,
  workers: 1,
  retries: 0,
  reporter: [['list'], ['json', { outputFile: '.reports/playwright.json' }]],
  use: {
    baseURL: `http://localhost:${port}/`,
    // The app's service worker would serve later requests from its cache and hide them from page.route; only
    // e2e/offline.spec.ts, which tests it, lets it run.
    serviceWorkers: 'block',
    launchOptions: { executablePath: chromium, args: chromiumArgs },
  },
  webServer: {
    command: `npx vite preview --host localhost --port ${port} --strictPort`,
    url: `http://localhost:${port}/`,
    reuseExistingServer: !process.env.CI,
    timeout: 60_000,
  },
});
