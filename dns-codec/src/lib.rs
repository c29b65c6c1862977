//! Sans-IO DNS messages: the wire format of RFC 1035 §4 with EDNS (RFC 6891), decoded into
//! owned types and encoded back with name compression, strict against hostile input.
//!
//! | module | what |
//! |---|---|
//! | [`message`] | [`Message`]: header, four sections, EDNS; `decode` / `encode` |
//! | [`header`] | [`Header`], [`Opcode`], [`Rcode`] (RFC 1035 §4.1.1, RFC 4035, RFC 6891) |
//! | [`name`] | [`Name`]: labels, compression pointers read iteratively, presentation form |
//! | [`question`], [`record`] | [`Question`], [`Record`] (RFC 1035 §4.1.2-3) |
//! | [`rdata`] | [`RData`], typed: A, AAAA, NS, CNAME, PTR, MX, TXT, SOA, HINFO (RFC 1035), DNAME (RFC 6672), SRV (RFC 2782), NAPTR (RFC 3403), CAA (RFC 8659), SSHFP (RFC 4255), TLSA (RFC 6698), DS, DNSKEY, RRSIG, NSEC (RFC 4034), NSEC3, NSEC3PARAM (RFC 5155), CSYNC (RFC 7477), SVCB, HTTPS (RFC 9460); every other type opaque (RFC 3597) |
//! | [`edns`] | [`Edns`], [`EdnsOption`] (RFC 6891 §6) |
//! | [`edns_option`] | [`OptionData`]: typed client subnet, cookie, padding, extended error (RFC 7871, 7873, 7830, 8914) |
//! | [`reader`] | [`reader::MessageReader`]: allocation-free lazy walk of the sections, borrowed names and records |
//! | [`tcp`] | [`tcp::TcpCodec`]: two-octet length prefixes (RFC 1035 §4.2.2, RFC 7766) |
//! | [`builder`] | [`builder::QueryBuilder`], [`builder::ResponseBuilder`], [`Message::response_to`] |
//! | [`truncate`] | [`truncate::fit`]: a UDP response cut to size by whole RRsets, TC set (RFC 1035 §4.2.1, RFC 2181 §9) |
//! | [`client`] | [`client::StubClient`]: sans-IO stub resolver: matching, retransmission, TC → TCP, EDNS fallback |
//! | `resolver` | `resolver::blocking::Resolver` (feature `resolver`, on by default) and `resolver::tokio::Resolver` (feature `tokio`): the client over real sockets, random IDs |
//! | [`zone`] | [`zone::ZoneReader`] (fed in pieces, memory bounded by the longest entry), [`zone::parse`] / [`zone::write`]: zone files (RFC 1035 §5.1) with `$ORIGIN`, `$TTL`, BIND units |
//! | [`idna`] | Punycode (RFC 3492) and U-label ↔ A-label names (RFC 5890): [`Name::from_unicode`], [`Name::to_unicode`] |
//! | [`limits`], [`error`] | [`Limits`] and [`Error`], every error with its byte offset |
//! | [`Leniency`] | named relaxations: SRV/NAPTR name decompression (RFC 3597 §4, on by default), trailing bytes |
//!
//! ```
//! use dns_codec::{Message, Question, RData, Record, RType, Name, Edns};
//! use std::net::Ipv4Addr;
//!
//! let mut query = Message::default();
//! query.header.id = 0x1234;
//! query.header.rd = true;
//! query.question.push(Question::new("www.example.com.".parse()?, RType::A));
//! query.edns = Some(Edns::default());
//! let wire = query.encode()?;
//! assert_eq!(Message::decode(&wire)?, query);
//!
//! let mut response = query.clone();
//! response.header.qr = true;
//! response.answer.push(Record::new(
//!     "www.example.com.".parse()?,
//!     300,
//!     RData::A(Ipv4Addr::new(192, 0, 2, 1)),
//! ));
//! let wire = response.encode()?;
//! // The answer's owner is a two-byte pointer to the question's name.
//! assert_eq!(&wire[33..35], b"\xc0\x0c");
//! let back = Message::decode(&wire)?;
//! assert_eq!(back.answer[0].data.to_string(), "192.0.2.1");
//!
//! // A compression pointer that points forward is refused with its offset.
//! let hostile = b"\0\0\0\0\0\x01\0\0\0\0\0\0\xc0\x0c\0\x01\0\x01";
//! assert_eq!(
//!     Message::decode(hostile),
//!     Err(dns_codec::Error::ForwardPointer { offset: 12, target: 12 })
//! );
//! # let _ = Name::root();
//! # Ok::<(), dns_codec::Error>(())
//! ```
#![forbid(unsafe_code)]

pub mod builder;
pub mod class;
pub mod client;
mod compress;
mod cursor;
pub mod edns;
pub mod edns_option;
pub mod error;
pub mod header;
pub mod idna;
mod leniency;
pub mod limits;
pub mod message;
pub mod name;
mod presentation;
pub mod question;
pub mod rdata;
pub mod reader;
pub mod record;
#[cfg(feature = "resolver")]
pub mod resolver;
pub mod rtype;
#[cfg(feature = "proptest")]
pub mod strategies;
pub mod tcp;
pub mod truncate;
pub mod zone;

pub use class::Class;
pub use edns::{Edns, EdnsOption};
pub use edns_option::OptionData;
pub use error::Error;
pub use header::{Header, Opcode, Rcode};
pub use leniency::{LENIENCY_FLAGS, Leniency};
pub use limits::Limits;
pub use message::Message;
pub use name::Name;
pub use question::Question;
pub use rdata::RData;
pub use record::Record;
pub use rtype::RType;
