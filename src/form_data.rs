//! The raw form, as server and client both hold it: [`FormData`], its [`FormValue`]s and
//! [`UploadedFile`]s, and the hand-off through which the form decoder gives them to a visitor.

use std::cell::RefCell;
use std::fmt;

use bytes::Bytes;
use serde::de::{self, Deserialize, Deserializer, Visitor};
use serde::ser::{Serialize, SerializeStruct, Serializer};

use crate::marker;

/// A submitted form, as the browser sent it: its entries in submission order, duplicates kept.
///
/// This is the Rust side of the web's `FormData`. An action that accepts forms can take it as
/// its whole input to read the form untouched (what a schema-less Astro form action gets):
///
/// ```
/// use tower_actions::input::{FormData, FormValue};
///
/// let mut form = FormData::new();
/// form.push("tag", "a");
/// form.push("tag", "b");
/// assert_eq!(form.get("tag").and_then(FormValue::as_text), Some("a"));
/// assert_eq!(form.get_all("tag").count(), 2);
/// assert!(!form.has("name"));
/// ```
///
/// `FormData` implements `Deserialize` only for the form decoder, and only as the whole input:
/// any other deserializer (for instance `serde_json`) rejects it. It serializes (for the
/// client's form encoder, which sends its entries as they are) as a list of `[name, value]`
/// pairs.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FormData {
    entries: Vec<(String, FormValue)>,
}

impl FormData {
    /// An empty form.
    pub fn new() -> Self {
        FormData::default()
    }

    /// An empty form with room for `entries` entries.
    pub(crate) fn with_capacity(entries: usize) -> Self {
        FormData {
            entries: Vec::with_capacity(entries),
        }
    }

    /// The first value named `name` (the web's `formData.get(name)`).
    pub fn get(&self, name: &str) -> Option<&FormValue> {
        self.entries
            .iter()
            .find(|(key, _)| key == name)
            .map(|(_, value)| value)
    }

    /// Every value named `name`, in submission order (the web's `formData.getAll(name)`).
    pub fn get_all<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a FormValue> + 'a {
        self.entries
            .iter()
            .filter(move |(key, _)| key == name)
            .map(|(_, value)| value)
    }

    /// Whether the form has a value named `name`.
    pub fn has(&self, name: &str) -> bool {
        self.entries.iter().any(|(key, _)| key == name)
    }

    /// Every entry, in submission order.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &FormValue)> {
        self.entries
            .iter()
            .map(|(key, value)| (key.as_str(), value))
    }

    /// The text (non-file) entries, in submission order.
    pub fn texts(&self) -> impl Iterator<Item = (&str, &str)> {
        self.entries
            .iter()
            .filter_map(|(key, value)| value.as_text().map(|text| (key.as_str(), text)))
    }

    /// The text (non-file) entries, in submission order, moved out.
    pub(crate) fn into_texts(self) -> Vec<(String, String)> {
        // A new vector of the right size: collecting in place would shrink the entries'
        // allocation (a text pair is smaller than an entry) with a `realloc`.
        let mut texts = Vec::with_capacity(self.entries.len());
        for (key, value) in self.entries {
            if let FormValue::Text(text) = value {
                texts.push((key, text));
            }
        }
        texts
    }

    /// The number of entries, duplicates included.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether the form has no entries.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Appends an entry (the web's `formData.append(name, value)`).
    pub fn push(&mut self, name: impl Into<String>, value: impl Into<FormValue>) {
        self.entries.push((name.into(), value.into()));
    }
}

impl<N: Into<String>, V: Into<FormValue>> FromIterator<(N, V)> for FormData {
    fn from_iter<I: IntoIterator<Item = (N, V)>>(iter: I) -> Self {
        FormData {
            entries: iter
                .into_iter()
                .map(|(name, value)| (name.into(), value.into()))
                .collect(),
        }
    }
}

impl<N: Into<String>, V: Into<FormValue>> Extend<(N, V)> for FormData {
    fn extend<I: IntoIterator<Item = (N, V)>>(&mut self, iter: I) {
        self.entries.extend(
            iter.into_iter()
                .map(|(name, value)| (name.into(), value.into())),
        );
    }
}

