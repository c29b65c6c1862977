//! HTTP-date, RFC 9110 §5.6.7: the timestamps of Date, Last-Modified, If-Modified-Since,
//! If-Unmodified-Since, Retry-After and Expires.
//!
//! ```text
//! HTTP-date    = IMF-fixdate / obs-date
//! IMF-fixdate  = day-name "," SP date1 SP time-of-day SP GMT
//!              ; Sun, 06 Nov 1994 08:49:37 GMT
//! day-name     = %s"Mon" / %s"Tue" / %s"Wed" / %s"Thu" / %s"Fri" / %s"Sat" / %s"Sun"
//! date1        = day SP month SP year          ; e.g., 02 Jun 1982
//! day          = 2DIGIT
//! month        = %s"Jan" / %s"Feb" / ... / %s"Dec"
//! year         = 4DIGIT
//! GMT          = %s"GMT"
//! time-of-day  = hour ":" minute ":" second    ; 00:00:00 - 23:59:60 (leap second)
//!
//! obs-date     = rfc850-date / asctime-date
//! rfc850-date  = day-name-l "," SP date2 SP time-of-day SP GMT
//!              ; Sunday, 06-Nov-94 08:49:37 GMT
//! date2        = day "-" month "-" 2DIGIT      ; e.g., 02-Jun-82
//! day-name-l   = %s"Monday" / ... / %s"Sunday"
//! asctime-date = day-name SP date3 SP time-of-day SP year
//!              ; Sun Nov  6 08:49:37 1994
//! date3        = month SP ( 2DIGIT / ( SP DIGIT ) )   ; e.g., Jun  2
//! ```
//!
//! The grammar is case-sensitive (RFC 9110 §5.6.7), and so is this parser.

use std::fmt;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use super::{TypedError, syntax};

/// A day of the week, as HTTP-date names it (RFC 9110 §5.6.7 `day-name`, `day-name-l`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Weekday {
    /// `Mon`, `Monday`.
    Monday,
    /// `Tue`, `Tuesday`.
    Tuesday,
    /// `Wed`, `Wednesday`.
    Wednesday,
    /// `Thu`, `Thursday`.
    Thursday,
    /// `Fri`, `Friday`.
    Friday,
    /// `Sat`, `Saturday`.
    Saturday,
    /// `Sun`, `Sunday`.
    Sunday,
}

const WEEKDAYS: [Weekday; 7] = [
    Weekday::Monday,
    Weekday::Tuesday,
    Weekday::Wednesday,
    Weekday::Thursday,
    Weekday::Friday,
    Weekday::Saturday,
    Weekday::Sunday,
];

const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

impl Weekday {
    /// The three-letter `day-name` of IMF-fixdate and asctime-date (RFC 9110 §5.6.7).
    pub fn short_name(self) -> &'static str {
        match self {
            Weekday::Monday => "Mon",
            Weekday::Tuesday => "Tue",
            Weekday::Wednesday => "Wed",
            Weekday::Thursday => "Thu",
            Weekday::Friday => "Fri",
            Weekday::Saturday => "Sat",
            Weekday::Sunday => "Sun",
        }
    }

    /// The full `day-name-l` of rfc850-date (RFC 9110 §5.6.7).
    pub fn long_name(self) -> &'static str {
        match self {
            Weekday::Monday => "Monday",
            Weekday::Tuesday => "Tuesday",
            Weekday::Wednesday => "Wednesday",
            Weekday::Thursday => "Thursday",
            Weekday::Friday => "Friday",
            Weekday::Saturday => "Saturday",
            Weekday::Sunday => "Sunday",
        }
    }
}

/// An HTTP-date (RFC 9110 §5.6.7): a second in UTC between 1970-01-01 00:00:00 and
/// 9999-12-31 23:59:60.
///
/// [`decode`](Self::decode) accepts all three formats, as RFC 9110 §5.6.7 requires of a
/// recipient; [`encode`](Self::encode) always writes IMF-fixdate, as it requires of a sender.
/// The day name is not stored: it follows from the date, and a value whose day name disagrees
/// with its date is refused, because such a value was made by hand or damaged on the way and
/// either reading of it may be the wrong one.
///
/// Dates before the Unix epoch are refused too, so that every value converts to a `u64` of
/// seconds. Callers lose nothing by it: RFC 9110 §13.1.3 says an invalid If-Modified-Since is
/// ignored, and RFC 9111 §5.3 says an invalid Expires means "already expired", which any
/// pre-1970 date is.
///
/// The derived order is chronological.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct HttpDate {
    year: u16,
    month: u8,
    day: u8,
    hour: u8,
    minute: u8,
    second: u8,
}

