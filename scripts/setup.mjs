#!/usr/bin/env node
// Installs what the project needs on a fresh machine, and nothing twice:
//  - npm packages (npm ci) when node_modules is missing or older than package-lock.json;
//  - with --browser: a Chromium for Playwright. Debian's package (apt-get install chromium) where apt exists and
//    no Chromium is found; never `playwright install` (it downloads a browser build, which fails offline).
// Used by `npm start` and `npm test`, so the README's two commands work on a fresh clone.
import { execSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(fileURLToPath(import.meta.url), '..', '..');
const wantBrowser = process.argv.includes('--browser');

function run(cmd, env = {}) {
  console.log(`[setup] ${cmd}`);
  execSync(cmd, { cwd: root, stdio: 'inherit', env: { ...process.env, ...env } });
}

function needsInstall() {
  const marker = join(root, 'node_modules', '.package-lock.json');
  if (!existsSync(marker)) return true;
  return statSync(join(root, 'package-lock.json')).mtimeMs > statSync(marker).mtimeMs;
}

if (needsInstall()) {
  // onnxruntime-node's postinstall downloads CUDA files and fails offline; its CPU binaries ship in the package.
  run('npm ci --no-audit --no-fund', { ONNXRUNTIME_NODE_INSTALL: 'skip' });
}

if (wantBrowser) {
  const candidates = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser'].filter(Boolean);
  const found = candidates.find((p) => existsSync(p));
  if (found) {
    console.log(`[setup] Chromium: ${found}`);
  } else if (existsSync('/usr/bin/apt-get')) {
    const sudo = process.getuid && process.getuid() === 0 ? '' : 'sudo ';
    run(`${sudo}apt-get update -qq`);
    run(`${sudo}apt-get install -y -qq chromium`, { DEBIAN_FRONTEND: 'noninteractive' });
  } else {
    console.log('[setup] no Debian Chromium found and no apt-get: Playwright will use its own browser if installed.');
  }
}
