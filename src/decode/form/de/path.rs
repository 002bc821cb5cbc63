//! [`Pos`]: where in the input a value is, as a chain of segments back to the root.

use crate::decode::collect::Expecting;
use crate::{Issue, PathSegment};

use super::{Ctx, Error, Problem};

/// Where a value sits: its path, and whether issues found there are kept (they are not under
/// a required struct that is missing, whose fields are still walked to continue decoding).
///
/// The path is a chain of borrowed links to the parents' positions, so that walking into a
/// field costs nothing; it is written out as [`PathSegment`]s only when an issue is recorded.
#[derive(Clone, Copy)]
pub(super) struct Pos<'c, 'f> {
    pub(super) ctx: &'c Ctx<'f>,
    pub(super) parent: Option<&'c Pos<'c, 'f>>,
    pub(super) segment: Option<Segment<'f>>,
    pub(super) muted: bool,
}

/// One step of a path, borrowed.
#[derive(Clone, Copy)]
pub(super) enum Segment<'f> {
    Key(&'f str),
    Index(usize),
}

impl From<usize> for Segment<'_> {
    fn from(index: usize) -> Self {
        Segment::Index(index)
    }
}

impl<'f> From<&'f str> for Segment<'f> {
    fn from(key: &'f str) -> Self {
        Segment::Key(key)
    }
}

impl<'c, 'f> Pos<'c, 'f> {
    pub(super) fn child<'a>(&'a self, segment: impl Into<Segment<'f>>) -> Pos<'a, 'f> {
        Pos {
            ctx: self.ctx,
            parent: Some(self),
            segment: Some(segment.into()),
            muted: self.muted,
        }
    }

    /// The path from the root to here.
    pub(super) fn path(&self) -> Vec<PathSegment> {
        let mut path = Vec::new();
        let mut at = Some(self);
        while let Some(pos) = at {
            if let Some(segment) = pos.segment {
                path.push(match segment {
                    Segment::Key(key) => PathSegment::from(key),
                    Segment::Index(index) => PathSegment::from(index),
                });
            }
            at = pos.parent;
        }
        path.reverse();
        path
    }

    pub(super) fn record(&self, mut issue: Problem) {
        if !self.muted {
            issue.path = self.path();
            self.ctx.issues.borrow_mut().push(issue);
        }
    }

    pub(super) fn fail(&self, problem: Problem) -> Error {
        self.record(problem);
        Error::Recorded
    }

    /// Places the error of a visitor that refused a text (`expecting` what it says) at this
    /// path, as the issue the JSON decoder gives for the same string.
    pub(super) fn refused(&self, error: Error, expecting: &Expecting) -> Error {
        match error {
            Error::Custom(message) => {
                // A text too long for the buffer: serde's own message ends with it.
                let expecting = match expecting.is_whole() {
                    true => expecting.as_str(),
                    false => message
                        .rsplit_once(", expected ")
                        .map_or(expecting.as_str(), |(_, tail)| tail),
                };
                self.fail(crate::decode::collect::refused_text(expecting, &message))
            }
            Error::Recorded => Error::Recorded,
        }
    }

    /// Places an error that has no path yet at this one.
    pub(super) fn locate(&self, error: Error) -> Error {
        match error {
            Error::Custom(message) => self.fail(Issue::invalid_type(Vec::new(), message)),
            Error::Recorded => Error::Recorded,
        }
    }
}
