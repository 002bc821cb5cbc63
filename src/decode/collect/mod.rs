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

use serde::de::DeserializeOwned;
use serde_json::Value;

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
                let first = state.wild.insert(path);
                if first {
                    // A refused wildcard is no new issue: its path has one already.
                    issues.push(issue);
                }
                if !first || issues.len() >= MAX_ISSUES {
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

mod error;
mod issues;
mod node;
mod wildcard;

pub(crate) use issues::{Expecting, js_only, refused_text, sort_issues, stand_in_text};
pub(crate) use node::INFINITY;

use issues::{add_unrecognized, issue_from_serde, unknown_field};
use node::{Node, Slot};

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
