//! A form action's input as form entries: a small serde serializer from any `Serialize` input
//! to [`FormData`], the entries Astro's server turns back into the input.
//!
//! Nested structs and maps become dotted names (`bc.b`), sequences repeated names, booleans
//! `true`/`false`, numbers what JavaScript's `String(n)` writes, unit enum variants their
//! name; `None`, `()` and unit structs are left out. [`UploadedFile`]s stay files, and a
//! [`FormData`] input is sent as it is.

use std::fmt;

use serde::Serialize;
use serde::ser::{self, Impossible};

#[cfg(doc)]
use crate::UploadedFile;
use crate::form_data::{Handoff, take_lent};
use crate::marker;
use crate::{FormData, FormValue};

/// Why an input has no form encoding.
#[derive(Debug)]
pub(crate) struct FormError(String);

impl fmt::Display for FormError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for FormError {}

impl ser::Error for FormError {
    fn custom<T: fmt::Display>(msg: T) -> Self {
        FormError(msg.to_string())
    }
}

/// The form entries of `input`, which must serialize as a struct, a map, a [`FormData`] or
/// nothing (`()`, `None`: an empty form).
pub(crate) fn to_form_data<T: Serialize + ?Sized>(input: &T) -> Result<FormData, FormError> {
    let mut form = FormData::new();
    input.serialize(Entry {
        form: &mut form,
        key: None,
    })?;
    Ok(form)
}

/// Serializes one value into `form` under `key` (`None` at the root, where only objects fit).
struct Entry<'a> {
    form: &'a mut FormData,
    key: Option<&'a str>,
}

impl Entry<'_> {
    fn push(self, value: impl Into<FormValue>) -> Result<(), FormError> {
        match self.key {
            Some(key) => {
                self.form.push(key, value);
                Ok(())
            }
            None => Err(FormError(
                "a form action's input must be a struct or a map".to_owned(),
            )),
        }
    }

    fn child(&self, name: &str) -> String {
        match self.key {
            Some(key) => format!("{key}.{name}"),
            None => name.to_owned(),
        }
    }

    fn text(self, text: impl fmt::Display) -> Result<(), FormError> {
        self.push(text.to_string())
    }

    fn number(self, n: f64) -> Result<(), FormError> {
        if n == 0.0 {
            // `String(-0)` is `"0"`.
            return self.push("0");
        }
        self.push(ryu_js::Buffer::new().format(n).to_owned())
    }
}

/// `serialize_<type>` methods that write the value as `String(value)` does: its `Display`.
macro_rules! display {
    ($($method:ident: $ty:ty),* $(,)?) => {
        $(fn $method(self, v: $ty) -> Result<(), FormError> {
            self.text(v)
        })*
    };
}

impl<'a> ser::Serializer for Entry<'a> {
    type Ok = ();
    type Error = FormError;
    type SerializeSeq = Seq<'a>;
    type SerializeTuple = Seq<'a>;
    type SerializeTupleStruct = Seq<'a>;
    type SerializeTupleVariant = Impossible<(), FormError>;
    type SerializeMap = Object<'a>;
    type SerializeStruct = Object<'a>;
    type SerializeStructVariant = Impossible<(), FormError>;

    fn serialize_bool(self, v: bool) -> Result<(), FormError> {
        self.push(if v { "true" } else { "false" })
    }
    display! {
        serialize_i8: i8, serialize_i16: i16, serialize_i32: i32, serialize_i64: i64,
        serialize_i128: i128, serialize_u8: u8, serialize_u16: u16, serialize_u32: u32,
        serialize_u64: u64, serialize_u128: u128, serialize_char: char,
    }
    fn serialize_f32(self, v: f32) -> Result<(), FormError> {
        if v == 0.0 || !v.is_finite() {
            return self.number(f64::from(v));
        }
        self.push(ryu_js::Buffer::new().format(v).to_owned())
    }
    fn serialize_f64(self, v: f64) -> Result<(), FormError> {
        self.number(v)
    }
    fn serialize_str(self, v: &str) -> Result<(), FormError> {
        self.push(v)
    }
    fn serialize_bytes(self, _: &[u8]) -> Result<(), FormError> {
        Err(FormError(
            "bytes have no form encoding: send a file as an UploadedFile".to_owned(),
        ))
    }
    fn serialize_none(self) -> Result<(), FormError> {
        Ok(())
    }
    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result<(), FormError> {
        value.serialize(self)
    }
    fn serialize_unit(self) -> Result<(), FormError> {
        Ok(())
    }
    fn serialize_unit_struct(self, _: &'static str) -> Result<(), FormError> {
        Ok(())
    }
    fn serialize_unit_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
    ) -> Result<(), FormError> {
        self.push(variant)
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        name: &'static str,
        value: &T,
    ) -> Result<(), FormError> {
        let lent = match name {
            marker::UPLOADED_FILE | marker::FORM_DATA => take_lent(),
            _ => None,
        };
        match lent {
            Some(Handoff::File(file)) => self.push(file),
            Some(Handoff::Form(form)) => {
                for (name, value) in form {
                    let name = self.child(&name);
                    self.form.push(name, value);
                }
                Ok(())
            }
            None => value.serialize(self),
        }
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        _: &T,
    ) -> Result<(), FormError> {
        Err(variant_error(variant))
    }
    fn serialize_seq(self, _: Option<usize>) -> Result<Seq<'a>, FormError> {
        match self.key {
            Some(key) => Ok(Seq {
                form: self.form,
                key,
            }),
            None => Err(FormError(
                "a form action's input must be a struct or a map, not a sequence".to_owned(),
            )),
        }
    }
    fn serialize_tuple(self, len: usize) -> Result<Seq<'a>, FormError> {
        self.serialize_seq(Some(len))
    }
    fn serialize_tuple_struct(self, _: &'static str, len: usize) -> Result<Seq<'a>, FormError> {
        self.serialize_seq(Some(len))
    }
    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleVariant, FormError> {
        Err(variant_error(variant))
    }
    fn serialize_map(self, _: Option<usize>) -> Result<Object<'a>, FormError> {
        Ok(Object {
            form: self.form,
            prefix: self.key.map(|key| format!("{key}.")).unwrap_or_default(),
            key: None,
        })
    }
    fn serialize_struct(self, _: &'static str, len: usize) -> Result<Object<'a>, FormError> {
        self.serialize_map(Some(len))
    }
    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        _: usize,
    ) -> Result<Self::SerializeStructVariant, FormError> {
        Err(variant_error(variant))
    }
}

