//! An OpenAPI 3.1 document of the actions (feature `openapi`), for teams that call them
//! from outside JavaScript: one `POST` operation per action, its request body, its devalue
//! result and Astro's error bodies.
//!
//! [`OpenApi`] collects actions as [`ClientModule`](crate::typescript::ClientModule) does:
//! [`OpenApi::from_layer`] lists every action a layer serves (under its base path), and
//! [`OpenApi::action`] describes one with its input and output types'
//! [`schemars::JsonSchema`], the same schemas the TypeScript client is typed from. Each
//! operation says:
//!
//! - **the path**: `{base}/_actions/<name>` (the layer also answers with a trailing `/`);
//! - **the request body**: `application/json` for a JSON action (not required when the input
//!   accepts `undefined`: an `Option`, `()`, [`RawJson`](crate::input::RawJson)), or
//!   `application/x-www-form-urlencoded` and `multipart/form-data` for a form action, whose
//!   schema is the input after Astro's form coercion, with each
//!   [`UploadedFile`](crate::input::UploadedFile) a binary part
//!   (`contentMediaType: application/octet-stream`);
//! - **the result**: `200 application/json+devalue`, a devalue document
//!   (`#/components/schemas/DevalueDocument`) whose keyword `x-devalue-decodes-to` holds the
//!   schema of the value it decodes to (the output type, written for serialization; `null`
//!   there is JavaScript's `undefined`, and `x-js-type` marks `Date`, `Map`, `Set`, `URL`,
//!   `bigint`); `204` with no body when the output can be `undefined` (`()`, `None`);
//! - **the errors**: `400` (`AstroActionInputError` with `issues` and `fields`, or an
//!   `AstroActionError` for a body that cannot be read), `403` for a form action (the origin
//!   check's `text/plain` refusal, or a handler's `FORBIDDEN`), `404`, `413`, `415`, `500`,
//!   and `default` for any other code a handler or gate answers, each an `AstroActionError`
//!   (`type`, `code`, `status`, `message`). Any other method than `POST` is answered `405`
//!   with `Allow: POST`, which the document's description says (an operation per refused
//!   method would only add noise).
//!
//! The document is a [`serde_json::Value`] with its keys in a fixed order (paths and
//! component schemas sorted by name), so the same actions always give the same bytes.
//!
//! ```
//! use serde::{Deserialize, Serialize};
//! use tower_actions::openapi::OpenApi;
//! use tower_actions::{Action, ActionApiContext, ActionError, Actions, ActionsLayer};
//!
//! #[derive(Deserialize, schemars::JsonSchema, garde::Validate)]
//! struct Greeting {
//!     #[garde(length(chars, min = 1))]
//!     name: String,
//! }
//!
//! struct Greet;
//! impl Action for Greet {
//!     const NAME: &'static str = "greet";
//!     type Input = Greeting;
//!     type Output = String;
//!     async fn handle(&self, input: Greeting, _: &mut ActionApiContext) -> Result<String, ActionError> {
//!         Ok(format!("Hello, {}!", input.name))
//!     }
//! }
//!
//! let layer = ActionsLayer::new(Actions::new().add(Greet)).base_path("/app");
//! let document = OpenApi::from_layer(&layer)
//!     .action::<Greet>()
//!     .title("Greetings")
//!     .version("1.0.0")
//!     .to_value();
//!
//! let greet = &document["paths"]["/app/_actions/greet"]["post"];
//! assert_eq!(greet["operationId"], "greet");
//! let input = &greet["requestBody"]["content"]["application/json"]["schema"];
//! assert_eq!(input["$ref"], "#/components/schemas/Greeting");
//! assert_eq!(document["components"]["schemas"]["Greeting"]["required"][0], "name");
//! let ok = &greet["responses"]["200"]["content"]["application/json+devalue"]["schema"];
//! assert_eq!(ok["$ref"], "#/components/schemas/DevalueDocument");
//! assert_eq!(ok["x-devalue-decodes-to"]["type"], "string");
//! assert_eq!(greet["responses"]["400"]["$ref"], "#/components/responses/BadRequest");
//! ```

use std::collections::BTreeMap;

use schemars::generate::SchemaSettings;
use schemars::{JsonSchema, Schema, SchemaGenerator};
use serde_json::{Map, Value, json};

use crate::action::{Accept, Action};
use crate::error::ActionErrorCode;
use crate::layer::ActionsLayer;
use crate::registry::Actions;
use crate::typescript::JS_TYPE;

