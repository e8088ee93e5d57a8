// The built app's Content-Security-Policy (vite.config.ts): the page carries the <meta>, the app loads and runs on
// WASM under it with no violation in the page or the model worker, the policy really blocks eval and inline
// script, and markup typed as a prompt or put in the link is shown as text.
import type { Page, Worker } from '@playwright/test';
import { expect, HAS_MODEL, openApp, pane, pickExample, runAndWait, test } from './fixtures';

declare global {
  interface Window {
    __cspViolations?: string[];
    __pwned?: number;
  }
}

const PAYLOAD = '<img src=x onerror="window.__pwned=1">';
/** The browser's console line for a blocked action; expected in the tests that provoke one. */
const CSP_CONSOLE = /Content Security Policy/;

/** Records every `securitypolicyviolation` in the page (from before its first script) and in each worker. */
async function recordViolations(
  page: Page,
): Promise<{ page: () => Promise<string[]>; workers: () => Promise<string[]> }> {
  const workers: Worker[] = [];
  const listening: Promise<unknown>[] = [];
  // Awaited: a page.goto() that starts before the init script is registered loads without the listener.
  await page.addInitScript(() => {
    window.__cspViolations = [];
    document.addEventListener('securitypolicyviolation', (e) =>
      window.__cspViolations?.push(`${e.violatedDirective} ${e.blockedURI}`),
    );
  });
  // A module worker waits for the page's first message before it loads the model, so the listener is in place
  // before the .wasm is compiled; the fixture also fails the test on any console error the worker logs.
  page.on('worker', (worker) => {
    workers.push(worker);
    listening.push(
      worker.evaluate(() => {
        const scope = globalThis as unknown as { __cspViolations: string[] } & EventTarget;
        scope.__cspViolations = [];
        scope.addEventListener('securitypolicyviolation', (e) => {
          const v = e as SecurityPolicyViolationEvent;
          scope.__cspViolations.push(`${v.violatedDirective} ${v.blockedURI}`);
        });
      }),
    );
  });
  return {
    page: () => page.evaluate(() => window.__cspViolations ?? []),
    workers: async () => {
      await Promise.all(listening);
      const lists = await Promise.all(
        workers.map((w) => w.evaluate(() => (globalThis as unknown as { __cspViolations: string[] }).__cspViolations)),
      );
      return lists.flat();
    },
  };
}

/** Tries `code` from a timer: page.evaluate's own code is exempt from the eval check (DevTools evaluates it). */
function evalLater(code: string): string {
  return `new Promise((resolve) => setTimeout(() => { try { resolve('ran: ' + String(eval(${JSON.stringify(code)}))); } catch (e) { resolve('blocked: ' + e.name); } }, 0))`;
}

/** Drops the browser's console lines for violations a test provoked on purpose, once they have arrived. */
async function allowProvokedViolations(problems: string[]): Promise<void> {
  await expect.poll(() => problems.some((p) => CSP_CONSOLE.test(p))).toBe(true);
  const rest = problems.filter((p) => !CSP_CONSOLE.test(p));
  problems.splice(0, problems.length, ...rest);
}

function directives(policy: string): Map<string, string[]> {
  return new Map(
    policy
      .split(';')
      .map((d) => d.trim().split(/\s+/))
      .filter((words) => words[0])
      .map(([name, ...sources]) => [name.toLowerCase(), sources]),
  );
}

test('the built page carries a strict CSP as the first element of <head>', async ({ page }) => {
  await page.goto('./?backend=wasm');
  const meta = page.locator('head > meta:first-child');
  await expect(meta).toHaveAttribute('http-equiv', 'Content-Security-Policy');
  const policy = directives((await meta.getAttribute('content')) ?? '');
  expect(policy.get('default-src')).toEqual(["'self'"]);
  expect(policy.get('script-src')).toEqual(["'self'", "'wasm-unsafe-eval'"]);
  expect(policy.get('object-src')).toEqual(["'none'"]);
  expect(policy.get('base-uri')).toEqual(["'self'"]);
  // Only our own origin, plus data: for the inline favicon: no host, scheme wildcard, blob: or unsafe keyword.
  for (const [name, sources] of policy) {
    for (const source of sources) {
      expect(source, `${name} ${source}`).not.toMatch(/^'unsafe-(eval|inline|hashes)'$|\*|^https?:|^blob:|^ws/);
      if (source === 'data:') expect(name).toBe('img-src');
    }
  }
});

test('loads and runs a comparison on WASM with no CSP violation in the page or the model worker', async ({ page }) => {
  test.skip(!HAS_MODEL, 'the bundled model (dllm.json) is not there yet');
  const violations = await recordViolations(page);
  await openApp(page, { backend: 'wasm' });
  await pickExample(page, 'reverse');
  await runAndWait(page);
  await expect(pane(page, 'left').getByTestId('pane-left-answer')).not.toHaveText(/^Answer\s*$/);
  expect(await violations.page()).toEqual([]);
  expect(await violations.workers()).toEqual([]);
});

test('the policy is enforced: eval, inline script and inline handlers are blocked in the page and the worker', async ({
  page,
  problems,
}) => {
  const violations = await recordViolations(page);
  const worker = page.waitForEvent('worker');
  await page.goto('./?backend=wasm');
  expect(await page.evaluate(evalLater('1 + 1'))).toBe('blocked: EvalError');
  const injected = await page.evaluate(async () => {
    const script = document.createElement('script');
    script.textContent = 'window.__pwned = 1';
    document.head.append(script);
    const img = document.createElement('img');
    const failed = new Promise((resolve) => img.addEventListener('error', resolve));
    img.setAttribute('onerror', 'window.__pwned = 2');
    img.src = 'data:,not-an-image';
    document.body.append(img);
    await failed;
    img.remove();
    return window.__pwned;
  });
  expect(injected).toBeUndefined();
  // The violation events can trail the blocked actions by seconds on a loaded 2-core machine.
  await expect
    .poll(violations.page, { timeout: 20_000 })
    .toEqual(expect.arrayContaining(['script-src eval', 'script-src-elem inline', 'script-src-attr inline']));
  // The worker's policy comes from its own response header (`vite preview` sends it; a <meta> cannot reach it).
  expect(await (await worker).evaluate(evalLater('1 + 1'))).toBe('blocked: EvalError');
  await allowProvokedViolations(problems);
});

test('markup in a prompt or in the link is shown as text, never run or parsed', async ({ page }) => {
  test.skip(!HAS_MODEL, 'the bundled model (dllm.json) is not there yet');
  const violations = await recordViolations(page);
  // A refused link value is echoed in a notice.
  await openApp(page, { backend: 'wasm', tau: PAYLOAD });
  await expect(page.getByTestId('notices')).toContainText(`Ignored tau=${PAYLOAD} from the link`);
  // A typed prompt is tokenized and decoded; the answer panes show whatever the model wrote, as text.
  await page.getByTestId('prompt').fill(PAYLOAD);
  await runAndWait(page);
  await expect(page.getByTestId('prompt')).toHaveValue(PAYLOAD);
  // Had any of it been parsed as HTML there would be an <img> (its handler blocked by the CSP, so a violation).
  await expect(page.locator('img')).toHaveCount(0);
  expect(await page.evaluate(() => window.__pwned)).toBeUndefined();
  expect(await violations.page()).toEqual([]);
});
