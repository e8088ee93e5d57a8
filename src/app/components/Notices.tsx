// Messages about refused input (a bad value in the link, an empty prompt...), each dismissable, and the one
// message that asks something: a new build of the app is ready.
import { useApp } from '../use-app';

export function Notices() {
  const notices = useApp((s) => s.notices);
  const dismiss = useApp((s) => s.dismissNotice);
  const update = useApp((s) => s.offline.update);
  const applyUpdate = useApp((s) => s.applyUpdate);
  return (
    <>
      {update ? (
        <p className="notice update" role="status" data-testid="update-ready">
          <span>A new version of the app is ready (it is stored for offline use too).</span>
          <button type="button" data-testid="update-reload" onClick={applyUpdate}>
            Reload to use it
          </button>
        </p>
      ) : null}
      {notices.length > 0 ? (
        <ul className="notices" data-testid="notices">
          {notices.map((text, i) => (
            <li key={`${i}-${text}`} className="notice" role="status">
              <span>{text}</span>
              <button type="button" aria-label="Dismiss" onClick={() => dismiss(i)}>
                ×
              </button>
            </li>
          ))}
        </ul>
      ) : null}
    </>
  );
}