/// The OpenAPI version the document is written in.
const OPENAPI_VERSION: &str = "3.1.1";

/// Where schemas go in the document, as a JSON pointer.
const SCHEMAS: &str = "/components/schemas";

/// The keyword of the 200 response's schema holding the schema of the decoded value.
pub const DECODES_TO: &str = "x-devalue-decodes-to";

/// The schema of one type, written into a generator shared by the whole document.
type SchemaFn = fn(&mut SchemaGenerator) -> Schema;

fn subschema<T: JsonSchema>(generator: &mut SchemaGenerator) -> Schema {
    generator.subschema_for::<T>()
}

/// One action as the document knows it: without types, its schemas are `{}` (any value).
#[derive(Debug, Clone, Copy)]
struct Entry {
    accept: Accept,
    input: Option<SchemaFn>,
    output: Option<SchemaFn>,
}

/// The limits a 413 names, when the document was made from a layer.
#[derive(Debug, Clone, Copy)]
struct Limits {
    body: usize,
    file: usize,
}

/// An OpenAPI 3.1 document of a set of actions: build it from a layer or from the actions'
/// types, then write it with [`to_value`](OpenApi::to_value) or
/// [`to_json`](OpenApi::to_json). See the [module docs](self) for what it says.
#[derive(Debug, Clone)]
#[doc(alias = "swagger")]
pub struct OpenApi {
    actions: BTreeMap<String, Entry>,
    base: String,
    title: String,
    version: String,
    limits: Option<Limits>,
}

impl Default for OpenApi {
    fn default() -> Self {
        OpenApi::new()
    }
}

impl OpenApi {
    /// A document with no actions, at the root path, titled `Actions`, version `0.0.0`.
    pub fn new() -> Self {
        OpenApi {
            actions: BTreeMap::new(),
            base: String::new(),
            title: "Actions".to_owned(),
            version: "0.0.0".to_owned(),
            limits: None,
        }
    }

    /// A document listing every action of a registry, without types: inputs and outputs are
    /// any value (`{}`) until [`action`](OpenApi::action) describes them.
    pub fn from_actions(actions: &Actions) -> Self {
        let mut document = OpenApi::new();
        for (name, accept) in actions.entries() {
            let entry = Entry {
                accept,
                input: None,
                output: None,
            };
            document.actions.insert(name.to_owned(), entry);
        }
        document
    }

    /// A document listing every action a layer serves ([`from_actions`](OpenApi::from_actions)),
    /// under the layer's [base path](ActionsLayer::base_path), its `413` naming the layer's
    /// body and file limits.
    pub fn from_layer(layer: &ActionsLayer) -> Self {
        let limits = layer.limits();
        OpenApi {
            base: layer.base().to_owned(),
            limits: Some(Limits {
                body: limits.body_limit,
                file: limits.file_limit,
            }),
            ..OpenApi::from_actions(layer.actions())
        }
    }

    /// Describes the action `A` with its input and output types, replacing what the
    /// document said of an action of that name (typically the untyped entry of
    /// [`from_layer`](OpenApi::from_layer)), or adding it.
    ///
    /// # Panics
    ///
    /// As [`Actions::add`](crate::Actions::add): when the name is malformed, or a namespace
    /// of another action (or has one as its namespace).
    #[track_caller]
    pub fn action<A>(mut self) -> Self
    where
        A: Action,
        A::Input: JsonSchema,
        A::Output: JsonSchema,
    {
        let others = self.actions.keys().map(String::as_str);
        crate::typescript::check_new_name(A::NAME, others.filter(|other| *other != A::NAME));
        let entry = Entry {
            accept: A::ACCEPT,
            input: Some(subschema::<A::Input>),
            output: Some(subschema::<A::Output>),
        };
        self.actions.insert(A::NAME.to_owned(), entry);
        self
    }

    /// The base path the actions are served under, as
    /// [`ActionsLayer::base_path`] takes it: `/app` puts them at `/app/_actions/<name>`.
    pub fn base(mut self, base: &str) -> Self {
        let base = base.trim_end_matches('/');
        self.base = if base.is_empty() || base.starts_with('/') {
            base.to_owned()
        } else {
            format!("/{base}")
        };
        self
    }

    /// The API's title (`info.title`; default `Actions`).
    pub fn title(mut self, title: impl Into<String>) -> Self {
        self.title = title.into();
        self
    }

    /// The API's version (`info.version`, the version of your API, not of OpenAPI; default
    /// `0.0.0`).
    pub fn version(mut self, version: impl Into<String>) -> Self {
        self.version = version.into();
        self
    }

