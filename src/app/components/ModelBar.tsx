// The model/backend bar: which backend runs the model (badge), on which adapter, load progress per file with a
// Cancel, why WASM when WebGPU was wanted, and load errors (the file and the cause) or a cancelled load with a
// button that loads again.
import { BACKEND_CHOICES, type BackendChoice } from '../../worker/protocol';
import { bytes } from '../format';
import { loadErrorText } from '../store/model-slice';
import type { FileProgress, ModelState } from '../store/types';
import { useApp } from '../use-app';

const PHASE_TEXT = {
  probe: 'Checking WebGPU',
  manifest: 'Reading the manifest',
  download: 'Downloading',
  session: 'Creating sessions',
  warmup: 'Warming up',
} as const;
const CHOICE_TEXT: Record<BackendChoice, string> = { auto: 'Auto', webgpu: 'WebGPU', wasm: 'WASM (CPU)' };

function FileRow({ file }: { file: FileProgress }) {
  const total = file.total ?? 0;
  const share = total > 0 ? Math.min(1, file.loaded / total) : 0;
  return (
    <li className="file-row" data-verified={file.verified}>
      <span className="file-name">{file.file}</span>
      <progress max={1} value={share} aria-label={`${file.file} download`} />
      <span className="file-size">
        {bytes(file.loaded)}
        {total > 0 ? ` / ${bytes(total)}` : ''}
      </span>
      <span className="file-state">{file.verified ? (file.cached ? 'cached ✓' : 'sha256 ✓') : ''}</span>
    </li>
  );
}

function badgeText(model: ModelState): string {
  if (model.status === 'ready' && model.info) return model.info.backend === 'webgpu' ? 'WebGPU' : 'WASM';
  return model.status === 'error' || model.status === 'cancelled' ? 'Not loaded' : 'Loading…';
}

export function ModelBar() {
  const model = useApp((s) => s.model);
  const environment = useApp((s) => s.environment);
  const loadModel = useApp((s) => s.loadModel);
  const cancelLoad = useApp((s) => s.cancelLoad);
  const setBackend = useApp((s) => s.setBackend);
  const offline = useApp((s) => s.offline);
  const info = model.info;
  const backend = model.status === 'ready' && info ? info.backend : '';
  return (
    <div className="modelbar">
      <div className="modelbar-main">
        <span
          className="badge"
          data-testid="backend"
          data-backend={backend}
          data-status={model.status}
          data-variant={info?.variant ?? ''}
        >
          {badgeText(model)}
        </span>
        <span className="model-facts">
          {model.status === 'ready' && info ? (
            <>
              <strong title={info.name}>{info.id}</strong> · {info.variant} ·{' '}
              {info.backend === 'webgpu' ? info.adapter : `${info.threads} thread${info.threads > 1 ? 's' : ''}`} ·
              ready in {(info.loadMs / 1000).toFixed(1)} s{info.cachedFiles === info.totalFiles ? ' (from cache)' : ''}
            </>
          ) : model.status === 'loading' ? (
            <>
              {model.phase ? PHASE_TEXT[model.phase] : 'Starting'}
              {model.phaseDetail ? `: ${model.phaseDetail}` : ''}
            </>
          ) : null}
        </span>
        <span
          className="offline-status"
          data-testid="offline-status"
          data-online={String(offline.online)}
          data-ready={String(offline.ready)}
          data-isolated={String(offline.isolated)}
          title={offline.isolated ? 'Cross-origin isolated: WebAssembly may use several threads' : undefined}
        >
          {!offline.online ? 'Offline: running from this browser’s copy' : offline.ready ? 'Saved for offline use' : ''}
        </span>
        {model.status === 'loading' ? (
          <button type="button" data-testid="cancel-load" onClick={cancelLoad}>
            Cancel
          </button>
        ) : null}
        <label className="backend-choice">
          Backend{' '}
          <select
            data-testid="backend-choice"
            value={environment.backend}
            onChange={(e) => setBackend(BACKEND_CHOICES.find((c) => c === e.target.value) ?? 'auto')}
          >
            {BACKEND_CHOICES.map((c) => (
              <option key={c} value={c}>
                {CHOICE_TEXT[c]}
              </option>
            ))}
          </select>
        </label>
      </div>
      {info?.fallbackReason ? (
        <p className="fallback" data-testid="fallback-reason">
          Running on WASM (the CPU) because {info.fallbackReason}. Every number below is real, just slower than on a
          GPU.
        </p>
      ) : null}
      {model.status === 'loading' && model.files.length > 0 ? (
        <ul className="files" aria-label="model files">
          {model.files.map((f) => (
            <FileRow key={f.file} file={f} />
          ))}
        </ul>
      ) : null}
      {model.status === 'error' && model.error ? (
        <p className="load-error" role="alert" data-testid="load-error">
          Could not load the model: {loadErrorText(model.error)}{' '}
          <button type="button" data-testid="load-retry" onClick={loadModel}>
            Retry
          </button>
        </p>
      ) : null}
      {model.status === 'cancelled' ? (
        <p className="load-cancelled" data-testid="load-cancelled">
          Loading cancelled.{' '}
          <button type="button" data-testid="load-retry" onClick={loadModel}>
            Load
          </button>
        </p>
      ) : null}
    </div>
  );
}
