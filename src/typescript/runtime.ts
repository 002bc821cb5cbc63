// ---- runtime: Astro's client API ----

const statusToCodeMap: Record<number, ActionErrorCode> = {};
for (const [code, status] of Object.entries(codeToStatusMap)) {
  statusToCodeMap[status] = code as ActionErrorCode;
}

/** The query parameters of a page's form call (Astro's `ACTION_QUERY_PARAMS`). */
export const ACTION_QUERY_PARAMS = {
  actionName: '_action',
  actionPayload: '_astroActionPayload',
};

/** One of the 38 error codes (Astro's `ActionErrorCode`). */
export type ActionErrorCode = keyof typeof codeToStatusMap;

/** `'AstroActionError'`, or `'AstroActionInputError'` for an input error. */
export type ActionErrorType = 'AstroActionError' | 'AstroActionInputError';

/** One validation issue: where (`path`) and what (`message`), as the server sent it. */
export interface ActionIssue {
  path: (string | number)[];
  message: string;
  [key: string]: unknown;
}

/** The field names of an input type, for `ActionInputError.fields`. */
export type ActionFieldName<TInput> = TInput extends FormData
  ? string
  : TInput extends readonly unknown[]
    ? string
    : TInput extends object
      ? Extract<keyof TInput, string>
      : string;

/** An action's failure: a code, its HTTP status, and a message (Astro's `ActionError`). */
export class ActionError<TInput = unknown> extends Error {
  type: ActionErrorType = 'AstroActionError';
  code: ActionErrorCode = 'INTERNAL_SERVER_ERROR';
  status = 500;

  constructor(params: { message?: string; code: ActionErrorCode; stack?: string }) {
    super(params.message);
    this.code = params.code;
    this.status = ActionError.codeToStatus(params.code);
    if (params.stack) {
      this.stack = params.stack;
    }
  }

  /** The HTTP status of a code (`undefined` for an unknown code). */
  static codeToStatus(code: ActionErrorCode): number {
    return codeToStatusMap[code];
  }

  /** The code of an HTTP status; `INTERNAL_SERVER_ERROR` when no code has it. */
  static statusToCode(status: number): ActionErrorCode {
    return statusToCodeMap[status] ?? 'INTERNAL_SERVER_ERROR';
  }

  /** The error an error body describes: an input error, an action error, or `INTERNAL_SERVER_ERROR`. */
  static fromJson(body: unknown): ActionError {
    if (isInputError(body)) {
      return new ActionInputError(body.issues);
    }
    if (isActionError(body)) {
      return new ActionError(body);
    }
    return new ActionError({ code: 'INTERNAL_SERVER_ERROR' });
  }

  /** Ties the error to its action's input type (never set). */
  declare readonly __input?: TInput;
}

/** The input failed validation: `BAD_REQUEST`, with the issues and each field's messages. */
export class ActionInputError<TInput = unknown> extends ActionError<TInput> {
  type: ActionErrorType = 'AstroActionInputError';
  /** The issues, as the server sent them. */
  issues: ActionIssue[];
  /** Each field's messages, from the issues with a path, by the path's first element. */
  fields: Partial<Record<ActionFieldName<TInput>, string[]>>;

  constructor(issues: ActionIssue[]) {
    super({ message: `Failed to validate: ${JSON.stringify(issues, null, 2)}`, code: 'BAD_REQUEST' });
    this.issues = issues;
    this.fields = {};
    for (const issue of issues) {
      if (issue.path.length > 0) {
        const key = (issue.path[0] as string | number).toString();
        // As Astro: a key `Object.prototype` has (`__proto__`, `constructor`) throws a TypeError.
        (this.fields as Record<string, string[] | undefined>)[key] ??= [];
        (this.fields as Record<string, string[] | undefined>)[key]?.push(issue.message);
      }
    }
  }
}

/** Whether `error` is an action error (`type === 'AstroActionError'`; not an input error). */
export function isActionError(error?: unknown): error is ActionError {
  return (
    typeof error === 'object' && error != null && 'type' in error && error.type === 'AstroActionError'
  );
}

/** Whether `error` is an input error (`type === 'AstroActionInputError'` with an `issues` array). */
export function isInputError<TInput>(error?: ActionError<TInput>): error is ActionInputError<TInput>;
export function isInputError(error?: unknown): error is ActionInputError;
/** Whether `error` is an input error (`type === 'AstroActionInputError'` with an `issues` array). */
export function isInputError(error?: unknown): error is ActionInputError {
  return (
    typeof error === 'object' &&
    error != null &&
    'type' in error &&
    error.type === 'AstroActionInputError' &&
    'issues' in error &&
    Array.isArray(error.issues)
  );
}

/** What a call resolves to: the data, or the error. */
export type SafeResult<TInput, TOutput> =
  | { data: TOutput; error: undefined }
  | { error: ActionError<TInput>; data: undefined };

/** Where and how calls are sent: for all calls (`configureActions`) or one call. */
export interface CallOptions {
  /** Prepended to the action's path: `https://example.com`. None in a browser (same origin). */
  origin?: string;
  /** Headers added to the request. */
  headers?: HeadersInit;
  /** The `fetch` to use. The global one by default. */
  fetch?: typeof fetch;
  /** Aborts the request. */
  signal?: AbortSignal;
}

const config: CallOptions = {};

/** Sets options for every call (an option of a call wins; headers are merged). */
export function configureActions(options: CallOptions): void {
  Object.assign(config, options);
}

/** The arguments of a call: the input (optional when `undefined` fits it), then options. */
export type ActionArgs<TInput> = undefined extends TInput
  ? [input?: TInput, options?: CallOptions]
  : [input: TInput, options?: CallOptions];

