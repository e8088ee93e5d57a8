// Settings, prompt, backend and view in the query string, so a teacher can share a link that restores them (and,
// with `run=1`, starts the comparison once the model is ready). Parsing refuses each bad value with a message and
// keeps that setting's default; serializing writes only what differs from the defaults, so links stay short.
// Each key's rule is written once, in PARAMS.
import { CACHE_MODES, FILTER_NAME_PATTERN, inKnobRange, KNOB_RANGES } from '../core';
import { isOneOf } from '../worker/fields';
import { BACKEND_CHOICES, MAX_PROMPT_CHARS, MAX_WASM_THREADS } from '../worker/protocol';
import {
  BLOCK_LENGTHS,
  CLOCK_RUN_CHOICES,
  COMPARISONS,
  DEFAULT_ENVIRONMENT,
  DEFAULT_SETTINGS,
  type Environment,
  EOTP_RULES,
  GEN_LENGTHS,
  HEURISTICS,
  MODEL_NAME,
  type Settings,
  SPEEDS,
  THIRD_PANES,
  VARIANT_NAME,
} from './settings';

export const VIEWS = ['compare', 'bench', 'train'] as const;
export type View = (typeof VIEWS)[number];

export interface UrlState {
  settings: Settings;
  environment: Environment;
  prompt: string | null;
  view: View;
  /** The link asks to start the comparison once the model is ready (never written back). */
  run: boolean;
  /** One line per refused value, for the notice above the app. */
  errors: string[];
}

function parseNumber(text: string): number | null {
  if (!/^-?(\d+\.?\d*|\.\d+)(e-?\d+)?$/i.test(text.trim())) return null;
  const n = Number(text);
  return Number.isFinite(n) ? n : null;
}

function parseFlag(text: string): boolean | null {
  if (text === '1' || text === 'true' || text === 'on') return true;
  if (text === '0' || text === 'false' || text === 'off') return false;
  return null;
}

/** What reading one value of the link gives: the setting's value, or why it was refused. */
type Read<T> = { ok: true; value: T } | { ok: false; why: string };
const ok = <T>(value: T): Read<T> => ({ ok: true, value });
const no = (why: string): Read<never> => ({ ok: false, why });

/** One setting's link rule, typed by its field: read the link's text into it, write it back when not the default. */
interface Param {
  key: string;
  /** Sets the field from the link's text; returns why it cannot (the field keeps its default). */
  apply(text: string, settings: Settings): string | null;
  /** The field's text for a link; null when it is the default. */
  write(settings: Settings): string | null;
}

function param<K extends keyof Settings>(
  key: string,
  field: K,
  read: (text: string, settings: Settings) => Read<Settings[K]>,
  write: (value: NonNullable<Settings[K]>) => string = String,
): Param {
  return {
    key,
    apply(text, settings) {
      const r = read(text, settings);
      if (!r.ok) return r.why;
      settings[field] = r.value;
      return null;
    },
    write(settings) {
      const value = settings[field];
      return value === DEFAULT_SETTINGS[field] || value === null || value === undefined ? null : write(value);
    },
  };
}

const oneOf =
  <T extends string>(allowed: readonly T[]) =>
  (text: string): Read<T> =>
    isOneOf(text, allowed) ? ok(text) : no(`use one of ${allowed.join(', ')}`);
const flag = (text: string): Read<boolean> => {
  const b = parseFlag(text);
  return b === null ? no('use 1 or 0') : ok(b);
};
const writeFlag = (b: boolean) => (b ? '1' : '0');

const number =
  (test: (n: number) => boolean, why: string) =>
  (text: string): Read<number> => {
    const n = parseNumber(text);
    return n !== null && test(n) ? ok(n) : no(why);
  };

