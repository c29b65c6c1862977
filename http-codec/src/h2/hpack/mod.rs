//! HPACK, the header compression of HTTP/2 (RFC 7541), usable on its own.
//!
//! | item | what | RFC 7541 |
//! |---|---|---|
//! | [`Decoder`] | header block → header list, bounded while decoding | §3, §6; RFC 9113 §10.5.1 |
//! | [`Encoder`], [`Indexing`] | header list → header block, with an indexing strategy | §3, §6, §7.1 |
//! | [`HeaderField`] | name, value (any octets, kept exactly) and the never-indexed mark | §1.3, §6.2.3 |
//! | [`DynamicTable`], [`table`] | the static table and the dynamic table with eviction | §2.3, §4, Appendix A |
//! | [`integer`] | N-bit prefix integers, overflow-checked | §5.1 |
//! | [`string`], [`huffman`] | string literals and the Huffman code, both ways | §5.2, Appendix B |
//! | [`Error`], [`ErrorKind`] | why a block was refused: byte offset and RFC section | |
//!
//! HPACK checks no HTTP semantics: names and values are octets (RFC 9113 §8.2 validates them,
//! at the next layer). A field that arrives as a literal never indexed comes out with
//! `sensitive` set, and the encoder sends such a field the same way, so a proxy that decodes
//! and re-encodes keeps it out of every compression table along the path (§7.1.3).
//!
//! ```
//! use bytes::BytesMut;
//! use http_codec::h2::hpack::{Decoder, Encoder, ErrorKind, HeaderField, Huffman, Indexing};
//!
//! // RFC 7541 C.4.1: a request with Huffman coding.
//! let mut decoder = Decoder::new(4096);
//! let block = bytes::Bytes::from_static(
//!     b"\x82\x86\x84\x41\x8c\xf1\xe3\xc2\xe5\xf2\x3a\x6b\xa0\xab\x90\xf4\xff",
//! );
//! let fields = decoder.decode(&block)?;
//! assert_eq!(fields[0], HeaderField::new(":method", "GET"));
//! assert_eq!(fields[3], HeaderField::new(":authority", "www.example.com"));
//!
//! // The same list from our encoder, with the strategy of Appendix C.
//! let mut encoder = Encoder::new(4096);
//! encoder.set_indexing(Indexing::Always);
//! encoder.set_huffman(Huffman::Always);
//! let mut out = BytesMut::new();
//! encoder.encode(&fields, &mut out);
//! assert_eq!(&out[..], &block[..]);
//!
//! // Index 0 is refused, with the offset and the section.
//! let error = Decoder::new(4096).decode_slice(b"\x82\x80").unwrap_err();
//! assert_eq!((error.offset, &error.kind), (1, &ErrorKind::IndexZero));
//! assert_eq!(error.to_string(), "index 0 at byte 1 of the header block (RFC 7541 §6.1)");
//! # Ok::<(), http_codec::h2::hpack::Error>(())
//! ```

pub mod decoder;
pub mod encoder;
pub mod error;
pub mod field;
pub mod huffman;
pub mod integer;
pub mod string;
pub mod table;

pub use decoder::Decoder;
pub use encoder::{Encoder, Indexing};
pub use error::{Error, ErrorKind};
pub use field::HeaderField;
pub use string::Huffman;
pub use table::DynamicTable;
