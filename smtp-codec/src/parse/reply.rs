//! RFC 5321 §4.2: reply lines, and the enhanced status codes of RFC 3463 §2 / RFC 2034 §4.
//!
//! ```text
//! Reply-line = *( Reply-code "-" [ textstring ] CRLF )
//!              Reply-code [ SP textstring ] CRLF
//! Reply-code = %x32-35 %x30-35 %x30-39
//! textstring = 1*(%d09 / %d32-126)       ; RFC 6531 §3.7.4: =/ UTF8-non-ascii
//! status-code = class "." subject "." detail          ; RFC 3463 §2
//! class = "2" / "4" / "5"; subject = 1*3digit; detail = 1*3digit
//! ```

use super::chars::utf8_non_ascii;
use super::{PResult, fail};

/// `Reply-code = %x32-35 %x30-35 %x30-39` (RFC 5321 §4.2).
pub(crate) fn reply_code(input: &[u8]) -> PResult<'_, u16> {
    match input {
        [a @ b'2'..=b'5', b @ b'0'..=b'5', c @ b'0'..=b'9', rest @ ..] => Ok((
            rest,
            u16::from(a - b'0') * 100 + u16::from(b - b'0') * 10 + u16::from(c - b'0'),
        )),
        _ => fail(
            input,
            "Reply-code",
            "three digits, 2-5, 0-5, 0-9, RFC 5321 §4.2",
        ),
    }
}

/// Whether `text` is `textstring` (RFC 5321 §4.2, RFC 6531 §3.7.4); the index of the first bad
/// byte if not. Empty is allowed here (the caller knows where it may be).
pub(crate) fn textstring(text: &[u8]) -> Result<(), usize> {
    // Tab and printable ASCII, the common case, checked without a branch per octet (the
    // compiler vectorises the fold); UTF-8 or a refusal is then found octet by octet.
    let printable = text.iter().fold(true, |ok, &b| {
        ok & ((b == b'\t') | (b.wrapping_sub(32) < 95))
    });
    if printable {
        return Ok(());
    }
    textstring_octets(text)
}

/// [`textstring`] octet by octet: the exact rule, and where it is broken.
fn textstring_octets(text: &[u8]) -> Result<(), usize> {
    let mut i = 0;
    while let Some(&b) = text.get(i) {
        if b == b'\t' || (32..=126).contains(&b) {
            i += 1;
        } else {
            match utf8_non_ascii(text.get(i..).unwrap_or_default()) {
                Some(n) => i += n,
                None => return Err(i),
            }
        }
    }
    Ok(())
}

/// One reply line without its CRLF: the code, whether more lines follow (`-`), and the text
/// after the separator (empty for a code-only line).
pub(crate) fn reply_line(input: &[u8]) -> PResult<'_, (u16, bool, &[u8])> {
    let (rest, code) = reply_code(input)?;
    let (more, text) = match rest {
        [] => (false, rest),
        [b'-', text @ ..] => (true, text),
        [b' ', text @ ..] if !text.is_empty() => (false, text),
        // RFC 4954 §4: `continue-req = "334" SP [base64] CRLF`, an empty challenge.
        [b' '] if code == 334 => (false, &[][..]),
        [b' '] => {
            return fail(
                &[],
                "textstring",
                "text after the SP, or no SP, RFC 5321 §4.2",
            );
        }
        _ => {
            return fail(
                rest,
                "Reply-line",
                "SP, \"-\" or the end of the line after the code, RFC 5321 §4.2",
            );
        }
    };
    if let Err(i) = textstring(text) {
        return fail(
            text.get(i..).unwrap_or_default(),
            "textstring",
            "tab, printable ASCII or UTF-8 in reply text, RFC 5321 §4.2",
        );
    }
    Ok((&[], (code, more, text)))
}

/// `status-code = class "." subject "." detail` (RFC 3463 §2) at the start of `text`, followed
/// by SP or the end; returns the three numbers and the length of the code.
pub(crate) fn status_code(text: &[u8]) -> Option<((u8, u16, u16), usize)> {
    let class = match text.first()? {
        c @ (b'2' | b'4' | b'5') => c - b'0',
        _ => return None,
    };
    let mut i = 1;
    let mut nums = [0u16; 2];
    for n in &mut nums {
        if text.get(i) != Some(&b'.') {
            return None;
        }
        i += 1;
        let digits = text
            .get(i..)?
            .iter()
            .take(4)
            .take_while(|b| b.is_ascii_digit())
            .count();
        if digits == 0 || digits > 3 {
            return None;
        }
        *n = text
            .get(i..i + digits)?
            .iter()
            .fold(0, |v, d| v * 10 + u16::from(d - b'0'));
        i += digits;
    }
    match text.get(i) {
        None | Some(b' ') => Some(((class, nums[0], nums[1]), i)),
        Some(_) => None,
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    proptest::proptest! {
        /// The vectorised ASCII check answers as the octet-by-octet rule does.
        #[test]
        fn textstring_fast_path_is_the_rule(
            text in proptest::collection::vec(
                proptest::prop_oneof![
                    8 => 32u8..127,
                    1 => proptest::prelude::any::<u8>(),
                    1 => proptest::sample::select(vec![9u8, 0, 10, 13, 127, 0xc3, 0xa9]),
                ],
                0..80,
            )
        ) {
            proptest::prop_assert_eq!(textstring(&text), textstring_octets(&text));
        }
    }

    #[test]
    fn reply_lines() {
        assert_eq!(reply_line(b"250 OK").unwrap().1, (250, false, &b"OK"[..]));
        assert_eq!(reply_line(b"250-a b").unwrap().1, (250, true, &b"a b"[..]));
        assert_eq!(reply_line(b"250-").unwrap().1, (250, true, &b""[..]));
        assert_eq!(reply_line(b"554").unwrap().1, (554, false, &b""[..]));
        assert_eq!(
            reply_line("250 é\tok".as_bytes()).unwrap().1.2,
            "é\tok".as_bytes()
        );
        assert!(reply_line(b"250 ").is_err());
        assert!(reply_line(b"250x").is_err());
        assert!(reply_line(b"25").is_err());
        assert!(reply_line(b"199 x").is_err());
        assert!(reply_line(b"260 x").is_err());
        assert!(reply_line(b"600 x").is_err());
        assert!(reply_line(b"250 a\0b").is_err());
        assert!(reply_line(b"250 a\xffb").is_err());
        assert!(reply_line(b"2500").is_err());
    }

    #[test]
    fn status_codes() {
        assert_eq!(status_code(b"2.1.0 ok"), Some(((2, 1, 0), 5)));
        assert_eq!(status_code(b"5.7.123"), Some(((5, 7, 123), 7)));
        assert_eq!(status_code(b"3.1.0 x"), None);
        assert_eq!(status_code(b"2.1.0x"), None);
        assert_eq!(status_code(b"2.1000.0"), None);
        assert_eq!(status_code(b"2..0"), None);
        assert_eq!(status_code(b"2.1"), None);
    }
}
