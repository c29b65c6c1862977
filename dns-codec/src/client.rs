//! A sans-IO stub resolver client (RFC 1035 §7, RFC 1123 §6.1.3.3, RFC 5452, RFC 6891 §7,
//! RFC 7766 §5): queries out, answers in, with the timers of a retransmitting UDP client.
//!
//! The caller owns the sockets, the clock and the randomness: it passes a random 16-bit ID to
//! every [`StubClient::query`] (RFC 5452 §9.2: unpredictable IDs are half of the spoofing
//! defence), the current [`Instant`] to every call that may start a timer, and writes what
//! [`StubClient::poll_transmit`] returns to the server: a [`Transport::Udp`] datagram, or
//! [`Transport::Tcp`] bytes (two-octet length prefix included, RFC 1035 §4.2.2) for the one TCP
//! connection the client uses for all its TCP queries.
//!
//! Rules:
//!
//! - **Matching** (RFC 5452 §3 and §9.1, the Kaminsky defence): a response counts only if it
//!   came from the server's address (the caller says so: `from_expected_server`), is a
//!   response (QR set, OPCODE QUERY), has the ID of a query waiting on that transport, and
//!   repeats its question: one entry with the same name (case-insensitive, RFC 4343), type and
//!   class. Everything else is dropped and counted in [`StubClient::ignored`]; the query keeps
//!   waiting. One exception: a FORMERR with an empty question section and the right ID and
//!   source is taken as the server refusing our OPT record (servers that cannot parse a query
//!   often cannot echo its question); all it can cause is the retry without EDNS.
//! - **Retransmission** (RFC 1123 §6.1.3.3, RFC 1536 §1): a UDP query is sent again when
//!   its timer runs out, [`ClientConfig::initial_timeout`] after the first transmission, then
//!   doubling (1 s, 2 s, 4 s by default) up to [`ClientConfig::max_timeout`], the same bytes
//!   with the same ID each time, so a late answer to any transmission is accepted. After
//!   [`ClientConfig::udp_attempts`] transmissions the query fails with
//!   [`FailReason::Timeout`].
//! - **Truncation** (RFC 1035 §4.2.1, RFC 7766 §5): a matching UDP response with TC set is
//!   not an answer: the same query goes over TCP, with [`ClientConfig::tcp_timeout`] to get its
//!   answer, and [`Event::Truncated`] says so; UDP responses for it are then ignored.
//!   Responses over TCP may arrive in any pieces and in any order (RFC 7766 §7).
//! - **EDNS fallback** (RFC 6891 §7): a FORMERR to a query that carried an OPT record is
//!   answered by sending the query once more without it (new timers, same ID), and
//!   [`Event::EdnsFallback`] says so; a FORMERR to that is the answer.
//! - **Events**: each [`QueryId`] gets exactly one [`Event::Answer`] or [`Event::Failed`], its
//!   last event; before it, at most one [`Event::Truncated`] and at most one
//!   [`Event::EdnsFallback`], each reported right before the transmit it explains.
//! - **Sharing** (RFC 5452 §5, birthday attacks): a query for a question already waiting
//!   joins it: no second transmission (several outstanding queries for one question multiply a
//!   spoofer's chances), the ID passed is unused, and each [`QueryId`] gets its own
//!   [`Event::Answer`] or [`Event::Failed`].
//!
//! ```
//! use dns_codec::client::{ClientConfig, Event, StubClient, Transport};
//! use dns_codec::{Message, Question, RData, RType, Record};
//! use std::net::Ipv4Addr;
//! use std::time::{Duration, Instant};
//!
//! let start = Instant::now(); // the caller's clock; the client never reads one
//! let mut client = StubClient::new(ClientConfig::default());
//! let question = Question::new("example.com.".parse()?, RType::A);
//! let id = client.query(question, 0x5EED, start).unwrap();
//! let out = client.poll_transmit().unwrap();
//! assert_eq!(out.transport, Transport::Udp);
//! assert_eq!(client.poll_timeout(), Some(start + Duration::from_secs(1)));
//!
//! // The server's side, for the example.
//! let query = Message::decode(&out.bytes)?;
//! let mut response = Message::response_to(&query);
//! response.answer.push(Record::new("example.com.".parse()?, 60, RData::A(Ipv4Addr::new(192, 0, 2, 1))));
//!
//! client.receive_udp(&response.encode()?, true, start + Duration::from_millis(20));
//! match client.poll_event() {
//!     Some(Event::Answer { query, message }) => {
//!         assert_eq!(query, id);
//!         assert_eq!(message.answer.len(), 1);
//!     }
//!     other => panic!("{other:?}"),
//! }
//! assert_eq!(client.poll_timeout(), None);
//! # Ok::<(), dns_codec::Error>(())
//! ```

use std::collections::VecDeque;
use std::time::{Duration, Instant};

use bytes::{Bytes, BytesMut};
use framing::{Decoder, Encoder};

use crate::builder::QueryBuilder;
use crate::edns::Edns;
use crate::error::Error;
use crate::header::{Opcode, Rcode};
use crate::limits::Limits;
use crate::message::Message;
use crate::question::Question;
use crate::tcp::{TcpCodec, is_recoverable};

