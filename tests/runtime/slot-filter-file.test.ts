// The slot filter's file: written and read back to the same filter, and refused with what is wrong when it is
// another kind of file, names a feature this version does not read, or holds weights of the wrong shape.
import { describe, expect, it } from 'vitest';
import { parseSlotFilter, SlotFilterFileError, slotFilterFileText } from '../../src/runtime/slot-filter-file';

const weights = { w1: [[2, -1]], b1: [0.5], w2: [[1.5]], b2: [-0.25] };
const bytes = (text: string) => new TextEncoder().encode(text);

describe('slot filter file', () => {
  it('round-trips: the filter read back answers as its weights do', async () => {
    const filter = parseSlotFilter(bytes(slotFilterFileText(['log-odds', 'stable'], 32, weights)), 'f.json');
    expect(filter).toMatchObject({ kind: 'slot', blockLength: 32, features: ['log-odds', 'stable'] });
    const logits = await filter.logits({ confidence: [0.5], stable: [true] });
    // log-odds(0.5) = 0, stable = 1: relu(2 * 0 - 1 + 0.5) = 0, so the logit is b2.
    expect(Array.from(logits)).toEqual([-0.25]);
  });

  it.each([
    [new Uint8Array([8, 1, 18, 4]), /f.json is not JSON .*an ONNX filter listed as "slot"/],
    [bytes('{"format":"other"}'), /format must be "learn2pd-slot-filter\/1"/],
    [
      bytes(
        JSON.stringify({
          format: 'learn2pd-slot-filter/1',
          features: ['log-odds', 'colour'],
          blockLength: 32,
          weights,
        }),
      ),
      /unknown slot features "colour"/,
    ],
    [
      bytes(JSON.stringify({ format: 'learn2pd-slot-filter/1', features: ['log-odds'], blockLength: 32, weights })),
      /f.json: filter w1\[0\] must have 1 columns/,
    ],
    [
      bytes(JSON.stringify({ format: 'learn2pd-slot-filter/1', features: ['log-odds'], blockLength: 0, weights })),
      /blockLength must be a whole number >= 1/,
    ],
  ])('refuses a file that is not one (%#)', (file, message) => {
    expect(() => parseSlotFilter(file, 'f.json')).toThrow(SlotFilterFileError);
    expect(() => parseSlotFilter(file, 'f.json')).toThrow(message);
  });
});
