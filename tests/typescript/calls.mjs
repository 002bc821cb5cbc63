// The same calls through an `astro:actions` client module, each described as Astro's client
// would be seen by a program: the requests it sent and what it returned, resolved, rejected
// or threw, down to key order, property attributes, prototypes and function names/lengths.
//
// `run(m)` takes the module's namespace (`actions`, `ActionError`, `isInputError`, …) and
// answers every request with a stub `fetch` (a canned answer per action name), so no server
// is needed. `record-astro-client.mjs` runs it on Astro 7.3.5's client and writes
// `astro-client.json`; `client-parity.mjs` runs it on a generated client and compares.

/** The stub server: each action name's answer (status, body). Any other name: 404 NOT_FOUND JSON. */
const ANSWERS = {
  ok: [200, '[{"a":1,"b":2},"x",[3],4]'],
  rich: [200, '[{"d":1,"u":2,"n":3},["Date","1970-01-01T00:00:00.000Z"],["URL","https://example.com/x"],null]'],
  nan: [200, '-3'],
  undef: [200, '-1'],
  false: [200, '[false]'],
  empty: [204, null],
  err: [401, '{"type":"AstroActionError","code":"UNAUTHORIZED","status":401,"message":"Not logged in"}'],
  nomessage: [403, '{"type":"AstroActionError","code":"FORBIDDEN","status":403,"message":""}'],
  errstack: [500, '{"type":"AstroActionError","code":"INTERNAL_SERVER_ERROR","message":"m","stack":"Error: m\\n    at server"}'],
  bogus: [200, '{"type":"AstroActionError","code":"BOGUS","message":"custom BOGUS"}'],
  bogus418: [418, '{"type":"AstroActionError","code":"BOGUS","message":"teapot"}'],
  input: [
    400,
    '{"type":"AstroActionInputError","issues":[{"origin":"string","code":"too_small","minimum":3,"inclusive":true,"path":["name"],"message":"Too small"},{"code":"custom","path":[],"message":"root refine"},{"path":["nums",1],"message":"NaN"},{"path":[0],"message":"idx"},{"path":["name"],"message":"again"}],"fields":{"x":["ignored"]}}',
  ],
  inputproto: [400, '{"type":"AstroActionInputError","issues":[{"path":["__proto__"],"message":"p"}]}'],
  inputnopath: [400, '{"type":"AstroActionInputError","issues":[{"message":"no path"}]}'],
  inputnotarray: [400, '{"type":"AstroActionInputError","issues":"x"}'],
  text: [403, 'Cross-site POST form submissions are forbidden'],
  empty500: [500, ''],
  other: [500, '{"something":"random"}'],
  null: [500, 'null'],
  html: [200, '<!DOCTYPE html><html></html>'],
  invalid: [200, '{"a":1}'],
  unsupported: [415, '{"type":"AstroActionError","code":"UNSUPPORTED_MEDIA_TYPE","status":415,"message":"This action only accepts FormData."}'],
};

/** Every request the stub saw, described. */
let requests = [];

async function describeBody(body) {
  if (body === undefined) return 'undefined';
  if (typeof body === 'string') return `string:${body}`;
  if (body instanceof FormData) {
    const entries = [];
    for (const [name, value] of body) {
      entries.push([name, typeof value === 'string' ? value : `File(${value.name},${value.size},${value.type})`]);
    }
    return { FormData: entries };
  }
  return `other:${Object.prototype.toString.call(body)}`;
}

async function stubFetch(input, init) {
  const url = String(input);
  requests.push({
    url,
    initKeys: Object.keys(init ?? {}),
    method: init?.method,
    headers: [...new Headers(init?.headers)],
    body: await describeBody(init?.body),
  });
  const match = /\/_actions\/(.*?)\/?$/.exec(url);
  const [status, body] = (match && Object.hasOwn(ANSWERS, match[1]) ? ANSWERS[match[1]] : undefined) ?? [
    404,
    '{"type":"AstroActionError","code":"NOT_FOUND","status":404,"message":""}',
  ];
  return new Response(body, { status, headers: body === null ? {} : { 'content-type': 'application/json' } });
}

