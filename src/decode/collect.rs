//! Every issue of a wrongly-shaped input, as zod reports them, from a serde type.
//!
//! serde stops at the first error. To report them all, the input (a JSON value, or no value at
//! all) is deserialized through [`Node`], a deserializer that knows the path of every value it
//! hands out. When deserialization fails at a path, the issue is recorded, the value at that
//! path is replaced by a [`Wildcard`] (which satisfies whatever type asks for it), and
//! deserialization runs again, until it succeeds. The value it then builds is validated too,
//! keeping the validation issues that are not under a path already in error, as zod reports
//! checks next to type errors.
//!
//! This is the slow path: it runs only for input that failed to deserialize.

use std::cell::RefCell;
use std::collections::{HashMap, HashSet};
use std::fmt;

use serde::de::{
    self, DeserializeOwned, DeserializeSeed, Deserializer, EnumAccess, IntoDeserializer, MapAccess,
    SeqAccess, VariantAccess, Visitor,
};
use serde_json::Value;

use super::json::issue_from_serde;
use crate::check::issue as zod;
use crate::error::{ActionError, Issue, PathSegment};
use crate::validate::Validate;

pub(crate) type Path = Vec<PathSegment>;

/// The most issues reported for one input (each costs a deserialization).
const MAX_ISSUES: usize = 64;

/// Deserializes `T` from `value` (`None` is JavaScript `undefined`), reporting every issue.
pub(crate) fn from_value<T: DeserializeOwned + Validate>(
    value: Option<&Value>,
) -> Result<T, ActionError> {
    from_value_checked(value).0
}

/// [`from_value`], and whether a stand-in for `±Infinity` ([`INFINITY`]) reached a type that
/// could not refuse it as a number (the caller then refuses the body instead).
pub(crate) fn from_value_checked<T: DeserializeOwned + Validate>(
    value: Option<&Value>,
) -> (Result<T, ActionError>, bool) {
    from_value_in(value, State::default())
}

fn from_value_in<T: DeserializeOwned + Validate>(
    value: Option<&Value>,
    mut state: State,
) -> (Result<T, ActionError>, bool) {
    let mut issues: Vec<Issue> = Vec::new();
    loop {
        let node = Node {
            value: value.map_or(Slot::Undefined, Slot::Value),
            path: Vec::new(),
            state: &state,
        };
        match T::deserialize(node) {
            Ok(input) => {
                add_unrecognized(&mut issues, &state.unknown);
                if let Err(more) = input.validate() {
                    issues.extend(more.into_iter().filter(|issue| {
                        !state
                            .wild
                            .iter()
                            .any(|failed| issue.path.starts_with(failed))
                    }));
                }
                let untyped = state.untyped_infinity.get();
                return if issues.is_empty() {
                    (Ok(input), untyped)
                } else {
                    sort_issues(&mut issues, &state.orders.borrow());
                    (Err(ActionError::input(issues)), untyped)
                };
            }
            Err(err) => {
                let path = err.path.clone().unwrap_or_default();
                let unknown_keys: usize = state.unknown.iter().map(|(_, keys)| keys.len()).sum();
                // Each refused key costs a pass: at most MAX_ISSUES of them are collected.
                if let Some(key) = unknown_field(&err.message).filter(|_| unknown_keys < MAX_ISSUES)
                {
                    let at = match state.unknown.iter().position(|(p, _)| *p == path) {
                        Some(at) => at,
                        None => {
                            state.unknown.push((path.clone(), Vec::new()));
                            state.unknown.len() - 1
                        }
                    };
                    let keys = &mut state.unknown[at].1;
                    if !keys.contains(&key) {
                        keys.push(key);
                        continue;
                    }
                }
                if err.missing_field && state.undefined.insert(path.clone()) {
                    // Read the missing field again as `undefined`: its type says what
                    // zod expects there.
                    continue;
                }
                let mut issue = err.issue.map_or_else(
                    || issue_from_serde(Vec::new(), &err.message),
                    |issue| *issue,
                );
                issue.path = path.clone();
                issues.push(issue);
                if !state.wild.insert(path) || issues.len() >= MAX_ISSUES {
                    // The wildcard itself was refused: report what was found.
                    add_unrecognized(&mut issues, &state.unknown);
                    sort_issues(&mut issues, &state.orders.borrow());
                    return (
                        Err(ActionError::input(issues)),
                        state.untyped_infinity.get(),
                    );
                }
            }
        }
    }
}

