//! Sans-IO POP3 (RFC 1939) with its extensions (RFC 2449 CAPA and response codes, RFC 5034
//! SASL, RFC 2595 STLS, RFC 6856 UTF8 and LANG): commands and responses parsed and written,
//! multi-line responses dot-unstuffed as they stream. No sockets: bytes in, typed items out.
//!
//! The sessions hold every connection rule; two thin adapters drive them over real streams:
//! [`blocking::Client`] (std::io) and, with the `tokio` feature, `tokio::ServerConnection`. The
//! runnable examples `pop3_server` (tokio) and `pop3_fetch` (blocking) are built on them.
//!
//! | item | what | RFC |
//! |---|---|---|
//! | [`Limits`] | 255-octet command lines, 40-octet arguments, 512-octet response lines | RFC 2449 §4 |
//! | [`Leniency`] | named relaxations, all off by default | |
//! | [`Error`] | why input was refused: byte offset, production, rule | |
//! | [`Command`], [`CommandDecoder`], [`CommandEncoder`] | USER, PASS, APOP, STAT, LIST, RETR, DELE, NOOP, RSET, QUIT, TOP, UIDL, CAPA, AUTH, STLS, UTF8, LANG | RFC 1939 §4-§7, RFC 2449 §5, RFC 5034 §4, RFC 2595 §4, RFC 6856 |
//! | [`Response`], [`ResponseCode`], [`ResponseDecoder`], [`ResponseEncoder`] | `+OK` / `-ERR`, response codes, multi-line content dot-unstuffed, `+` challenges | RFC 1939 §3, RFC 2449 §8, RFC 3206, RFC 5034 §4 |
//! | [`Capabilities`] | the CAPA response, typed | RFC 2449 §6 |
//! | [`apop_digest`], [`sasl_plain`] | APOP's MD5 digest, SASL PLAIN's message | RFC 1939 §7, RFC 4616 |
//! | [`ServerSession`], [`Maildrop`] | the server: states, logins, the TRANSACTION commands answered from a maildrop, STLS | RFC 1939 §3-§8, RFC 2595 §4 |
//! | [`ClientSession`] | the client: logins, typed answers, streamed messages, PIPELINING, STLS | RFC 1939, RFC 2449 §6.6 |
//!
//! ```
//! use pop3_codec::server::VecMaildrop;
//! use pop3_codec::{ClientEvent, ClientSession, Error, ServerConfig, ServerEvent, ServerSession};
//!
//! // A client and a server in memory, the server accepting any login.
//! fn run(c: &mut ClientSession, s: &mut ServerSession<VecMaildrop>) -> Result<(), Error> {
//!     loop {
//!         let mut moved = false;
//!         while let Some(b) = s.poll_transmit() { c.receive(&b); moved = true; }
//!         while let Some(b) = c.poll_transmit() { s.receive(&b); moved = true; }
//!         while let Some(event) = s.poll_event()? {
//!             if let ServerEvent::Login { .. } = event {
//!                 s.accept(VecMaildrop::new(vec![b"Subject: hi\r\n\r\n.dot\r\n".to_vec()]))?;
//!             }
//!             moved = true;
//!         }
//!         if !moved { return Ok(()); }
//!     }
//! }
//! let mut server = ServerSession::new(ServerConfig::default());
//! let mut client = ClientSession::default();
//! run(&mut client, &mut server)?;
//! client.login("alice", "secret")?;
//! client.retr(1)?; // pipelined behind the login: sent once PASS is answered
//! run(&mut client, &mut server)?;
//! let mut message = Vec::new();
//! while let Some(event) = client.poll_event()? {
//!     if let ClientEvent::Data(piece) = event {
//!         message.extend_from_slice(&piece);
//!     }
//! }
//! assert_eq!(message, b"Subject: hi\r\n\r\n.dot\r\n"); // sent as "..dot", read unstuffed
//! # Ok::<(), pop3_codec::Error>(())
//! ```
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
