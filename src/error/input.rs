//! Input errors: the [`Issue`]s of an input that failed to parse or validate, their
//! [`PathSegment`]s, and [`InputError`], which groups them as Astro's `ActionInputError`.

use std::borrow::Cow;
use std::fmt;

use serde::ser::{SerializeMap, SerializeSeq};
use serde::{Deserialize, Serialize, Serializer};

/// One step of an issue's path: an object key or an array index.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum PathSegment {
    /// An object key (a struct field, a map key, a form name).
    Key(String),
    /// An array index.
    Index(usize),
}

impl fmt::Display for PathSegment {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PathSegment::Key(key) => f.write_str(key),
            PathSegment::Index(index) => write!(f, "{index}"),
        }
    }
}

impl From<&str> for PathSegment {
    fn from(key: &str) -> Self {
        PathSegment::Key(key.to_owned())
    }
}

impl From<String> for PathSegment {
    fn from(key: String) -> Self {
        PathSegment::Key(key)
    }
}

impl From<usize> for PathSegment {
    fn from(index: usize) -> Self {
        PathSegment::Index(index)
    }
}

impl Serialize for PathSegment {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            PathSegment::Key(key) => serializer.serialize_str(key),
            PathSegment::Index(index) => serializer.serialize_u64(*index as u64),
        }
    }
}

impl<'de> Deserialize<'de> for PathSegment {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Raw {
            Index(u64),
            Number(f64),
            Key(String),
        }
        Ok(match Raw::deserialize(deserializer)? {
            Raw::Index(i) => PathSegment::Index(i as usize),
            // zod paths are JS numbers; a non-integer index is kept as its text.
            Raw::Number(n) => PathSegment::Key(n.to_string()),
            Raw::Key(k) => PathSegment::Key(k),
        })
    }
}