/// zod's name for a JavaScript type that JSON and forms carry only as text or numbers
/// (`js::Date`, `js::BigInt`), from the newtype name these types deserialize with.
pub(crate) fn js_only(name: &str) -> Option<&'static str> {
    match name {
        crate::marker::DATE => Some("date"),
        crate::marker::BIGINT => Some("bigint"),
        _ => None,
    }
}

/// The key serde names in its "unknown field" error.
fn unknown_field(message: &str) -> Option<String> {
    let rest = message.strip_prefix("unknown field `")?;
    Some(rest[..rest.find("`, ")?].to_owned())
}

/// zod's `unrecognized_keys` issue for each object that had keys its struct refuses.
fn add_unrecognized(issues: &mut Vec<Issue>, unknown: &[(Path, Vec<String>)]) {
    for (path, keys) in unknown {
        let quoted: Vec<String> = keys.iter().map(|key| format!("\"{key}\"")).collect();
        let plural = if keys.len() > 1 { "s" } else { "" };
        let mut issue = Issue::new(
            "unrecognized_keys",
            Vec::new(),
            format!("Unrecognized key{plural}: {}", quoted.join(", ")),
        )
        .with("keys", keys.clone())
        .default_message();
        issue.path = path.clone();
        issues.push(issue);
    }
}

/// What the passes over one input share: the paths in error (read as wildcards), the
/// missing fields (read as `undefined`), and each struct's declared field order.
#[derive(Default)]
struct State {
    /// Keys a struct refused (`#[serde(deny_unknown_fields)]`, zod's `z.strictObject`), per
    /// object path, in the order met: skipped on the next passes, reported as one
    /// `unrecognized_keys` issue per object.
    unknown: Vec<(Path, Vec<String>)>,
    /// A number too large for a double (JavaScript's `Infinity`) met a type that does not say
    /// what it expects (`serde_json::Value`, `RawJson`).
    untyped_infinity: std::cell::Cell<bool>,
    wild: HashSet<Path>,
    undefined: HashSet<Path>,
    orders: RefCell<HashMap<Path, &'static [&'static str]>>,
}

/// Puts issues in zod's order: an object's fields in declaration order (zod walks the
/// schema's shape), array items by index; issues at one place keep their order.
pub(crate) fn sort_issues(
    issues: &mut Vec<Issue>,
    orders: &HashMap<Path, &'static [&'static str]>,
) {
    // An array longer than its `max`/`length` cap is reported by that issue alone: zod does
    // not look at its items.
    let capped: Vec<Path> = issues
        .iter()
        .filter(|issue| {
            issue.code == "too_big"
                && issue.param("origin").and_then(|o| o.as_str()) == Some("array")
        })
        .map(|issue| issue.path.clone())
        .collect();
    if !capped.is_empty() {
        issues.retain(|issue| {
            !capped
                .iter()
                .any(|cap| issue.path.len() > cap.len() && issue.path.starts_with(cap))
        });
    }
    let key = |issue: &Issue| -> Vec<usize> {
        let mut at: Path = Vec::new();
        let mut key = Vec::with_capacity(issue.path.len());
        for segment in &issue.path {
            key.push(match segment {
                PathSegment::Index(index) => *index,
                PathSegment::Key(name) => orders
                    .get(&at)
                    .and_then(|fields| fields.iter().position(|field| field == name))
                    .unwrap_or(usize::MAX),
            });
            at.push(segment.clone());
        }
        // An issue about a value comes after those about its items (zod checks an array or
        // an object after parsing what is inside).
        key.push(usize::MAX);
        key
    };
    issues.sort_by_cached_key(key);
}

/// An error with the path where it happened (set by the innermost node that sees it).
#[derive(Debug)]
pub(crate) struct NodeError {
    path: Option<Path>,
    message: String,
    /// zod's issue, when the node knows it.
    issue: Option<Box<Issue>>,
    /// A field is missing (`path` is the field's).
    missing_field: bool,
    missing: Option<String>,
}

impl fmt::Display for NodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for NodeError {}

impl de::Error for NodeError {
    fn custom<T: fmt::Display>(msg: T) -> Self {
        NodeError {
            path: None,
            message: msg.to_string(),
            issue: None,
            missing_field: false,
            missing: None,
        }
    }

