//! Sans-IO framing: the codec traits every protocol crate of the workspace implements,
//! length-prefixed and delimited frames, a version handshake, and thin adapters for blocking and
//! async I/O.
//!
//! Nothing here opens a socket, reads a clock or spawns a task: codecs turn bytes into items and
//! back, sessions are state machines fed bytes and asked what to send. The adapters
//! ([`blocking`], and `tokio` / `futures` behind features of those names) are the only code that
//! touches a stream.
//!
//! | module | what |
//! |---|---|
//! | [`codec`] | [`Decoder`] / [`Encoder`], mirroring `tokio_util::codec` |
//! | [`length_delimited`] | `length + [type] + payload` frames, 1 to 8-byte lengths |
//! | [`delimited`] | lines ending in CRLF (strict), LF, or any delimiter |
//! | [`dot_stuffing`] | dot-stuffed content ending at CRLF.CRLF (SMTP DATA, POP3 multi-line responses) |
//! | [`text_line`] | command and response lines of text protocols: limits, and recovery after a refused line |
//! | [`handshake`] | a 16-byte hello, version and capability negotiation |
//! | [`session`] | the sans-IO session trait the drivers run: receive, poll_event, poll_transmit |
//! | [`blocking`] | `Framed` and `SessionDriver` over `std::io::Read + Write` |
//! | [`error`] | one error type, and which errors are final |
//! | [`testing`] | feed any decoder in pieces, for split-invariance tests |
//!
//! ```
//! use bytes::BytesMut;
//! use framing::{Decoder, Encoder, Error};
//! use framing::length_delimited::{Frame, LengthDelimited, LengthField};
//!
//! // struct message { uint16_t length; uint8_t type; uint8_t payload[]; }
//! let mut codec = LengthDelimited::builder()
//!     .length_field(LengthField::U16)
//!     .known_types([1, 2])
//!     .max_frame_length(1024)
//!     .build();
//! let mut wire = BytesMut::new();
//! codec.encode(Frame::typed(1, "ping"), &mut wire)?;
//! assert_eq!(&wire[..], b"\x00\x04\x01ping");
//!
//! // Bytes arrive in pieces: incomplete input is Ok(None), not an error.
//! let mut buf = BytesMut::from(&wire[..3]);
//! assert_eq!(codec.decode(&mut buf)?, None);
//! buf.extend_from_slice(&wire[3..]);
//! assert_eq!(codec.decode(&mut buf)?, Some(Frame::typed(1, "ping")));
//!
//! // A frame claiming more than the limit is refused as soon as its length is read; offsets
//! // count from the start of the stream (the 7-byte frame above came first).
//! let mut hostile = BytesMut::from(&b"\xff\xff\x01"[..]);
//! assert_eq!(
//!     codec.decode(&mut hostile),
//!     Err(Error::TooLarge { offset: 7, limit: 1024, claimed: 65535 })
//! );
//! # Ok::<(), Error>(())
//! ```
#![forbid(unsafe_code)]

pub mod blocking;
pub mod codec;
pub mod delimited;
pub mod dot_stuffing;
pub mod error;
mod found;
#[cfg(feature = "futures")]
pub mod futures;
pub mod handshake;
mod into_bytes;
pub mod length_delimited;
mod read_buffer;
pub mod session;
pub mod testing;
pub mod text_line;
#[cfg(feature = "tokio")]
pub mod tokio;

pub use codec::{Decoder, Encoder};
pub use error::{AdapterError, Error};
pub use found::Found;
pub use into_bytes::IntoBytes;
pub use session::Session;
