// The comparison's settings. They apply to the next run (a running comparison keeps the settings it started with)
// and live in the URL, so a link restores them.
import { threshold } from '../format';
import {
  BLOCK_LENGTHS,
  effectiveCanvas,
  effectiveTauFilter,
  GEN_LENGTHS,
  SPEEDS,
  type Speed,
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

export function SettingsPanel() {
  const settings = useApp((s) => s.settings);
  const info = useApp((s) => s.model.info);
  const set = useApp((s) => s.setSetting);
  const canvas = effectiveCanvas(settings, info);
  const tauFilter = effectiveTauFilter(settings, info);
  return (
    <section className="settings" aria-label="Settings">
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
          {BLOCK_LENGTHS.map((b) => (
            <option key={b} value={b}>
              {b}
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
      <label>
        <span className="field-label">
          Threshold τ <output>{threshold(settings.tau)}</output>
        </span>
        <input
          data-testid="set-tau"
          type="range"
          min={0.5}
          max={1}
          step={0.01}
          value={settings.tau}
          onChange={(e) => set('tau', Number(e.target.value))}
        />
      </label>
      <label>
        <span className="field-label">
          Filter τ<sub>f</sub> <output>{threshold(tauFilter)}</output>
          {settings.tauFilter === null ? <small> model's</small> : null}
        </span>
        <input
          data-testid="set-tauf"
          type="range"
          min={0.5}
          max={1}
          step={0.01}
          value={tauFilter}
          onChange={(e) => set('tauFilter', Number(e.target.value))}
        />
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
      <label className="check wide">
        <input
          data-testid="set-eotp"
          type="checkbox"
          checked={settings.eotp}
          onChange={(e) => set('eotp', e.target.checked)}
        />
        <span>EoTP: stop at the predicted end of text (Learn2PD pane)</span>
      </label>
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
