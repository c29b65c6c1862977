//! Targets for HPACK (http-codec's `h2::hpack`, RFC 7541).

use arbitrary::{Arbitrary, Unstructured};
use bytes::{Bytes, BytesMut};
use http_codec::h2::hpack::{Decoder, Encoder, HeaderField, Huffman, Indexing};

/// An indexing strategy and a Huffman policy chosen by one byte.
fn strategy(c: u8) -> (Indexing, Huffman) {
    let indexing = [Indexing::Incremental, Indexing::Always, Indexing::Never][usize::from(c % 3)];
    let huffman = [Huffman::Shorter, Huffman::Always, Huffman::Never][usize::from((c / 3) % 3)];
    (indexing, huffman)
}

/// A decoded or given list as the peer decodes it after our encoder sent it: the fields the
/// strategy sends never indexed come back marked.
fn as_sent(list: &[HeaderField], indexing: Indexing) -> Vec<HeaderField> {
    list.iter()
        .map(|f| HeaderField {
            sensitive: indexing.never_indexes(f),
            ..f.clone()
        })
        .collect()
}

/// Arbitrary header blocks through one decoder with an arbitrary table size and list limits.
///
/// Input: two octets of table size (big-endian, up to 65535), two of header list limit (in
/// units of 16 octets), one of field-count limit, one choosing the re-encoding strategy, then
/// blocks, each preceded by a two-octet big-endian length (the last takes what is left).
///
/// Checks: no panic; every decoded list within the size and count limits; the dynamic table
/// within its maximum and the maximum within the table size given; each decoded list encodes
/// (with the chosen strategy, one encoder for the run) to a block that a second decoder turns
/// back into the same list, never-indexed marks included.
pub fn hpack_decode(data: &[u8]) {
    let [t0, t1, l0, l1, count, choice, rest @ ..] = data else {
        return;
    };
    let table_size = usize::from(u16::from_be_bytes([*t0, *t1]));
    let list_limit = usize::from(u16::from_be_bytes([*l0, *l1])) * 16;
    let count_limit = usize::from(*count) * 4;
    let (indexing, huffman) = strategy(*choice);

    let mut decoder = Decoder::new(table_size);
    decoder.set_max_header_list_size(list_limit);
    decoder.set_max_field_count(count_limit);
    let mut encoder = Encoder::new(4096);
    encoder.set_indexing(indexing);
    encoder.set_huffman(huffman);
    let mut again = Decoder::new(4096);
    again.set_max_header_list_size(usize::MAX);
    again.set_max_field_count(usize::MAX);

    let mut rest = rest;
    while !rest.is_empty() {
        let block = match rest {
            [a, b, tail @ ..] => {
                let len = usize::from(u16::from_be_bytes([*a, *b])).min(tail.len());
                let (block, after) = tail.split_at(len);
                rest = after;
                block
            }
            _ => std::mem::take(&mut rest),
        };
        let Ok(list) = decoder.decode(&Bytes::copy_from_slice(block)) else {
            // The tables are out of step after an error: the connection ends there.
            return;
        };
        let size: usize = list.iter().map(HeaderField::size).sum();
        assert!(
            size <= list_limit,
            "list of {size} octets over {list_limit}"
        );
        assert!(list.len() <= count_limit);
        let table = decoder.table();
        assert!(table.size() <= table.max_size());
        assert!(table.max_size() <= table_size);

        let mut out = BytesMut::new();
        encoder.encode(&list, &mut out);
        let back = again.decode(&out.freeze()).expect("our own block decodes");
        assert_eq!(back, as_sent(&list, indexing));
        assert_eq!(encoder.table().size(), again.table().size());
    }
}

/// One header field from the fuzzer: any octets, short or long, sometimes marked sensitive,
/// often a name or value seen before (so the dynamic table is hit).
fn field(u: &mut Unstructured<'_>, seen: &mut Vec<HeaderField>) -> arbitrary::Result<HeaderField> {
    if !seen.is_empty() && u.ratio(1, 3)? {
        let mut f = u.choose(seen)?.clone();
        if u.ratio(1, 3)? {
            f.value = Bytes::from(Vec::<u8>::arbitrary(u)?);
        }
        return Ok(f);
    }
    let f = HeaderField {
        name: Bytes::from(Vec::<u8>::arbitrary(u)?),
        value: Bytes::from(Vec::<u8>::arbitrary(u)?),
        sensitive: u.ratio(1, 8)?,
    };
    seen.push(f.clone());
    Ok(f)
}

