// The comparison's settings. They apply to the next run (a running comparison keeps the settings it started with)
// and live in the URL, so a link restores them. What the panes share (canvas, block, EoTP) is set once for all of
// them; what differs is chosen per pane: a heuristic on the left, the learned filter on the right, or in a
// comparison of EoTP one rule for both. Only combinations the model can run are offered.
import { CACHE_MODES, type CacheMode, PAPER_FILTER } from '../../core';
import { threshold } from '../format';
import { filterChoiceText, gammaText, METHOD_NAMES } from '../palette';
import {
  blockLengthsFor,
  COMPARISONS,
  type ComparisonKind,
  EOTP_RULES,
  effectiveCanvas,
  effectiveFilter,
  effectiveTauFilter,
  filterChoices,
  GEN_LENGTHS,
  HEURISTICS,
  modelRuns,
  SPEEDS,
  type Speed,
  servingFilter,
  THIRD_PANES,
  type ThirdPane,
} from '../settings';
import { useApp } from '../use-app';

// Short enough for a third of the panel at 1280 px (the select's title says what the numbers count).
const SPEED_TEXT: Record<Speed, string> = {
  slow: 'Slow (2/s)',
  normal: 'Normal (6/s)',
  fast: 'Fast (20/s)',
  max: 'Full speed',
};
const THIRD_TEXT: Record<ThirdPane, string> = {
  none: 'None',
  low_confidence: 'One token per step',
  egp_oracle: 'EGP oracle',
};
const COMPARISON_TEXT: Record<ComparisonKind, string> = {
  rules: 'Two commit rules',
  eotp: 'EoTP off vs on',
};

/** Each rule's knob: the setting it writes, its name, and the slider's range. */
const KNOBS = {
  threshold: { key: 'tau', name: <>Threshold τ</>, min: 0.5, max: 1, step: 0.01, testId: 'set-tau' },
  factor: { key: 'factor', name: <>Factor f</>, min: 0.25, max: 4, step: 0.05, testId: 'set-factor' },
  eb_sampler: { key: 'gamma', name: <>Entropy bound γ</>, min: 0, max: 1, step: 0.001, testId: 'set-gamma' },
  learn2pd: {
    key: 'tauFilter',
    name: (
      <>
        Filter τ<sub>f</sub>
      </>
    ),
    min: 0.5,
    max: 1,
    step: 0.01,
    testId: 'set-tauf',
  },
} as const;

/** The slider of a rule's knob: τ for the threshold, f for the factor rule, γ for the EB-Sampler, τf for Learn2PD
 * (the model's own until moved). */
