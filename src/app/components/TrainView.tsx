// The Train view (issue 23): collect filter training data on this machine (the reference and the EGP oracle replay
// per prompt, spec §3), train the chosen filter kind with the TypeScript trainer, watch both losses fall, then use
// the filter in the comparison and the benchmark. What is trained is kept (IndexedDB) and can be downloaded
// (the filter as train-filter writes it, its samples as collect writes them) or deleted.
import { FILTER_VARIANTS, filterVariant, PAPER_FILTER } from '../../core';
import { MAX_TRAIN_PROMPTS } from '../../worker/protocol';
import { ms, percent } from '../format';
import { BLOCK_LENGTHS, GEN_LENGTHS } from '../settings';
import { formProblem } from '../store/train-slice';
import type { StoredFilter, TrainState } from '../store/train-types';
import { useApp } from '../use-app';
import { LossChart } from './LossChart';

function save(name: string, bytes: Uint8Array | string, type: string): void {
  const part: BlobPart = typeof bytes === 'string' ? bytes : new Uint8Array(bytes);
  const url = URL.createObjectURL(new Blob([part], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

const kindText = (variant: string) => (variant === PAPER_FILTER ? "the paper's MLP" : `the ${variant} filter`);

/** What the job is doing, in one line (with the ETA while collecting). */
function statusText(t: TrainState): string {
  switch (t.status) {
    case 'idle':
      return t.cancelled ? 'Cancelled: the samples collected so far are kept (resume below).' : 'Ready to collect.';
    case 'collecting': {
      const done = t.collected - t.startedWith;
      const elapsed = t.startedAt === null ? 0 : Date.now() - t.startedAt;
      const eta = done > 0 ? ((t.total - t.collected) * elapsed) / done : null;
      return `Collecting: ${t.collected} of ${t.total} prompts, ${t.samples} samples${eta === null ? '' : `, about ${ms(eta)} left`}`;
    }
    case 'training': {
      const e = t.epochs.at(-1);
      return e === undefined
        ? `Training on ${t.samples} samples…`
        : `Training: epoch ${e.epoch} (at most ${e.maxEpochs}), validation loss ${e.valLoss.toFixed(4)}, best ${e.bestValLoss.toFixed(4)}`;
    }
    case 'done': {
      const r = t.report;
      return r === null
        ? 'Done.'
        : `Done: ${r.filter.name} trained on ${r.filter.samples} samples in ${ms(r.ms)} (${r.epochs} epochs, best at ${r.bestEpoch}).`;
    }
    case 'error':
      return t.error === null ? 'Failed.' : `${t.error.name}: ${t.error.message}`;
  }
}

function KeptFilter({ f }: { f: StoredFilter }) {
  const remove = useApp((s) => s.deleteTrainedFilter);
  const samplesText = useApp((s) => s.samplesText);
  const setSetting = useApp((s) => s.setSetting);
  const setView = useApp((s) => s.setView);
  const { test } = f.report;
  const use = () => {
    setSetting('blockLength', f.file.blockLength);
    setSetting('filter', f.file.name);
    setView('compare');
  };
  return (
    <tr data-testid="kept-filter" data-name={f.file.name}>
      <td>
        <strong>{f.file.name}</strong> <small>{kindText(f.report.variant)}</small>
      </td>
      <td data-label="block">{f.file.blockLength}</td>
      <td data-label="samples">
        {f.file.samples} <small>({f.prompts} prompts)</small>
      </td>
      <td data-label="false accept / reject">
        {percent(test.falseAcceptRate)} / {percent(test.falseRejectRate)} <small>at τf {test.tauFilter}</small>
      </td>
      <td className="kept-actions">
        <button type="button" onClick={use}>
          Compare with it
        </button>
        <button
          type="button"
          onClick={() => save(f.file.file.split('/').at(-1) ?? f.file.file, f.file.bytes, 'application/octet-stream')}
        >
          {f.file.kind === 'slot' ? 'Filter (JSON)' : 'Filter (ONNX)'}
        </button>
        <button
          type="button"
          onClick={() =>
            void samplesText(f.collection).then((text) =>
              save(`${f.file.name}-samples.jsonl`, text, 'application/jsonl'),
            )
          }
        >
          Samples (JSONL)
        </button>
        <button type="button" data-testid="kept-delete" onClick={() => void remove(f.file.name)}>
          Delete
        </button>
      </td>
    </tr>
  );
}

export function TrainView() {
  const t = useApp((s) => s.train);
  const ready = useApp((s) => s.model.status === 'ready');
  const setForm = useApp((s) => s.setTrainForm);
  const start = useApp((s) => s.startTraining);
  const cancel = useApp((s) => s.cancelTraining);
  const resume = useApp((s) => s.resumeTraining);
  const discard = useApp((s) => s.discardCollection);
  const { form } = t;
  const busy = t.status === 'collecting' || t.status === 'training';
  const problem = formProblem(form);
  const variant = filterVariant(form.variant);
  return (
    <section className="bench train" aria-label="Train a filter" data-testid="train">
      <p className="bench-intro">
        Trains a Learn2PD filter here, from this model's own trajectories (spec §3): for each prompt, the
        one-token-per-step reference, then the EGP oracle replayed against it, one sample per forward; then the chosen
        filter on those samples (80/10/10 split, AdamW, early stopping on the validation loss), the code of{' '}
        <code>npm run collect</code> and <code>npm run train-filter</code>. The filter joins the comparison's and the
        benchmark's picker at once, and stays in this browser.
      </p>
      <div className="train-form">
        <label className="train-source">
          <span className="field-label">Prompts</span>
          <select
            value={form.source}
            disabled={busy}
            onChange={(e) => setForm({ source: e.target.value === 'typed' ? 'typed' : 'train' })}
          >
            <option value="train">train split of the task families</option>
            <option value="typed">typed here, one per line</option>
          </select>
        </label>
        {form.source === 'train' ? (
          <label>
            <span className="field-label">How many</span>
            <input
              type="number"
              data-testid="train-prompts"
              min={1}
              max={MAX_TRAIN_PROMPTS}
              value={form.count}
              disabled={busy}
              onChange={(e) =>
                setForm({ count: Math.max(1, Math.min(MAX_TRAIN_PROMPTS, Math.round(Number(e.target.value) || 1))) })
              }
            />
          </label>
        ) : (
          <label className="wide">
            <span className="field-label">Your prompts</span>
            <textarea
              rows={4}
              value={form.typed}
              disabled={busy}
              onChange={(e) => setForm({ typed: e.target.value })}
            />
          </label>
        )}
        <label>
          <span className="field-label">Canvas</span>
          <select
            data-testid="train-gen"
            value={form.genLength}
            disabled={busy}
            onChange={(e) => {
              const genLength = Number(e.target.value);
              setForm({ genLength, blockLength: Math.min(form.blockLength, genLength) });
            }}
          >
            {GEN_LENGTHS.map((g) => (
              <option key={g} value={g}>
                {g}
              </option>
            ))}
          </select>
        </label>
        <label>
          <span className="field-label">Block</span>
          <select
            data-testid="train-block"
            value={form.blockLength}
            disabled={busy}
            onChange={(e) => setForm({ blockLength: Number(e.target.value) })}
          >
            {BLOCK_LENGTHS.filter((b) => b <= form.genLength && form.genLength % b === 0).map((b) => (
              <option key={b} value={b}>
                {b}
              </option>
            ))}
          </select>
        </label>
        <label>
          <span className="field-label">Filter kind</span>
          <select
            data-testid="train-kind"
            value={form.variant}
            disabled={busy}
            title={variant?.text}
            onChange={(e) => setForm({ variant: e.target.value })}
          >
            {FILTER_VARIANTS.map((v) => (
              <option key={v.name} value={v.name} title={v.text}>
                {v.name === PAPER_FILTER ? "paper's MLP" : v.name}
              </option>
            ))}
          </select>
        </label>
        <label>
          <span className="field-label">τf</span>
          <input
            type="number"
            min={0}
            max={1}
            step={0.01}
            value={form.tauFilter}
            disabled={busy}
            onChange={(e) => setForm({ tauFilter: Math.max(0, Math.min(1, Number(e.target.value))) })}
          />
        </label>
      </div>
      <div className="buttons">
        <button
          type="button"
          className="primary"
          data-testid="train-start"
          disabled={!ready || busy || problem !== null}
          title={problem ?? undefined}
          onClick={() => void start()}
        >
          Collect and train
        </button>
        <button type="button" data-testid="train-cancel" disabled={!busy} onClick={cancel}>
          Cancel
        </button>
        {busy && t.status === 'collecting' ? <progress max={Math.max(1, t.total)} value={t.collected} /> : null}
        {!ready ? <span>Load the model first.</span> : null}
      </div>
      <p
        className={t.status === 'error' ? 'train-status load-error' : 'train-status'}
        data-testid="train-status"
        data-state={t.status}
        data-collected={t.collected}
        data-samples={t.samples}
        data-epochs={t.report?.epochs ?? t.epochs.at(-1)?.epoch ?? 0}
        data-train-ms={t.report?.ms ?? ''}
        role={t.status === 'error' ? 'alert' : 'status'}
      >
        {statusText(t)}
      </p>
      {t.epochs.length > 0 ? (
        <LossChart epochs={t.epochs} {...(t.status === 'done' && t.report ? { best: t.report.bestEpoch } : {})} />
      ) : null}
      {t.report !== null && t.status === 'done' ? (
        <p className="train-result" data-testid="train-result">
          On the held-out test samples at τf {t.report.test.tauFilter}: false accepts{' '}
          {percent(t.report.test.falseAcceptRate)} ({t.report.test.fp} of {t.report.test.fp + t.report.test.tn}: wrong
          guesses it would commit), false rejects {percent(t.report.test.falseRejectRate)} ({t.report.test.fn} of{' '}
          {t.report.test.fn + t.report.test.tp}: a step more each). Split {t.report.split.train} /{' '}
          {t.report.split.validation} / {t.report.split.test} samples.
        </p>
      ) : null}
      {t.unfinished.map((c) => (
        <p key={c.id} className="train-unfinished" data-testid="train-unfinished" role="note">
          A collection of {c.prompts.length} prompts (canvas {c.canvas.genLength}, block {c.canvas.blockLength}, for{' '}
          {kindText(c.variant)}) has {c.collected} prompts collected and no filter yet.{' '}
          <button type="button" disabled={!ready || busy} data-testid="train-resume" onClick={() => void resume(c.id)}>
            Resume
          </button>{' '}
          <button type="button" disabled={busy} onClick={() => void discard(c.id)}>
            Discard
          </button>
        </p>
      ))}
      {t.filters.length > 0 ? (
        <table className="bench-table kept" data-testid="kept-filters">
          <thead>
            <tr>
              <th>trained here</th>
              <th>block</th>
              <th>samples</th>
              <th>false accept / reject</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {t.filters.map((f) => (
              <KeptFilter key={f.file.name} f={f} />
            ))}
          </tbody>
        </table>
      ) : null}
    </section>
  );
}
