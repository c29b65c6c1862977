//! Criterion benchmarks for command-line parsing, side by side with the two SMTP parsers of
//! crates.io: Stalwart's hand-written `smtp_proto::Request::parse` (`smtp-proto`) and duesee's
//! nom-based `smtp_codec::parse::command::command` (`smtp-codec` 0.2, here `duesee_smtp`).
//!
//! Id convention (read by `scripts/bench.sh`): within a group, `ours*/<case>` is our code and
//! `<peer>/<case>` (`smtp-proto`, `duesee-smtp-codec`) the one it is compared with.
//!
//! | group | what |
//! |---|---|
//! | `smtp_command` | `session`: the command lines of a realistic submission, pipelined in one buffer (EHLO, MAIL with SIZE/BODY/AUTH, five RCPT with NOTIFY/ORCPT, DATA, RSET, a second MAIL/RCPT/DATA, QUIT; 13 lines, 625 octets), every line parsed to a typed command |
//!
//! Each side does the same work: it finds each line's end in the buffer and parses the whole
//! line into its typed command (addresses and parameters validated; the values owned by ours
//! (short domains, local parts and xtext in place, longer ones and other values on the heap)
//! and duesee's (`String`s), borrowed `Cow`s by smtp-proto's, which decodes ORCPT's xtext into
//! a `String`); every command goes to `black_box` and is dropped inside the timed loop.
//! Ours is [`CommandDecoder`] (strict) on a `BytesMut` holding the bytes, as a server's socket
//! reader has them; building and freeing that `BytesMut` is setup, not timed
//! (`iter_batched_ref`). Two rows of ours: `ours` is [`Decoder::decode`], the owned
//! [`Command`] (what `ServerSession` uses); `ours-ref` is [`CommandDecoder::decode_with`], the
//! same parse into the borrowed [`smtp_codec::CommandRef`] (values as slices of the line, the
//! parameters in place: nothing allocated), which is the like-for-like of smtp-proto's
//! borrowed `Request`. The peers walk a `&[u8]` (smtp-proto: a `slice::Iter` that
//! `Request::parse` leaves after the LF; duesee's: the remaining slice nom hands back).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic,
    missing_docs
)]

use std::hint::black_box;

