//! The checks as garde custom rules.

use std::cell::RefCell;

use super::{Checked, Subject, is_js_space, issue};
use crate::error::Issue;

/// Marks a garde error message that carries zod issues.
const MARKER: &str = "\u{1}tower-actions:zod\u{1}";

/// Issues as a garde error, for the garde bridge to read back.
fn fail(issue: Issue) -> garde::Result {
    let default = issue.has_default_message();
    let encoded = serde_json::to_string(&issue).unwrap_or_default();
    let flag = if default { 'd' } else { 'c' };
    Err(garde::Error::new(format!("{MARKER}{flag}{encoded}")))
}

/// The issue a garde error message carries, when it comes from a rule of this module.
pub(crate) fn decode(message: &str) -> Option<Issue> {
    let rest = message.strip_prefix(MARKER)?;
    let default = rest.starts_with('d');
    let mut issue: Issue = serde_json::from_str(rest.get(1..)?).ok()?;
    issue.set_default_message(default);
    Some(issue)
}

fn js_length(text: &str) -> usize {
    text.chars().count()
}

fn size_check<T: Checked + ?Sized>(
    value: &T,
    big: bool,
    bound: f64,
    inclusive: bool,
) -> garde::Result {
    let (origin, actual) = match value.subject() {
        None => return Ok(()),
        Some(Subject::Text(text)) => ("string", js_length(text) as f64),
        Some(Subject::Items(n)) => ("array", n as f64),
        Some(Subject::Number(n)) => ("number", n),
    };
    let ok = match (big, inclusive) {
        (false, true) => actual >= bound,
        (false, false) => actual > bound,
        (true, true) => actual <= bound,
        (true, false) => actual < bound,
    };
    if ok {
        Ok(())
    } else {
        fail(issue::bound(big, origin, bound, inclusive, false))
    }
}

/// zod's `.min(n)`: a string of at least `n` characters, an array of at least `n` items, a
/// number `>= n` (`too_small`).
pub fn min<T: Checked + ?Sized, C: ?Sized>(n: impl Into<f64>) -> impl Fn(&T, &C) -> garde::Result {
    let n = n.into();
    move |value, _| size_check(value, false, n, true)
}

/// zod's `.max(n)`: a string of at most `n` characters, an array of at most `n` items, a
/// number `<= n` (`too_big`).
pub fn max<T: Checked + ?Sized, C: ?Sized>(n: impl Into<f64>) -> impl Fn(&T, &C) -> garde::Result {
    let n = n.into();
    move |value, _| size_check(value, true, n, true)
}

/// zod's `.gt(n)` for numbers.
pub fn gt<T: Checked + ?Sized, C: ?Sized>(n: impl Into<f64>) -> impl Fn(&T, &C) -> garde::Result {
    let n = n.into();
    move |value, _| size_check(value, false, n, false)
}

/// zod's `.lt(n)` for numbers.
pub fn lt<T: Checked + ?Sized, C: ?Sized>(n: impl Into<f64>) -> impl Fn(&T, &C) -> garde::Result {
    let n = n.into();
    move |value, _| size_check(value, true, n, false)
}

/// zod's `.positive()` (`> 0`).
pub fn positive<T: Checked + ?Sized, C: ?Sized>() -> impl Fn(&T, &C) -> garde::Result {
    gt(0)
}

/// zod's `.nonnegative()` (`>= 0`).
pub fn nonnegative<T: Checked + ?Sized, C: ?Sized>() -> impl Fn(&T, &C) -> garde::Result {
    min(0)
}

/// zod's `.negative()` (`< 0`).
pub fn negative<T: Checked + ?Sized, C: ?Sized>() -> impl Fn(&T, &C) -> garde::Result {
    lt(0)
}

/// zod's `.nonpositive()` (`<= 0`).
pub fn nonpositive<T: Checked + ?Sized, C: ?Sized>() -> impl Fn(&T, &C) -> garde::Result {
    max(0)
}

/// zod's `.nonempty()` for arrays (`.min(1)`).
pub fn nonempty<T: Checked + ?Sized, C: ?Sized>() -> impl Fn(&T, &C) -> garde::Result {
    min(1)
}

/// zod's `.length(n)`: exactly `n` characters or items.
pub fn length<T: Checked + ?Sized, C: ?Sized>(n: usize) -> impl Fn(&T, &C) -> garde::Result {
    move |value, _| {
        let (origin, actual) = match value.subject() {
            Some(Subject::Text(text)) => ("string", js_length(text)),
            Some(Subject::Items(items)) => ("array", items),
            _ => return Ok(()),
        };
        if actual == n {
            return Ok(());
        }
        fail(issue::bound(actual > n, origin, n as f64, true, true))
    }
}

