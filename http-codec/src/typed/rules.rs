//! The common rule components of RFC 9110 §5.6 (token, quoted-string, OWS) as plain byte loops
//! over a value, returning positions so every error can name its offset.

use super::{TypedError, syntax};
use crate::chars::{is_qdtext, is_quoted_pair_char, is_tchar, is_ws};

/// The end of `OWS` starting at `pos` (RFC 9110 §5.6.3).
pub(crate) fn skip_ows(input: &[u8], mut pos: usize) -> usize {
    while input.get(pos).is_some_and(|&b| is_ws(b)) {
        pos += 1;
    }
    pos
}

/// The end of the `token` starting at `pos` (RFC 9110 §5.6.2); an empty token is an error.
pub(crate) fn token(
    input: &[u8],
    start: usize,
    what: &'static str,
    reason: &'static str,
) -> Result<usize, TypedError> {
    let mut pos = start;
    while input.get(pos).is_some_and(|&b| is_tchar(b)) {
        pos += 1;
    }
    if pos == start {
        return Err(syntax(what, start, reason));
    }
    Ok(pos)
}

/// Whether `bytes` is a non-empty `token` (RFC 9110 §5.6.2).
pub(crate) fn is_token(bytes: &[u8]) -> bool {
    !bytes.is_empty() && bytes.iter().all(|&b| is_tchar(b))
}

/// The `quoted-string` starting at `start` (which must be a DQUOTE), unescaped, and the position
/// after its closing DQUOTE (RFC 9110 §5.6.4).
pub(crate) fn quoted_string(input: &[u8], start: usize) -> Result<(Vec<u8>, usize), TypedError> {
    const WHAT: &str = "quoted-string";
    if input.get(start) != Some(&b'"') {
        return Err(syntax(WHAT, start, "expected DQUOTE, RFC 9110 §5.6.4"));
    }
    let mut out = Vec::new();
    let mut pos = start + 1;
    loop {
        match input.get(pos) {
            None => return Err(syntax(WHAT, pos, "no closing DQUOTE, RFC 9110 §5.6.4")),
            Some(b'"') => return Ok((out, pos + 1)),
            Some(b'\\') => match input.get(pos + 1) {
                Some(&b) if is_quoted_pair_char(b) => {
                    out.push(b);
                    pos += 2;
                }
                _ => {
                    return Err(syntax(
                        "quoted-pair",
                        pos + 1,
                        "a backslash escapes HTAB, SP, VCHAR or obs-text only, RFC 9110 §5.6.4",
                    ));
                }
            },
            Some(&b) if is_qdtext(b) => {
                out.push(b);
                pos += 1;
            }
            Some(_) => {
                return Err(syntax(
                    WHAT,
                    pos,
                    "control character in quoted-string, RFC 9110 §5.6.4",
                ));
            }
        }
    }
}

/// `token / quoted-string` starting at `start` (RFC 9110 §5.6.6 parameter values, RFC 9111 §5.2
/// directive arguments), as text, and the position after it.
///
/// Values are `String`s, so obs-text in a quoted-string is accepted only when it is UTF-8: RFC
/// 9110 §5.6.4 leaves its meaning to the recipient, and UTF-8 is the one reading that keeps the
/// value printable.
pub(crate) fn token_or_quoted(
    input: &[u8],
    start: usize,
    what: &'static str,
    reason: &'static str,
) -> Result<(String, usize), TypedError> {
    if input.get(start) == Some(&b'"') {
        let (bytes, end) = quoted_string(input, start)?;
        let text = String::from_utf8(bytes).map_err(|_| {
            syntax(
                what,
                start,
                "obs-text in a quoted-string that is not UTF-8, RFC 9110 §5.6.4",
            )
        })?;
        Ok((text, end))
    } else {
        let end = token(input, start, what, reason)?;
        // A token is ASCII, so this is lossless.
        let text = String::from_utf8_lossy(input.get(start..end).unwrap_or_default()).into_owned();
        Ok((text, end))
    }
}

/// Appends `value` as a `quoted-string`, escaping only DQUOTE and backslash: RFC 9110 §5.6.4 says
/// a sender SHOULD NOT escape anything else.
pub(crate) fn write_quoted(value: &str, dst: &mut String) {
    dst.push('"');
    for c in value.chars() {
        if c == '"' || c == '\\' {
            dst.push('\\');
        }
        dst.push(c);
    }
    dst.push('"');
}

/// Appends `value` as a token when it is one, else as a quoted-string (RFC 9110 §5.6.6: the two
/// forms are equivalent, and the token form is the one every recipient reads).
pub(crate) fn write_token_or_quoted(value: &str, dst: &mut String) {
    if is_token(value.as_bytes()) {
        dst.push_str(value);
    } else {
        write_quoted(value, dst);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quoted_string_unescapes() {
        let (v, end) = quoted_string(br#""a\"b\\c" x"#, 0).unwrap();
        assert_eq!(v, br#"a"b\c"#);
        assert_eq!(end, 9);
    }

    #[test]
    fn quoted_string_rejects() {
        assert!(quoted_string(b"\"abc", 0).is_err());
        assert!(quoted_string(b"\"a\\", 0).is_err());
        assert!(quoted_string(b"\"a\x01\"", 0).is_err());
        assert!(quoted_string(b"abc", 0).is_err());
    }

    #[test]
    fn token_bounds() {
        assert_eq!(token(b"abc def", 0, "t", "r").unwrap(), 3);
        assert!(token(b" abc", 0, "t", "r").is_err());
        assert!(is_token(b"a!#$"));
        assert!(!is_token(b""));
        assert!(!is_token(b"a b"));
    }

    #[test]
    fn write_forms() {
        let mut s = String::new();
        write_token_or_quoted("utf-8", &mut s);
        s.push(' ');
        write_token_or_quoted("a \"b\"", &mut s);
        s.push(' ');
        write_token_or_quoted("", &mut s);
        assert_eq!(s, r#"utf-8 "a \"b\"" """#);
    }
}
