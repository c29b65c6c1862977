//! Sans-IO SMTP (RFC 5321) with its extensions: commands and replies parsed and written, message
//! content (DATA with dot-stuffing, BDAT chunks) read and written safe against SMTP smuggling.
//! No sockets: bytes in, typed items out.
//!
//! The sessions hold every connection rule; two thin adapters drive them over real streams:
//! [`blocking::Client`] (std::io) and, with the `tokio` feature, `tokio::ServerConnection`. The
//! runnable examples `smtp_server` (tokio) and `smtp_send` (blocking) are built on them.
//!
//! | item | what | RFC |
//! |---|---|---|
//! | [`Limits`] | line and content limits with safe defaults | RFC 5321 §4.5.3.1 |
//! | [`Leniency`] | named relaxations, all off by default | |
//! | [`Error`] | why input was refused: byte offset, production, rule | |
//! | [`data`] | DATA content: dot-unstuffing decoder, dot-stuffing encoder, `<CRLF>.<CRLF>` only | RFC 5321 §4.1.1.4, §4.5.2 |
//! | [`bdat`] | BDAT chunks of exactly the announced size, binary-safe | RFC 3030 §2 |
//! | [`Command`], [`CommandDecoder`], [`CommandEncoder`] | command lines: EHLO, MAIL, RCPT, AUTH, BDAT, ... | RFC 5321 §4.1.1, RFC 3207, 4954, 3030 |
//! | [`CommandRef`], [`CommandDecoder::decode_with`] | the same command lines parsed in place (values as slices of the line, MAIL/RCPT parameters kept inline): no allocation, same checks and errors | RFC 5321 §4.1.1, §4.1.2 |
//! | [`Mailbox`], [`Domain`], [`ReversePath`], [`ForwardPath`] | paths, validated (no CR, LF, NUL) | RFC 5321 §4.1.2, §4.1.3, RFC 6531 |
//! | [`Parameter`] | MAIL and RCPT parameters, typed | RFC 1870, 3461, 4954, 6152, 6531, 6710, 8689 |
//! | [`Reply`], [`ReplyDecoder`], [`ReplyEncoder`] | replies, multi-line, enhanced status codes | RFC 5321 §4.2, RFC 3463 |
//! | [`ClientSession`], [`ClientConfig`], [`Envelope`], [`ClientEvent`], [`TlsPolicy`] | the sans-IO client: greeting, EHLO, transactions (PIPELINING, CHUNKING, SIZE, SMTPUTF8), STARTTLS | RFC 5321 §3, §4.3.2, RFC 2920, 3030, 3207 |
//! | [`Capabilities`] | the EHLO reply, typed | RFC 5321 §4.1.1.1 and the extensions' RFCs |
//! | [`ServerSession`], [`ServerConfig`], [`ServerEvent`] | sans-IO server: command order, replies in order, PIPELINING, AUTH, STARTTLS | RFC 5321 §3, §4.1.4, RFC 2920, 3207, 4954, 3030 |
//! | [`blocking::Client`] | the client session over `Read + Write`: connect, send_mail, quit | RFC 5321 §3 |
//! | `tokio::ServerConnection` (feature `tokio`) | the server session over a tokio stream, with the idle timeout | RFC 5321 §4.5.3.2.7 |
//!
//! ```
//! use bytes::BytesMut;
//! use framing::Decoder;
//! use smtp_codec::data::{DataDecoder, DataEvent};
//! use smtp_codec::{Command, CommandDecoder, Error, Leniency, Limits};
//!
//! // Pipelined commands, each decoded from its line; the DATA content follows the last one.
//! let mut input = BytesMut::from(
//!     &b"MAIL FROM:<a@example.org> SIZE=1000\r\nRCPT TO:<b@example.net>\r\nDATA\r\n"[..],
//! );
//! let mut commands = CommandDecoder::new(Limits::default(), Leniency::strict());
//! let Some(Command::Mail { from, .. }) = commands.decode(&mut input)? else { unreachable!() };
//! assert_eq!(from.to_string(), "a@example.org");
//! assert!(matches!(commands.decode(&mut input)?, Some(Command::Rcpt { .. })));
//! assert_eq!(commands.decode(&mut input)?, Some(Command::Data));
//!
//! // The content: a leading dot unstuffed, and only <CRLF>.<CRLF> ends it.
//! let mut content = BytesMut::from(&b"..dot\r\nbody\r\n.\r\nQUIT\r\n"[..]);
//! let mut data = DataDecoder::new(Limits::default(), Leniency::strict());
//! let mut message = Vec::new();
//! while let Some(DataEvent::Data(piece)) = data.decode(&mut content)? {
//!     message.extend_from_slice(&piece);
//! }
//! assert_eq!(message, b".dot\r\nbody\r\n");
//! assert_eq!(&content[..], b"QUIT\r\n"); // the next command stays in the buffer
//!
//! // SMTP smuggling: a bare LF before the dot is refused, never an end of data.
//! let mut hostile = BytesMut::from(&b"x\r\n\n.\r\n"[..]);
//! let mut data = DataDecoder::new(Limits::default(), Leniency::strict());
//! let error = loop {
//!     match data.decode(&mut hostile) {
//!         Ok(Some(DataEvent::Data(_))) => continue, // "x\r\n" comes first
//!         other => break other,
//!     }
//! };
//! assert!(matches!(error, Err(Error::BareLineEnd { offset: 3, .. })), "{error:?}");
//! # Ok::<(), Error>(())
//! ```
#![forbid(unsafe_code)]

mod auth;
pub mod bdat;
pub mod blocking;
mod capability;
pub mod client;
pub mod codec;
mod command;
pub mod data;
mod domain;
pub mod error;
mod leniency;
mod limits;
mod mailbox;
mod param;
mod parse;
mod path;
mod reply;
mod server;
mod text;
#[cfg(feature = "tokio")]
pub mod tokio;

pub use auth::{AuthResponse, InitialResponse, Mechanism};
pub use capability::{Capabilities, Capability};
pub use client::{ClientConfig, ClientEvent, ClientSession, Envelope, TlsPolicy};
pub use codec::{CommandDecoder, CommandEncoder, ReplyDecoder, ReplyEncoder};
pub use command::{Argument, Command, CommandRef};
pub use domain::{AddressLiteral, Domain, DomainRef};
pub use error::Error;
pub use leniency::{LENIENCY_FLAGS, Leniency};
pub use limits::Limits;
pub use mailbox::{Mailbox, MailboxRef};
pub use param::{
    Body, Notify, OtherParameter, Parameter, ParameterRef, ParamsRef, Ret, XText, XTextRef,
};
pub use path::{ForwardPath, ForwardPathRef, ReversePath, ReversePathRef};
pub use reply::{EnhancedCode, Reply};
pub use server::{ServerConfig, ServerEvent, ServerSession};
