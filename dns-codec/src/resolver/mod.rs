//! Resolvers that own their sockets: thin drivers of the sans-IO [`StubClient`] (RFC 1035 §7,
//! RFC 1123 §6.1.3, RFC 7766 §5, RFC 6891 §7).
//!
//! [`blocking::Resolver`] (std only) and, behind the `tokio` feature, `tokio::Resolver` send
//! one question to one server and return the response: [`blocking::Resolver::resolve`]`(name,
//! rtype) -> Message`. They own a UDP socket, the TCP connection (opened on the first
//! [`Transport::Tcp`](crate::client::Transport::Tcp) transmit and kept for the next; RFC 7766 §6.2.1), the clock and the
//! timers, and nothing else: retransmission, matching, the retry over TCP after a truncated
//! answer and the retry without EDNS after a FORMERR are the [`StubClient`]'s, and the
//! resolvers only carry bytes between it and the sockets:
//!
//! - [`StubClient::poll_transmit`] goes to the UDP socket or the TCP stream;
//! - [`StubClient::poll_timeout`] bounds each wait for a socket, then
//!   [`StubClient::handle_timeout`] runs;
//! - a datagram goes to [`StubClient::receive_udp`], `from_expected_server` being whether its
//!   source address is the server's (RFC 5452 §9.1); TCP bytes go to
//!   [`StubClient::receive_tcp`], the end of the stream (or a broken one) to
//!   [`StubClient::receive_tcp_eof`].
//!
//! One question at a time (`&mut self`): while a query waits, the resolver reads the transport
//! its last transmit went by (the client ignores UDP answers to a query it moved to TCP).
//!
//! Every query ID is drawn from the operating system's random source ([`getrandom`]), never a
//! counter (RFC 5452 §9.2: an unpredictable ID is half of the defence against spoofed answers,
//! the source port the system picks the other); an ID in use is drawn again.
//!
//! What happened on the way to the answer, [`Event::Truncated`] and [`Event::EdnsFallback`],
//! is kept for [`blocking::Resolver::last_events`].
//!
//! ```
//! use dns_codec::resolver::blocking::Resolver;
//! use dns_codec::{Message, RData, RType, Record};
//! use std::net::{Ipv4Addr, UdpSocket};
//!
//! // A one-answer server on 127.0.0.1, for the example.
//! let server = UdpSocket::bind("127.0.0.1:0")?;
//! let addr = server.local_addr()?;
//! std::thread::spawn(move || -> Result<(), Box<dyn std::error::Error + Send + Sync>> {
//!     let mut buf = [0; 512];
//!     let (n, from) = server.recv_from(&mut buf)?;
//!     let query = Message::decode(buf.get(..n).unwrap_or_default())?;
//!     let mut response = Message::response_to(&query);
//!     let owner = query.question[0].name.clone();
//!     response.answer.push(Record::new(owner, 60, RData::A(Ipv4Addr::new(192, 0, 2, 1))));
//!     server.send_to(&response.encode()?, from)?;
//!     Ok(())
//! });
//!
//! let mut resolver = Resolver::new(addr)?;
//! let answer = resolver.resolve(&"www.example.".parse()?, RType::A)?;
//! assert_eq!(answer.answer[0].data, RData::A(Ipv4Addr::new(192, 0, 2, 1)));
//! assert!(resolver.last_events().is_empty()); // no truncation, no EDNS fallback
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

pub mod blocking;
mod server;
#[cfg(feature = "tokio")]
pub mod tokio;

pub use server::{DNS_PORT, nameserver_from_resolv_conf, parse_server, system_nameserver};

use std::io;
use std::net::{Ipv4Addr, Ipv6Addr, SocketAddr};
use std::time::{Duration, Instant};

use crate::client::{Event, FailReason, QueryError, QueryId, StubClient};
use crate::message::Message;
use crate::question::Question;

/// Why a resolver returned no response.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ResolveError {
    /// A socket failed (sending, connecting, reading), or the random source did.
    #[error("I/O: {0}")]
    Io(#[from] io::Error),
    /// The client gave up on the query: no answer in time, the TCP connection closed, ...
    #[error("query failed: {0}")]
    Failed(FailReason),
    /// The client refused the query (it does not encode).
    #[error("the query was refused: {0}")]
    Query(QueryError),
}

/// How many IDs are drawn before giving up when each is in use (one query at a time: the
/// first always does).
const ID_DRAWS: usize = 16;

/// A query ID from the operating system's random source (RFC 5452 §9.2).
fn random_id() -> io::Result<u16> {
    let bits = getrandom::u32().map_err(|e| io::Error::other(format!("random source: {e}")))?;
    Ok((bits >> 16) as u16)
}

/// Starts `question` with a random ID, drawing again while the ID is in use.
fn start(
    client: &mut StubClient,
    question: &Question,
    now: Instant,
) -> Result<QueryId, ResolveError> {
    let mut last = None;
    for _ in 0..ID_DRAWS {
        match client.query(question.clone(), random_id()?, now) {
            Ok(query) => return Ok(query),
            Err(e @ QueryError::IdInUse { .. }) => last = Some(e),
            Err(e) => return Err(ResolveError::Query(e)),
        }
    }
    Err(ResolveError::Query(
        last.unwrap_or(QueryError::IdInUse { id: 0 }),
    ))
}

/// Takes the client's events: those of `query` before its end go to `seen`; its answer or
/// failure, when it came, is returned. Events of other queries (cancelled ones) are dropped.
fn outcome(
    client: &mut StubClient,
    query: QueryId,
    seen: &mut Vec<Event>,
) -> Option<Result<Message, ResolveError>> {
    while let Some(event) = client.poll_event() {
        if event.query() != query {
            continue;
        }
        match event {
            Event::Answer { message, .. } => return Some(Ok(message)),
            Event::Failed { reason, .. } => return Some(Err(ResolveError::Failed(reason))),
            other => seen.push(other),
        }
    }
    None
}

/// The address to bind a UDP socket to for talking to `server`: the unspecified address of
/// its family, a port the system picks (RFC 5452 §9.2: an unpredictable source port).
fn local_for(server: SocketAddr) -> SocketAddr {
    match server {
        SocketAddr::V4(_) => SocketAddr::from((Ipv4Addr::UNSPECIFIED, 0)),
        SocketAddr::V6(_) => SocketAddr::from((Ipv6Addr::UNSPECIFIED, 0)),
    }
}

/// How long to wait for a socket before the timer at `deadline`: at least 1 ms (a zero socket
/// timeout means none at all).
fn wait_until(deadline: Instant, now: Instant) -> Duration {
    deadline
        .saturating_duration_since(now)
        .max(Duration::from_millis(1))
}

/// The error for a client that has nothing pending yet reported no end for the query (the
/// client promises it never happens).
fn lost() -> ResolveError {
    ResolveError::Io(io::Error::other(
        "the client forgot the query without an answer or a failure",
    ))
}

/// A UDP datagram's largest size (RFC 6891 §6.2.3: the payload size is 16 bits).
const MAX_DATAGRAM: usize = 65535;
