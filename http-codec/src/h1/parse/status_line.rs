//! RFC 9112 §4: the status-line.
//!
//! ```text
//! status-line   = HTTP-version SP status-code SP [ reason-phrase ]
//! status-code   = 3DIGIT
//! reason-phrase = 1*( HTAB / SP / VCHAR / obs-text )
//! ```

use super::{PResult, fail, incomplete};
use crate::chars::find_ctl;

/// `status-code = 3DIGIT` (RFC 9112 §4), in 100..=599 (RFC 9110 §15: other values are invalid).
#[inline]
pub(crate) fn status_code(input: &[u8]) -> PResult<'_, u16> {
    match input {
        [a, b, c, rest @ ..] if a.is_ascii_digit() && b.is_ascii_digit() && c.is_ascii_digit() => {
            let code = u16::from(a - b'0') * 100 + u16::from(b - b'0') * 10 + u16::from(c - b'0');
            if !(100..=599).contains(&code) {
                return fail(
                    input,
                    "status-code",
                    "status code outside 100..599, RFC 9110 §15",
                );
            }
            if rest.first().is_some_and(u8::is_ascii_digit) {
                return fail(
                    rest,
                    "SP",
                    "status-code is exactly three digits, RFC 9112 §4",
                );
            }
            Ok((rest, code))
        }
        _ if input.len() < 3 && input.iter().all(u8::is_ascii_digit) => incomplete(),
        _ => fail(input, "status-code", "expected three digits, RFC 9112 §4"),
    }
}

/// `SP [ reason-phrase ]` up to (not including) the line end. With `missing_space`, the SP may
/// be absent when the phrase is empty. Returns the phrase (possibly empty).
#[inline]
pub(crate) fn reason_phrase(input: &[u8], missing_space: bool) -> PResult<'_, &[u8]> {
    let phrase = match input.first() {
        None => return incomplete(),
        Some(b' ') => input.get(1..).unwrap_or_default(),
        Some(b'\r' | b'\n') if missing_space => input,
        Some(_) => {
            return fail(input, "SP", "SP after the status-code, RFC 9112 §4");
        }
    };
    let mut i = 0;
    loop {
        i = find_ctl(phrase, i);
        match phrase.get(i) {
            None => return incomplete(),
            Some(b'\t') => i += 1,
            Some(b'\r' | b'\n') => {
                let (p, rest) = phrase.split_at(i);
                return Ok((rest, p));
            }
            Some(_) => {
                return fail(
                    phrase.get(i..).unwrap_or_default(),
                    "reason-phrase",
                    "control character in reason-phrase, RFC 9112 §4",
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn status_code_is_three_digits_in_range() {
        assert_eq!(status_code(b"200 OK").unwrap().1, 200);
        assert!(status_code(b"099 ").is_err());
        assert!(status_code(b"600 ").is_err());
        assert!(status_code(b"2000 ").is_err());
        assert!(status_code(b"20x ").is_err());
        assert!(matches!(status_code(b"20"), Err(nom::Err::Incomplete(_))));
    }

    #[test]
    fn reason_phrase_may_be_empty_or_obs_text() {
        assert_eq!(reason_phrase(b" OK\r\n", false).unwrap().1, b"OK");
        assert_eq!(reason_phrase(b" \r\n", false).unwrap().1, b"");
        assert_eq!(
            reason_phrase(b" caf\xe9\tok\r\n", false).unwrap().1,
            b"caf\xe9\tok"
        );
        assert!(reason_phrase(b"\r\n", false).is_err());
        assert_eq!(reason_phrase(b"\r\n", true).unwrap().1, b"");
        assert!(reason_phrase(b" a\x00b\r\n", false).is_err());
        assert!(reason_phrase(b" a\x7fb\r\n", false).is_err());
        assert!(matches!(
            reason_phrase(b" OK", false),
            Err(nom::Err::Incomplete(_))
        ));
    }
}
