//! Form bodies: parsing URL-encoded and multipart bodies into [`FormData`], and decoding a
//! [`FormData`] into an action's input type with Astro's form coercion.

mod de;
#[cfg(test)]
mod de_tests;
mod multipart;
mod urlencoded;

#[cfg(test)]
pub(crate) use de::from_form;
pub(crate) use de::from_form_validated;
pub(crate) use multipart::{boundary, read_multipart};
pub(crate) use urlencoded::parse_urlencoded;

/// The layer's limits, as the form readers see them.
pub(crate) use super::Limits as FormLimits;

/// The error for a form with more than `max_fields` entries.
fn too_many_fields(max_fields: usize) -> crate::ActionError {
    crate::ActionError::new(
        crate::ActionErrorCode::ContentTooLarge,
        format!("Form has more than {max_fields} fields"),
    )
}
