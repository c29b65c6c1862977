//! Criterion benchmarks for response parsing, side by side with duesee's `pop3-codec` 0.3 (here
//! `duesee_pop3`, nom 7), the only other sans-IO POP3 parser on crates.io: its
//! `parse::response_retr`, `response_uidl_all` and `response_capa`.
//!
//! Id convention (read by `scripts/bench.sh`): within a group, `ours*/<case>` is our code and
//! `duesee-pop3-codec/<case>` the peer (target: ours at least 1.0x its speed).
//!
//! | group / case | input |
//! |---|---|
//! | `pop3_response/retr_1m` | `+OK <size> octets`, a 1 MiB message (CRLF lines of 0 to 78 printable octets) with **no line starting with a dot**, `.CRLF`; 1,048,659 octets |
//! | `pop3_response/uidl_10k` | `+OK`, 10,000 lines `n uid` (24-character ids, 28 to 32 octets a line), `.CRLF`; 308,902 octets |
//! | `pop3_response/capa` | a Dovecot-like CAPA answer of 14 lines (an unknown `CAPA`, TOP, UIDL, RESP-CODES, PIPELINING, AUTH-RESP-CODE, USER, SASL with three mechanisms, STLS, EXPIRE NEVER, LOGIN-DELAY 900, UTF8 USER, LANG, IMPLEMENTATION); 181 octets |
//!
//! The peer does not undo dot-stuffing (a `..` line stays `..`), so every input here has no line
//! starting with a dot: both sides then mean the same content. Unstuffing is measured by
//! `benches/retr.rs`.
//!
//! What each side does per iteration, the whole answer being in memory (the peer's parsers are
//! complete-input nom parsers: a streaming caller would re-run them from the start on every read
//! until the terminator is in):
//!
//! - `retr_1m`. Ours: [`ResponseDecoder`] told it answers `RETR 1`, on a `BytesMut` holding the
//!   answer (as a client's socket reader has it; building the buffer is setup, not timed:
//!   `iter_batched_ref`): the status line to a [`pop3_codec::Response`], then the content as
//!   `Bytes` split off the buffer (no copy, no allocation per line), every line end checked to
//!   be CRLF and every line held to the content line limit. Peer: `response_retr`: the status
//!   line to a `SingleLine`, each content line found, checked to be UTF-8 and copied into a
//!   `String` of a `Vec`. The two outputs differ in shape (ours: the content as a few `Bytes`;
//!   the peer: one `String` per line); each is what its library hands a caller.
//! - `uidl_10k`. Ours: a logged-in [`ClientSession`] with `UIDL` written (setup, not timed)
//!   receives the answer and returns `ClientEvent::UniqueIds(Vec<(u32, String)>)`: it appends
//!   the bytes to its buffer, decodes the status line, gathers the content and parses each line
//!   (number, 1 to 70 octets of 0x21-0x7E, nothing after it). Peer: `response_uidl_all`:
//!   `Vec<UniqueIdListing { message_id: u32, message_uid: String }>`. Same typed result.
//! - `capa`. Ours: [`ResponseDecoder`] told it answers `CAPA`, then [`Capabilities::decode`] of
//!   the content: a `Vec<Capability>`, typed (mechanisms, numbers, flags). Peer: `response_capa`:
//!   a `Vec<Capability>`, typed alike. duesee's `response_capa` refuses every non-empty CAPA
//!   answer as servers send it (its `capability` parser consumes the CRLF and its multi-line
//!   loop then wants a second one; `check` asserts this), so it is fed the same lines each
//!   followed by an empty line (195 octets): the only input it accepts. Throughput counts the
//!   181 octets of the real answer for both.
//!
//! Every output goes to `black_box` and is dropped inside the timed loop. Figures:
//! BENCHMARKS.md, section pop3-codec.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic,
    missing_docs
)]

use std::hint::black_box;

