// ---- runtime: Astro's client API (protocol §9) ----

const statusToCodeMap = {};
for (const [code, status] of Object.entries(codeToStatusMap)) {
  statusToCodeMap[status] = code;
}

/** An action's failure: a code, its HTTP status, and a message (Astro's `ActionError`). */
export class ActionError extends Error {
  type = 'AstroActionError';
  code = 'INTERNAL_SERVER_ERROR';
  status = 500;

  constructor(params) {
    super(params.message);
    this.code = params.code;
    this.status = ActionError.codeToStatus(params.code);
    if (params.stack) {
      this.stack = params.stack;
    }
  }

  /** The HTTP status of a code (`undefined` for an unknown code). */
  static codeToStatus(code) {
    return codeToStatusMap[code];
  }

  /** The code of an HTTP status; `INTERNAL_SERVER_ERROR` when no code has it. */
  static statusToCode(status) {
    return statusToCodeMap[status] ?? 'INTERNAL_SERVER_ERROR';
  }

  /** The error an error body describes: an input error, an action error, or `INTERNAL_SERVER_ERROR`. */
  static fromJson(body) {
    if (isInputError(body)) {
      return new ActionInputError(body.issues);
    }
    if (isActionError(body)) {
      return new ActionError(body);
    }
    return new ActionError({ code: 'INTERNAL_SERVER_ERROR' });
  }
}

/** The input failed validation: `BAD_REQUEST`, with the issues and each field's messages. */
export class ActionInputError extends ActionError {
  type = 'AstroActionInputError';

  constructor(issues) {
    super({ message: `Failed to validate: ${JSON.stringify(issues, null, 2)}`, code: 'BAD_REQUEST' });
    this.issues = issues;
    const fields = {};
    for (const issue of issues) {
      if (issue.path.length > 0) {
        const key = String(issue.path[0]);
        (fields[key] ??= []).push(issue.message);
      }
    }
    this.fields = fields;
  }
}

/** Whether `error` is an action error (`type === 'AstroActionError'`; not an input error). */
export function isActionError(error) {
  return (
    typeof error === 'object' && error != null && 'type' in error && error.type === 'AstroActionError'
  );
}

/** Whether `error` is an input error (`type === 'AstroActionInputError'` with an `issues` array). */
export function isInputError(error) {
  return (
    typeof error === 'object' &&
    error != null &&
    'type' in error &&
    error.type === 'AstroActionInputError' &&
    'issues' in error &&
    Array.isArray(error.issues)
  );
}

const config = {};

/** Sets options for every call: `{origin, headers, fetch, signal}` (an option of a call wins; headers are merged). */
export function configureActions(options) {
  Object.assign(config, options);
}

const PATH = Symbol('tower-actions.path');

/** The RPC path of an action: `/_actions/blog.like/` (Astro's `getActionPath`). */
export function getActionPath(action) {
  return action[PATH];
}

/** An object's entries as form entries: arrays repeated, files as they are, `null`/`undefined` left out. */
function toFormData(input) {
  const form = new FormData();
  const append = (name, value) => {
    if (value === undefined || value === null) {
      return;
    }
    if (value instanceof Blob) {
      form.append(name, value);
    } else if (value instanceof Date) {
      form.append(name, value.toISOString());
    } else {
      form.append(name, String(value));
    }
  };
  for (const [name, value] of Object.entries(input)) {
    if (Array.isArray(value)) {
      for (const item of value) {
        append(name, item);
      }
    } else {
      append(name, value);
    }
  }
  return form;
}

async function send(path, accept, input, options = {}) {
  const headers = new Headers(config.headers);
  new Headers(options.headers).forEach((value, name) => headers.set(name, value));
  headers.set('Accept', 'application/json');
  let body;
  if (input instanceof FormData) {
    body = input;
  } else if (accept === 'form' && typeof input === 'object' && input !== null) {
    body = toFormData(input);
  } else {
    let json;
    try {
      json = JSON.stringify(input);
    } catch (e) {
      throw new ActionError({
        code: 'BAD_REQUEST',
        message: `Failed to serialize request body to JSON. Full error: ${e.message}`,
      });
    }
    if (json) {
      body = json;
      headers.set('Content-Type', 'application/json');
    }
  }
  const doFetch = options.fetch ?? config.fetch ?? fetch;
  const origin = options.origin ?? config.origin ?? '';
  const response = await doFetch(origin + path, {
    method: 'POST',
    body,
    headers,
    signal: options.signal ?? config.signal,
  });
  if (response.status === 204) {
    return { data: undefined, error: undefined };
  }
  const text = await response.text();
  if (response.ok) {
    return { data: parse(text, { URL: (href) => new URL(href) }), error: undefined };
  }
  let json;
  try {
    json = JSON.parse(text);
  } catch {
    return { data: undefined, error: new ActionError({ code: 'INTERNAL_SERVER_ERROR', message: text }) };
  }
  return { data: undefined, error: ActionError.fromJson(json) };
}

function defineAction(path, queryString, accept) {
  const call = (input, options) => send(path, accept, input, options);
  return Object.assign(call, {
    async orThrow(input, options) {
      const { data, error } = await send(path, accept, input, options);
      if (error) {
        throw error;
      }
      return data;
    },
    queryString,
    toString: () => queryString,
    $$FORM_ACTION: () => ({ method: 'POST', name: '_astroAction', action: queryString }),
    [PATH]: path,
  });
}
