//! The resolvers (`resolver::blocking`, `resolver::tokio`) against small servers on 127.0.0.1
//! written here, each told how to behave: answer, stay silent, set TC over UDP, refuse OPT
//! with FORMERR, spoof from another port, close TCP after each answer. Every client timer is
//! short, so a broken resolver fails a test within seconds instead of hanging it.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use std::collections::HashSet;
use std::io::{Read, Write};
use std::net::{Ipv4Addr, SocketAddr, TcpListener, TcpStream, UdpSocket};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, mpsc};
use std::thread;
use std::time::Duration;

use bytes::{Bytes, BytesMut};
use dns_codec::client::{ClientConfig, Event, FailReason, Transport};
use dns_codec::rdata::Txt;
use dns_codec::resolver::ResolveError;
use dns_codec::resolver::blocking::Resolver;
use dns_codec::tcp::TcpCodec;
use dns_codec::{Message, Name, RData, RType, Rcode, Record};
use framing::{Decoder, Encoder};

/// Short timers: 100 ms, 200 ms, 200 ms over UDP, 2 s over TCP.
fn quick() -> ClientConfig {
    ClientConfig {
        initial_timeout: Duration::from_millis(100),
        max_timeout: Duration::from_millis(200),
        udp_attempts: 3,
        tcp_timeout: Duration::from_secs(2),
        ..ClientConfig::default()
    }
}

fn name(text: &str) -> Name {
    text.parse().unwrap()
}

/// What a server does with one query.
enum Reply {
    Send(Message),
    Silent,
    /// A forged response from another port of 127.0.0.1 first, then the real one.
    SpoofThenSend(Message, Message),
}

type Behaviour = dyn Fn(&Message, Transport) -> Reply + Send + Sync;

/// The response to `query` with `count` TXT records of about 60 octets each.
fn txt_answer(query: &Message, count: usize) -> Message {
    let mut response = Message::response_to(query);
    let owner = query.question[0].name.clone();
    for i in 0..count {
        let text = format!("record {i:03}: the quick brown fox jumps over the lazy dog");
        let data = RData::Txt(Txt {
            strings: vec![Bytes::from(text)],
        });
        response.answer.push(Record::new(owner.clone(), 60, data));
    }
    response
}

/// A server on 127.0.0.1, UDP and TCP on one port; its threads stop when it is dropped.
struct Server {
    addr: SocketAddr,
    /// Every query received, with how it came.
    queries: Arc<Mutex<Vec<(Transport, Message)>>>,
    accepted: Arc<AtomicUsize>,
    stop: Arc<AtomicBool>,
}

impl Server {
    /// A server that answers as `behaviour` says; with `close_after_answer`, each TCP
    /// connection is closed after its first answer, and `closed` hears of it.
    fn start(
        behaviour: impl Fn(&Message, Transport) -> Reply + Send + Sync + 'static,
        close_after_answer: Option<mpsc::Sender<()>>,
    ) -> Server {
        let (udp, tcp) = (0..50)
            .find_map(|_| {
                let udp = UdpSocket::bind((Ipv4Addr::LOCALHOST, 0)).ok()?;
                let tcp = TcpListener::bind(udp.local_addr().ok()?).ok()?;
                Some((udp, tcp))
            })
            .expect("a UDP and TCP port pair on 127.0.0.1");
        let addr = udp.local_addr().unwrap();
        let behaviour: Arc<Behaviour> = Arc::new(behaviour);
        let queries = Arc::new(Mutex::new(Vec::new()));
        let accepted = Arc::new(AtomicUsize::new(0));
        let stop = Arc::new(AtomicBool::new(false));
        {
            let (behaviour, queries, stop) = (behaviour.clone(), queries.clone(), stop.clone());
            let spoofer = UdpSocket::bind((Ipv4Addr::LOCALHOST, 0)).unwrap();
            udp.set_read_timeout(Some(Duration::from_millis(50)))
                .unwrap();
            thread::spawn(move || {
                let mut buf = vec![0; 65535];
                while !stop.load(Ordering::SeqCst) {
                    let Ok((n, from)) = udp.recv_from(&mut buf) else {
                        continue;
                    };
                    let query = Message::decode(&buf[..n]).unwrap();
                    queries
                        .lock()
                        .unwrap()
                        .push((Transport::Udp, query.clone()));
                    let send = |m: &Message, socket: &UdpSocket| {
                        socket.send_to(&m.encode().unwrap(), from).unwrap();
                    };
                    match behaviour(&query, Transport::Udp) {
                        Reply::Send(m) => send(&m, &udp),
                        Reply::Silent => {}
                        Reply::SpoofThenSend(fake, real) => {
                            send(&fake, &spoofer);
                            send(&real, &udp);
                        }
                    }
                }
            });
        }
        {
            let (queries, accepted, stop) = (queries.clone(), accepted.clone(), stop.clone());
            tcp.set_nonblocking(true).unwrap();
            thread::spawn(move || {
                while !stop.load(Ordering::SeqCst) {
                    let Ok((stream, _)) = tcp.accept() else {
                        thread::sleep(Duration::from_millis(5));
                        continue;
                    };
                    accepted.fetch_add(1, Ordering::SeqCst);
                    let (behaviour, queries) = (behaviour.clone(), queries.clone());
                    let closed = close_after_answer.clone();
                    thread::spawn(move || serve_tcp(stream, &*behaviour, &queries, closed));
                }
            });
        }
        Server {
            addr,
            queries,
            accepted,
            stop,
        }
    }