fn variant_error(variant: &str) -> FormError {
    FormError(format!(
        "the enum variant `{variant}` has no form encoding (tag the enum with #[serde(tag = \"…\")])"
    ))
}

/// A sequence: every element under the same name.
struct Seq<'a> {
    form: &'a mut FormData,
    key: &'a str,
}

impl Seq<'_> {
    fn element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), FormError> {
        value.serialize(Entry {
            form: self.form,
            key: Some(self.key),
        })
    }
}

/// The sequence traits of [`Seq`]: every element is [`Seq::element`].
macro_rules! sequence {
    ($($trait:ident::$method:ident),*) => {
        $(impl ser::$trait for Seq<'_> {
            type Ok = ();
            type Error = FormError;
            fn $method<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), FormError> {
                self.element(value)
            }
            fn end(self) -> Result<(), FormError> {
                Ok(())
            }
        })*
    };
}

sequence!(
    SerializeSeq::serialize_element,
    SerializeTuple::serialize_element,
    SerializeTupleStruct::serialize_field
);

/// A struct or map: each field under `prefix` + its name.
struct Object<'a> {
    form: &'a mut FormData,
    prefix: String,
    /// The name of the map entry whose value comes next.
    key: Option<String>,
}

impl Object<'_> {
    fn field<T: Serialize + ?Sized>(&mut self, name: &str, value: &T) -> Result<(), FormError> {
        let key = format!("{}{name}", self.prefix);
        value.serialize(Entry {
            form: self.form,
            key: Some(&key),
        })
    }
}

impl ser::SerializeStruct for Object<'_> {
    type Ok = ();
    type Error = FormError;
    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        name: &'static str,
        value: &T,
    ) -> Result<(), FormError> {
        self.field(name, value)
    }
    fn end(self) -> Result<(), FormError> {
        Ok(())
    }
}