    fn missing_field(field: &'static str) -> Self {
        NodeError {
            path: None,
            message: format!("missing field `{field}`"),
            issue: None,
            missing_field: true,
            missing: Some(field.to_owned()),
        }
    }
}

impl NodeError {
    /// Gives a path-less error its path: `at`, or the missing field under `at`.
    fn at(mut self, at: &Path) -> Self {
        if self.path.is_none() {
            let mut path = at.clone();
            if let Some(field) = self.missing.take() {
                path.push(PathSegment::Key(field));
            }
            self.path = Some(path);
        }
        self
    }

    fn with_issue(path: &Path, issue: Issue) -> Self {
        NodeError {
            path: Some(path.clone()),
            message: issue.message.clone(),
            issue: Some(Box::new(issue)),
            missing_field: false,
            missing: None,
        }
    }

    fn kind_mismatch(path: &Path, expected: &str, received: Slot<'_>) -> Self {
        NodeError::with_issue(path, zod::invalid_type(expected, kind_of(received)))
    }
}

/// The stand-ins for JSON numbers too large for a double, which JavaScript reads as
/// `Infinity` and `-Infinity` (`1e400`).
pub(crate) const INFINITY: [&str; 2] = [crate::marker::INFINITY, crate::marker::NEG_INFINITY];

fn infinity_of(value: &Value) -> Option<f64> {
    match value {
        Value::String(text) if text == INFINITY[0] => Some(f64::INFINITY),
        Value::String(text) if text == INFINITY[1] => Some(f64::NEG_INFINITY),
        _ => None,
    }
}

/// What zod expects of a scalar, from the Rust type asked for.
#[derive(Clone, Copy)]
enum Expect {
    /// A value of this JavaScript type (`string`, `boolean`).
    Type(&'static str),
    /// A finite number.
    Float,
    /// A whole number in this range (`z.number().int().min(..).max(..)`).
    Int(i128, i128),
}

impl Expect {
    fn name(self) -> &'static str {
        match self {
            Expect::Type(name) => name,
            Expect::Float | Expect::Int(..) => "number",
        }
    }

    /// The issue for `value`, which serde refused.
    fn issue(self, value: &Value) -> Issue {
        match (self, value) {
            (Expect::Int(min, max), Value::Number(n)) => {
                let float = n.as_f64().unwrap_or(0.0);
                let int = n.as_i64().map(i128::from).or(n.as_u64().map(i128::from));
                match int {
                    None if float.fract() != 0.0 => zod::not_an_int(),
                    _ => {
                        let int = int.unwrap_or(float as i128);
                        if int < min {
                            zod::bound(false, "number", min as f64, true, false)
                        } else if int > max {
                            zod::bound(true, "number", max as f64, true, false)
                        } else {
                            zod::invalid_type("number", "number")
                        }
                    }
                }
            }
            _ => zod::invalid_type(self.name(), kind_of(Slot::Value(value))),
        }
    }
}

#[derive(Clone, Copy)]
enum Slot<'a> {
    Undefined,
    Value(&'a Value),
}

/// The JavaScript type of a value, as zod names it in "received ...".
fn kind_of(slot: Slot<'_>) -> &'static str {
    match slot {
        Slot::Undefined => "undefined",
        Slot::Value(Value::Null) => "null",
        Slot::Value(Value::Bool(_)) => "boolean",
        Slot::Value(Value::Number(_)) => "number",
        // zod names a non-finite number by its value, whatever it expected.
        Slot::Value(value @ Value::String(_)) if infinity_of(value).is_some() => {
            if infinity_of(value) == Some(f64::INFINITY) {
                "Infinity"
            } else {
                "-Infinity"
            }
        }
        Slot::Value(Value::String(_)) => "string",
        Slot::Value(Value::Array(_)) => "array",
        Slot::Value(Value::Object(_)) => "object",
    }
}

struct Node<'a> {
    value: Slot<'a>,
    path: Path,
    state: &'a State,
}

impl<'a> Node<'a> {
    fn is_wild(&self) -> bool {
        self.state.wild.contains(&self.path)
    }