/// zod's `.int()`: a whole number in JavaScript's safe integer range.
pub fn int<T: Checked + ?Sized, C: ?Sized>() -> impl Fn(&T, &C) -> garde::Result {
    move |value, _| match value.subject() {
        Some(Subject::Number(n)) if n.fract() != 0.0 => fail(issue::not_an_int()),
        Some(Subject::Number(n)) if n.abs() > 9_007_199_254_740_991.0 => {
            fail(issue::unsafe_int(n > 0.0))
        }
        _ => Ok(()),
    }
}

/// zod's `.multipleOf(divisor)` (`.step()`), with zod's tolerance for decimal fractions.
pub fn multiple_of<T: Checked + ?Sized, C: ?Sized>(
    divisor: impl Into<f64>,
) -> impl Fn(&T, &C) -> garde::Result {
    let divisor = divisor.into();
    move |value, _| match value.subject() {
        Some(Subject::Number(n)) if !is_multiple(n, divisor) => {
            fail(issue::not_multiple_of(divisor))
        }
        _ => Ok(()),
    }
}

fn is_multiple(value: f64, step: f64) -> bool {
    let ratio = value / step;
    let rounded = ratio.round();
    // JavaScript's Math.round rounds halves up; f64::round away from zero. Only the
    // distance matters here, and both give an integer within 0.5 of the ratio.
    let tolerance = 4.0 * f64::EPSILON * ratio.abs().max(1.0);
    (ratio - rounded).abs() < tolerance
}

fn text_check<T: Checked + ?Sized>(
    value: &T,
    ok: impl FnOnce(&str) -> bool,
    issue: impl FnOnce() -> Issue,
) -> garde::Result {
    match value.subject() {
        Some(Subject::Text(text)) if !ok(text) => fail(issue()),
        _ => Ok(()),
    }
}

/// zod 4's email pattern (`z.email()`, `z.string().email()`).
const EMAIL: &str = r"^(?:[A-Za-z0-9_'+\-]+\.)*[A-Za-z0-9_'+\-]*[A-Za-z0-9_+-]@(?:[A-Za-z0-9][A-Za-z0-9\-]*\.)+[A-Za-z]{2,}$";

use super::issue::UUID;

/// zod 4's email pattern ([`EMAIL`]) matched without a regex: it is what the pattern says,
/// byte by byte. Before the only `@` (no class of the pattern has one): dot-separated runs,
/// none empty, of ASCII letters, digits and `_'+-`, the last character not `'`; after it,
/// dot-separated labels, each a letter or digit then letters, digits and `-`, at least one,
/// then a last label of two or more ASCII letters. Checked against the pattern itself on
/// long seeded sequences (`the_email_check_is_zods_pattern` below).
fn is_email(text: &str) -> bool {
    let bytes = text.as_bytes();
    let Some(at) = bytes.iter().position(|&b| b == b'@') else {
        return false;
    };
    let (local, domain) = (&bytes[..at], &bytes[at + 1..]);
    let local_char = |b: u8| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'\'' | b'+' | b'-');
    if local.last().is_none_or(|&last| last == b'\'')
        || !local
            .split(|&b| b == b'.')
            .all(|run| !run.is_empty() && run.iter().all(|&b| local_char(b)))
    {
        return false;
    }
    let Some(dot) = domain.iter().rposition(|&b| b == b'.') else {
        return false;
    };
    let (labels, last) = (&domain[..dot], &domain[dot + 1..]);
    last.len() >= 2
        && last.iter().all(u8::is_ascii_alphabetic)
        && labels.split(|&b| b == b'.').all(|label| {
            label.first().is_some_and(u8::is_ascii_alphanumeric)
                && label
                    .iter()
                    .all(|&b| b.is_ascii_alphanumeric() || b == b'-')
        })
}