/// The settings of a [`StubClient`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClientConfig {
    /// How long to wait for the first UDP transmission's answer; each retransmission waits
    /// twice as long as the one before (RFC 1536 §1: exponential backoff). Default 1 s.
    pub initial_timeout: Duration,
    /// The longest wait after one UDP transmission, however many came before. Default 8 s.
    pub max_timeout: Duration,
    /// UDP transmissions of one query, the first included, before it fails (RFC 1123
    /// §6.1.3.3 leaves the number to the implementation). Default 3; 0 counts as 1.
    pub udp_attempts: u32,
    /// How long to wait for the answer over TCP after a truncated UDP response (RFC 7766 §6.2.3
    /// leaves it to the client). Default 5 s.
    pub tcp_timeout: Duration,
    /// The OPT record of every query (RFC 6891 §6.1); `None` sends none. Default
    /// [`Edns::default`]: version 0, payload size 1232, DO clear.
    pub edns: Option<Edns>,
    /// RD in every query (RFC 1035 §4.1.1): a stub asks its resolver to recurse. Default true.
    pub recursion_desired: bool,
    /// Limits for decoding responses.
    pub limits: Limits,
}

impl Default for ClientConfig {
    fn default() -> Self {
        ClientConfig {
            initial_timeout: Duration::from_secs(1),
            max_timeout: Duration::from_secs(8),
            udp_attempts: 3,
            tcp_timeout: Duration::from_secs(5),
            edns: Some(Edns::default()),
            recursion_desired: true,
            limits: Limits::default(),
        }
    }
}

/// The handle of one [`StubClient::query`] call, unique within its client.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct QueryId(u64);

/// How a [`Transmit`] goes to the server.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Transport {
    /// One UDP datagram (RFC 1035 §4.2.1).
    Udp,
    /// Bytes for the TCP connection to the server, length prefix included (RFC 1035 §4.2.2,
    /// RFC 7766 §8); open it if it is not open.
    Tcp,
}

/// Bytes to send to the server.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Transmit {
    /// How.
    pub transport: Transport,
    /// What: a whole datagram, or a length-prefixed message for the TCP stream.
    pub bytes: Bytes,
}

/// What a [`StubClient`] reports.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Event {
    /// The response to a query: any RCODE (NXDOMAIN, SERVFAIL, ... are answers too), never
    /// truncated when it came over UDP.
    Answer {
        /// The query it answers.
        query: QueryId,
        /// The response.
        message: Message,
    },
    /// A query that will get no answer.
    Failed {
        /// The query.
        query: QueryId,
        /// Why.
        reason: FailReason,
    },
    /// The UDP response to a query had TC set (RFC 1035 §4.1.1, §4.2.1): the query goes again
    /// over TCP (RFC 7766 §5), queued as a [`Transport::Tcp`] transmit right after this event.
    /// Not the end of the query: its answer or failure follows.
    Truncated {
        /// The query.
        query: QueryId,
    },
    /// The server answered a query carrying an OPT record with FORMERR (RFC 6891 §7): the query
    /// goes again without it, on the same transport, right after this event. Not the end of
    /// the query: its answer or failure follows.
    EdnsFallback {
        /// The query.
        query: QueryId,
    },
}

impl Event {
    /// The query the event is about.
    pub fn query(&self) -> QueryId {
        match self {
            Event::Answer { query, .. }
            | Event::Failed { query, .. }
            | Event::Truncated { query }
            | Event::EdnsFallback { query } => *query,
        }
    }

    /// Whether this is the query's last event ([`Event::Answer`] or [`Event::Failed`]).
    pub fn is_final(&self) -> bool {
        matches!(self, Event::Answer { .. } | Event::Failed { .. })
    }
}

/// Why a query failed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum FailReason {
    /// No matching response before the last timer ran out (RFC 1123 §6.1.3.3).
    #[error("no answer before the last timer ran out")]
    Timeout,
    /// The TCP connection closed before the answer came ([`StubClient::receive_tcp_eof`]).
    #[error("the TCP connection closed before the answer came")]
    TcpClosed,
    /// The TCP stream broke its framing (RFC 1035 §4.2.2), so no later answer on it can be
    /// trusted to be in sync.
    #[error("the TCP stream broke its framing: {0}")]
    TcpStream(Error),
    /// The query could not be encoded.
    #[error("the query does not encode: {0}")]
    Encode(Error),
}

/// Responses dropped without effect, by reason (RFC 5452 §9.3: a resolver should notice a
/// flood of mismatched responses, the sign of a spoofing attempt).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Ignored {
    /// UDP datagrams from an address other than the server's.
    pub unexpected_source: u64,
    /// Datagrams or TCP messages that do not decode.
    pub malformed: u64,
    /// Messages with QR clear or an OPCODE other than QUERY.
    pub not_a_response: u64,
    /// Responses whose ID no query is waiting for on the transport they came by.
    pub unknown_id: u64,
    /// Responses with a waiting query's ID but another question.
    pub wrong_question: u64,
}

/// Why [`StubClient::query`] refused a query.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum QueryError {
    /// Another question is waiting with this ID: draw another (RFC 5452 §9.2).
    #[error("query ID {id} is in use by a pending query")]
    IdInUse {
        /// The ID.
        id: u16,
    },
    /// The query does not encode (EDNS options over 65535 octets, say).
    #[error("the query does not encode: {0}")]
    Encode(Error),
}

/// One question on the wire.
#[derive(Debug, Clone)]
struct Pending {
    id: u16,
    question: Question,
    /// The callers waiting for it, in the order they asked.
    waiters: Vec<QueryId>,
    /// Whether the query now being sent carries the OPT record.
    edns: bool,
    transport: Transport,
    /// UDP transmissions so far (of the current form of the query).
    attempts: u32,
    deadline: Instant,
    /// The query as now sent, and its bytes for UDP.
    message: Message,
    wire: Bytes,
}

