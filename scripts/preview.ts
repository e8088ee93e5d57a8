// Shared by the browser scripts (screenshots, measurements): a `vite preview` of dist/ on a port (reused when one
// already answers there) and Debian's Chromium with the flags the e2e tests use.
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { type Browser, type BrowserContext, chromium } from '@playwright/test';

/** The median of the finite values (NaN when there are none): the browser scripts' summary of their runs. */
export function median(xs: number[]): number {
  const s = xs.filter((x) => Number.isFinite(x)).sort((a, b) => a - b);
  if (s.length === 0) return NaN;
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

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

/** Stops a preview started by ensurePreview: its whole process group (npx and the vite process it starts). */
export function stopPreview(child: ChildProcess | null): void {
  if (child === null) return;
  try {
    if (child.pid !== undefined) process.kill(-child.pid, 'SIGTERM');
  } catch {
    child.kill();
  }
}

/** Starts `vite preview` on the port unless something already serves there; returns the child to stop (or null). */
export async function ensurePreview(port: number): Promise<ChildProcess | null> {
  const origin = `http://localhost:${port}/`;
  if (await serverUp(origin)) return null;
  if (!existsSync(join('dist', 'index.html'))) throw new Error('dist/ is missing: run `npm run build` first');
  // Its own process group, so stopPreview also stops the vite process npx starts.
  const child = spawn('npx', ['vite', 'preview', '--host', 'localhost', '--port', String(port), '--strictPort'], {
    stdio: 'ignore',
    detached: true,
  });
  for (let i = 0; i < 150; i++) {
    if (await serverUp(origin)) return child;
    await new Promise((r) => setTimeout(r, 200));
  }
  stopPreview(child);
  throw new Error(`vite preview did not start on port ${port}`);
}

const GPU_ARGS = ['--enable-unsafe-webgpu', '--use-webgpu-adapter=swiftshader'];
const QUIET_ARGS = [
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];

/** Chromium with the flags of playwright.config.ts: WebGPU on its software adapter (webgpu: false starts it
 * without, so requestAdapter() is null) and no background network. */
export function launchChromium(webgpu = true): Promise<Browser> {
  return chromium.launch({ executablePath: chromiumPath(), args: [...(webgpu ? GPU_ARGS : []), ...QUIET_ARGS] });
}

/** The same Chromium on a real profile folder (`userDataDir`): unlike a context of launchChromium(), it keeps
 * what a returning visitor's browser keeps, V8's code cache (compiled JS and WebAssembly) included. */
export function launchChromiumProfile(
  userDataDir: string,
  viewport: { width: number; height: number },
  webgpu = true,
): Promise<BrowserContext> {
  return chromium.launchPersistentContext(userDataDir, {
    executablePath: chromiumPath(),
    args: [...(webgpu ? GPU_ARGS : []), ...QUIET_ARGS],
    viewport,
  });
}

function chromiumPath(): string | undefined {
  return [process.env.CHROMIUM_PATH, '/usr/bin/chromium'].find((p): p is string => !!p && existsSync(p));
}
