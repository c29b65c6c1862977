//! The sans-IO stub resolver ([`StubClient`]) driven by arbitrary sequences of queries,
//! datagrams and TCP bytes (arbitrary, or responses built from a query it sent with the ID,
//! flags, RCODE or question changed), clock advances, timeouts, cancels and TCP closes.
//!
//! Checked after every step, from the client's documented promises (`dns_codec::client`):
//!
//! - every transmit decodes as a query (QR clear, OPCODE QUERY, RD as configured, one question,
//!   the configured OPT record or none) with the ID and question of a query waiting for it; UDP
//!   datagrams come only from `query`, `handle_timeout` (retransmissions) and a FORMERR to a
//!   query with EDNS (the retry without it); TCP messages (length prefix included) only after a
//!   truncated UDP response or a FORMERR over TCP;
//! - UDP transmissions of one query's bytes are at most `udp_attempts` (0 counts as 1), with
//!   the OPT record and then again without it; at most one TCP transmission of each form;
//! - every event is for a `QueryId` that `query` returned and that has had no event and was not
//!   cancelled; an answer is a response (QR set, OPCODE QUERY) with the ID of the query that
//!   went out for it and its question (or none and FORMERR); an answer from a UDP datagram is
//!   that datagram decoded and never has TC set; a failure's reason fits the call (`Timeout`
//!   from `handle_timeout`, `TcpClosed` from `receive_tcp_eof`, `TcpStream` from `receive_tcp`);
//! - each query ends in exactly one `Answer` or `Failed`, its last event; before it, at most one
//!   `Truncated` (only from a UDP datagram with TC set) and at most one `EdnsFallback` (only
//!   from a FORMERR, with EDNS configured); a call queues a TCP transmit after a datagram
//!   exactly when it reports `Truncated`, and a retry without OPT exactly when it reports
//!   `EdnsFallback`;
//! - `cancel` says whether the query was waiting; `is_idle` and `poll_timeout() == None` hold
//!   exactly when no query is waiting; after `handle_timeout(now)` the next timer is after `now`
//!   (every configured wait is at least 1 ms), and no timer is further than the longest
//!   configured wait from now;
//! - at the end, calling `handle_timeout` at each `poll_timeout` finishes every waiting query
//!   within (`udp_attempts` + 1) rounds each.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::time::{Duration, Instant};

use arbitrary::{Arbitrary, Unstructured};
use dns_codec::client::{ClientConfig, Event, FailReason, QueryId, StubClient, Transport};
use dns_codec::{Class, Edns, Message, Opcode, Question, RData, RType, Rcode, Record};

#[derive(Debug, Arbitrary)]
struct Config {
    initial_ms: u16,
    max_ms: u16,
    attempts: u8,
    tcp_ms: u16,
    edns: bool,
    rd: bool,
}

#[derive(Debug, Arbitrary)]
enum Op {
    /// `query` for one of a few names (two differ only in case) and types.
    Query {
        name: u8,
        qtype: u8,
        id: u16,
    },
    /// A response to the `which`-th query sent, changed by `change` (see [`respond`]).
    Respond {
        which: u8,
        change: u16,
        id_xor: u16,
        split: u16,
    },
    Udp {
        bytes: Vec<u8>,
        expected: bool,
    },
    Tcp(Vec<u8>),
    Advance(u16),
    Timeout,
    /// The clock to the next timer, then `handle_timeout`.
    ToDeadline,
    Cancel(u8),
    TcpClosed,
}

const NAMES: [&str; 5] = [
    "example.com.",
    "EXAMPLE.com.",
    "www.example.org.",
    "a.b.c.d.",
    ".",
];
const QTYPES: [RType; 4] = [RType::A, RType::AAAA, RType::MX, RType::TXT];

/// What the last call may have caused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Cause {
    Query,
    Udp,
    Tcp,
    Timeout,
    TcpClosed,
    Other,
}

/// Transmissions of one query: UDP and TCP, with and without the OPT record.
#[derive(Debug, Default)]
struct Sent {
    udp: [u32; 2],
    tcp: [u32; 2],
}

struct Session {
    client: StubClient,
    config: ClientConfig,
    now: Instant,
    /// Queries waiting, with their question and the ID their transmissions carry.
    waiting: BTreeMap<QueryId, (Question, u16)>,
    /// Every handle `query` returned.
    handles: Vec<QueryId>,
    /// Every query sent, decoded, with its transport.
    sent: Vec<(Transport, Message)>,
    /// Transmissions per (ID, question) since `query` last put that pair on the wire.
    counts: HashMap<(u16, String), Sent>,
    /// The decoded datagram of the last `receive_udp`.
    last_udp: Option<Message>,
    /// Queries that had an `Event::Truncated`, and an `Event::EdnsFallback`.
    truncated: BTreeSet<QueryId>,
    fell_back: BTreeSet<QueryId>,
}

