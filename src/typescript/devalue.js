// ---- devalue `parse`, written for tower-actions ----

const UNDEFINED = -1;
const HOLE = -2;
const NAN = -3;
const POSITIVE_INFINITY = -4;
const NEGATIVE_INFINITY = -5;
const NEGATIVE_ZERO = -6;
const SPARSE = -7;

const TYPED_ARRAYS = [
  'Int8Array',
  'Uint8Array',
  'Uint8ClampedArray',
  'Int16Array',
  'Uint16Array',
  'Int32Array',
  'Uint32Array',
  'Float32Array',
  'Float64Array',
  'BigInt64Array',
  'BigUint64Array',
];

/** The bytes of a base64 text, as an `ArrayBuffer`. */
function decodeBase64(text) {
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) {
    bytes[i] = binary.charCodeAt(i);
  }
  return bytes.buffer;
}

/**
 * Parses devalue text (what an action returns) back into the value, as devalue's `parse` does.
 * `revivers` maps a custom type name to a function of its revived payload (`{ URL: (href) => new URL(href) }`).
 */
export function parse(text, revivers = {}) {
  const root = JSON.parse(text);
  if (typeof root === 'number') {
    return special(root, true);
  }
  if (!Array.isArray(root) || root.length === 0) {
    throw new Error('Invalid input');
  }
  const values = root;
  const hydrated = new Array(values.length);
  const done = new Set();

  function special(index, standalone) {
    switch (index) {
      case UNDEFINED:
        return undefined;
      case NAN:
        return NaN;
      case POSITIVE_INFINITY:
        return Infinity;
      case NEGATIVE_INFINITY:
        return -Infinity;
      case NEGATIVE_ZERO:
        return -0;
      default:
        if (standalone) {
          throw new Error('Invalid input');
        }
        return hydrate(index);
    }
  }

  function set(index, value) {
    hydrated[index] = value;
    done.add(index);
    return value;
  }

  function hydrate(index) {
    if (typeof index !== 'number' || !Number.isInteger(index)) {
      throw new Error('Invalid input');
    }
    if (index < 0) {
      return special(index, true);
    }
    if (done.has(index)) {
      return hydrated[index];
    }
    if (index >= values.length) {
      throw new Error('Invalid input');
    }
    const value = values[index];
    if (value === null || typeof value !== 'object') {
      return set(index, value);
    }
    if (!Array.isArray(value)) {
      const object = set(index, {});
      for (const key of Object.keys(value)) {
        if (key === '__proto__') {
          throw new Error('Cannot parse an object with a `__proto__` property');
        }
        object[key] = hydrate(value[key]);
      }
      return object;
    }
    if (typeof value[0] === 'string') {
      return tagged(index, value);
    }
    if (value[0] === SPARSE) {
      const array = set(index, new Array(value[1]));
      for (let i = 2; i < value.length; i += 2) {
        array[value[i]] = hydrate(value[i + 1]);
      }
      return array;
    }
    const array = set(index, new Array(value.length));
    for (let i = 0; i < value.length; i++) {
      if (value[i] !== HOLE) {
        array[i] = hydrate(value[i]);
      }
    }
    return array;
  }

  function tagged(index, value) {
    const type = value[0];
    const reviver = Object.hasOwn(revivers, type) ? revivers[type] : undefined;
    if (reviver) {
      // The payload is a slot, or (older writers) the value itself, given its own slot.
      let payload = value[1];
      if (typeof payload !== 'number') {
        payload = values.push(value[1]) - 1;
      }
      return set(index, reviver(hydrate(payload)));
    }
    switch (type) {
      case 'Date':
        return set(index, new Date(value[1]));
      case 'Set': {
        const result = set(index, new Set());
        for (let i = 1; i < value.length; i++) {
          result.add(hydrate(value[i]));
        }
        return result;
      }
      case 'Map': {
        const result = set(index, new Map());
        for (let i = 1; i < value.length; i += 2) {
          result.set(hydrate(value[i]), hydrate(value[i + 1]));
        }
        return result;
      }
      case 'RegExp':
        return set(index, new RegExp(value[1], value[2]));
      case 'Object':
        return set(index, Object(typeof value[1] === 'number' ? hydrate(value[1]) : value[1]));
      case 'BigInt':
        return set(index, BigInt(value[1]));
      case 'null': {
        const result = set(index, Object.create(null));
        for (let i = 1; i < value.length; i += 2) {
          result[value[i]] = hydrate(value[i + 1]);
        }
        return result;
      }
      case 'URL':
        return set(index, new URL(value[1]));
      case 'URLSearchParams':
        return set(index, new URLSearchParams(value[1]));
      case 'ArrayBuffer':
        return set(index, decodeBase64(value[1]));
      case 'DataView': {
        const buffer = hydrate(value[1]);
        if (!(buffer instanceof ArrayBuffer)) {
          throw new Error('Invalid data');
        }
        return set(index, new DataView(buffer, value[2] ?? 0, value[3]));
      }
      default:
        if (TYPED_ARRAYS.includes(type)) {
          const buffer = hydrate(value[1]);
          if (!(buffer instanceof ArrayBuffer)) {
            throw new Error('Invalid data');
          }
          const TypedArray = globalThis[type];
          return set(
            index,
            value[2] !== undefined ? new TypedArray(buffer, value[2], value[3]) : new TypedArray(buffer),
          );
        }
        if (type.startsWith('Temporal.') && globalThis.Temporal) {
          const kind = globalThis.Temporal[type.slice('Temporal.'.length)];
          if (kind) {
            return set(index, kind.from(value[1]));
          }
        }
        throw new Error(`Unknown type ${type}`);
    }
  }

  return hydrate(0);
}
