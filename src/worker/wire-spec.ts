// The readers of the canvas and decoder specs that requests and messages carry (wire-check.ts uses them).
import { CACHE_MODES, DECODER_NAMES, type DecoderSpec, EOTP_SCOPES, KNOB_RANGES } from '../core';
import { type Fields, itemInt, SchemaError } from './fields';
import { type Canvas, MAX_GEN_LENGTH } from './protocol';

/** A window forward's canvas positions [start, end). */
export function readWindow(f: Fields): [number, number] {
  const [start, end] = f.array('window', itemInt(MAX_GEN_LENGTH), 2);
  if (start === undefined || end === undefined || end <= start)
    throw new SchemaError(`window must be [start, end) with start < end, got ${JSON.stringify(f.raw('window'))}`);
  return [start, end];
}

export function readCanvas(f: Fields): Canvas {
  return {
    genLength: f.int('genLength', { min: 1, max: MAX_GEN_LENGTH }),
    blockLength: f.int('blockLength', { min: 1, max: MAX_GEN_LENGTH }),
  };
}

export function readDecoderSpec(f: Fields): DecoderSpec {
  let spec = readDecoderKnobs(f);
  if (f.has('cache')) {
    const cache = f.oneOf('cache', CACHE_MODES);
    if (cache !== 'none') spec = { ...spec, cache };
  }
  return f.has('eotpScope') ? { ...spec, eotpScope: f.oneOf('eotpScope', EOTP_SCOPES) } : spec;
}

function readDecoderKnobs(f: Fields): DecoderSpec {
  const decoder = f.oneOf('decoder', DECODER_NAMES);
  switch (decoder) {
    case 'low_confidence': {
      const steps = f.optionalInt('steps', { min: 1, max: MAX_GEN_LENGTH });
      return steps === undefined ? { decoder, eotp: f.boolean('eotp') } : { decoder, eotp: f.boolean('eotp'), steps };
    }
    case 'threshold':
      return { decoder, eotp: f.boolean('eotp'), tau: f.number('tau', KNOB_RANGES.tau) };
    case 'factor':
      return { decoder, eotp: f.boolean('eotp'), factor: f.number('factor', KNOB_RANGES.factor) };
    case 'eb_sampler':
      return { decoder, eotp: f.boolean('eotp'), gamma: f.number('gamma', KNOB_RANGES.gamma) };
    case 'learn2pd': {
      const spec: DecoderSpec = {
        decoder,
        eotp: f.boolean('eotp'),
        tauFilter: f.number('tauFilter', KNOB_RANGES.tauFilter),
      };
      return f.has('filter') ? { ...spec, filter: f.string('filter', 100) } : spec;
    }
    case 'egp_oracle':
      return { decoder, eotp: f.literal('eotp', false) };
    default: {
      const exhaustive: never = decoder;
      return exhaustive;
    }
  }
}