fn key(id: u16, q: &Question) -> (u16, String) {
    (
        id,
        format!(
            "{} {} {}",
            q.name.to_string().to_ascii_lowercase(),
            q.qtype,
            q.qclass
        ),
    )
}

impl Session {
    /// Drains transmits and events after a call, checking each against `cause`.
    fn drain(&mut self, cause: Cause) {
        let attempts = self.config.udp_attempts.max(1);
        // Transmits that only a fallback explains: TCP after a datagram, a retry without OPT.
        let (mut to_tcp, mut without_opt) = (0, 0);
        while let Some(t) = self.client.poll_transmit() {
            let (wire, with_prefix) = match t.transport {
                Transport::Udp => (&t.bytes[..], false),
                Transport::Tcp => (t.bytes.get(2..).unwrap_or_default(), true),
            };
            if with_prefix {
                let len = usize::from(u16::from_be_bytes([t.bytes[0], t.bytes[1]]));
                assert_eq!(len, wire.len(), "TCP length prefix");
            }
            let m = Message::decode(wire).unwrap_or_else(|e| panic!("transmit: {e}"));
            let h = &m.header;
            assert!(!h.qr && h.opcode == Opcode::QUERY, "not a query: {m:?}");
            assert_eq!(h.rd, self.config.recursion_desired, "RD");
            let [q] = &m.question[..] else {
                panic!("a query with {} questions", m.question.len());
            };
            assert!(
                m.edns.is_none() || m.edns == self.config.edns,
                "OPT {:?}",
                m.edns
            );
            let edns = usize::from(m.edns.is_some());
            assert!(
                self.waiting.values().any(|(wq, id)| wq == q && *id == h.id),
                "transmit for nothing waiting: {m:?}"
            );
            let counts = self.counts.entry(key(h.id, q)).or_default();
            match (t.transport, cause) {
                (Transport::Udp, Cause::Query | Cause::Timeout) => {}
                (Transport::Udp, Cause::Udp) => {
                    assert_eq!(edns, 0, "UDP retry keeps OPT");
                    without_opt += 1;
                }
                (Transport::Tcp, Cause::Udp) => to_tcp += 1,
                (Transport::Tcp, Cause::Tcp) => {
                    assert_eq!(edns, 0, "TCP retry keeps OPT");
                    without_opt += 1;
                }
                (transport, cause) => panic!("{transport:?} transmit after {cause:?}"),
            }
            match t.transport {
                Transport::Udp => {
                    counts.udp[edns] += 1;
                    assert!(counts.udp[edns] <= attempts, "UDP transmissions {counts:?}");
                }
                Transport::Tcp => {
                    counts.tcp[edns] += 1;
                    assert!(counts.tcp[edns] <= 1, "TCP transmissions {counts:?}");
                }
            }
            self.sent.push((t.transport, m));
        }
        let (mut truncated, mut fell_back) = (0, 0);
        while let Some(event) = self.client.poll_event() {
            match event {
                Event::Truncated { query } => {
                    assert!(
                        self.waiting.contains_key(&query),
                        "Truncated for {query:?}, not waiting"
                    );
                    assert_eq!(cause, Cause::Udp, "Truncated after {cause:?}");
                    assert!(
                        self.last_udp.as_ref().is_some_and(|m| m.header.tc),
                        "Truncated without TC"
                    );
                    assert!(
                        self.truncated.insert(query),
                        "second Truncated for {query:?}"
                    );
                    truncated += 1;
                }
                Event::EdnsFallback { query } => {
                    assert!(
                        self.waiting.contains_key(&query),
                        "EdnsFallback for {query:?}, not waiting"
                    );
                    assert!(self.config.edns.is_some(), "EdnsFallback without EDNS");
                    match cause {
                        Cause::Udp => assert!(
                            self.last_udp
                                .as_ref()
                                .is_some_and(|m| m.header.rcode == Rcode::FORMERR),
                            "EdnsFallback without FORMERR"
                        ),
                        Cause::Tcp => {}
                        other => panic!("EdnsFallback after {other:?}"),
                    }
                    assert!(
                        self.fell_back.insert(query),
                        "second EdnsFallback for {query:?}"
                    );
                    fell_back += 1;
                }
                Event::Answer { query, message } => {
                    let Some((q, id)) = self.waiting.remove(&query) else {
                        panic!("answer for {query:?}, not waiting");
                    };
                    let h = &message.header;
                    assert!(h.qr && h.opcode == Opcode::QUERY, "answer {message:?}");
                    assert_eq!(h.id, id, "answer ID");
                    match &message.question[..] {
                        [got] => assert_eq!(*got, q, "answer question"),
                        [] => assert_eq!(h.rcode, Rcode::FORMERR, "answer without question"),
                        _ => panic!("answer with several questions"),
                    }
                    match cause {
                        Cause::Udp => {
                            assert!(!h.tc, "truncated UDP answer");
                            assert_eq!(self.last_udp.as_ref(), Some(&message), "UDP answer");
                        }
                        Cause::Tcp => {}
                        other => panic!("answer after {other:?}"),
                    }
                }
                Event::Failed { query, reason } => {
                    assert!(
                        self.waiting.remove(&query).is_some(),
                        "failure for {query:?}, not waiting"
                    );
                    match (&reason, cause) {
                        (FailReason::Timeout, Cause::Timeout)
                        | (FailReason::TcpClosed, Cause::TcpClosed)
                        | (FailReason::TcpStream(_), Cause::Tcp) => {}
                        (reason, cause) => panic!("{reason:?} after {cause:?}"),
                    }
                }
                other => panic!("unknown event {other:?}"),
            }
        }
        assert_eq!(
            to_tcp > 0,
            truncated > 0,
            "{to_tcp} TCP transmits after a datagram, {truncated} Truncated events"
        );
        assert_eq!(
            without_opt > 0,
            fell_back > 0,
            "{without_opt} retries without OPT, {fell_back} EdnsFallback events"
        );
        let idle = self.waiting.is_empty();
        assert_eq!(self.client.is_idle(), idle, "is_idle");
        let timeout = self.client.poll_timeout();
        assert_eq!(timeout.is_none(), idle, "poll_timeout {timeout:?}");
        if let Some(t) = timeout {
            let longest = self
                .config
                .max_timeout
                .max(self.config.initial_timeout)
                .max(self.config.tcp_timeout);
            assert!(t <= self.now + longest, "timer too far");
            if cause == Cause::Timeout {
                assert!(t > self.now, "a timer at or before the time just handled");
            }
        }
    }

