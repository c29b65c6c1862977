//! Sans-IO HTTP/1.0 and HTTP/1.1 (RFC 9110, RFC 9112): a strict head parser, message bodies in
//! every framing, and serialization.
//!
//! | module | what | RFC |
//! |---|---|---|
//! | [`head`] | borrowed, allocation-free head parser | RFC 9112 §2-5 |
//! | [`Config`], [`Limits`], [`Leniency`] | limits and named relaxations | |
//! | [`error`] | why a message was refused, with the status to answer | RFC 9110 §15 |
#![forbid(unsafe_code)]

mod chunked;
mod client;
mod codec;
mod config;
mod duplex;
pub mod encode;
pub mod error;
mod field;
pub mod head;
#[cfg(feature = "http")]
pub mod http_compat;
mod leniency;
mod limits;
mod message;
pub mod message_body;
pub(crate) mod parse;
mod scan;
mod server;
pub mod typed;
mod version;

pub use client::{ClientEvent, ClientSession};
pub use codec::{Event, RequestDecoder, ResponseDecoder};
pub use config::Config;
pub use duplex::{ClientCodec, ServerCodec};
pub use encode::{RequestEncoder, ResponseEncoder};
pub use error::{Error, Limit};
pub use field::{Field, Headers};
pub use leniency::{LENIENCY_FLAGS, Leniency};
pub use limits::Limits;
pub use message::{Request, Response, reason_phrase};
pub use message_body::{BodyKind, Connection};
pub use parse::request_line::TargetForm;
pub use server::{ServerEvent, ServerSession};
pub use version::Version;
