//! `Content-Length = 1*DIGIT` (RFC 9110 §8.6).

use super::{TypedError, syntax};

/// A Content-Length value: the body's length in bytes. A list of identical values (`5, 5`) is
/// the one value, as RFC 9112 §6.3 item 5 allows; differing values are refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ContentLength(pub u64);

impl ContentLength {
    /// Parses a Content-Length value: digits only, no sign, no overflow.
    pub fn decode(value: &[u8]) -> Result<ContentLength, TypedError> {
        crate::h1::message_body::content_length(value, 0)
            .map(ContentLength)
            .map_err(|_| {
                syntax(
                    "Content-Length",
                    0,
                    "Content-Length must be 1*DIGIT within 64 bits, RFC 9110 §8.6",
                )
            })
    }

    /// Appends the decimal digits.
    pub fn encode(&self, dst: &mut Vec<u8>) {
        dst.extend_from_slice(self.0.to_string().as_bytes());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn digits_only() {
        assert_eq!(ContentLength::decode(b"42"), Ok(ContentLength(42)));
        assert_eq!(ContentLength::decode(b"7, 7"), Ok(ContentLength(7)));
        for bad in [
            &b""[..],
            b"+1",
            b"-1",
            b"1 2",
            b"0x1",
            b"1,2",
            b"18446744073709551616",
        ] {
            assert!(ContentLength::decode(bad).is_err(), "{bad:?}");
        }
    }
}
