//! Form bodies: parsing URL-encoded and multipart bodies into [`FormData`], and decoding a
//! [`FormData`] into an action's input type with Astro's form coercion (protocol §4.2).

// The layer calls these when it dispatches form actions; until then some are only tested.
#![allow(dead_code)]

mod data;
mod de;
#[cfg(test)]
mod de_tests;
mod multipart;
mod urlencoded;

pub use data::{FormData, FormValue, UploadedFile};
// Used by the layer once it dispatches form actions.
#[allow(unused_imports)]
pub(crate) use de::from_form;
#[allow(unused_imports)]
pub(crate) use multipart::{boundary, read_multipart};
#[allow(unused_imports)]
pub(crate) use urlencoded::parse_urlencoded;

/// Limits applied while reading a form body.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct FormLimits {
    /// The most bytes the whole body may have (Astro's `actionBodySizeLimit`).
    pub(crate) body_limit: usize,
    /// The most bytes one uploaded file may have.
    pub(crate) file_limit: usize,
    /// The most entries (fields and files) the form may have.
    pub(crate) max_fields: usize,
}

/// The error for a form with more than `max_fields` entries.
fn too_many_fields(max_fields: usize) -> crate::ActionError {
    crate::ActionError::new(
        crate::ActionErrorCode::ContentTooLarge,
        format!("Form has more than {max_fields} fields"),
    )
}
