//! h2spec's `hpack` group (RFC 7541) against `h2_server`: one test per case, named
//! `hpack_<section>_<number>_<what>` after h2spec's id. Each sends a valid request's field
//! block with one bad representation added, and expects the connection error
//! COMPRESSION_ERROR (RFC 9113 §4.3: a field block that cannot be decoded ends the
//! connection), judged as h2spec does (see `h2spec/mod.rs`).
//!
//! `cargo test -p interop --test h2spec_hpack` (the `h2_server` example must be built:
//! `cargo build --examples -p http-codec`).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

mod h2spec;

use h2spec::{
    Headers, code, common_headers, run, setting, verify_connection_error, write_request_with,
};

/// A request on stream 1 whose field block is the common fields with `rep` after them (or
/// before them: `first`), then COMPRESSION_ERROR is expected.
fn bad_block(rep: &[u8], first: bool) {
    run(|server, conn| {
        conn.handshake()?;
        write_request_with(server, conn, rep, first);
        verify_connection_error(conn, &[code::COMPRESSION_ERROR])
    });
}

// ------------------------------------------------------------ 2.3.3 Index Address Space

/// hpack/2.3.3/1: Sends a indexed header field representation with invalid index (70: past
/// the static table and the empty dynamic one). RFC 7541 §2.3.3: MUST be treated as a
/// decoding error.
#[test]
fn hpack_2_3_3_1_indexed_field_with_invalid_index() {
    bad_block(b"\xC6", false);
}

/// hpack/2.3.3/2: Sends a literal header field representation with invalid index (a name
/// index of 70).
#[test]
fn hpack_2_3_3_2_literal_field_with_invalid_index() {
    bad_block(b"\x7F\x07\x00", false);
}

// ------------------------------------------------------------ 4.2 Maximum Table Size

/// hpack/4.2/1: Sends a dynamic table size update at the end of header block. RFC 7541
/// §4.2: the update MUST occur at the beginning of the first header block following the
/// change.
#[test]
fn hpack_4_2_1_table_size_update_at_end_of_block() {
    bad_block(b"\x21", false);
}

// ------------------------------------------------------------ 5.2 String Literal Representation

/// hpack/5.2/1: Sends a Huffman-encoded string literal representation with padding longer
/// than 7 bits. RFC 7541 §5.2: MUST be treated as a decoding error.
#[test]
fn hpack_5_2_1_huffman_padding_longer_than_7_bits() {
    bad_block(b"\x00\x85\xf2\xb2\x4a\x84\xff\x84\x49\x50\x9f\xff", false);
}

/// hpack/5.2/2: Sends a Huffman-encoded string literal representation padded by zero. RFC
/// 7541 §5.2: padding not corresponding to the EOS code's most significant bits MUST be
/// treated as a decoding error.
#[test]
fn hpack_5_2_2_huffman_padded_by_zero() {
    bad_block(b"\x00\x85\xf2\xb2\x4a\x84\xff\x83\x49\x50\x90", false);
}

/// hpack/5.2/3: Sends a Huffman-encoded string literal representation containing the EOS
/// symbol. RFC 7541 §5.2: MUST be treated as a decoding error.
#[test]
fn hpack_5_2_3_huffman_containing_eos() {
    bad_block(
        b"\x00\x85\xf2\xb2\x4a\x84\xff\x87\x49\x51\xff\xff\xff\xfa\x7f",
        false,
    );
}

// ------------------------------------------------------------ 6.1 Indexed Header Field Representation

/// hpack/6.1/1: Sends a indexed header field representation with index 0. RFC 7541 §6.1:
/// the index value of 0 is not used; MUST be treated as a decoding error.
#[test]
fn hpack_6_1_1_indexed_field_with_index_0() {
    bad_block(b"\x80", false);
}

// ------------------------------------------------------------ 6.3 Dynamic Table Size Update

/// hpack/6.3/1: Sends a dynamic table size update larger than the value of
/// SETTINGS_HEADER_TABLE_SIZE. RFC 7541 §6.3: MUST be treated as a decoding error.
#[test]
fn hpack_6_3_1_table_size_update_above_settings() {
    run(|server, conn| {
        conn.handshake()?;
        let max = conn
            .settings
            .get(&setting::HEADER_TABLE_SIZE)
            .copied()
            .unwrap_or(4096);
        // The size as a 5-bit prefix integer (RFC 7541 §5.1) with the 001 pattern.
        let mut size = u64::from(max) + 1;
        let mut rep = Vec::new();
        if size < 31 {
            rep.push(size as u8);
        } else {
            rep.push(31);
            size -= 31;
            while size >= 128 {
                rep.push(0x80 | (size & 0x7f) as u8);
                size >>= 7;
            }
            rep.push(size as u8);
        }
        rep[0] |= 0x20;
        let valid = conn.encode_headers(&common_headers(server));
        conn.write_headers(&Headers {
            stream: 1,
            end_stream: true,
            end_headers: true,
            fragment: [rep, valid].concat(),
            ..Headers::default()
        });
        verify_connection_error(conn, &[code::COMPRESSION_ERROR])
    });
}
