//! The Huffman code of HPACK string literals (RFC 7541 §5.2, Appendix B), both ways.
//!
//! Appendix B is a canonical Huffman code (its own words, after the CANONICAL reference): the codes follow
//! from the code lengths alone, assigned in order of length and then of symbol. So the one
//! table typed in here is [`CODE_LENGTHS`], transcribed from Appendix B; [`CODES`] is computed
//! from it at compile time (and checked against Appendix B's hex column in the tests), and so
//! are the decoder's tables:
//!
//! - the code tree: 256 internal nodes (257 leaves), with each node's depth and whether the
//!   path to it is all ones (a prefix of EOS);
//! - a lookup table of 2^13 windows (40 KiB, `LOOKUP_BITS`): for the next 13 bits of
//!   input, how many bits the one or two symbols whose codes they hold whole take (8 KiB of
//!   bytes: the only table on the decoder's chain of dependent steps) and those symbols
//!   (32 KiB). Header text codes are 5 to 8 bits, so most lookups yield two symbols; a code
//!   longer than 13 bits (a rare octet, or EOS) goes down the tree bit by bit, as do the last
//!   bits of the input;
//! - at the end, the tree node reached says what the trailing bits were: a prefix of EOS (all
//!   ones) of at most 7 bits is padding; more than 7 ones, or a partial code that is not all
//!   ones, is an error, and so is EOS itself anywhere (§5.2).
//!
//! Each lookup depends on the one before (where a code starts is known only once the codes
//! before it are read), so one stream of lookups waits on the latency of each. A long string
//! is therefore decoded as two streams at once, the second starting at its middle octet as if
//! a code started there: a Huffman code falls back into step within a few codes, and the
//! first stream, on reaching the middle, checks where: the second stream's output counts only
//! from a code boundary both streams agree on (`two_streams`); if they never agree, the
//! first stream decodes the rest itself. Errors are only ever judged by the one stream that
//! reads the input from its start, so they are the same as bit-by-bit decoding's.
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

/// How many bits the fast decoder looks up at once. On header text (the `raw-data` values of
/// hpack-test-case: codes of 5 to 8 bits, 5.9 on average) a 13-bit window completes 1.79
/// symbols per lookup, against 1.63 for 12 bits and 1.94 for 14; the tables take 8 KiB + 32
/// KiB, so the 8 KiB on the dependent path stay in the L1 cache next to everything else.
/// 14 bits measured 3% faster for twice the memory, 12 bits 7% slower.
const LOOKUP_BITS: u32 = 13;

/// Lookups per refill of the bit buffer: a refill leaves at least 56 valid bits, and a
/// lookup takes at most [`LOOKUP_BITS`] of them.
const GROUP: usize = (56 / LOOKUP_BITS) as usize;

/// The fast decoder's tables, one entry per [`LOOKUP_BITS`]-bit window.
struct Lookup {
    /// How many bits the symbols whose codes the window holds whole take (0: the next code
    /// is longer than the window, or is EOS). Kept apart from the symbols so that the table
    /// read on the dependent path is one byte per window.
    bits: [u8; 1 << LOOKUP_BITS],
    /// Those symbols: the first in bits 0-7, the second in bits 8-15, how many in bits 30-31.
    symbols: [u32; 1 << LOOKUP_BITS],
}

#[allow(clippy::indexing_slicing)] // const evaluation: an index out of range fails the build
const fn build_lookup() -> Lookup {
    let mut table = Lookup {
        bits: [0; 1 << LOOKUP_BITS],
        symbols: [0; 1 << LOOKUP_BITS],
    };
    let mut window = 0usize;
    while window < 1 << LOOKUP_BITS {
        let mut node = 0usize;
        let mut symbols = [0u32; 2];
        let mut count = 0usize;
        let mut consumed = 0u32;
        let mut i = 0u32;
        // Two symbols at most: three codes take at least 15 bits.
        while i < LOOKUP_BITS && count < 2 {
            let bit = (window >> (LOOKUP_BITS - 1 - i)) & 1;
            let child = TREE.children[node][bit];
            i += 1;
            if child & LEAF != 0 {
                let sym = child & !LEAF;
                if sym == EOS {
                    // 30 bits: never inside a window; refused by the bit-by-bit path.
                    break;
                }
                symbols[count] = sym as u32;
                count += 1;
                consumed = i;
                node = 0;
            } else {
                node = child as usize;
            }
        }
        table.bits[window] = consumed as u8;
        table.symbols[window] = symbols[0] | symbols[1] << 8 | (count as u32) << 30;
        window += 1;
    }
    table
}

/// The fast decoder's tables (40 KiB), built at compile time.
static LOOKUP: Lookup = build_lookup();

/// What [`walk`] found in the bits it was given.
enum Walk {
    /// A symbol other than EOS, whose code took `bits` bits.
    Symbol { sym: u8, bits: u32 },
    /// EOS, whose code ended after `bits` bits (§5.2: an error).
    Eos { bits: u32 },
    /// No code completed in the bits given: the tree node reached (the input's end).
    Partial { node: usize },
}