use bytes::{Bytes, BytesMut};
use criterion::{BatchSize, BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use framing::Decoder;
use pop3_codec::{
    Capabilities, ClientEvent, ClientSession, Command, Response, ResponseDecoder, ResponseEvent,
};

/// A 1 MiB message: CRLF lines of 0 to 78 printable octets (a deterministic LCG), none
/// starting with a dot.
fn message() -> Vec<u8> {
    let mut out = Vec::with_capacity(1 << 20);
    let mut x: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut next = || {
        x = x
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (x >> 33) as u32
    };
    while out.len() < 1 << 20 {
        let len = next() % 79;
        for i in 0..len {
            // Printable, and no dot at a line's start.
            let b = b' ' + (next() % 95) as u8;
            out.push(if i == 0 && b == b'.' { b'-' } else { b });
        }
        out.extend_from_slice(b"\r\n");
    }
    out
}

fn retr_answer(message: &[u8]) -> Vec<u8> {
    let mut wire = format!("+OK {} octets\r\n", message.len()).into_bytes();
    wire.extend_from_slice(message);
    wire.extend_from_slice(b".\r\n");
    wire
}

/// `n uid` for 10,000 messages, ids of 24 characters.
fn uidl_answer() -> Vec<u8> {
    let mut wire = b"+OK\r\n".to_vec();
    for n in 1..=10_000u32 {
        let h = u64::from(n).wrapping_mul(0x9e37_79b9_7f4a_7c15);
        wire.extend_from_slice(format!("{n} {h:016x}{:08X}\r\n", n ^ 0x5a5a).as_bytes());
    }
    wire.extend_from_slice(b".\r\n");
    wire
}

const CAPA: &[u8] = b"+OK\r\n\
CAPA\r\n\
TOP\r\n\
UIDL\r\n\
RESP-CODES\r\n\
PIPELINING\r\n\
AUTH-RESP-CODE\r\n\
USER\r\n\
SASL PLAIN LOGIN SCRAM-SHA-256\r\n\
STLS\r\n\
EXPIRE NEVER\r\n\
LOGIN-DELAY 900\r\n\
UTF8 USER\r\n\
LANG\r\n\
IMPLEMENTATION Dovecot\r\n\
.\r\n";

/// [`CAPA`] as duesee's `response_capa` accepts it: every capability line followed by an empty
/// line (see `check`); 14 more octets.
fn capa_for_duesee() -> Vec<u8> {
    let body = &CAPA[5..CAPA.len() - 3];
    let mut out = b"+OK\r\n".to_vec();
    for line in body.split_inclusive(|&b| b == b'\n') {
        out.extend_from_slice(line);
        out.extend_from_slice(b"\r\n");
    }
    out.extend_from_slice(b".\r\n");
    out
}

/// Ours, decoder level: the status line and the content (one `Bytes` when it came in one
/// piece, as here).
fn ours_multiline(buf: &mut BytesMut, command: &Command) -> (Response, Bytes) {
    let mut d = ResponseDecoder::default();
    d.expect(command);
    let Some(ResponseEvent::Status(status)) = d.decode(buf).unwrap() else {
        panic!("no status")
    };
    let mut content = Bytes::new();
    let mut more: Option<BytesMut> = None;
    loop {
        match d.decode(buf).unwrap() {
            Some(ResponseEvent::Data(piece)) => match (&mut more, content.is_empty()) {
                (None, true) => content = piece,
                (None, false) => {
                    let mut all = BytesMut::from(&content[..]);
                    all.extend_from_slice(&piece);
                    more = Some(all);
                }
                (Some(all), _) => all.extend_from_slice(&piece),
            },
            Some(ResponseEvent::End) => break,
            other => panic!("unexpected {other:?}"),
        }
    }
    if let Some(all) = more {
        content = all.freeze();
    }
    (status, content)
}

fn ours_capa(buf: &mut BytesMut) -> Capabilities {
    let (status, content) = ours_multiline(buf, &Command::Capa);
    assert!(status.ok);
    Capabilities::decode(&content, 0).unwrap()
}

/// A session logged in, `UIDL` written and nothing left to read.
fn uidl_session() -> ClientSession {
    let mut s = ClientSession::default();
    s.receive(b"+OK ready\r\n");
    s.login("user", "secret").unwrap();
    s.receive(b"+OK\r\n");
    s.receive(b"+OK logged in\r\n");
    s.uidl(None).unwrap();
    while s.poll_transmit().is_some() {}
    while s.poll_event().unwrap().is_some() {}
    s
}

fn ours_uidl(s: &mut ClientSession, input: &[u8]) -> Vec<(u32, String)> {
    s.receive(input);
    match s.poll_event().unwrap() {
        Some(ClientEvent::UniqueIds(ids)) => ids,
        other => panic!("unexpected {other:?}"),
    }
}

/// Before anything is timed: both parsers take the whole answer and agree on what it says.
fn check(message: &[u8], retr: &[u8], uidl: &[u8], capa_for_duesee: &[u8]) {
    let (status, content) = ours_multiline(&mut BytesMut::from(retr), &Command::Retr(1));
    assert!(status.ok);
    assert_eq!(content, message);
    let (rest, theirs) = duesee_pop3::parse::response_retr(retr).unwrap();
    assert!(rest.is_empty());
    let theirs = theirs.unwrap();
    assert_eq!(theirs.head.comment, status.text);
    let joined: Vec<u8> = theirs
        .body
        .iter()
        .flat_map(|l| l.bytes().chain(*b"\r\n"))
        .collect();
    assert_eq!(joined, message);

    let ours = ours_uidl(&mut uidl_session(), uidl);
    assert_eq!(ours.len(), 10_000);
    let (rest, theirs) = duesee_pop3::parse::response_uidl_all(uidl).unwrap();
    assert!(rest.is_empty());
    let theirs = theirs.unwrap().body;
    assert_eq!(theirs.len(), ours.len());
    for ((n, uid), t) in ours.iter().zip(&theirs) {
        assert_eq!((*n, uid.as_str()), (t.message_id, t.message_uid.as_str()));
    }

    let ours = ours_capa(&mut BytesMut::from(CAPA));
    assert_eq!(ours.0.len(), 14);
    assert_eq!(ours.sasl().len(), 3);
    // duesee's `response_capa` refuses every non-empty CAPA answer as sent (its `capability`
    // parser eats the CRLF, then its multi-line loop wants another one)...
    assert!(duesee_pop3::parse::response_capa(CAPA).is_err());
    assert!(duesee_pop3::parse::response_capa(b"+OK\r\nTOP\r\n.\r\n").is_err());
    // ... and takes the same lines each followed by an empty one.
    let (rest, theirs) = duesee_pop3::parse::response_capa(capa_for_duesee).unwrap();
    assert!(rest.is_empty());
    let theirs = theirs.unwrap().body;
    assert_eq!(theirs.len(), 14);
    // Its capability type is not exported: compared by its Debug form.
    assert_eq!(
        format!("{:?}", theirs[7]),
        r#"Sasl { mechanisms: ["PLAIN", "LOGIN", "SCRAM-SHA-256"] }"#
    );
}

fn bench(c: &mut Criterion) {
    let message = message();
    let retr = retr_answer(&message);
    let uidl = uidl_answer();
    let capa_for_duesee = capa_for_duesee();
    check(&message, &retr, &uidl, &capa_for_duesee);

    let mut group = c.benchmark_group("pop3_response");

    group.throughput(Throughput::Bytes(retr.len() as u64));
    group.sample_size(30);
    group.bench_function(BenchmarkId::new("ours", "retr_1m"), |b| {
        b.iter_batched_ref(
            || BytesMut::from(&retr[..]),
            |buf| drop(black_box(ours_multiline(buf, &Command::Retr(1)))),
            BatchSize::LargeInput,
        )
    });
    group.bench_function(BenchmarkId::new("duesee-pop3-codec", "retr_1m"), |b| {
        b.iter(|| {
            drop(black_box(
                duesee_pop3::parse::response_retr(black_box(&retr)).unwrap(),
            ))
        })
    });

    group.throughput(Throughput::Bytes(uidl.len() as u64));
    group.bench_function(BenchmarkId::new("ours", "uidl_10k"), |b| {
        b.iter_batched_ref(
            uidl_session,
            |s| drop(black_box(ours_uidl(s, black_box(&uidl)))),
            BatchSize::SmallInput,
        )
    });
    group.bench_function(BenchmarkId::new("duesee-pop3-codec", "uidl_10k"), |b| {
        b.iter(|| {
            drop(black_box(
                duesee_pop3::parse::response_uidl_all(black_box(&uidl)).unwrap(),
            ))
        })
    });

    group.throughput(Throughput::Bytes(CAPA.len() as u64));
    group.sample_size(100);
    group.bench_function(BenchmarkId::new("ours", "capa"), |b| {
        b.iter_batched_ref(
            || BytesMut::from(CAPA),
            |buf| drop(black_box(ours_capa(buf))),
            BatchSize::SmallInput,
        )
    });
    group.bench_function(BenchmarkId::new("duesee-pop3-codec", "capa"), |b| {
        b.iter(|| {
            drop(black_box(
                duesee_pop3::parse::response_capa(black_box(&capa_for_duesee)).unwrap(),
            ))
        })
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