/// Arbitrary header lists, strategies and table size changes: each list our encoder writes
/// decodes back equal (never-indexed marks as the strategy sets them), with both dynamic tables
/// in step after every block.
pub fn hpack_roundtrip(data: &[u8]) {
    let mut u = Unstructured::new(data);
    let _ = roundtrip(&mut u);
}

fn roundtrip(u: &mut Unstructured<'_>) -> arbitrary::Result<()> {
    let (indexing, huffman) = strategy(u.arbitrary()?);
    let initial = usize::from(u.arbitrary::<u16>()?) % 8192;
    let mut encoder = Encoder::new(initial);
    encoder.set_indexing(indexing);
    encoder.set_huffman(huffman);
    let mut decoder = Decoder::new(initial);
    decoder.set_max_header_list_size(usize::MAX);
    decoder.set_max_field_count(usize::MAX);
    let mut seen = Vec::new();
    while !u.is_empty() {
        // Sometimes one or two table size changes before the block (RFC 7541 §4.2).
        for _ in 0..u.int_in_range(0..=2u8)? {
            if u.ratio(1, 4)? {
                let size = usize::from(u.arbitrary::<u16>()?) % 8192;
                encoder.set_max_table_size(size);
                decoder.set_max_table_size(size);
            }
        }
        let n = u.int_in_range(0..=16usize)?;
        let mut list = Vec::with_capacity(n);
        for _ in 0..n {
            list.push(field(u, &mut seen)?);
        }
        if u.ratio(1, 8)? {
            let (i, h) = strategy(u.arbitrary()?);
            encoder.set_indexing(i);
            encoder.set_huffman(h);
        }
        let mut out = BytesMut::new();
        encoder.encode(&list, &mut out);
        let back = decoder
            .decode(&out.freeze())
            .expect("our own block decodes");
        assert_eq!(back, as_sent(&list, encoder.indexing()));
        assert_eq!(encoder.table().size(), decoder.table().size());
        assert_eq!(encoder.table().len(), decoder.table().len());
    }
    Ok(())
}

/// Differential: arbitrary header blocks through our decoder and through `loona-hpack` (the
/// maintained fork of the `hpack` crate), both with the default 4,096-octet table (RFC 7541 §4.2).
///
/// Input: blocks, each preceded by a one-octet length (the last takes what is left).
///
/// Checks: where both accept a block, both decode the same list of (name, value) pairs, in
/// order (RFC 7541 §3.2), which also keeps the two dynamic tables in step (§4.1). We are the stricter decoder (Huffman padding, table size updates after a field,
/// updates above the SETTINGS value), so a block only we refuse is expected; one only we accept
/// would be a bug of ours or of theirs, and ends the run (the tables may be out of step).
pub fn hpack_differential(data: &[u8]) {
    let mut ours = Decoder::new(4096);
    ours.set_max_header_list_size(usize::MAX);
    ours.set_max_field_count(usize::MAX);
    let mut theirs = loona_hpack::Decoder::new();
    theirs.set_max_allowed_table_size(4096);

    let mut rest = data;
    while !rest.is_empty() {
        let block = match rest {
            [n, tail @ ..] => {
                let len = usize::from(*n).min(tail.len());
                let (block, after) = tail.split_at(len);
                rest = after;
                block
            }
            [] => return,
        };
        let mine = ours.decode(&Bytes::copy_from_slice(block));
        let peer = theirs.decode(block);
        let (Ok(mine), Ok(peer)) = (mine, peer) else {
            return;
        };
        let mine: Vec<(&[u8], &[u8])> = mine.iter().map(|f| (&f.name[..], &f.value[..])).collect();
        let peer: Vec<(&[u8], &[u8])> = peer.iter().map(|(n, v)| (&n[..], &v[..])).collect();
        assert_eq!(
            mine, peer,
            "the two decoders disagree on block {block:02x?}"
        );
    }
}