/// The sans-IO stub client (see the module docs).
#[derive(Debug, Clone)]
pub struct StubClient {
    config: ClientConfig,
    pending: Vec<Pending>,
    next_query: u64,
    transmits: VecDeque<Transmit>,
    events: VecDeque<Event>,
    tcp: TcpCodec,
    tcp_received: BytesMut,
    ignored: Ignored,
}

impl Default for StubClient {
    fn default() -> Self {
        StubClient::new(ClientConfig::default())
    }
}

impl StubClient {
    /// A client with `config` and nothing pending.
    pub fn new(config: ClientConfig) -> StubClient {
        StubClient {
            tcp: TcpCodec::new(config.limits),
            config,
            pending: Vec::new(),
            next_query: 0,
            transmits: VecDeque::new(),
            events: VecDeque::new(),
            tcp_received: BytesMut::new(),
            ignored: Ignored::default(),
        }
    }

    /// Asks `question`, with `id` (which should come from a good random source, RFC 5452 §9.2)
    /// as the message ID, at `now`; queues a UDP datagram. If the same question is already
    /// waiting, the new query shares it and nothing is sent (see the module docs).
    pub fn query(
        &mut self,
        question: Question,
        id: u16,
        now: Instant,
    ) -> Result<QueryId, QueryError> {
        let handle = QueryId(self.next_query);
        if let Some(p) = self.pending.iter_mut().find(|p| p.question == question) {
            self.next_query += 1;
            p.waiters.push(handle);
            return Ok(handle);
        }
        if self.pending.iter().any(|p| p.id == id) {
            return Err(QueryError::IdInUse { id });
        }
        let edns = self.config.edns.is_some();
        let (message, wire) = self
            .encode_query(id, &question, edns)
            .map_err(QueryError::Encode)?;
        self.next_query += 1;
        self.transmits.push_back(Transmit {
            transport: Transport::Udp,
            bytes: wire.clone(),
        });
        self.pending.push(Pending {
            id,
            question,
            waiters: vec![handle],
            edns,
            transport: Transport::Udp,
            attempts: 1,
            deadline: self.deadline(now, 0),
            message,
            wire,
        });
        Ok(handle)
    }

    /// Stops waiting for `query`: no event will be reported for it. A question nobody waits
    /// for any more is forgotten (a late answer to it then counts as an unknown ID). Returns
    /// whether the query was pending.
    pub fn cancel(&mut self, query: QueryId) -> bool {
        let Some(at) = self.pending.iter().position(|p| p.waiters.contains(&query)) else {
            return false;
        };
        if let Some(p) = self.pending.get_mut(at) {
            p.waiters.retain(|w| *w != query);
            if p.waiters.is_empty() {
                self.pending.remove(at);
            }
        }
        true
    }

    /// The next bytes to send to the server.
    pub fn poll_transmit(&mut self) -> Option<Transmit> {
        self.transmits.pop_front()
    }

    /// The next thing that happened.
    pub fn poll_event(&mut self) -> Option<Event> {
        self.events.pop_front()
    }

    /// When [`StubClient::handle_timeout`] should next be called: the earliest timer of a
    /// pending query, or `None` with nothing pending.
    pub fn poll_timeout(&self) -> Option<Instant> {
        self.pending.iter().map(|p| p.deadline).min()
    }

    /// Tells the client the time: every query whose timer ran out by `now` is sent again over
    /// UDP, or fails if it has had its attempts or was waiting over TCP.
    pub fn handle_timeout(&mut self, now: Instant) {
        let mut at = 0;
        while let Some(p) = self.pending.get(at) {
            if p.deadline > now {
                at += 1;
                continue;
            }
            let retransmit =
                p.transport == Transport::Udp && p.attempts < self.config.udp_attempts.max(1);
            if retransmit {
                let attempts = p.attempts;
                let deadline = self.deadline(now, attempts);
                if let Some(p) = self.pending.get_mut(at) {
                    p.attempts += 1;
                    p.deadline = deadline;
                    self.transmits.push_back(Transmit {
                        transport: Transport::Udp,
                        bytes: p.wire.clone(),
                    });
                }
                at += 1;
            } else {
                self.fail(at, FailReason::Timeout);
            }
        }
    }

    /// A UDP datagram arrived; `from_expected_server` says whether its source address and port
    /// are the server's the queries went to (checking it is the caller's part of RFC 5452 §9.1).
    pub fn receive_udp(&mut self, datagram: &[u8], from_expected_server: bool, now: Instant) {
        if !from_expected_server {
            self.ignored.unexpected_source += 1;
            return;
        }
        match Message::decode_with(datagram, &self.config.limits) {
            Ok(message) => self.response(message, Transport::Udp, now),
            Err(_) => self.ignored.malformed += 1,
        }
    }

    /// Bytes arrived on the TCP connection to the server, in any pieces: a message split
    /// across calls is put back together, several in one call are each handled.
    pub fn receive_tcp(&mut self, bytes: &[u8], now: Instant) {
        self.tcp_received.extend_from_slice(bytes);
        loop {
            match self.tcp.decode(&mut self.tcp_received) {
                Ok(Some(message)) => self.response(message, Transport::Tcp, now),
                Ok(None) => return,
                Err(e) if is_recoverable(&e) => self.ignored.malformed += 1,
                Err(e) => {
                    self.reset_tcp();
                    self.fail_tcp(&FailReason::TcpStream(e));
                    return;
                }
            }
        }
    }