    fn child(&self, segment: PathSegment, value: Slot<'a>) -> Node<'a> {
        let mut path = self.path.clone();
        path.push(segment);
        Node {
            value,
            path,
            state: self.state,
        }
    }

    fn visit_object<V: Visitor<'a>>(
        self,
        map: &'a serde_json::Map<String, Value>,
        fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, NodeError> {
        if !fields.is_empty() {
            self.state
                .orders
                .borrow_mut()
                .entry(self.path.clone())
                .or_insert(fields);
        }
        let access = ObjectAccess {
            entries: map.iter(),
            inserted: fields
                .iter()
                .filter(|field| !map.contains_key(**field))
                .filter(|field| {
                    let mut path = self.path.clone();
                    path.push(PathSegment::Key((**field).to_owned()));
                    self.state.wild.contains(&path) || self.state.undefined.contains(&path)
                })
                .copied()
                .collect::<Vec<_>>()
                .into_iter(),
            pending: None,
            node: &self,
        };
        visitor.visit_map(access).map_err(|err| err.at(&self.path))
    }

    fn visit_array<V: Visitor<'a>>(
        self,
        items: &'a [Value],
        visitor: V,
    ) -> Result<V::Value, NodeError> {
        let access = ArrayAccess {
            items: items.iter().enumerate(),
            node: &self,
        };
        visitor.visit_seq(access).map_err(|err| err.at(&self.path))
    }

    /// Delegates a scalar request to serde_json's own deserializer for the value.
    fn scalar<V, F>(self, visitor: V, expect: Expect, f: F) -> Result<V::Value, NodeError>
    where
        V: Visitor<'a>,
        F: FnOnce(&'a Value, V) -> Result<V::Value, serde_json::Error>,
    {
        match self.value {
            Slot::Undefined => Err(NodeError::kind_mismatch(
                &self.path,
                expect.name(),
                self.value,
            )),
            Slot::Value(value) => {
                if let Some(infinity) = infinity_of(value) {
                    let issue = match expect {
                        Expect::Float | Expect::Int(..) => zod::not_a_finite_number(infinity),
                        Expect::Type("unknown") => {
                            self.state.untyped_infinity.set(true);
                            zod::invalid_type("unknown", kind_of(self.value))
                        }
                        Expect::Type(name) => zod::invalid_type(name, kind_of(self.value)),
                    };
                    return Err(NodeError::with_issue(&self.path, issue));
                }
                f(value, visitor)
                    .map_err(|_| NodeError::with_issue(&self.path, expect.issue(value)))
            }
        }
    }
}

macro_rules! scalar_methods {
    ($($method:ident => $expect:expr),* $(,)?) => {
        $(
            fn $method<V: Visitor<'a>>(self, visitor: V) -> Result<V::Value, NodeError> {
                if self.is_wild() {
                    return Wildcard.$method(visitor);
                }
                self.scalar(visitor, $expect, |value, visitor| value.$method(visitor))
            }
        )*
    };
}

const fn int_range(min: i128, max: i128) -> Expect {
    Expect::Int(min, max)
}

