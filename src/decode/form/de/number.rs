//! JavaScript's `Number()` on a form value.

use crate::check::is_js_space;

/// A number as JavaScript's `Number()` reads it; integers written as plain decimals are kept
/// exact.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) enum Num {
    Int(i128),
    Float(f64),
}

/// JavaScript's `Number(text)`; `None` for `NaN`.
///
/// Accepts, around optional whitespace: nothing (0), `0x`/`0o`/`0b` literals (unsigned),
/// `Infinity` with an optional sign, and decimals with an optional sign, fraction and exponent
/// (`1e3`, `+5`, `.5`, `5.`). Anything else (`abc`, `1_000`, `-0x10`, `1e`) is `NaN`.
pub(super) fn js_number(text: &str) -> Option<Num> {
    let s = text.trim_matches(is_js_space);
    if s.is_empty() {
        return Some(Num::Int(0));
    }
    let bytes = s.as_bytes();
    if bytes.len() > 2 && bytes[0] == b'0' {
        let radix = match bytes[1] {
            b'x' | b'X' => Some(16),
            b'o' | b'O' => Some(8),
            b'b' | b'B' => Some(2),
            _ => None,
        };
        if let Some(radix) = radix {
            return radix_number(&s[2..], radix);
        }
    }
    let (negative, unsigned) = match bytes[0] {
        b'+' => (false, &s[1..]),
        b'-' => (true, &s[1..]),
        _ => (false, s),
    };
    if unsigned == "Infinity" {
        let infinity = if negative {
            f64::NEG_INFINITY
        } else {
            f64::INFINITY
        };
        return Some(Num::Float(infinity));
    }
    let digits = |s: &str| s.bytes().take_while(u8::is_ascii_digit).count();
    let int_len = digits(unsigned);
    let mut rest = &unsigned[int_len..];
    let mut frac_len = 0;
    if let Some(after_dot) = rest.strip_prefix('.') {
        frac_len = digits(after_dot);
        rest = &after_dot[frac_len..];
    }
    if int_len + frac_len == 0 {
        return None;
    }
    if let Some(exponent) = rest.strip_prefix(['e', 'E']) {
        let exponent = exponent.strip_prefix(['+', '-']).unwrap_or(exponent);
        if exponent.is_empty() || digits(exponent) != exponent.len() {
            return None;
        }
    } else if !rest.is_empty() {
        return None;
    }
    if int_len == unsigned.len() {
        if let Ok(int) = s.parse::<i128>() {
            // `-0` is a float in JavaScript.
            return Some(if int == 0 && negative {
                Num::Float(-0.0)
            } else {
                Num::Int(int)
            });
        }
    }
    s.parse::<f64>().ok().map(Num::Float)
}

pub(super) fn radix_number(digits: &str, radix: u32) -> Option<Num> {
    let mut exact: Option<u128> = Some(0);
    let mut approx = 0.0_f64;
    for c in digits.chars() {
        let digit = c.to_digit(radix)?;
        exact = exact
            .and_then(|n| n.checked_mul(u128::from(radix)))
            .and_then(|n| n.checked_add(u128::from(digit)));
        approx = approx * f64::from(radix) + f64::from(digit);
    }
    Some(match exact.and_then(|n| i128::try_from(n).ok()) {
        Some(n) => Num::Int(n),
        None => Num::Float(approx),
    })
}

#[cfg(test)]
mod tests {
    use super::{Num, js_number};

    #[test]
    fn js_number_follows_javascript() {
        let cases: [(&str, Option<Num>); 16] = [
            ("", Some(Num::Int(0))),
            ("\u{FEFF}\u{A0} 7\t\n", Some(Num::Int(7))),
            ("-0", Some(Num::Float(-0.0))),
            ("007", Some(Num::Int(7))),
            ("1e3", Some(Num::Float(1000.0))),
            ("1E-2", Some(Num::Float(0.01))),
            ("-.5", Some(Num::Float(-0.5))),
            ("0XfF", Some(Num::Int(255))),
            ("1e400", Some(Num::Float(f64::INFINITY))),
            ("-Infinity", Some(Num::Float(f64::NEG_INFINITY))),
            ("infinity", None),
            ("NaN", None),
            ("0x", None),
            ("+0x1", None),
            ("1 2", None),
            ("\u{85}1", None),
        ];
        for (text, want) in cases {
            let got = js_number(text);
            let same = match (got, want) {
                (Some(Num::Float(a)), Some(Num::Float(b))) => a.to_bits() == b.to_bits(),
                (a, b) => a == b,
            };
            assert!(same, "Number({text:?}) = {got:?}, want {want:?}");
        }
    }
}
