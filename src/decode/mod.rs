//! Decoding request bodies into action inputs.

pub(crate) mod form;