/// The last second [`HttpDate::from_unix_seconds`] accepts: 9999-12-31 23:59:59.
const MAX_UNIX_SECONDS: u64 = 253_402_300_799;

fn is_leap(year: u16) -> bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
}

fn days_in_month(year: u16, month: u8) -> u8 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if is_leap(year) => 29,
        2 => 28,
        _ => 0,
    }
}

/// Days from 1970-01-01 to January 1st of `year` (proleptic Gregorian calendar, `year >= 1970`).
fn days_before_year(year: u16) -> u64 {
    let leaps_before = |y: u64| (y - 1) / 4 - (y - 1) / 100 + (y - 1) / 400;
    let y = u64::from(year);
    365 * (y - 1970) + leaps_before(y) - leaps_before(1970)
}

/// Days from January 1st to the first of `month` in `year`.
fn days_before_month(year: u16, month: u8) -> u64 {
    (1..month).map(|m| u64::from(days_in_month(year, m))).sum()
}

impl HttpDate {
    /// A date from its parts, checked as [`decode`](Self::decode) checks them: year 1970-9999,
    /// month 1-12, a day that exists in that month (leap years included), hour 0-23, minute
    /// 0-59, second 0-60 (RFC 9110 §5.6.7 allows a leap second). Errors carry offset 0.
    pub fn new(
        year: u16,
        month: u8,
        day: u8,
        hour: u8,
        minute: u8,
        second: u8,
    ) -> Result<Self, TypedError> {
        let range = |what, reason| TypedError::Range {
            what,
            offset: 0,
            reason,
        };
        if !(1970..=9999).contains(&year) {
            return Err(range(
                "year",
                "1970-9999: earlier dates have no u64 Unix time, RFC 9110 §5.6.7",
            ));
        }
        if !(1..=12).contains(&month) {
            return Err(range("month", "1-12, RFC 9110 §5.6.7"));
        }
        if day == 0 || day > days_in_month(year, month) {
            return Err(range("day", "no such day in this month, RFC 9110 §5.6.7"));
        }
        if hour > 23 {
            return Err(range("hour", "00-23, RFC 9110 §5.6.7"));
        }
        if minute > 59 {
            return Err(range("minute", "00-59, RFC 9110 §5.6.7"));
        }
        if second > 60 {
            return Err(range("second", "00-60, RFC 9110 §5.6.7"));
        }
        Ok(HttpDate {
            year,
            month,
            day,
            hour,
            minute,
            second,
        })
    }

    /// Year, 1970-9999.
    pub fn year(&self) -> u16 {
        self.year
    }

    /// Month, 1 (January) to 12.
    pub fn month(&self) -> u8 {
        self.month
    }

    /// Day of the month, from 1.
    pub fn day(&self) -> u8 {
        self.day
    }

    /// Hour, 0-23.
    pub fn hour(&self) -> u8 {
        self.hour
    }

    /// Minute, 0-59.
    pub fn minute(&self) -> u8 {
        self.minute
    }

    /// Second, 0-60 (60 is a leap second).
    pub fn second(&self) -> u8 {
        self.second
    }

    /// The day of the week this date falls on.
    pub fn weekday(&self) -> Weekday {
        let days = days_before_year(self.year)
            + days_before_month(self.year, self.month)
            + u64::from(self.day)
            - 1;
        // 1970-01-01 was a Thursday (index 3 from Monday).
        WEEKDAYS
            .get(usize::try_from((days + 3) % 7).unwrap_or(0))
            .copied()
            .unwrap_or(Weekday::Monday)
    }

    /// Seconds since 1970-01-01 00:00:00 UTC. A leap second (`:60`) counts as the first second
    /// of the next minute, as POSIX time has no room for it.
    pub fn unix_seconds(&self) -> u64 {
        let days = days_before_year(self.year)
            + days_before_month(self.year, self.month)
            + u64::from(self.day)
            - 1;
        days * 86_400
            + u64::from(self.hour) * 3600
            + u64::from(self.minute) * 60
            + u64::from(self.second)
    }

