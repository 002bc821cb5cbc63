// Generated from runtime.ts by scripts/client-runtime/generate.mjs: edit runtime.ts, then run it.
// ---- runtime: Astro's client API ----
const statusToCodeMap = {};
for (const [code, status] of Object.entries(codeToStatusMap)) {
  statusToCodeMap[status] = code;
}

/** The query parameters of a page's form call (Astro's `ACTION_QUERY_PARAMS`). */
export const ACTION_QUERY_PARAMS = {
  actionName: '_action',
  actionPayload: '_astroActionPayload',
};

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

  /** The issues, as the server sent them. */
  issues;

  /** Each field's messages, from the issues with a path, by the path's first element. */
  fields;

  constructor(issues) {
    super({ message: `Failed to validate: ${JSON.stringify(issues, null, 2)}`, code: 'BAD_REQUEST' });
    this.issues = issues;
    this.fields = {};
    for (const issue of issues) {
      if (issue.path.length > 0) {
        const key = issue.path[0].toString();
        // As Astro: a key `Object.prototype` has (`__proto__`, `constructor`) throws a TypeError.
        this.fields[key] ??= [];
        this.fields[key]?.push(issue.message);
      }
    }
  }
}

/** Whether `error` is an action error (`type === 'AstroActionError'`; not an input error). */
export function isActionError(error) {
  return (typeof error === 'object' && error != null && 'type' in error && error.type === 'AstroActionError');
}

/** Whether `error` is an input error (`type === 'AstroActionInputError'` with an `issues` array). */
export function isInputError(error) {
  return (typeof error === 'object' &&
    error != null &&
    'type' in error &&
    error.type === 'AstroActionInputError' &&
    'issues' in error &&
    Array.isArray(error.issues));
}

const config = {};

/** Sets options for every call (an option of a call wins; headers are merged). */
export function configureActions(options) {
  Object.assign(config, options);
}

/** `?_action=<path>`, as `URLSearchParams` writes it. */
function actionQueryString(path) {
  return `?${new URLSearchParams({ [ACTION_QUERY_PARAMS.actionName]: path }).toString()}`;
}

/** The RPC path named by a query string's `_action`. */
function actionPathFromQuery(query) {
  const name = new URLSearchParams(query).get(ACTION_QUERY_PARAMS.actionName);
  const path = `${BASE_URL.replace(/\/$/, '')}/_actions/${name}`;
  return shouldAppendTrailingSlash && !path.endsWith('/') ? `${path}/` : path;
}

/** The RPC path of an action: `/_actions/blog.like/` (Astro's `getActionPath`: from its `toString()`). */
export function getActionPath(action) {
  return actionPathFromQuery(action.toString());
}

/** Astro's server-only `defineAction`: throws on the client. */
export function defineAction() {
  throw new Error('[astro:actions] `defineAction()` unexpectedly used on the client.');
}

/** Astro's server-only `getActionContext`: throws on the client. */
export function getActionContext() {
  throw new Error('[astro:actions] `getActionContext()` unexpectedly used on the client.');
}

/** Sends one call of the action at `path` (its encoded name) and reads the answer. */
async function callAction(param, path, given) {
  // Only an object is options (Astro's client ignores a second argument).
  const options = typeof given === 'object' && given !== null ? given : {};
  const headers = new Headers(config.headers);
  new Headers(options.headers).forEach((value, name) => headers.set(name, value));
  headers.set('Accept', 'application/json');
  let body = param;
  if (!(body instanceof FormData)) {
    try {
      body = JSON.stringify(param);
    }
    catch (e) {
      throw new ActionError({
        code: 'BAD_REQUEST',
        message: `Failed to serialize request body to JSON. Full error: ${e.message}`,
      });
    }
    if (body) {
      headers.set('Content-Type', 'application/json');
    }
    else {
      headers.set('Content-Length', '0');
    }
  }
  const doFetch = options.fetch ?? config.fetch ?? fetch;
  const origin = options.origin ?? config.origin ?? '';
  const signal = options.signal ?? config.signal;
  const init = { method: 'POST', body: body, headers };
  if (signal) {
    init.signal = signal;
  }
  const response = await doFetch(origin + actionPathFromQuery(actionQueryString(path)), init);
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
  }
  catch {
    return { data: undefined, error: new ActionError({ message: text, code: 'INTERNAL_SERVER_ERROR' }) };
  }
  return { error: ActionError.fromJson(json), data: undefined };
}

/**
 * Astro's `actions` proxy: any property (but the target's own ones and symbols) is an action
 * of that name, itself a proxy for the actions below it.
 */
function actionsProxy(target, prefix) {
  return new Proxy(target, {
    get(node, key) {
      if (node.hasOwnProperty(key) || typeof key === 'symbol') {
        return node[key];
      }
      const path = prefix + encodeURIComponent(key.toString()).replaceAll('.', '%2E');
      // A plain function, named `action`, of one parameter (per-call options are a second, unlisted one).
      function action(param) {
        return callAction(param, path, arguments[1]);
      }
      Object.assign(action, {
        queryString: actionQueryString(path),
        toString: () => action.queryString,
        bind: action.bind,
        valueOf: () => action.valueOf,
        $$FORM_ACTION: function () {
          const query = new URLSearchParams(action.toString());
          return { method: 'POST', name: '_astroAction', action: `?${query.toString()}` };
        },
        async orThrow(param) {
          const { data, error } = await callAction(param, path, arguments[1]);
          if (error) {
            throw error;
          }
          return data;
        },
      });
      return actionsProxy(action, `${path}.`);
    },
  });
}

/** A fresh `actions` proxy. */
function createActions() {
  return actionsProxy({}, '');
}