    fn queries(&self, transport: Transport) -> Vec<Message> {
        let queries = self.queries.lock().unwrap();
        let of = queries.iter().filter(|(t, _)| *t == transport);
        of.map(|(_, m)| m.clone()).collect()
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
    }
}

fn serve_tcp(
    mut stream: TcpStream,
    behaviour: &Behaviour,
    queries: &Mutex<Vec<(Transport, Message)>>,
    close_after_answer: Option<mpsc::Sender<()>>,
) {
    stream.set_nonblocking(false).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    let (mut codec, mut input, mut chunk) = (TcpCodec::default(), BytesMut::new(), [0; 4096]);
    loop {
        while let Some(query) = codec.decode(&mut input).unwrap() {
            queries
                .lock()
                .unwrap()
                .push((Transport::Tcp, query.clone()));
            if let Reply::Send(m) = behaviour(&query, Transport::Tcp) {
                let mut out = BytesMut::new();
                codec.encode(&m, &mut out).unwrap();
                stream.write_all(&out).unwrap();
            }
            if let Some(closed) = &close_after_answer {
                drop(stream);
                let _ = closed.send(());
                return;
            }
        }
        match stream.read(&mut chunk) {
            Ok(0) | Err(_) => return,
            Ok(n) => input.extend_from_slice(&chunk[..n]),
        }
    }
}

/// 40 TXT records, about 2.7 KiB: over the resolver's 1232-octet EDNS size.
const BIG: usize = 40;

/// Over UDP an empty response with TC; over TCP the whole answer.
fn truncating(query: &Message, transport: Transport) -> Reply {
    match transport {
        Transport::Udp => {
            let mut tc = Message::response_to(query);
            tc.header.tc = true;
            Reply::Send(tc)
        }
        Transport::Tcp => Reply::Send(txt_answer(query, BIG)),
    }
}

#[test]
fn blocking_answers_over_udp_with_unpredictable_ids() {
    let server = Server::start(|q, _| Reply::Send(txt_answer(q, 1)), None);
    let mut resolver = Resolver::with_config(server.addr, quick()).unwrap();
    assert_eq!(resolver.server(), server.addr);
    for i in 0..20 {
        let asked = name(&format!("n{i}.example."));
        let answer = resolver.resolve(&asked, RType::TXT).unwrap();
        assert_eq!(answer.header.rcode, Rcode::NOERROR);
        assert_eq!(answer.answer.len(), 1);
        assert_eq!(answer.question[0].name, asked);
        assert!(resolver.last_events().is_empty());
    }
    let ids: Vec<u16> = server
        .queries(Transport::Udp)
        .iter()
        .map(|q| q.header.id)
        .collect();
    assert_eq!(ids.len(), 20, "one datagram per question");
    // Random 16-bit IDs: 20 of them almost never repeat (a repeat in 1 of ~330 runs; two in
    // 1 of ~10^5), and never step by a constant as a counter does.
    let distinct: HashSet<u16> = ids.iter().copied().collect();
    assert!(distinct.len() >= 18, "IDs repeat: {ids:?}");
    let steps: HashSet<u16> = ids.windows(2).map(|w| w[1].wrapping_sub(w[0])).collect();
    assert!(steps.len() > 1, "the IDs count: {ids:?}");
    assert_eq!(server.queries(Transport::Tcp).len(), 0);
}

