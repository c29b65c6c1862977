//! The Huffman code of HPACK string literals (RFC 7541 §5.2, Appendix B), both ways.
//!
//! Appendix B is a canonical Huffman code (its own words, after the CANONICAL reference): the codes follow
//! from the code lengths alone, assigned in order of length and then of symbol. So the one
//! table typed in here is [`CODE_LENGTHS`], transcribed from Appendix B; [`CODES`] is computed
//! from it at compile time (and checked against Appendix B's hex column in the tests), and so
//! is the decoder's state machine:
//!
//! - its states are the 256 internal nodes of the code tree (257 leaves), the root being
//!   "between symbols";
//! - a table of 256 × 16 entries gives, for a state and 4 bits, the next state and the symbol
//!   completed on the way, if any (the shortest code is 5 bits, so at most one), or refuses the
//!   step if it completes EOS; two such steps are composed into the table the decoder uses,
//!   256 × 256 entries for a state and a whole octet (up to two symbols each);
//! - at the end, the state says what the trailing bits were: a prefix of EOS (all ones) of at
//!   most 7 bits is padding; more than 7 ones, or a partial code that is not all ones, is an
//!   error (§5.2).
//!
//! The encoder keeps up to 61 bits in a `u64` and writes them 32 at a time.

use bytes::BufMut;

use super::error::{Error, ErrorKind};

/// The length in bits of the code of each symbol: octets 0 to 255, then EOS (256), from the
/// `len` column of RFC 7541 Appendix B.
#[rustfmt::skip]
pub const CODE_LENGTHS: [u8; 257] = [
    // 0-15
    13, 23, 28, 28, 28, 28, 28, 28, 28, 24, 30, 28, 28, 30, 28, 28,
    // 16-31
    28, 28, 28, 28, 28, 28, 30, 28, 28, 28, 28, 28, 28, 28, 28, 28,
    // 32-47: ' ' ! " # $ % & ' ( ) * + , - . /
    6, 10, 10, 12, 13, 6, 8, 11, 10, 10, 8, 11, 8, 6, 6, 6,
    // 48-63: 0-9 : ; < = > ?
    5, 5, 5, 6, 6, 6, 6, 6, 6, 6, 7, 8, 15, 6, 12, 10,
    // 64-79: @ A-O
    13, 6, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7,
    // 80-95: P-Z [ \ ] ^ _
    7, 7, 7, 7, 7, 7, 7, 7, 8, 7, 8, 13, 19, 13, 14, 6,
    // 96-111: ` a-o
    15, 5, 6, 5, 6, 5, 6, 6, 6, 5, 7, 7, 6, 6, 6, 5,
    // 112-127: p-z { | } ~ DEL
    6, 7, 6, 5, 5, 6, 7, 7, 7, 7, 7, 15, 11, 14, 13, 28,
    // 128-143
    20, 22, 20, 20, 22, 22, 22, 23, 22, 23, 23, 23, 23, 23, 24, 23,
    // 144-159
    24, 24, 22, 23, 24, 23, 23, 23, 23, 21, 22, 23, 22, 23, 23, 24,
    // 160-175
    22, 21, 20, 22, 22, 23, 23, 21, 23, 22, 22, 24, 21, 22, 23, 23,
    // 176-191
    21, 21, 22, 21, 23, 22, 23, 23, 20, 22, 22, 22, 23, 22, 22, 23,
    // 192-207
    26, 26, 20, 19, 22, 23, 22, 25, 26, 26, 26, 27, 27, 26, 24, 25,
    // 208-223
    19, 21, 26, 27, 27, 26, 27, 24, 21, 21, 26, 26, 28, 27, 27, 27,
    // 224-239
    20, 24, 20, 21, 22, 21, 21, 23, 22, 22, 25, 25, 24, 24, 26, 23,
    // 240-255
    26, 27, 26, 26, 27, 27, 27, 27, 27, 28, 27, 27, 27, 27, 27, 26,
    // EOS
    30,
];

