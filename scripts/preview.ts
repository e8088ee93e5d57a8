// Shared by the browser scripts (screenshots, measurements): a `vite preview` of dist/ on a port (reused when one
// already answers there) and Debian's Chromium with the flags the e2e tests use.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser } from '@playwright/test';

export function arg(name: string, fallback: string): string {
  const at = process.argv.indexOf(`--${name}`);
  return at > 0 && process.argv[at + 1] ? process.argv[at + 1] : fallback;
}

async function serverUp(origin: string): Promise<boolean> {
  try {
    return (await fetch(origin)).ok;
  } catch {
    return false;
  }
}

/** Starts `vite preview` on the port unless something already serves there; returns the child to stop (or null). */
export async function ensurePreview(port: number): Promise<ChildProcess | null> {
  const origin = `http://localhost:${port}/`;
  if (await serverUp(origin)) return null;
  if (!existsSync(join('dist', 'index.html'))) throw new Error('dist/ is missing: run `npm run build` first');
  const child = spawn('npx', ['vite', 'preview', '--host', 'localhost', '--port', String(port), '--strictPort'], { stdio: 'ignore' });
  for (let i = 0; i < 100; i++) {
    if (await serverUp(origin)) return child;
    await new Promise((r) => setTimeout(r, 200));
  }
  child.kill();
  throw new Error(`vite preview did not start on port ${port}`);
}

/** Chromium with WebGPU on its software adapter (webgpu: false starts it without, so requestAdapter() is null). */
export function launchChromium(webgpu = true): Promise<Browser> {
  const executablePath = [process.env.CHROMIUM_PATH, '/usr/bin/chromium'].find((p): p is string => !!p && existsSync(p));
  const gpu = webgpu ? ['--enable-unsafe-webgpu', '--use-webgpu-adapter=swiftshader'] : [];
  return chromium.launch({ executablePath, args: [...gpu, '--disable-background-networking', '--disable-component-update', '--no-first-run'] });
}
