//! `url`: [`url::Url`](Url) and [`js::Url`](crate::js::Url), by the href.

use url::Url;

use super::from_ref;
use crate::js::{self, ConversionError};

from_ref! {
    Url => js::Url = |u| js::Url::new(u.as_str());
}

impl TryFrom<js::Url> for Url {
    type Error = ConversionError;

    /// Parses the href (WHATWG URL parsing, as JavaScript's `new URL`); not a URL, an error.
    fn try_from(url: js::Url) -> Result<Self, ConversionError> {
        Url::parse(url.href())
            .map_err(|e| ConversionError::new(format!("{:?} is not a URL: {e}", url.href())))
    }
}
