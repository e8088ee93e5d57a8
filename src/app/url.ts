// Settings, prompt, backend and view in the query string, so a teacher can share a link that restores them.
// Parsing refuses each bad value with a message and keeps that setting's default; serializing writes only what
// differs from the defaults, so links stay short.

import { isOneOf } from '../worker/fields';
import { BACKEND_CHOICES } from '../worker/protocol';
import {
  BLOCK_LENGTHS,
  DEFAULT_ENVIRONMENT,
  DEFAULT_SETTINGS,
  type Environment,
  GEN_LENGTHS,
  MAX_PROMPT_CHARS,
  MODEL_NAME,
  type Settings,
  SPEEDS,
  THIRD_PANES,
  VARIANT_NAME,
} from './settings';

export const VIEWS = ['compare', 'bench'] as const;
export type View = (typeof VIEWS)[number];

export interface UrlState {
  settings: Settings;
  environment: Environment;
  prompt: string | null;
  view: View;
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

  const block = get('block');
  if (block !== null) {
    const n = parseNumber(block);
    if (n === null || !BLOCK_LENGTHS.some((b) => b === n))
      refuse('block', block, `the block length must be one of ${BLOCK_LENGTHS.join(', ')}`);
    else settings.blockLength = n;
  }
  const gen = get('gen');
  if (gen !== null) {
    const n = parseNumber(gen);
    // One of the lengths the settings menu offers, so what the link sets is what the page shows.
    if (n === null || !GEN_LENGTHS.some((g) => g === n))
      refuse('gen', gen, `the canvas length must be one of ${GEN_LENGTHS.join(', ')}`);
    else if (settings.blockLength !== null && n % settings.blockLength !== 0)
      refuse('gen', gen, `the canvas length must be a multiple of the block length ${settings.blockLength}`);
    else settings.genLength = n;
  }
  const tau = get('tau');
  if (tau !== null) {
    const n = parseNumber(tau);
    if (n === null || n <= 0 || n > 1) refuse('tau', tau, 'the threshold must be a number above 0 and at most 1');
    else settings.tau = n;
  }
  const tauf = get('tauf');
  if (tauf !== null) {
    const n = parseNumber(tauf);
    if (n === null || n < 0 || n > 1) refuse('tauf', tauf, "the filter's threshold must be a number from 0 to 1");
    else settings.tauFilter = n;
  }
  const eotp = get('eotp');
  if (eotp !== null) {
    const b = parseFlag(eotp);
    if (b === null) refuse('eotp', eotp, 'use 1 or 0');
    else settings.eotp = b;
  }
  const ref = get('ref');
  if (ref !== null) {
    const b = parseFlag(ref);
    if (b === null) refuse('ref', ref, 'use 1 or 0');
    else settings.reference = b;
  }
  const speed = get('speed');
  if (speed !== null) {
    if (!isOneOf(speed, SPEEDS)) refuse('speed', speed, `use one of ${SPEEDS.join(', ')}`);
    else settings.speed = speed;
  }
  const third = get('third');
  if (third !== null) {
    if (!isOneOf(third, THIRD_PANES)) refuse('third', third, `use one of ${THIRD_PANES.join(', ')}`);
    else settings.third = third;
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
  return { settings, environment, prompt, view, errors };
}

/** The query string for this state (leading '?', or '' when everything is default). */
export function toSearch(state: Omit<UrlState, 'errors'>): string {
  const params = new URLSearchParams();
  const { settings: s, environment: e } = state;
  const d = DEFAULT_SETTINGS;
  if (state.prompt !== null && state.prompt.length > 0 && state.prompt.length <= MAX_PROMPT_CHARS)
    params.set('p', state.prompt);
  if (s.genLength !== d.genLength && s.genLength !== null) params.set('gen', String(s.genLength));
  if (s.blockLength !== d.blockLength && s.blockLength !== null) params.set('block', String(s.blockLength));
  if (s.tau !== d.tau) params.set('tau', String(s.tau));
  if (s.tauFilter !== d.tauFilter && s.tauFilter !== null) params.set('tauf', String(s.tauFilter));
  if (s.eotp !== d.eotp) params.set('eotp', s.eotp ? '1' : '0');
  if (s.reference !== d.reference) params.set('ref', s.reference ? '1' : '0');
  if (s.speed !== d.speed) params.set('speed', s.speed);
  if (s.third !== d.third) params.set('third', s.third);
  if (e.backend !== DEFAULT_ENVIRONMENT.backend) params.set('backend', e.backend);
  if (e.model !== DEFAULT_ENVIRONMENT.model) params.set('model', e.model);
  if (e.variant !== null) params.set('variant', e.variant);
  if (state.view !== 'compare') params.set('view', state.view);
  const text = params.toString();
  return text.length === 0 ? '' : `?${text}`;
}