/// Decodes one code bit by bit down the tree, from the top `available` bits of `acc`: the
/// path for codes longer than [`LOOKUP_BITS`] and for the last bits of the input.
fn walk(acc: u64, available: u32) -> Walk {
    let mut node = 0usize;
    for i in 0..available.min(64) {
        let bit = ((acc >> (63 - i)) & 1) as usize;
        let child = TREE
            .children
            .get(node)
            .and_then(|c| c.get(bit))
            .copied()
            .unwrap_or(LEAF | EOS);
        if child & LEAF != 0 {
            let sym = child & !LEAF;
            return match u8::try_from(sym) {
                Ok(sym) => Walk::Symbol { sym, bits: i + 1 },
                Err(_) => Walk::Eos { bits: i + 1 },
            };
        }
        node = usize::from(child);
    }
    Walk::Partial { node }
}

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

/// The bit buffer of the fast decoder: `nbits` valid bits at the top of `acc`, the octets
/// after them loaded ahead below (a later load puts the same bits in the same places), and
/// `pos` the first octet of the input not yet counted in `nbits`.
#[derive(Debug, Clone, Copy)]
struct Reader {
    acc: u64,
    nbits: u32,
    pos: usize,
}

impl Reader {
    /// A reader at octet `pos` of the input.
    fn at(pos: usize) -> Reader {
        Reader {
            acc: 0,
            nbits: 0,
            pos,
        }
    }

    /// How many bits of the input were read: the position of the next code.
    fn consumed(&self) -> usize {
        self.pos * 8 - self.nbits as usize
    }

    /// Loads the eight octets at `pos` so that at least 56 bits are valid; false (and
    /// nothing loaded) when fewer than eight octets are left. The load's address was set by
    /// the refill before, so it does not wait for the lookups in between: only the shift by
    /// `nbits` and the `|` are on the lookups' dependent path.
    #[inline(always)]
    fn refill(&mut self, input: &[u8]) -> bool {
        let Some(word) = input.get(self.pos..self.pos + 8) else {
            return false;
        };
        let word = u64::from_be_bytes(<[u8; 8]>::try_from(word).unwrap_or_default());
        self.acc |= word >> self.nbits;
        // `nbits + 8 * take` is 56 plus the low three bits of `nbits`: `nbits | 56`.
        self.pos += ((63 - self.nbits) >> 3) as usize;
        self.nbits |= 56;
        true
    }
}

/// How [`lookups`] ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Stop {
    /// Every lookup completed one or two symbols.
    Done,
    /// The next code is longer than [`LOOKUP_BITS`] (or is EOS): nothing read of it.
    Long,
    /// `out` has no room for `2 * count` more octets at `n`.
    Full,
}

/// Up to `count` lookups of the next [`LOOKUP_BITS`] bits (at most [`GROUP`] after a refill),
/// each writing two octets at `out[n..]` and keeping one or both.
///
/// This is the decoder's critical path: a lookup's window is known only when the bit count
/// of the lookup before is, so each costs a shift, a load of one byte (from the 8 KiB table)
/// and a shift. Everything else (the symbols, the output, the counts) hangs off it.
#[inline(always)]
fn lookups(reader: &mut Reader, out: &mut [u8], n: &mut usize, count: usize) -> Stop {
    // One bounds check for the lot: `k` grows by at most 2 a lookup, so `k + 2` stays
    // within `2 * count` and the writes below are never refused.
    let Some(chunk) = out.get_mut(*n..*n + 2 * count) else {
        return Stop::Full;
    };
    let mut k = 0usize;
    for _ in 0..count {
        let window = (reader.acc >> (64 - LOOKUP_BITS)) as usize;
        let bits = LOOKUP.bits.get(window).copied().unwrap_or(0);
        let entry = LOOKUP.symbols.get(window).copied().unwrap_or(0);
        if bits == 0 {
            *n += k;
            return Stop::Long;
        }
        if let Some(slot) = chunk.get_mut(k..k + 2) {
            let [first, second, _, _] = entry.to_le_bytes();
            slot.copy_from_slice(&[first, second]);
        }
        k += (entry >> 30) as usize;
        // At most LOOKUP_BITS: no overflow.
        reader.acc <<= bits;
        reader.nbits -= u32::from(bits);
    }
    *n += k;
    Stop::Done
}

/// One symbol bit by bit down the tree (a code longer than [`LOOKUP_BITS`]), for the
/// speculative part of [`two_streams`]: false, with nothing read, on EOS, on fewer than 30
/// valid bits or on no room in `out`. The caller refills first.
fn long_code(reader: &mut Reader, out: &mut [u8], n: &mut usize) -> bool {
    match walk(reader.acc, reader.nbits) {
        Walk::Symbol { sym, bits } => {
            let Some(slot) = out.get_mut(*n) else {
                return false;
            };
            *slot = sym;
            *n += 1;
            reader.acc <<= bits;
            reader.nbits -= bits;
            true
        }
        Walk::Eos { .. } | Walk::Partial { .. } => false,
    }
}

/// Inputs from this many octets on are decoded as two streams ([`two_streams`]): the set-up
/// (the second stream's first [`MARKS`] lookups one at a time, the first stream's last codes
/// one at a time, a copy) costs about what it saves at 250 octets of header text; measured,
/// two streams are 1.2x faster at 380 octets, 1.4x at 570 to 760, 1.6x at 1500.
const SPLIT_MIN: usize = 512;

/// How many of its first lookups the second stream of [`two_streams`] notes the position of:
/// the places where the first stream can take its output over. A Huffman code falls back
/// into step within a few codes; 16 lookups are about 30 codes of header text.
const MARKS: usize = 16;

