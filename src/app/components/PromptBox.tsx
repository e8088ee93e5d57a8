// The prompt: what the model can do (its nine task families as chips, each filling in an example), the menu of
// example prompts, the text box with its token count and whether it is a prompt the model learned, run, cancel, and
// a link to this comparison.
import { useEffect, useMemo, useState } from 'react';
import { promptFamily } from '../../tasks';
import { MAX_PROMPT_CHARS } from '../../worker/protocol';
import { exampleGroups, findSource } from '../examples';
import { toSearch } from '../url';
import { useApp } from '../use-app';

/** What the box says about the prompt: an example (answer checked or not), a prompt of a family, or neither. */
function sourceText(prompt: string): string {
  const source = findSource(prompt);
  if (source) return `Example of “${source.family}”${source.checkable ? ', answer checked' : ''}`;
  if (prompt.trim().length === 0) return '\u00a0';
  const family = promptFamily(prompt);
  return family === null
    ? 'Not one of the nine task families: the model will answer, but nonsense'
    : `Your own prompt, shaped like “${family}”`;
}

function CopyLink() {
  const settings = useApp((s) => s.settings);
  const environment = useApp((s) => s.environment);
  const prompt = useApp((s) => s.prompt);
  const view = useApp((s) => s.view);
  const [copied, setCopied] = useState<'idle' | 'done' | 'failed'>('idle');
  const copy = () => {
    const url = `${window.location.origin}${window.location.pathname}${toSearch({ settings, environment, prompt, view }, true)}`;
    navigator.clipboard.writeText(url).then(
      () => setCopied('done'),
      () => setCopied('failed'),
    );
  };
  useEffect(() => {
    if (copied === 'idle') return undefined;
    const timer = setTimeout(() => setCopied('idle'), 2500);
    return () => clearTimeout(timer);
  }, [copied]);
  return (
    <button type="button" data-testid="copy-link" onClick={copy} title="A link that opens this comparison and runs it">
      {copied === 'done' ? 'Link copied' : copied === 'failed' ? 'Copy failed: use the address bar' : 'Copy link'}
    </button>
  );
}

export function PromptBox() {
  const prompt = useApp((s) => s.prompt);
  const setPrompt = useApp((s) => s.setPrompt);
  const countPrompt = useApp((s) => s.countPrompt);
  const count = useApp((s) => s.promptCount);
  const ready = useApp((s) => s.model.status === 'ready');
  const maxTokens = useApp((s) => s.model.info?.maxPromptTokens ?? null);
  const running = useApp((s) => s.comparison?.status === 'running');
  const run = useApp((s) => s.runComparison);
  const cancel = useApp((s) => s.cancelComparison);
  const groups = useMemo(() => exampleGroups(), []);
  const [picks, setPicks] = useState<Record<string, number>>({});
  const source = useMemo(() => sourceText(prompt), [prompt]);

  // biome-ignore lint/correctness/useExhaustiveDependencies: recount once the typing pauses or the model becomes ready (countPrompt reads both from the store)
  useEffect(() => {
    const timer = setTimeout(() => void countPrompt(), 200);
    return () => clearTimeout(timer);
  }, [prompt, ready, countPrompt]);

  /** A chip fills in its family's next example (each click the one after). */
  const pick = (family: string) => {
    const examples = groups.find((g) => g.name === family)?.examples ?? [];
    if (examples.length === 0) return;
    const at = (picks[family] ?? -1) + 1;
    setPicks({ ...picks, [family]: at });
    setPrompt(examples[at % examples.length].prompt);
  };

  const tokens = count !== null && count.prompt === prompt ? count : null;
  const tooLong = prompt.length > MAX_PROMPT_CHARS || (tokens !== null && tokens.tokens > tokens.max);
  return (
    <section className="prompt-box" aria-label="Prompt">
      <p className="families" data-testid="families">
        <span>A 3M-parameter toy: it learned only these nine kinds of task.</span>
        {groups.map((g) => (
          <button
            key={g.name}
            type="button"
            className="chip"
            data-testid={`family-${g.name}`}
            title={`${g.description}${g.checkable ? ' (answers checked)' : ''}`}
            onClick={() => pick(g.name)}
          >
            {g.name}
          </button>
        ))}
      </p>
      <select
        id="examples"
        aria-label="Example prompts"
        data-testid="examples"
        value=""
        onChange={(e) => {
          const [family, index] = e.target.value.split(':');
          const example = groups.find((g) => g.name === family)?.examples[Number(index)];
          if (example) setPrompt(example.prompt);
        }}
      >
        <option value="">Pick an example from a task family…</option>
        {groups.map((g) => (
          <optgroup key={g.name} label={`${g.name}: ${g.description}${g.checkable ? '' : ' (not checkable)'}`}>
            {g.examples.map((e, i) => (
              <option key={e.prompt} value={`${g.name}:${i}`}>
                {e.prompt.length > 90 ? `${e.prompt.slice(0, 90)}…` : e.prompt}
              </option>
            ))}
          </optgroup>
        ))}
      </select>
      <textarea
        id="prompt"
        aria-label="Prompt"
        data-testid="prompt"
        rows={2}
        value={prompt}
        spellCheck={false}
        onChange={(e) => setPrompt(e.target.value)}
      />
      <div className="prompt-foot">
        <div className="buttons">
          <button
            type="button"
            className="primary"
            data-testid="run"
            disabled={!ready || tooLong}
            onClick={() => void run()}
          >
            {running ? 'Restart' : 'Run comparison'}
          </button>
          <button type="button" data-testid="cancel" disabled={!running} onClick={cancel}>
            Cancel
          </button>
          <CopyLink />
        </div>
        <div className="prompt-meta">
          <span data-testid="prompt-tokens" className={tooLong ? 'too-long' : ''}>
            {prompt.length > MAX_PROMPT_CHARS
              ? `${prompt.length.toLocaleString('en-US')} characters: far too long (this model reads ${maxTokens === null ? 'a sentence or two' : `at most ${maxTokens} tokens, a sentence or two`})`
              : tokens
                ? `${tokens.tokens} / ${tokens.max} tokens${tokens.tokens > tokens.max ? ': too long for this model' : ''}`
                : '\u00a0'}
          </span>
          <span className="prompt-source" data-testid="prompt-source">
            {source}
          </span>
        </div>
      </div>
    </section>
  );
}