impl<'a> Deserializer<'a> for Node<'a> {
    type Error = NodeError;

    fn deserialize_any<V: Visitor<'a>>(self, visitor: V) -> Result<V::Value, NodeError> {
        if self.is_wild() {
            return Wildcard.deserialize_any(visitor);
        }
        match self.value {
            Slot::Undefined => visitor.visit_unit(),
            Slot::Value(Value::Object(map)) => self.visit_object(map, &[], visitor),
            Slot::Value(Value::Array(items)) => self.visit_array(items, visitor),
            Slot::Value(_) => self.scalar(visitor, Expect::Type("unknown"), |value, visitor| {
                value.deserialize_any(visitor)
            }),
        }
    }

    scalar_methods! {
        deserialize_bool => Expect::Type("boolean"),
        deserialize_i8 => int_range(i8::MIN as i128, i8::MAX as i128),
        deserialize_i16 => int_range(i16::MIN as i128, i16::MAX as i128),
        deserialize_i32 => int_range(i32::MIN as i128, i32::MAX as i128),
        deserialize_i64 => int_range(i64::MIN as i128, i64::MAX as i128),
        deserialize_i128 => int_range(i128::MIN, i128::MAX),
        deserialize_u8 => int_range(0, u8::MAX as i128),
        deserialize_u16 => int_range(0, u16::MAX as i128),
        deserialize_u32 => int_range(0, u32::MAX as i128),
        deserialize_u64 => int_range(0, u64::MAX as i128),
        deserialize_u128 => int_range(0, i128::MAX),
        deserialize_f32 => Expect::Float, deserialize_f64 => Expect::Float,
        deserialize_char => Expect::Type("string"), deserialize_str => Expect::Type("string"),
        deserialize_string => Expect::Type("string"),
        deserialize_bytes => Expect::Type("string"), deserialize_byte_buf => Expect::Type("string"),
        deserialize_identifier => Expect::Type("string"),
    }

    fn deserialize_option<V: Visitor<'a>>(self, visitor: V) -> Result<V::Value, NodeError> {
        if self.is_wild() {
            return Wildcard.deserialize_option(visitor);
        }
        match self.value {
            Slot::Undefined | Slot::Value(Value::Null) => visitor.visit_none(),
            Slot::Value(_) => visitor.visit_some(self),
        }
    }

    fn deserialize_unit<V: Visitor<'a>>(self, visitor: V) -> Result<V::Value, NodeError> {
        if self.is_wild() {
            return Wildcard.deserialize_unit(visitor);
        }
        match self.value {
            Slot::Undefined | Slot::Value(Value::Null) => visitor.visit_unit(),
            other => Err(NodeError::kind_mismatch(&self.path, "undefined", other)),
        }
    }

    fn deserialize_unit_struct<V: Visitor<'a>>(
        self,
        _: &'static str,
        visitor: V,
    ) -> Result<V::Value, NodeError> {
        self.deserialize_unit(visitor)
    }

    fn deserialize_newtype_struct<V: Visitor<'a>>(
        self,
        name: &'static str,
        visitor: V,
    ) -> Result<V::Value, NodeError> {
        if name == crate::marker::RAW_JSON && matches!(self.value, Slot::Undefined) {
            return visitor.visit_none();
        }
        if let Some(expected) = js_only(name) {
            if self.is_wild() {
                return visitor.visit_newtype_struct(0u64.into_deserializer());
            }
            // `js::Date` and `js::BigInt` read what `z.coerce.date()`/`z.coerce.bigint()`
            // would; anything else (undefined and null included) is zod's type issue.
            if matches!(self.value, Slot::Undefined | Slot::Value(Value::Null)) {
                return Err(NodeError::kind_mismatch(&self.path, expected, self.value));
            }
            let (path, value) = (self.path.clone(), self.value);
            return visitor
                .visit_newtype_struct(self)
                .map_err(|_| NodeError::kind_mismatch(&path, expected, value));
        }
        if name == crate::marker::UPLOADED_FILE {
            if self.is_wild() {
                let stand_in = crate::UploadedFile::new("", "", bytes::Bytes::new());
                return crate::form_data::hand_off(
                    crate::form_data::Handoff::File(stand_in),
                    |token| visitor.visit_str(token),
                );
            }
            // JSON cannot carry a file (zod's `z.instanceof(File)`).
            return Err(NodeError::with_issue(
                &self.path,
                zod::not_a_file(kind_of(self.value)),
            ));
        }
        let path = self.path.clone();
        visitor
            .visit_newtype_struct(self)
            .map_err(|err| err.at(&path))
    }

    fn deserialize_seq<V: Visitor<'a>>(self, visitor: V) -> Result<V::Value, NodeError> {
        if self.is_wild() {
            return Wildcard.deserialize_seq(visitor);
        }
        match self.value {
            Slot::Value(Value::Array(items)) => self.visit_array(items, visitor),
            other => Err(NodeError::kind_mismatch(&self.path, "array", other)),
        }
    }

    fn deserialize_tuple<V: Visitor<'a>>(
        self,
        _: usize,
        visitor: V,
    ) -> Result<V::Value, NodeError> {
        self.deserialize_seq(visitor)
    }

    fn deserialize_tuple_struct<V: Visitor<'a>>(
        self,
        _: &'static str,
        _: usize,
        visitor: V,
    ) -> Result<V::Value, NodeError> {
        self.deserialize_seq(visitor)
    }

    fn deserialize_map<V: Visitor<'a>>(self, visitor: V) -> Result<V::Value, NodeError> {
        self.deserialize_struct("", &[], visitor)
    }

    fn deserialize_struct<V: Visitor<'a>>(
        self,
        _: &'static str,
        fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, NodeError> {
        if self.is_wild() {
            return Wildcard.deserialize_struct("", fields, visitor);
        }
        match self.value {
            Slot::Value(Value::Object(map)) => self.visit_object(map, fields, visitor),
            other => Err(NodeError::kind_mismatch(&self.path, "object", other)),
        }
    }

    fn deserialize_enum<V: Visitor<'a>>(
        self,
        name: &'static str,
        variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, NodeError> {
        if self.is_wild() {
            return Wildcard.deserialize_enum(name, variants, visitor);
        }
        match self.value {
            Slot::Value(value @ Value::Object(_)) => {
                let path = self.path.clone();
                value
                    .deserialize_enum(name, variants, visitor)
                    .map_err(|err| {
                        NodeError::with_issue(&path, issue_from_serde(Vec::new(), &err.to_string()))
                    })
            }
            Slot::Value(value @ Value::String(text)) if variants.contains(&text.as_str()) => {
                let path = self.path.clone();
                value
                    .deserialize_enum(name, variants, visitor)
                    .map_err(|err| {
                        NodeError::with_issue(&path, zod::invalid_type("string", &err.to_string()))
                    })
            }
            _ => Err(NodeError::with_issue(
                &self.path,
                zod::invalid_value(variants),
            )),
        }
    }

    fn deserialize_ignored_any<V: Visitor<'a>>(self, visitor: V) -> Result<V::Value, NodeError> {
        visitor.visit_unit()
    }
}