/// The code of each symbol (octets 0 to 255, then EOS), right-aligned (RFC 7541 Appendix B):
/// the canonical code for
/// [`CODE_LENGTHS`], which is Appendix B's `code as hex` column.
pub const CODES: [u32; 257] = canonical_codes();

/// The EOS symbol (RFC 7541 §5.2): never valid inside a string.
const EOS: u16 = 256;

/// Assigns canonical codes: by increasing length, then by symbol, each code one more than the
/// previous, shifted left when the length grows.
#[allow(clippy::indexing_slicing)] // const evaluation: an index out of range fails the build
const fn canonical_codes() -> [u32; 257] {
    let mut codes = [0u32; 257];
    let mut code: u32 = 0;
    let mut previous_len: u8 = 0;
    let mut len: u8 = 1;
    while len <= 30 {
        let mut sym = 0;
        while sym < 257 {
            if CODE_LENGTHS[sym] == len {
                code <<= len - previous_len;
                previous_len = len;
                codes[sym] = code;
                code += 1;
            }
            sym += 1;
        }
        len += 1;
    }
    codes
}

/// A child in the code tree: an internal node's number, or `LEAF | symbol`.
const LEAF: u16 = 0x8000;

/// The code tree: two children per internal node (node 0 is the root), the depth of each node
/// and whether the path to it is all ones (a prefix of EOS, valid as padding).
struct Tree {
    children: [[u16; 2]; 256],
    depth: [u8; 256],
    all_ones: [bool; 256],
}

#[allow(clippy::indexing_slicing)] // const evaluation: an index out of range fails the build
const fn build_tree() -> Tree {
    let mut tree = Tree {
        children: [[0; 2]; 256],
        depth: [0; 256],
        all_ones: [false; 256],
    };
    tree.all_ones[0] = true;
    let mut next = 1usize;
    let mut sym = 0usize;
    while sym < 257 {
        let len = CODE_LENGTHS[sym] as u32;
        let code = CODES[sym];
        let mut node = 0usize;
        let mut i = len;
        while i > 1 {
            i -= 1;
            let bit = ((code >> i) & 1) as usize;
            if tree.children[node][bit] == 0 {
                // Node 0 is the root, never a child: 0 means "not made yet". A 257th internal
                // node would index past the arrays and stop the build.
                tree.children[node][bit] = next as u16;
                tree.depth[next] = tree.depth[node] + 1;
                tree.all_ones[next] = tree.all_ones[node] && bit == 1;
                next += 1;
            }
            node = tree.children[node][bit] as usize;
        }
        tree.children[node][(code & 1) as usize] = LEAF | sym as u16;
        sym += 1;
    }
    tree
}

const TREE: Tree = build_tree();

/// A transition entry: bits 0-7 the next state, 8-15 the symbol completed, bit 16 set when a
/// symbol was completed, bit 17 set when the step completed EOS (refused).
const EMIT: u32 = 1 << 16;
const FAIL: u32 = 1 << 17;

#[allow(clippy::indexing_slicing)] // const evaluation: an index out of range fails the build
const fn build_transitions() -> [u32; 256 * 16] {
    let mut table = [0u32; 256 * 16];
    let mut state = 0usize;
    while state < 256 {
        let mut nibble = 0usize;
        while nibble < 16 {
            let mut node = state;
            let mut entry = 0u32;
            let mut k = 4;
            while k > 0 {
                k -= 1;
                let child = TREE.children[node][(nibble >> k) & 1];
                if child & LEAF != 0 {
                    let sym = child & !LEAF;
                    if sym == EOS {
                        entry |= FAIL;
                        break;
                    }
                    entry |= EMIT | ((sym as u32) << 8);
                    node = 0;
                } else {
                    node = child as usize;
                }
            }
            table[state * 16 + nibble] = entry | node as u32;
            nibble += 1;
        }
        state += 1;
    }
    table
}

/// The state machine 4 bits per step (16 KiB): what the 8-bit table is composed from.
const NIBBLE_TRANSITIONS: [u32; 256 * 16] = build_transitions();