/// One problem with an action's input: a zod 4 issue object.
///
/// Every issue has zod's `code`, `path` and `message`; most also carry the other keys zod 4
/// writes for their code (`expected`, `origin`, `minimum`, `inclusive`, `format`, `values`,
/// ...), kept in zod's key order: [`Issue::with_before`] adds a key before `code` (as zod
/// writes `expected` before it), [`Issue::with`] one after it. On the wire the keys come in
/// that order, then `path`, then `message`:
///
/// ```
/// use tower_actions::error::Issue;
///
/// let issue = Issue::new("too_small", vec!["name".into()], "Too small: expected string to have >=1 characters")
///     .with_before("origin", "string")
///     .with("minimum", 1)
///     .with("inclusive", true);
/// assert_eq!(
///     serde_json::to_string(&issue).unwrap(),
///     r#"{"origin":"string","code":"too_small","minimum":1,"inclusive":true,"path":["name"],"message":"Too small: expected string to have >=1 characters"}"#,
/// );
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct Issue {
    /// What kind of problem, as zod names it: `invalid_type` for input of the wrong shape,
    /// `too_small`, `invalid_format`, ... for a failed check, or a validator's own code.
    pub code: Cow<'static, str>,
    /// Where the problem is, from the root of the input. Empty for the input as a whole.
    pub path: Vec<PathSegment>,
    /// A human-readable description.
    pub message: String,
    /// zod's other keys, in order; the first `code_at` of them come before `code`.
    params: Vec<(Cow<'static, str>, serde_json::Value)>,
    code_at: usize,
    /// Whether `message` is zod's default wording (which a [`Messages`](crate::check::Messages)
    /// setting may replace) rather than one chosen for this issue.
    default_message: bool,
}

impl Issue {
    /// An issue with the given code, path and message, and no other key.
    pub fn new(
        code: impl Into<Cow<'static, str>>,
        path: Vec<PathSegment>,
        message: impl Into<String>,
    ) -> Self {
        Issue {
            code: code.into(),
            path,
            message: message.into(),
            params: Vec::new(),
            code_at: 0,
            default_message: false,
        }
    }

    /// Input of the wrong shape at `path` (zod's `invalid_type`).
    pub fn invalid_type(path: Vec<PathSegment>, message: impl Into<String>) -> Self {
        Issue::new("invalid_type", path, message)
    }

    /// Adds a key written after `code` (and after the keys added before with `with`).
    pub fn with(
        mut self,
        key: impl Into<Cow<'static, str>>,
        value: impl Into<serde_json::Value>,
    ) -> Self {
        self.params.push((key.into(), value.into()));
        self
    }

    /// Adds a key written before `code` (and after the keys added before with `with_before`).
    pub fn with_before(
        mut self,
        key: impl Into<Cow<'static, str>>,
        value: impl Into<serde_json::Value>,
    ) -> Self {
        self.params.insert(self.code_at, (key.into(), value.into()));
        self.code_at += 1;
        self
    }

    /// The value of one of zod's other keys (`minimum`, `expected`, ...).
    pub fn param(&self, key: &str) -> Option<&serde_json::Value> {
        self.params.iter().find(|(k, _)| k == key).map(|(_, v)| v)
    }

    /// zod's other keys and their values, in the order they are written (`code`, `path` and
    /// `message` excepted).
    pub fn params(&self) -> impl Iterator<Item = (&str, &serde_json::Value)> {
        self.params.iter().map(|(k, v)| (&**k, v))
    }

    /// Whether the message is zod's default English for the issue, which a
    /// [`Messages`](crate::check::Messages) setting may replace.
    pub fn has_default_message(&self) -> bool {
        self.default_message
    }

    /// Marks the message as zod's default wording (replaceable by a `Messages` setting).
    pub(crate) fn default_message(mut self) -> Self {
        self.default_message = true;
        self
    }

    #[cfg_attr(not(feature = "garde"), allow(dead_code))]
    pub(crate) fn set_default_message(&mut self, default: bool) {
        self.default_message = default;
    }
}

impl Serialize for Issue {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(self.params.len() + 3))?;
        for (key, value) in &self.params[..self.code_at] {
            map.serialize_entry(key, value)?;
        }
        map.serialize_entry("code", &self.code)?;
        for (key, value) in &self.params[self.code_at..] {
            map.serialize_entry(key, value)?;
        }
        map.serialize_entry("path", &self.path)?;
        map.serialize_entry("message", &self.message)?;
        map.end()
    }
}

impl<'de> Deserialize<'de> for Issue {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        use serde::de::Error as _;
        // `serde_json` keeps key order (the `preserve_order` feature).
        let object = serde_json::Map::<String, serde_json::Value>::deserialize(deserializer)?;
        let mut issue = Issue::new("custom", Vec::new(), String::new());
        let mut seen_code = false;
        let mut message = None;
        for (key, value) in object {
            match key.as_str() {
                "code" => {
                    seen_code = true;
                    if let serde_json::Value::String(code) = value {
                        issue.code = Cow::Owned(code);
                    }
                }
                "path" => {
                    issue.path =
                        Vec::<PathSegment>::deserialize(value).map_err(D::Error::custom)?;
                }
                "message" => {
                    message = Some(String::deserialize(value).map_err(D::Error::custom)?);
                }
                _ if seen_code => issue = issue.with(key, value),
                _ => issue = issue.with_before(key, value),
            }
        }
        issue.message = message.ok_or_else(|| D::Error::missing_field("message"))?;
        Ok(issue)
    }
}

/// The issues of an input that failed to parse or validate: Astro's `ActionInputError`.
///
/// Its `fields` map is derived from the issues: every issue whose path is not empty adds its
/// message under the path's first segment, in issue order.
#[derive(Debug, Clone, PartialEq, Default)]
#[doc(alias = "ActionInputError")]
pub struct InputError {
    pub(super) issues: Vec<Issue>,
}

impl InputError {
    /// An input error made of these issues.
    pub fn new(issues: Vec<Issue>) -> Self {
        InputError { issues }
    }

    /// The issues, in the order they were found.
    pub fn issues(&self) -> &[Issue] {
        &self.issues
    }

