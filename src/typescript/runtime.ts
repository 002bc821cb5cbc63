// ---- runtime: Astro's client API (protocol §9) ----

const statusToCodeMap: Record<number, ActionErrorCode> = {};
for (const [code, status] of Object.entries(codeToStatusMap)) {
  statusToCodeMap[status] = code as ActionErrorCode;
}

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
  issues: ActionIssue[];
  /** Each field's messages, from the issues with a path, by the path's first element. */
  fields: Partial<Record<ActionFieldName<TInput>, string[]>>;

  constructor(issues: ActionIssue[]) {
    super({ message: `Failed to validate: ${JSON.stringify(issues, null, 2)}`, code: 'BAD_REQUEST' });
    this.issues = issues;
    const fields: Record<string, string[]> = {};
    for (const issue of issues) {
      if (issue.path.length > 0) {
        const key = String(issue.path[0]);
        (fields[key] ??= []).push(issue.message);
      }
    }
    this.fields = fields as Partial<Record<ActionFieldName<TInput>, string[]>>;
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
  | { data: undefined; error: ActionError<TInput> };

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

/** A form action: called with `FormData`, or with its typed input (sent as form entries). */
export interface FormActionClient<TInput, TOutput> extends Omit<ActionClient<TInput, TOutput>, 'orThrow'> {
  /** Calls the action: its data, or its error. */
  (...args: ActionArgs<TInput | FormData>): Promise<SafeResult<TInput, TOutput>>;
  /** Calls the action: its data; its error is thrown. */
  orThrow(...args: ActionArgs<TInput | FormData>): Promise<TOutput>;
}

const PATH = Symbol('tower-actions.path');

/** The RPC path of an action: `/_actions/blog.like/` (Astro's `getActionPath`). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function getActionPath(action: ActionClient<any, any> | FormActionClient<any, any>): string {
  return (action as unknown as { [PATH]: string })[PATH];
}

/** An object's entries as form entries: arrays repeated, files as they are, `null`/`undefined` left out. */
function toFormData(input: object): FormData {
  const form = new FormData();
  const append = (name: string, value: unknown): void => {
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

async function send(
  path: string,
  accept: 'json' | 'form',
  input: unknown,
  options: CallOptions = {},
): Promise<SafeResult<unknown, unknown>> {
  const headers = new Headers(config.headers);
  new Headers(options.headers).forEach((value, name) => headers.set(name, value));
  headers.set('Accept', 'application/json');
  let body: BodyInit | undefined;
  if (input instanceof FormData) {
    body = input;
  } else if (accept === 'form' && typeof input === 'object' && input !== null) {
    body = toFormData(input);
  } else {
    let json: string | undefined;
    try {
      json = JSON.stringify(input);
    } catch (e) {
      throw new ActionError({
        code: 'BAD_REQUEST',
        message: `Failed to serialize request body to JSON. Full error: ${(e as Error).message}`,
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
    return { data: parse(text, { URL: (href: string) => new URL(href) }), error: undefined };
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return { data: undefined, error: new ActionError({ code: 'INTERNAL_SERVER_ERROR', message: text }) };
  }
  return { data: undefined, error: ActionError.fromJson(json) };
}

function defineAction<TClient>(path: string, queryString: string, accept: 'json' | 'form'): TClient {
  const call = (input?: unknown, options?: CallOptions) => send(path, accept, input, options);
  const action = Object.assign(call, {
    async orThrow(input?: unknown, options?: CallOptions): Promise<unknown> {
      const { data, error } = await send(path, accept, input, options);
      if (error) {
        throw error;
      }
      return data;
    },
    queryString,
    toString: () => queryString,
    $$FORM_ACTION: (): FormActionProps => ({ method: 'POST', name: '_astroAction', action: queryString }),
    [PATH]: path,
  });
  return action as unknown as TClient;
}
