//! The JSON bodies the server writes for an [`ActionError`]: `AstroActionError` with code,
//! status and message, or `AstroActionInputError` with issues and fields.

use std::borrow::Cow;

use serde::ser::SerializeMap;
use serde::{Serialize, Serializer};

use super::{ActionError, Repr};

/// The message sent for an unexpected error while internal messages are hidden.
const HIDDEN_INTERNAL_MESSAGE: &str = "Internal server error";

impl ActionError {
    /// The error's JSON body, as the RPC endpoint sends it. With `expose_internal` false, an
    /// unexpected error's text is replaced by a generic message.
    pub fn to_json(&self, expose_internal: bool) -> String {
        // Serializing these plain structures into a string cannot fail.
        serde_json::to_string(&Body {
            error: self,
            expose_internal,
        })
        .unwrap_or_default()
    }
}

struct Body<'a> {
    error: &'a ActionError,
    expose_internal: bool,
}

impl Serialize for Body<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let message = match &self.error.repr {
            Repr::Input(input) => return input.serialize(serializer),
            Repr::Action { message, .. } => Cow::Borrowed(&**message),
            Repr::Internal(error) if self.expose_internal => Cow::Owned(error.to_string()),
            Repr::Internal(_) => Cow::Borrowed(HIDDEN_INTERNAL_MESSAGE),
        };
        let code = self.error.code();
        let mut map = serializer.serialize_map(Some(4))?;
        map.serialize_entry("type", "AstroActionError")?;
        map.serialize_entry("code", code.as_str())?;
        map.serialize_entry("status", &code.status().as_u16())?;
        map.serialize_entry("message", &message)?;
        map.end()
    }
}
