//! `arbitrary::Arbitrary` for the message types (feature `arbitrary`), for structure-aware
//! fuzzing. Every value it makes is valid: a head encodes, and decodes back equal.
//!
//! Header fields are `Host` (requests) and fields named `X-…`, so that no generated field frames
//! or routes the message (Content-Length, Transfer-Encoding, Connection); a test that wants a
//! body adds its own framing field.

use arbitrary::{Arbitrary, Result, Unstructured};
use bytes::Bytes;

use crate::{Field, Headers, Request, Response, Version};

const TCHARS: &[u8] =
    b"!#$%&'*+-.^_`|~0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
const TARGET_CHARS: &[u8] =
    b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~!$&'()*+,;=:@/?";

/// 1 to `max` bytes, each picked from `alphabet`.
fn picked(u: &mut Unstructured<'_>, alphabet: &[u8], max: usize) -> Result<Vec<u8>> {
    let len = u.int_in_range(1..=max)?;
    (0..len).map(|_| u.choose(alphabet).copied()).collect()
}

/// A field-value (RFC 9110 §5.5): field-vchar with SP / HTAB inside, none at the ends.
fn field_value(u: &mut Unstructured<'_>) -> Result<Vec<u8>> {
    let len = u.int_in_range(0..=32)?;
    let mut v = Vec::with_capacity(len);
    for _ in 0..len {
        let b: u8 = u.arbitrary()?;
        v.push(match b {
            0x21..=0x7E | 0x80..=0xFF => b,
            b'\t' | b' ' => b,
            _ => b'v',
        });
    }
    while v.first().is_some_and(|&b| b == b' ' || b == b'\t') {
        v.remove(0);
    }
    while v.last().is_some_and(|&b| b == b' ' || b == b'\t') {
        v.pop();
    }
    Ok(v)
}

fn x_fields(u: &mut Unstructured<'_>, headers: &mut Headers) -> Result<()> {
    let n = u.int_in_range(0..=8)?;
    for _ in 0..n {
        let mut name = b"X-".to_vec();
        name.extend(picked(u, TCHARS, 12)?);
        let field =
            Field::new(&name, field_value(u)?).map_err(|_| arbitrary::Error::IncorrectFormat)?;
        headers.push(field);
    }
    Ok(())
}

impl<'a> Arbitrary<'a> for Version {
    fn arbitrary(u: &mut Unstructured<'a>) -> Result<Self> {
        Ok(if u.arbitrary()? {
            Version::HTTP_11
        } else {
            Version::HTTP_10
        })
    }
}

impl<'a> Arbitrary<'a> for Field {
    fn arbitrary(u: &mut Unstructured<'a>) -> Result<Self> {
        let name = picked(u, TCHARS, 16)?;
        Field::new(name, field_value(u)?).map_err(|_| arbitrary::Error::IncorrectFormat)
    }
}

impl<'a> Arbitrary<'a> for Headers {
    fn arbitrary(u: &mut Unstructured<'a>) -> Result<Self> {
        let mut headers = Headers::new();
        x_fields(u, &mut headers)?;
        Ok(headers)
    }
}

impl<'a> Arbitrary<'a> for Request {
    fn arbitrary(u: &mut Unstructured<'a>) -> Result<Self> {
        let method = picked(u, TCHARS, 10)?;
        let mut target = b"/".to_vec();
        if u.arbitrary()? {
            target.extend(picked(u, TARGET_CHARS, 40)?);
        }
        let mut request = Request::new(Bytes::from(method), Bytes::from(target));
        request.version = u.arbitrary()?;
        request
            .headers
            .append("Host", "example.com")
            .map_err(|_| arbitrary::Error::IncorrectFormat)?;
        x_fields(u, &mut request.headers)?;
        // CONNECT needs authority-form and OPTIONS * is the only asterisk: keep to origin-form.
        if request.method == "CONNECT" {
            request.method = Bytes::from_static(b"GET");
        }
        Ok(request)
    }
}

impl<'a> Arbitrary<'a> for Response {
    fn arbitrary(u: &mut Unstructured<'a>) -> Result<Self> {
        let mut response = Response::new(u.int_in_range(100..=599)?);
        response.version = u.arbitrary()?;
        if u.arbitrary()? {
            let reason = field_value(u)?;
            response.reason = Bytes::from(reason);
        }
        x_fields(u, &mut response.headers)?;
        Ok(response)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Config;
    use crate::h1::encode::{encode_request_head, encode_response_head};
    use crate::h1::head::{Header, parse_request, parse_response};

    #[test]
    fn arbitrary_heads_encode_and_parse_back() {
        let mut seed = 0x9E37_79B9_7F4A_7C15u64;
        for _ in 0..500 {
            let bytes: Vec<u8> = (0..512)
                .map(|_| {
                    seed ^= seed << 13;
                    seed ^= seed >> 7;
                    seed ^= seed << 17;
                    seed as u8
                })
                .collect();
            let mut u = Unstructured::new(&bytes);
            let request = Request::arbitrary(&mut u).unwrap();
            let mut wire = bytes::BytesMut::new();
            encode_request_head(&request, &mut wire).unwrap();
            let mut h = [Header::EMPTY; 16];
            let (head, len) = parse_request(&wire, &mut h, &Config::default())
                .unwrap()
                .unwrap();
            assert_eq!(len, wire.len());
            assert_eq!(head.method, &request.method[..]);
            assert_eq!(head.headers.len(), request.headers.len());

            let response = Response::arbitrary(&mut u).unwrap();
            let mut wire = bytes::BytesMut::new();
            encode_response_head(&response, &mut wire).unwrap();
            let (head, _) = parse_response(&wire, &mut h, &Config::default())
                .unwrap()
                .unwrap();
            assert_eq!(head.status, response.status);
            assert_eq!(head.reason, &response.reason[..]);
        }
    }
}