const PARAMS: readonly Param[] = [
  param(
    'block',
    'blockLength',
    number((n) => BLOCK_LENGTHS.some((b) => b === n), `the block length must be one of ${BLOCK_LENGTHS.join(', ')}`),
  ),
  param('gen', 'genLength', (t, s) => {
    const n = parseNumber(t);
    // One of the lengths the settings menu offers, so what the link sets is what the page shows.
    if (n === null || !GEN_LENGTHS.some((g) => g === n))
      return no(`the canvas length must be one of ${GEN_LENGTHS.join(', ')}`);
    if (s.blockLength !== null && n % s.blockLength !== 0)
      return no(`the canvas length must be a multiple of the block length ${s.blockLength}`);
    return ok(n);
  }),
  param('cmp', 'comparison', oneOf(COMPARISONS)),
  param('left', 'heuristic', oneOf(HEURISTICS)),
  param('rule', 'rule', oneOf(EOTP_RULES)),
  param(
    'tau',
    'tau',
    number((n) => n > 0 && n <= 1, 'the threshold must be a number above 0 and at most 1'),
  ),
  param(
    'f',
    'factor',
    number(
      (n) => inKnobRange(n, KNOB_RANGES.factor),
      `the factor must be above 0 and at most ${KNOB_RANGES.factor.max}`,
    ),
  ),
  param(
    'gamma',
    'gamma',
    number(
      (n) => inKnobRange(n, KNOB_RANGES.gamma),
      `the entropy bound must be a number from 0 to ${KNOB_RANGES.gamma.max}`,
    ),
  ),
  param(
    'tauf',
    'tauFilter',
    number((n) => inKnobRange(n, KNOB_RANGES.tauFilter), "the filter's threshold must be a number from 0 to 1"),
  ),
  param('filter', 'filter', (t) =>
    FILTER_NAME_PATTERN.test(t) ? ok(t) : no("a filter is a name from the model's dllm.json, such as paper or slot"),
  ),
  param('eotp', 'eotp', flag, writeFlag),
  param('cache', 'cache', oneOf(CACHE_MODES)),
  param('ref', 'reference', flag, writeFlag),
  param('speed', 'speed', oneOf(SPEEDS)),
  param('third', 'third', oneOf(THIRD_PANES)),
  param(
    'clock',
    'clockRuns',
    number((n) => CLOCK_RUN_CHOICES.includes(n), `the clock runs must be one of ${CLOCK_RUN_CHOICES.join(', ')}`),
  ),
  param('present', 'present', flag, writeFlag),
];

export function parseUrl(search: string): UrlState {
  const params = new URLSearchParams(search);
  const settings: Settings = { ...DEFAULT_SETTINGS };
  const environment: Environment = { ...DEFAULT_ENVIRONMENT };
  const errors: string[] = [];
  let prompt: string | null = null;
  let view: View = 'compare';
  const refuse = (key: string, value: string, why: string) =>
    errors.push(
      `Ignored ${key}=${value.length > 40 ? `${value.slice(0, 40)}…` : value} from the link: ${why}. Using the default.`,
    );
  const get = (key: string) => params.get(key);

  for (const p of PARAMS) {
    const text = get(p.key);
    const why = text === null ? null : p.apply(text, settings);
    if (text !== null && why !== null) refuse(p.key, text, why);
  }
  const backend = get('backend');
  if (backend !== null) {
    if (!isOneOf(backend, BACKEND_CHOICES)) refuse('backend', backend, `use one of ${BACKEND_CHOICES.join(', ')}`);
    else environment.backend = backend;
  }
  const model = get('model');
  if (model !== null) {
    if (!MODEL_NAME.test(model))
      refuse('model', model, 'a model is a folder name under ./models/ (letters, digits, . _ -)');
    else environment.model = model;
  }
  const variant = get('variant');
  if (variant !== null) {
    if (!VARIANT_NAME.test(variant))
      refuse('variant', variant, 'a variant is a name from dllm.json such as fp32, q8 or q4');
    else environment.variant = variant;
  }
  const threads = get('threads');
  if (threads !== null) {
    const n = Number(threads);
    if (!Number.isInteger(n) || n < 1 || n > MAX_WASM_THREADS)
      refuse('threads', threads, `the WebAssembly thread count is a whole number from 1 to ${MAX_WASM_THREADS}`);
    else environment.threads = n;
  }
  const p = get('p');
  if (p !== null) {
    if (p.length > MAX_PROMPT_CHARS)
      refuse('p', p, `the prompt is ${p.length} characters; at most ${MAX_PROMPT_CHARS} fit in a link`);
    else prompt = p;
  }
  const v = get('view');
  if (v !== null) {
    if (!isOneOf(v, VIEWS)) refuse('view', v, `use one of ${VIEWS.join(', ')}`);
    else view = v;
  }
  const run = get('run');
  if (run !== null && parseFlag(run) === null) refuse('run', run, 'use 1 or 0');
  return { settings, environment, prompt, view, run: run !== null && parseFlag(run) === true, errors };
}

/** The query string for this state (leading '?', or '' when everything is default); `run` adds `run=1`. */
export function toSearch(state: Omit<UrlState, 'errors' | 'run'>, run = false): string {
  const params = new URLSearchParams();
  const { settings: s, environment: e } = state;
  if (state.prompt !== null && state.prompt.length > 0 && state.prompt.length <= MAX_PROMPT_CHARS)
    params.set('p', state.prompt);
  for (const p of PARAMS) {
    const text = p.write(s);
    if (text !== null) params.set(p.key, text);
  }
  if (e.backend !== DEFAULT_ENVIRONMENT.backend) params.set('backend', e.backend);
  if (e.model !== DEFAULT_ENVIRONMENT.model) params.set('model', e.model);
  if (e.variant !== null) params.set('variant', e.variant);
  if (e.threads !== null) params.set('threads', String(e.threads));
  if (state.view !== 'compare') params.set('view', state.view);
  if (run) params.set('run', '1');
  const text = params.toString();
  return text.length === 0 ? '' : `?${text}`;
}
