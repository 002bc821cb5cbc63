//! The devalue parser: JSON text → flat slot array → [`Value`] tree, with devalue's checks.

use serde_json::Value as Json;

use super::{Error, Value, base64};
use crate::js;

/// Deepest nesting of containers accepted (the serializer refuses to write deeper).
pub(crate) const MAX_DEPTH: usize = 512;
/// Values produced beyond the input's size (copies of shared references, sparse holes) are
/// limited to this many plus a multiple of the input's slot count.
pub(crate) const BASE_BUDGET: usize = 1 << 20;

fn invalid() -> Error {
    Error::new("Invalid input")
}

/// Parses devalue text.
pub(crate) fn parse(text: &[u8]) -> Result<Value, Error> {
    let json: Json =
        serde_json::from_slice(text).map_err(|e| Error::new(format!("invalid JSON: {e}")))?;
    let slots = match json {
        Json::Number(n) => {
            return match n.as_i64() {
                Some(r @ (-1 | -3 | -4 | -5 | -6)) => Ok(special(r).unwrap_or(Value::Undefined)),
                _ => Err(invalid()),
            };
        }
        Json::Array(slots) if !slots.is_empty() => slots,
        _ => return Err(invalid()),
    };
    let mut h = Hydrator {
        budget: BASE_BUDGET + slots.len().saturating_mul(16),
        state: vec![State::Unvisited; slots.len()],
        slots,
    };
    h.hydrate(0, 0)
}

/// The value of a negative reference other than a hole, if it is one.
fn special(r: i64) -> Option<Value> {
    Some(match r {
        -1 => Value::Undefined,
        -3 => Value::Number(f64::NAN),
        -4 => Value::Number(f64::INFINITY),
        -5 => Value::Number(f64::NEG_INFINITY),
        -6 => Value::Number(-0.0),
        _ => return None,
    })
}

#[derive(Clone, Copy)]
enum State {
    Unvisited,
    InProgress,
    Done,
}

struct Hydrator {
    slots: Vec<Json>,
    state: Vec<State>,
    budget: usize,
}

/// A reference inside a container: an integer.
fn as_ref(j: &Json) -> Result<i64, Error> {
    j.as_i64().ok_or_else(invalid)
}

fn as_str(j: Option<&Json>, what: &str) -> Result<String, Error> {
    match j {
        Some(Json::String(s)) => Ok(s.clone()),
        _ => Err(Error::new(format!("Invalid {what}: expected a string"))),
    }
}

impl Hydrator {
    fn spend(&mut self, n: usize) -> Result<(), Error> {
        self.budget = self
            .budget
            .checked_sub(n)
            .ok_or_else(|| Error::new("input expands to too many values"))?;
        Ok(())
    }

    fn hydrate(&mut self, r: i64, depth: usize) -> Result<Value, Error> {
        if let Some(v) = special(r) {
            return Ok(v);
        }
        let index = usize::try_from(r).map_err(|_| invalid())?;
        if index >= self.slots.len() {
            return Err(invalid());
        }
        self.spend(1)?;
        if let State::InProgress = self.state[index] {
            return Err(Error::new(format!(
                "cyclic reference to slot {index}: a cycle cannot be represented as a Value"
            )));
        }
        if depth >= MAX_DEPTH {
            return Err(Error::new(format!("nesting deeper than {MAX_DEPTH}")));
        }
        // A slot seen before (a shared reference) is simply built again: a copy.
        let first = matches!(self.state[index], State::Unvisited);
        if first {
            self.state[index] = State::InProgress;
        }
        let slot = std::mem::take(&mut self.slots[index]);
        let result = self.build(&slot, depth + 1);
        self.slots[index] = slot;
        self.state[index] = State::Done;
        result
    }

