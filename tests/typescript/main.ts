// Calls every action of the parity fixture through the generated client, against a live
// server at `$ORIGIN`, with full type checking (`tsc --strict`). Run by `tests/it/typescript.rs`,
// once compiled with the TypeScript module and once with the plain JavaScript one.

import {
  ACTION_QUERY_PARAMS,
  ActionError,
  ActionInputError,
  actions,
  configureActions,
  getActionPath,
  isActionError,
  isInputError,
  type ActionErrorCode,
  type SafeResult,
} from './actions.js';

declare const process: { env: Record<string, string | undefined>; exitCode?: number };

const origin = process.env.ORIGIN ?? 'http://127.0.0.1:4322';
// Node's fetch sends no `Origin`; the server's origin check wants it on form posts.
configureActions({ origin, headers: { Origin: origin } });

let checks = 0;
const failures: string[] = [];

function check(what: string, ok: boolean, detail?: unknown): void {
  checks++;
  if (!ok) {
    failures.push(`${what}${detail === undefined ? '' : `: ${JSON.stringify(detail, (_, v) => (typeof v === 'bigint' ? `${v}n` : v))}`}`);
  }
}

function expectError<I, O>(
  what: string,
  result: SafeResult<I, O>,
  code: ActionErrorCode,
  status: number,
  message?: string,
): ActionError<I> | undefined {
  check(`${what}: has an error`, result.error !== undefined && result.data === undefined, result.data);
  const error = result.error;
  if (error) {
    check(`${what}: instanceof ActionError`, error instanceof ActionError);
    check(`${what}: code`, error.code === code, error.code);
    check(`${what}: status`, error.status === status, error.status);
    if (message !== undefined) {
      check(`${what}: message`, error.message === message, error.message);
    }
  }
  return error;
}

/** Form entries: an array's items each under the field's name. */
function formOf(entries: Record<string, string | Blob | string[]>): FormData {
  const form = new FormData();
  for (const [name, value] of Object.entries(entries)) {
    for (const item of Array.isArray(value) ? value : [value]) {
      form.append(name, item);
    }
  }
  return form;
}