    /// The names of the actions described, in alphabetical order.
    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.actions.keys().map(String::as_str)
    }

    /// The document, pretty-printed JSON (what to serve at `/openapi.json`).
    pub fn to_json(&self) -> String {
        // A `Value` always serializes.
        serde_json::to_string_pretty(&self.to_value()).unwrap_or_default()
    }

    /// The document.
    pub fn to_value(&self) -> Value {
        // Inputs are what the server deserializes, outputs what it serializes: one generator
        // for each, so that serde's one-sided attributes are read the right way.
        let settings = SchemaSettings::draft2020_12().with(|settings| {
            settings.definitions_path = SCHEMAS.into();
            settings.meta_schema = None;
        });
        let mut inputs = settings.clone().for_deserialize().into_generator();
        let mut outputs = settings.for_serialize().into_generator();
        let described: Vec<(&str, Accept, Value, Value)> = self
            .actions
            .iter()
            .map(|(name, entry)| {
                let schema = |describe: Option<SchemaFn>, generator: &mut SchemaGenerator| {
                    describe.map_or_else(|| json!({}), |describe| describe(generator).to_value())
                };
                let mut input = schema(entry.input, &mut inputs);
                files_as_parts(&mut input);
                let output = schema(entry.output, &mut outputs);
                (name.as_str(), entry.accept, input, output)
            })
            .collect();
        let mut input_defs = inputs.take_definitions(true);
        for schema in input_defs.values_mut() {
            files_as_parts(schema);
        }
        let output_defs = outputs.take_definitions(true);
        let (mut schemas, renamed) = merge_definitions(input_defs, output_defs);

        let mut paths = Map::new();
        for (name, accept, input, mut output) in described {
            rename_refs(&mut output, &renamed);
            let path = format!(
                "{}/_actions/{}",
                self.base,
                crate::client::encoded_name(name)
            );
            paths.insert(
                path,
                json!({ "post": operation(name, accept, input, output) }),
            );
        }

        for (name, schema) in error_schemas() {
            schemas.insert(name.to_owned(), schema);
        }
        let schemas: BTreeMap<String, Value> = schemas.into_iter().collect();
        json!({
            "openapi": OPENAPI_VERSION,
            "info": {
                "title": self.title,
                "version": self.version,
                "description": INFO_DESCRIPTION,
            },
            "paths": paths,
            "components": {
                "schemas": schemas,
                "responses": self.responses(),
            },
        })
    }

    /// The shared error responses, by name.
    fn responses(&self) -> Value {
        let error = |description: String| {
            json!({
                "description": description,
                "content": { "application/json": { "schema": schema_ref("AstroActionError") } },
            })
        };
        let too_large = match self.limits {
            Some(Limits { body, file }) => format!(
                "`CONTENT_TOO_LARGE`: the body is over {body} bytes, or an uploaded file over {file} bytes."
            ),
            None => "`CONTENT_TOO_LARGE`: the body is over the layer's body limit (1 MiB unless configured), or an uploaded file over its file limit.".to_owned(),
        };
        json!({
            "BadRequest": {
                "description": "The input failed validation (`AstroActionInputError`: zod 4's issues, and their messages by field), or the body could not be read (`AstroActionError`, `BAD_REQUEST`: malformed JSON or form data, JSON nested too deep).",
                "content": {
                    "application/json": {
                        "schema": {
                            "oneOf": [schema_ref("AstroActionInputError"), schema_ref("AstroActionError")],
                        },
                    },
                },
            },
            "Forbidden": {
                "description": "A cross-site form submission, refused by the origin check before any gate (plain text, as Astro answers), or a gate's or the action's own `FORBIDDEN`.",
                "content": {
                    "text/plain": {
                        "schema": { "type": "string" },
                        "example": "Cross-site POST form submissions are forbidden",
                    },
                    "application/json": { "schema": schema_ref("AstroActionError") },
                },
            },
            "NotFound": error("`NOT_FOUND`: the server has no action of this name (with an empty message), or the action answered `NOT_FOUND`.".to_owned()),
            "ContentTooLarge": error(too_large),
            "UnsupportedMediaType": error("`UNSUPPORTED_MEDIA_TYPE`: the body is not of a content type the action accepts (`This action only accepts JSON.` or `This action only accepts FormData.`).".to_owned()),
            "InternalServerError": error("`INTERNAL_SERVER_ERROR`: the action failed unexpectedly or panicked; the message is `Internal server error` unless the layer exposes internal errors.".to_owned()),
            "ActionError": error("Any other error the action or a gate answers: an `AstroActionError` whose `status` is the response's.".to_owned()),
        })
    }
}