    /// The TCP connection to the server reached its end (the peer closed it, or it broke):
    /// queries waiting on it fail with [`FailReason::TcpClosed`], bytes of a message cut short
    /// are dropped, and the next TCP query starts a new stream (RFC 7766 §6.2.4: a client
    /// whose connection closes sends its next query on a new one).
    pub fn receive_tcp_eof(&mut self) {
        self.reset_tcp();
        self.fail_tcp(&FailReason::TcpClosed);
    }

    /// The old name of [`StubClient::receive_tcp_eof`] (the workspace's end-of-stream verb is
    /// `receive_eof`).
    #[deprecated(since = "0.1.0", note = "renamed to `receive_tcp_eof`")]
    pub fn tcp_closed(&mut self) {
        self.receive_tcp_eof();
    }

    /// Responses dropped so far, by reason.
    pub fn ignored(&self) -> Ignored {
        self.ignored
    }

    /// Whether any query is waiting for an answer.
    pub fn is_idle(&self) -> bool {
        self.pending.is_empty()
    }

    fn reset_tcp(&mut self) {
        self.tcp = TcpCodec::new(self.config.limits);
        self.tcp_received.clear();
    }

    fn fail_tcp(&mut self, reason: &FailReason) {
        let mut at = 0;
        while let Some(p) = self.pending.get(at) {
            if p.transport == Transport::Tcp {
                self.fail(at, reason.clone());
            } else {
                at += 1;
            }
        }
    }

    /// The timer after UDP transmission number `attempt` (0 for the first) from `now`.
    fn deadline(&self, now: Instant, attempt: u32) -> Instant {
        let wait = self
            .config
            .initial_timeout
            .saturating_mul(2u32.saturating_pow(attempt))
            .min(self.config.max_timeout);
        later(now, wait)
    }

    /// The query for `question` with `id`, with or without the configured OPT record, and its
    /// bytes.
    fn encode_query(
        &self,
        id: u16,
        question: &Question,
        edns: bool,
    ) -> Result<(Message, Bytes), Error> {
        let mut builder = QueryBuilder::for_question(question.clone())
            .id(id)
            .opcode(Opcode::QUERY)
            .recursion_desired(self.config.recursion_desired)
            .no_edns();
        if let (true, Some(e)) = (edns, &self.config.edns) {
            builder = builder.edns(e.clone());
        }
        let message = builder.build();
        let wire = message.encode()?;
        Ok((message, Bytes::from(wire)))
    }

    /// Reports the failure of the query at `at` to everyone waiting for it and forgets it.
    fn fail(&mut self, at: usize, reason: FailReason) {
        if at < self.pending.len() {
            let p = self.pending.remove(at);
            for query in p.waiters {
                self.events.push_back(Event::Failed {
                    query,
                    reason: reason.clone(),
                });
            }
        }
    }

    fn response(&mut self, message: Message, transport: Transport, now: Instant) {
        if !message.header.qr || message.header.opcode != Opcode::QUERY {
            self.ignored.not_a_response += 1;
            return;
        }
        let Some(at) = self
            .pending
            .iter()
            .position(|p| p.id == message.header.id && p.transport == transport)
        else {
            self.ignored.unknown_id += 1;
            return;
        };
        let Some(p) = self.pending.get_mut(at) else {
            return;
        };
        let formerr = message.header.rcode == Rcode::FORMERR;
        let same_question = match message.question.as_slice() {
            [q] => *q == p.question,
            [] => formerr,
            _ => false,
        };
        if !same_question {
            self.ignored.wrong_question += 1;
            return;
        }
        if transport == Transport::Udp && message.header.tc {
            // RFC 7766 §5: the same query over TCP.
            p.transport = Transport::Tcp;
            p.deadline = later(now, self.config.tcp_timeout);
            for &query in &p.waiters {
                self.events.push_back(Event::Truncated { query });
            }
            self.send_tcp(at);
            return;
        }
        if formerr && p.edns {
            // RFC 6891 §7: the server may not speak EDNS; once more without it.
            let (id, question) = (p.id, p.question.clone());
            let (query, wire) = match self.encode_query(id, &question, false) {
                Ok(encoded) => encoded,
                Err(e) => return self.fail(at, FailReason::Encode(e)),
            };
            let deadline = match transport {
                Transport::Udp => self.deadline(now, 0),
                Transport::Tcp => later(now, self.config.tcp_timeout),
            };
            if let Some(p) = self.pending.get_mut(at) {
                p.edns = false;
                p.attempts = 1;
                p.deadline = deadline;
                p.message = query;
                p.wire = wire.clone();
                for &query in &p.waiters {
                    self.events.push_back(Event::EdnsFallback { query });
                }
            }
            match transport {
                Transport::Udp => self.transmits.push_back(Transmit {
                    transport,
                    bytes: wire,
                }),
                Transport::Tcp => self.send_tcp(at),
            }
            return;
        }
        let p = self.pending.remove(at);
        if let Some((&last, others)) = p.waiters.split_last() {
            for &query in others {
                self.events.push_back(Event::Answer {
                    query,
                    message: message.clone(),
                });
            }
            self.events.push_back(Event::Answer {
                query: last,
                message,
            });
        }
    }