#[test]
fn blocking_retransmits_then_times_out_against_a_silent_server() {
    let server = Server::start(|_, _| Reply::Silent, None);
    let mut resolver = Resolver::with_config(server.addr, quick()).unwrap();
    let err = resolver
        .resolve(&name("silent.example."), RType::A)
        .unwrap_err();
    assert!(
        matches!(err, ResolveError::Failed(FailReason::Timeout)),
        "{err}"
    );
    assert_eq!(
        err.to_string(),
        "query failed: no answer before the last timer ran out"
    );
    // Three transmissions of the same bytes, the same ID each time (RFC 1123 §6.1.3.3).
    let sent = server.queries(Transport::Udp);
    assert_eq!(sent.len(), 3, "{sent:?}");
    assert!(sent.iter().all(|m| *m == sent[0]));

    // The resolver is still good for the next question (a new ID).
    let next = resolver.resolve(&name("silent2.example."), RType::A);
    assert!(matches!(
        next,
        Err(ResolveError::Failed(FailReason::Timeout))
    ));
    let sent = server.queries(Transport::Udp);
    assert_eq!(sent.len(), 6);
    assert_eq!(sent[5].question[0].name, name("silent2.example."));
}

#[test]
fn blocking_truncated_answer_goes_to_tcp_and_the_connection_is_kept() {
    let server = Server::start(truncating, None);
    let mut resolver = Resolver::with_config(server.addr, quick()).unwrap();
    let big = resolver.resolve(&name("big.example."), RType::TXT).unwrap();
    assert_eq!(big.answer.len(), BIG);
    assert!(!big.header.tc);
    assert!(matches!(resolver.last_events(), [Event::Truncated { .. }]));
    assert_eq!(server.queries(Transport::Udp).len(), 1);
    let tcp = server.queries(Transport::Tcp);
    assert_eq!(tcp.len(), 1);
    // The same query over TCP: same ID, same question (RFC 7766 §5).
    assert_eq!(tcp[0], server.queries(Transport::Udp)[0]);

    // A second truncated answer: the same TCP connection.
    let again = resolver
        .resolve(&name("big2.example."), RType::TXT)
        .unwrap();
    assert_eq!(again.answer.len(), BIG);
    assert_eq!(server.queries(Transport::Tcp).len(), 2);
    assert_eq!(server.accepted.load(Ordering::SeqCst), 1);
    assert_eq!(resolver.ignored(), Default::default());
}

#[test]
fn blocking_reconnects_when_the_server_closed_the_idle_connection() {
    let (closed_tx, closed) = mpsc::channel();
    let server = Server::start(truncating, Some(closed_tx));
    let mut resolver = Resolver::with_config(server.addr, quick()).unwrap();
    for i in 0..3 {
        let asked = name(&format!("big{i}.example."));
        let answer = resolver.resolve(&asked, RType::TXT).unwrap();
        assert_eq!(answer.answer.len(), BIG, "query {i}");
        // The server has closed the connection before the next question.
        closed.recv_timeout(Duration::from_secs(5)).unwrap();
    }
    assert_eq!(server.accepted.load(Ordering::SeqCst), 3);
}

#[test]
fn blocking_retries_without_edns_after_formerr() {
    let server = Server::start(
        |q, _| match &q.edns {
            Some(_) => {
                // An old server: FORMERR, no question, no OPT.
                let mut formerr = Message::default();
                formerr.header.id = q.header.id;
                formerr.header.qr = true;
                formerr.header.rcode = Rcode::FORMERR;
                Reply::Send(formerr)
            }
            None => Reply::Send(txt_answer(q, 1)),
        },
        None,
    );
    let mut resolver = Resolver::with_config(server.addr, quick()).unwrap();
    let answer = resolver.resolve(&name("old.example."), RType::TXT).unwrap();
    assert_eq!(answer.header.rcode, Rcode::NOERROR);
    assert_eq!(answer.answer.len(), 1);
    assert!(matches!(
        resolver.last_events(),
        [Event::EdnsFallback { .. }]
    ));
    let sent = server.queries(Transport::Udp);
    assert_eq!(sent.len(), 2);
    assert!(sent[0].edns.is_some() && sent[1].edns.is_none());
    assert_eq!(sent[0].header.id, sent[1].header.id);
}