    /// The date `secs` seconds after the Unix epoch; after 9999-12-31 23:59:59 is a
    /// [`TypedError::Range`], as a 4DIGIT year cannot hold it (RFC 9110 §5.6.7).
    pub fn from_unix_seconds(secs: u64) -> Result<Self, TypedError> {
        if secs > MAX_UNIX_SECONDS {
            return Err(TypedError::Range {
                what: "HTTP-date",
                offset: 0,
                reason: "after 9999-12-31 23:59:59: year is 4DIGIT, RFC 9110 §5.6.7",
            });
        }
        let mut days = secs / 86_400;
        let rest = secs % 86_400;
        // 365 days a year is an upper bound on the year; step back while it overshoots.
        let mut year = u16::try_from(1970 + days / 365).unwrap_or(9999);
        while days_before_year(year) > days {
            year -= 1;
        }
        days -= days_before_year(year);
        let mut month = 1;
        while month < 12 && days >= u64::from(days_in_month(year, month)) {
            days -= u64::from(days_in_month(year, month));
            month += 1;
        }
        let part = |v: u64| u8::try_from(v).unwrap_or(u8::MAX);
        HttpDate::new(
            year,
            month,
            part(days + 1),
            part(rest / 3600),
            part(rest % 3600 / 60),
            part(rest % 60),
        )
    }

    /// Decodes an HTTP-date in any of its three formats (RFC 9110 §5.6.7). The two-digit year
    /// of rfc850-date is read as 20YY when YY < 70, else 19YY: RFC 9110 §5.6.7 says a year more
    /// than 50 years in the future is in the past century, but a sans-IO codec has no clock, so
    /// the window is fixed at the Unix epoch instead; it agrees with the RFC's rule until 2020+50.
    pub fn decode(value: &[u8]) -> Result<Self, TypedError> {
        match value.get(3) {
            Some(b',') => Self::decode_imf_fixdate(value),
            Some(b' ') => asctime_date(value),
            _ => rfc850_date(value),
        }
    }

    /// Decodes IMF-fixdate only (RFC 9110 §5.6.7), the one format a sender may generate; RFC
    /// 6265 §4.1.1 `sane-cookie-date` (rfc1123-date) is the same format.
    pub fn decode_imf_fixdate(value: &[u8]) -> Result<Self, TypedError> {
        const WHAT: &str = "IMF-fixdate";
        let mut s = Scan::new(value, WHAT);
        let weekday = s.day_name()?;
        s.literal(b", ", "day-name is followed by \",\" SP, RFC 9110 §5.6.7")?;
        let day_at = s.pos;
        let day = s.digits(2, "day is 2DIGIT, RFC 9110 §5.6.7")?;
        s.literal(b" ", "SP after day, RFC 9110 §5.6.7")?;
        let month = s.month()?;
        s.literal(b" ", "SP after month, RFC 9110 §5.6.7")?;
        let year = s.digits(4, "year is 4DIGIT, RFC 9110 §5.6.7")?;
        s.literal(b" ", "SP after year, RFC 9110 §5.6.7")?;
        let (hour, minute, second) = s.time_of_day()?;
        s.literal(
            b" GMT",
            "time-of-day is followed by SP \"GMT\", RFC 9110 §5.6.7",
        )?;
        s.end()?;
        build(year, month, day, hour, minute, second, day_at, weekday, 0)
    }

    /// Appends the IMF-fixdate form (RFC 9110 §5.6.7), always 29 bytes.
    pub fn encode(&self, dst: &mut Vec<u8>) {
        dst.extend_from_slice(self.to_string().as_bytes());
    }
}

impl fmt::Display for HttpDate {
    /// The IMF-fixdate form (RFC 9110 §5.6.7).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let month = MONTHS
            .get(usize::from(self.month).saturating_sub(1))
            .copied()
            .unwrap_or("Jan");
        write!(
            f,
            "{}, {:02} {} {:04} {:02}:{:02}:{:02} GMT",
            self.weekday().short_name(),
            self.day,
            month,
            self.year,
            self.hour,
            self.minute,
            self.second
        )
    }
}

