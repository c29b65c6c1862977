//! Sans-IO HTTP/1.0, HTTP/1.1 (RFC 9112) and HTTP/2 (RFC 9113) over shared HTTP semantics
//! (RFC 9110): a strict head parser, message bodies in every framing, serialization that gives
//! back what it parsed, client and server sessions that keep the connection's rules, and HTTP/2
//! frames, HPACK and connections. No sockets: bytes in, events out.
//!
//! | item | what | RFC |
//! |---|---|---|
//! | [`h1`] | HTTP/1.x; every item below is also re-exported here at the root | RFC 9112 |
//! | [`h2`] | HTTP/2 frames, a public [`h2::hpack`], the sans-IO connection for both roles | RFC 9113, RFC 7541 |
//! | [`head`] | borrowed, allocation-free head parser (the hot path) | RFC 9112 §2-5 |
//! | [`RequestDecoder`], [`ResponseDecoder`] | streaming [`framing::Decoder`]s: head, body data, end with trailers | RFC 9112 §6-7 |
//! | [`RequestEncoder`], [`ResponseEncoder`], [`encode`] | heads byte for byte, Content-Length / chunked / close-delimited bodies | RFC 9112 §6-7 |
//! | [`ServerSession`], [`ClientSession`] | keep-alive, pipelining order, 100-continue, protocol switch | RFC 9112 §9, RFC 9110 §7.8 |
//! | [`ServerCodec`], [`ClientCodec`] | decoder + encoder of one connection, for `framing` adapters | |
//! | [`blocking::Client`] | a blocking client: send a request with its body, read a whole response | RFC 9112 §9 |
//! | [`message_body`] | how long a body is, and the request smuggling checks | RFC 9112 §6.3 |
//! | [`typed`] | HTTP-date, Content-Type, Cookie, Set-Cookie, Cache-Control, percent and form encoding | RFC 9110, 9111, 6265, 3986 |
//! | [`Config`], [`Limits`], [`Leniency`] | limits with safe defaults, named relaxations (all off) | |
//! | [`error`] | why a message was refused: byte offset, production, status code | RFC 9110 §15 |
//! | `http_compat` (feature `http`) | conversions to and from the `http` crate | |
//!
//! Strict by default: bare LF, obs-fold, whitespace before the colon, Transfer-Encoding with
//! Content-Length, and the other request-smuggling shapes are refused with the status code to
//! answer ([`Error::status`]); each relaxation is a [`Leniency`] flag that names the attack it
//! re-opens.
//!
//! ```
//! use bytes::BytesMut;
//! use framing::{Decoder, Encoder};
//! use http_codec::{Event, Headers, RequestDecoder, Response, ResponseEncoder};
//!
//! let mut decoder = RequestDecoder::default();
//! let mut input = BytesMut::from(&b"GET /hello HTTP/1.1\r\nHost: example.com\r\n\r\n"[..]);
//! let Some(Event::Head(request)) = decoder.decode(&mut input)? else { unreachable!() };
//! assert_eq!(request.target, "/hello");
//! assert_eq!(request.headers.get("host"), Some(&b"example.com"[..]));
//! assert!(matches!(decoder.decode(&mut input)?, Some(Event::End(_))));
//!
//! let mut encoder = ResponseEncoder::default();
//! let mut output = BytesMut::new();
//! let mut response = Response::new(200);
//! response.headers.append("Content-Length", "2")?;
//! encoder.encode(Event::Head(response), &mut output)?;
//! encoder.encode(Event::Data("hi".into()), &mut output)?;
//! encoder.encode(Event::End(Headers::new()), &mut output)?;
//! assert_eq!(&output[..], b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nhi");
//!
//! // Request smuggling: both framing fields at once is refused, with the status to answer.
//! let mut hostile = BytesMut::from(
//!     &b"POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n"[..],
//! );
//! let error = RequestDecoder::default().decode(&mut hostile).unwrap_err();
//! assert_eq!(error.status(), 400);
//! # Ok::<(), http_codec::Error>(())
//! ```
#![forbid(unsafe_code)]

#[cfg(feature = "arbitrary")]
mod arbitrary_impls;
pub(crate) mod chars;
pub mod error;
mod field;
pub mod h1;
pub mod h2;
#[cfg(feature = "http")]
pub mod http_compat;
mod message;
pub mod typed;
mod version;

// HTTP/1 at the root as well: it was the crate's whole API before HTTP/2, and most users of
// `http_codec::RequestDecoder` and friends mean HTTP/1 anyway.
pub use h1::{
    BodyKind, ClientCodec, ClientEvent, ClientSession, Config, Connection, Event, LENIENCY_FLAGS,
    Leniency, Limits, RequestDecoder, RequestEncoder, ResponseDecoder, ResponseEncoder,
    ServerCodec, ServerEvent, ServerSession, TargetForm, blocking, encode, head, message_body,
};

pub use error::{Error, Limit};
pub use field::{Field, Headers};
pub use message::{Request, Response, reason_phrase};
pub use version::Version;