/** A value, described without calling anything on it (proxies are read through descriptors). */
function describe(m, value, depth = 0, seen = new Set()) {
  switch (typeof value) {
    case 'undefined':
      return 'undefined';
    case 'number':
      return Object.is(value, -0) ? 'number:-0' : `number:${value}`;
    case 'string':
      return `string:${value}`;
    case 'boolean':
    case 'bigint':
      return `${typeof value}:${value}`;
    case 'symbol':
      return `symbol:${value.description}`;
  }
  if (value === null) return 'null';
  if (seen.has(value)) return 'cycle';
  if (value instanceof Promise) return 'Promise';
  if (value instanceof Date) return `Date:${value.getTime()}`;
  if (value instanceof URL) return `URL:${value.href}`;
  seen = new Set(seen).add(value);
  const proto = Object.getPrototypeOf(value);
  const out = {};
  if (typeof value === 'function') {
    out.function = true;
  }
  out.proto = proto === null ? 'null' : String(Object.getOwnPropertyDescriptor(proto, 'constructor')?.value?.name);
  if (value instanceof Error) {
    out.isActionError = m.isActionError(value);
    out.isInputError = m.isInputError(value);
    out.instanceofActionError = value instanceof m.ActionError;
  }
  out.own = [];
  for (const key of Reflect.ownKeys(value)) {
    const d = Object.getOwnPropertyDescriptor(value, key);
    const flags = `${d.enumerable ? 'e' : '-'}${d.configurable ? 'c' : '-'}${'value' in d ? (d.writable ? 'w' : '-') : 'a'}`;
    let described;
    if (!('value' in d)) {
      described = 'accessor';
    } else if (key === 'stack' && typeof d.value === 'string') {
      described = `stack:${d.value.split('\n')[0]}`;
    } else if (depth >= 3) {
      described = typeof d.value;
    } else {
      described = describe(m, d.value, depth + 1, seen);
    }
    out.own.push([String(key), flags, described]);
  }
  return out;
}