impl From<HttpDate> for SystemTime {
    fn from(date: HttpDate) -> SystemTime {
        // At most 253402300860 s after the epoch: within every platform's SystemTime.
        UNIX_EPOCH + Duration::from_secs(date.unix_seconds())
    }
}

impl TryFrom<SystemTime> for HttpDate {
    type Error = TypedError;

    /// Truncates to the second; a time before the Unix epoch or after year 9999 is a
    /// [`TypedError::Range`].
    fn try_from(time: SystemTime) -> Result<Self, TypedError> {
        let since = time
            .duration_since(UNIX_EPOCH)
            .map_err(|_| TypedError::Range {
                what: "HTTP-date",
                offset: 0,
                reason: "before the Unix epoch, RFC 9110 §5.6.7",
            })?;
        HttpDate::from_unix_seconds(since.as_secs())
    }
}

/// rfc850-date, RFC 9110 §5.6.7.
fn rfc850_date(value: &[u8]) -> Result<HttpDate, TypedError> {
    const WHAT: &str = "rfc850-date";
    let mut s = Scan::new(value, WHAT);
    let weekday = s.day_name_l()?;
    s.literal(b", ", "day-name-l is followed by \",\" SP, RFC 9110 §5.6.7")?;
    let day_at = s.pos;
    let day = s.digits(2, "day is 2DIGIT, RFC 9110 §5.6.7")?;
    s.literal(
        b"-",
        "date2 is day \"-\" month \"-\" 2DIGIT, RFC 9110 §5.6.7",
    )?;
    let month = s.month()?;
    s.literal(
        b"-",
        "date2 is day \"-\" month \"-\" 2DIGIT, RFC 9110 §5.6.7",
    )?;
    let yy = s.digits(2, "the year of date2 is 2DIGIT, RFC 9110 §5.6.7")?;
    // See HttpDate::decode for the window.
    let year = if yy < 70 { 2000 + yy } else { 1900 + yy };
    s.literal(b" ", "SP after date2, RFC 9110 §5.6.7")?;
    let (hour, minute, second) = s.time_of_day()?;
    s.literal(
        b" GMT",
        "time-of-day is followed by SP \"GMT\", RFC 9110 §5.6.7",
    )?;
    s.end()?;
    build(year, month, day, hour, minute, second, day_at, weekday, 0)
}

/// asctime-date, RFC 9110 §5.6.7.
fn asctime_date(value: &[u8]) -> Result<HttpDate, TypedError> {
    const WHAT: &str = "asctime-date";
    let mut s = Scan::new(value, WHAT);
    let weekday = s.day_name()?;
    s.literal(b" ", "SP after day-name, RFC 9110 §5.6.7")?;
    let month = s.month()?;
    s.literal(b" ", "SP after month, RFC 9110 §5.6.7")?;
    let day_at = s.pos;
    // date3 day is 2DIGIT or SP DIGIT.
    let day = if value.get(s.pos) == Some(&b' ') {
        s.pos += 1;
        s.digits(1, "day is 2DIGIT or SP DIGIT, RFC 9110 §5.6.7")?
    } else {
        s.digits(2, "day is 2DIGIT or SP DIGIT, RFC 9110 §5.6.7")?
    };
    s.literal(b" ", "SP after date3, RFC 9110 §5.6.7")?;
    let (hour, minute, second) = s.time_of_day()?;
    s.literal(b" ", "SP after time-of-day, RFC 9110 §5.6.7")?;
    let year_at = s.pos;
    let year = s.digits(4, "year is 4DIGIT, RFC 9110 §5.6.7")?;
    s.end()?;
    build(
        year, month, day, hour, minute, second, day_at, weekday, year_at,
    )
}

/// Checks the ranges and the day name, with offsets: `day_at` is where the day starts, `year_at`
/// where the year starts when it comes after the time (asctime-date), else 0.
#[allow(clippy::too_many_arguments)]
fn build(
    year: u16,
    month: u8,
    day: u16,
    hour: u16,
    minute: u16,
    second: u16,
    day_at: usize,
    weekday: Weekday,
    year_at: usize,
) -> Result<HttpDate, TypedError> {
    let small = |v: u16| u8::try_from(v).unwrap_or(u8::MAX);
    let date = HttpDate::new(
        year,
        month,
        small(day),
        small(hour),
        small(minute),
        small(second),
    )
    .map_err(|e| match e {
        TypedError::Range { what, reason, .. } => TypedError::Range {
            what,
            // Hours, minutes and seconds are out of range at the time; everything else at the
            // date (or, in asctime-date, at the year).
            offset: if what == "year" && year_at > 0 {
                year_at
            } else {
                day_at
            },
            reason,
        },
        other => other,
    })?;
    if date.weekday() != weekday {
        return Err(syntax(
            "day-name",
            0,
            "the day name does not match the date, RFC 9110 §5.6.7",
        ));
    }
    Ok(date)
}

