// Messages about refused input (a bad value in the link, an empty prompt...), each dismissable.
import { useApp } from '../use-app';

export function Notices() {
  const notices = useApp((s) => s.notices);
  const dismiss = useApp((s) => s.dismissNotice);
  if (notices.length === 0) return null;
  return (
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
  );
}