    fn build(&mut self, slot: &Json, depth: usize) -> Result<Value, Error> {
        Ok(match slot {
            Json::Null => Value::Null,
            Json::Bool(b) => Value::Bool(*b),
            Json::Number(n) => Value::Number(n.as_f64().ok_or_else(invalid)?),
            Json::String(s) => Value::String(s.clone()),
            Json::Object(entries) => {
                let mut out = Vec::with_capacity(entries.len());
                for (k, v) in entries {
                    if k == "__proto__" {
                        return Err(Error::new(
                            "Cannot parse an object with a `__proto__` property",
                        ));
                    }
                    out.push((k.clone(), self.hydrate(as_ref(v)?, depth)?));
                }
                Value::Object(out)
            }
            Json::Array(items) => match items.first() {
                Some(Json::String(tag)) => self.tagged(tag, items, depth)?,
                Some(first) if first.as_i64() == Some(-7) => self.sparse(items, depth)?,
                _ => {
                    let mut out = Vec::with_capacity(items.len());
                    for item in items {
                        let r = as_ref(item)?;
                        out.push(if r == -2 {
                            Value::Hole
                        } else {
                            self.hydrate(r, depth)?
                        });
                    }
                    Value::Array(out)
                }
            },
        })
    }

    fn sparse(&mut self, items: &[Json], depth: usize) -> Result<Value, Error> {
        let len = items
            .get(1)
            .and_then(Json::as_u64)
            .filter(|&l| l <= u64::from(u32::MAX));
        let len = usize::try_from(len.ok_or_else(invalid)?).map_err(|_| invalid())?;
        self.spend(len)?;
        let mut out = vec![Value::Hole; len];
        for pair in items[2..].chunks(2) {
            let idx = pair[0]
                .as_u64()
                .filter(|&i| (i as usize) < len)
                .ok_or_else(invalid)?;
            let r = as_ref(pair.get(1).ok_or_else(invalid)?)?;
            out[idx as usize] = self.hydrate(r, depth)?;
        }
        Ok(Value::Array(out))
    }

    fn tagged(&mut self, tag: &str, items: &[Json], depth: usize) -> Result<Value, Error> {
        let arg = items.get(1);
        Ok(match tag {
            // Astro's reviver: a slot index, or a literal href from the built-in form.
            "URL" => match arg {
                Some(Json::String(href)) => Value::Url(href.clone()),
                Some(j) => match self.hydrate(as_ref(j)?, depth)? {
                    Value::String(href) => Value::Url(href),
                    other => return Err(Error::new(format!("Invalid URL: {}", other.type_name()))),
                },
                None => return Err(invalid()),
            },
            "Date" => {
                let iso = as_str(arg, "Date")?;
                Value::Date(js::Date::parse_iso(&iso).unwrap_or(js::Date::invalid()))
            }
            "Set" => {
                let mut out = Vec::with_capacity(items.len() - 1);
                for item in &items[1..] {
                    out.push(self.hydrate(as_ref(item)?, depth)?);
                }
                Value::Set(out)
            }
            "Map" => {
                let mut out = Vec::with_capacity(items.len() / 2);
                for pair in items[1..].chunks(2) {
                    let k = self.hydrate(as_ref(&pair[0])?, depth)?;
                    let v = self.hydrate(as_ref(pair.get(1).ok_or_else(invalid)?)?, depth)?;
                    out.push((k, v));
                }
                Value::Map(out)
            }
            "RegExp" => Value::RegExp {
                source: as_str(arg, "RegExp")?,
                flags: match items.get(2) {
                    None => String::new(),
                    j => as_str(j, "RegExp flags")?,
                },
            },
            "Object" => {
                let r = as_ref(arg.ok_or_else(invalid)?)?;
                let inner = usize::try_from(r).ok().and_then(|i| self.slots.get(i));
                let wraps_bigint = matches!(inner, Some(Json::Array(a)) if a.first().and_then(Json::as_str) == Some("BigInt"));
                if matches!(inner, Some(Json::Array(_) | Json::Object(_))) && !wraps_bigint {
                    return Err(invalid());
                }
                Value::Boxed(Box::new(self.hydrate(r, depth)?))
            }
            "BigInt" => {
                let s = as_str(arg, "BigInt")?;
                Value::BigInt(
                    canonical_bigint(&s)
                        .ok_or_else(|| Error::new(format!("Cannot convert {s} to a BigInt")))?,
                )
            }
            "null" => {
                let mut out = Vec::with_capacity(items.len() / 2);
                for pair in items[1..].chunks(2) {
                    let Json::String(k) = &pair[0] else {
                        return Err(Error::new("Cannot parse an object with a non-string key"));
                    };
                    if k == "__proto__" {
                        return Err(Error::new(
                            "Cannot parse an object with a `__proto__` property",
                        ));
                    }
                    let v = self.hydrate(as_ref(pair.get(1).ok_or_else(invalid)?)?, depth)?;
                    out.push((k.clone(), v));
                }
                Value::NullProtoObject(out)
            }
            "Int8Array" | "Uint8Array" | "Uint8ClampedArray" | "Int16Array" | "Uint16Array"
            | "Float16Array" | "Int32Array" | "Uint32Array" | "Float32Array" | "Float64Array"
            | "BigInt64Array" | "BigUint64Array" | "DataView" => self.view(tag, items, depth)?,
            "ArrayBuffer" => Value::ArrayBuffer(decode_buffer(arg)?),
            "URLSearchParams" => Value::UrlSearchParams(as_str(arg, tag)?),
            "Temporal.Duration"
            | "Temporal.Instant"
            | "Temporal.PlainDate"
            | "Temporal.PlainTime"
            | "Temporal.PlainDateTime"
            | "Temporal.PlainMonthDay"
            | "Temporal.PlainYearMonth"
            | "Temporal.ZonedDateTime" => Value::Temporal {
                kind: tag.to_owned(),
                value: as_str(arg, tag)?,
            },
            _ => return Err(Error::new(format!("Unknown type {tag}"))),
        })
    }