#[test]
fn blocking_ignores_an_answer_from_another_port() {
    let server = Server::start(
        |q, _| {
            let mut fake = Message::response_to(q);
            fake.answer.push(Record::new(
                q.question[0].name.clone(),
                60,
                RData::A(Ipv4Addr::new(203, 0, 113, 66)),
            ));
            let mut real = Message::response_to(q);
            real.answer.push(Record::new(
                q.question[0].name.clone(),
                60,
                RData::A(Ipv4Addr::new(192, 0, 2, 1)),
            ));
            Reply::SpoofThenSend(fake, real)
        },
        None,
    );
    let mut resolver = Resolver::with_config(server.addr, quick()).unwrap();
    let answer = resolver.resolve(&name("www.example."), RType::A).unwrap();
    assert_eq!(answer.answer[0].data, RData::A(Ipv4Addr::new(192, 0, 2, 1)));
    assert_eq!(resolver.ignored().unexpected_source, 1);
}

#[test]
fn blocking_nxdomain_is_an_answer() {
    let server = Server::start(
        |q, _| {
            let mut nx = Message::response_to(q);
            nx.header.rcode = Rcode::NXDOMAIN;
            Reply::Send(nx)
        },
        None,
    );
    let mut resolver = Resolver::new(server.addr).unwrap();
    let nx = resolver.resolve(&name("nope.example."), RType::A).unwrap();
    assert_eq!(nx.header.rcode, Rcode::NXDOMAIN);
}

mod tokio_resolver {
    use super::*;
    use dns_codec::resolver::tokio::Resolver;

    #[tokio::test]
    async fn answers_truncation_and_random_ids() {
        let server = Server::start(
            |q, t| match q.question[0].name == name("big.example.") {
                true => truncating(q, t),
                false => Reply::Send(txt_answer(q, 1)),
            },
            None,
        );
        let mut resolver = Resolver::with_config(server.addr, quick()).await.unwrap();
        for i in 0..10 {
            let asked = name(&format!("n{i}.example."));
            let answer = resolver.resolve(&asked, RType::TXT).await.unwrap();
            assert_eq!(answer.answer.len(), 1);
            assert!(resolver.last_events().is_empty());
        }
        let big = resolver
            .resolve(&name("big.example."), RType::TXT)
            .await
            .unwrap();
        assert_eq!(big.answer.len(), BIG);
        assert!(matches!(resolver.last_events(), [Event::Truncated { .. }]));
        let ids: HashSet<u16> = server
            .queries(Transport::Udp)
            .iter()
            .map(|q| q.header.id)
            .collect();
        assert!(ids.len() >= 9, "IDs repeat: {ids:?}");
        assert_eq!(server.queries(Transport::Tcp).len(), 1);
    }

    #[tokio::test]
    async fn reconnects_when_the_server_closed_the_idle_connection() {
        let (closed_tx, closed) = mpsc::channel();
        let server = Server::start(truncating, Some(closed_tx));
        let mut resolver = Resolver::with_config(server.addr, quick()).await.unwrap();
        for i in 0..3 {
            let asked = name(&format!("big{i}.example."));
            let answer = resolver.resolve(&asked, RType::TXT).await.unwrap();
            assert_eq!(answer.answer.len(), BIG, "query {i}");
            closed.recv_timeout(Duration::from_secs(5)).unwrap();
        }
        assert_eq!(server.accepted.load(Ordering::SeqCst), 3);
    }

    #[tokio::test]
    async fn times_out_against_a_silent_server() {
        let server = Server::start(|_, _| Reply::Silent, None);
        let mut resolver = Resolver::with_config(server.addr, quick()).await.unwrap();
        let err = resolver
            .resolve(&name("silent.example."), RType::A)
            .await
            .unwrap_err();
        assert!(matches!(err, ResolveError::Failed(FailReason::Timeout)));
        assert_eq!(server.queries(Transport::Udp).len(), 3);
    }

    #[tokio::test]
    async fn a_dropped_call_leaves_the_resolver_usable() {
        let server = Server::start(
            |q, t| match q.question[0].name == name("silent.example.") {
                true => Reply::Silent,
                false => truncating(q, t),
            },
            None,
        );
        let mut resolver = Resolver::with_config(server.addr, quick()).await.unwrap();
        let abandoned = tokio::time::timeout(
            Duration::from_millis(30),
            resolver.resolve(&name("silent.example."), RType::A),
        )
        .await;
        assert!(abandoned.is_err(), "the call was cut short");
        let big = resolver
            .resolve(&name("big.example."), RType::TXT)
            .await
            .unwrap();
        assert_eq!(big.answer.len(), BIG);
        assert!(matches!(resolver.last_events(), [Event::Truncated { .. }]));
        // The abandoned query was not sent again.
        let silent = server
            .queries(Transport::Udp)
            .iter()
            .filter(|q| q.question[0].name == name("silent.example."))
            .count();
        assert_eq!(silent, 1);
    }
}