/// Runs `matches` with the compiled form of a pattern of the program (`None`: it does not
/// compile). Each thread keeps its own compiled patterns, at most one per pattern written in
/// the program (`&'static str`), found by address first: no lock, no hashing, and each
/// `Regex` is only ever used by its own thread, so its pool of matching caches is the owner's
/// fast slot (a `Regex` shared between threads makes the others take a mutex-guarded stack;
/// a cloned one starts with an empty pool and builds its matching state on every match).
fn with_compiled<R>(pattern: &'static str, matches: impl FnOnce(Option<&regex::Regex>) -> R) -> R {
    type Compiled = Vec<(&'static str, Option<regex::Regex>)>;
    thread_local! {
        static COMPILED: RefCell<Compiled> = const { RefCell::new(Vec::new()) };
    }
    COMPILED.with(|compiled| {
        let mut compiled = compiled.borrow_mut();
        let same = |known: &&'static str| std::ptr::eq(*known, pattern);
        // By address first (the literal the rule was built with), then by text: the same
        // text at another address (another crate's literal, a leaked `String`) uses the
        // entry already there, so the list holds one entry per distinct text at most.
        let at = match compiled.iter().position(|(known, _)| same(known)) {
            Some(at) => at,
            None => match compiled.iter().position(|(known, _)| *known == pattern) {
                Some(at) => at,
                None => {
                    compiled.push((pattern, regex::Regex::new(pattern).ok()));
                    compiled.len() - 1
                }
            },
        };
        matches(compiled[at].1.as_ref())
    })
}

fn pattern_format<T: Checked + ?Sized>(
    value: &T,
    format: &str,
    pattern: &'static str,
) -> garde::Result {
    text_check(
        value,
        |text| with_compiled(pattern, |re| re.is_some_and(|re| re.is_match(text))),
        || issue::format(format, &[("pattern", format!("/{pattern}/"))]),
    )
}

/// zod 4's `.email()`, with its pattern and `Invalid email address`.
pub fn email<T: Checked + ?Sized, C: ?Sized>() -> impl Fn(&T, &C) -> garde::Result {
    move |value, _| {
        text_check(value, is_email, || {
            issue::format("email", &[("pattern", format!("/{EMAIL}/"))])
        })
    }
}

/// zod 4's `.uuid()`.
pub fn uuid<T: Checked + ?Sized, C: ?Sized>() -> impl Fn(&T, &C) -> garde::Result {
    move |value, _| pattern_format(value, "uuid", UUID)
}

/// zod 4's `.url()`: what the WHATWG URL parser accepts, after trimming whitespace.
pub fn url<T: Checked + ?Sized, C: ?Sized>() -> impl Fn(&T, &C) -> garde::Result {
    move |value, _| {
        text_check(
            value,
            |text| url::Url::parse(text.trim_matches(is_js_space)).is_ok(),
            || issue::format("url", &[]),
        )
    }
}

/// zod's `.regex(/pattern/)`. The pattern is a Rust `regex` (close to JavaScript's for
/// common patterns); the issue shows it as `/pattern/`. A pattern that does not compile
/// fails every value.
pub fn regex<T: Checked + ?Sized, C: ?Sized>(
    pattern: &'static str,
) -> impl Fn(&T, &C) -> garde::Result {
    move |value, _| {
        text_check(
            value,
            |text| with_compiled(pattern, |re| re.is_some_and(|re| re.is_match(text))),
            || issue::format("regex", &[("pattern", format!("/{pattern}/"))]),
        )
    }
}

/// zod's `.startsWith(prefix)`.
pub fn starts_with<T: Checked + ?Sized, C: ?Sized>(
    prefix: &'static str,
) -> impl Fn(&T, &C) -> garde::Result {
    move |value, _| {
        text_check(
            value,
            |text| text.starts_with(prefix),
            || issue::format("starts_with", &[("prefix", prefix.to_owned())]),
        )
    }
}

/// zod's `.endsWith(suffix)`.
pub fn ends_with<T: Checked + ?Sized, C: ?Sized>(
    suffix: &'static str,
) -> impl Fn(&T, &C) -> garde::Result {
    move |value, _| {
        text_check(
            value,
            |text| text.ends_with(suffix),
            || issue::format("ends_with", &[("suffix", suffix.to_owned())]),
        )
    }
}

/// zod's `.includes(part)`.
pub fn includes<T: Checked + ?Sized, C: ?Sized>(
    part: &'static str,
) -> impl Fn(&T, &C) -> garde::Result {
    move |value, _| {
        text_check(
            value,
            |text| text.contains(part),
            || issue::format("includes", &[("includes", part.to_owned())]),
        )
    }
}

/// zod's `.trim()` before a check: `rule` sees the text without JavaScript's leading and
/// trailing whitespace (the handler still gets the text as sent).
pub fn trim<T: Checked + ?Sized, C: ?Sized, R>(rule: R) -> impl Fn(&T, &C) -> garde::Result
where
    R: Fn(&str, &C) -> garde::Result,
{
    move |value, ctx| match value.subject() {
        Some(Subject::Text(text)) => rule(text.trim_matches(is_js_space), ctx),
        _ => Ok(()),
    }
}

/// A rule with its own message (zod's `{ message }` / `{ error }` on a check); a
/// [`Messages`](super::Messages) setting does not replace it.
pub fn message<T: ?Sized, C: ?Sized, R>(
    text: &'static str,
    rule: R,
) -> impl Fn(&T, &C) -> garde::Result
where
    R: Fn(&T, &C) -> garde::Result,
{
    move |value, ctx| match rule(value, ctx) {
        Ok(()) => Ok(()),
        Err(err) => {
            let mut issue = decode(err.message())
                .unwrap_or_else(|| Issue::new("custom", Vec::new(), String::new()));
            issue.message = text.to_owned();
            issue.set_default_message(false);
            fail(issue)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_rng::Rng;

    const PIECES: &[&str] = &[
        "a", "b", "Z", "0", "9", ".", "*", "+", "?", "^", "$", "[a-z]", "[0-9]+", "(", ")", "|",
        "\\d", "\\w", "{2,3}", "é", "😀", "-", " ", "\\", "[", "]",
    ];

    fn random_text(rng: &mut Rng, max: usize) -> String {
        let len = match rng.below(4) {
            0 => 0,
            1 | 2 => rng.below(8),
            _ => rng.below(max),
        };
        (0..len).map(|_| PIECES[rng.below(PIECES.len())]).collect()
    }

    /// Each thread's compiled-pattern cache lives as long as the thread: long seeded sequences of
    /// patterns (valid and not, repeated and new, copies of known ones at other addresses, the
    /// built-in email and uuid ones among them) and texts, on one thread and on two at once, each verdict compared with a pattern
    /// compiled afresh.
    #[test]
    fn cached_patterns_give_the_verdicts_of_freshly_compiled_ones() {
        let run = |seed: u64| {
            let mut rng = Rng(seed);
            let mut patterns: Vec<&'static str> = vec![EMAIL, UUID, "^a+$", "(", "[z-a]", ""];
            let mut wrong = Vec::new();
            for step in 0..4_000 {
                let pattern = if rng.below(5) == 0 || patterns.is_empty() {
                    let fresh: &'static str = Box::leak(random_text(&mut rng, 12).into_boxed_str());
                    patterns.push(fresh);
                    fresh
                } else if rng.below(10) == 0 {
                    // The same text as a known pattern, at another address.
                    let known = patterns[rng.below(patterns.len())];
                    Box::leak(known.to_owned().into_boxed_str())
                } else {
                    patterns[rng.below(patterns.len())]
                };
                let text = match rng.below(6) {
                    0 => "ada@example.com".to_owned(),
                    1 => "123e4567-e89b-12d3-a456-426614174000".to_owned(),
                    2 => "x".repeat(rng.below(5_000)),
                    _ => random_text(&mut rng, 40),
                };
                let cached = regex::<str, ()>(pattern)(&text, &()).is_ok();
                let fresh = regex::Regex::new(pattern).is_ok_and(|re| re.is_match(&text));
                if cached != fresh {
                    wrong.push(format!("seed {seed} step {step}: /{pattern}/ on {text:?}"));
                }
            }
            wrong
        };
        let mut wrong = run(0x5eed_0001);
        let threads = [0x5eed_0002, 0x5eed_0003].map(|seed| std::thread::spawn(move || run(seed)));
        for thread in threads {
            wrong.extend(thread.join().unwrap());
        }
        assert!(
            wrong.is_empty(),
            "{} wrong verdicts, first: {}",
            wrong.len(),
            wrong[0]
        );
    }

    /// `email()` matches by hand what zod's pattern matches: long seeded sequences of texts
    /// built from the pattern's own pieces (runs of each class, dots, `@`, apostrophes, other
    /// characters, lengths at the edges), each verdict compared with the compiled pattern.
    #[test]
    fn the_email_check_is_zods_pattern() {
        const BITS: &[&str] = &[
            "a", "Z", "0", "9", "_", "'", "+", "-", ".", "@", "..", ".@", "@.", "'@", "ab", "com",
            "io", "x-y", "-", "é", " ", "\n", "\t", "%", "A9", "xn--p", "1.2", "", "_'", "q+",
        ];
        let email = regex::Regex::new(EMAIL).unwrap();
        let rule = super::email::<str, ()>();
        let mut rng = Rng(0x5eed_e4a1);
        let mut wrong = Vec::new();
        let mut accepted = 0;
        for step in 0..100_000 {
            let text: String = match rng.below(3) {
                // Shaped like an address, with a mistake now and then.
                0 | 1 => {
                    let part = |max: usize, rng: &mut Rng| -> String {
                        (0..rng.below(max))
                            .map(|_| BITS[rng.below(BITS.len())])
                            .collect()
                    };
                    let local = part(5, &mut rng);
                    let domain = part(5, &mut rng);
                    let tld = ["com", "c", "io", "c0", "ORG", "", "a-b", "xyz."][rng.below(8)];
                    format!("{local}@{domain}.{tld}")
                }
                _ => (0..rng.below(12))
                    .map(|_| BITS[rng.below(BITS.len())])
                    .collect(),
            };
            let expected = email.is_match(&text);
            accepted += usize::from(expected);
            if is_email(&text) != expected || rule(&text, &()).is_ok() != expected {
                wrong.push(format!("step {step}: {text:?} (pattern: {expected})"));
            }
        }
        assert!(
            wrong.is_empty(),
            "{} wrong verdicts, first: {}",
            wrong.len(),
            wrong[0]
        );
        // The sequences reach both answers often.
        assert!(accepted > 500, "only {accepted} addresses accepted");
    }
}