/// An 8-bit entry: bits 0-7 the next state, 8-15 the first symbol completed, 16-23 the second
/// (a byte can finish one code and a whole 5-bit one), bits 24-25 how many were completed, bit
/// 26 set when the step completed EOS (refused).
const BYTE_FAIL: u32 = 1 << 26;

/// Composes two 4-bit steps into one 8-bit step for every state and octet.
#[allow(clippy::indexing_slicing)] // const evaluation: an index out of range fails the build
const fn build_byte_transitions() -> [u32; 256 * 256] {
    let mut table = [0u32; 256 * 256];
    let mut state = 0usize;
    while state < 256 {
        let mut octet = 0usize;
        while octet < 256 {
            let high = NIBBLE_TRANSITIONS[state * 16 + (octet >> 4)];
            let mut entry = BYTE_FAIL;
            if high & FAIL == 0 {
                let low = NIBBLE_TRANSITIONS[(high & 0xff) as usize * 16 + (octet & 0x0f)];
                if low & FAIL == 0 {
                    let mut count = 0u32;
                    entry = low & 0xff;
                    if high & EMIT != 0 {
                        entry |= high & 0xff00;
                        count = 1;
                    }
                    if low & EMIT != 0 {
                        entry |= (low & 0xff00) << (8 * count);
                        count += 1;
                    }
                    entry |= count << 24;
                }
            }
            table[state * 256 + octet] = entry;
            octet += 1;
        }
        state += 1;
    }
    table
}

/// The decoder's state machine, 8 bits per step: one lookup per input octet (256 KiB, of which
/// header text touches the few shallow states).
static TRANSITIONS: [u32; 256 * 256] = build_byte_transitions();

/// Appends the Huffman coding of `input` to `dst`, padded to an octet with the most
/// significant bits of EOS (RFC 7541 §5.2).
///
/// ```
/// use http_codec::h2::hpack::huffman;
/// let mut out = Vec::new();
/// huffman::encode(b"www.example.com", &mut out);
/// // RFC 7541 C.4.1
/// assert_eq!(out, [0xf1, 0xe3, 0xc2, 0xe5, 0xf2, 0x3a, 0x6b, 0xa0, 0xab, 0x90, 0xf4, 0xff]);
/// ```
pub fn encode(input: &[u8], dst: &mut impl BufMut) {
    let mut acc: u64 = 0;
    let mut bits: u32 = 0;
    for &octet in input {
        let code = CODES.get(usize::from(octet)).copied().unwrap_or(0);
        let len = u32::from(CODE_LENGTHS.get(usize::from(octet)).copied().unwrap_or(0));
        acc = (acc << len) | u64::from(code);
        bits += len;
        if bits >= 32 {
            bits -= 32;
            dst.put_u32((acc >> bits) as u32);
        }
    }
    while bits >= 8 {
        bits -= 8;
        dst.put_u8((acc >> bits) as u8);
    }
    if bits > 0 {
        dst.put_u8(((acc << (8 - bits)) as u8) | (0xff >> bits));
    }
}

/// The length of the Huffman coding of `input`, padding included (RFC 7541 §5.2).
pub fn encoded_len(input: &[u8]) -> usize {
    let bits: usize = input
        .iter()
        .map(|&o| usize::from(CODE_LENGTHS.get(usize::from(o)).copied().unwrap_or(0)))
        .sum();
    bits.div_ceil(8)
}

/// Appends the decoding of the Huffman-coded `input` to `dst` (RFC 7541 §5.2). Refuses EOS
/// inside the string, padding longer than 7 bits and padding that is not all ones; error
/// offsets count from the start of `input`.
///
/// ```
/// use http_codec::h2::hpack::huffman;
/// let mut out = Vec::new();
/// huffman::decode(&[0xa8, 0xeb, 0x10, 0x64, 0x9c, 0xbf], &mut out)?;
/// assert_eq!(out, b"no-cache");
/// assert!(huffman::decode(&[0xff, 0xff, 0xff, 0xff], &mut out).is_err()); // EOS
/// # Ok::<(), http_codec::h2::hpack::Error>(())
/// ```
pub fn decode(input: &[u8], dst: &mut Vec<u8>) -> Result<(), Error> {
    match decode_limited(input, dst, usize::MAX) {
        Ok(()) => Ok(()),
        Err(Failure::Invalid(e)) => Err(e),
        // Unreachable with no limit: the output never passes usize::MAX.
        Err(Failure::Limit) => Err(Error::at(input.len(), ErrorKind::HuffmanPaddingNotOnes)),
    }
}