/// `info.description`: what every operation has in common.
const INFO_DESCRIPTION: &str = "Astro Actions served by tower-actions. Each action is called \
    with `POST` at its path (a trailing `/` is accepted too; any other method is answered 405 \
    `METHOD_NOT_ALLOWED` with `Allow: POST`). A result is a devalue document \
    (`application/json+devalue`): decode it with devalue's `parse` (npm `devalue` 5) to get the \
    value described by its schema's `x-devalue-decodes-to`; an action that returned \
    `undefined` answers 204. Errors are Astro's JSON error bodies.";

fn schema_ref(name: &str) -> Value {
    json!({ "$ref": format!("#{SCHEMAS}/{}", encode_pointer(name)) })
}

/// A name as one JSON pointer segment.
fn encode_pointer(name: &str) -> String {
    name.replace('~', "~0").replace('/', "~1")
}

/// One action's operation.
fn operation(name: &str, accept: Accept, input: Value, output: Value) -> Value {
    let mut operation = Map::new();
    operation.insert("operationId".into(), name.into());
    let (kind, content) = match accept {
        Accept::Json => (
            "JSON",
            json!({ "application/json": { "schema": input.clone() } }),
        ),
        Accept::Form => (
            "a form",
            json!({
                "application/x-www-form-urlencoded": { "schema": input.clone() },
                "multipart/form-data": { "schema": input.clone() },
            }),
        ),
    };
    operation.insert(
        "summary".into(),
        format!("The action `{name}` (takes {kind})").into(),
    );
    let body_description = match accept {
        Accept::Json => {
            "The input, as JSON. Without a body (and a content type) the input is `undefined`."
        }
        Accept::Form => {
            "The input, as form fields, read as Astro reads them: a number from its text, a boolean true unless absent or `false` (a checkbox's `on` is true), an array from every value of a repeated name, an empty text field as `null`, a nested object from dotted names (`address.city`); files as multipart parts. The schema is the input once read."
        }
    };
    // A JSON action without a body gets `undefined`; a form action refuses it (415).
    let required = accept == Accept::Form || !admits_undefined(&input);
    operation.insert(
        "requestBody".into(),
        json!({ "description": body_description, "required": required, "content": content }),
    );

    let mut responses = Map::new();
    if admits_data(&output) {
        let mut schema = schema_ref("DevalueDocument");
        schema[DECODES_TO] = output.clone();
        responses.insert(
            "200".into(),
            json!({
                "description": "The action's output, as a devalue document: `x-devalue-decodes-to` is the schema of the value it decodes to.",
                "content": { "application/json+devalue": { "schema": schema } },
            }),
        );
    }
    if admits_undefined(&output) {
        responses.insert(
            "204".into(),
            json!({ "description": "The action returned `undefined` (`()`, `None`): no body." }),
        );
    }
    let mut error = |status: &str, response: &str| {
        responses.insert(
            status.into(),
            json!({ "$ref": format!("#/components/responses/{response}") }),
        );
    };
    error("400", "BadRequest");
    if accept == Accept::Form {
        error("403", "Forbidden");
    }
    error("404", "NotFound");
    error("413", "ContentTooLarge");
    error("415", "UnsupportedMediaType");
    error("500", "InternalServerError");
    error("default", "ActionError");
    operation.insert("responses".into(), responses.into());
    operation.into()
}

/// Whether a (top-level) schema admits `undefined`, which the layer answers with 204 and
/// takes for a missing body: `null` in an unnamed schema (`()`, `Option<T>`), or any value.
/// A `$ref` is a named type: a unit struct's `null` is sent as `null`, not `undefined`.
fn admits_undefined(schema: &Value) -> bool {
    let object = match schema {
        Value::Bool(any) => return *any,
        Value::Object(object) => object,
        _ => return false,
    };
    if object.contains_key("$ref") {
        return false;
    }
    if types(object).contains(&"null") {
        return true;
    }
    for key in ["anyOf", "oneOf"] {
        if let Some(parts) = object.get(key).and_then(Value::as_array) {
            return parts.iter().any(admits_undefined);
        }
    }
    let constrained = ["type", "const", "enum", "allOf", "not", "if"];
    !constrained.iter().any(|key| object.contains_key(*key))
}

