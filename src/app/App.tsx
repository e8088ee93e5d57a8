// Layout only: the model bar on top, then the comparison (prompt, settings, summary, panes, replay, charts,
// explanation), the benchmark view or the Train view, each a tab panel. Presentation mode keeps the prompt, the summary and the
// panes (large slots, one screen at 1280x720) and drops the settings, charts and explanation.
import { BenchView } from './components/BenchView';
import { Explainer } from './components/Explainer';
import { ModelBar } from './components/ModelBar';
import { Notices } from './components/Notices';
import { PaneView } from './components/PaneView';
import { PlaybackClock } from './components/PlaybackClock';
import { PromptBox } from './components/PromptBox';
import { ReplayBar } from './components/ReplayBar';
import { SettingsPanel } from './components/SettingsPanel';
import { StepChart } from './components/StepChart';
import { Summary } from './components/Summary';
import { SummaryBars } from './components/SummaryBars';
import { Tabs, tabIds } from './components/Tabs';
import { TrainView } from './components/TrainView';
import { useApp } from './use-app';
import { usePaneIds } from './use-pane-ids';

/** Which build this is, when the build was given a label (VITE_BUILD_LABEL): tests tell two builds apart by it. */
const BUILD_LABEL = String(import.meta.env.VITE_BUILD_LABEL ?? '');

/** Presentation mode on or off (also `?present=1`). */
function PresentToggle() {
  const present = useApp((s) => s.settings.present);
  const set = useApp((s) => s.setSetting);
  return (
    <button
      type="button"
      className="present-toggle"
      data-testid="present"
      aria-pressed={present}
      title="Presentation mode: large slots, the panes and their answers on one screen"
      onClick={() => set('present', !present)}
    >
      {present ? 'Exit presentation' : 'Present'}
    </button>
  );
}

export function App() {
  const view = useApp((s) => s.view);
  const present = useApp((s) => s.settings.present);
  const paneIds = usePaneIds();
  const ids = tabIds(view);
  return (
    <div className={present ? 'app present' : 'app'} data-build={BUILD_LABEL}>
      <header className="topbar">
        <h1 className="brand" title="Learned parallel decoding for a diffusion language model, running on your machine">
          Learn2PD <span>in the browser</span>
        </h1>
        <Tabs />
        <PresentToggle />
        <ModelBar />
      </header>
      <Notices />
      {view === 'compare' ? (
        <main className="compare" role="tabpanel" id={ids.panel} aria-labelledby={ids.tab}>
          <div className="controls">
            <PromptBox />
            {present ? null : <SettingsPanel />}
          </div>
          <Summary />
          <div className={`panes panes-${paneIds.length}`}>
            {paneIds.map((id) => (
              <PaneView key={id} id={id} />
            ))}
          </div>
          <ReplayBar />
          {present ? null : (
            <div className="below">
              <div className="charts">
                <StepChart />
                <SummaryBars />
              </div>
              <Explainer />
            </div>
          )}
        </main>
      ) : (
        <main role="tabpanel" id={ids.panel} aria-labelledby={ids.tab}>
          {view === 'bench' ? <BenchView /> : <TrainView />}
        </main>
      )}
      <PlaybackClock />
    </div>
  );
}