struct ObjectAccess<'a, 'n> {
    entries: serde_json::map::Iter<'a>,
    inserted: std::vec::IntoIter<&'static str>,
    pending: Option<Node<'a>>,
    node: &'n Node<'a>,
}

impl<'a> MapAccess<'a> for ObjectAccess<'a, '_> {
    type Error = NodeError;

    fn next_key_seed<K: DeserializeSeed<'a>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, NodeError> {
        let unknown = self
            .node
            .state
            .unknown
            .iter()
            .find(|(path, _)| *path == self.node.path)
            .map(|(_, keys)| keys);
        let next = self
            .entries
            .find(|(key, _)| !unknown.is_some_and(|keys| keys.contains(key)));
        if let Some((key, value)) = next {
            self.pending = Some(
                self.node
                    .child(PathSegment::Key(key.clone()), Slot::Value(value)),
            );
            return seed.deserialize(key.as_str().into_deserializer()).map(Some);
        }
        if let Some(field) = self.inserted.next() {
            self.pending = Some(
                self.node
                    .child(PathSegment::Key(field.to_owned()), Slot::Undefined),
            );
            return seed.deserialize(field.into_deserializer()).map(Some);
        }
        Ok(None)
    }

    fn next_value_seed<V: DeserializeSeed<'a>>(&mut self, seed: V) -> Result<V::Value, NodeError> {
        let node = self.pending.take().ok_or_else(|| {
            <NodeError as de::Error>::custom("a value was asked for before its key")
        })?;
        let path = node.path.clone();
        seed.deserialize(node).map_err(|err| err.at(&path))
    }
}

struct ArrayAccess<'a, 'n> {
    items: std::iter::Enumerate<std::slice::Iter<'a, Value>>,
    node: &'n Node<'a>,
}

impl<'a> SeqAccess<'a> for ArrayAccess<'a, '_> {
    type Error = NodeError;

    fn next_element_seed<T: DeserializeSeed<'a>>(
        &mut self,
        seed: T,
    ) -> Result<Option<T::Value>, NodeError> {
        let Some((index, value)) = self.items.next() else {
            return Ok(None);
        };
        let node = self
            .node
            .child(PathSegment::Index(index), Slot::Value(value));
        let path = node.path.clone();
        seed.deserialize(node)
            .map(Some)
            .map_err(|err| err.at(&path))
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.items.len())
    }
}

/// A value that satisfies any type with a neutral value, standing in for one in error.
struct Wildcard;

