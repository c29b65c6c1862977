//! Integers with an N-bit prefix (RFC 7541 §5.1).
//!
//! ```text
//!   0   1   2   3   4   5   6   7
//! +---+---+---+---+---+---+---+---+
//! | ? | ? | ? | 1   1   1   1   1 |
//! +---+---+---+-------------------+
//! | 1 |    Value-(2^N-1) LSB      |
//! +---+---------------------------+
//!                ...
//! +---+---------------------------+
//! | 0 |    Value-(2^N-1) MSB      |
//! +---+---------------------------+
//! ```
//!
//! Values are bounded to 2^32 - 1 (indexes, lengths and table sizes all fit: SETTINGS values
//! are 32 bits) and encodings to [`MAX_CONTINUATION_OCTETS`] octets after the prefix, so that
//! neither a huge value nor an endless run of `0x80` octets costs more than a few steps.

use bytes::BufMut;

use super::error::{Error, ErrorKind};

/// The most octets that may follow the prefix: five carry 35 bits, enough for any value up to
/// 2^32 - 1 even when the prefix is 1 bit (RFC 7541 §5.1 lets a decoder limit the octet length).
pub const MAX_CONTINUATION_OCTETS: usize = 5;

/// Decodes an integer with a `prefix_bits`-bit prefix (1 to 8; other values are clamped) from
/// the start of `input`, ignoring the bits above the prefix in the first octet. Returns the
/// value and the number of octets read (RFC 7541 §5.1).
///
/// ```
/// use http_codec::h2::hpack::integer;
/// // RFC 7541 C.1.2: 1337 with a 5-bit prefix.
/// assert_eq!(integer::decode(&[0x1f, 0x9a, 0x0a], 5), Ok((1337, 3)));
/// ```
pub fn decode(input: &[u8], prefix_bits: u8) -> Result<(u32, usize), Error> {
    decode_at(input, 0, prefix_bits)
}

/// [`decode`] at `pos` in `block`; returns the value and the position after it; errors carry
/// offsets in `block`.
#[inline]
pub(crate) fn decode_at(block: &[u8], pos: usize, prefix_bits: u8) -> Result<(u32, usize), Error> {
    let Some(&first) = block.get(pos) else {
        return Err(Error::at(pos, ErrorKind::IntegerTruncated));
    };
    let max = prefix_max(prefix_bits);
    let prefix = u32::from(first) & max;
    if prefix < max {
        return Ok((prefix, pos + 1));
    }
    let mut value = u64::from(max);
    let mut shift = 0u32;
    let mut i = pos + 1;
    loop {
        if i - pos > MAX_CONTINUATION_OCTETS {
            return Err(Error::at(i, ErrorKind::IntegerTooLong));
        }
        let Some(&octet) = block.get(i) else {
            return Err(Error::at(i, ErrorKind::IntegerTruncated));
        };
        value += u64::from(octet & 0x7f) << shift;
        if value > u64::from(u32::MAX) {
            return Err(Error::at(i, ErrorKind::IntegerOverflow));
        }
        i += 1;
        shift += 7;
        if octet & 0x80 == 0 {
            return Ok((value as u32, i));
        }
    }
}

/// 2^N - 1 for N clamped to 1..=8.
#[inline]
fn prefix_max(prefix_bits: u8) -> u32 {
    (1u32 << prefix_bits.clamp(1, 8)) - 1
}

/// Appends `value` with a `prefix_bits`-bit prefix (1 to 8; other values are clamped); `flags`
/// gives the bits above the prefix in the first octet (the representation's pattern, such as
/// `0x80` for an indexed field). RFC 7541 §5.1.
///
/// ```
/// use http_codec::h2::hpack::integer;
/// let mut out = Vec::new();
/// integer::encode(1337, 5, 0, &mut out);
/// assert_eq!(out, [0x1f, 0x9a, 0x0a]);
/// ```
pub fn encode(value: u32, prefix_bits: u8, flags: u8, dst: &mut impl BufMut) {
    let max = prefix_max(prefix_bits);
    let flags = flags & !(max as u8);
    if value < max {
        dst.put_u8(flags | value as u8);
        return;
    }
    dst.put_u8(flags | max as u8);
    let mut rest = value - max;
    while rest >= 0x80 {
        dst.put_u8((rest & 0x7f) as u8 | 0x80);
        rest >>= 7;
    }
    dst.put_u8(rest as u8);
}