/// The room [`decode_limited`] makes past the largest possible output: the last group of
/// lookups writes `2 * GROUP` octets whatever it keeps.
const SLACK: usize = 2 * GROUP;

/// The room made past the largest possible output for [`two_streams`], which writes its
/// second stream's output after a gap sized for the first stream (its codes up to the last
/// mark: at most 30 bits for each of the [`MARKS`] lookups past the middle).
const SLACK_TWO_STREAMS: usize = 4 * GROUP + 32 * MARKS / 5 + 8;

/// Whether [`decode_into`] starts with [`two_streams`]: a long input whose output cannot
/// pass the limit (so that the speculative stream never has to stop on it).
fn splits(input: &[u8], limit: usize) -> bool {
    input.len() >= SPLIT_MIN && limit >= input.len() * 8 / 5
}

/// Decodes most of a long `input` as two interleaved streams of lookups, whose dependent
/// chains the processor runs side by side; returns the reader and output count to finish
/// from, where one stream alone would have been.
///
/// Stream A reads from the start; stream B from the middle octet, as if a code started there,
/// noting where each of its first [`MARKS`] lookups starts and how much it had written. B's
/// output goes to `out` past a gap left for A's. When A comes near the middle, it goes on one
/// code at a time until its position is one of B's marks: from there B read the codes A
/// would have (a prefix code parses one way from a code boundary), so B's output from that
/// mark on is moved down after A's, and the decoding goes on from where B stopped. If no
/// mark matches (B never fell into step), A goes on alone and B's output is dropped.
///
/// B stops, keeping what it wrote, at EOS or at whatever else it cannot decode, and before
/// the last eight octets: only the caller, reading on from A's or B's position, judges the
/// input, so errors and their offsets are those of one stream. Only called when the output
/// cannot pass the caller's limit.
fn two_streams(input: &[u8], out: &mut [u8]) -> (Reader, usize) {
    let mut a = Reader::at(0);
    let mut n_a = 0usize;
    let mid = input.len() / 2;
    // A writes at most one octet per 5 bits read, and reads up to the last mark at most.
    let gap = (mid * 8 + 32 * MARKS) / 5 + 2 * GROUP;
    let Some((out_a, out_b)) = out.split_at_mut_checked(gap) else {
        return (a, n_a);
    };
    let mut b = Reader::at(mid);
    let mut n_b = 0usize;
    let mut marks = [(0usize, 0usize); MARKS];
    let mut marked = 0;
    let mut b_live = true;
    for mark in &mut marks {
        if !b.refill(input) {
            b_live = false;
            break;
        }
        *mark = (b.consumed(), n_b);
        marked += 1;
        b_live = match lookups(&mut b, out_b, &mut n_b, 1) {
            Stop::Done => true,
            Stop::Long => long_code(&mut b, out_b, &mut n_b),
            Stop::Full => false,
        };
        if !b_live {
            break;
        }
    }
    // Both streams, group by group, until A is near the middle: at most GROUP lookups and a
    // long code (30 bits) past `a_end`, still before B's first mark.
    let a_end = (mid * 8).saturating_sub(128);
    while a.consumed() <= a_end && a.refill(input) {
        if b_live && b.refill(input) {
            b_live = match lookups(&mut b, out_b, &mut n_b, GROUP) {
                Stop::Done => true,
                Stop::Long => b.refill(input) && long_code(&mut b, out_b, &mut n_b),
                Stop::Full => false,
            };
        } else {
            b_live = false;
        }
        match lookups(&mut a, out_a, &mut n_a, GROUP) {
            Stop::Done => {}
            Stop::Long => {
                if !(a.refill(input) && long_code(&mut a, out_a, &mut n_a)) {
                    return (a, n_a);
                }
            }
            Stop::Full => return (a, n_a),
        }
    }
    // A, one code at a time, until it stands on one of B's marks or has passed them all.
    let marks = marks.get(..marked).unwrap_or_default();
    let mut next_mark = 0;
    loop {
        let p = a.consumed();
        while marks.get(next_mark).is_some_and(|&(at, _)| at < p) {
            next_mark += 1;
        }
        let Some(&(at, written)) = marks.get(next_mark) else {
            return (a, n_a);
        };
        if at == p {
            // B's output from this mark on is A's next output.
            let from = gap + written;
            out.copy_within(from..gap + n_b, n_a);
            return (b, n_a + n_b - written);
        }
        if !a.refill(input) {
            return (a, n_a);
        }
        let window = (a.acc >> (64 - LOOKUP_BITS)) as usize;
        let entry = LOOKUP.symbols.get(window).copied().unwrap_or(0);
        if entry >> 30 == 0 {
            // A long code or EOS: left to the caller.
            return (a, n_a);
        }
        let sym = entry as u8;
        let bits = CODE_LENGTHS.get(usize::from(sym)).copied().unwrap_or(0);
        let Some(slot) = out_a.get_mut(n_a) else {
            return (a, n_a);
        };
        *slot = sym;
        n_a += 1;
        a.acc <<= bits;
        a.nbits -= u32::from(bits);
    }
}

