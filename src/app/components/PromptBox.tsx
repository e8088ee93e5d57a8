// The prompt: a menu of example prompts from every task family, the text box, its token count, run and cancel.
import { useEffect, useMemo } from 'react';
import { exampleGroups, findSource } from '../examples';
import { MAX_PROMPT_CHARS } from '../settings';
import { useApp } from '../use-app';

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
  const source = useMemo(() => findSource(prompt), [prompt]);

  // biome-ignore lint/correctness/useExhaustiveDependencies: recount once the typing pauses or the model becomes ready (countPrompt reads both from the store)
  useEffect(() => {
    const timer = setTimeout(() => void countPrompt(), 200);
    return () => clearTimeout(timer);
  }, [prompt, ready, countPrompt]);

  const tokens = count !== null && count.prompt === prompt ? count : null;
  const tooLong = prompt.length > MAX_PROMPT_CHARS || (tokens !== null && tokens.tokens > tokens.max);
  return (
    <section className="prompt-box" aria-label="Prompt">
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
        </div>
        <div className="prompt-meta">
          <span data-testid="prompt-tokens" className={tooLong ? 'too-long' : ''}>
            {prompt.length > MAX_PROMPT_CHARS
              ? `${prompt.length.toLocaleString('en-US')} characters: far too long (this model reads ${maxTokens === null ? 'a sentence or two' : `at most ${maxTokens} tokens, a sentence or two`})`
              : tokens
                ? `${tokens.tokens} / ${tokens.max} tokens${tokens.tokens > tokens.max ? ': too long for this model' : ''}`
                : '\u00a0'}
          </span>
          <span className="prompt-source">
            {source ? `Example of “${source.family}”${source.checkable ? ', answer checked' : ''}` : 'Your own prompt'}
          </span>
        </div>
      </div>
    </section>
  );
}
