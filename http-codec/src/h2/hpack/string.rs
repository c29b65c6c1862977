//! String literals (RFC 7541 §5.2).
//!
//! ```text
//!   0   1   2   3   4   5   6   7
//! +---+---+---+---+---+---+---+---+
//! | H |    String Length (7+)     |
//! +---+---------------------------+
//! |  String Data (Length octets)  |
//! +-------------------------------+
//! ```
//!
//! H set: the data is Huffman-coded ([`super::huffman`]). A literal sent raw is decoded as a
//! slice of the block (no copy); a Huffman one into a new buffer. The encoder uses Huffman only
//! where it is strictly shorter.

use bytes::{BufMut, Bytes};

use super::error::{Error, ErrorKind};
use super::{huffman, integer};

/// Decodes the string literal at the start of `input`: its octets and the number of octets it
/// took (RFC 7541 §5.2).
///
/// ```
/// use bytes::Bytes;
/// use http_codec::h2::hpack::string;
/// let (s, used) = string::decode(&Bytes::from_static(b"\x86\xa8\xeb\x10\x64\x9c\xbf"))?;
/// assert_eq!((&s[..], used), (&b"no-cache"[..], 7));
/// # Ok::<(), http_codec::h2::hpack::Error>(())
/// ```
pub fn decode(input: &Bytes) -> Result<(Bytes, usize), Error> {
    match decode_at(input, 0, usize::MAX) {
        Ok(r) => Ok(r),
        Err(Failure::Invalid(e)) => Err(e),
        // Unreachable with no limit.
        Err(Failure::Limit) => Err(Error::at(0, ErrorKind::HuffmanPaddingNotOnes)),
    }
}

/// Why [`decode_at`] stopped.
pub(crate) enum Failure {
    /// Not a valid literal (§5.1, §5.2).
    Invalid(Error),
    /// The decoded string would be longer than the limit given.
    Limit,
}

impl From<Error> for Failure {
    fn from(e: Error) -> Failure {
        Failure::Invalid(e)
    }
}

/// Where the literal at `pos` in `block` lies: whether it is Huffman-coded, where its octets
/// start and the position after it (RFC 7541 §5.2). Refused with [`Failure::Limit`] when it
/// must decode to more than `limit` octets: a raw one longer than that, a Huffman one whose
/// shortest decoding (30 bits a symbol) is.
#[inline]
fn locate(block: &[u8], pos: usize, limit: usize) -> Result<(bool, usize, usize), Failure> {
    let huffman = block.get(pos).is_some_and(|&b| b & 0x80 != 0);
    let (len, start) = integer::decode_at(block, pos, 7)?;
    let available = block.len() - start;
    let len_usize = len as usize;
    if len_usize > available {
        return Err(Failure::Invalid(Error::at(
            start,
            ErrorKind::StringTruncated {
                length: len,
                available: available as u64,
            },
        )));
    }
    let end = start + len_usize;
    if !huffman {
        if len_usize > limit {
            return Err(Failure::Limit);
        }
        return Ok((false, start, end));
    }
    // Each symbol takes at most 30 bits: a string that must decode past the limit is refused
    // before decoding.
    if len_usize.saturating_mul(8) / 30 > limit {
        return Err(Failure::Limit);
    }
    Ok((true, start, end))
}

/// The literal at `pos` in `block`, refused with [`Failure::Limit`] when it would decode to
/// more than `limit` octets (checked before anything is copied or allocated for a raw literal,
/// and while decoding a Huffman one). Returns the string and the position after it.
#[inline]
pub(crate) fn decode_at(
    block: &Bytes,
    pos: usize,
    limit: usize,
) -> Result<(Bytes, usize), Failure> {
    decode_at_with(block, pos, limit, &mut Vec::new())
}

/// [`decode_at`], decoding a Huffman literal in `scratch` (cleared first, its allocation
/// reused) and returning an exact-size copy: one allocation per Huffman string.
#[inline]
pub(crate) fn decode_at_with(
    block: &Bytes,
    pos: usize,
    limit: usize,
    scratch: &mut Vec<u8>,
) -> Result<(Bytes, usize), Failure> {
    let (huffman, start, end) = locate(block, pos, limit)?;
    if !huffman {
        return Ok((block.slice(start..end), end));
    }
    let data = block.get(start..end).unwrap_or_default();
    scratch.clear();
    match huffman::decode_limited(data, scratch, limit) {
        Ok(()) => Ok((Bytes::copy_from_slice(scratch), end)),
        Err(huffman::Failure::Limit) => Err(Failure::Limit),
        Err(huffman::Failure::Invalid(e)) => Err(Failure::Invalid(e.shifted(start))),
    }
}