/// Decodes `input` into `out` (which has room for every symbol, plus [`SLACK`], or
/// [`SLACK_TWO_STREAMS`] when the input [`splits`]); returns how
/// many octets were written and the tree node the last bits left (the padding), or how many
/// were written when it stopped and why.
fn decode_into(
    input: &[u8],
    out: &mut [u8],
    limit: usize,
) -> Result<(usize, usize), (usize, Failure)> {
    let eos_at = |n: usize, pos: usize, nbits: u32| {
        // The octet that holds EOS's last bit: `pos` octets loaded, `nbits` of them unread.
        let end_bit = pos * 8 - nbits as usize;
        let e = Error::at(end_bit.saturating_sub(1) / 8, ErrorKind::HuffmanEos);
        (n, Failure::Invalid(e))
    };
    let (mut reader, mut n) = if splits(input, limit) {
        two_streams(input, out)
    } else {
        (Reader::at(0), 0)
    };
    // While eight octets are left: a refill, then GROUP lookups.
    loop {
        if n > limit {
            return Err((n, Failure::Limit));
        }
        if !reader.refill(input) {
            break;
        }
        match lookups(&mut reader, out, &mut n, GROUP) {
            Stop::Done => {}
            Stop::Full => return Err((n, Failure::Limit)),
            Stop::Long => {
                // Judged on at least 30 valid bits, after the limit as before every symbol.
                if n > limit {
                    return Err((n, Failure::Limit));
                }
                if !reader.refill(input) {
                    break;
                }
                match walk(reader.acc, reader.nbits) {
                    Walk::Symbol { sym, bits } => {
                        let Some(slot) = out.get_mut(n) else {
                            return Err((n, Failure::Limit));
                        };
                        *slot = sym;
                        n += 1;
                        reader.acc <<= bits;
                        reader.nbits -= bits;
                    }
                    Walk::Eos { bits } => {
                        return Err(eos_at(n, reader.pos, reader.nbits - bits));
                    }
                    // 30 valid bits always complete a code.
                    Walk::Partial { .. } => break,
                }
            }
        }
    }
    if n > limit {
        return Err((n, Failure::Limit));
    }
    let Reader {
        mut acc,
        mut nbits,
        mut pos,
    } = reader;
    // The last octets, one at a time; the last bits judged bit by bit.
    let end_node = loop {
        // One load of what is left (fewer than 8 octets), zero-padded: the octets past `take`
        // are loaded ahead, as in the loop above, and the padding is never counted.
        let rest = input.get(pos..).unwrap_or_default();
        if !rest.is_empty() && nbits <= 56 {
            let mut word = [0u8; 8];
            for (w, r) in word.iter_mut().zip(rest) {
                *w = *r;
            }
            acc |= u64::from_be_bytes(word) >> nbits;
            let take = ((63 - nbits) / 8).min(rest.len() as u32);
            pos += take as usize;
            nbits += take * 8;
        }
        if nbits == 0 {
            break 0;
        }
        let window = (acc >> (64 - LOOKUP_BITS)) as usize;
        let bits = u32::from(LOOKUP.bits.get(window).copied().unwrap_or(0));
        let entry = LOOKUP.symbols.get(window).copied().unwrap_or(0);
        if bits != 0 && bits <= nbits {
            let Some(slot) = out.get_mut(n..n + 2) else {
                return Err((n, Failure::Limit));
            };
            let [first, second, _, _] = entry.to_le_bytes();
            slot.copy_from_slice(&[first, second]);
            n += (entry >> 30) as usize;
            acc <<= bits;
            nbits -= bits;
        } else {
            match walk(acc, nbits) {
                Walk::Symbol { sym, bits } => {
                    let Some(slot) = out.get_mut(n) else {
                        return Err((n, Failure::Limit));
                    };
                    *slot = sym;
                    n += 1;
                    acc = acc.checked_shl(bits).unwrap_or(0);
                    nbits -= bits;
                }
                Walk::Eos { bits } => return Err(eos_at(n, pos, nbits - bits)),
                // Fewer than 30 bits and no more input: the padding.
                Walk::Partial { node } => break node,
            }
        }
        if n > limit {
            return Err((n, Failure::Limit));
        }
    };
    Ok((n, end_node))
}

