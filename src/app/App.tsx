// Layout only: the model bar on top, then either the comparison (prompt, settings, panes, replay, chart,
// explanation) or the benchmark view.
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
import { Tabs } from './components/Tabs';
import { useApp } from './use-app';
import { usePaneIds } from './use-pane-ids';

export function App() {
  const view = useApp((s) => s.view);
  const paneIds = usePaneIds();
  return (
    <div className="app">
      <header className="topbar">
        <h1 className="brand" title="Learned parallel decoding for a diffusion language model, running on your machine">
          Learn2PD <span>in the browser</span>
        </h1>
        <Tabs />
        <ModelBar />
      </header>
      <Notices />
      {view === 'compare' ? (
        <main className="compare">
          <div className="controls">
            <PromptBox />
            <SettingsPanel />
          </div>
          <Summary />
          <div className={`panes panes-${paneIds.length}`}>
            {paneIds.map((id) => (
              <PaneView key={id} id={id} columns={paneIds.length >= 3 ? 8 : 16} />
            ))}
          </div>
          <ReplayBar />
          <div className="below">
            <div className="charts">
              <StepChart />
              <SummaryBars />
            </div>
            <Explainer />
          </div>
        </main>
      ) : (
        <main>
          <BenchView />
        </main>
      )}
      <PlaybackClock />
    </div>
  );
}
