//! Percent-encoding of URI components, RFC 3986 §2.1.
//!
//! ```text
//! pct-encoded = "%" HEXDIG HEXDIG
//! unreserved  = ALPHA / DIGIT / "-" / "." / "_" / "~"      ; RFC 3986 §2.3
//! ```
//!
//! Decode a component (a path segment, a query parameter) only after splitting the target into
//! components: decoding first would turn `%2F` into a `/` that then splits a segment
//! (RFC 3986 §2.4).

use std::borrow::Cow;

use super::{TypedError, syntax};

/// The value of a hex digit, either case (RFC 3986 §2.1: HEXDIG is case-insensitive).
pub(crate) fn hex_value(b: u8) -> Option<u8> {
    match b {
        b'0'..=b'9' => Some(b - b'0'),
        b'a'..=b'f' => Some(b - b'a' + 10),
        b'A'..=b'F' => Some(b - b'A' + 10),
        _ => None,
    }
}

/// The decoded byte of the `pct-encoded` at `pos`, if the two bytes after the `%` are hex.
pub(crate) fn pct_encoded(input: &[u8], pos: usize) -> Option<u8> {
    let hi = hex_value(*input.get(pos + 1)?)?;
    let lo = hex_value(*input.get(pos + 2)?)?;
    Some(hi << 4 | lo)
}

/// Percent-decodes a URI component (RFC 3986 §2.1), borrowing when there is nothing to decode.
///
/// Strict: a `%` not followed by two hex digits is a [`TypedError::Syntax`] at the `%`, since
/// RFC 3986 §2.1 makes `%` only ever the start of a pct-encoded triplet. No other byte is
/// checked; the request-target's own grammar has done that. The result is bytes, because
/// nothing in RFC 3986 says they are UTF-8.
pub fn decode(input: &[u8]) -> Result<Cow<'_, [u8]>, TypedError> {
    let Some(first) = memchr::memchr(b'%', input) else {
        return Ok(Cow::Borrowed(input));
    };
    let mut out = Vec::with_capacity(input.len());
    out.extend_from_slice(input.get(..first).unwrap_or_default());
    let mut pos = first;
    while let Some(&b) = input.get(pos) {
        if b == b'%' {
            let byte = pct_encoded(input, pos).ok_or(syntax(
                "pct-encoded",
                pos,
                "\"%\" must be followed by two hex digits, RFC 3986 §2.1",
            ))?;
            out.push(byte);
            pos += 3;
        } else {
            out.push(b);
            pos += 1;
        }
    }
    Ok(Cow::Owned(out))
}

/// Percent-encodes every byte that is not `unreserved` (RFC 3986 §2.3), with uppercase hex as
/// RFC 3986 §2.1 recommends. The result is safe in any component; [`decode`] gives back `input`.
pub fn encode(input: &[u8], dst: &mut Vec<u8>) {
    for &b in input {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            dst.push(b);
        } else {
            push_pct(b, dst);
        }
    }
}

/// Appends `%XX` for `b`, uppercase.
pub(crate) fn push_pct(b: u8, dst: &mut Vec<u8>) {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    dst.push(b'%');
    dst.push(HEX.get(usize::from(b >> 4)).copied().unwrap_or(b'0'));
    dst.push(HEX.get(usize::from(b & 0x0F)).copied().unwrap_or(b'0'));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn borrows_when_nothing_to_decode() {
        assert!(matches!(
            decode(b"/a/b?c=d"),
            Ok(Cow::Borrowed(b"/a/b?c=d"))
        ));
        assert!(matches!(decode(b""), Ok(Cow::Borrowed(b""))));
    }

    #[test]
    fn decodes_both_cases() {
        assert_eq!(decode(b"a%20b").unwrap().as_ref(), b"a b");
        assert_eq!(decode(b"%2f%2F").unwrap().as_ref(), b"//");
        assert_eq!(decode(b"%00%ff%FF").unwrap().as_ref(), b"\x00\xff\xff");
        assert_eq!(decode(b"%25%32%30").unwrap().as_ref(), b"%20");
        // RFC 3986 §2.1 example: %20 is a space... and "+" is not (that is form encoding).
        assert_eq!(decode(b"a+b").unwrap().as_ref(), b"a+b");
        assert_eq!(
            decode("%E2%82%AC".as_bytes()).unwrap().as_ref(),
            "€".as_bytes()
        );
    }

    #[test]
    fn strict_errors_at_the_percent() {
        for (bad, at) in [
            ("%", 0),
            ("%2", 0),
            ("a%zz", 1),
            ("ab%2g", 2),
            ("%20%", 3),
            ("%%20", 0),
            ("%-1", 0),
            ("%+1", 0),
        ] {
            assert_eq!(
                decode(bad.as_bytes()),
                Err(TypedError::Syntax {
                    what: "pct-encoded",
                    offset: at,
                    reason: "\"%\" must be followed by two hex digits, RFC 3986 §2.1"
                }),
                "{bad}"
            );
        }
    }

    #[test]
    fn encodes_all_but_unreserved() {
        let mut v = Vec::new();
        encode(b"aZ09-._~ /?%+\xff", &mut v);
        assert_eq!(v, b"aZ09-._~%20%2F%3F%25%2B%FF");
        assert_eq!(decode(&v).unwrap().as_ref(), b"aZ09-._~ /?%+\xff");
    }
}
