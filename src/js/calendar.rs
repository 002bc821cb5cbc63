//! Calendar arithmetic for [`Date`](super::Date): civil dates to day counts and back, and the
//! ISO 8601 forms `Date.parse` reads.

/// (year, month 1..=12, day 1..=31) of a day count since 1970-01-01 (Hinnant's algorithm).
pub(super) fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y, m, d)
}

/// Days since 1970-01-01 of a civil date (Hinnant's algorithm).
pub(super) fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y.rem_euclid(400);
    let mp = i64::from((m + 9) % 12);
    let doy = (153 * mp + 2) / 5 + i64::from(d) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

pub(super) fn parse_iso(b: &[u8]) -> Option<f64> {
    let mut p = 0;
    let num = |p: &mut usize, n: usize| -> Option<i64> {
        let digits = b.get(*p..*p + n)?;
        if !digits.iter().all(u8::is_ascii_digit) {
            return None;
        }
        *p += n;
        Some(
            digits
                .iter()
                .fold(0, |acc, d| acc * 10 + i64::from(d - b'0')),
        )
    };
    let year = match b.first()? {
        b'+' | b'-' => {
            let negative = b[0] == b'-';
            p = 1;
            let y = num(&mut p, 6)?;
            if negative && y == 0 {
                return None;
            }
            if negative { -y } else { y }
        }
        _ => num(&mut p, 4)?,
    };
    let mut month = 1;
    let mut day = 1;
    if b.get(p) == Some(&b'-') {
        p += 1;
        month = num(&mut p, 2)?;
        if b.get(p) == Some(&b'-') {
            p += 1;
            day = num(&mut p, 2)?;
        }
    }
    if !(1..=12).contains(&month) || day < 1 || day > days_in_month(year, month as u32) {
        return None;
    }
    let mut ms = days_from_civil(year, month as u32, day as u32) * 86_400_000;
    if p == b.len() {
        return Some(ms as f64);
    }
    if b[p] != b'T' {
        return None;
    }
    p += 1;
    let h = num(&mut p, 2)?;
    if b.get(p) != Some(&b':') {
        return None;
    }
    p += 1;
    let mi = num(&mut p, 2)?;
    let (mut s, mut milli) = (0, 0);
    if b.get(p) == Some(&b':') {
        p += 1;
        s = num(&mut p, 2)?;
        if b.get(p) == Some(&b'.') {
            p += 1;
            let start = p;
            while b.get(p).is_some_and(u8::is_ascii_digit) {
                if p - start < 3 {
                    milli = milli * 10 + i64::from(b[p] - b'0');
                }
                p += 1;
            }
            let n = p - start;
            if n == 0 {
                return None;
            }
            for _ in n..3 {
                milli *= 10;
            }
        }
    }
    if h > 24 || mi > 59 || s > 59 || (h == 24 && (mi, s, milli) != (0, 0, 0)) {
        return None;
    }
    ms += ((h * 60 + mi) * 60 + s) * 1000 + milli;
    match b.get(p)? {
        b'Z' => p += 1,
        sign @ (b'+' | b'-') => {
            let sign = if *sign == b'+' { 1 } else { -1 };
            p += 1;
            let oh = num(&mut p, 2)?;
            if b.get(p) != Some(&b':') {
                return None;
            }
            p += 1;
            let om = num(&mut p, 2)?;
            if oh > 23 || om > 59 {
                return None;
            }
            ms -= sign * (oh * 60 + om) * 60_000;
        }
        _ => return None,
    }
    (p == b.len()).then_some(ms as f64)
}

pub(super) fn days_in_month(year: i64, month: u32) -> i64 {
    match month {
        2 if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}