use bytes::BytesMut;
use criterion::{BatchSize, BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use framing::Decoder;
use smtp_codec::{Command, CommandDecoder, Leniency, Limits};

/// The commands a submission client sends for two messages on one connection.
const SESSION: &[&str] = &[
    "EHLO client.example.org",
    "MAIL FROM:<alice.sender@example.org> SIZE=184320 BODY=8BITMIME AUTH=alice.sender@example.org",
    "RCPT TO:<bob@example.net> NOTIFY=SUCCESS,FAILURE ORCPT=rfc822;bob@example.net",
    "RCPT TO:<carol.smith@mail.example.com> NOTIFY=FAILURE,DELAY ORCPT=rfc822;carol.smith@mail.example.com",
    "RCPT TO:<dave@example.co.uk> NOTIFY=NEVER",
    "RCPT TO:<erin+lists@sub.example.net> NOTIFY=SUCCESS ORCPT=rfc822;erin+2Blists@sub.example.net",
    "RCPT TO:<frank@example.org>",
    "DATA",
    "RSET",
    "MAIL FROM:<alice.sender@example.org> SIZE=2048 BODY=7BIT",
    "RCPT TO:<grace@example.edu> NOTIFY=FAILURE ORCPT=rfc822;grace@example.edu",
    "DATA",
    "QUIT",
];

fn session() -> Vec<u8> {
    let mut out = Vec::new();
    for line in SESSION {
        out.extend_from_slice(line.as_bytes());
        out.extend_from_slice(b"\r\n");
    }
    out
}

fn ours(buf: &mut BytesMut) -> usize {
    let mut d = CommandDecoder::new(Limits::default(), Leniency::strict());
    let mut n = 0;
    while let Some(command) = d.decode(buf).unwrap() {
        black_box(command);
        n += 1;
    }
    n
}

fn ours_ref(buf: &mut BytesMut) -> usize {
    let mut d = CommandDecoder::new(Limits::default(), Leniency::strict());
    let mut n = 0;
    while d
        .decode_with(buf, |command| {
            black_box(command);
        })
        .unwrap()
        .is_some()
    {
        n += 1;
    }
    n
}

fn smtp_proto(input: &[u8]) -> usize {
    let mut it = input.iter();
    let mut n = 0;
    while it.len() > 0 {
        black_box(smtp_proto::Request::parse(&mut it).unwrap());
        n += 1;
    }
    n
}

fn duesee(input: &[u8]) -> usize {
    let mut rest = input;
    let mut n = 0;
    while !rest.is_empty() {
        let (tail, command) = duesee_smtp::parse::command::command(rest).unwrap();
        black_box(command);
        rest = tail;
        n += 1;
    }
    n
}

/// Before anything is timed: all three parse every line, to the same verbs, and the parameters
/// are understood alike where the peers type them.
fn check(input: &[u8]) {
    assert_eq!(input.len(), 625);
    let mut d = CommandDecoder::new(Limits::default(), Leniency::strict());
    let mut buf = BytesMut::from(input);
    let mut verbs = Vec::new();
    let mut ours_to = Vec::new();
    let mut ours_params = 0;
    while let Some(command) = d.decode(&mut buf).unwrap() {
        match &command {
            Command::Mail { params, .. } => ours_params += params.len(),
            Command::Rcpt { to, params } => {
                ours_to.push(to.to_string());
                ours_params += params.len();
            }
            _ => {}
        }
        verbs.push(command.verb());
    }
    assert_eq!(verbs.len(), SESSION.len());

    // The borrowed parse gives the same commands, line by line.
    let mut d = CommandDecoder::new(Limits::default(), Leniency::strict());
    let mut buf = BytesMut::from(input);
    let mut owned = Vec::new();
    while let Some(command) = d.decode_with(&mut buf, |c| c.to_command()).unwrap() {
        owned.push(command);
    }
    let mut d = CommandDecoder::new(Limits::default(), Leniency::strict());
    let mut buf = BytesMut::from(input);
    for command in owned {
        assert_eq!(Some(command), d.decode(&mut buf).unwrap());
    }

    let mut it = input.iter();
    let mut theirs = Vec::new();
    let mut theirs_to = Vec::new();
    while it.len() > 0 {
        let r = smtp_proto::Request::parse(&mut it).unwrap();
        if let smtp_proto::Request::Rcpt { to } = &r {
            theirs_to.push(to.address.to_string());
        }
        theirs.push(r.name());
    }
    assert_eq!(verbs, theirs);
    assert_eq!(ours_to, theirs_to);

    let mut rest = input;
    let mut theirs = Vec::new();
    let mut theirs_params = 0;
    while !rest.is_empty() {
        let (tail, command) = duesee_smtp::parse::command::command(rest).unwrap();
        if let duesee_smtp::types::Command::Mail { parameters, .. }
        | duesee_smtp::types::Command::Rcpt { parameters, .. } = &command
        {
            theirs_params += parameters.len();
        }
        theirs.push(command.name());
        rest = tail;
    }
    assert_eq!(verbs, theirs);
    assert_eq!(ours_params, theirs_params);

    assert_eq!(ours(&mut BytesMut::from(input)), SESSION.len());
    assert_eq!(ours_ref(&mut BytesMut::from(input)), SESSION.len());
    assert_eq!(smtp_proto(input), SESSION.len());
    assert_eq!(duesee(input), SESSION.len());
}

fn bench(c: &mut Criterion) {
    let input = session();
    check(&input);

    let mut group = c.benchmark_group("smtp_command");
    group.throughput(Throughput::Bytes(input.len() as u64));
    group.bench_function(BenchmarkId::new("ours", "session"), |b| {
        b.iter_batched_ref(
            || BytesMut::from(&input[..]),
            |buf| black_box(ours(buf)),
            BatchSize::SmallInput,
        )
    });
    group.bench_function(BenchmarkId::new("ours-ref", "session"), |b| {
        b.iter_batched_ref(
            || BytesMut::from(&input[..]),
            |buf| black_box(ours_ref(buf)),
            BatchSize::SmallInput,
        )
    });
    group.bench_function(BenchmarkId::new("smtp-proto", "session"), |b| {
        b.iter(|| black_box(smtp_proto(black_box(&input))))
    });
    group.bench_function(BenchmarkId::new("duesee-smtp-codec", "session"), |b| {
        b.iter(|| black_box(duesee(black_box(&input))))
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