/// A cursor over a date; every error names the format being read.
struct Scan<'a> {
    input: &'a [u8],
    pos: usize,
    what: &'static str,
}

impl<'a> Scan<'a> {
    fn new(input: &'a [u8], what: &'static str) -> Self {
        Scan {
            input,
            pos: 0,
            what,
        }
    }

    fn err(&self, reason: &'static str) -> TypedError {
        syntax(self.what, self.pos, reason)
    }

    fn literal(&mut self, lit: &[u8], reason: &'static str) -> Result<(), TypedError> {
        for &want in lit {
            if self.input.get(self.pos) != Some(&want) {
                return Err(self.err(reason));
            }
            self.pos += 1;
        }
        Ok(())
    }

    fn digits(&mut self, n: usize, reason: &'static str) -> Result<u16, TypedError> {
        let mut v = 0u16;
        for _ in 0..n {
            match self.input.get(self.pos) {
                Some(&b) if b.is_ascii_digit() => v = v * 10 + u16::from(b - b'0'),
                _ => return Err(self.err(reason)),
            }
            self.pos += 1;
        }
        Ok(v)
    }

    fn one_of<T: Copy>(
        &mut self,
        names: impl Iterator<Item = (&'static str, T)>,
        reason: &'static str,
    ) -> Result<T, TypedError> {
        let rest = self.input.get(self.pos..).unwrap_or_default();
        for (name, v) in names {
            if rest.starts_with(name.as_bytes()) {
                self.pos += name.len();
                return Ok(v);
            }
        }
        Err(self.err(reason))
    }

    fn day_name(&mut self) -> Result<Weekday, TypedError> {
        self.one_of(
            WEEKDAYS.iter().map(|&w| (w.short_name(), w)),
            "expected day-name (Mon-Sun, case-sensitive), RFC 9110 §5.6.7",
        )
    }

    fn day_name_l(&mut self) -> Result<Weekday, TypedError> {
        self.one_of(
            WEEKDAYS.iter().map(|&w| (w.long_name(), w)),
            "expected day-name-l (Monday-Sunday, case-sensitive), RFC 9110 §5.6.7",
        )
    }

    fn month(&mut self) -> Result<u8, TypedError> {
        self.one_of(
            MONTHS.iter().copied().zip(1u8..),
            "expected month (Jan-Dec, case-sensitive), RFC 9110 §5.6.7",
        )
    }

    fn time_of_day(&mut self) -> Result<(u16, u16, u16), TypedError> {
        const REASON: &str = "time-of-day is 2DIGIT \":\" 2DIGIT \":\" 2DIGIT, RFC 9110 §5.6.7";
        let start = self.pos;
        let hour = self.digits(2, REASON)?;
        self.literal(b":", REASON)?;
        let minute = self.digits(2, REASON)?;
        self.literal(b":", REASON)?;
        let second = self.digits(2, REASON)?;
        if hour > 23 || minute > 59 || second > 60 {
            return Err(TypedError::Range {
                what: "time-of-day",
                offset: start,
                reason: "00:00:00 - 23:59:60, RFC 9110 §5.6.7",
            });
        }
        Ok((hour, minute, second))
    }

    fn end(&self) -> Result<(), TypedError> {
        if self.pos == self.input.len() {
            Ok(())
        } else {
            Err(self.err("bytes after the date, RFC 9110 §5.6.7"))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: u16, mo: u8, da: u8, h: u8, mi: u8, s: u8) -> HttpDate {
        HttpDate::new(y, mo, da, h, mi, s).unwrap()
    }

    fn encoded(date: &HttpDate) -> String {
        let mut v = Vec::new();
        date.encode(&mut v);
        String::from_utf8(v).unwrap()
    }

    #[test]
    fn rfc_9110_examples_all_three_formats() {
        let want = d(1994, 11, 6, 8, 49, 37);
        for s in [
            "Sun, 06 Nov 1994 08:49:37 GMT",
            "Sunday, 06-Nov-94 08:49:37 GMT",
            "Sun Nov  6 08:49:37 1994",
        ] {
            assert_eq!(HttpDate::decode(s.as_bytes()).unwrap(), want, "{s}");
        }
        assert_eq!(encoded(&want), "Sun, 06 Nov 1994 08:49:37 GMT");
        assert_eq!(want.weekday(), Weekday::Sunday);
        assert_eq!(want.unix_seconds(), 784_111_777);
    }

    #[test]
    fn asctime_two_digit_day() {
        assert_eq!(
            HttpDate::decode(b"Thu Nov 24 08:49:37 1994").unwrap(),
            d(1994, 11, 24, 8, 49, 37)
        );
        assert_eq!(
            HttpDate::decode(b"Sun Nov 06 08:49:37 1994").unwrap(),
            d(1994, 11, 6, 8, 49, 37)
        );
        assert!(HttpDate::decode(b"Sun Nov 6 08:49:37 1994").is_err());
    }

    #[test]
    fn rfc850_year_window() {
        assert_eq!(
            HttpDate::decode(b"Thursday, 01-Jan-70 00:00:00 GMT").unwrap(),
            d(1970, 1, 1, 0, 0, 0)
        );
        assert_eq!(
            HttpDate::decode(b"Friday, 31-Dec-99 23:59:59 GMT").unwrap(),
            d(1999, 12, 31, 23, 59, 59)
        );
        assert_eq!(
            HttpDate::decode(b"Saturday, 01-Jan-00 00:00:00 GMT").unwrap(),
            d(2000, 1, 1, 0, 0, 0)
        );
        assert_eq!(
            HttpDate::decode(b"Tuesday, 31-Dec-69 23:59:59 GMT").unwrap(),
            d(2069, 12, 31, 23, 59, 59)
        );
    }

    #[test]
    fn epoch_and_bounds() {
        let epoch = HttpDate::decode(b"Thu, 01 Jan 1970 00:00:00 GMT").unwrap();
        assert_eq!(epoch.unix_seconds(), 0);
        assert_eq!(HttpDate::from_unix_seconds(0).unwrap(), epoch);
        let last = HttpDate::decode(b"Fri, 31 Dec 9999 23:59:59 GMT").unwrap();
        assert_eq!(last.unix_seconds(), MAX_UNIX_SECONDS);
        assert_eq!(HttpDate::from_unix_seconds(MAX_UNIX_SECONDS).unwrap(), last);
        assert!(HttpDate::from_unix_seconds(MAX_UNIX_SECONDS + 1).is_err());
        assert!(matches!(
            HttpDate::decode(b"Wed, 31 Dec 1969 23:59:59 GMT"),
            Err(TypedError::Range { what: "year", .. })
        ));
    }

    #[test]
    fn unix_seconds_roundtrip_samples() {
        for secs in [
            0,
            59,
            86_399,
            86_400,
            951_782_400, // 2000-02-29
            951_868_800, // 2000-03-01
            1_709_164_800,
            4_107_542_400, // 2100-03-01 (2100 is not leap)
            MAX_UNIX_SECONDS,
        ] {
            let date = HttpDate::from_unix_seconds(secs).unwrap();
            assert_eq!(date.unix_seconds(), secs, "{date}");
            assert_eq!(HttpDate::decode(date.to_string().as_bytes()).unwrap(), date);
        }
        assert_eq!(
            encoded(&HttpDate::from_unix_seconds(951_782_400).unwrap()),
            "Tue, 29 Feb 2000 00:00:00 GMT"
        );
    }

    #[test]
    fn leap_years_and_days_in_month() {
        assert!(HttpDate::decode(b"Tue, 29 Feb 2000 00:00:00 GMT").is_ok());
        assert!(HttpDate::decode(b"Thu, 29 Feb 2024 00:00:00 GMT").is_ok());
        assert!(matches!(
            HttpDate::decode(b"Mon, 29 Feb 2100 00:00:00 GMT"),
            Err(TypedError::Range {
                what: "day",
                offset: 5,
                ..
            })
        ));
        assert!(HttpDate::decode(b"Thu, 31 Apr 2024 00:00:00 GMT").is_err());
        assert!(HttpDate::decode(b"Mon, 00 Jan 2024 00:00:00 GMT").is_err());
        assert!(HttpDate::new(2024, 13, 1, 0, 0, 0).is_err());
        assert!(HttpDate::new(2024, 0, 1, 0, 0, 0).is_err());
    }

    #[test]
    fn time_of_day_ranges() {
        assert_eq!(
            HttpDate::decode(b"Sat, 31 Dec 2016 23:59:60 GMT")
                .unwrap()
                .second(),
            60
        );
        for bad in [
            "Sat, 31 Dec 2016 24:00:00 GMT",
            "Sat, 31 Dec 2016 23:60:00 GMT",
            "Sat, 31 Dec 2016 23:59:61 GMT",
        ] {
            assert!(
                matches!(
                    HttpDate::decode(bad.as_bytes()),
                    Err(TypedError::Range {
                        what: "time-of-day",
                        offset: 17,
                        ..
                    })
                ),
                "{bad}"
            );
        }
    }

    #[test]
    fn weekday_must_match() {
        assert!(matches!(
            HttpDate::decode(b"Mon, 06 Nov 1994 08:49:37 GMT"),
            Err(TypedError::Syntax {
                what: "day-name",
                ..
            })
        ));
        assert!(HttpDate::decode(b"Monday, 06-Nov-94 08:49:37 GMT").is_err());
        assert!(HttpDate::decode(b"Mon Nov  6 08:49:37 1994").is_err());
    }

    #[test]
    fn strict_syntax() {
        for bad in [
            "",
            "Sun",
            "sun, 06 Nov 1994 08:49:37 GMT",
            "Sun, 06 nov 1994 08:49:37 GMT",
            "Sun, 06 Nov 1994 08:49:37 gmt",
            "Sun, 06 Nov 1994 08:49:37 UTC",
            "Sun, 6 Nov 1994 08:49:37 GMT",
            "Sun,  06 Nov 1994 08:49:37 GMT",
            "Sun, 06 Nov 94 08:49:37 GMT",
            "Sun, 06 Nov 1994 8:49:37 GMT",
            "Sun, 06 Nov 1994 08:49:37 GMT ",
            "Sun, 06 Nov 1994 08:49:37",
            "Sun, 06-Nov-1994 08:49:37 GMT",
            "Sunday, 06-Nov-1994 08:49:37 GMT",
            "Sunday, 06 Nov 94 08:49:37 GMT",
            "Sun Nov  6 08:49:37 94",
            "Sun Nov  6 08:49:37 1994 GMT",
            "Sun, 06 Nov 1994 08:49:37 GMT\0",
        ] {
            assert!(HttpDate::decode(bad.as_bytes()).is_err(), "{bad:?}");
        }
        assert!(HttpDate::decode_imf_fixdate(b"Sunday, 06-Nov-94 08:49:37 GMT").is_err());
        assert!(HttpDate::decode_imf_fixdate(b"Sun Nov  6 08:49:37 1994").is_err());
    }

    #[test]
    fn error_offsets() {
        assert_eq!(
            HttpDate::decode(b"Sun, 06 Nov 1994 08:49:37 GMX"),
            Err(TypedError::Syntax {
                what: "IMF-fixdate",
                offset: 28,
                reason: "time-of-day is followed by SP \"GMT\", RFC 9110 §5.6.7"
            })
        );
        assert!(matches!(
            HttpDate::decode(b"Sun, 06 Xyz 1994 08:49:37 GMT"),
            Err(TypedError::Syntax { offset: 8, .. })
        ));
    }

    #[test]
    fn system_time() {
        let date = d(1994, 11, 6, 8, 49, 37);
        let t = SystemTime::from(date);
        assert_eq!(HttpDate::try_from(t).unwrap(), date);
        let t = t + Duration::from_millis(999);
        assert_eq!(HttpDate::try_from(t).unwrap(), date);
        assert!(HttpDate::try_from(UNIX_EPOCH - Duration::from_secs(1)).is_err());
    }

    #[test]
    fn order_is_chronological() {
        assert!(d(1994, 11, 6, 8, 49, 37) < d(1994, 11, 6, 8, 49, 38));
        assert!(d(1994, 12, 1, 0, 0, 0) > d(1994, 11, 30, 23, 59, 59));
    }
}
