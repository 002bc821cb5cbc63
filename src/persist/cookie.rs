//! [`CookieResults`]: results kept in an encrypted, authenticated cookie.

use std::borrow::Cow;
use std::fmt;
use std::fmt::Write as _;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use cookie::{Cookie, CookieJar, Key, SameSite};
use http::header::{COOKIE, SET_COOKIE};
use http::request::Parts;
use http::{HeaderMap, HeaderValue};

use super::{Envelope, ResultStore, StoreError, StoreFuture};
use crate::payload::ActionPayload;

/// The most bytes a result cookie may take (browsers keep about 4096 per cookie).
const COOKIE_LIMIT: usize = 4096;

/// Keeps each result in a cookie encrypted and authenticated with AES-256-GCM (the `cookie`
/// crate's private jar): the client holds it but can neither read nor alter it.
///
/// The cookie is `HttpOnly`, `SameSite=Lax`, `Path=/`, lives one minute by default, and is
/// cleared when the result is taken. Instances that share the key share the results. A result
/// whose cookie would exceed 4 KB is not stored: the page renders in place instead.
#[derive(Clone)]
pub struct CookieResults {
    key: Key,
    name: Cow<'static, str>,
    secure: bool,
    max_age: Duration,
}

/// The secret given to [`CookieResults::from_secret`] is shorter than 64 bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct KeyTooShort {
    /// The secret's length.
    pub len: usize,
}

impl fmt::Display for KeyTooShort {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "the cookie secret has {} bytes; it needs at least 64",
            self.len
        )
    }
}

impl std::error::Error for KeyTooShort {}

impl CookieResults {
    /// A store encrypting with `key`.
    pub fn new(key: Key) -> Self {
        CookieResults {
            key,
            name: Cow::Borrowed("tower-actions-result"),
            secure: false,
            max_age: Duration::from_secs(60),
        }
    }

    /// A store whose key is derived from a secret of at least 64 bytes (the same secret gives
    /// the same key on every instance).
    pub fn from_secret(secret: &[u8]) -> Result<Self, KeyTooShort> {
        if secret.len() < 64 {
            return Err(KeyTooShort { len: secret.len() });
        }
        Ok(CookieResults::new(Key::from(secret)))
    }

    /// Marks the cookie `Secure` (sent over HTTPS only). Off by default.
    pub fn secure(mut self, secure: bool) -> Self {
        self.secure = secure;
        self
    }

    /// The cookie's name (default `tower-actions-result`).
    pub fn name(mut self, name: impl Into<Cow<'static, str>>) -> Self {
        self.name = name.into();
        self
    }

    /// How long a result waits for its GET (default one minute).
    pub fn max_age(mut self, max_age: Duration) -> Self {
        self.max_age = max_age;
        self
    }

    fn cookie(&self, value: String) -> Cookie<'static> {
        Cookie::build((self.name.clone(), value))
            .http_only(true)
            .same_site(SameSite::Lax)
            .path("/")
            .secure(self.secure)
            .max_age(cookie::time::Duration::seconds(
                self.max_age.as_secs() as i64
            ))
            .build()
    }

    fn removal(&self) -> HeaderValue {
        let text = removal_text(&self.name, self.secure, SystemTime::now());
        HeaderValue::from_str(&text).unwrap_or_else(|_| HeaderValue::from_static(""))
    }

    /// The request's sealed result cookie: its name is the store's own (not copied), its value
    /// the sealed text.
    fn request_cookie(&self, headers: &HeaderMap) -> Option<Cookie<'static>> {
        let found = headers
            .get_all(COOKIE)
            .iter()
            .filter_map(|value| value.to_str().ok())
            .find_map(|header| cookie_value(header, &self.name))?;
        Some(Cookie::new(self.name.clone(), found.to_owned()))
    }
}