/// Why [`decode_limited`] stopped.
#[derive(Debug)]
pub(crate) enum Failure {
    /// The input is not a valid Huffman string (§5.2).
    Invalid(Error),
    /// The output passed the limit.
    Limit,
}

/// [`decode`] that stops as soon as `dst` holds more than `limit` octets.
pub(crate) fn decode_limited(input: &[u8], dst: &mut Vec<u8>, limit: usize) -> Result<(), Failure> {
    // At most 8 output symbols for 5 input octets.
    let start = dst.len();
    dst.reserve((input.len() * 8 / 5).min(limit.saturating_add(1)));
    let mut state = 0usize;
    for (i, &octet) in input.iter().enumerate() {
        let entry = TRANSITIONS
            .get(state << 8 | usize::from(octet))
            .copied()
            .unwrap_or(BYTE_FAIL);
        if entry & BYTE_FAIL != 0 {
            return Err(Failure::Invalid(Error::at(i, ErrorKind::HuffmanEos)));
        }
        let count = entry >> 24;
        if count != 0 {
            dst.push((entry >> 8) as u8);
            if count == 2 {
                dst.push((entry >> 16) as u8);
            }
            if dst.len() - start > limit {
                return Err(Failure::Limit);
            }
        }
        state = (entry & 0xff) as usize;
    }
    let ones = TREE.all_ones.get(state).copied().unwrap_or(false);
    let depth = TREE.depth.get(state).copied().unwrap_or(u8::MAX);
    let last = input.len().saturating_sub(1);
    if !ones {
        return Err(Failure::Invalid(Error::at(
            last,
            ErrorKind::HuffmanPaddingNotOnes,
        )));
    }
    if depth > 7 {
        return Err(Failure::Invalid(Error::at(
            last,
            ErrorKind::HuffmanPaddingTooLong,
        )));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::indexing_slicing)]
    use super::*;

    fn enc(s: &[u8]) -> Vec<u8> {
        let mut out = Vec::new();
        encode(s, &mut out);
        assert_eq!(out.len(), encoded_len(s));
        out
    }

    fn dec(s: &[u8]) -> Result<Vec<u8>, ErrorKind> {
        let mut out = Vec::new();
        decode(s, &mut out).map(|()| out).map_err(|e| e.kind)
    }

    #[test]
    fn codes_match_appendix_b() {
        // Spot checks against the `code as hex` column, across every length.
        let rows: [(usize, u32, u8); 24] = [
            (0, 0x1ff8, 13),
            (1, 0x7f_ffd8, 23),
            (9, 0xff_ffea, 24),
            (10, 0x3fff_fffc, 30),
            (22, 0x3fff_fffe, 30),
            (32, 0x14, 6),
            (33, 0x3f8, 10),
            (39, 0x7fa, 11),
            (48, 0x0, 5),
            (58, 0x5c, 7),
            (60, 0x7ffc, 15),
            (88, 0xfc, 8),
            (92, 0x7fff0, 19),
            (94, 0x3ffc, 14),
            (122, 0x7b, 7),
            (127, 0xfff_fffc, 28),
            (128, 0xf_ffe6, 20),
            (153, 0x1f_ffdc, 21),
            (199, 0x1ff_ffec, 25),
            (203, 0x7ff_ffde, 27),
            (220, 0xfff_fffd, 28),
            (249, 0xfff_fffe, 28),
            (255, 0x3ff_ffee, 26),
            (256, 0x3fff_ffff, 30),
        ];
        for (sym, code, len) in rows {
            assert_eq!((CODES[sym], CODE_LENGTHS[sym]), (code, len), "symbol {sym}");
        }
        // A prefix code: Kraft's sum is exactly 1.
        let kraft: u64 = CODE_LENGTHS.iter().map(|&l| 1u64 << (30 - l)).sum();
        assert_eq!(kraft, 1 << 30);
    }

    #[test]
    fn rfc_strings() {
        let cases: [(&[u8], &[u8]); 6] = [
            (
                b"www.example.com",
                &[
                    0xf1, 0xe3, 0xc2, 0xe5, 0xf2, 0x3a, 0x6b, 0xa0, 0xab, 0x90, 0xf4, 0xff,
                ],
            ),
            (b"no-cache", &[0xa8, 0xeb, 0x10, 0x64, 0x9c, 0xbf]),
            (
                b"custom-key",
                &[0x25, 0xa8, 0x49, 0xe9, 0x5b, 0xa9, 0x7d, 0x7f],
            ),
            (
                b"custom-value",
                &[0x25, 0xa8, 0x49, 0xe9, 0x5b, 0xb8, 0xe8, 0xb4, 0xbf],
            ),
            (b"302", &[0x64, 0x02]),
            (b"gzip", &[0x9b, 0xd9, 0xab]),
        ];
        for (plain, coded) in cases {
            assert_eq!(enc(plain), coded);
            assert_eq!(dec(coded).unwrap(), plain);
        }
    }

    #[test]
    fn every_octet() {
        let all: Vec<u8> = (0..=255).collect();
        assert_eq!(dec(&enc(&all)).unwrap(), all);
        for o in 0..=255u8 {
            assert_eq!(dec(&enc(&[o])).unwrap(), [o]);
            assert_eq!(dec(&enc(&[o, o, o])).unwrap(), [o, o, o]);
        }
        assert_eq!(dec(&[]).unwrap(), b"");
    }

    #[test]
    fn eos_refused() {
        // EOS alone (30 ones) and after a symbol.
        assert_eq!(dec(&[0xff, 0xff, 0xff, 0xff]), Err(ErrorKind::HuffmanEos));
        // '0' (00000) then 30 ones, then padding: 00000111 11111111 11111111 11111111 11111...
        assert_eq!(
            dec(&[0x07, 0xff, 0xff, 0xff, 0xff]),
            Err(ErrorKind::HuffmanEos)
        );
    }

    #[test]
    fn padding() {
        // 'a' (00011) + 3 ones: valid.
        assert_eq!(dec(&[0x1f]).unwrap(), b"a");
        // 'a' + 3 bits not all ones.
        assert_eq!(dec(&[0x1e]), Err(ErrorKind::HuffmanPaddingNotOnes));
        assert_eq!(dec(&[0x18]), Err(ErrorKind::HuffmanPaddingNotOnes));
        // 'a' + 11 ones: padding longer than 7 bits.
        assert_eq!(dec(&[0x1f, 0xff]), Err(ErrorKind::HuffmanPaddingTooLong));
        // A whole octet of ones alone: 8 bits of padding.
        assert_eq!(dec(&[0xff]), Err(ErrorKind::HuffmanPaddingTooLong));
        // Seven ones after '0' + 'a' + ... : "00000 00011 1111111" is 17 bits; pad to 24.
        // Instead: 'e' (00101) '0' (00000) + 6 ones = 16 bits.
        assert_eq!(dec(&[0x28, 0x3f]).unwrap(), b"e0");
        // '+' (11111111011) then five ones: valid.
        assert_eq!(dec(&[0xff, 0x7f]).unwrap(), b"+");
        // 11111110 is the start of '!' (1111111000): a cut code that is not all ones.
        assert_eq!(dec(&[0xfe]), Err(ErrorKind::HuffmanPaddingNotOnes));
    }

    #[test]
    fn limited() {
        let coded = enc(b"abcdefgh");
        let mut out = Vec::new();
        assert!(matches!(
            decode_limited(&coded, &mut out, 3),
            Err(Failure::Limit)
        ));
        assert!(out.len() <= 3 + 2);
        out.clear();
        assert!(decode_limited(&coded, &mut out, 8).is_ok());
        assert_eq!(out, b"abcdefgh");
    }
}
