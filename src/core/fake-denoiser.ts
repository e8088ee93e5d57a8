// A deterministic fake dLLM for tests and model-free demos: a pure function of (seed, ids). Committed positions
// predict themselves; masked ones predict a token drawn from a hash of the whole input, with EOS growing more
// likely towards the end. Confidences within a call are distinct (a random ranking) and never round decimals,
// so top-k orders and thresholds such as 0.9 are never ties. Entropy and margin, when asked for, are those of the
// distribution with that top-1 probability and the rest spread evenly over the other ids (so entropy falls as
// confidence rises, as a real model's roughly does, and is never 0).
import { createRng, shuffled } from './prng';
import type { Denoiser, HeadExtra, StepOutput } from './types';

export interface FakeDenoiserOptions {
  seed: number;
  vocab?: number; // default 40
  maskId?: number; // default 39
  eosId?: number; // default 1
  /** Chance that a masked position at relative position t in [0,1) predicts EOS is eosBias * t. Default 0.6. */
  eosBias?: number;
}

const GOLDEN_FRACTION = 0.3819660112501051; // irrational offset: (rank + it) / len is never a round decimal

function hashIds(seed: number, ids: Int32Array): number {
  let h = (seed ^ 0x811c9dc5) >>> 0;
  for (let i = 0; i < ids.length; i++) h = Math.imul(h ^ ids[i], 0x01000193) >>> 0;
  return h;
}

export function fakeDenoiser(options: FakeDenoiserOptions): Denoiser & { calls: number } {
  const vocab = options.vocab ?? 40;
  const maskId = options.maskId ?? 39;
  const eosId = options.eosId ?? 1;
  const eosBias = options.eosBias ?? 0.6;
  const fake = {
    calls: 0,
    async forward(ids: Int32Array, extras: readonly HeadExtra[] = []): Promise<StepOutput> {
      fake.calls++;
      const rng = createRng(hashIds(options.seed, ids));
      const len = ids.length;
      const top1 = new Int32Array(len);
      for (let i = 0; i < len; i++) {
        if (ids[i] !== maskId) top1[i] = ids[i];
        else if (rng() < (eosBias * i) / len) top1[i] = eosId;
        else {
          let t = Math.floor(rng() * (vocab - 1)); // any id but the mask
          if (t >= maskId) t++;
          top1[i] = t;
        }
      }
      const rank = shuffled(
        Array.from({ length: len }, (_, i) => i),
        rng,
      );
      const conf = new Float32Array(len);
      for (let i = 0; i < len; i++) conf[i] = 0.01 + (0.98 * (rank[i] + GOLDEN_FRACTION)) / len;
      const out: StepOutput = { top1, conf };
      const rest = (c: number) => (1 - c) / (vocab - 1); // each other id's probability
      if (extras.includes('entropy')) out.entropy = conf.map((c) => -c * Math.log(c) - (1 - c) * Math.log(rest(c)));
      if (extras.includes('margin')) out.margin = conf.map((c) => Math.abs(c - rest(c)));
      return out;
    },
  };
  return fake;
}