    /// Messages per top-level field, in first-seen order (Astro's `fields`).
    pub fn fields(&self) -> Vec<(String, Vec<&str>)> {
        let mut fields: Vec<(String, Vec<&str>)> = Vec::new();
        for issue in &self.issues {
            let Some(first) = issue.path.first() else {
                continue;
            };
            let key = first.to_string();
            match fields.iter_mut().find(|(k, _)| *k == key) {
                Some((_, messages)) => messages.push(&issue.message),
                None => fields.push((key, vec![&issue.message])),
            }
        }
        fields
    }

    /// The messages of one top-level field (`fields[name]` in Astro).
    pub fn field(&self, name: &str) -> Vec<&str> {
        self.issues
            .iter()
            .filter(|issue| {
                issue
                    .path
                    .first()
                    .is_some_and(|first| first.to_string() == name)
            })
            .map(|issue| issue.message.as_str())
            .collect()
    }

    /// Astro's message for an input error: `Failed to validate: ` and the issues as JSON.
    pub fn message(&self) -> String {
        let issues = serde_json::to_string_pretty(&self.issues).unwrap_or_default();
        format!("Failed to validate: {issues}")
    }
}

impl Serialize for InputError {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        struct Fields<'a>(&'a InputError);
        impl Serialize for Fields<'_> {
            fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                let fields = self.0.fields();
                let mut map = serializer.serialize_map(Some(fields.len()))?;
                for (key, messages) in &fields {
                    map.serialize_entry(key, messages)?;
                }
                map.end()
            }
        }
        struct Issues<'a>(&'a [Issue]);
        impl Serialize for Issues<'_> {
            fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                let mut seq = serializer.serialize_seq(Some(self.0.len()))?;
                for issue in self.0 {
                    seq.serialize_element(issue)?;
                }
                seq.end()
            }
        }
        let mut map = serializer.serialize_map(Some(3))?;
        map.serialize_entry("type", "AstroActionInputError")?;
        map.serialize_entry("issues", &Issues(&self.issues))?;
        map.serialize_entry("fields", &Fields(self))?;
        map.end()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::ActionError;

    #[test]
    fn fields_group_by_first_segment_and_skip_empty_paths() {
        let err = InputError::new(vec![
            Issue::invalid_type(vec!["name".into()], "Expected string"),
            Issue::new("too_small", vec!["name".into()], "Too short"),
            Issue::new("custom", vec![], "root refine"),
            Issue::invalid_type(vec!["tags".into(), 0.into()], "Required"),
        ]);
        assert_eq!(
            serde_json::to_string(&err).unwrap(),
            r#"{"type":"AstroActionInputError","issues":[{"code":"invalid_type","path":["name"],"message":"Expected string"},{"code":"too_small","path":["name"],"message":"Too short"},{"code":"custom","path":[],"message":"root refine"},{"code":"invalid_type","path":["tags",0],"message":"Required"}],"fields":{"name":["Expected string","Too short"],"tags":["Required"]}}"#
        );
    }

    #[test]
    fn zod_issues_keep_their_keys_in_order_through_a_round_trip() {
        let body = r#"{"type":"AstroActionInputError","issues":[{"expected":"number","code":"invalid_type","received":"NaN","path":["nums",1],"message":"Invalid input: expected number, received NaN"},{"origin":"string","code":"too_small","minimum":3,"inclusive":true,"path":["name"],"message":"Too small: expected string to have >=3 characters"}],"fields":{"nums":["Invalid input: expected number, received NaN"],"name":["Too small: expected string to have >=3 characters"]}}"#;
        let err = ActionError::from_body(body.as_bytes());
        assert_eq!(err.to_json(false), body);
        let input = err.as_input_error().unwrap();
        assert_eq!(
            input.issues()[1].param("minimum"),
            Some(&serde_json::json!(3))
        );
        // Astro's message: the issues as pretty JSON, keys in zod's order.
        assert!(
            err.message()
                .starts_with("Failed to validate: [\n  {\n    \"expected\": \"number\",\n    \"code\": \"invalid_type\",\n    \"received\": \"NaN\",")
        );
    }
}