function Knob({ rule }: { rule: keyof typeof KNOBS }) {
  const settings = useApp((s) => s.settings);
  const info = useApp((s) => s.model.info);
  const set = useApp((s) => s.setSetting);
  const knob = KNOBS[rule];
  const value = knob.key === 'tauFilter' ? effectiveTauFilter(settings, info) : settings[knob.key];
  return (
    <label>
      <span className="field-label">
        {knob.name} <output>{knob.key === 'gamma' ? gammaText(value) : threshold(value)}</output>
        {knob.key === 'tauFilter' && settings.tauFilter === null ? <small> the model's</small> : null}
      </span>
      <input
        data-testid={knob.testId}
        type="range"
        min={knob.min}
        max={knob.max}
        step={knob.step}
        value={value}
        onChange={(e) => set(knob.key, Number(e.target.value))}
      />
    </label>
  );
}

/** The learned filter the Learn2PD pane uses: those of the model that serve the block length, the model's choice first. */
// Short enough for a third of the panel at 1280 px; each option's title says what it forwards.
const CACHE_TEXT: Record<CacheMode, { label: string; title: string }> = {
  none: { label: 'none', title: 'every step forwards the whole sequence' },
  prefix: { label: 'prefix', title: 'later steps of a block forward the block and everything after it' },
  dual: { label: 'dual', title: 'later steps of a block forward the block alone' },
};

export function FilterPicker() {
  const settings = useApp((s) => s.settings);
  const info = useApp((s) => s.model.info);
  const set = useApp((s) => s.setSetting);
  const serving = servingFilter(settings, info);
  const choices = filterChoices(settings, info);
  const { blockLength } = effectiveCanvas(settings, info);
  const name = serving === null ? '' : effectiveFilter(settings, info);
  const chosen = info?.defaultFilters.find((d) => d.blockLength === blockLength)?.name;
  return (
    <label>
      <span className="field-label">Learned filter</span>
      <select
        data-testid="filter-picker"
        value={name}
        disabled={choices.length < 2}
        onChange={(e) => set('filter', e.target.value)}
      >
        {serving === null ? <option value="">none for block {blockLength}</option> : null}
        {choices.map((c) => {
          const here = info?.filters.find((f) => f.name === c && f.trainedOn !== undefined)?.trainedOn;
          return (
            <option
              key={c}
              value={c}
              title={
                here === undefined
                  ? `${filterChoiceText(c)}${c === chosen ? '; the default: best on validation prompts (npm run pick-filter)' : ''}`
                  : `trained here on ${here} samples (the Train view)`
              }
            >
              {c === PAPER_FILTER ? "paper's MLP" : c}
              {c === chosen ? ' (default)' : ''}
              {here === undefined ? '' : ` · trained here on ${here} samples`}
            </option>
          );
        })}
      </select>
      {serving !== null && serving.blockLength !== blockLength ? (
        <small className="field-note" data-testid="filter-note">
          {serving.kind === 'slot'
            ? `Trained on blocks of ${serving.blockLength}; it reads one slot at a time, so it serves blocks of ${blockLength}.`
            : `No filter of width ${blockLength}: the ${serving.blockLength}-wide one reads each block zero-padded.`}
        </small>
      ) : null}
    </label>
  );
}

export function SettingsPanel() {
  const settings = useApp((s) => s.settings);
  const info = useApp((s) => s.model.info);
  const set = useApp((s) => s.setSetting);
  const canvas = effectiveCanvas(settings, info);
  const rules = settings.comparison === 'rules';
  return (
    <section className="settings" aria-label="Settings">
      <label>
        <span className="field-label">Compare</span>
        <select
          data-testid="set-comparison"
          value={settings.comparison}
          onChange={(e) => set('comparison', COMPARISONS.find((c) => c === e.target.value) ?? 'rules')}
        >
          {COMPARISONS.map((c) => (
            <option key={c} value={c}>
              {COMPARISON_TEXT[c]}
            </option>
          ))}
        </select>
      </label>
      <label>
        <span className="field-label">Canvas length</span>
        <select
          data-testid="set-gen"
          value={settings.genLength ?? ''}
          onChange={(e) => set('genLength', e.target.value === '' ? null : Number(e.target.value))}
        >
          <option value="">Default: {info?.defaults.genLength ?? canvas.genLength}</option>
          {GEN_LENGTHS.map((g) => (
            <option key={g} value={g}>
              {g} tokens
            </option>
          ))}
        </select>
      </label>
      <label>
        <span className="field-label">Block length</span>
        <select
          data-testid="set-block"
          value={settings.blockLength ?? ''}
          onChange={(e) => set('blockLength', e.target.value === '' ? null : Number(e.target.value))}
        >
          <option value="">Default: {info?.defaults.blockLength ?? canvas.blockLength}</option>
          {blockLengthsFor(info).map((b) => (
            <option key={b} value={b}>
              {b}
            </option>
          ))}
        </select>
      </label>
      {rules ? (
        <>
          <label>
            <span className="field-label">Heuristic (left)</span>
            <select
              data-testid="set-heuristic"
              value={settings.heuristic}
              onChange={(e) => set('heuristic', HEURISTICS.find((h) => h === e.target.value) ?? 'threshold')}
            >
              {HEURISTICS.map((h) => (
                <option key={h} value={h} disabled={!modelRuns(h, info)}>
                  {METHOD_NAMES[h]}
                  {modelRuns(h, info) ? '' : ' (needs entropy: this model has none)'}
                </option>
              ))}
            </select>
          </label>
          <Knob rule={settings.heuristic} />
          <FilterPicker />
          <Knob rule="learn2pd" />
        </>
      ) : (
        <>
          <label>
            <span className="field-label">Rule (both panes)</span>
            <select
              data-testid="set-rule"
              value={settings.rule}
              onChange={(e) => set('rule', EOTP_RULES.find((r) => r === e.target.value) ?? 'threshold')}
            >
              {EOTP_RULES.map((r) => (
                <option key={r} value={r} disabled={!modelRuns(r, info)}>
                  {METHOD_NAMES[r]}
                  {modelRuns(r, info) ? '' : ' (needs entropy: this model has none)'}
                </option>
              ))}
            </select>
          </label>
          <Knob rule={settings.rule} />
          {settings.rule === 'learn2pd' ? <FilterPicker /> : null}
        </>
      )}
      <label>
        <span className="field-label">KV cache</span>
        <select
          data-testid="set-cache"
          title="Fast-dLLM's KV cache, the same for every pane: a block's later steps forward only part of the sequence"
          value={settings.cache}
          onChange={(e) => set('cache', CACHE_MODES.find((c) => c === e.target.value) ?? 'none')}
        >
          {CACHE_MODES.map((c) => (
            <option
              key={c}
              value={c}
              title={CACHE_TEXT[c].title}
              disabled={c !== 'none' && info !== null && !info.kvCache}
            >
              {CACHE_TEXT[c].label}
            </option>
          ))}
        </select>
      </label>
      <label>
        <span className="field-label">Third pane</span>
        <select
          data-testid="set-third"
          value={settings.third}
          onChange={(e) => set('third', THIRD_PANES.find((t) => t === e.target.value) ?? 'none')}
        >
          {THIRD_PANES.map((t) => (
            <option key={t} value={t}>
              {THIRD_TEXT[t]}
            </option>
          ))}
        </select>
      </label>
      <label>
        <span className="field-label">Animation</span>
        <select
          data-testid="set-speed"
          title="Animation speed, in denoising steps shown per second"
          value={settings.speed}
          onChange={(e) => set('speed', SPEEDS.find((s) => s === e.target.value) ?? 'normal')}
        >
          {SPEEDS.map((s) => (
            <option key={s} value={s}>
              {SPEED_TEXT[s]}
            </option>
          ))}
        </select>
      </label>
      {rules ? (
        <label className="check wide">
          <input
            data-testid="set-eotp"
            type="checkbox"
            checked={settings.eotp}
            onChange={(e) => set('eotp', e.target.checked)}
          />
          <span>EoTP in every pane: stop at the predicted end of the text</span>
        </label>
      ) : null}
      <label className="check wide">
        <input
          data-testid="set-ref"
          type="checkbox"
          checked={settings.reference}
          onChange={(e) => set('reference', e.target.checked)}
        />
        <span>Check answers against the one-token-per-step reference</span>
      </label>
    </section>
  );
}
