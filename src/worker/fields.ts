// A small, cast-free reader for untrusted message data: each getter checks one field's type and range and throws
// SchemaError naming the field's path ("run.canvas.genLength"), so a malformed message gets a precise answer.
// protocol.ts writes one reader per message with it; TypeScript checks each reader returns its message type.

export class SchemaError extends Error {
  override name = 'SchemaError';
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string')
    return value.length > 40 ? `a string of ${value.length} characters` : JSON.stringify(value);
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return typeof value === 'object' ? (value.constructor?.name ?? 'an object') : typeof value;
}

export function isOneOf<T extends string>(value: unknown, allowed: readonly T[]): value is T {
  return allowed.some((a) => a === value);
}

function isRecord(value: unknown): value is object {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !ArrayBuffer.isView(value);
}

interface NumberRange {
  min?: number;
  above?: number; // an open lower bound: the value must be greater
  max?: number;
}

/** A view of one plain object whose fields are read with a check each. */
export class Fields {
  private constructor(
    private readonly value: object,
    readonly path: string,
  ) {}

  static of(value: unknown, path: string): Fields {
    if (!isRecord(value)) throw new SchemaError(`${path} must be an object, got ${describe(value)}`);
    return new Fields(value, path);
  }

  private at(key: string): string {
    return `${this.path}.${key}`;
  }

  /** The raw value of a field; undefined when absent. */
  raw(key: string): unknown {
    if (!Object.hasOwn(this.value, key)) return undefined;
    const v: unknown = Reflect.get(this.value, key);
    return v;
  }

  has(key: string): boolean {
    return this.raw(key) !== undefined;
  }

  string(key: string, maxLength = 10_000): string {
    const v = this.raw(key);
    if (typeof v !== 'string') throw new SchemaError(`${this.at(key)} must be a string, got ${describe(v)}`);
    if (v.length > maxLength)
      throw new SchemaError(`${this.at(key)} is ${v.length} characters long; at most ${maxLength} are accepted`);
    return v;
  }

  nullableString(key: string, maxLength = 10_000): string | null {
    return this.raw(key) === null ? null : this.string(key, maxLength);
  }

  number(key: string, range: NumberRange = {}): number {
    const v = this.raw(key);
    if (typeof v !== 'number' || !Number.isFinite(v))
      throw new SchemaError(`${this.at(key)} must be a finite number, got ${describe(v)}`);
    if (range.min !== undefined && v < range.min)
      throw new SchemaError(`${this.at(key)} must be >= ${range.min}, got ${v}`);
    if (range.above !== undefined && v <= range.above)
      throw new SchemaError(`${this.at(key)} must be > ${range.above}, got ${v}`);
    if (range.max !== undefined && v > range.max)
      throw new SchemaError(`${this.at(key)} must be <= ${range.max}, got ${v}`);
    return v;
  }

  nullableNumber(key: string, range: NumberRange = {}): number | null {
    return this.raw(key) === null ? null : this.number(key, range);
  }

  int(key: string, range: NumberRange = {}): number {
    const v = this.number(key, range);
    if (!Number.isInteger(v)) throw new SchemaError(`${this.at(key)} must be an integer, got ${v}`);
    return v;
  }

  optionalInt(key: string, range: NumberRange = {}): number | undefined {
    return this.raw(key) === undefined ? undefined : this.int(key, range);
  }

  nullableInt(key: string, range: NumberRange = {}): number | null {
    return this.raw(key) === null ? null : this.int(key, range);
  }

  boolean(key: string): boolean {
    const v = this.raw(key);
    if (typeof v !== 'boolean') throw new SchemaError(`${this.at(key)} must be true or false, got ${describe(v)}`);
    return v;
  }

  oneOf<T extends string>(key: string, allowed: readonly T[]): T {
    const v = this.raw(key);
    if (!isOneOf(v, allowed))
      throw new SchemaError(`${this.at(key)} must be one of ${allowed.join(', ')}, got ${describe(v)}`);
    return v;
  }

  literal<T extends string | boolean>(key: string, expected: T): T {
    const v = this.raw(key);
    if (v !== expected) throw new SchemaError(`${this.at(key)} must be ${String(expected)}, got ${describe(v)}`);
    return expected;
  }

  object<T>(key: string, read: (fields: Fields) => T): T {
    return read(Fields.of(this.raw(key), this.at(key)));
  }

  nullableObject<T>(key: string, read: (fields: Fields) => T): T | null {
    return this.raw(key) === null ? null : this.object(key, read);
  }

  /** An array whose items are read by `read(item, path)`; refuses more than `maxLength` items. */
  array<T>(key: string, read: (item: unknown, path: string) => T, maxLength = 100_000): T[] {
    const v = this.raw(key);
    if (!Array.isArray(v)) throw new SchemaError(`${this.at(key)} must be an array, got ${describe(v)}`);
    if (v.length > maxLength)
      throw new SchemaError(`${this.at(key)} has ${v.length} items; at most ${maxLength} are accepted`);
    const items: unknown[] = v;
    return items.map((item, i) => read(item, `${this.at(key)}[${i}]`));
  }

  int32Array(key: string): Int32Array {
    const v = this.raw(key);
    if (!(v instanceof Int32Array)) throw new SchemaError(`${this.at(key)} must be an Int32Array, got ${describe(v)}`);
    return v;
  }

  uint8Array(key: string, maxLength: number): Uint8Array {
    const v = this.raw(key);
    if (!(v instanceof Uint8Array)) throw new SchemaError(`${this.at(key)} must be a Uint8Array, got ${describe(v)}`);
    if (v.byteLength > maxLength)
      throw new SchemaError(`${this.at(key)} holds ${v.byteLength} bytes; at most ${maxLength} are accepted`);
    return v;
  }

  float32Array(key: string): Float32Array {
    const v = this.raw(key);
    if (!(v instanceof Float32Array))
      throw new SchemaError(`${this.at(key)} must be a Float32Array, got ${describe(v)}`);
    return v;
  }
}

/** Readers for array items that are plain values. */
export function itemString(maxLength = 10_000) {
  return (item: unknown, path: string): string => {
    if (typeof item !== 'string') throw new SchemaError(`${path} must be a string, got ${describe(item)}`);
    if (item.length > maxLength)
      throw new SchemaError(`${path} is ${item.length} characters long; at most ${maxLength} are accepted`);
    return item;
  };
}

/** A reader for array items that are whole numbers from 0 to `max`. */
export function itemInt(max: number) {
  return (item: unknown, path: string): number => {
    if (typeof item !== 'number' || !Number.isInteger(item) || item < 0 || item > max)
      throw new SchemaError(`${path} must be a whole number from 0 to ${max}, got ${describe(item)}`);
    return item;
  };
}

/** A reader for array items that must be one of `values`. */
export function itemOneOf<T extends string>(values: readonly T[]) {
  return (item: unknown, path: string): T => {
    const found = values.find((v) => v === item);
    if (found === undefined)
      throw new SchemaError(`${path} must be one of ${values.join(', ')}, got ${describe(item)}`);
    return found;
  };
}

export function itemFields<T>(read: (fields: Fields) => T) {
  return (item: unknown, path: string): T => read(Fields.of(item, path));
}
