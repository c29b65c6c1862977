//! The library behind the `wire` command: every protocol's decoder and encoder between bytes and
//! the JSON objects of `docs/wire-json.md`, and the JSON helpers they share.
//!
//! `main.rs` is the clap front end over these modules; the fuzz crate calls [`encode_lines`] and
//! [`decode_bytes`] to check the contract's promise that `decode(encode(x)) == x`.
//!
//! ```
//! use wire::proto::Role;
//!
//! let lines = wire::protocol("lines").expect("a known protocol");
//! let bytes = wire::encode_lines(&*lines, Role::Server, b"{\"line\":\"PING\"}\n")
//!     .expect("a valid line");
//! assert_eq!(bytes, b"PING\r\n");
//! let (objects, error) = wire::decode_bytes(&*lines, Role::Server, &bytes);
//! assert_eq!(objects, ["{\"line\":\"PING\"}"]);
//! assert_eq!(error, None);
//! ```
#![forbid(unsafe_code)]

pub mod demo;
pub mod dns;
pub mod framing_proto;
pub mod h2;
pub mod http1;
pub mod json;
pub mod pop3;
pub mod proto;
pub mod smtp;
pub mod zone;

use std::fmt;

use bytes::BytesMut;
use serde_json::Value;

use crate::proto::{ItemError, Options, Protocol, Role, Sink};

/// A protocol with the options the fuzz targets use, by its command-line name: `length` (as
/// `--width 4`, big-endian, no type byte), `lines` (CRLF), `handshake` (the default magic),
/// `http1`, `dns`, `dns-tcp`, `smtp`, `pop3` (no `--answers`: every response single-line), `h2` and `hpack` (a 4096-octet
/// table). `None` for any other name.
pub fn protocol(name: &str) -> Option<Box<dyn Protocol>> {
    match name {
        "length" => Some(Box::new(framing_proto::Length::with_width(
            framing::length_delimited::LengthField::U32,
        ))),
        "lines" => Some(Box::new(framing_proto::Lines::default())),
        "handshake" => Some(Box::new(framing_proto::Handshake::default())),
        "http1" => Some(Box::new(http1::Http1 {})),
        "dns" => Some(Box::new(dns::Dns {})),
        "dns-tcp" => Some(Box::new(dns::DnsTcp {})),
        "smtp" => Some(Box::new(smtp::Smtp {})),
        "pop3" => Some(Box::new(pop3::Pop3::default())),
        "h2" => Some(Box::new(h2::H2 {})),
        "hpack" => Some(Box::new(h2::Hpack::default())),
        _ => None,
    }
}

/// Why `encode` refused its input: the line (counted from 1) and what is wrong with it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LineError {
    /// The input line, counted from 1.
    pub line: usize,
    /// What is wrong with it.
    pub message: String,
}

impl fmt::Display for LineError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "line {}: {}", self.line, self.message)
    }
}

/// `wire encode`: JSON Lines `input` (one object per line; blank lines skipped) through
/// `protocol`'s encoder as `role`, into bytes. The first line that is not UTF-8, not JSON or not
/// encodable stops encoding.
pub fn encode_lines(
    protocol: &dyn Protocol,
    role: Role,
    input: &[u8],
) -> Result<Vec<u8>, LineError> {
    let options = Options {
        role,
        lenient: Vec::new(),
    };
    let mut encoder = protocol.encoder(&options);
    let mut bytes = BytesMut::new();
    for (index, line) in input.split(|&b| b == b'\n').enumerate() {
        let refuse = |message: String| LineError {
            line: index + 1,
            message,
        };
        let text = std::str::from_utf8(line)
            .map_err(|e| refuse(format!("invalid UTF-8 at byte {}", e.valid_up_to())))?;
        if text.trim_matches([' ', '\t', '\r']).is_empty() {
            continue;
        }
        let item: Value =
            serde_json::from_str(text).map_err(|e| refuse(format!("invalid JSON: {e}")))?;
        encoder.encode(item, &mut bytes).map_err(refuse)?;
    }
    let lines = input.split(|&b| b == b'\n').count();
    encoder.finish().map_err(|message| LineError {
        line: lines,
        message,
    })?;
    Ok(bytes.to_vec())
}

/// `wire decode` without `--hex` or `--lenient`: all of `input` through `protocol`'s decoder as
/// `role`. Returns the objects printed, one JSON text each, and the error that stopped decoding
/// (which `wire` prints as a last line).
pub fn decode_bytes(
    protocol: &dyn Protocol,
    role: Role,
    input: &[u8],
) -> (Vec<String>, Option<ItemError>) {
    let options = Options {
        role,
        lenient: Vec::new(),
    };
    let mut out = Vec::new();
    let result = {
        let mut sink = Sink::new(&mut out);
        let result = protocol.decode(&options, input, &mut sink);
        // Writing to a Vec cannot fail.
        let _ = sink.finish();
        result
    };
    let lines = String::from_utf8_lossy(&out)
        .lines()
        .map(str::to_string)
        .collect();
    (lines, result.err())
}

/// The README's embedding examples, compiled as doc tests so they cannot rot (this crate
/// depends on every crate they use).
#[cfg(doctest)]
#[doc = include_str!("../../README.md")]
struct ReadmeDoctests;

/// framing's README example, as a doc test.
#[cfg(doctest)]
#[doc = include_str!("../../framing/README.md")]
struct FramingReadmeDoctests;

/// http-codec's README example, as a doc test.
#[cfg(doctest)]
#[doc = include_str!("../../http-codec/README.md")]
struct HttpCodecReadmeDoctests;

/// smtp-codec's README example, as a doc test.
#[cfg(doctest)]
#[doc = include_str!("../../smtp-codec/README.md")]
struct SmtpCodecReadmeDoctests;

/// dns-codec's README example, as a doc test.
#[cfg(doctest)]
#[doc = include_str!("../../dns-codec/README.md")]
struct DnsCodecReadmeDoctests;