impl IntoIterator for FormData {
    type Item = (String, FormValue);
    type IntoIter = std::vec::IntoIter<(String, FormValue)>;

    fn into_iter(self) -> Self::IntoIter {
        self.entries.into_iter()
    }
}

/// One value of a form: a text field or an uploaded file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FormValue {
    /// A text field (any field of a URL-encoded form, a multipart part without a file name).
    Text(String),
    /// A file (a multipart part with a file name, even an empty one).
    File(UploadedFile),
}

impl FormValue {
    /// The text, when this is a text field.
    pub fn as_text(&self) -> Option<&str> {
        match self {
            FormValue::Text(text) => Some(text),
            FormValue::File(_) => None,
        }
    }

    /// The file, when this is a file.
    pub fn as_file(&self) -> Option<&UploadedFile> {
        match self {
            FormValue::Text(_) => None,
            FormValue::File(file) => Some(file),
        }
    }
}

impl From<String> for FormValue {
    fn from(text: String) -> Self {
        FormValue::Text(text)
    }
}

impl From<&str> for FormValue {
    fn from(text: &str) -> Self {
        FormValue::Text(text.to_owned())
    }
}

impl From<UploadedFile> for FormValue {
    fn from(file: UploadedFile) -> Self {
        FormValue::File(file)
    }
}

/// A file uploaded in a multipart form: the web's `File`.
///
/// A file input left empty still sends a file part (with an empty file name): it is a file of
/// size 0. Use it as a field of an action's input, alone, in a `Vec` or an `Option`:
///
/// ```
/// use tower_actions::input::UploadedFile;
///
/// #[derive(serde::Deserialize)]
/// struct Upload {
///     title: String,
///     avatar: UploadedFile,
///     attachments: Vec<UploadedFile>,
/// }
///
/// // Files only come from forms: any other deserializer rejects them.
/// let err = serde_json::from_str::<UploadedFile>(r#""x""#).unwrap_err();
/// assert!(err.to_string().contains("expected File"));
///
/// // Serialized, a file is what JavaScript sees of it; the client's form encoder sends it whole.
/// let file = UploadedFile::new("a.txt", "text/plain", &b"hi"[..]);
/// assert_eq!(serde_json::to_string(&file).unwrap(), r#"{"name":"a.txt","size":2,"type":"text/plain"}"#);
/// ```
#[derive(Clone, PartialEq, Eq)]
pub struct UploadedFile {
    name: String,
    content_type: String,
    bytes: Bytes,
}

impl UploadedFile {
    /// A file with this name, content type (empty when unknown) and content.
    pub fn new(
        name: impl Into<String>,
        content_type: impl Into<String>,
        bytes: impl Into<Bytes>,
    ) -> Self {
        UploadedFile {
            name: name.into(),
            content_type: content_type.into(),
            bytes: bytes.into(),
        }
    }

    /// The file name the client gave (`File.name`), possibly empty; `%22`, `%0D` and `%0A`
    /// (how browsers write `"`, CR and LF in a multipart file name) are decoded.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The file's content type (`File.type`): for an upload, the part's `Content-Type`
    /// lowercased, `text/plain` when the part had none (multipart's default), empty when the
    /// value was not printable ASCII.
    pub fn content_type(&self) -> &str {
        &self.content_type
    }

    /// The file's content.
    pub fn bytes(&self) -> &Bytes {
        &self.bytes
    }

    /// The file's content, taking the file.
    pub fn into_bytes(self) -> Bytes {
        self.bytes
    }

    /// The size of the content in bytes (`File.size`).
    pub fn size(&self) -> usize {
        self.bytes.len()
    }
}

impl fmt::Debug for UploadedFile {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("UploadedFile")
            .field("name", &self.name)
            .field("content_type", &self.content_type)
            .field("size", &self.bytes.len())
            .finish()
    }
}

/// What the form decoder hands to [`FormData`]'s or [`UploadedFile`]'s visitor.
pub(crate) enum Handoff {
    /// The whole form.
    Form(FormData),
    /// One file.
    File(UploadedFile),
}

