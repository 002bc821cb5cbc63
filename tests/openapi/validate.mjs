// Validates an OpenAPI 3.1 document written by tower-actions, as `tests/it/openapi.rs` asks:
//
//   node validate.mjs <document.json | http://…/openapi.json> [samples.json] [--save <file>]
//
// 1. the document against the OpenAPI 3.1 schema, every `$ref` resolved
//    (@seriousme/openapi-schema-validator);
// 2. every Schema Object in it (component schemas, request and response schemas, and each
//    `x-devalue-decodes-to`) against JSON Schema 2020-12's meta-schema, and compiled (ajv);
// 3. each sample `{ "schema": "<component>", "body": … }` against that component schema, and
//    each `{ "at": [<JSON pointer segments>], "devalue": "<text>" }` decoded with devalue's
//    `parse` against the schema there: bodies the layer really answered.
//
// A URL is fetched (its text saved with `--save`, for the caller to compare). Prints
// `ok <n> checks`, or every failure and exits 1.

import { readFileSync, writeFileSync } from "node:fs";
import { Validator } from "@seriousme/openapi-schema-validator";
import Ajv2020 from "ajv/dist/2020.js";
import { parse } from "devalue";

const args = process.argv.slice(2);
const saveAt = args.indexOf("--save");
const save = saveAt >= 0 ? args.splice(saveAt, 2)[1] : undefined;
const [source, samplesFile] = args;

let text;
if (/^https?:/.test(source)) {
  const response = await fetch(source);
  if (response.status !== 200) {
    console.log(`GET ${source}: ${response.status}`);
    process.exit(1);
  }
  console.log(`content-type: ${response.headers.get("content-type")}`);
  text = await response.text();
} else {
  text = readFileSync(source, "utf8");
}
if (save) writeFileSync(save, text);
const document = JSON.parse(text);

const failures = [];
let checks = 0;
const check = (ok, what) => {
  checks++;
  if (!ok) failures.push(what);
};

// 1. The document.
const validator = new Validator();
const result = await validator.validate(structuredClone(document));
check(result.valid, `not valid OpenAPI ${document.openapi}: ${JSON.stringify(result.errors)}`);
check(validator.version === "3.1", `validated as OpenAPI ${validator.version}, not 3.1`);

// 2. Every Schema Object, found by its JSON pointer and compiled where it is, so that its
// `$ref`s resolve in the document.
const ID = "https://tower-actions.test/openapi.json";
const ajv = new Ajv2020({ strict: false, allErrors: true, validateFormats: false });
ajv.addSchema(document, ID);
const pointer = (segments) =>
  segments.map((s) => "/" + encodeURIComponent(String(s).replaceAll("~", "~0").replaceAll("/", "~1"))).join("");
const schemas = [];
for (const name of Object.keys(document.components?.schemas ?? {})) {
  schemas.push(["components", "schemas", name]);
}
const media = (content, at) => {
  for (const [type, object] of Object.entries(content ?? {})) {
    if (!object.schema) continue;
    schemas.push([...at, "content", type, "schema"]);
    if (object.schema["x-devalue-decodes-to"] !== undefined) {
      schemas.push([...at, "content", type, "schema", "x-devalue-decodes-to"]);
    }
  }
};
for (const [path, item] of Object.entries(document.paths ?? {})) {
  for (const [method, operation] of Object.entries(item)) {
    media(operation.requestBody?.content, ["paths", path, method, "requestBody"]);
    for (const [status, response] of Object.entries(operation.responses ?? {})) {
      media(response.content, ["paths", path, method, "responses", status]);
    }
  }
}
for (const [name, response] of Object.entries(document.components?.responses ?? {})) {
  media(response.content, ["components", "responses", name]);
}
for (const [i, segments] of schemas.entries()) {
  const at = pointer(segments);
  const schema = segments.reduce((value, key) => value[key], document);
  const valid = ajv.validateSchema(schema);
  check(valid, `${at}: not a JSON Schema 2020-12 schema: ${JSON.stringify(ajv.errors)}`);
  if (!valid) continue;
  try {
    ajv.compile({ $id: `${ID}/schema/${i}`, $ref: `${ID}#${at}` });
  } catch (err) {
    check(false, `${at}: does not compile: ${err.message}`);
  }
}

// 3. Real bodies against their schemas.
if (samplesFile) {
  const samples = JSON.parse(readFileSync(samplesFile, "utf8"));
  for (const [i, sample] of samples.entries()) {
    const at = sample.at ? pointer(sample.at) : pointer(["components", "schemas", sample.schema]);
    const body = sample.at ? parse(sample.devalue) : sample.body;
    let validate;
    try {
      validate = ajv.compile({ $id: `${ID}/sample/${i}`, $ref: `${ID}#${at}` });
    } catch (err) {
      check(false, `${sample.what}: no schema at ${at}: ${err.message}`);
      continue;
    }
    check(
      validate(body),
      `${sample.what}: ${JSON.stringify(body)} does not match ${at}: ${JSON.stringify(validate.errors)}`,
    );
  }
}

if (failures.length) {
  console.log(`${failures.length} of ${checks} checks failed:`);
  for (const failure of failures) console.log(`- ${failure}`);
  process.exit(1);
}
console.log(`ok ${checks} checks`);
