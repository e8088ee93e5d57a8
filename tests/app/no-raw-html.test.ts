// Model output, prompts and link values are shown as text, never parsed as HTML: no file under src/ may reach for
// an HTML sink, and a canvas slot whose token reads like markup renders escaped. (The CSP in vite.config.ts is the
// second line of defence; e2e/csp.spec.ts checks the running app.)
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { CanvasGrid } from '../../src/app/components/CanvasGrid';
import type { CanvasView } from '../../src/app/derive';

const SRC = join(import.meta.dirname, '..', '..', 'src');
const HTML_SINKS =
  /dangerouslySetInnerHTML|\.innerHTML\b|\.outerHTML\b|insertAdjacentHTML|document\.write|createContextualFragment|parseFromString/;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return sourceFiles(path);
    return /\.(ts|tsx|js|jsx|mjs)$/.test(e.name) ? [path] : [];
  });
}

describe('no HTML sinks in src/', () => {
  it('no file sets HTML from a string', () => {
    const files = sourceFiles(SRC);
    expect(files.length).toBeGreaterThan(20);
    const hits = files.flatMap((f) =>
      readFileSync(f, 'utf8')
        .split('\n')
        .flatMap((line, i) => (HTML_SINKS.test(line) ? [`${relative(SRC, f)}:${i + 1}: ${line.trim()}`] : [])),
    );
    expect(hits).toEqual([]);
  });
});

describe('a token that reads like markup', () => {
  it('renders in its canvas slot as escaped text', () => {
    const payload = '<img src=x onerror="alert(1)">';
    const view: CanvasView = {
      slots: [
        { pos: 0, state: 'committed', token: 1, conf: 0.9, step: 0, fresh: false },
        { pos: 1, state: 'masked', token: 1, conf: 0.5, step: null, fresh: false },
      ],
      blockStart: 0,
      cutAt: null,
      window: null,
    };
    const html = renderToStaticMarkup(
      createElement(CanvasGrid, { view, vocab: ['EOS', payload], eosId: 0, blockLength: 2 }),
    );
    expect(html).not.toContain('<img');
    expect(html).toContain('&lt;img src=x onerror=&quot;alert(1)&quot;&gt;');
  });
});
