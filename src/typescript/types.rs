//! JSON Schema (as `schemars` writes it for serde types) to TypeScript type text.
//!
//! An input is what the client sends: JSON, so its JavaScript types are their JSON forms
//! (`Map` an array of pairs, `bigint` a decimal string) and `null` is `null`. An output is
//! what devalue brings back: `Date`, `Map<K, V>`, `Set<T>`, `URL`, `bigint`, and `null`
//! (an `Option`'s `None`, `()`) is `undefined`, its property optional.

use serde_json::{Map, Value};

/// The JSON Schema keyword naming the JavaScript type a schema stands for (`Date`, `Map`, …).
pub const JS_TYPE: &str = "x-js-type";

/// Which way a value travels.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Mode {
    /// Sent by the client as JSON (or form entries).
    Input,
    /// Read by the client from devalue.
    Output,
}

/// Renders schemas of one root (whose `$defs` its `$ref`s point into).
pub(crate) struct Renderer<'a> {
    mode: Mode,
    defs: Option<&'a Map<String, Value>>,
    /// The definitions being rendered: a `$ref` back into one of them is `unknown`.
    stack: Vec<&'a str>,
}

impl<'a> Renderer<'a> {
    /// A renderer for the root schema `root`.
    pub(crate) fn new(root: &'a Value, mode: Mode) -> Self {
        let defs = root
            .get("$defs")
            .or_else(|| root.get("definitions"))
            .and_then(Value::as_object);
        Renderer {
            mode,
            defs,
            stack: Vec::new(),
        }
    }

    /// The TypeScript type of `schema`, objects indented by `indent` levels.
    pub(crate) fn render(&mut self, schema: &'a Value, indent: usize) -> String {
        let object = match schema {
            Value::Bool(true) => return "unknown".into(),
            Value::Bool(false) => return "never".into(),
            Value::Object(object) => object,
            _ => return "unknown".into(),
        };
        let nullable = types(object).contains(&"null");
        if let Some(js) = object.get(JS_TYPE).and_then(Value::as_str) {
            let ty = self.js_type(js, object, indent);
            return if nullable && js != "undefined" {
                self.union(vec![ty, self.null().into()])
            } else {
                ty
            };
        }
        if let Some(reference) = object.get("$ref").and_then(Value::as_str) {
            return self.reference(reference, indent);
        }
        if let Some(value) = object.get("const") {
            return self.literal(value);
        }
        if let Some(values) = object.get("enum").and_then(Value::as_array) {
            return self.union(values.iter().map(|v| self.literal(v)).collect());
        }
        for key in ["oneOf", "anyOf"] {
            if let Some(parts) = object.get(key).and_then(Value::as_array) {
                let parts = parts.iter().map(|p| self.render(p, indent)).collect();
                return self.union(parts);
            }
        }
        if let Some(parts) = object.get("allOf").and_then(Value::as_array) {
            let parts: Vec<String> = parts
                .iter()
                .map(|p| paren(self.render(p, indent)))
                .collect();
            return parts.join(" & ");
        }
        let types = types(object);
        if types.is_empty() {
            if object.contains_key("properties") {
                return self.object(object, indent);
            }
            return "unknown".into();
        }
        let parts = types
            .into_iter()
            .map(|ty| match ty {
                "null" => self.null().into(),
                "boolean" => "boolean".into(),
                "integer" | "number" => "number".into(),
                "string" => "string".into(),
                "array" => self.array(object, indent),
                "object" => self.object(object, indent),
                _ => "unknown".into(),
            })
            .collect();
        self.union(parts)
    }