thread_local! {
    /// The value being handed from the form decoder to a visitor. Deserialization is synchronous,
    /// so the value is put here right before the visitor is called and taken by it at once.
    static HANDOFF: RefCell<Option<Handoff>> = const { RefCell::new(None) };
}

/// Empties a thread-local slot when dropped: after the call it guards returns or unwinds, so
/// that no form or file is left for a later call on the thread.
struct Empty(&'static std::thread::LocalKey<RefCell<Option<Handoff>>>);

impl Drop for Empty {
    fn drop(&mut self) {
        let taken = self.0.try_with(|slot| slot.try_borrow_mut().ok()?.take());
        drop(taken);
    }
}

/// Calls `visit` with [`marker::HANDOFF`] while `value` waits in the hand-off slot; the slot is
/// emptied afterwards whatever the visitor did, even if it panicked.
pub(crate) fn hand_off<R>(value: Handoff, visit: impl FnOnce(&'static str) -> R) -> R {
    HANDOFF.with(|slot| *slot.borrow_mut() = Some(value));
    let _empty = Empty(&HANDOFF);
    visit(marker::HANDOFF)
}

fn take_handoff() -> Option<Handoff> {
    HANDOFF.with(|slot| slot.borrow_mut().take())
}

struct FormDataVisitor;

impl<'de> Visitor<'de> for FormDataVisitor {
    type Value = FormData;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("FormData (a form body decoded as the whole input)")
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<FormData, E> {
        if v == marker::HANDOFF {
            if let Some(Handoff::Form(form)) = take_handoff() {
                return Ok(form);
            }
        }
        Err(E::invalid_type(de::Unexpected::Str(v), &self))
    }

    fn visit_newtype_struct<D: Deserializer<'de>>(self, d: D) -> Result<FormData, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Deserialize<'de> for FormData {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_newtype_struct(marker::FORM_DATA, FormDataVisitor)
    }
}

struct FileVisitor;

impl<'de> Visitor<'de> for FileVisitor {
    type Value = UploadedFile;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("File (a file part of a multipart form)")
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<UploadedFile, E> {
        if v == marker::HANDOFF {
            if let Some(Handoff::File(file)) = take_handoff() {
                return Ok(file);
            }
        }
        Err(E::invalid_type(de::Unexpected::Str(v), &self))
    }

    fn visit_newtype_struct<D: Deserializer<'de>>(self, d: D) -> Result<UploadedFile, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Deserialize<'de> for UploadedFile {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_newtype_struct(marker::UPLOADED_FILE, FileVisitor)
    }
}

thread_local! {
    /// The form or file being serialized: [`FormData`] and [`UploadedFile`] lend themselves here
    /// while they serialize, so that the client's form encoder, which recognises their marker
    /// names, can take them whole. Other serializers never look, and the slot is emptied after.
    static LENT: RefCell<Option<Handoff>> = const { RefCell::new(None) };
}

/// Runs `serialize` while `value` waits in the lending slot, emptying the slot afterwards, even
/// if it panicked.
fn lend<R>(value: Handoff, serialize: impl FnOnce() -> R) -> R {
    LENT.with(|slot| *slot.borrow_mut() = Some(value));
    let _empty = Empty(&LENT);
    serialize()
}

/// Takes what a [`FormData`] or [`UploadedFile`] being serialized lent: called by a serializer
/// that met one of their marker names.
#[cfg_attr(not(feature = "client"), allow(dead_code))]
pub(crate) fn take_lent() -> Option<Handoff> {
    LENT.with(|slot| slot.borrow_mut().take())
}

/// What JavaScript sees of a file: `{name, size, type}`.
struct FileFields<'a>(&'a UploadedFile);

impl Serialize for FileFields<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut file = serializer.serialize_struct("File", 3)?;
        file.serialize_field("name", &self.0.name)?;
        file.serialize_field("size", &self.0.bytes.len())?;
        file.serialize_field("type", &self.0.content_type)?;
        file.end()
    }
}

impl Serialize for UploadedFile {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        lend(Handoff::File(self.clone()), || {
            serializer.serialize_newtype_struct(marker::UPLOADED_FILE, &FileFields(self))
        })
    }
}

