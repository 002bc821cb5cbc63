// STAND-IN for the generated client (the `typescript` feature). A minimal ES module that
// implements only what the demo's pages need of Astro's client protocol:
//
//   - `actions.<namespace>.<name>(input)` POSTs to `/_actions/<namespace>.<name>`: a FormData
//     as it is (multipart), anything else as JSON (`Content-Type: application/json`), with
//     `Accept: application/json`, as Astro's client does;
//   - it resolves to `{ data, error }`, never throws for an action error (Astro's shape);
//   - `data` is the devalue-parsed body of a 200 (objects, arrays, strings, numbers,
//     booleans, null, undefined, NaN, ±Infinity, -0 and Date: what the demo returns), or
//     `undefined` for a 204;
//   - `error` is an `ActionError` with `code`, `status`, `message`, and for an input error
//     (`isInputError(error)`) the per-field messages in `fields`.
//
// Served by `actions_client_module` in examples/demo/app.rs.

export class ActionError extends Error {
  constructor({ code, message, status, type, issues, fields }) {
    super(message);
    this.name = type || "AstroActionError";
    this.code = code;
    this.status = status;
    if (type === "AstroActionInputError") {
      this.issues = issues || [];
      this.fields = fields || {};
    }
  }
}

export function isInputError(error) {
  return error instanceof ActionError && error.name === "AstroActionInputError";
}

// devalue's `parse`, reduced to the shapes above.
function parseDevalue(text) {
  const parsed = JSON.parse(text);
  if (typeof parsed === "number") return special(parsed);
  const values = parsed;
  const hydrated = new Array(values.length);
  const done = new Array(values.length).fill(false);

  function special(index) {
    switch (index) {
      case -1: return undefined;
      case -3: return NaN;
      case -4: return Infinity;
      case -5: return -Infinity;
      case -6: return -0;
      default: throw new Error(`unsupported devalue value ${index}`);
    }
  }

  function hydrate(index) {
    if (index < 0) return special(index);
    if (done[index]) return hydrated[index];
    const value = values[index];
    let out;
    if (value === null || typeof value !== "object") {
      out = value;
    } else if (Array.isArray(value)) {
      if (typeof value[0] === "string") {
        if (value[0] !== "Date") throw new Error(`unsupported devalue type ${value[0]}`);
        out = new Date(value[1]);
      } else {
        out = value.map(hydrate);
      }
    } else {
      out = {};
      for (const key of Object.keys(value)) out[key] = hydrate(value[key]);
    }
    hydrated[index] = out;
    done[index] = true;
    return out;
  }

  return hydrate(0);
}

async function callAction(name, input) {
  const headers = new Headers({ Accept: "application/json" });
  let body = input;
  if (!(input instanceof FormData)) {
    body = input === undefined ? undefined : JSON.stringify(input);
    if (body) headers.set("Content-Type", "application/json");
    else headers.set("Content-Length", "0");
  }
  const response = await fetch(`/_actions/${name}`, { method: "POST", body, headers });
  if (response.status === 204) return { data: undefined, error: undefined };
  const text = await response.text();
  if (response.ok) return { data: parseDevalue(text), error: undefined };
  let json;
  try {
    json = JSON.parse(text);
  } catch {
    json = { code: "INTERNAL_SERVER_ERROR", message: text || response.statusText };
  }
  return { data: undefined, error: new ActionError({ status: response.status, ...json }) };
}

// `actions.guestbook.like(input)` calls `guestbook.like`: any depth of namespaces.
function namespace(path) {
  const call = (input) => callAction(path.join("."), input);
  return new Proxy(call, {
    // Not `then`: an awaited namespace must not look like a promise.
    get: (_, key) =>
      typeof key === "string" && key !== "then" ? namespace([...path, key]) : undefined,
  });
}

export const actions = namespace([]);