/// The value of the first cookie named `name` in a `Cookie` header: what `cookie`'s
/// `Cookie::split_parse` finds (each `;`-separated pair split at its first `=`, name and
/// value trimmed, an empty name never matching), without building a cookie for every pair.
fn cookie_value<'a>(header: &'a str, name: &str) -> Option<&'a str> {
    header.split(';').find_map(|pair| {
        let (key, value) = pair.split_once('=')?;
        let key = key.trim();
        (!key.is_empty() && key == name).then(|| value.trim())
    })
}

/// The `Set-Cookie` value that clears the cookie, byte for byte what the `cookie` crate writes
/// for [`removal`](CookieResults::removal)'s cookie after `make_removal` (`Max-Age=0`, an
/// `Expires` a year before `now`), written directly: the crate's formatting of the date takes
/// more instructions than the rest of the cookie's opening.
fn removal_text(name: &str, secure: bool, now: SystemTime) -> String {
    const DAYS: [&str; 7] = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"];
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let secs = match now.duration_since(UNIX_EPOCH) {
        Ok(elapsed) => elapsed.as_secs() as i64,
        Err(before) => -(before.duration().as_secs_f64().ceil() as i64),
    } - 365 * 86_400;
    let (days, in_day) = (secs.div_euclid(86_400), secs.rem_euclid(86_400));
    // The civil date of a day count (H. Hinnant's `civil_from_days`).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    // Pieces pushed one by one: `write!` and its formatting machinery cost more than the
    // rest of the cookie's opening.
    fn two_digits(text: &mut String, n: i64) {
        text.push(char::from(b'0' + (n / 10 % 10) as u8));
        text.push(char::from(b'0' + (n % 10) as u8));
    }
    let mut text = String::with_capacity(name.len() + 96);
    text.push_str(name);
    text.push_str("=; HttpOnly; SameSite=Lax");
    if secure {
        text.push_str("; Secure");
    }
    text.push_str("; Path=/; Max-Age=0; Expires=");
    text.push_str(DAYS[days.rem_euclid(7) as usize]);
    text.push_str(", ");
    two_digits(&mut text, day);
    text.push(' ');
    text.push_str(MONTHS[(month - 1) as usize]);
    text.push(' ');
    let _ = write!(text, "{year}");
    text.push(' ');
    two_digits(&mut text, in_day / 3600);
    text.push(':');
    two_digits(&mut text, in_day / 60 % 60);
    text.push(':');
    two_digits(&mut text, in_day % 60);
    text.push_str(" GMT");
    text
}

impl fmt::Debug for CookieResults {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CookieResults")
            .field("name", &self.name)
            .field("secure", &self.secure)
            .field("max_age", &self.max_age)
            .finish_non_exhaustive()
    }
}

impl ResultStore for CookieResults {
    fn may_hold(&self, headers: &HeaderMap) -> bool {
        headers.get_all(COOKIE).iter().any(|value| {
            value
                .as_bytes()
                .windows(self.name.len() + 1)
                .any(|w| w.starts_with(self.name.as_bytes()) && w.ends_with(b"="))
        })
    }

