//! The borrowed reader ([`dns_codec::reader`]) never touches the heap: measured with a counting
//! global allocator (dhat's) while it walks every section of real-looking messages, reads every
//! name (labels, comparisons, the presentation form into a fixed buffer), the EDNS options, and
//! while it refuses every prefix and every corrupted copy.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic,
    missing_docs
)]

use std::fmt::Write as _;
use std::net::{Ipv4Addr, Ipv6Addr};

use bytes::Bytes;
use dns_codec::rdata::{Mx, Soa, Txt};
use dns_codec::reader::MessageReader;
use dns_codec::{Edns, EdnsOption, Error, Message, Name, Question, RData, RType, Record};

#[global_allocator]
static ALLOC: dhat::Alloc = dhat::Alloc;

/// Runs `f` under a fresh heap profiler: its result, and how many heap blocks and bytes it
/// allocated.
fn measure<T>(f: impl FnOnce() -> T) -> (T, u64, u64) {
    let _profiler = dhat::Profiler::builder().testing().build();
    let before = dhat::HeapStats::get();
    let out = f();
    let after = dhat::HeapStats::get();
    (
        out,
        after.total_blocks - before.total_blocks,
        after.total_bytes - before.total_bytes,
    )
}

/// [`measure`], again if a run saw an allocation, up to [`TRIES`] runs, keeping the smallest
/// count: the reader is deterministic, so an allocation of its own shows up every time, while
/// one by another thread of the harness (seen once in a full `cargo test` run) does not. The
/// same rule as `http-codec/tests/no_alloc.rs`, which needed more than two runs under load.
fn measure_walk(wire: &[u8], wanted: &Name) -> (Result<(usize, usize, usize), Error>, u64, u64) {
    let mut best = measure(|| walk(wire, wanted));
    for _ in 1..TRIES {
        if (best.1, best.2) == (0, 0) {
            break;
        }
        let again = measure(|| walk(wire, wanted));
        if (again.1, again.2) < (best.1, best.2) {
            best = again;
        }
    }
    best
}

/// How many times [`measure_walk`] counts before it believes an allocation.
const TRIES: usize = 5;

fn name(s: &str) -> Name {
    s.parse().unwrap()
}

/// A response with a CNAME, A and AAAA records and EDNS with a cookie.
fn cname_response() -> Vec<u8> {
    let mut m = Message::default();
    m.header.id = 0x4242;
    m.header.qr = true;
    m.header.rd = true;
    m.header.ra = true;
    m.question
        .push(Question::new(name("www.example.com."), RType::A));
    m.answer.push(Record::new(
        name("www.example.com."),
        300,
        RData::Cname(name("cdn.Example.net.")),
    ));
    for i in 0..4u8 {
        m.answer.push(Record::new(
            name("cdn.Example.net."),
            60,
            RData::A(Ipv4Addr::new(192, 0, 2, i)),
        ));
        m.answer.push(Record::new(
            name("cdn.Example.net."),
            60,
            RData::Aaaa(Ipv6Addr::new(0x2001, 0xdb8, 0, 0, 0, 0, 0, u16::from(i))),
        ));
    }
    m.edns = Some(Edns {
        options: vec![EdnsOption {
            code: 10,
            data: Bytes::from_static(b"\x01\x02\x03\x04\x05\x06\x07\x08"),
        }],
        ..Edns::default()
    });
    m.encode().unwrap()
}

/// A response with MX, TXT, NS and SOA records, names compressed.
fn mixed_response() -> Vec<u8> {
    let mut m = Message::default();
    m.header.qr = true;
    m.question
        .push(Question::new(name("example.org."), RType::MX));
    for (i, host) in ["mx1", "mx2", "mx3"].iter().enumerate() {
        m.answer.push(Record::new(
            name("example.org."),
            3600,
            RData::Mx(Mx {
                preference: 10 * (i as u16 + 1),
                exchange: name(&format!("{host}.mail.example.org.")),
            }),
        ));
    }
    m.answer.push(Record::new(
        name("example.org."),
        3600,
        RData::Txt(Txt {
            strings: vec![Bytes::from_static(b"v=spf1 mx -all")],
        }),
    ));
    m.authority.push(Record::new(
        name("example.org."),
        3600,
        RData::Ns(name("ns1.example.org.")),
    ));
    m.authority.push(Record::new(
        name("example.org."),
        3600,
        RData::Soa(Box::new(Soa {
            mname: name("ns1.example.org."),
            rname: name("hostmaster.example.org."),
            serial: 2024010101,
            refresh: 7200,
            retry: 900,
            expire: 1209600,
            minimum: 300,
        })),
    ));
    m.additional.push(Record::new(
        name("mx1.mail.example.org."),
        3600,
        RData::A(Ipv4Addr::new(198, 51, 100, 1)),
    ));
    m.encode().unwrap()
}