    /// What JSON's `null` is on this side: `null` sent, `undefined` received.
    fn null(&self) -> &'static str {
        match self.mode {
            Mode::Input => "null",
            Mode::Output => "undefined",
        }
    }

    fn js_type(&mut self, js: &str, object: &'a Map<String, Value>, indent: usize) -> String {
        let items = object.get("items");
        match (js, self.mode) {
            ("Date", Mode::Output) => "Date".into(),
            ("Date", Mode::Input) => "Date | string".into(),
            ("URL", Mode::Output) => "URL".into(),
            ("URL", Mode::Input) => "URL | string".into(),
            ("bigint", Mode::Output) => "bigint".into(),
            ("bigint", Mode::Input) => "string".into(),
            ("undefined", Mode::Output) => "undefined".into(),
            ("undefined", Mode::Input) => "null | undefined".into(),
            ("Map", Mode::Output) => {
                let pair = items
                    .and_then(|i| i.get("prefixItems"))
                    .and_then(Value::as_array);
                match pair.map(Vec::as_slice) {
                    Some([key, value]) => format!(
                        "Map<{}, {}>",
                        self.render(key, indent),
                        self.render(value, indent)
                    ),
                    _ => "Map<unknown, unknown>".into(),
                }
            }
            ("Set", Mode::Output) => match items {
                Some(item) => format!("Set<{}>", self.render(item, indent)),
                None => "Set<unknown>".into(),
            },
            // Sent as JSON: their plain-data forms.
            ("Map" | "Set", Mode::Input) => self.array(object, indent),
            ("File", Mode::Input) => "File".into(),
            ("File", Mode::Output) => self.object(object, indent),
            ("FormData", Mode::Input) => "FormData".into(),
            _ => "unknown".into(),
        }
    }

    fn reference(&mut self, reference: &str, indent: usize) -> String {
        let name = reference.rsplit('/').next().unwrap_or(reference);
        let Some((key, target)) = self.defs.and_then(|defs| defs.get_key_value(name)) else {
            return "unknown".into();
        };
        if self.stack.contains(&key.as_str()) {
            // A recursive type: described once, `unknown` where it recurs.
            return "unknown".into();
        }
        self.stack.push(key);
        let ty = self.render(target, indent);
        self.stack.pop();
        ty
    }

    fn literal(&self, value: &Value) -> String {
        match value {
            Value::Null => self.null().into(),
            Value::Bool(_) | Value::Number(_) | Value::String(_) => value.to_string(),
            _ => "unknown".into(),
        }
    }

    fn union(&self, parts: Vec<String>) -> String {
        let mut unique: Vec<String> = Vec::new();
        for part in parts {
            for piece in split_union(&part) {
                if !unique.contains(&piece) {
                    unique.push(piece);
                }
            }
        }
        match unique.len() {
            0 => "never".into(),
            _ => unique.join(" | "),
        }
    }

    fn array(&mut self, object: &'a Map<String, Value>, indent: usize) -> String {
        if let Some(prefix) = object.get("prefixItems").and_then(Value::as_array) {
            let mut parts: Vec<String> = prefix.iter().map(|p| self.render(p, indent)).collect();
            match object.get("items") {
                None | Some(Value::Bool(false)) => {}
                Some(rest) => parts.push(format!("...{}", array_of(self.render(rest, indent)))),
            }
            return format!("[{}]", parts.join(", "));
        }
        match object.get("items") {
            Some(item) => array_of(self.render(item, indent)),
            None => "unknown[]".into(),
        }
    }

    fn object(&mut self, object: &'a Map<String, Value>, indent: usize) -> String {
        let properties = object.get("properties").and_then(Value::as_object);
        let required: Vec<&str> = object
            .get("required")
            .and_then(Value::as_array)
            .map(|r| r.iter().filter_map(Value::as_str).collect())
            .unwrap_or_default();
        let extra = match object.get("additionalProperties") {
            Some(Value::Bool(false)) => None,
            Some(schema @ Value::Object(_)) => Some(self.render(schema, indent + 1)),
            _ => properties.is_none().then(|| "unknown".to_owned()),
        };
        let properties = match properties {
            Some(properties) if !properties.is_empty() => properties,
            _ => {
                return match extra {
                    Some(value) => format!("Record<string, {value}>"),
                    None => "Record<string, never>".into(),
                };
            }
        };
        let pad = "  ".repeat(indent + 1);
        let mut out = String::from("{\n");
        for (name, schema) in properties {
            if let Some(doc) = schema.get("description").and_then(Value::as_str) {
                out.push_str(&format!("{pad}/** {} */\n", doc.replace("*/", "*\\/")));
            }
            let mut ty = self.render(schema, indent + 1);
            let optional = !required.contains(&name.as_str());
            if optional
                && self.mode == Mode::Output
                && !split_union(&ty).iter().any(|t| t == "undefined")
            {
                ty.push_str(" | undefined");
            }
            out.push_str(&format!(
                "{pad}{}{}: {ty};\n",
                property_name(name),
                if optional { "?" } else { "" }
            ));
        }
        if extra.is_some() {
            // Every named property must fit the index signature: only `unknown` always does.
            out.push_str(&format!("{pad}[key: string]: unknown;\n"));
        }
        out.push_str(&"  ".repeat(indent));
        out.push('}');
        out
    }
}

/// The `type` keyword as a list.
fn types(object: &Map<String, Value>) -> Vec<&str> {
    match object.get("type") {
        Some(Value::String(ty)) => vec![ty.as_str()],
        Some(Value::Array(types)) => types.iter().filter_map(Value::as_str).collect(),
        _ => Vec::new(),
    }
}