impl Serialize for FormValue {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            FormValue::Text(text) => serializer.serialize_str(text),
            FormValue::File(file) => file.serialize(serializer),
        }
    }
}

/// The entries of a form, as `[name, value]` pairs.
struct Entries<'a>(&'a FormData);

impl Serialize for Entries<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(self.0.entries.iter().map(|(name, value)| (name, value)))
    }
}

impl Serialize for FormData {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        lend(Handoff::Form(self.clone()), || {
            serializer.serialize_newtype_struct(marker::FORM_DATA, &Entries(self))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accessors_keep_submission_order() {
        let file = UploadedFile::new("a.txt", "text/plain", &b"hi"[..]);
        let form: FormData = vec![
            ("a", FormValue::from("1")),
            ("f", FormValue::from(file.clone())),
            ("a", FormValue::from("2")),
        ]
        .into_iter()
        .collect();
        assert_eq!(form.len(), 3);
        assert!(!form.is_empty());
        assert_eq!(form.get("a"), Some(&FormValue::Text("1".into())));
        assert_eq!(
            form.get_all("a")
                .filter_map(FormValue::as_text)
                .collect::<Vec<_>>(),
            ["1", "2"]
        );
        assert_eq!(form.get("f").and_then(FormValue::as_file), Some(&file));
        assert_eq!(form.texts().collect::<Vec<_>>(), [("a", "1"), ("a", "2")]);
        assert_eq!(
            form.iter().map(|(k, _)| k).collect::<Vec<_>>(),
            ["a", "f", "a"]
        );
        assert!(form.has("f") && !form.has("g"));
        assert_eq!(file.size(), 2);
        assert_eq!(UploadedFile::new("", "", Bytes::new()).size(), 0);
    }

    #[test]
    fn other_deserializers_reject_forms_and_files() {
        let err = serde_json::from_str::<UploadedFile>(r#""x""#).unwrap_err();
        assert!(err.to_string().contains("expected File"), "{err}");
        let err = serde_json::from_str::<UploadedFile>(HANDOFF_JSON).unwrap_err();
        assert!(err.to_string().contains("expected File"), "{err}");
        let err = serde_json::from_str::<FormData>(r#"{"a":"1"}"#).unwrap_err();
        assert!(err.to_string().contains("expected FormData"), "{err}");
    }

    #[test]
    fn other_serializers_see_what_javascript_sees() {
        let file = UploadedFile::new("a.bin", "", &b"\0\x01"[..]);
        assert_eq!(
            serde_json::to_string(&file).unwrap(),
            r#"{"name":"a.bin","size":2,"type":""}"#
        );
        let form: FormData = vec![("a", FormValue::from("1")), ("f", FormValue::from(file))]
            .into_iter()
            .collect();
        assert_eq!(
            serde_json::to_string(&form).unwrap(),
            r#"[["a","1"],["f",{"name":"a.bin","size":2,"type":""}]]"#
        );
        assert!(
            take_lent().is_none(),
            "the slot is emptied after serializing"
        );
    }

    /// A writer that panics at the first byte.
    struct Panics;

    impl std::io::Write for Panics {
        fn write(&mut self, _: &[u8]) -> std::io::Result<usize> {
            panic!("this writer panics")
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    /// A serializer or visitor that panics leaves neither slot holding a form or a file (which
    /// a later call on the thread could otherwise be handed).
    #[test]
    fn a_panic_leaves_both_slots_empty() {
        let file = UploadedFile::new("a.txt", "text/plain", &b"hi"[..]);
        let panicked = std::panic::catch_unwind(|| serde_json::to_writer(Panics, &file));
        assert!(panicked.is_err());
        assert!(take_lent().is_none(), "the lending slot is empty");
        let panicked = std::panic::catch_unwind(|| {
            hand_off(Handoff::File(file.clone()), |_| {
                panic!("the visitor panics")
            })
        });
        assert!(panicked.is_err());
        assert!(take_handoff().is_none(), "the hand-off slot is empty");
    }

    const HANDOFF_JSON: &str = r#""$tower_actions::handoff""#;
}
