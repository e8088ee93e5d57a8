#!/usr/bin/env node
// Prints one plain line `N passed, N failed (N skipped)` computed from the test runners' own JSON reports
// (.reports/vitest.json, .reports/playwright.json). A runner that never wrote its report counts as one failure, and
// so does a test file that failed to load (its tests never ran), so a suite that did not run cannot look green.
// Skipped tests are not failures, but the line says how many there were.
import { existsSync, readFileSync } from 'node:fs';

let passed = 0;
let failed = 0;
let skipped = 0;
const notes = [];

function read(path) {
  if (!existsSync(path)) {
    notes.push(`missing test report (counted as a failure): ${path}`);
    failed += 1;
    return null;
  }
  return JSON.parse(readFileSync(path, 'utf8'));
}

const vitest = read('.reports/vitest.json');
if (vitest) {
  passed += vitest.numPassedTests;
  failed += vitest.numFailedTests;
  skipped += vitest.numPendingTests + (vitest.numTodoTests ?? 0);
  // A file whose tests never ran (an import that threw, a syntax error) is a failed suite with no failed test.
  const unloaded = (vitest.testResults ?? []).filter(
    (f) => f.status === 'failed' && (f.assertionResults ?? []).length === 0,
  );
  for (const f of unloaded) notes.push(`test file failed to load (counted as a failure): ${f.name}`);
  failed += unloaded.length;
}

const playwright = read('.reports/playwright.json');
if (playwright) {
  passed += playwright.stats.expected;
  failed += playwright.stats.unexpected + playwright.stats.flaky;
  skipped += playwright.stats.skipped;
  for (const e of playwright.errors ?? [])
    notes.push(`e2e error outside a test (counted as a failure): ${(e.message ?? '').split('\n')[0]}`);
  failed += (playwright.errors ?? []).length;
}

for (const n of notes) console.log(n);
console.log(`${passed} passed, ${failed} failed (${skipped} skipped)`);
process.exit(failed > 0 ? 1 : 0);