    fn view(&mut self, tag: &str, items: &[Json], depth: usize) -> Result<Value, Error> {
        let r = as_ref(items.get(1).ok_or_else(invalid)?)?;
        let is_buffer = usize::try_from(r).ok().and_then(|i| self.slots.get(i)).is_some_and(
            |j| matches!(j, Json::Array(a) if a.first().and_then(Json::as_str) == Some("ArrayBuffer")),
        );
        if !is_buffer {
            return Err(Error::new("Invalid data"));
        }
        let Value::ArrayBuffer(buffer) = self.hydrate(r, depth)? else {
            return Err(Error::new("Invalid data"));
        };
        let element = match tag {
            "Int8Array" | "Uint8Array" | "Uint8ClampedArray" | "DataView" => 1,
            "Int16Array" | "Uint16Array" | "Float16Array" => 2,
            "Int32Array" | "Uint32Array" | "Float32Array" => 4,
            _ => 8,
        };
        let view = match (items.get(2), items.get(3)) {
            (None, _) => None,
            (Some(offset), Some(length)) => {
                let (offset, length) = (offset.as_u64(), length.as_u64());
                let (Some(offset), Some(length)) = (offset, length) else {
                    return Err(Error::new("Invalid data"));
                };
                let end = length
                    .checked_mul(element)
                    .and_then(|n| n.checked_add(offset));
                if !offset.is_multiple_of(element)
                    || end.is_none_or(|end| end > buffer.len() as u64)
                {
                    return Err(Error::new("Invalid typed array length"));
                }
                Some((offset, length))
            }
            (Some(_), None) => return Err(Error::new("Invalid data")),
        };
        if view.is_none() && !(buffer.len() as u64).is_multiple_of(element) {
            return Err(Error::new("Invalid typed array length"));
        }
        Ok(match (tag, view) {
            ("Uint8Array", None) => Value::Bytes(buffer),
            _ => Value::TypedArray {
                kind: tag.to_owned(),
                buffer,
                view,
            },
        })
    }
}

fn decode_buffer(arg: Option<&Json>) -> Result<Vec<u8>, Error> {
    match arg {
        Some(Json::String(s)) => base64::decode(s).ok_or_else(|| Error::new("Invalid base64")),
        _ => Err(Error::new("Invalid ArrayBuffer encoding")),
    }
}

/// `BigInt(s)` for decimal strings: optional sign, digits; leading zeros dropped.
fn canonical_bigint(s: &str) -> Option<String> {
    let (negative, digits) = match s.as_bytes().first()? {
        b'-' => (true, &s[1..]),
        b'+' => (false, &s[1..]),
        _ => (false, s),
    };
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let trimmed = digits.trim_start_matches('0');
    Some(match (trimmed.is_empty(), negative) {
        (true, _) => "0".to_owned(),
        (false, true) => format!("-{trimmed}"),
        (false, false) => trimmed.to_owned(),
    })
}