    fn query(&mut self, name: u8, qtype: u8, id: u16) {
        let name = NAMES[usize::from(name) % NAMES.len()];
        let question = Question::new(
            name.parse().expect("a name"),
            QTYPES[usize::from(qtype) % QTYPES.len()],
        );
        let joined = self
            .waiting
            .values()
            .find(|(q, _)| *q == question)
            .map(|(_, id)| *id);
        let id_used = self.waiting.values().any(|(_, wid)| *wid == id);
        match self.client.query(question.clone(), id, self.now) {
            Ok(handle) => {
                self.handles.push(handle);
                let wire_id = match joined {
                    Some(existing) => existing,
                    None => {
                        assert!(!id_used, "query with an ID in use accepted");
                        self.counts.remove(&key(id, &question));
                        id
                    }
                };
                assert!(
                    self.waiting.insert(handle, (question, wire_id)).is_none(),
                    "QueryId reused"
                );
            }
            Err(e) => assert!(joined.is_none() && id_used, "query refused: {e}"),
        }
        self.drain(Cause::Query);
    }

    fn udp(&mut self, bytes: &[u8], expected: bool) {
        self.last_udp = Message::decode(bytes).ok().filter(|_| expected);
        self.client.receive_udp(bytes, expected, self.now);
        self.drain(Cause::Udp);
    }

    fn tcp(&mut self, bytes: &[u8]) {
        self.client.receive_tcp(bytes, self.now);
        self.drain(Cause::Tcp);
    }