/// A fixed-size text sink: the presentation form of a name without a `String`.
struct Buf {
    bytes: [u8; 1100],
    len: usize,
}

impl std::fmt::Write for Buf {
    fn write_str(&mut self, s: &str) -> std::fmt::Result {
        let end = self.len + s.len();
        self.bytes
            .get_mut(self.len..end)
            .ok_or(std::fmt::Error)?
            .copy_from_slice(s.as_bytes());
        self.len = end;
        Ok(())
    }
}

/// Everything the reader offers, on `wire`: (items, labels, options) read, or the first error.
fn walk(wire: &[u8], wanted: &Name) -> Result<(usize, usize, usize), Error> {
    let r = MessageReader::new(wire)?;
    let mut items = 0;
    let mut labels = 0;
    let mut buf = Buf {
        bytes: [0; 1100],
        len: 0,
    };
    let _ = (r.id(), r.flags(), r.counts(), r.header());
    for q in r.questions() {
        let q = q?;
        items += 1;
        let _ = q.name.eq_name(wanted)?;
        let _ = q.name == *wanted;
        for label in q.name.labels() {
            labels += label?.len();
        }
        buf.len = 0;
        let _ = write!(buf, "{}", q.name);
    }
    for section in [r.answers(), r.authority(), r.additional()] {
        for rec in section {
            let rec = rec?;
            items += 1;
            std::hint::black_box((rec.rtype, rec.class, rec.ttl, rec.rdata));
            labels += rec.name.wire_len()?;
            let _ = rec.name.eq_name(wanted)?;
            buf.len = 0;
            let _ = write!(buf, "{}", rec.name);
        }
    }
    let options = match r.edns()? {
        Some(opt) => {
            let _ = (opt.udp_payload_size(), opt.dnssec_ok(), opt.version());
            opt.options().count()
        }
        None => 0,
    };
    let _ = r.rcode()?;
    Ok((items, labels, options))
}

fn never_allocates(wire: &[u8], expected: (usize, usize, usize)) {
    let wanted = name("WWW.example.COM.");
    let (r, blocks, bytes) = measure_walk(wire, &wanted);
    assert_eq!(r, Ok(expected));
    assert_eq!((blocks, bytes), (0, 0), "the whole walk allocated");
    for len in 0..wire.len() {
        let (r, blocks, bytes) = measure_walk(&wire[..len], &wanted);
        assert!(r.is_err(), "prefix of {len} bytes accepted");
        assert_eq!(
            (blocks, bytes),
            (0, 0),
            "the prefix of {len} bytes allocated {blocks} blocks, {bytes} bytes"
        );
    }
    let mut buf = wire.to_vec();
    for i in 0..buf.len() {
        let original = buf[i];
        for x in [0x00, 0xFF, 0xC0, 0x3F] {
            buf[i] = x;
            let (_, blocks, bytes) = measure_walk(&buf, &wanted);
            assert_eq!(
                (blocks, bytes),
                (0, 0),
                "byte {i} = {x:#04x}: allocated {blocks} blocks, {bytes} bytes"
            );
        }
        buf[i] = original;
    }
}

/// One test, as in http-codec's: dhat counts every thread's allocations, and the harness
/// reporting another test's result would be counted.
#[test]
fn the_reader_never_allocates() {
    let (_, blocks, bytes) = measure(|| std::hint::black_box(vec![0u8; 8]));
    assert_eq!((blocks, bytes), (1, 8));
    // 1 question + 9 answers + OPT; 1 option.
    never_allocates(&cname_response(), (11, 13 + 17 + 8 * 17 + 1, 1));
    // 1 question + 4 answers + 2 authority + 1 additional.
    never_allocates(&mixed_response(), (8, 10 + 4 * 13 + 2 * 13 + 22, 0));
}
