//! HTTP/1.0 and HTTP/1.1 (RFC 9112): the head parser, message bodies in every framing, the
//! encoders, and the client and server sessions.
//!
//! Everything here is also re-exported at the crate root (`http_codec::RequestDecoder` is
//! `http_codec::h1::RequestDecoder`), so code written before HTTP/2 arrived keeps compiling; the
//! version-independent semantics ([`crate::Request`], [`crate::Response`], [`crate::Headers`],
//! [`crate::typed`]) live at the root and are shared with [`crate::h2`].

pub mod blocking;
pub(crate) mod chunked;
pub(crate) mod client;
pub(crate) mod codec;
pub(crate) mod config;
pub(crate) mod duplex;
pub mod encode;
pub mod head;
pub(crate) mod leniency;
pub(crate) mod limits;
pub mod message_body;
pub(crate) mod parse;
pub(crate) mod scan;
pub(crate) mod server;

pub use client::{ClientEvent, ClientSession};
pub use codec::{Event, RequestDecoder, ResponseDecoder};
pub use config::Config;
pub use duplex::{ClientCodec, ServerCodec};
pub use encode::{RequestEncoder, ResponseEncoder};
pub use leniency::{LENIENCY_FLAGS, Leniency};
pub use limits::Limits;
pub use message_body::{BodyKind, Connection};
pub use parse::request_line::TargetForm;
pub use server::{ServerEvent, ServerSession};