impl ser::SerializeMap for Object<'_> {
    type Ok = ();
    type Error = FormError;
    fn serialize_key<T: Serialize + ?Sized>(&mut self, key: &T) -> Result<(), FormError> {
        let key = match serde_json::to_value(key) {
            Ok(serde_json::Value::String(key)) => key,
            Ok(serde_json::Value::Number(n)) => n.to_string(),
            Ok(serde_json::Value::Bool(b)) => b.to_string(),
            _ => return Err(FormError("a form field name must be text".to_owned())),
        };
        self.key = Some(key);
        Ok(())
    }
    fn serialize_value<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), FormError> {
        let key = self.key.take().unwrap_or_default();
        self.field(&key, value)
    }
    fn end(self) -> Result<(), FormError> {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use serde::Serialize;

    use super::*;
    use crate::UploadedFile;

    fn entries(form: &FormData) -> Vec<(String, String)> {
        form.iter()
            .map(|(name, value)| {
                let value = match value {
                    FormValue::Text(text) => text.clone(),
                    FormValue::File(file) => format!("<file {}>", file.name()),
                };
                (name.to_owned(), value)
            })
            .collect()
    }

    fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
        list.iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect()
    }

    #[derive(Serialize)]
    #[serde(rename_all = "lowercase")]
    enum Level {
        High,
    }

    #[derive(Serialize)]
    struct Inner {
        b: String,
        c: Option<String>,
    }

    #[derive(Serialize)]
    struct Input {
        a: &'static str,
        bc: Inner,
        tags: Vec<&'static str>,
        agree: bool,
        off: bool,
        count: f64,
        neg_zero: f64,
        nan: f64,
        int: i64,
        small: f32,
        none: Option<u8>,
        unit: (),
        level: Level,
        file: UploadedFile,
        files: Vec<UploadedFile>,
    }

    #[test]
    fn structs_become_astro_form_entries() {
        let input = Input {
            a: "hello",
            bc: Inner {
                b: "hoge".into(),
                c: None,
            },
            tags: vec!["x", "y"],
            agree: true,
            off: false,
            count: 1.5,
            neg_zero: -0.0,
            nan: f64::NAN,
            int: -42,
            small: 0.1,
            none: None,
            unit: (),
            level: Level::High,
            file: UploadedFile::new("a.png", "image/png", &[0u8, 255][..]),
            files: vec![
                UploadedFile::new("1.txt", "", &b"1"[..]),
                UploadedFile::new("2.txt", "", &b"2"[..]),
            ],
        };
        let form = to_form_data(&input).unwrap();
        assert_eq!(
            entries(&form),
            pairs(&[
                ("a", "hello"),
                ("bc.b", "hoge"),
                ("tags", "x"),
                ("tags", "y"),
                ("agree", "true"),
                ("off", "false"),
                ("count", "1.5"),
                ("neg_zero", "0"),
                ("nan", "NaN"),
                ("int", "-42"),
                ("small", "0.1"),
                ("level", "high"),
                ("file", "<file a.png>"),
                ("files", "<file 1.txt>"),
                ("files", "<file 2.txt>"),
            ])
        );
        let file = form.get("file").and_then(FormValue::as_file).unwrap();
        assert_eq!(file.bytes().as_ref(), &[0u8, 255]);
        assert_eq!(file.content_type(), "image/png");
        assert!(take_lent().is_none());
    }

    #[test]
    fn wrapped_files_stay_files() {
        #[derive(Serialize)]
        struct Avatar(UploadedFile);
        #[derive(Serialize)]
        struct Profile {
            avatar: Avatar,
            cover: Option<UploadedFile>,
            none: Option<UploadedFile>,
        }
        let profile = Profile {
            avatar: Avatar(UploadedFile::new("a.png", "image/png", &b"a"[..])),
            cover: Some(UploadedFile::new("c.png", "image/png", &b"c"[..])),
            none: None,
        };
        assert_eq!(
            entries(&to_form_data(&profile).unwrap()),
            pairs(&[("avatar", "<file a.png>"), ("cover", "<file c.png>")])
        );
    }

    #[test]
    fn numbers_are_written_as_javascript_does() {
        let mut map = BTreeMap::new();
        map.insert("big", 1e21);
        map.insert("inf", f64::NEG_INFINITY);
        map.insert("int", 3.0);
        map.insert("tiny", 1e-7);
        let form = to_form_data(&map).unwrap();
        assert_eq!(
            entries(&form),
            pairs(&[
                ("big", "1e+21"),
                ("inf", "-Infinity"),
                ("int", "3"),
                ("tiny", "1e-7")
            ])
        );
    }

    #[test]
    fn form_data_and_nested_maps_and_internally_tagged_enums() {
        let mut raw = FormData::new();
        raw.push("anything", "works");
        raw.push("anything", "twice");
        raw.push("f", UploadedFile::new("x", "", &b""[..]));
        let form = to_form_data(&raw).unwrap();
        assert_eq!(form, raw);

        #[derive(Serialize)]
        #[serde(tag = "type", rename_all = "lowercase")]
        enum Contact {
            Email { email: String },
        }
        #[derive(Serialize)]
        struct Person {
            name: String,
            contact: Contact,
            extra: BTreeMap<u8, bool>,
        }
        let person = Person {
            name: "Ben".into(),
            contact: Contact::Email {
                email: "ben@test.test".into(),
            },
            extra: [(1, true)].into_iter().collect(),
        };
        assert_eq!(
            entries(&to_form_data(&person).unwrap()),
            pairs(&[
                ("name", "Ben"),
                ("contact.type", "email"),
                ("contact.email", "ben@test.test"),
                ("extra.1", "true"),
            ])
        );
    }

    #[test]
    fn nothing_is_an_empty_form_and_scalars_are_refused() {
        assert!(to_form_data(&()).unwrap().is_empty());
        assert!(to_form_data(&None::<Inner>).unwrap().is_empty());
        let err = to_form_data("text").unwrap_err();
        assert!(err.to_string().contains("struct or a map"), "{err}");
        let err = to_form_data(&vec![1]).unwrap_err();
        assert!(err.to_string().contains("not a sequence"), "{err}");

        #[derive(Serialize)]
        enum External {
            A(u8),
        }
        #[derive(Serialize)]
        struct WithEnum {
            e: External,
        }
        let err = to_form_data(&WithEnum { e: External::A(1) }).unwrap_err();
        assert!(err.to_string().contains("`A`"), "{err}");
        #[derive(Serialize)]
        struct WithBytes {
            #[serde(with = "serde_bytes_like")]
            b: Vec<u8>,
        }
        mod serde_bytes_like {
            pub(super) fn serialize<S: serde::Serializer>(
                v: &[u8],
                s: S,
            ) -> Result<S::Ok, S::Error> {
                s.serialize_bytes(v)
            }
        }
        let err = to_form_data(&WithBytes { b: vec![1] }).unwrap_err();
        assert!(err.to_string().contains("UploadedFile"), "{err}");
    }
}
