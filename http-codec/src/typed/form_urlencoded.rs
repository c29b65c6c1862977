//! `application/x-www-form-urlencoded`, WHATWG URL Standard §5: the format of HTML form bodies
//! and of most query strings.
//!
//! Parsing (§5.1): split on `&`, skip empty sequences, split each at its first `=` (a sequence
//! without one is a name with an empty value), turn `+` into a space, then percent-decode.
//! Serializing (§5.2): percent-encode everything but ASCII alphanumerics and `*-._`, write a
//! space as `+`, join `name=value` pairs with `&`.
//!
//! Names and values are bytes: the standard decodes them as UTF-8 afterwards, a step left to the
//! caller, who may know the form's charset.

use super::percent::{pct_encoded, push_pct};
use super::{TypedError, syntax};

/// A decoded form: (name, value) pairs in order, duplicates kept.
pub type Pairs = Vec<(Vec<u8>, Vec<u8>)>;

/// Parses a form (WHATWG URL §5.1), strictly: a `%` not followed by two hex digits is a
/// [`TypedError::Syntax`] at the `%`, where the standard would keep it as a literal `%` (see
/// [`decode_lenient`]). Strict is the default because a stray `%` usually means the sender
/// forgot to encode, and the value it meant is then a guess.
pub fn decode(input: &[u8]) -> Result<Pairs, TypedError> {
    parse(input, true)
}

/// Parses a form exactly as WHATWG URL §5.1 does: never fails, a malformed `%` stays a literal
/// `%` byte. Use it where browsers' behaviour must be matched.
pub fn decode_lenient(input: &[u8]) -> Pairs {
    // With strict = false nothing can fail.
    parse(input, false).unwrap_or_default()
}

fn parse(input: &[u8], strict: bool) -> Result<Pairs, TypedError> {
    let mut out = Vec::new();
    let mut start = 0;
    for sequence in input.split(|&b| b == b'&') {
        let at = start;
        start += sequence.len() + 1;
        if sequence.is_empty() {
            continue;
        }
        let (name, value, value_at) = match sequence.iter().position(|&b| b == b'=') {
            Some(eq) => (
                sequence.get(..eq).unwrap_or_default(),
                sequence.get(eq + 1..).unwrap_or_default(),
                at + eq + 1,
            ),
            None => (sequence, &b""[..], at + sequence.len()),
        };
        out.push((
            unescape(name, at, strict)?,
            unescape(value, value_at, strict)?,
        ));
    }
    Ok(out)
}

/// `+` to space, then percent-decoding (WHATWG URL §5.1 step 3.4-3.5); `at` is where `bytes`
/// starts in the whole input, for error offsets.
fn unescape(bytes: &[u8], at: usize, strict: bool) -> Result<Vec<u8>, TypedError> {
    let mut out = Vec::with_capacity(bytes.len());
    let mut pos = 0;
    while let Some(&b) = bytes.get(pos) {
        match b {
            b'+' => {
                out.push(b' ');
                pos += 1;
            }
            b'%' => match pct_encoded(bytes, pos) {
                Some(decoded) => {
                    out.push(decoded);
                    pos += 3;
                }
                None if strict => {
                    return Err(syntax(
                        "percent-encoded byte",
                        at + pos,
                        "\"%\" must be followed by two hex digits, WHATWG URL §1.3, RFC 3986 §2.1",
                    ));
                }
                None => {
                    out.push(b'%');
                    pos += 1;
                }
            },
            _ => {
                out.push(b);
                pos += 1;
            }
        }
    }
    Ok(out)
}

/// Serializes pairs (WHATWG URL §5.2); [`decode`] gives them back.
pub fn encode<N, V>(pairs: &[(N, V)], dst: &mut Vec<u8>)
where
    N: AsRef<[u8]>,
    V: AsRef<[u8]>,
{
    for (i, (name, value)) in pairs.iter().enumerate() {
        if i > 0 {
            dst.push(b'&');
        }
        serialize_bytes(name.as_ref(), dst);
        dst.push(b'=');
        serialize_bytes(value.as_ref(), dst);
    }
}

/// The urlencoded byte serializer, WHATWG URL §5.2.
fn serialize_bytes(bytes: &[u8], dst: &mut Vec<u8>) {
    for &b in bytes {
        match b {
            b' ' => dst.push(b'+'),
            b'*' | b'-' | b'.' | b'_' => dst.push(b),
            _ if b.is_ascii_alphanumeric() => dst.push(b),
            _ => push_pct(b, dst),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pairs(list: &[(&str, &str)]) -> Pairs {
        list.iter()
            .map(|(n, v)| (n.as_bytes().to_vec(), v.as_bytes().to_vec()))
            .collect()
    }

    #[test]
    fn parses() {
        assert_eq!(
            decode(b"a=1&b=two+words&c=%26%3D").unwrap(),
            pairs(&[("a", "1"), ("b", "two words"), ("c", "&=")])
        );
        assert_eq!(decode(b"a=b=c").unwrap(), pairs(&[("a", "b=c")]));
        assert_eq!(
            decode(b"flag&x=").unwrap(),
            pairs(&[("flag", ""), ("x", "")])
        );
        assert_eq!(decode(b"=").unwrap(), pairs(&[("", "")]));
        assert_eq!(decode(b"%2B=+").unwrap(), pairs(&[("+", " ")]));
        assert_eq!(
            decode(b"a=1&a=2").unwrap(),
            pairs(&[("a", "1"), ("a", "2")])
        );
    }

    #[test]
    fn empty_sequences_skipped() {
        assert_eq!(decode(b"").unwrap(), pairs(&[]));
        assert_eq!(decode(b"&&").unwrap(), pairs(&[]));
        assert_eq!(
            decode(b"&a=1&&b=2&").unwrap(),
            pairs(&[("a", "1"), ("b", "2")])
        );
    }

    #[test]
    fn strict_and_lenient_percent() {
        assert!(matches!(
            decode(b"a=1&b=%zz"),
            Err(TypedError::Syntax { offset: 6, .. })
        ));
        assert!(matches!(
            decode(b"x%4"),
            Err(TypedError::Syntax { offset: 1, .. })
        ));
        assert_eq!(
            decode_lenient(b"a=1&b=%zz%4"),
            pairs(&[("a", "1"), ("b", "%zz%4")])
        );
        assert_eq!(decode_lenient(b"a=%41"), pairs(&[("a", "A")]));
    }

    #[test]
    fn serializes() {
        let mut v = Vec::new();
        encode(&pairs(&[("a b", "1+1=2"), ("é", "*-._~!")]), &mut v);
        assert_eq!(v, b"a+b=1%2B1%3D2&%C3%A9=*-._%7E%21");
        assert_eq!(
            decode(&v).unwrap(),
            pairs(&[("a b", "1+1=2"), ("é", "*-._~!")])
        );
        let mut v = Vec::new();
        encode::<&str, &str>(&[], &mut v);
        assert!(v.is_empty());
    }
}