/** The calls: a label, and what to do with the module's namespace. */
function calls() {
  const bigForm = () => {
    const form = new FormData();
    form.append('a', '1');
    form.append('a', '2');
    form.append('f', new File(['hello'], 'h.txt', { type: 'text/plain' }));
    return form;
  };
  const cyclic = () => {
    const o = { a: 1 };
    o.self = o;
    return o;
  };
  return [
    // Results: every outcome, key order included.
    ['ok()', (m) => m.actions.ok()],
    ['ok({a:1})', (m) => m.actions.ok({ a: 1 })],
    ['rich()', (m) => m.actions.rich()],
    ['nan()', (m) => m.actions.nan()],
    ['undef()', (m) => m.actions.undef()],
    ['false()', (m) => m.actions.false()],
    ['empty()', (m) => m.actions.empty()],
    ['err()', (m) => m.actions.err()],
    ['nomessage()', (m) => m.actions.nomessage()],
    ['errstack()', (m) => m.actions.errstack()],
    ['bogus() (200 error JSON)', (m) => m.actions.bogus()],
    ['bogus418()', (m) => m.actions.bogus418()],
    ['input()', (m) => m.actions.input()],
    ['inputproto()', (m) => m.actions.inputproto()],
    ['inputnopath()', (m) => m.actions.inputnopath()],
    ['inputnotarray()', (m) => m.actions.inputnotarray()],
    ['text()', (m) => m.actions.text()],
    ['empty500()', (m) => m.actions.empty500()],
    ['other()', (m) => m.actions.other()],
    ['null()', (m) => m.actions.null()],
    ['html() (200 HTML)', (m) => m.actions.html()],
    ['invalid() (200 non-devalue JSON)', (m) => m.actions.invalid()],
    ['unknown name', (m) => m.actions.nope({ x: 1 })],
    ['unsupported() (object to a form action)', (m) => m.actions.unsupported({ email: 'a@b.c' })],
    // orThrow: the data, or the error thrown.
    ['ok.orThrow()', (m) => m.actions.ok.orThrow()],
    ['empty.orThrow()', (m) => m.actions.empty.orThrow()],
    ['err.orThrow()', (m) => m.actions.err.orThrow()],
    ['input.orThrow()', (m) => m.actions.input.orThrow()],
    ['text.orThrow()', (m) => m.actions.text.orThrow()],
    ['other.orThrow()', (m) => m.actions.other.orThrow()],
    ['blog.like.orThrow(1)', (m) => m.actions.blog.like.orThrow(1)],
    // Inputs: what is sent.
    ['ok(undefined)', (m) => m.actions.ok(undefined)],
    ['ok(null)', (m) => m.actions.ok(null)],
    ['ok(0)', (m) => m.actions.ok(0)],
    ['ok("")', (m) => m.actions.ok('')],
    ['ok(false)', (m) => m.actions.ok(false)],
    ['ok([1,"a",null])', (m) => m.actions.ok([1, 'a', null])],
    ['ok(nested)', (m) => m.actions.ok({ b: { c: [undefined, () => 1] }, u: undefined })],
    ['ok(Date)', (m) => m.actions.ok(new Date(0))],
    ['ok(Map)', (m) => m.actions.ok(new Map([['a', 1]]))],
    ['ok(toJSON)', (m) => m.actions.ok({ toJSON: () => 'custom' })],
    ['ok(function)', (m) => m.actions.ok(() => 1)],
    ['ok(Symbol)', (m) => m.actions.ok(Symbol('s'))],
    ['ok(NaN)', (m) => m.actions.ok(NaN)],
    ['ok(File)', (m) => m.actions.ok(new File(['x'], 'x.txt'))],
    ['ok(URLSearchParams)', (m) => m.actions.ok(new URLSearchParams('a=1'))],
    ['ok(FormData)', (m) => m.actions.ok(bigForm())],
    ['ok(empty FormData)', (m) => m.actions.ok(new FormData())],
    ['ok(BigInt) rejects', (m) => m.actions.ok(1n)],
    ['ok(cycle) rejects', (m) => m.actions.ok(cyclic())],
    ['ok.orThrow(BigInt) rejects', (m) => m.actions.ok.orThrow({ n: 2n })],
    ['ok(toJSON throws a string)', (m) => m.actions.ok({ toJSON() { throw 'nope'; } })],
    ['ok(two arguments)', (m) => m.actions.ok(1, 2)],
    ['ok(1, null)', (m) => m.actions.ok(1, null)],
    ['ok.orThrow(1, "x")', (m) => m.actions.ok.orThrow(1, 'x')],
    // The proxy: any name, any depth, encoded.
    ['blog.like(x)', (m) => m.actions.blog.like({ postId: 'p1' })],
    ['blog(x) (a namespace is callable)', (m) => m.actions.blog({ x: 1 })],
    ['a.b.c.d()', (m) => m.actions.a.b.c.d()],
    ['["my.action"]()', (m) => m.actions['my.action']()],
    ['["with/slash"]()', (m) => m.actions['with/slash']()],
    ['["sp ace"]()', (m) => m.actions['sp ace']()],
    ['["ü+&?=#%"]()', (m) => m.actions['ü+&?=#%']()],
    ['[""]()', (m) => m.actions['']()],
    ['[42]()', (m) => m.actions[42]()],
    ['toString()', (m) => m.actions.toString()],
    ['constructor()', (m) => m.actions.constructor()],
    ['__proto__()', (m) => m.actions.__proto__()],
    ['hasOwnProperty()', (m) => m.actions.hasOwnProperty('x')],
    ['valueOf()', (m) => m.actions.valueOf()],
    ['then()', (m) => m.actions.then()],
    ['x.call(null, 1) (a path)', (m) => m.actions.x.call(null, 1)],
    ['x.apply(null, [1]) (a path)', (m) => m.actions.x.apply(null, [1])],
    ['x.bind(null)(1)', (m) => m.actions.x.bind(null)(1)],
    ['new x(1)', (m) => new m.actions.x(1)],
    ['String(actions) throws, after two calls', (m) => String(m.actions)],
    ['`${actions.x}`', (m) => `${m.actions.x}`],
    ['actions.x + ""', (m) => m.actions.x + ''],
    // The proxy's shape.
    ['typeof actions', (m) => typeof m.actions],
    ['typeof actions.x', (m) => typeof m.actions.x],
    ['actions (described)', (m) => m.actions],
    ['actions.x (described)', (m) => m.actions.x],
    ['actions.blog.like (described)', (m) => m.actions.blog.like],
    ['Object.keys(actions)', (m) => Object.keys(m.actions)],
    ['Object.keys(actions.x)', (m) => Object.keys(m.actions.x)],
    ['"x" in actions', (m) => 'x' in m.actions],
    ['"queryString" in actions.x', (m) => 'queryString' in m.actions.x],
    ['actions.x.name', (m) => m.actions.x.name],
    ['actions.x.length', (m) => m.actions.x.length],
    ['actions.x.prototype', (m) => m.actions.x.prototype],
    ['actions.x === actions.x', (m) => m.actions.x === m.actions.x],
    ['actions.x.orThrow (described)', (m) => m.actions.x.orThrow],
    ['actions.x.valueOf()', (m) => m.actions.x.valueOf()],
    ['actions.x.valueOf() === actions.x.valueOf', (m) => { const x = m.actions.x; return x.valueOf() === x.valueOf; }],
    ['actions.x.bind === Function.prototype.bind', (m) => m.actions.x.bind === Function.prototype.bind],
    ['actions[Symbol.iterator]', (m) => m.actions[Symbol.iterator]],
    ['actions[Symbol.toPrimitive]', (m) => m.actions[Symbol.toPrimitive]],
    ['actions.x[Symbol.hasInstance] is Function’s', (m) => m.actions.x[Symbol.hasInstance] === Function.prototype[Symbol.hasInstance]],
    ['actions.x[Symbol.toStringTag]', (m) => m.actions.x[Symbol.toStringTag]],
    ['Object.prototype.toString.call(actions)', (m) => Object.prototype.toString.call(m.actions)],
    ['Array.isArray(actions)', (m) => Array.isArray(m.actions)],
    ['JSON.stringify(actions.x)', (m) => JSON.stringify(m.actions.x)],
    // queryString, toString, $$FORM_ACTION.
    ['blog.like.queryString', (m) => m.actions.blog.like.queryString],
    ['blog.like.toString()', (m) => m.actions.blog.like.toString()],
    ['["my.action"].queryString', (m) => m.actions['my.action'].queryString],
    ['["with/slash"].queryString', (m) => m.actions['with/slash'].queryString],
    ['["sp ace"].queryString', (m) => m.actions['sp ace'].queryString],
    ['subscribe.$$FORM_ACTION()', (m) => m.actions.subscribe.$$FORM_ACTION()],
    ['["my.action"].$$FORM_ACTION()', (m) => m.actions['my.action'].$$FORM_ACTION()],
    ['["a+b c"].$$FORM_ACTION()', (m) => m.actions['a+b c'].$$FORM_ACTION()],
    ['queryString set, then toString/$$FORM_ACTION', (m) => { const x = m.actions.x; x.queryString = '?_action=y&z=1'; return [x.queryString, x.toString(), x.$$FORM_ACTION()]; }],
    // getActionPath.
    ['getActionPath(subscribe)', (m) => m.getActionPath(m.actions.subscribe)],
    ['getActionPath(blog.like)', (m) => m.getActionPath(m.actions.blog.like)],
    ['getActionPath(["my.action"])', (m) => m.getActionPath(m.actions['my.action'])],
    ['getActionPath(["with/slash"])', (m) => m.getActionPath(m.actions['with/slash'])],
    ['getActionPath(["sp ace"])', (m) => m.getActionPath(m.actions['sp ace'])],
    ['getActionPath({toString})', (m) => m.getActionPath({ toString: () => '?_action=zz&x=1' })],
    ['getActionPath({})', (m) => m.getActionPath({})],
    ['getActionPath("?_action=s/")', (m) => m.getActionPath('?_action=s/')],
    ['getActionPath(undefined) throws', (m) => m.getActionPath(undefined)],
    // ACTION_QUERY_PARAMS.
    ['ACTION_QUERY_PARAMS', (m) => m.ACTION_QUERY_PARAMS],
    // ActionError, isInputError, isActionError.
    ['new ActionError({code, message})', (m) => new m.ActionError({ code: 'NOT_FOUND', message: 'gone' })],
    ['new ActionError({code})', (m) => new m.ActionError({ code: 'FORBIDDEN' })],
    ['new ActionError({code: BOGUS})', (m) => new m.ActionError({ code: 'BOGUS', message: 'b' })],
    ['new ActionError({code, stack})', (m) => new m.ActionError({ code: 'CONFLICT', message: 's', stack: 'Error: s\n    at here' })],
    ['new ActionError() throws', (m) => new m.ActionError()],
    ['ActionError.codeToStatus', (m) => ['BAD_REQUEST', 'TOO_MANY_REQUESTS', 'NETWORK_AUTHENTICATION_REQUIRED', 'BOGUS'].map((c) => m.ActionError.codeToStatus(c))],
    ['ActionError.statusToCode', (m) => [400, 401, 404, 418, 429, 500, 511, 999, '404'].map((s) => m.ActionError.statusToCode(s))],
    ['ActionError.fromJson(action error)', (m) => m.ActionError.fromJson({ type: 'AstroActionError', code: 'UNAUTHORIZED', message: 'Not logged in' })],
    ['ActionError.fromJson(input error)', (m) => m.ActionError.fromJson({ type: 'AstroActionInputError', issues: [{ path: ['name'], message: 'Expected string' }, { path: ['name'], message: 'Too short' }, { path: ['email'], message: 'Required' }, { path: [], message: 'root' }] })],
    ['ActionError.fromJson(other)', (m) => m.ActionError.fromJson({ something: 'random' })],
    ['ActionError.fromJson(null)', (m) => m.ActionError.fromJson(null)],
    ['ActionError (described)', (m) => m.ActionError],
    ['ActionError.name / length', (m) => [m.ActionError.name, m.ActionError.length]],
    ['isActionError', (m) => [new m.ActionError({ code: 'FORBIDDEN' }), m.ActionError.fromJson({ type: 'AstroActionInputError', issues: [] }), { type: 'AstroActionError' }, new Error('x'), null, undefined, 'AstroActionError', { type: 'AstroActionInputError', issues: [] }].map((e) => m.isActionError(e))],
    ['isInputError', (m) => [new m.ActionError({ code: 'FORBIDDEN' }), m.ActionError.fromJson({ type: 'AstroActionInputError', issues: [] }), { type: 'AstroActionInputError', issues: [] }, { type: 'AstroActionInputError' }, { type: 'AstroActionInputError', issues: 'x' }, null, undefined].map((e) => m.isInputError(e))],
    ['isActionError / isInputError lengths', (m) => [m.isActionError.length, m.isInputError.length, m.getActionPath.length]],
    // Server-only functions.
    ['defineAction() throws', (m) => m.defineAction()],
    ['getActionContext() throws', (m) => m.getActionContext()],
    // Last: a property set on `actions` stays (Astro's proxy target is a plain object).
    ['actions.custom = 5; actions.custom', (m) => { m.actions.custom = 5; return [m.actions.custom, Object.keys(m.actions), 'custom' in m.actions]; }],
  ];
}

/** Runs every call on the module `m`; each call's label and observation. */
export async function run(m) {
  const previous = globalThis.fetch;
  globalThis.fetch = stubFetch;
  const results = [];
  try {
    for (const [label, call] of calls()) {
      requests = [];
      let outcome;
      try {
        const value = call(m);
        if (value instanceof Promise) {
          try {
            outcome = { resolved: describe(m, await value) };
          } catch (e) {
            outcome = { rejected: describe(m, e) };
          }
        } else {
          outcome = { returned: describe(m, value) };
        }
      } catch (e) {
        outcome = { threw: describe(m, e) };
      }
      // Let requests started without being awaited (`String(actions)`) be seen.
      await new Promise((resolve) => setTimeout(resolve, 0));
      results.push({ label, requests, ...outcome });
    }
  } finally {
    globalThis.fetch = previous;
  }
  return results;
}