/// Whether a (top-level) output schema admits a value sent with a body (200): anything but
/// an unnamed `null` alone (`()`, `js::Undefined`).
fn admits_data(schema: &Value) -> bool {
    match schema {
        Value::Bool(any) => *any,
        Value::Object(object) => object.contains_key("$ref") || types(object) != ["null"],
        _ => false,
    }
}

/// The `type` keyword's types.
fn types(object: &Map<String, Value>) -> Vec<&str> {
    match object.get("type") {
        Some(Value::String(ty)) => vec![ty.as_str()],
        Some(Value::Array(types)) => types.iter().filter_map(Value::as_str).collect(),
        _ => Vec::new(),
    }
}

/// Rewrites every file (`x-js-type: File`) of an input schema as the binary part a form
/// sends (the schema of an [`UploadedFile`](crate::UploadedFile) describes it as an output:
/// `{name, size, type}`).
fn files_as_parts(schema: &mut Value) {
    match schema {
        Value::Object(object) => {
            if object.get(JS_TYPE).and_then(Value::as_str) == Some("File") {
                *schema = json!({
                    "type": "string",
                    "format": "binary",
                    "contentMediaType": "application/octet-stream",
                    JS_TYPE: "File",
                });
                return;
            }
            object.values_mut().for_each(files_as_parts);
        }
        Value::Array(items) => items.iter_mut().for_each(files_as_parts),
        _ => {}
    }
}

/// One set of component schemas from the input and output definitions: a type described
/// the same way on both sides is one component; one that differs (a file, a one-sided serde
/// attribute, or a reference to such a type) keeps its name for the input, and its output
/// gets `<name>.Output`. Returns the components and the output names renamed.
fn merge_definitions(
    inputs: Map<String, Value>,
    mut outputs: Map<String, Value>,
) -> (Map<String, Value>, BTreeMap<String, String>) {
    let taken = |name: &str| inputs.contains_key(name) || outputs.contains_key(name);
    // Renaming one output definition changes those referring to it: repeat until stable.
    let mut renamed: BTreeMap<String, String> = BTreeMap::new();
    loop {
        let mut next = BTreeMap::new();
        for (name, output) in &outputs {
            let Some(input) = inputs.get(name) else {
                continue;
            };
            let mut output = output.clone();
            rename_refs(&mut output, &renamed);
            if &output != input {
                let mut new_name = format!("{name}.Output");
                let mut n = 2;
                while taken(&new_name) {
                    new_name = format!("{name}.Output{n}");
                    n += 1;
                }
                next.insert(name.clone(), new_name);
            }
        }
        if next == renamed {
            break;
        }
        renamed = next;
    }
    let mut schemas = inputs;
    for (name, mut output) in std::mem::take(&mut outputs) {
        rename_refs(&mut output, &renamed);
        let name = renamed.get(&name).cloned().unwrap_or(name);
        schemas.entry(name).or_insert(output);
    }
    (schemas, renamed)
}

/// Points the `$ref`s to renamed component schemas at their new names.
fn rename_refs(schema: &mut Value, renamed: &BTreeMap<String, String>) {
    if renamed.is_empty() {
        return;
    }
    match schema {
        Value::Object(object) => {
            if let Some(Value::String(reference)) = object.get_mut("$ref") {
                let prefix = format!("#{SCHEMAS}/");
                if let Some(tail) = reference.strip_prefix(&prefix) {
                    let name = tail.replace("~1", "/").replace("~0", "~");
                    if let Some(new_name) = renamed.get(&name) {
                        *reference = format!("{prefix}{}", encode_pointer(new_name));
                    }
                }
            }
            for value in object.values_mut() {
                rename_refs(value, renamed);
            }
        }
        Value::Array(items) => items.iter_mut().for_each(|item| rename_refs(item, renamed)),
        _ => {}
    }
}

