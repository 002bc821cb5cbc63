//! [`JsonSchema`] for the crate's own input and output types, so that actions using them can
//! be described: each schema is the type's plain-data (`serde_json`) form, plus the keyword
//! [`JS_TYPE`] naming the JavaScript type it stands for.
//!
//! ```
//! use schemars::JsonSchema;
//! use tower_actions::js;
//! use tower_actions::typescript::JS_TYPE;
//!
//! let schema = schemars::schema_for!(js::Date);
//! assert_eq!(schema.get(JS_TYPE).and_then(|v| v.as_str()), Some("Date"));
//! assert_eq!(schema.get("format").and_then(|v| v.as_str()), Some("date-time"));
//! # let _ = <js::Url as JsonSchema>::schema_name();
//! ```

use std::borrow::Cow;

use schemars::{JsonSchema, Schema, SchemaGenerator, json_schema};

use crate::decode::RawJson;
use crate::form_data::{FormData, UploadedFile};
use crate::js::{BigInt, Date, Map, Set, Undefined, Url};

/// The schema keyword naming the JavaScript type a schema stands for: `"Date"`, `"Map"`,
/// `"Set"`, `"URL"`, `"bigint"`, `"undefined"`, `"File"`, `"FormData"` or `"unknown"`.
///
/// Implement [`JsonSchema`] by hand with this keyword to make a type of your own one of
/// these JavaScript types in the generated client.
use super::types::JS_TYPE;

/// [`JsonSchema`] for types that are not generic: their name, their id, and their schema
/// (always inlined).
macro_rules! plain_schema {
    ($($ty:ty => $name:literal, $id:literal, $schema:tt;)*) => {
        $(impl JsonSchema for $ty {
            fn schema_name() -> Cow<'static, str> {
                $name.into()
            }
            fn schema_id() -> Cow<'static, str> {
                $id.into()
            }
            fn inline_schema() -> bool {
                true
            }
            fn json_schema(_: &mut SchemaGenerator) -> Schema {
                json_schema!($schema)
            }
        })*
    };
}

plain_schema! {
    Date => "Date", "tower_actions::js::Date",
        { "type": "string", "format": "date-time", JS_TYPE: "Date" };
    Url => "URL", "tower_actions::js::Url",
        { "type": "string", "format": "uri", JS_TYPE: "URL" };
    BigInt => "BigInt", "tower_actions::js::BigInt",
        { "type": "string", "pattern": "^-?[0-9]+$", JS_TYPE: "bigint" };
    Undefined => "Undefined", "tower_actions::js::Undefined",
        { "type": "null", JS_TYPE: "undefined" };
    RawJson => "RawJson", "tower_actions::RawJson", { JS_TYPE: "unknown" };
    FormData => "FormData", "tower_actions::FormData", { "type": "object", JS_TYPE: "FormData" };
    // What an output holding a file serializes as (`{name, size, type}`); as an input, a `File`.
    UploadedFile => "File", "tower_actions::UploadedFile", {
        "type": "object",
        "properties": {
            "name": { "type": "string" },
            "size": { "type": "number" },
            "type": { "type": "string" },
        },
        "required": ["name", "size", "type"],
        JS_TYPE: "File",
    };
}

impl<K: JsonSchema, V: JsonSchema> JsonSchema for Map<K, V> {
    fn schema_name() -> Cow<'static, str> {
        format!("Map_of_{}_and_{}", K::schema_name(), V::schema_name()).into()
    }
    fn schema_id() -> Cow<'static, str> {
        format!(
            "tower_actions::js::Map<{}, {}>",
            K::schema_id(),
            V::schema_id()
        )
        .into()
    }
    fn inline_schema() -> bool {
        true
    }
    fn json_schema(generator: &mut SchemaGenerator) -> Schema {
        let key = generator.subschema_for::<K>();
        let value = generator.subschema_for::<V>();
        json_schema!({
            "type": "array",
            "items": {
                "type": "array",
                "prefixItems": [key, value],
                "minItems": 2,
                "maxItems": 2,
            },
            JS_TYPE: "Map",
        })
    }
}

impl<T: JsonSchema> JsonSchema for Set<T> {
    fn schema_name() -> Cow<'static, str> {
        format!("Set_of_{}", T::schema_name()).into()
    }
    fn schema_id() -> Cow<'static, str> {
        format!("tower_actions::js::Set<{}>", T::schema_id()).into()
    }
    fn inline_schema() -> bool {
        true
    }
    fn json_schema(generator: &mut SchemaGenerator) -> Schema {
        let item = generator.subschema_for::<T>();
        json_schema!({ "type": "array", "items": item, "uniqueItems": true, JS_TYPE: "Set" })
    }
}