/** What `$$FORM_ACTION()` returns (React 19 progressive enhancement). */
export interface FormActionProps {
  method: 'POST';
  name: '_astroAction';
  action: string;
}

/** A callable action (Astro's `actions.x`). */
export interface ActionClient<TInput, TOutput> {
  /** Calls the action: its data, or its error. */
  (...args: ActionArgs<TInput>): Promise<SafeResult<TInput, TOutput>>;
  /** Calls the action: its data; its error is thrown. */
  orThrow(...args: ActionArgs<TInput>): Promise<TOutput>;
  /** `?_action=<name>`: a form's `action` that calls this action on the page. */
  readonly queryString: string;
  /** The query string. */
  toString(): string;
  /** Form props for React 19. */
  $$FORM_ACTION(): FormActionProps;
}

/** A form action: called with `FormData` (as Astro's client, any other input is sent as JSON, which the server refuses). */
export interface FormActionClient<TInput, TOutput> extends Omit<ActionClient<TInput, TOutput>, 'orThrow'> {
  /** Calls the action: its data, or its error. */
  (input: FormData, options?: CallOptions): Promise<SafeResult<TInput, TOutput>>;
  /** Calls the action: its data; its error is thrown. */
  orThrow(input: FormData, options?: CallOptions): Promise<TOutput>;
}

/** `?_action=<path>`, as `URLSearchParams` writes it. */
function actionQueryString(path: string): string {
  return `?${new URLSearchParams({ [ACTION_QUERY_PARAMS.actionName]: path }).toString()}`;
}

/** The RPC path named by a query string's `_action`. */
function actionPathFromQuery(query: string): string {
  const name = new URLSearchParams(query).get(ACTION_QUERY_PARAMS.actionName);
  const path = `${BASE_URL.replace(/\/$/, '')}/_actions/${name}`;
  return shouldAppendTrailingSlash && !path.endsWith('/') ? `${path}/` : path;
}

/** The RPC path of an action: `/_actions/blog.like/` (Astro's `getActionPath`: from its `toString()`). */
export function getActionPath(action: ActionClient<any, any> | FormActionClient<any, any>): string {
  return actionPathFromQuery(action.toString());
}

/** Astro's server-only `defineAction`: throws on the client. */
export function defineAction(): never {
  throw new Error('[astro:actions] `defineAction()` unexpectedly used on the client.');
}

/** Astro's server-only `getActionContext`: throws on the client. */
export function getActionContext(): never {
  throw new Error('[astro:actions] `getActionContext()` unexpectedly used on the client.');
}

/** Sends one call of the action at `path` (its encoded name) and reads the answer. */
async function callAction(
  param: unknown,
  path: string,
  given: CallOptions | undefined,
): Promise<SafeResult<unknown, unknown>> {
  // Only an object is options (Astro's client ignores a second argument).
  const options: CallOptions = typeof given === 'object' && given !== null ? given : {};
  const headers = new Headers(config.headers);
  new Headers(options.headers).forEach((value, name) => headers.set(name, value));
  headers.set('Accept', 'application/json');
  let body: unknown = param;
  if (!(body instanceof FormData)) {
    try {
      body = JSON.stringify(param);
    } catch (e) {
      throw new ActionError({
        code: 'BAD_REQUEST',
        message: `Failed to serialize request body to JSON. Full error: ${(e as Error).message}`,
      });
    }
    if (body) {
      headers.set('Content-Type', 'application/json');
    } else {
      headers.set('Content-Length', '0');
    }
  }
  const doFetch = options.fetch ?? config.fetch ?? fetch;
  const origin = options.origin ?? config.origin ?? '';
  const signal = options.signal ?? config.signal;
  const init: RequestInit = { method: 'POST', body: body as BodyInit | undefined, headers };
  if (signal) {
    init.signal = signal;
  }
  const response = await doFetch(origin + actionPathFromQuery(actionQueryString(path)), init);
  if (response.status === 204) {
    return { data: undefined, error: undefined };
  }
  const text = await response.text();
  if (response.ok) {
    return { data: parse(text, { URL: (href: string) => new URL(href) }), error: undefined };
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return { data: undefined, error: new ActionError({ message: text, code: 'INTERNAL_SERVER_ERROR' }) };
  }
  return { error: ActionError.fromJson(json), data: undefined };
}

/**
 * Astro's `actions` proxy: any property (but the target's own ones and symbols) is an action
 * of that name, itself a proxy for the actions below it.
 */
function actionsProxy(target: any, prefix: string): any {
  return new Proxy(target, {
    get(node, key) {
      if (node.hasOwnProperty(key) || typeof key === 'symbol') {
        return node[key];
      }
      const path = prefix + encodeURIComponent(key.toString()).replaceAll('.', '%2E');
      // A plain function, named `action`, of one parameter (per-call options are a second, unlisted one).
      function action(this: unknown, param?: unknown): Promise<SafeResult<unknown, unknown>> {
        return callAction(param, path, arguments[1] as CallOptions | undefined);
      }
      Object.assign(action, {
        queryString: actionQueryString(path),
        toString: () => (action as unknown as { queryString: string }).queryString,
        bind: action.bind,
        valueOf: () => action.valueOf,
        $$FORM_ACTION: function (): FormActionProps {
          const query = new URLSearchParams(action.toString());
          return { method: 'POST', name: '_astroAction', action: `?${query.toString()}` };
        },
        async orThrow(param?: unknown): Promise<unknown> {
          const { data, error } = await callAction(param, path, arguments[1] as CallOptions | undefined);
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
function createActions(): unknown {
  return actionsProxy({}, '');
}