impl<'de> Deserializer<'de> for Wildcard {
    type Error = NodeError;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, NodeError> {
        visitor.visit_unit()
    }
    fn deserialize_bool<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, NodeError> {
        visitor.visit_bool(false)
    }
    fn deserialize_i8<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, NodeError> {
        visitor.visit_i8(0)
    }
    fn deserialize_i16<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, NodeError> {
        visitor.visit_i16(0)
    }
    fn deserialize_i32<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, NodeError> {
        visitor.visit_i32(0)
    }
    fn deserialize_i64<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, NodeError> {
        visitor.visit_i64(0)
    }
    fn deserialize_i128<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, NodeError> {
        visitor.visit_i128(0)
    }
    fn deserialize_u8<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, NodeError> {
        visitor.visit_u8(0)
    }
    fn deserialize_u16<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, NodeError> {
        visitor.visit_u16(0)
    }
    fn deserialize_u32<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, NodeError> {
        visitor.visit_u32(0)
    }
    fn deserialize_u64<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, NodeError> {
        visitor.visit_u64(0)
    }
    fn deserialize_u128<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, NodeError> {
        visitor.visit_u128(0)
    }
    fn deserialize_f32<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, NodeError> {
        visitor.visit_f32(0.0)
    }
    fn deserialize_f64<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, NodeError> {
        visitor.visit_f64(0.0)
    }
    fn deserialize_char<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, NodeError> {
        visitor.visit_char(' ')
    }
    fn deserialize_str<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, NodeError> {
        visitor.visit_str("")
    }
    fn deserialize_string<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, NodeError> {
        visitor.visit_str("")
    }
    fn deserialize_bytes<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, NodeError> {
        visitor.visit_bytes(&[])
    }
    fn deserialize_byte_buf<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, NodeError> {
        visitor.visit_bytes(&[])
    }
    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, NodeError> {
        visitor.visit_none()
    }
    fn deserialize_unit<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, NodeError> {
        visitor.visit_unit()
    }
    fn deserialize_unit_struct<V: Visitor<'de>>(
        self,
        _: &'static str,
        visitor: V,
    ) -> Result<V::Value, NodeError> {
        visitor.visit_unit()
    }
    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _: &'static str,
        visitor: V,
    ) -> Result<V::Value, NodeError> {
        visitor.visit_newtype_struct(self)
    }
    fn deserialize_seq<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, NodeError> {
        visitor.visit_seq(Wildcards(0))
    }
    fn deserialize_tuple<V: Visitor<'de>>(
        self,
        len: usize,
        visitor: V,
    ) -> Result<V::Value, NodeError> {
        visitor.visit_seq(Wildcards(len))
    }
    fn deserialize_tuple_struct<V: Visitor<'de>>(
        self,
        _: &'static str,
        len: usize,
        visitor: V,
    ) -> Result<V::Value, NodeError> {
        visitor.visit_seq(Wildcards(len))
    }
    fn deserialize_map<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, NodeError> {
        visitor.visit_map(WildFields(&[]))
    }
    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _: &'static str,
        fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, NodeError> {
        visitor.visit_map(WildFields(fields))
    }
    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _: &'static str,
        variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, NodeError> {
        visitor.visit_enum(WildVariant(variants.first().copied().unwrap_or("")))
    }
    fn deserialize_identifier<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, NodeError> {
        visitor.visit_str("")
    }
    fn deserialize_ignored_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, NodeError> {
        visitor.visit_unit()
    }
}

struct Wildcards(usize);

impl<'de> SeqAccess<'de> for Wildcards {
    type Error = NodeError;
    fn next_element_seed<T: DeserializeSeed<'de>>(
        &mut self,
        seed: T,
    ) -> Result<Option<T::Value>, NodeError> {
        if self.0 == 0 {
            return Ok(None);
        }
        self.0 -= 1;
        seed.deserialize(Wildcard).map(Some)
    }
}

struct WildFields(&'static [&'static str]);

impl<'de> MapAccess<'de> for WildFields {
    type Error = NodeError;
    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, NodeError> {
        let Some((first, rest)) = self.0.split_first() else {
            return Ok(None);
        };
        self.0 = rest;
        seed.deserialize((*first).into_deserializer()).map(Some)
    }
    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, NodeError> {
        seed.deserialize(Wildcard)
    }
}

struct WildVariant(&'static str);

impl<'de> EnumAccess<'de> for WildVariant {
    type Error = NodeError;
    type Variant = Wildcard;
    fn variant_seed<V: DeserializeSeed<'de>>(
        self,
        seed: V,
    ) -> Result<(V::Value, Wildcard), NodeError> {
        Ok((seed.deserialize(self.0.into_deserializer())?, Wildcard))
    }
}

