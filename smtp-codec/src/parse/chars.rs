//! Character classes of RFC 5321 §4.1.2 and RFC 5322 §3.2.3 (`atext`), with the UTF-8 of
//! RFC 6531 §3.3 (`UTF8-non-ascii`).

/// `Let-dig = ALPHA / DIGIT` (RFC 5321 §4.1.2).
#[inline]
pub(crate) fn is_let_dig(b: u8) -> bool {
    b.is_ascii_alphanumeric()
}

/// `Ldh-str` characters: `ALPHA / DIGIT / "-"` (RFC 5321 §4.1.2).
#[inline]
pub(crate) fn is_ldh(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'-'
}

/// `atext` (RFC 5322 §3.2.3): ALPHA / DIGIT and ``!#$%&'*+-/=?^_`{|}~``.
#[inline]
pub(crate) fn is_atext(b: u8) -> bool {
    matches!(
        b,
        b'a'..=b'z'
            | b'A'..=b'Z'
            | b'0'..=b'9'
            | b'!'
            | b'#'..=b'\''
            | b'*'
            | b'+'
            | b'-'
            | b'/'
            | b'='
            | b'?'
            | b'^'..=b'`'
            | b'{'..=b'~'
    )
}

/// `qtextSMTP = %d32-33 / %d35-91 / %d93-126` (RFC 5321 §4.1.2).
#[inline]
pub(crate) fn is_qtext_smtp(b: u8) -> bool {
    matches!(b, 32..=33 | 35..=91 | 93..=126)
}

/// `dcontent = %d33-90 / %d94-126` (RFC 5321 §4.1.3).
#[inline]
pub(crate) fn is_dcontent(b: u8) -> bool {
    matches!(b, 33..=90 | 94..=126)
}

/// `esmtp-value` characters: `%d33-60 / %d62-126` (RFC 5321 §4.1.2).
#[inline]
pub(crate) fn is_esmtp_value_char(b: u8) -> bool {
    matches!(b, 33..=60 | 62..=126)
}

/// The length of the UTF-8 character of RFC 6531 §3.3 (`UTF8-non-ascii`, RFC 3629 §4) at the
/// start of `input`, or `None` if `input` does not start with one.
pub(crate) fn utf8_non_ascii(input: &[u8]) -> Option<usize> {
    let first = *input.first()?;
    let len = match first {
        0xc2..=0xdf => 2,
        0xe0..=0xef => 3,
        0xf0..=0xf4 => 4,
        _ => return None,
    };
    let bytes = input.get(..len)?;
    std::str::from_utf8(bytes).ok().map(|_| len)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classes() {
        assert!(is_atext(b'+') && !is_atext(b'@') && !is_atext(b' ') && !is_atext(0));
        assert!(is_qtext_smtp(b' ') && !is_qtext_smtp(b'"') && !is_qtext_smtp(b'\\'));
        assert!(is_dcontent(b'a') && !is_dcontent(b'[') && !is_dcontent(b']'));
        assert!(!is_esmtp_value_char(b'=') && !is_esmtp_value_char(b' '));
        assert!(is_ldh(b'-') && !is_let_dig(b'-'));
    }

    #[test]
    fn utf8_characters() {
        assert_eq!(utf8_non_ascii("é".as_bytes()), Some(2));
        assert_eq!(utf8_non_ascii("€x".as_bytes()), Some(3));
        assert_eq!(utf8_non_ascii("😀".as_bytes()), Some(4));
        assert_eq!(utf8_non_ascii(b"a"), None);
        assert_eq!(utf8_non_ascii(b"\xc3"), None);
        assert_eq!(utf8_non_ascii(b"\xc0\x80"), None);
        assert_eq!(utf8_non_ascii(b"\xed\xa0\x80"), None);
    }
}
