// Settings slice: the comparison's settings, the prompt, the view, and notices about refused input.
import { MAX_PROMPT_CHARS } from '../../worker/protocol';
import { DEFAULT_SETTINGS } from '../settings';
import type { AppDeps, GetState, SetState, SettingsSlice } from './types';

export function createSettingsSlice(set: SetState, get: GetState, deps: AppDeps): SettingsSlice {
  return {
    settings: DEFAULT_SETTINGS,
    prompt: '',
    view: 'compare',
    notices: [],
    promptCount: null,
    setSetting(key, value) {
      set({ settings: { ...get().settings, [key]: value } });
    },
    setPrompt(prompt) {
      set({ prompt });
    },
    async countPrompt() {
      const { prompt, model } = get();
      if (model.status !== 'ready' || prompt.length > MAX_PROMPT_CHARS) return;
      try {
        const count = await deps.engine.countTokens(prompt);
        if (get().prompt === prompt) set({ promptCount: { prompt, ...count } });
      } catch {
        // The count is a hint; a failed one (worker busy restarting) just leaves the last.
      }
    },
    setView(view) {
      set({ view });
    },
    dismissNotice(index) {
      set({ notices: get().notices.filter((_, i) => i !== index) });
    },
  };
}