    fn save<'a>(
        &'a self,
        _: &'a Parts,
        result: &'a ActionPayload,
        response: &'a mut HeaderMap,
    ) -> StoreFuture<'a, Result<(), StoreError>> {
        Box::pin(async move {
            let json = serde_json::to_string(&Envelope::seal(result, self.max_age))
                .map_err(|err| StoreError::Invalid(err.to_string()))?;
            let mut jar = CookieJar::new();
            jar.private_mut(&self.key).add(self.cookie(json));
            let mut sealed = String::new();
            if let Some(cookie) = jar.get(&self.name) {
                // Written once into a buffer its size (`to_string` grows it step by step).
                sealed.reserve(self.name.len() + cookie.value().len() + 112);
                let _ = write!(sealed, "{cookie}");
            }
            if sealed.len() > COOKIE_LIMIT {
                return Err(StoreError::TooLarge {
                    size: sealed.len(),
                    limit: COOKIE_LIMIT,
                });
            }
            let value = HeaderValue::from_str(&sealed)
                .map_err(|err| StoreError::Invalid(err.to_string()))?;
            response.append(SET_COOKIE, value);
            Ok(())
        })
    }

    fn take<'a>(
        &'a self,
        request: &'a Parts,
        response: &'a mut HeaderMap,
    ) -> StoreFuture<'a, Result<Option<ActionPayload>, StoreError>> {
        Box::pin(async move {
            let Some(cookie) = self.request_cookie(&request.headers) else {
                return Ok(None);
            };
            // Cleared whatever it holds: a bad cookie must not come back on every page.
            response.append(SET_COOKIE, self.removal());
            // The private jar's own check and decryption (AES-256-GCM, the name as associated
            // data), without putting the cookie into a jar and copying it out again.
            let jar = CookieJar::new();
            let opened = jar.private(&self.key).decrypt(cookie).ok_or_else(|| {
                StoreError::Invalid("it was tampered with or sealed with another key".into())
            })?;
            let envelope = Envelope::from_json(opened.value())
                .map_err(|err| StoreError::Invalid(format!("it does not decode: {err}")))?;
            envelope.open().map(Some)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `cookie_value` finds what `Cookie::split_parse` finds, over seeded headers built from
    /// the pieces that matter (separators, `=`, whitespace, the name, look-alike names).
    #[test]
    fn the_cookie_is_found_as_the_cookie_crate_finds_it() {
        fn by_crate(header: &str, name: &str) -> Option<String> {
            Cookie::split_parse(header)
                .filter_map(Result::ok)
                .find(|cookie| cookie.name() == name)
                .map(|cookie| cookie.value().to_owned())
        }
        let pieces = [
            "r",
            "result",
            "tower-actions-result",
            "=",
            ";",
            " ",
            "\t",
            "\u{a0}",
            "v",
            "==",
            "\"q\"",
            "a=1",
            "%3D",
            "x",
            "é",
        ];
        let names = ["tower-actions-result", "result", "r", "a", ""];
        let mut rng = crate::test_rng::Rng(0x0123_4567_89ab_cdef);
        for round in 0..50_000u32 {
            let seed = rng.next();
            let mut header = String::new();
            let mut bits = seed;
            for _ in 0..(seed % 12) {
                header.push_str(pieces[(bits % pieces.len() as u64) as usize]);
                bits /= pieces.len() as u64;
                if bits == 0 {
                    bits = seed.rotate_left(17);
                }
            }
            let name = names[(round % names.len() as u32) as usize];
            assert_eq!(
                cookie_value(&header, name).map(str::to_owned),
                by_crate(&header, name),
                "{header:?} {name:?}"
            );
        }
    }

    /// The hand-written removal is what the `cookie` crate writes, over seeded instants from
    /// 1971 to the year 9000, both `Secure` settings and several names.
    #[test]
    fn the_removal_is_what_the_cookie_crate_writes() {
        let mut rng = crate::test_rng::Rng(0x9e37_79b9_7f4a_7c15);
        let mut next = move || rng.next();
        let names = ["tower-actions-result", "r", "a_much_longer-cookie.name"];
        for round in 0..20_000u64 {
            let secs = match round {
                0 => 365 * 86_400,
                1 => 1_764_614_400, // 2025-12-01T18:40:00Z
                2 => 951_782_400,   // 2000-02-29
                _ => 365 * 86_400 + next() % (220_000_000_000 - 365 * 86_400),
            };
            let now = UNIX_EPOCH
                + Duration::from_secs(secs)
                + Duration::from_nanos(next() % 1_000_000_000);
            let name = names[(round % 3) as usize];
            let secure = round % 2 == 1;
            let store = CookieResults::new(Key::generate())
                .name(name)
                .secure(secure);
            let mut cookie = store.cookie(String::new());
            cookie.make_removal();
            let expires = cookie::time::OffsetDateTime::UNIX_EPOCH
                + cookie::time::Duration::seconds(secs as i64)
                - cookie::time::Duration::days(365);
            cookie.set_expires(expires);
            assert_eq!(
                removal_text(name, secure, now),
                cookie.to_string(),
                "at {secs}"
            );
        }
    }
}
