//! Validating an action's input before its handler runs.
//!
//! [`Validate`] is the one trait the layer asks of an input type. With the `garde` feature
//! (on by default) every `garde::Validate` type implements it, so `#[derive(garde::Validate)]`
//! is all an input needs; any other validator plugs in by implementing [`Validate`] for the
//! type. Every failing field is reported, each as an [`Issue`] at its path.
//!
//! The rules of [`check`](crate::check) (`#[garde(custom(tower_actions::check::email()))]`)
//! report zod 4's issue objects and messages; plain garde rules report an `invalid_value`
//! issue with garde's message.
//!
//! # Example
//!
//! ```
//! use tower_actions::{error::Issue, input::Validate};
//!
//! #[derive(serde::Deserialize, garde::Validate)]
//! struct Signup {
//!     #[garde(email)]
//!     email: String,
//!     #[garde(length(chars, min = 8))]
//!     password: String,
//! }
//!
//! let bad = Signup { email: "nope".into(), password: "short".into() };
//! let issues = bad.validate().unwrap_err();
//! let paths: Vec<String> = issues.iter().map(|issue| issue.path[0].to_string()).collect();
//! assert_eq!(paths, ["email", "password"]);
//! ```

use crate::error::Issue;

/// Checks a deserialized input, reporting every problem found.
pub trait Validate {
    /// `Ok` when the input is valid, else every issue found.
    fn validate(&self) -> Result<(), Vec<Issue>>;
}

#[cfg(feature = "garde")]
impl<T> Validate for T
where
    T: garde::Validate,
    T::Context: Default,
{
    fn validate(&self) -> Result<(), Vec<Issue>> {
        garde::Validate::validate(self).map_err(|report| {
            let mut issues: Vec<Issue> = Vec::new();
            // Paths where zod's `.int()` failed: it stops the checks after it (`continue: false`).
            let mut stopped: Vec<Vec<crate::error::PathSegment>> = Vec::new();
            for (path, error) in report.iter() {
                match crate::check::decode(error.message()) {
                    // A rule of `tower_actions::check`: zod's issue, at garde's path.
                    Some(mut issue) => {
                        let mut full = garde_path(path);
                        full.append(&mut issue.path);
                        issue.path = full;
                        if stopped.contains(&issue.path) {
                            continue;
                        }
                        if issue.param("format").and_then(|f| f.as_str()) == Some("safeint") {
                            stopped.push(issue.path.clone());
                        }
                        issues.push(issue);
                    }
                    None => issues.push(Issue::new(
                        "invalid_value",
                        garde_path(path),
                        error.message(),
                    )),
                }
            }
            // zod checks an array's items before the array itself.
            crate::decode::collect::sort_issues(&mut issues, &Default::default());
            issues
        })
    }
}

/// garde's path as issue path segments: keys as strings, indices as numbers.
#[cfg(feature = "garde")]
fn garde_path(path: &garde::Path) -> Vec<crate::error::PathSegment> {
    use crate::error::PathSegment;
    // garde serializes a path as a list of `[kind, component]` pairs, root first.
    let Ok(serde_json::Value::Array(components)) = serde_json::to_value(path) else {
        return Vec::new();
    };
    components
        .iter()
        .filter_map(|component| {
            let kind = component.get(0)?.as_str()?;
            let text = component.get(1)?.as_str()?;
            match kind {
                "index" => Some(
                    text.parse::<usize>()
                        .map(PathSegment::Index)
                        .unwrap_or_else(|_| PathSegment::Key(text.to_owned())),
                ),
                "key" => Some(PathSegment::Key(text.to_owned())),
                _ => None,
            }
        })
        .collect()
}

#[cfg(not(feature = "garde"))]
impl Validate for () {
    fn validate(&self) -> Result<(), Vec<Issue>> {
        Ok(())
    }
}

/// A raw form (an action with no schema) has nothing to check.
impl Validate for crate::FormData {
    fn validate(&self) -> Result<(), Vec<Issue>> {
        Ok(())
    }
}
