//! The kept result's JSON read back without serde: the envelope exactly as
//! [`Sealed`](super::Sealed) writes it (keys in its order, no whitespace, strings with the
//! short escapes and `\u` escapes outside the surrogates), each string copied once into a
//! buffer of its escaped length. Anything else (another key order, unknown keys, whitespace, a
//! surrogate escape, a number with a sign, fraction or exponent, anything invalid) gives
//! `None` and the caller reads the text with `serde_json`, which gives the answer or the
//! error. So this route answers only where `serde_json` answers `Ok`, with the same envelope.

use super::Envelope;
use crate::result::SerializedActionResult;

/// The envelope in `text`, if the fast route reads it.
pub(super) fn read(text: &str) -> Option<Envelope> {
    let mut at = Reader {
        str: text,
        text: text.as_bytes(),
        pos: 0,
    };
    at.literal(b"{\"exp\":")?;
    let exp = at.number()?;
    at.literal(b",\"actionName\":")?;
    let name = at.string()?;
    at.literal(b",\"actionResult\":{\"type\":")?;
    let kind = at.string()?;
    at.literal(b",\"status\":")?;
    let status = u16::try_from(at.number()?).ok()?;
    let mut body = None;
    if at.peek(b",\"contentType\":") {
        at.literal(b",\"contentType\":")?;
        at.skip_string()?;
        at.literal(b",\"body\":")?;
        body = Some(at.string()?);
    }
    at.literal(b"}")?;
    let result = match (kind.as_str(), body) {
        ("data", Some(body)) => SerializedActionResult::Data { body },
        ("error", Some(body)) => SerializedActionResult::Error { status, body },
        ("empty", _) => SerializedActionResult::Empty,
        _ => return None,
    };
    let mut input = Vec::new();
    if at.peek(b",\"input\":[") {
        at.literal(b",\"input\":[")?;
        if !at.peek(b"]") {
            loop {
                at.literal(b"[")?;
                let key = at.string()?;
                at.literal(b",")?;
                let value = at.string()?;
                at.literal(b"]")?;
                input.push((key, value));
                if at.peek(b",") {
                    at.literal(b",")?;
                } else {
                    break;
                }
            }
        }
        at.literal(b"]")?;
    }
    at.literal(b"}")?;
    (at.pos == at.text.len()).then_some(Envelope {
        exp,
        name,
        result,
        input,
    })
}

struct Reader<'a> {
    str: &'a str,
    text: &'a [u8],
    pos: usize,
}