    /// Queues the query at `at` for the TCP stream, with its length prefix.
    fn send_tcp(&mut self, at: usize) {
        let Some(p) = self.pending.get(at) else {
            return;
        };
        let mut out = BytesMut::with_capacity(p.wire.len() + 2);
        match self.tcp.encode(&p.message, &mut out) {
            Ok(()) => self.transmits.push_back(Transmit {
                transport: Transport::Tcp,
                bytes: out.freeze(),
            }),
            Err(e) => self.fail(at, FailReason::Encode(e)),
        }
    }
}

/// `now + wait`, or `now` if that is past what an [`Instant`] can hold (a timer that runs
/// out at once rather than a panic).
fn later(now: Instant, wait: Duration) -> Instant {
    now.checked_add(wait).unwrap_or(now)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rdata::RData;
    use crate::record::Record;
    use crate::rtype::RType;
    use crate::{Class, Header};
    use std::net::Ipv4Addr;

    fn secs(s: u64) -> Duration {
        Duration::from_secs(s)
    }

    fn question(name: &str) -> Question {
        Question::new(name.parse().unwrap(), RType::A)
    }

    /// The server's side: the response to the query in `bytes` (a datagram, or a TCP frame
    /// with its prefix), with one A record, as a datagram.
    fn answer(bytes: &[u8], tcp: bool) -> Message {
        let bytes = if tcp { &bytes[2..] } else { bytes };
        let query = Message::decode(bytes).unwrap();
        let mut response = Message::response_to(&query);
        response.answer.push(Record::new(
            query.question[0].name.clone(),
            60,
            RData::A(Ipv4Addr::new(192, 0, 2, 1)),
        ));
        response
    }

    fn wire(m: &Message) -> Vec<u8> {
        m.encode().unwrap()
    }

    fn tcp_wire(m: &Message) -> Vec<u8> {
        let body = wire(m);
        let mut out = (body.len() as u16).to_be_bytes().to_vec();
        out.extend_from_slice(&body);
        out
    }

    fn udp(client: &mut StubClient) -> Bytes {
        let t = client.poll_transmit().expect("a transmit");
        assert_eq!(t.transport, Transport::Udp);
        t.bytes
    }

    #[test]
    fn happy_path() {
        let t0 = Instant::now();
        let mut client = StubClient::default();
        assert!(client.is_idle());
        assert_eq!(client.poll_timeout(), None);
        let q = client.query(question("example.com."), 0x1234, t0).unwrap();
        let sent = udp(&mut client);
        assert_eq!(client.poll_transmit(), None);
        let query = Message::decode(&sent).unwrap();
        assert_eq!(query.header.id, 0x1234);
        assert!(query.header.rd && !query.header.qr);
        assert_eq!(query.question, vec![question("example.com.")]);
        assert_eq!(query.edns, Some(Edns::default()));
        assert_eq!(client.poll_timeout(), Some(t0 + secs(1)));

        let response = answer(&sent, false);
        client.receive_udp(&wire(&response), true, t0 + Duration::from_millis(30));
        assert_eq!(
            client.poll_event(),
            Some(Event::Answer {
                query: q,
                message: response
            })
        );
        assert_eq!(client.poll_event(), None);
        assert_eq!(client.poll_timeout(), None);
        assert!(client.is_idle());
        assert_eq!(client.ignored(), Ignored::default());
        // The timer is gone: nothing happens later.
        client.handle_timeout(t0 + secs(100));
        assert_eq!((client.poll_event(), client.poll_transmit()), (None, None));
    }

    #[test]
    fn mismatches_are_ignored_and_counted() {
        let t0 = Instant::now();
        let mut client = StubClient::default();
        let q = client.query(question("example.com."), 7, t0).unwrap();
        let sent = udp(&mut client);
        let good = answer(&sent, false);

        // From another address: dropped before it is even decoded.
        client.receive_udp(&wire(&good), false, t0);
        // Wrong ID.
        let mut m = good.clone();
        m.header.id = 8;
        client.receive_udp(&wire(&m), true, t0);
        // Wrong name, type, class; two questions; no question (and not FORMERR).
        for change in 0..5 {
            let mut m = good.clone();
            match change {
                0 => m.question[0].name = "example.net.".parse().unwrap(),
                1 => m.question[0].qtype = RType::AAAA,
                2 => m.question[0].qclass = Class::CH,
                3 => m.question.push(question("example.com.")),
                _ => m.question.clear(),
            }
            client.receive_udp(&wire(&m), true, t0);
        }
        // A query, not a response; another opcode.
        let mut m = good.clone();
        m.header.qr = false;
        client.receive_udp(&wire(&m), true, t0);
        let mut m = good.clone();
        m.header.opcode = Opcode::NOTIFY;
        client.receive_udp(&wire(&m), true, t0);
        // Garbage, and a message cut short.
        client.receive_udp(b"\x00\x07", true, t0);
        let cut = wire(&good);
        client.receive_udp(&cut[..cut.len() - 1], true, t0);

        assert_eq!(client.poll_event(), None);
        assert_eq!(
            client.ignored(),
            Ignored {
                unexpected_source: 1,
                malformed: 2,
                not_a_response: 2,
                unknown_id: 1,
                wrong_question: 5,
            }
        );
        assert_eq!(client.poll_timeout(), Some(t0 + secs(1)));

        // The name's case does not matter (RFC 4343).
        let mut m = good.clone();
        m.question[0].name = "EXAMPLE.Com.".parse().unwrap();
        client.receive_udp(&wire(&m), true, t0);
        assert!(matches!(
            client.poll_event(),
            Some(Event::Answer { query, .. }) if query == q
        ));
        // A duplicate after the answer: no query is waiting for it.
        client.receive_udp(&wire(&good), true, t0);
        assert_eq!(client.poll_event(), None);
        assert_eq!(client.ignored().unknown_id, 2);
    }

    #[test]
    fn retransmit_schedule_and_give_up() {
        let t0 = Instant::now();
        let mut client = StubClient::default();
        let q = client.query(question("slow.example."), 1, t0).unwrap();
        let first = udp(&mut client);

        // Early: nothing.
        client.handle_timeout(t0 + secs(1) - Duration::from_nanos(1));
        assert_eq!(client.poll_transmit(), None);
        // 1 s, then 2 s, then 4 s: the same bytes each time.
        for (at, next) in [(1, 3), (3, 7)] {
            assert_eq!(client.poll_timeout(), Some(t0 + secs(at)));
            client.handle_timeout(t0 + secs(at));
            assert_eq!(udp(&mut client), first);
            assert_eq!(client.poll_transmit(), None);
            assert_eq!(client.poll_timeout(), Some(t0 + secs(next)));
            assert_eq!(client.poll_event(), None);
        }
        client.handle_timeout(t0 + secs(7));
        assert_eq!(client.poll_transmit(), None);
        assert_eq!(
            client.poll_event(),
            Some(Event::Failed {
                query: q,
                reason: FailReason::Timeout
            })
        );
        assert_eq!(client.poll_timeout(), None);

        // An answer to an earlier transmission, before the end, is accepted.
        let mut client = StubClient::default();
        let q = client.query(question("slow.example."), 1, t0).unwrap();
        let first = udp(&mut client);
        client.handle_timeout(t0 + secs(1));
        let _ = udp(&mut client);
        client.receive_udp(&wire(&answer(&first, false)), true, t0 + secs(2));
        assert!(matches!(client.poll_event(), Some(Event::Answer { query, .. }) if query == q));
    }

    #[test]
    fn schedule_is_configurable_and_timers_start_from_now() {
        let t0 = Instant::now();
        let config = ClientConfig {
            initial_timeout: Duration::from_millis(500),
            max_timeout: Duration::from_millis(1500),
            udp_attempts: 4,
            ..ClientConfig::default()
        };
        let mut client = StubClient::new(config);
        client.query(question("a."), 1, t0).unwrap();
        let _ = udp(&mut client);
        // Called late: the next timer counts from when it was called.
        let late = t0 + Duration::from_millis(700);
        client.handle_timeout(late);
        let _ = udp(&mut client);
        assert_eq!(client.poll_timeout(), Some(late + secs(1)));
        client.handle_timeout(late + secs(1));
        let _ = udp(&mut client);
        // 2 s capped at 1.5 s.
        assert_eq!(
            client.poll_timeout(),
            Some(late + secs(1) + Duration::from_millis(1500))
        );
        client.handle_timeout(late + secs(3));
        let _ = udp(&mut client);
        client.handle_timeout(late + secs(10));
        assert_eq!(client.poll_transmit(), None);
        assert!(matches!(
            client.poll_event(),
            Some(Event::Failed {
                reason: FailReason::Timeout,
                ..
            })
        ));

        // One attempt: no retransmission at all.
        let mut client = StubClient::new(ClientConfig {
            udp_attempts: 1,
            ..ClientConfig::default()
        });
        client.query(question("a."), 1, t0).unwrap();
        let _ = udp(&mut client);
        client.handle_timeout(t0 + secs(1));
        assert_eq!(client.poll_transmit(), None);
        assert!(matches!(client.poll_event(), Some(Event::Failed { .. })));
    }

    #[test]
    fn truncated_goes_to_tcp_and_tcp_input_may_be_split() {
        let t0 = Instant::now();
        let mut client = StubClient::default();
        let q = client.query(question("big.example."), 0xAB, t0).unwrap();
        let sent = udp(&mut client);
        let mut tc = Message::response_to(&Message::decode(&sent).unwrap());
        tc.header.tc = true;
        client.receive_udp(&wire(&tc), true, t0 + secs(0));
        // Not an answer: an event that says the query goes over TCP, then that transmit.
        assert_eq!(client.poll_event(), Some(Event::Truncated { query: q }));
        assert_eq!(client.poll_event(), None);

        let t = client.poll_transmit().unwrap();
        assert_eq!(t.transport, Transport::Tcp);
        assert_eq!(&t.bytes[..2], &(sent.len() as u16).to_be_bytes());
        assert_eq!(&t.bytes[2..], &sent[..]);
        assert_eq!(client.poll_timeout(), Some(t0 + secs(5)));
        // No UDP retransmission any more.
        client.handle_timeout(t0 + secs(1));
        assert_eq!(client.poll_transmit(), None);

        let mut response = answer(&t.bytes, true);
        for i in 0..30 {
            response.answer.push(Record::new(
                "big.example.".parse().unwrap(),
                60,
                RData::A(Ipv4Addr::new(10, 0, 0, i)),
            ));
        }
        let stream = tcp_wire(&response);
        // UDP responses for it are ignored now, even good ones.
        client.receive_udp(&wire(&response), true, t0);
        assert_eq!(client.ignored().unknown_id, 1);
        // Split: one byte of the prefix, then the rest of it and a bit, then the rest.
        client.receive_tcp(&stream[..1], t0);
        client.receive_tcp(&stream[1..5], t0);
        assert_eq!(client.poll_event(), None);
        client.receive_tcp(&stream[5..], t0);
        assert_eq!(
            client.poll_event(),
            Some(Event::Answer {
                query: q,
                message: response.clone()
            })
        );

        // Byte at a time gives the same.
        let mut client = StubClient::default();
        let q = client.query(question("big.example."), 0xAB, t0).unwrap();
        let _ = udp(&mut client);
        client.receive_udp(&wire(&tc), true, t0);
        assert_eq!(client.poll_event(), Some(Event::Truncated { query: q }));
        let _ = client.poll_transmit().unwrap();
        for b in &stream {
            client.receive_tcp(std::slice::from_ref(b), t0);
        }
        assert_eq!(
            client.poll_event(),
            Some(Event::Answer {
                query: q,
                message: response
            })
        );
    }

    #[test]
    fn tcp_answers_in_any_order_timeout_and_close() {
        let t0 = Instant::now();
        let mut client = StubClient::default();
        let mut tcp_queries = Vec::new();
        for (i, name) in ["a.example.", "b.example.", "c.example."]
            .iter()
            .enumerate()
        {
            let q = client.query(question(name), i as u16, t0).unwrap();
            let sent = udp(&mut client);
            let mut tc = Message::response_to(&Message::decode(&sent).unwrap());
            tc.header.tc = true;
            client.receive_udp(&wire(&tc), true, t0);
            assert_eq!(client.poll_event(), Some(Event::Truncated { query: q }));
            let framed = client.poll_transmit().unwrap();
            tcp_queries.push((q, framed.bytes));
        }
        // b and a in one read, in that order; a malformed frame between them costs only itself.
        let mut stream = tcp_wire(&answer(&tcp_queries[1].1, true));
        stream.extend_from_slice(b"\x00\x03abc");
        stream.extend_from_slice(&tcp_wire(&answer(&tcp_queries[0].1, true)));
        client.receive_tcp(&stream, t0);
        let got: Vec<QueryId> = std::iter::from_fn(|| client.poll_event())
            .map(|e| match e {
                Event::Answer { query, .. } => query,
                other => panic!("{other:?}"),
            })
            .collect();
        assert_eq!(got, vec![tcp_queries[1].0, tcp_queries[0].0]);
        assert_eq!(client.ignored().malformed, 1);

        // c gets nothing: it fails at its TCP timer.
        client.handle_timeout(t0 + secs(5));
        assert_eq!(
            client.poll_event(),
            Some(Event::Failed {
                query: tcp_queries[2].0,
                reason: FailReason::Timeout
            })
        );

        // A closed connection fails what waits on it, not what waits on UDP.
        let udp_query = client.query(question("u.example."), 10, t0).unwrap();
        let _ = udp(&mut client);
        let tcp_query = client.query(question("t.example."), 11, t0).unwrap();
        let sent = udp(&mut client);
        let mut tc = Message::response_to(&Message::decode(&sent).unwrap());
        tc.header.tc = true;
        client.receive_udp(&wire(&tc), true, t0);
        assert_eq!(
            client.poll_event(),
            Some(Event::Truncated { query: tcp_query })
        );
        let _ = client.poll_transmit().unwrap();
        client.receive_tcp(b"\x00", t0);
        client.receive_tcp_eof();
        assert_eq!(
            client.poll_event(),
            Some(Event::Failed {
                query: tcp_query,
                reason: FailReason::TcpClosed
            })
        );
        assert_eq!(client.poll_event(), None);
        assert!(!client.is_idle());
        assert!(client.cancel(udp_query));
        assert!(!client.cancel(udp_query));
        assert!(client.is_idle());
    }

    #[test]
    fn formerr_retries_once_without_edns() {
        let t0 = Instant::now();
        let mut client = StubClient::default();
        let q = client.query(question("old.example."), 99, t0).unwrap();
        let sent = udp(&mut client);
        assert!(Message::decode(&sent).unwrap().edns.is_some());
        client.handle_timeout(t0 + secs(1));
        let _ = udp(&mut client);

        // An old server: FORMERR, no OPT record, no question.
        let formerr = Message {
            header: Header {
                id: 99,
                qr: true,
                rcode: Rcode::FORMERR,
                ..Header::default()
            },
            ..Message::default()
        };
        let at = t0 + Duration::from_millis(1500);
        client.receive_udp(&wire(&formerr), true, at);
        assert_eq!(client.poll_event(), Some(Event::EdnsFallback { query: q }));
        assert_eq!(client.poll_event(), None);
        let retry = udp(&mut client);
        let retry_query = Message::decode(&retry).unwrap();
        assert_eq!(retry_query.edns, None);
        assert_eq!(retry_query.header.id, 99);
        assert_eq!(retry_query.question, vec![question("old.example.")]);
        // Fresh timers: three transmissions again, counted from the FORMERR.
        assert_eq!(client.poll_timeout(), Some(at + secs(1)));
        client.handle_timeout(at + secs(1));
        assert_eq!(udp(&mut client), retry);

        // A second FORMERR is the answer: no third form of the query.
        client.receive_udp(&wire(&formerr), true, at + secs(2));
        assert_eq!(client.poll_transmit(), None);
        assert_eq!(
            client.poll_event(),
            Some(Event::Answer {
                query: q,
                message: Message::decode(&wire(&formerr)).unwrap()
            })
        );

        // Without EDNS configured, a FORMERR is the answer at once.
        let mut client = StubClient::new(ClientConfig {
            edns: None,
            ..ClientConfig::default()
        });
        client.query(question("old.example."), 99, t0).unwrap();
        assert_eq!(Message::decode(&udp(&mut client)).unwrap().edns, None);
        client.receive_udp(&wire(&formerr), true, t0);
        assert!(matches!(client.poll_event(), Some(Event::Answer { .. })));

        // Other RCODEs are answers too, EDNS or not.
        let mut client = StubClient::default();
        client.query(question("x.example."), 5, t0).unwrap();
        let sent = udp(&mut client);
        let mut servfail = Message::response_to(&Message::decode(&sent).unwrap());
        servfail.header.rcode = Rcode::SERVFAIL;
        client.receive_udp(&wire(&servfail), true, t0);
        assert!(matches!(
            client.poll_event(),
            Some(Event::Answer { message, .. }) if message.header.rcode == Rcode::SERVFAIL
        ));
        assert_eq!(client.poll_transmit(), None);
    }

    #[test]
    fn same_question_shares_one_query() {
        let t0 = Instant::now();
        let mut client = StubClient::default();
        let first = client.query(question("shared.example."), 1, t0).unwrap();
        let sent = udp(&mut client);
        // Same question, another case, another ID: joins; the ID is unused.
        let second = client
            .query(question("SHARED.example."), 2, t0 + secs(0))
            .unwrap();
        assert_ne!(first, second);
        assert_eq!(client.poll_transmit(), None);
        // A different question with the pending ID is refused.
        assert_eq!(
            client.query(question("other.example."), 1, t0),
            Err(QueryError::IdInUse { id: 1 })
        );
        let response = answer(&sent, false);
        client.receive_udp(&wire(&response), true, t0);
        assert_eq!(
            client.poll_event(),
            Some(Event::Answer {
                query: first,
                message: response.clone()
            })
        );
        assert_eq!(
            client.poll_event(),
            Some(Event::Answer {
                query: second,
                message: response
            })
        );

        // Cancelling one waiter keeps the query for the other.
        let a = client.query(question("s.example."), 3, t0).unwrap();
        let b = client.query(question("s.example."), 4, t0).unwrap();
        let sent = udp(&mut client);
        assert!(client.cancel(a));
        client.receive_udp(&wire(&answer(&sent, false)), true, t0);
        assert!(matches!(client.poll_event(), Some(Event::Answer { query, .. }) if query == b));
        assert_eq!(client.poll_event(), None);
    }

    #[test]
    fn fallbacks_are_events_for_every_waiter_before_the_answer() {
        let t0 = Instant::now();
        let mut client = StubClient::default();
        let a = client.query(question("both.example."), 40, t0).unwrap();
        let b = client.query(question("BOTH.example."), 41, t0).unwrap();
        let sent = udp(&mut client);

        // FORMERR to the query with OPT: one EdnsFallback per waiter, then the UDP retry.
        let mut formerr = Message::response_to(&Message::decode(&sent).unwrap());
        formerr.edns = None;
        formerr.header.rcode = Rcode::FORMERR;
        client.receive_udp(&wire(&formerr), true, t0);
        let events: Vec<Event> = std::iter::from_fn(|| client.poll_event()).collect();
        assert_eq!(
            events,
            [
                Event::EdnsFallback { query: a },
                Event::EdnsFallback { query: b }
            ]
        );
        assert!(events.iter().all(|e| !e.is_final()));
        let retry = udp(&mut client);
        assert_eq!(Message::decode(&retry).unwrap().edns, None);

        // The retry is truncated: one Truncated per waiter, then the TCP transmit.
        let mut tc = Message::response_to(&Message::decode(&retry).unwrap());
        tc.header.tc = true;
        client.receive_udp(&wire(&tc), true, t0);
        let events: Vec<Event> = std::iter::from_fn(|| client.poll_event()).collect();
        assert_eq!(
            events,
            [Event::Truncated { query: a }, Event::Truncated { query: b }]
        );
        assert_eq!(events[1].query(), b);
        let framed = client.poll_transmit().unwrap();
        assert_eq!(framed.transport, Transport::Tcp);
        assert_eq!(client.poll_transmit(), None);

        // A second TC over UDP for it is ignored (it waits on TCP now): no second event.
        client.receive_udp(&wire(&tc), true, t0);
        assert_eq!(client.poll_event(), None);

        // The answer ends both, each with exactly one final event.
        client.receive_tcp(&tcp_wire(&answer(&framed.bytes, true)), t0);
        let events: Vec<Event> = std::iter::from_fn(|| client.poll_event()).collect();
        assert_eq!(events.len(), 2);
        assert!(events.iter().all(Event::is_final));
        assert_eq!(events.iter().map(Event::query).collect::<Vec<_>>(), [a, b]);
        assert!(client.is_idle());
    }

    #[test]
    #[allow(deprecated)]
    fn tcp_closed_is_the_old_name_of_receive_tcp_eof() {
        let t0 = Instant::now();
        let mut client = StubClient::default();
        let q = client.query(question("t.example."), 1, t0).unwrap();
        let sent = udp(&mut client);
        let mut tc = Message::response_to(&Message::decode(&sent).unwrap());
        tc.header.tc = true;
        client.receive_udp(&wire(&tc), true, t0);
        assert_eq!(client.poll_event(), Some(Event::Truncated { query: q }));
        let _ = client.poll_transmit().unwrap();
        client.tcp_closed();
        assert_eq!(
            client.poll_event(),
            Some(Event::Failed {
                query: q,
                reason: FailReason::TcpClosed
            })
        );
    }
}