/// The component schemas of Astro's bodies: the errors and the devalue document.
fn error_schemas() -> [(&'static str, Value); 4] {
    let codes: Vec<&str> = ActionErrorCode::ALL
        .iter()
        .map(|code| code.as_str())
        .collect();
    let statuses: Vec<u16> = {
        let mut statuses: Vec<u16> = ActionErrorCode::ALL
            .iter()
            .map(|code| code.status().as_u16())
            .collect();
        statuses.dedup();
        statuses
    };
    [
        (
            "AstroActionError",
            json!({
                "description": "An action's error (Astro's `ActionError`): its code, the code's HTTP status, and a message.",
                "type": "object",
                "properties": {
                    "type": { "const": "AstroActionError" },
                    "code": { "enum": codes },
                    "status": { "type": "integer", "enum": statuses },
                    "message": { "type": "string" },
                },
                "required": ["type", "code", "status", "message"],
            }),
        ),
        (
            "AstroActionInputError",
            json!({
                "description": "An input that failed validation (Astro's `ActionInputError`, `BAD_REQUEST`): zod 4's issues, and their messages grouped by the first segment of their path.",
                "type": "object",
                "properties": {
                    "type": { "const": "AstroActionInputError" },
                    "issues": { "type": "array", "items": schema_ref("ZodIssue") },
                    "fields": {
                        "type": "object",
                        "additionalProperties": { "type": "array", "items": { "type": "string" } },
                    },
                },
                "required": ["type", "issues", "fields"],
            }),
        ),
        (
            "DevalueDocument",
            json!({
                "description": "A value serialized by devalue's `stringify` (npm `devalue` 5): a flat JSON array of the value's parts, the first being the root, or a negative integer for a number JSON cannot write (-3 NaN, -4 Infinity, -5 -Infinity, -6 -0). Read it with devalue's `parse`. In the schema of what it decodes to (`x-devalue-decodes-to`), `null` is JavaScript's `undefined`, and `x-js-type` names the JavaScript type a value arrives as (`Date`, `Map`, `Set`, `URL`, `bigint`).",
                "anyOf": [
                    { "type": "array", "minItems": 1 },
                    { "enum": [-3, -4, -5, -6] },
                ],
            }),
        ),
        (
            "ZodIssue",
            json!({
                "description": "One problem with the input: a zod 4 issue object. Besides `code`, `path` and `message`, it carries the keys zod 4 writes for its code (`expected`, `origin`, `minimum`, `inclusive`, `format`, `values`, ...).",
                "type": "object",
                "properties": {
                    "code": { "type": "string" },
                    "path": {
                        "type": "array",
                        "items": { "type": ["string", "integer"] },
                    },
                    "message": { "type": "string" },
                },
                "required": ["code", "path", "message"],
            }),
        ),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn undefined_and_data_follow_what_the_layer_answers() {
        let unit = json!({ "type": "null" });
        let option = json!({ "type": ["string", "null"] });
        let option_ref =
            json!({ "anyOf": [{ "$ref": "#/components/schemas/A" }, { "type": "null" }] });
        let named = json!({ "$ref": "#/components/schemas/A" });
        let any = json!({});
        let raw = json!({ JS_TYPE: "unknown" });
        let string = json!({ "type": "string" });
        for (schema, undefined, data) in [
            (&unit, true, false),
            (&option, true, true),
            (&option_ref, true, true),
            (&named, false, true),
            (&any, true, true),
            (&raw, true, true),
            (&string, false, true),
        ] {
            assert_eq!(admits_undefined(schema), undefined, "{schema}");
            assert_eq!(admits_data(schema), data, "{schema}");
        }
    }

    #[test]
    fn a_definition_that_differs_between_sides_is_renamed_with_those_referring_to_it() {
        let inputs: Map<String, Value> = serde_json::from_value(json!({
            "File": { "type": "string" },
            "Holder": { "properties": { "f": { "$ref": "#/components/schemas/File" } } },
            "Same": { "type": "integer" },
        }))
        .unwrap();
        let outputs: Map<String, Value> = serde_json::from_value(json!({
            "File": { "type": "object" },
            "Holder": { "properties": { "f": { "$ref": "#/components/schemas/File" } } },
            "Same": { "type": "integer" },
            "OutOnly": { "$ref": "#/components/schemas/Holder" },
        }))
        .unwrap();
        let (schemas, renamed) = merge_definitions(inputs, outputs);
        assert_eq!(renamed["File"], "File.Output");
        assert_eq!(renamed["Holder"], "Holder.Output");
        assert!(!renamed.contains_key("Same"));
        let keys: Vec<&str> = schemas.keys().map(String::as_str).collect();
        assert_eq!(
            keys,
            [
                "File",
                "Holder",
                "Same",
                "File.Output",
                "Holder.Output",
                "OutOnly"
            ]
        );
        assert_eq!(
            schemas["Holder.Output"]["properties"]["f"]["$ref"],
            "#/components/schemas/File.Output"
        );
        assert_eq!(
            schemas["OutOnly"]["$ref"],
            "#/components/schemas/Holder.Output"
        );
    }
}
