//! The access types through which serde reads a struct's fields, a map's entries, a
//! sequence's elements and an uploaded file's fields.

use std::borrow::Cow;
use std::collections::HashSet;

use serde::de::value::{StrDeserializer, U64Deserializer};
use serde::de::{DeserializeSeed, MapAccess, SeqAccess};

use crate::form_data::{FormValue, UploadedFile};

use super::Error;
use super::path::Pos;
use super::value::{Src, ValueDe};

/// A struct's declared fields, each read from the form key `prefix + field`.
pub(super) struct Fields<'c, 'f> {
    pub(super) pos: Pos<'c, 'f>,
    pub(super) prefix: String,
    pub(super) fields: std::slice::Iter<'static, &'static str>,
    pub(super) current: Option<&'static str>,
}

impl<'c, 'f> Fields<'c, 'f> {
    pub(super) fn new(pos: Pos<'c, 'f>, prefix: String, fields: &'static [&'static str]) -> Self {
        if let Some(orders) = &pos.ctx.orders {
            orders.borrow_mut().entry(pos.path()).or_insert(fields);
        }
        Fields {
            pos,
            prefix,
            fields: fields.iter(),
            current: None,
        }
    }
}

impl<'de> MapAccess<'de> for Fields<'_, '_> {
    type Error = Error;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, Error> {
        let Some(&field) = self.fields.next() else {
            return Ok(None);
        };
        self.current = Some(field);
        seed.deserialize(StrDeserializer::<Error>::new(field))
            .map(Some)
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, Error> {
        let field = self
            .current
            .take()
            .ok_or_else(|| Error::Custom("a value was asked for before its key".to_owned()))?;
        let pos = self.pos.child(field);
        let de = ValueDe {
            pos,
            src: Src::Field {
                key: if self.prefix.is_empty() {
                    Cow::Borrowed(field)
                } else {
                    Cow::Owned(format!("{}{field}", self.prefix))
                },
                last: false,
            },
        };
        seed.deserialize(de).map_err(|e| pos.locate(e))
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.fields.len())
    }
}

/// Every form key under a prefix, once each (the last duplicate's value wins), for maps.
pub(super) struct Entries<'c, 'f> {
    pub(super) pos: Pos<'c, 'f>,
    pub(super) prefix_len: usize,
    pub(super) keys: std::vec::IntoIter<&'f str>,
    pub(super) current: Option<&'f str>,
}

impl<'c, 'f> Entries<'c, 'f> {
    pub(super) fn new(pos: Pos<'c, 'f>, prefix: String) -> Self {
        let mut seen = HashSet::new();
        let keys: Vec<&'f str> = pos
            .ctx
            .form
            .iter()
            .map(|(key, _)| key)
            .filter(|key| key.starts_with(&prefix) && seen.insert(*key))
            .collect();
        Entries {
            pos,
            prefix_len: prefix.len(),
            keys: keys.into_iter(),
            current: None,
        }
    }
}

impl<'de> MapAccess<'de> for Entries<'_, '_> {
    type Error = Error;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, Error> {
        let Some(key) = self.keys.next() else {
            return Ok(None);
        };
        self.current = Some(key);
        let name = &key[self.prefix_len..];
        seed.deserialize(StrDeserializer::<Error>::new(name))
            .map(Some)
            .map_err(|e| self.pos.child(name).locate(e))
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, Error> {
        let key = self
            .current
            .take()
            .ok_or_else(|| Error::Custom("a value was asked for before its key".to_owned()))?;
        let pos = self.pos.child(&key[self.prefix_len..]);
        let de = ValueDe {
            pos,
            src: Src::Field {
                key: Cow::Borrowed(key),
                last: true,
            },
        };
        seed.deserialize(de).map_err(|e| pos.locate(e))
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.keys.len())
    }
}

/// The elements of a sequence: every value of a repeated key.
pub(super) struct Elements<'c, 'f> {
    pub(super) pos: Pos<'c, 'f>,
    pub(super) values: std::iter::Enumerate<std::vec::IntoIter<&'f FormValue>>,
}

impl<'de> SeqAccess<'de> for Elements<'_, '_> {
    type Error = Error;

    fn next_element_seed<T: DeserializeSeed<'de>>(
        &mut self,
        seed: T,
    ) -> Result<Option<T::Value>, Error> {
        let Some((index, value)) = self.values.next() else {
            return Ok(None);
        };
        let pos = self.pos.child(index);
        let de = ValueDe {
            pos,
            src: Src::Element(value),
        };
        seed.deserialize(de).map(Some).map_err(|e| pos.locate(e))
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.values.len())
    }
}

/// A file seen by a self-describing type: `{name, size, type}`, as Astro serializes a `File`.
pub(super) struct FileEntries<'f> {
    pub(super) file: &'f UploadedFile,
    pub(super) index: usize,
}

impl<'de> MapAccess<'de> for FileEntries<'_> {
    type Error = Error;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, Error> {
        let key = match self.index {
            0 => "name",
            1 => "size",
            2 => "type",
            _ => return Ok(None),
        };
        seed.deserialize(StrDeserializer::<Error>::new(key))
            .map(Some)
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, Error> {
        self.index += 1;
        match self.index {
            1 => seed.deserialize(StrDeserializer::<Error>::new(self.file.name())),
            2 => seed.deserialize(U64Deserializer::<Error>::new(self.file.size() as u64)),
            _ => seed.deserialize(StrDeserializer::<Error>::new(self.file.content_type())),
        }
    }
}