/// [`decode`] that stops as soon as `dst` holds more than `limit` octets.
///
/// The input is read into a 64-bit bit buffer ([`Reader`]), eight octets at a time while
/// eight remain, each refill followed by [`GROUP`] lookups of the next [`LOOKUP_BITS`] bits in
/// [`LOOKUP`], each yielding the one or two symbols they hold ([`lookups`]); a longer code
/// goes down the tree bit by bit ([`walk`]), which is also how the last bits of the input are
/// read, so that EOS and the padding are judged on the exact bits (§5.2). Inputs of
/// [`SPLIT_MIN`] octets or more whose output cannot pass `limit` first go through
/// [`two_streams`].
pub(crate) fn decode_limited(input: &[u8], dst: &mut Vec<u8>, limit: usize) -> Result<(), Failure> {
    // The output is written into room made ahead (at most 8 symbols for 5 input octets, and
    // SLACK more, as a lookup writes two octets even when it completes one), then cut to what
    // was decoded: no branch on how many symbols a lookup completed.
    let start = dst.len();
    let slack = if splits(input, limit) {
        SLACK_TWO_STREAMS
    } else {
        SLACK
    };
    let room = (input.len() * 8 / 5).min(limit) + slack;
    dst.resize(start + room, 0);
    let (_, out) = dst.split_at_mut(start);
    let result = decode_into(input, out, limit);
    let n = match result {
        Ok((n, _)) | Err((n, _)) => n,
    };
    // Past the limit, one octet more than it is enough to show it.
    dst.truncate(start + n.min(limit.saturating_add(1)));
    let end_node = result.map_err(|(_, failure)| failure)?.1;
    let ones = TREE.all_ones.get(end_node).copied().unwrap_or(false);
    let depth = TREE.depth.get(end_node).copied().unwrap_or(u8::MAX);
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
    #![allow(clippy::unwrap_used, clippy::indexing_slicing, clippy::panic)]
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

    /// The reference decoder: bit by bit, matching the bits read so far against the codes of
    /// Appendix B ([`CODES`] and [`CODE_LENGTHS`], not the tree), as RFC 7541 §5.2 words it.
    /// Returns what was decoded before the end or the error, and the error with the offset
    /// the decoder gives: the octet of EOS's last bit, the last octet for the padding.
    fn reference_exact(input: &[u8]) -> (Vec<u8>, Result<(), Error>) {
        static MAP: std::sync::OnceLock<std::collections::HashMap<(u32, u8), u16>> =
            std::sync::OnceLock::new();
        let codes = MAP.get_or_init(|| {
            (0..257u16)
                .map(|s| ((CODES[usize::from(s)], CODE_LENGTHS[usize::from(s)]), s))
                .collect()
        });
        let mut out = Vec::new();
        let (mut code, mut len) = (0u32, 0u8);
        for (i, &octet) in input.iter().enumerate() {
            for k in (0..8).rev() {
                code = code << 1 | u32::from(octet >> k & 1);
                len += 1;
                match codes.get(&(code, len)) {
                    Some(&EOS) => return (out, Err(Error::at(i, ErrorKind::HuffmanEos))),
                    Some(&sym) => {
                        out.push(sym as u8);
                        (code, len) = (0, 0);
                    }
                    None => {}
                }
            }
        }
        // The leftover bits: a prefix of EOS (all ones) of at most 7 bits.
        let last = input.len().saturating_sub(1);
        if code != (1 << len) - 1 {
            return (out, Err(Error::at(last, ErrorKind::HuffmanPaddingNotOnes)));
        }
        if len > 7 {
            return (out, Err(Error::at(last, ErrorKind::HuffmanPaddingTooLong)));
        }
        (out, Ok(()))
    }

    /// [`reference_exact`], the output or the error's kind.
    fn reference(input: &[u8]) -> Result<Vec<u8>, ErrorKind> {
        match reference_exact(input) {
            (out, Ok(())) => Ok(out),
            (_, Err(e)) => Err(e.kind),
        }
    }

    /// [`decode`] as [`reference_exact`] reports: what is in `dst` after it, and the error.
    fn dec_exact(input: &[u8]) -> (Vec<u8>, Result<(), Error>) {
        let mut out = Vec::new();
        let result = decode(input, &mut out);
        (out, result)
    }

    /// Bits (one `u8` each, 0 or 1) to octets, the last padded with ones.
    fn pack(bits: &[u8]) -> Vec<u8> {
        let mut bits = bits.to_vec();
        while bits.len() % 8 != 0 {
            bits.push(1);
        }
        bits.chunks(8)
            .map(|c| c.iter().fold(0u8, |a, &b| a << 1 | b))
            .collect()
    }

    /// The code of each symbol, one `u8` per bit.
    fn code_bits(symbols: impl IntoIterator<Item = u16>) -> Vec<u8> {
        let mut bits = Vec::new();
        for s in symbols {
            let (code, len) = (CODES[usize::from(s)], CODE_LENGTHS[usize::from(s)]);
            bits.extend((0..len).rev().map(|k| (code >> k & 1) as u8));
        }
        bits
    }

    /// Header-like text of `len` octets (a fixed pseudo-random choice of header values).
    fn header_text(len: usize, seed: u64) -> Vec<u8> {
        const WORDS: [&[u8]; 12] = [
            b"text/html",
            b"gzip, deflate",
            b"max-age=0",
            b"Mon, 21 Oct 2013 20:13:21 GMT",
            b"https://www.example.com/",
            b"a5f3c2d1-9e8b",
            b"no-cache",
            b"application/json; charset=utf-8",
            b"Mozilla/5.0 (X11; Linux x86_64)",
            b"en-US,en;q=0.9",
            b"1234567890",
            b"\"W/\\\"5e1-4fc\"",
        ];
        let mut text = Vec::with_capacity(len + 40);
        let mut x = seed
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        while text.len() < len {
            x = x
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            text.extend_from_slice(WORDS[(x >> 33) as usize % WORDS.len()]);
            text.push(b' ');
        }
        text.truncate(len);
        text
    }

    #[test]
    fn reference_agrees_on_the_rfc_strings() {
        assert_eq!(
            reference(&[0xa8, 0xeb, 0x10, 0x64, 0x9c, 0xbf]).unwrap(),
            b"no-cache"
        );
        assert_eq!(
            reference(&[0xff, 0xff, 0xff, 0xff]),
            Err(ErrorKind::HuffmanEos)
        );
        assert_eq!(
            reference(&[0x1f, 0xff]),
            Err(ErrorKind::HuffmanPaddingTooLong)
        );
        assert_eq!(reference(&[0x1e]), Err(ErrorKind::HuffmanPaddingNotOnes));
    }

    /// Long inputs of the codes of a few symbols, so that the fast path (8 octets at a time)
    /// runs, then a chosen tail.
    fn coded(symbols: &[u8], tail: &[u8]) -> Vec<u8> {
        let mut v = enc(symbols);
        v.extend_from_slice(tail);
        v
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(2000))]

        /// Arbitrary octets: the same output, or the same error, as the reference.
        #[test]
        fn fast_decoder_matches_reference(input in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..64)) {
            proptest::prop_assert_eq!(dec(&input), reference(&input));
        }

        /// Valid strings with arbitrary octets after them: mostly errors found past the fast
        /// path, which must agree too.
        #[test]
        fn fast_decoder_matches_reference_after_text(
            text in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..48),
            tail in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..12),
        ) {
            let input = coded(&text, &tail);
            proptest::prop_assert_eq!(dec(&input), reference(&input));
        }

        /// Header-like text (short codes): encode then decode is the identity.
        #[test]
        fn roundtrip_text(text in "[ -~]{0,200}") {
            proptest::prop_assert_eq!(dec(&enc(text.as_bytes())).unwrap(), text.as_bytes());
        }

        /// Any octets (long codes included): encode then decode is the identity, and the
        /// reference says so too.
        #[test]
        fn roundtrip_octets(octets in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..200)) {
            let coded = enc(&octets);
            proptest::prop_assert_eq!(dec(&coded).unwrap(), octets.clone());
            proptest::prop_assert_eq!(reference(&coded).unwrap(), octets);
        }

        /// The limit: stops past it, or decodes what the unlimited decoder decodes.
        #[test]
        fn limit_is_kept(text in "[ -~]{0,100}", limit in 0usize..120) {
            let coded = enc(text.as_bytes());
            let mut out = Vec::new();
            match decode_limited(&coded, &mut out, limit) {
                Ok(()) => {
                    proptest::prop_assert!(text.len() <= limit);
                    proptest::prop_assert_eq!(out, text.as_bytes());
                }
                Err(Failure::Limit) => {
                    proptest::prop_assert!(text.len() > limit);
                    proptest::prop_assert!(out.len() <= limit + 2);
                }
                Err(Failure::Invalid(e)) => proptest::prop_assert!(false, "{e}"),
            }
        }
    }

    #[test]
    fn errors_in_the_fast_path_name_their_octet() {
        // 20 'a's (100 bits), then EOS: found by the fast path, in the octet of its last bit.
        let mut bits: Vec<u8> = Vec::new();
        for _ in 0..20 {
            bits.extend([0, 0, 0, 1, 1]);
        }
        bits.extend([1; 30]);
        while bits.len() % 8 != 0 {
            bits.push(1);
        }
        let input: Vec<u8> = bits
            .chunks(8)
            .map(|c| c.iter().fold(0u8, |a, &b| a << 1 | b))
            .collect();
        let mut out = Vec::new();
        let e = match decode_limited(&input, &mut out, usize::MAX) {
            Err(Failure::Invalid(e)) => e,
            other => panic!("{other:?}"),
        };
        assert_eq!(e.kind, ErrorKind::HuffmanEos);
        // EOS ends at bit 130: octet 16.
        assert_eq!(e.offset, 129 / 8);
        assert_eq!(out, [b'a'; 20]);
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

    /// Every input of one and two octets: the same output and the same error (offset
    /// included) as the reference.
    #[test]
    fn exhaustive_short_inputs_match_reference() {
        for a in 0..=255u8 {
            assert_eq!(dec_exact(&[a]), reference_exact(&[a]), "{a:02x}");
            for b in 0..=255u8 {
                assert_eq!(
                    dec_exact(&[a, b]),
                    reference_exact(&[a, b]),
                    "{a:02x}{b:02x}"
                );
            }
        }
    }

    /// Where the input splits into two streams, and on each side of it.
    #[test]
    fn two_streams_threshold() {
        for len in [
            SPLIT_MIN - 9,
            SPLIT_MIN - 1,
            SPLIT_MIN,
            SPLIT_MIN + 1,
            SPLIT_MIN + 8,
        ] {
            let text = header_text(len * 8 / 5, len as u64);
            let mut coded = enc(&text);
            coded.truncate(len);
            assert_eq!(dec_exact(&coded), reference_exact(&coded), "{len}");
        }
    }

    /// EOS after 0 to 40 symbols of every length class, alone, after short text and after
    /// long text (so that it is found by the last octets' path, by the fast path, and on
    /// either side of the middle of a string decoded as two streams): refused, in the octet
    /// of its last bit, with what came before it decoded.
    #[test]
    fn eos_at_every_position() {
        // Codes of 5, 6, 7, 8, 10, 13 and 23 bits, so that EOS starts at every bit offset.
        let symbols: [u16; 7] = [
            b'a'.into(),
            b'b'.into(),
            b'A'.into(),
            b'&'.into(),
            b'!'.into(),
            0,
            1,
        ];
        for long in [0usize, 700, 1500] {
            let text = header_text(long, 7);
            for count in 0..=40usize {
                let before: Vec<u16> = text
                    .iter()
                    .map(|&o| u16::from(o))
                    .chain((0..count).map(|i| symbols[i % symbols.len()]))
                    .collect();
                let mut bits = code_bits(before.iter().copied());
                let eos_end = bits.len() + 30;
                bits.extend(code_bits([EOS]));
                bits.extend(code_bits(text.iter().take(200).map(|&o| u16::from(o))));
                let input = pack(&bits);
                let (out, result) = dec_exact(&input);
                let e = result.unwrap_err();
                assert_eq!(e.kind, ErrorKind::HuffmanEos, "{long} {count}");
                assert_eq!(e.offset, ((eos_end - 1) / 8) as u64, "{long} {count}");
                let expected: Vec<u8> = before.iter().map(|&s| s as u8).collect();
                assert_eq!(out, expected, "{long} {count}");
                assert_eq!((out, Err(e)), reference_exact(&input));
            }
        }
    }

    /// Padding of 0 to 7 ones is accepted, 8 ones refused, after short and long text.
    #[test]
    fn padding_of_every_length() {
        for long in [0usize, 40, 1000] {
            // 8 'a's are 40 bits, 5 whole octets: the padding depends on `extra` alone.
            for extra in 0..8usize {
                let count = long + extra;
                let bits = code_bits((0..count).map(|_| u16::from(b'a')));
                let pad = (8 - bits.len() % 8) % 8;
                let input = pack(&bits);
                assert_eq!(dec_exact(&input), (vec![b'a'; count], Ok(())));
                assert_eq!(dec_exact(&input), reference_exact(&input));
                // One more octet of ones: 8 to 15 bits of padding.
                let mut longer = input.clone();
                longer.push(0xff);
                let (out, result) = dec_exact(&longer);
                assert_eq!(out, vec![b'a'; count], "{pad}");
                let e = result.unwrap_err();
                assert_eq!(e.kind, ErrorKind::HuffmanPaddingTooLong, "{pad}");
                assert_eq!(e.offset, (longer.len() - 1) as u64);
                assert_eq!(dec_exact(&longer), reference_exact(&longer));
            }
            // Exactly 8 bits of padding: "a" then 3 ones is 8 bits; a whole octet of ones more.
            let mut input = pack(&code_bits((0..long + 8).map(|_| u16::from(b'a'))));
            input.push(0xff);
            assert_eq!(
                dec_exact(&input).1.unwrap_err().kind,
                ErrorKind::HuffmanPaddingTooLong
            );
        }
    }

    /// Padding with a zero in it (1 to 7 bits, every pattern): refused as not all ones, or,
    /// when the bits happen to hold a code, decoded as the reference does.
    #[test]
    fn padding_not_all_ones() {
        for long in [0usize, 1000] {
            let text = header_text(long, 3);
            let bits = code_bits(text.iter().map(|&o| u16::from(o)));
            for pad in 1..=7usize {
                for pattern in 0..(1u8 << pad) - 1 {
                    // `pad` bits, not all ones, after the text, then whole octets.
                    let mut b = bits.clone();
                    b.extend((0..pad).rev().map(|k| pattern >> k & 1));
                    while b.len() % 8 != 0 {
                        b.push(1);
                    }
                    let input = pack(&b);
                    let got = dec_exact(&input);
                    assert_eq!(got, reference_exact(&input), "{long} {pad} {pattern:b}");
                    // Fewer than 5 bits never hold a code: refused, in the last octet.
                    let tail = b.len() - bits.len();
                    if tail < 5 {
                        let e = got.1.unwrap_err();
                        assert_eq!(e.kind, ErrorKind::HuffmanPaddingNotOnes);
                        assert_eq!(e.offset, (input.len() - 1) as u64);
                    }
                }
            }
        }
        // All-zero padding of 1 to 4 bits after 'a' (5 bits), '0' (5) and 'b' (6).
        assert_eq!(dec(&[0x18]), Err(ErrorKind::HuffmanPaddingNotOnes));
        assert_eq!(dec(&[0x00]), Err(ErrorKind::HuffmanPaddingNotOnes));
        assert_eq!(dec(&[0x8c]), Err(ErrorKind::HuffmanPaddingNotOnes));
    }

    /// A prefix of EOS longer than 7 bits (8 to 29 ones) is padding too long; 30 ones are EOS.
    #[test]
    fn ones_after_text() {
        for long in [0usize, 1000] {
            let text = header_text(long, 5);
            let bits = code_bits(text.iter().map(|&o| u16::from(o)));
            for ones in 0..=40usize {
                let mut b = bits.clone();
                b.extend(std::iter::repeat_n(1, ones));
                let input = pack(&b);
                let expected = match ones + (8 - b.len() % 8) % 8 {
                    0..=7 => None,
                    8..=29 => Some(ErrorKind::HuffmanPaddingTooLong),
                    _ => Some(ErrorKind::HuffmanEos),
                };
                let got = dec_exact(&input);
                assert_eq!(
                    got.1.clone().err().map(|e| e.kind),
                    expected,
                    "{long} {ones}"
                );
                assert_eq!(got, reference_exact(&input), "{long} {ones}");
            }
        }
    }

    /// The second stream starts in the middle of a code and agrees with the first within a few
    /// codes: its output is taken over, and it read most of the second half.
    #[test]
    fn two_streams_join() {
        let text = header_text(4000, 11);
        let coded = enc(&text);
        let mut out = vec![0; coded.len() * 8 / 5 + SLACK_TWO_STREAMS];
        let (reader, n) = two_streams(&coded, &mut out);
        assert!(
            reader.consumed() > coded.len() * 8 * 9 / 10,
            "{}",
            reader.consumed()
        );
        assert_eq!(out[..n], text[..n]);
        assert_eq!(dec(&coded).unwrap(), text);
    }

    /// 'a' over and over: a second stream that starts inside a code can stay out of step for
    /// good (it reads 'i', 00110, from the middle of 00011 00011 ...). Whether the two streams
    /// agree or not, the output is the same, and both cases happen here.
    #[test]
    fn two_streams_that_never_agree() {
        let (mut joined, mut alone) = (0, 0);
        for count in 900..940 {
            let text = vec![b'a'; count];
            let coded = enc(&text);
            let mut out = vec![0; coded.len() * 8 / 5 + SLACK_TWO_STREAMS];
            let (reader, n) = two_streams(&coded, &mut out);
            assert_eq!(out[..n], text[..n]);
            if reader.consumed() > coded.len() * 8 / 2 + 64 * 8 {
                joined += 1;
            } else {
                alone += 1;
            }
            assert_eq!(dec(&coded).unwrap(), text);
            assert_eq!(dec_exact(&coded), reference_exact(&coded));
        }
        assert!(joined > 0 && alone > 0, "{joined} {alone}");
    }

    /// EOS at the very octet where the second stream starts: it stops before its first code,
    /// the first stream joins it there, and the error is the one stream's.
    #[test]
    fn eos_where_the_second_stream_starts() {
        // 8 'a's are 5 octets: 100 of them end on an octet boundary, at octet 500.
        let mut input = enc(&[b'a'; 800]);
        input.extend_from_slice(&[0xff; 4]);
        input.extend_from_slice(&enc(&header_text(700, 1))[..496]);
        assert_eq!(input.len() / 2, 500);
        let mut out = vec![0; input.len() * 8 / 5 + SLACK_TWO_STREAMS];
        let (reader, n) = two_streams(&input, &mut out);
        assert_eq!((reader.consumed(), n), (500 * 8, 800));
        let (out, result) = dec_exact(&input);
        assert_eq!(out, [b'a'; 800]);
        assert_eq!(result, Err(Error::at(503, ErrorKind::HuffmanEos)));
        assert_eq!(dec_exact(&input), reference_exact(&input));
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(300))]

        /// Arbitrary octets of any length, past the two-stream threshold too: the same output
        /// and the same error, offset included, as the reference.
        #[test]
        fn matches_reference_exactly(input in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..1600)) {
            proptest::prop_assert_eq!(dec_exact(&input), reference_exact(&input));
        }

        /// Long valid strings (header text or any octets) with a few octets changed and
        /// arbitrary octets after them: errors anywhere, on either side of the middle.
        #[test]
        fn long_strings_with_damage_match_reference(
            text in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..600),
            header in 300usize..1500,
            seed in proptest::prelude::any::<u64>(),
            damage in proptest::collection::vec((proptest::prelude::any::<proptest::sample::Index>(), proptest::prelude::any::<u8>()), 0..3),
            tail in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..12),
        ) {
            let mut plain = header_text(header, seed);
            plain.extend_from_slice(&text);
            let mut input = coded(&plain, &tail);
            if tail.is_empty() && damage.is_empty() {
                proptest::prop_assert_eq!(dec(&input).unwrap(), plain);
            }
            for (at, octet) in damage {
                let i = at.index(input.len());
                input[i] = octet;
            }
            proptest::prop_assert_eq!(dec_exact(&input), reference_exact(&input));
        }

        /// EOS, or a run of ones, spliced in at any symbol of a long string.
        #[test]
        fn long_strings_with_eos_match_reference(
            header in 0usize..1500,
            seed in proptest::prelude::any::<u64>(),
            at in proptest::prelude::any::<proptest::sample::Index>(),
            ones in 8usize..31,
        ) {
            let plain = header_text(header, seed);
            let at = at.index(plain.len() + 1);
            let mut bits = code_bits(plain[..at].iter().map(|&o| u16::from(o)));
            bits.extend(std::iter::repeat_n(1, ones));
            bits.extend(code_bits(plain[at..].iter().map(|&o| u16::from(o))));
            let input = pack(&bits);
            proptest::prop_assert_eq!(dec_exact(&input), reference_exact(&input));
        }

        /// The limit on long strings: stops past it, or decodes what the unlimited decoder does.
        #[test]
        fn limit_is_kept_long(header in 400usize..1500, seed in proptest::prelude::any::<u64>(), limit in 0usize..3000) {
            let text = header_text(header, seed);
            let coded = enc(&text);
            let mut out = Vec::new();
            match decode_limited(&coded, &mut out, limit) {
                Ok(()) => {
                    proptest::prop_assert!(text.len() <= limit);
                    proptest::prop_assert_eq!(out, text);
                }
                Err(Failure::Limit) => {
                    proptest::prop_assert!(text.len() > limit);
                    proptest::prop_assert!(out.len() <= limit + 1);
                    proptest::prop_assert_eq!(&out[..], &text[..out.len()]);
                }
                Err(Failure::Invalid(e)) => proptest::prop_assert!(false, "{e}"),
            }
        }
    }
}