    /// A response to a query sent earlier, changed by the bits of `change`.
    fn respond(&mut self, which: u8, change: u16, id_xor: u16, split: u16) {
        let Some((transport, query)) = self
            .sent
            .get(usize::from(which) % self.sent.len().max(1))
            .cloned()
        else {
            return;
        };
        let mut r = Message::response_to(&query);
        let bit = |n: u16| change & (1 << n) != 0;
        r.header.qr = !bit(0);
        r.header.tc = bit(1);
        if bit(2) {
            r.header.opcode = Opcode::NOTIFY;
        }
        r.header.rcode = match (change >> 3) & 3 {
            0 => r.header.rcode,
            1 => Rcode::FORMERR,
            2 => Rcode::SERVFAIL,
            _ => Rcode::NXDOMAIN,
        };
        match (change >> 5) & 7 {
            3 => {
                for q in &mut r.question {
                    q.name = q
                        .name
                        .to_string()
                        .to_ascii_uppercase()
                        .parse()
                        .expect("name");
                }
            }
            4 => r.question[0].name = "other.example.".parse().expect("name"),
            5 => r.question[0].qtype = RType(r.question[0].qtype.0 ^ 1),
            6 => r.question.clear(),
            7 => r.question.push(r.question[0].clone()),
            _ => {}
        }
        if bit(8) {
            r.header.id ^= id_xor;
        }
        if let (true, Some(q)) = (bit(9), r.question.first()) {
            r.answer.push(Record {
                name: q.name.clone(),
                class: Class::IN,
                ttl: 60,
                data: RData::A([192, 0, 2, 1].into()),
            });
        }
        let Ok(wire) = r.encode() else {
            return;
        };
        let over_tcp = (transport == Transport::Tcp) != bit(10);
        if over_tcp {
            let mut framed = (wire.len() as u16).to_be_bytes().to_vec();
            framed.extend_from_slice(&wire);
            let at = usize::from(split).min(framed.len());
            let (a, b) = framed.split_at(at);
            self.tcp(a);
            self.tcp(b);
        } else {
            self.udp(&wire, !bit(11));
        }
    }

    fn handle_timeout(&mut self) {
        self.client.handle_timeout(self.now);
        self.drain(Cause::Timeout);
    }
}

/// See the module docs.
pub fn dns_client_session(data: &[u8]) {
    let mut u = Unstructured::new(data);
    let Ok(c) = Config::arbitrary(&mut u) else {
        return;
    };
    let Ok(ops) = Vec::<Op>::arbitrary_take_rest(u) else {
        return;
    };
    let ms = |n: u16| Duration::from_millis(u64::from(n.max(1)));
    let config = ClientConfig {
        initial_timeout: ms(c.initial_ms % 5000),
        max_timeout: ms(c.max_ms % 20_000),
        udp_attempts: u32::from(c.attempts % 6),
        tcp_timeout: ms(c.tcp_ms % 10_000),
        edns: c.edns.then(Edns::default),
        recursion_desired: c.rd,
        ..ClientConfig::default()
    };
    let mut s = Session {
        client: StubClient::new(config.clone()),
        config,
        now: Instant::now(),
        waiting: BTreeMap::new(),
        handles: Vec::new(),
        sent: Vec::new(),
        counts: HashMap::new(),
        last_udp: None,
        truncated: BTreeSet::new(),
        fell_back: BTreeSet::new(),
    };
    for op in ops {
        match op {
            Op::Query { name, qtype, id } => s.query(name, qtype, id),
            Op::Respond {
                which,
                change,
                id_xor,
                split,
            } => s.respond(which, change, id_xor, split),
            Op::Udp { bytes, expected } => s.udp(&bytes, expected),
            Op::Tcp(bytes) => s.tcp(&bytes),
            Op::Advance(n) => {
                s.now += Duration::from_millis(u64::from(n));
                s.drain(Cause::Other);
            }
            Op::Timeout => s.handle_timeout(),
            Op::ToDeadline => {
                if let Some(t) = s.client.poll_timeout() {
                    s.now = s.now.max(t);
                }
                s.handle_timeout();
            }
            Op::Cancel(n) => {
                // Any handle ever returned: waiting ones are cancelled, others are not.
                if let Some(&q) = s.handles.get(usize::from(n) % s.handles.len().max(1)) {
                    let waiting = s.waiting.remove(&q).is_some();
                    assert_eq!(s.client.cancel(q), waiting, "cancel of {q:?}");
                }
                s.drain(Cause::Other);
            }
            Op::TcpClosed => {
                s.client.receive_tcp_eof();
                s.drain(Cause::TcpClosed);
            }
        }
    }
    // Liveness: the timers alone finish every query, each within its attempts.
    let rounds = (s.config.udp_attempts.max(1) as usize + 1) * (s.waiting.len() + 1);
    for _ in 0..rounds {
        let Some(t) = s.client.poll_timeout() else {
            break;
        };
        s.now = s.now.max(t);
        s.handle_timeout();
    }
    assert!(
        s.waiting.is_empty(),
        "still waiting after every timer: {:?}",
        s.waiting
    );
}
