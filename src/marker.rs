//! The private names through which the crate's own types tell its serializers and deserializers
//! what they are: a [`js`](crate::js) type, [`RawJson`](crate::RawJson), a form's
//! [`FormData`](crate::FormData) or [`UploadedFile`](crate::UploadedFile), or one of devalue's
//! own shapes. Every name has the one spelling `$tower_actions::Name`, written here once.

/// Defines each marker as `$tower_actions::` followed by its name.
macro_rules! markers {
    ($($(#[$doc:meta])* $name:ident = $text:literal;)*) => {
        $($(#[$doc])* pub(crate) const $name: &str = concat!("$tower_actions::", $text);)*
    };
}

markers! {
    /// [`js::Date`](crate::js::Date).
    DATE = "js::Date";
    /// [`js::Map`](crate::js::Map).
    MAP = "js::Map";
    /// [`js::Set`](crate::js::Set).
    SET = "js::Set";
    /// [`js::Url`](crate::js::Url).
    URL = "js::Url";
    /// [`js::BigInt`](crate::js::BigInt).
    BIGINT = "js::BigInt";
    /// A devalue array hole (`-2`).
    HOLE = "devalue::Hole";
    /// A devalue sparse array: a sequence `len, idx, value, idx, value…`.
    SPARSE = "devalue::Sparse";
    /// A devalue null-prototype object: a sequence `key, value, key, value…`.
    NULL_PROTO = "devalue::NullProto";
    /// devalue's `["Tag","literal",…]`: a sequence of literal strings and integers.
    LITERALS = "devalue::Literals";
    /// devalue's `["Tag",ref,literal…]`: like [`LITERALS`] but the second element is a value.
    REF1 = "devalue::Ref1";
    /// [`RawJson`](crate::RawJson): the JSON value as it came.
    RAW_JSON = "RawJson";
    /// [`FormData`](crate::FormData) asks the form decoder for the whole form.
    FORM_DATA = "FormData";
    /// [`UploadedFile`](crate::UploadedFile) asks the form decoder for a file.
    UPLOADED_FILE = "UploadedFile";
    /// The string the form decoder visits once it has put a value in the hand-off slot.
    HANDOFF = "handoff";
    /// The JSON decoder's stand-in string for `Infinity` (JSON cannot write it).
    INFINITY = "Infinity";
    /// The JSON decoder's stand-in string for `-Infinity`.
    NEG_INFINITY = "-Infinity";
}

/// Whether `name` may be one of these markers: they alone start with `$`, which no Rust type
/// name does (the devalue serializer's quick test before it compares names).
#[inline(always)]
pub(crate) fn is_marker(name: &str) -> bool {
    name.starts_with('$')
}