/// [`decode_at`] without allocating: a raw literal is a slice of `block`, a Huffman one is
/// decoded into `scratch` (cleared first, its allocation reused).
#[inline]
pub(crate) fn decode_borrowed<'a>(
    block: &'a [u8],
    pos: usize,
    limit: usize,
    scratch: &'a mut Vec<u8>,
) -> Result<(&'a [u8], usize), Failure> {
    let (huffman, start, end) = locate(block, pos, limit)?;
    let data = block.get(start..end).unwrap_or_default();
    if !huffman {
        return Ok((data, end));
    }
    scratch.clear();
    match huffman::decode_limited(data, scratch, limit) {
        Ok(()) => Ok((scratch, end)),
        Err(huffman::Failure::Limit) => Err(Failure::Limit),
        Err(huffman::Failure::Invalid(e)) => Err(Failure::Invalid(e.shifted(start))),
    }
}

/// When the encoder Huffman-codes a string literal (RFC 7541 §5.2).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Hash)]
#[cfg_attr(feature = "arbitrary", derive(arbitrary::Arbitrary))]
#[non_exhaustive]
pub enum Huffman {
    /// Only where the coded string is strictly shorter than the raw one. The default.
    #[default]
    Shorter,
    /// Always, even where it is as long or longer (RFC 7541 C.4 and C.6 code every string, the
    /// 3-octet `307` of C.6.2 included).
    Always,
    /// Never: every string raw (as in RFC 7541 C.2, C.3 and C.5).
    Never,
}

/// Appends `value` as a string literal, Huffman-coded or raw as `huffman` says (RFC 7541 §5.2).
///
/// ```
/// use http_codec::h2::hpack::string::{self, Huffman};
/// let mut out = Vec::new();
/// string::encode(b"no-cache", Huffman::Shorter, &mut out);
/// assert_eq!(out, [0x86, 0xa8, 0xeb, 0x10, 0x64, 0x9c, 0xbf]);
/// out.clear();
/// string::encode(b"no-cache", Huffman::Never, &mut out);
/// assert_eq!(out, b"\x08no-cache");
/// ```
pub fn encode(value: &[u8], huffman: Huffman, dst: &mut impl BufMut) {
    if huffman != Huffman::Never {
        let coded = huffman::encoded_len(value);
        if coded < value.len() || huffman == Huffman::Always {
            integer::encode(coded as u32, 7, 0x80, dst);
            huffman::encode(value, dst);
            return;
        }
    }
    integer::encode(value.len() as u32, 7, 0, dst);
    dst.put_slice(value);
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::indexing_slicing)]
    use super::*;

    fn dec(b: &'static [u8]) -> Result<(Bytes, usize), ErrorKind> {
        decode(&Bytes::from_static(b)).map_err(|e| e.kind)
    }

    #[test]
    fn raw_and_huffman() {
        assert_eq!(
            dec(b"\x0acustom-key").unwrap(),
            (Bytes::from_static(b"custom-key"), 11)
        );
        assert_eq!(dec(b"\x00").unwrap(), (Bytes::new(), 1));
        assert_eq!(dec(b"\x80").unwrap(), (Bytes::new(), 1));
        assert_eq!(
            dec(b"\x83\x9b\xd9\xab!").unwrap(),
            (Bytes::from_static(b"gzip"), 4)
        );
    }

    #[test]
    fn past_the_end() {
        assert_eq!(
            dec(b"\x0aabc"),
            Err(ErrorKind::StringTruncated {
                length: 10,
                available: 3
            })
        );
        assert_eq!(dec(b"\x7f"), Err(ErrorKind::IntegerTruncated));
        // A length near 2^32 with nothing behind it: refused, nothing allocated.
        assert!(matches!(
            dec(b"\x7f\xff\xff\xff\xff\x07"),
            Err(ErrorKind::StringTruncated { .. })
        ));
    }

    #[test]
    fn huffman_errors_carry_block_offsets() {
        let e = decode(&Bytes::from_static(b"\x84\xff\xff\xff\xff")).unwrap_err();
        assert_eq!(e.kind, ErrorKind::HuffmanEos);
        assert!(e.offset >= 1);
    }

    #[test]
    fn huffman_only_when_shorter() {
        let mut out = Vec::new();
        // '&' is 8 bits: no gain, sent raw.
        encode(b"&&", Huffman::Shorter, &mut out);
        assert_eq!(out, b"\x02&&");
        out.clear();
        encode(b"aaaa", Huffman::Shorter, &mut out);
        assert_eq!(out[0] & 0x80, 0x80);
        assert_eq!(
            dec(Box::leak(out.into_boxed_slice())).unwrap().0,
            &b"aaaa"[..]
        );
    }

    #[test]
    fn limit() {
        let b = Bytes::from_static(b"\x05hello");
        assert!(matches!(decode_at(&b, 0, 4), Err(Failure::Limit)));
        assert!(decode_at(&b, 0, 5).is_ok());
        let mut coded = Vec::new();
        encode(&[b'a'; 100], Huffman::Shorter, &mut coded);
        let coded = Bytes::from(coded);
        assert!(matches!(decode_at(&coded, 0, 99), Err(Failure::Limit)));
        assert_eq!(decode_at(&coded, 0, 100).ok().unwrap().0.len(), 100);
    }
}