async function main(): Promise<void> {
  // greet: json, `{ name: string }` of at least 1 char.
  const greet = await actions.greet({ name: 'Ada' });
  const hello: string | undefined = greet.data;
  check('greet: data', hello === 'Hello, Ada!' && greet.error === undefined, greet);
  // @ts-expect-error: `name` is a string
  await actions.greet({ name: 42 }).catch(() => undefined);
  // @ts-expect-error: greet needs an input
  await actions.greet().catch(() => undefined);
  const badGreet = await actions.greet({ name: '' });
  const greetError = expectError('greet ""', badGreet, 'BAD_REQUEST', 400);
  check('greet "": isInputError', isInputError(greetError));
  check('greet "": not isActionError', !isActionError(greetError));
  if (isInputError(greetError)) {
    check('greet "": instanceof ActionInputError', greetError instanceof ActionInputError);
    const messages: string[] | undefined = greetError.fields.name;
    check('greet "": fields.name', messages !== undefined && messages.length === 1, greetError.fields);
    check('greet "": issue path', greetError.issues[0]?.path[0] === 'name', greetError.issues);
    check('greet "": message', greetError.message.startsWith('Failed to validate: '), greetError.message);
    // @ts-expect-error: greet has no field `nope`
    void greetError.fields.nope;
  }

  // sum: json, `{ a: number, b: number }`.
  const sum = await actions.sum({ a: 0.1, b: 0.2 });
  const total: number | undefined = sum.data;
  check('sum: data', total === 0.30000000000000004, sum);
  // @ts-expect-error: `a` is a number
  const badSum = await actions.sum({ a: '1', b: 2 });
  const sumError = expectError('sum "1"', badSum, 'BAD_REQUEST', 400);
  check('sum "1": fields.a', isInputError(sumError) && sumError.fields.a !== undefined, sumError);

  // noInput: no schema, returns its input; no input is 204 → undefined.
  const none = await actions.noInput();
  check('noInput(): undefined', none.data === undefined && none.error === undefined, none);
  const echoed = await actions.noInput({ x: [1, 'two', null] });
  check('noInput(x): echoed', JSON.stringify(echoed.data) === '{"x":[1,"two",null]}', echoed);

  // empty: 204.
  const empty = await actions.empty();
  const nothing: undefined = empty.data;
  check('empty: undefined', nothing === undefined && empty.error === undefined, empty);

  // whoami: UNAUTHORIZED without `x-user`.
  const anonymous = await actions.whoami();
  // Astro's result objects: `{data, error}`, but `{error, data}` for an error read from JSON.
  check('greet: keys data, error', Object.keys(greet).join() === 'data,error', Object.keys(greet));
  check('empty: keys data, error', Object.keys(empty).join() === 'data,error', Object.keys(empty));
  check('whoami anonymous: keys error, data', Object.keys(anonymous).join() === 'error,data', Object.keys(anonymous));
  check('greet "": keys error, data', Object.keys(badGreet).join() === 'error,data', Object.keys(badGreet));
  expectError('whoami anonymous', anonymous, 'UNAUTHORIZED', 401, 'Not logged in');
  check('whoami anonymous: isActionError', isActionError(anonymous.error));
  const ada = await actions.whoami(undefined, { headers: { 'x-user': 'ada' } });
  const user: string | undefined = ada.data?.user;
  check('whoami ada', user === 'ada', ada);

  // boom: an unexpected error, its message exposed.
  expectError('boom', await actions.boom(), 'INTERNAL_SERVER_ERROR', 500, 'kaboom');

  // missing: NOT_FOUND.
  expectError('missing', await actions.missing({ id: '7' }), 'NOT_FOUND', 404, 'no item 7');

  // blog.like: nested, camelCase.
  const like = await actions.blog.like({ postId: 'p1' });
  if (like.data) {
    const likes: number = like.data.likes;
    check('blog.like', like.data.postId === 'p1' && likes === 1, like.data);
  } else {
    check('blog.like: data', false, like.error);
  }
  check('getActionPath(blog.like)', getActionPath(actions.blog.like) === '/_actions/blog.like/', getActionPath(actions.blog.like));
  check('blog.like.queryString', actions.blog.like.queryString === '?_action=blog.like');
  check('blog.like.toString()', `${actions.blog.like}` === '?_action=blog.like');
  check('subscribe.$$FORM_ACTION', actions.subscribe.$$FORM_ACTION().action === '?_action=subscribe');

  // `actions` is Astro's proxy: any name is sent to the server, namespaces are actions too.
  const proxy = actions as unknown as Record<string, (input?: unknown) => Promise<SafeResult<unknown, unknown>>>;
  const named = (name: string) => proxy[name]!;
  check('Object.keys(actions)', Object.keys(actions).length === 0, Object.keys(actions));
  check('actions.greet.length', actions.greet.length === 1, actions.greet.length);
  check('actions.blog is an action', typeof actions.blog === 'function');
  const unknown = await named('nope')({ x: 1 });
  expectError('actions.nope', unknown, 'NOT_FOUND', 404, '');
  check('actions.nope: keys error, data', Object.keys(unknown).join() === 'error,data', Object.keys(unknown));
  expectError('actions.toString()', await named('toString')(), 'NOT_FOUND', 404, '');
  expectError('actions.constructor()', await named('constructor')(), 'NOT_FOUND', 404, '');
  check('getActionPath(actions["my.action"])', getActionPath(named('my.action') as never) === '/_actions/my%2Eaction/', getActionPath(named('my.action') as never));
  check('ACTION_QUERY_PARAMS', ACTION_QUERY_PARAMS.actionName === '_action' && ACTION_QUERY_PARAMS.actionPayload === '_astroActionPayload');
  try {
    await actions.sum({ a: 1, b: 2, big: 1n } as never);
    check('sum(BigInt): rejects', false);
  } catch (e) {
    check(
      'sum(BigInt): BAD_REQUEST before any request',
      e instanceof ActionError && e.code === 'BAD_REQUEST' && e.message === 'Failed to serialize request body to JSON. Full error: Do not know how to serialize a BigInt',
      e instanceof Error ? e.message : e,
    );
  }

  // teapot: 429.
  expectError('teapot', await actions.teapot(), 'TOO_MANY_REQUESTS', 429, 'slow down');

  // rich: every JavaScript type devalue carries.
  const rich = await actions.rich();
  const data = rich.data;
  if (data) {
    const date: Date = data.date;
    const map: Map<string, number> = data.map;
    const set: Set<number> = data.set;
    const url: URL = data.url;
    const big: bigint = data.big;
    const undef: undefined = data.undef;
    check('rich: date', date instanceof Date && date.getTime() === 0, date);
    check('rich: map', map instanceof Map && map.size === 1 && map.get('a') === 1, [...map]);
    check('rich: set', set instanceof Set && set.size === 2 && set.has(1) && set.has(2), [...set]);
    check('rich: url', url instanceof URL && url.href === 'https://example.com/x', String(url));
    check('rich: bigint', big === 10n, big);
    check('rich: NaN', Number.isNaN(data.nan));
    check('rich: -Infinity', data.inf === -Infinity);
    check('rich: -0', Object.is(data.negz, -0));
    check('rich: undefined', 'undef' in data && undef === undefined);
    const [numbers, kv] = data.nested;
    check('rich: nested', numbers.join() === '1,2' && kv.k === 'v', data.nested);
  } else {
    check('rich: data', false, rich.error);
  }

  // subscribe: form, called with FormData.
  const form = formOf({ email: 'ada@example.com' });
  const subscribed = await actions.subscribe(form);
  check('subscribe(FormData)', subscribed.data?.email === 'ada@example.com' && subscribed.data.subscribed === true, subscribed);
  // An object is sent as JSON, as Astro's client does, and the form action refuses it.
  // @ts-expect-error: a form action takes FormData
  const asJson = await actions.subscribe({ email: 'bob@example.com' });
  expectError('subscribe({email})', asJson, 'UNSUPPORTED_MEDIA_TYPE', 415, 'This action only accepts FormData.');
  const badEmail = await actions.subscribe(formOf({ email: 'not an email' }));
  const emailError = expectError('subscribe bad email', badEmail, 'BAD_REQUEST', 400);
  check('subscribe bad email: fields.email', isInputError(emailError) && emailError.fields.email?.length === 1, emailError);
  // @ts-expect-error: subscribe has no field `mail`
  void (emailError !== undefined && isInputError(emailError) && emailError.fields.mail);
  // A cross-site form post: the server's 403 is text, so INTERNAL_SERVER_ERROR with that text.
  const crossSite = await actions.subscribe(form, { headers: { Origin: 'http://evil.test' } });
  expectError('subscribe cross-site', crossSite, 'INTERNAL_SERVER_ERROR', 500, 'Cross-site POST form submissions are forbidden');

  // comment: form, body of at least 10 chars.
  const comment = await actions.comment(formOf({ postId: 'p1', author: 'Ada', body: 'long enough text' }));
  check('comment', comment.data?.body === 'long enough text' && comment.data.postId === 'p1', comment);
  const shortComment = await actions.comment(formOf({ postId: 'p1', author: 'Ada', body: 'short' }));
  const commentError = expectError('comment short', shortComment, 'BAD_REQUEST', 400);
  if (isInputError(commentError)) {
    check('comment short: fields', Object.keys(commentError.fields).join() === 'body', commentError.fields);
  }

  // fields: every form coercion.
  const fields = await actions.fields(formOf({ tags: ['a', 'b'], agree: 'true', count: '3', level: 'high' }));
  if (fields.data) {
    const count: number | undefined = fields.data.count;
    check('fields', fields.data.tags.join() === 'a,b' && fields.data.agree && count === 3 && fields.data.level === 'high', fields.data);
    check('fields: nickname undefined', fields.data.nickname === undefined, fields.data);
  } else {
    check('fields: data', false, fields.error);
  }

  // upload: a File.
  const upload = await actions.upload(formOf({ file: new File(['hello'], 'h.txt', { type: 'text/plain' }) }));
  check('upload', upload.data?.name === 'h.txt' && upload.data.size === 5 && upload.data.type === 'text/plain', upload);

  // rawForm: FormData as it came.
  const raw = new FormData();
  raw.append('a', '1');
  raw.append('a', '2');
  raw.append('f', new File(['x'], 'x.bin'));
  const rawForm = await actions.rawForm(raw);
  check('rawForm', JSON.stringify(rawForm.data) === '{"a":["1","2"],"f":["x.bin"]}', rawForm);

  // orThrow: the data, or the error thrown.
  const thrownHello: string = await actions.greet.orThrow({ name: 'Bob' });
  check('greet.orThrow', thrownHello === 'Hello, Bob!', thrownHello);
  try {
    await actions.teapot.orThrow();
    check('teapot.orThrow: throws', false);
  } catch (e) {
    check('teapot.orThrow: an ActionError', e instanceof ActionError && isActionError(e) && e.code === 'TOO_MANY_REQUESTS', e);
  }
  try {
    await actions.greet.orThrow({ name: '' });
    check('greet.orThrow "": throws', false);
  } catch (e) {
    check('greet.orThrow "": an ActionInputError', e instanceof ActionInputError && isInputError(e), e);
  }

  // ActionError's statics (protocol §2, action-error.test.ts).
  check('codeToStatus', ActionError.codeToStatus('NOT_FOUND') === 404 && ActionError.codeToStatus('NETWORK_AUTHENTICATION_REQUIRED') === 511);
  check('statusToCode', ActionError.statusToCode(401) === 'UNAUTHORIZED' && ActionError.statusToCode(999) === 'INTERNAL_SERVER_ERROR');
  const fromJson = ActionError.fromJson({ type: 'AstroActionError', code: 'UNAUTHORIZED', message: 'Not logged in' });
  check('fromJson', fromJson.code === 'UNAUTHORIZED' && fromJson.status === 401 && fromJson.message === 'Not logged in');
  const fromInput = ActionError.fromJson({
    type: 'AstroActionInputError',
    issues: [
      { path: ['name'], message: 'Expected string' },
      { path: ['name'], message: 'Too short' },
      { path: ['email'], message: 'Required' },
      { path: [], message: 'root' },
    ],
  });
  check(
    'fromJson input',
    fromInput instanceof ActionInputError &&
      JSON.stringify(fromInput.fields) === '{"name":["Expected string","Too short"],"email":["Required"]}',
    fromInput,
  );
  check('fromJson other', ActionError.fromJson({ something: 'random' }).code === 'INTERNAL_SERVER_ERROR');
  check('isActionError(null)', !isActionError(null) && !isActionError('x') && !isInputError({ type: 'AstroActionInputError' }));
  const empty403 = new ActionError({ code: 'FORBIDDEN' });
  check('ActionError without message', empty403.message === '' && empty403.status === 403 && empty403.type === 'AstroActionError');
}

main()
  .catch((e: unknown) => {
    failures.push(`threw: ${e instanceof Error ? `${e.stack}` : String(e)}`);
  })
  .finally(() => {
    if (failures.length > 0) {
      console.log(`FAILED ${failures.length} of ${checks} checks`);
      for (const failure of failures) {
        console.log(`  - ${failure}`);
      }
      process.exitCode = 1;
    } else {
      console.log(`ok ${checks} checks`);
    }
  });