impl<'de> VariantAccess<'de> for Wildcard {
    type Error = NodeError;
    fn unit_variant(self) -> Result<(), NodeError> {
        Ok(())
    }
    fn newtype_variant_seed<T: DeserializeSeed<'de>>(self, seed: T) -> Result<T::Value, NodeError> {
        seed.deserialize(Wildcard)
    }
    fn tuple_variant<V: Visitor<'de>>(self, len: usize, visitor: V) -> Result<V::Value, NodeError> {
        visitor.visit_seq(Wildcards(len))
    }
    fn struct_variant<V: Visitor<'de>>(
        self,
        fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, NodeError> {
        visitor.visit_map(WildFields(fields))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(serde::Deserialize, Debug)]
    #[allow(dead_code)]
    struct Inner {
        x: u8,
    }

    #[derive(serde::Deserialize, Debug)]
    #[allow(dead_code)]
    struct Input {
        name: String,
        age: f64,
        tags: Vec<String>,
        inner: Option<Inner>,
    }

    impl Validate for Input {
        fn validate(&self) -> Result<(), Vec<Issue>> {
            if self.name.len() < 3 {
                return Err(vec![Issue::new(
                    "too_small",
                    vec!["name".into()],
                    "too short",
                )]);
            }
            Ok(())
        }
    }

    fn paths(value: Option<Value>) -> Vec<String> {
        let err = from_value::<Input>(value.as_ref()).unwrap_err();
        err.as_input_error()
            .unwrap()
            .issues()
            .iter()
            .map(|issue| serde_json::to_string(&issue.path).unwrap())
            .collect()
    }

    #[test]
    fn every_wrong_field_is_reported_with_validation_of_the_rest() {
        let value = serde_json::json!({"name": "x", "age": "1", "inner": {"x": 300}});
        assert_eq!(
            paths(Some(value)),
            // zod's order: the fields' declaration order, checks and type errors mixed.
            [
                r#"["name"]"#,
                r#"["age"]"#,
                r#"["tags"]"#,
                r#"["inner","x"]"#
            ]
        );
    }

    #[test]
    fn a_failed_field_is_not_validated_again() {
        let value = serde_json::json!({"name": 5, "age": 1, "tags": []});
        assert_eq!(paths(Some(value)), [r#"["name"]"#]);
    }

    #[test]
    fn arrays_and_undefined_are_not_objects() {
        assert_eq!(paths(Some(serde_json::json!([1]))), ["[]"]);
        assert_eq!(paths(None), ["[]"]);
        let err = from_value::<Input>(None).unwrap_err();
        assert_eq!(
            err.as_input_error().unwrap().issues()[0].message,
            "Invalid input: expected object, received undefined"
        );
    }

    #[test]
    fn element_errors_carry_their_index() {
        let value = serde_json::json!({"name": "abc", "age": 1, "tags": ["a", 2, "c", false]});
        assert_eq!(paths(Some(value)), [r#"["tags",1]"#, r#"["tags",3]"#]);
    }

    #[derive(serde::Deserialize, Debug)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Strict {
        name: String,
    }

    impl Validate for Strict {
        fn validate(&self) -> Result<(), Vec<Issue>> {
            Ok(())
        }
    }

    #[test]
    fn refused_keys_are_one_issue_per_object_and_bounded() {
        let value = serde_json::json!({"name": 1, "x": 1, "y": 2});
        let err = from_value::<Strict>(Some(&value)).unwrap_err();
        assert_eq!(
            err.to_json(false),
            r#"{"type":"AstroActionInputError","issues":[{"expected":"string","code":"invalid_type","path":["name"],"message":"Invalid input: expected string, received number"},{"code":"unrecognized_keys","keys":["x","y"],"path":[],"message":"Unrecognized keys: \"x\", \"y\""}],"fields":{"name":["Invalid input: expected string, received number"]}}"#
        );
        // Thousands of refused keys: at most MAX_ISSUES are collected (one pass each).
        let mut many = serde_json::Map::new();
        many.insert("name".into(), "a".into());
        for i in 0..5000 {
            many.insert(format!("k{i}"), i.into());
        }
        let err = from_value::<Strict>(Some(&Value::Object(many))).unwrap_err();
        let issues = err.as_input_error().unwrap().issues();
        let keys = issues
            .iter()
            .filter_map(|issue| issue.param("keys"))
            .map(|keys| keys.as_array().unwrap().len())
            .sum::<usize>();
        assert_eq!(keys, MAX_ISSUES);
    }
}