impl Reader<'_> {
    fn peek(&self, expected: &[u8]) -> bool {
        self.text[self.pos..].starts_with(expected)
    }

    fn literal(&mut self, expected: &[u8]) -> Option<()> {
        self.peek(expected).then(|| self.pos += expected.len())
    }

    /// A JSON number made of digits only (no sign, fraction or exponent), without a leading
    /// zero unless it is `0`, that fits a `u64`.
    fn number(&mut self) -> Option<u64> {
        let digits = self.text[self.pos..]
            .iter()
            .take_while(|byte| byte.is_ascii_digit())
            .count();
        let text = &self.text[self.pos..self.pos + digits];
        if digits == 0 || (digits > 1 && text[0] == b'0') {
            return None;
        }
        // Whatever follows a number here is `,` or `}`: a fraction or exponent is not read.
        if matches!(self.text.get(self.pos + digits), Some(b'.' | b'e' | b'E')) {
            return None;
        }
        let mut value: u64 = 0;
        for &digit in text {
            value = value
                .checked_mul(10)?
                .checked_add(u64::from(digit - b'0'))?;
        }
        self.pos += digits;
        Some(value)
    }

    /// A JSON string with the short escapes (`\"`, `\\`, `\/`, `\b`, `\f`, `\n`, `\r`, `\t`)
    /// and `\uXXXX` outside the surrogates, no control character in it.
    fn string(&mut self) -> Option<String> {
        self.literal(b"\"")?;
        let rest = &self.text[self.pos..];
        let stop = |byte: &u8| *byte == b'"' || *byte == b'\\' || *byte < 0x20;
        let plain = rest.iter().position(stop)?;
        if rest[plain] == b'"' {
            // No escape: the text itself (cut at ASCII bytes, so at character boundaries).
            let text = self.str.get(self.pos..self.pos + plain)?.to_owned();
            self.pos += plain + 1;
            return Some(text);
        }
        // The closing quote (the first one after an even run of backslashes): the escaped
        // length bounds the text.
        let mut end = plain;
        loop {
            end += rest[end..].iter().position(|&byte| byte == b'"')?;
            let backslashes = rest[..end]
                .iter()
                .rev()
                .take_while(|&&b| b == b'\\')
                .count();
            if backslashes % 2 == 0 {
                break;
            }
            end += 1;
        }
        let escaped = self.str.get(self.pos..self.pos + end)?;
        let bytes = escaped.as_bytes();
        let mut out = String::with_capacity(end);
        let mut i = 0;
        while i < end {
            let run = bytes[i..]
                .iter()
                .position(|byte| *byte == b'\\' || *byte < 0x20)
                .unwrap_or(end - i);
            out.push_str(escaped.get(i..i + run)?);
            i += run;
            if i == end {
                break;
            }
            if bytes[i] != b'\\' {
                return None; // a control character
            }
            let c = match *bytes.get(i + 1)? {
                b'"' => '"',
                b'\\' => '\\',
                b'/' => '/',
                b'b' => '\u{8}',
                b'f' => '\u{c}',
                b'n' => '\n',
                b'r' => '\r',
                b't' => '\t',
                b'u' => {
                    // Outside the surrogates (what `serde_json` writes for a control
                    // character); a surrogate pair is left to `serde_json`.
                    let hex = escaped.get(i + 2..i + 6)?;
                    if !hex.bytes().all(|byte| byte.is_ascii_hexdigit()) {
                        return None;
                    }
                    i += 4;
                    char::from_u32(u32::from_str_radix(hex, 16).ok()?)?
                }
                _ => return None,
            };
            out.push(c);
            i += 2;
        }
        self.pos += end + 1;
        Some(out)
    }

    /// A string whose value is not kept.
    fn skip_string(&mut self) -> Option<()> {
        const USUAL: [&[u8]; 2] = [b"\"application/json+devalue\"", b"\"application/json\""];
        match USUAL.iter().find(|usual| self.peek(usual)) {
            Some(usual) => self.literal(usual),
            None => self.string().map(drop),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::payload::ActionPayload;
    use crate::test_rng::Rng;
    use std::time::Duration;

    const PIECES: [&str; 19] = [
        "\u{8}",
        "\u{c}",
        "\r",
        "a",
        "subscribe",
        "\"",
        "\\",
        "/",
        "\n",
        "\t",
        "\u{1}",
        "\u{1f}",
        "é",
        "😀",
        "\u{2028}",
        "[{\"email\":1},\"ada@example.com\"]",
        " ",
        "{",
        "\u{7f}",
    ];

    fn text(rng: &mut Rng) -> String {
        (0..rng.below(6))
            .map(|_| PIECES[rng.below(PIECES.len())])
            .collect()
    }

    fn payload(rng: &mut Rng) -> ActionPayload {
        let result = match rng.below(3) {
            0 => SerializedActionResult::Data { body: text(rng) },
            1 => SerializedActionResult::Error {
                status: [400, 404, 500, 418][rng.below(4)],
                body: text(rng),
            },
            _ => SerializedActionResult::Empty,
        };
        ActionPayload {
            name: text(rng),
            result,
            input: (0..rng.below(4)).map(|_| (text(rng), text(rng))).collect(),
        }
    }

    /// What the fast route reads is what `serde_json` reads: over seeded envelopes as they are
    /// written, and over the same texts mutated, where the fast route must answer `None` or
    /// exactly `serde_json`'s `Ok`.
    #[test]
    fn the_fast_route_reads_what_serde_json_reads() {
        let mut rng = Rng(0x2545_f491_4f6c_dd1d);
        let edits: [&str; 18] = [
            "\"",
            "\\",
            "\\u0041",
            "\\uD83D\\uDE00",
            "\\u00E9",
            "\\u12",
            "\\uzzzz",
            "0",
            "9",
            "-",
            ".5",
            "e3",
            " ",
            ",",
            "}",
            "]",
            "\u{1}",
            "é",
        ];
        let mut fast = 0;
        for round in 0..30_000 {
            let stored = payload(&mut rng);
            let mut sealed = Envelope::seal(&stored, Duration::from_secs(60));
            if round % 5 == 0 {
                sealed.exp = rng.next() >> rng.below(64);
            }
            let mut text = serde_json::to_string(&sealed).unwrap();
            if round % 2 == 1 {
                // One to three edits: a piece inserted, a byte range removed.
                for _ in 0..1 + rng.below(3) {
                    let mut at = rng.below(text.len() + 1);
                    while !text.is_char_boundary(at) {
                        at -= 1;
                    }
                    if rng.below(2) == 0 {
                        text.insert_str(at, edits[rng.below(edits.len())]);
                    } else {
                        let mut end = (at + 1 + rng.below(4)).min(text.len());
                        while !text.is_char_boundary(end) {
                            end += 1;
                        }
                        text.replace_range(at..end, "");
                    }
                }
            }
            let by_serde = serde_json::from_str::<Envelope>(&text).ok();
            match read(&text) {
                Some(envelope) => {
                    fast += 1;
                    assert_eq!(Some(&envelope), by_serde.as_ref(), "{text}");
                }
                None => assert!(round % 2 == 1, "an envelope as written is read: {text}"),
            }
        }
        assert!(fast > 15_000, "{fast}");
    }
}
