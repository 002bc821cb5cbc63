//! [`NodeError`]: a deserialization error with the path where it happened.

use std::fmt;

use serde::de;

use super::Path;
use crate::error::{Issue, PathSegment};

/// An error with the path where it happened (set by the innermost node that sees it).
#[derive(Debug)]
pub(crate) struct NodeError {
    pub(super) path: Option<Path>,
    pub(super) message: String,
    /// zod's issue, when the node knows it.
    pub(super) issue: Option<Box<Issue>>,
    /// A field is missing (`path` is the field's).
    pub(super) missing_field: bool,
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
    pub(super) fn at(mut self, at: &Path) -> Self {
        if self.path.is_none() {
            let mut path = at.clone();
            if let Some(field) = self.missing.take() {
                path.push(PathSegment::Key(field));
            }
            self.path = Some(path);
        }
        self
    }

    pub(super) fn with_issue(path: &Path, issue: Issue) -> Self {
        NodeError {
            path: Some(path.clone()),
            message: issue.message.clone(),
            issue: Some(Box::new(issue)),
            missing_field: false,
            missing: None,
        }
    }
}