/// `T[]`, with `T` parenthesized when it is a union or intersection.
fn array_of(item: String) -> String {
    format!("{}[]", paren(item))
}

/// `(T)` when `T` is a union, intersection or function type; `T` otherwise.
fn paren(ty: String) -> String {
    if split_union(&ty).len() > 1 || top_level_contains(&ty, '&') {
        format!("({ty})")
    } else {
        ty
    }
}

/// The members of a union written by [`Renderer::union`] (split at top-level ` | `).
fn split_union(ty: &str) -> Vec<String> {
    let mut parts = Vec::new();
    let mut depth = 0i32;
    let mut start = 0;
    let bytes = ty.as_bytes();
    let mut i = 0;
    let mut in_string = false;
    while i < bytes.len() {
        let b = bytes[i];
        if in_string {
            if b == b'\\' {
                i += 1;
            } else if b == b'"' {
                in_string = false;
            }
        } else {
            match b {
                b'"' => in_string = true,
                b'{' | b'[' | b'(' | b'<' => depth += 1,
                b'}' | b']' | b')' | b'>' => depth -= 1,
                b'|' if depth == 0 && i > 0 && bytes[i - 1] == b' ' => {
                    parts.push(ty[start..i - 1].to_owned());
                    start = i + 2;
                }
                _ => {}
            }
        }
        i += 1;
    }
    parts.push(ty[start.min(ty.len())..].to_owned());
    parts
}

fn top_level_contains(ty: &str, needle: char) -> bool {
    let mut depth = 0i32;
    let mut in_string = false;
    let mut escaped = false;
    for c in ty.chars() {
        if in_string {
            if escaped {
                escaped = false;
            } else if c == '\\' {
                escaped = true;
            } else if c == '"' {
                in_string = false;
            }
            continue;
        }
        match c {
            '"' => in_string = true,
            '{' | '[' | '(' | '<' => depth += 1,
            '}' | ']' | ')' | '>' => depth -= 1,
            c if c == needle && depth == 0 => return true,
            _ => {}
        }
    }
    false
}

/// A property name as written in a type: bare when it is an identifier, quoted otherwise.
pub(crate) fn property_name(name: &str) -> String {
    let mut chars = name.chars();
    let identifier = chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_' || c == '$')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '$');
    if identifier {
        name.to_owned()
    } else {
        Value::String(name.to_owned()).to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn render(schema: Value, mode: Mode) -> String {
        Renderer::new(&schema, mode).render(&schema, 0)
    }

    #[test]
    fn nulls_are_undefined_in_outputs_and_optional_properties_say_so() {
        let schema = json!({
            "type": "object",
            "properties": {
                "count": { "type": ["number", "null"] },
                "type": { "type": "string" },
                "post-id": { "type": "array", "items": { "type": ["string", "null"] } }
            },
            "required": ["type", "post-id"]
        });
        assert_eq!(
            render(schema.clone(), Mode::Output),
            "{\n  count?: number | undefined;\n  type: string;\n  \"post-id\": (string | undefined)[];\n}"
        );
        assert_eq!(
            render(schema, Mode::Input),
            "{\n  count?: number | null;\n  type: string;\n  \"post-id\": (string | null)[];\n}"
        );
    }

    #[test]
    fn enums_tuples_maps_and_references() {
        assert_eq!(
            render(
                json!({ "type": "string", "enum": ["low", "high"] }),
                Mode::Input
            ),
            r#""low" | "high""#
        );
        assert_eq!(
            render(
                json!({ "type": "array", "prefixItems": [{ "type": "number" }, { "type": "string" }] }),
                Mode::Output
            ),
            "[number, string]"
        );
        assert_eq!(
            render(
                json!({ "type": "object", "additionalProperties": { "type": "integer" } }),
                Mode::Output
            ),
            "Record<string, number>"
        );
        let recursive = json!({
            "$ref": "#/$defs/Node",
            "$defs": { "Node": { "type": "object", "properties": { "next": { "$ref": "#/$defs/Node" } } } }
        });
        assert_eq!(render(recursive, Mode::Input), "{\n  next?: unknown;\n}");
    }

    #[test]
    fn split_union_respects_nesting() {
        assert_eq!(
            split_union("a | { b: c | d } | \"x | y\""),
            ["a", "{ b: c | d }", "\"x | y\""]
        );
        assert_eq!(paren("Map<a, b | c>".into()), "Map<a, b | c>");
    }
}
