//! Sans-IO POP3 (RFC 1939) with its extensions (RFC 2449 CAPA and response codes, RFC 5034
//! SASL, RFC 2595 STLS, RFC 6856 UTF8 and LANG): commands and responses parsed and written,
//! multi-line responses dot-unstuffed as they stream. No sockets: bytes in, typed items out.
#![forbid(unsafe_code)]

mod apop;
pub mod blocking;
mod capability;
pub mod client;
pub mod codec;
mod command;
pub mod error;
mod leniency;
mod limits;
mod response;
mod sasl;
pub mod server;
#[cfg(feature = "tokio")]
pub mod tokio;

pub use apop::apop_digest;
pub use capability::{Capabilities, Capability};
pub use client::{ClientConfig, ClientEvent, ClientSession};
pub use codec::{
    CommandDecoder, CommandEncoder, Expect, ResponseDecoder, ResponseEncoder, ResponseEvent,
};
pub use command::{Argument, Command};
pub use error::Error;
pub use leniency::{LENIENCY_FLAGS, Leniency};
pub use limits::Limits;
pub use response::{Challenge, Response, ResponseCode};
pub use sasl::{AuthResponse, InitialResponse, Mechanism, sasl_plain, sasl_plain_message};
pub use server::{Maildrop, ServerConfig, ServerEvent, ServerSession};