/// The number of octets [`encode`] writes for `value` (RFC 7541 §5.1).
pub fn encoded_len(value: u32, prefix_bits: u8) -> usize {
    let max = prefix_max(prefix_bits);
    if value < max {
        return 1;
    }
    let mut rest = value - max;
    let mut n = 2;
    while rest >= 0x80 {
        rest >>= 7;
        n += 1;
    }
    n
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::indexing_slicing)]
    use super::*;

    fn roundtrip(value: u32, prefix: u8) {
        let mut out = Vec::new();
        encode(value, prefix, 0, &mut out);
        assert_eq!(out.len(), encoded_len(value, prefix));
        assert_eq!(
            decode(&out, prefix),
            Ok((value, out.len())),
            "{value} /{prefix}"
        );
    }

    #[test]
    fn rfc_examples() {
        // C.1.1: 10 with a 5-bit prefix, the high bits kept from the flags.
        let mut out = Vec::new();
        encode(10, 5, 0xe0, &mut out);
        assert_eq!(out, [0xea]);
        assert_eq!(decode(&[0xea], 5), Ok((10, 1)));
        // C.1.2: 1337 with a 5-bit prefix.
        out.clear();
        encode(1337, 5, 0, &mut out);
        assert_eq!(out, [0x1f, 0x9a, 0x0a]);
        // C.1.3: 42 with an 8-bit prefix.
        out.clear();
        encode(42, 8, 0, &mut out);
        assert_eq!(out, [0x2a]);
        assert_eq!(decode(&[0x2a], 8), Ok((42, 1)));
    }

    #[test]
    fn boundaries() {
        for prefix in 1..=8u8 {
            let max = (1u32 << prefix) - 1;
            for v in [
                0,
                1,
                max - 1,
                max,
                max + 1,
                max + 127,
                max + 128,
                16_383,
                1 << 21,
            ] {
                roundtrip(v, prefix);
            }
            roundtrip(u32::MAX, prefix);
            roundtrip(u32::MAX - 1, prefix);
        }
        // 2^N - 1 itself takes a zero continuation octet.
        let mut out = Vec::new();
        encode(31, 5, 0, &mut out);
        assert_eq!(out, [0x1f, 0x00]);
    }

    #[test]
    fn truncated() {
        assert_eq!(
            decode(&[], 5).unwrap_err().kind,
            ErrorKind::IntegerTruncated
        );
        let e = decode(&[0x1f, 0x9a], 5).unwrap_err();
        assert_eq!((e.offset, e.kind), (2, ErrorKind::IntegerTruncated));
    }

    #[test]
    fn overflow() {
        // 2^32 with a 8-bit prefix: 255 + (2^32 - 255).
        let mut out = Vec::new();
        encode(u32::MAX, 8, 0, &mut out);
        assert_eq!(decode(&out, 8).unwrap().0, u32::MAX);
        // One more than u32::MAX: bump the low continuation octet.
        out[1] += 1;
        let e = decode(&out, 8).unwrap_err();
        assert_eq!(e.kind, ErrorKind::IntegerOverflow);
        assert_eq!(e.section(), "RFC 7541 §5.1");
        let big = [0xff, 0xff, 0xff, 0xff, 0xff, 0x0f];
        assert_eq!(
            decode(&big, 8).unwrap_err().kind,
            ErrorKind::IntegerOverflow
        );
    }

    #[test]
    fn continuation_bound() {
        // Zero-valued continuation octets: 5 allowed, the 6th refused.
        let ok = [0x1f, 0x80, 0x80, 0x80, 0x80, 0x00];
        assert_eq!(decode(&ok, 5), Ok((31, 6)));
        let long = [0x1f, 0x80, 0x80, 0x80, 0x80, 0x80, 0x00];
        let e = decode(&long, 5).unwrap_err();
        assert_eq!((e.offset, e.kind), (6, ErrorKind::IntegerTooLong));
    }

    #[test]
    fn prefix_ignores_high_bits() {
        assert_eq!(decode(&[0xff, 0x00], 4), Ok((15, 2)));
        assert_eq!(decode(&[0xfe], 1), Ok((0, 1)));
    }
}
