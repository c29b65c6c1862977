//! Criterion benchmarks for the DNS codec, each group side by side with the crates it competes
//! with (`hickory-proto`, `simple-dns`, `domain`), on the same message bytes.
//!
//! Id convention (read by `scripts/bench.sh`): within a group, `ours/<case>` is our code and
//! `<peer>/<case>` the one it is compared with.
//!
//! | group | what |
//! |---|---|
//! | `dns_decode` | a whole message into owned types, rdata typed: ours [`Message::decode`], hickory `Message::from_vec`, simple-dns `Packet::parse` (typed rdata borrowing the input), domain every question and record parsed (`AllRecordData`) and flattened into owned names over `Bytes` |
//! | `dns_decode_lazy` | every record's owner, type, class, TTL and rdata walked without decoding: ours [`MessageReader`], domain `Message::from_octets` and its section iterators |
//! | `dns_encode` | a decoded message written with name compression: ours [`Message::encode`], hickory `to_vec`, simple-dns `build_bytes_vec_compressed` |
//! | `dns_decode_bitmap` | [`Message::decode`] of a message of NSEC records with full type bit maps (`ours`) against the same decoder on a message of A records of the same size (`a-records`, a baseline: the target is that a bitmap message costs at most 3 times as much, ratio >= 0.33) |
//!
//! Cases, built once with our encoder and checked to decode with every peer (same counts, same
//! names) before anything is timed:
//!
//! - `query_edns`: a query for `www.example.com. A` with EDNS (payload 1232, DO, a cookie);
//! - `cname_8`: its response: a CNAME and 4 A and 4 AAAA records for the target, EDNS;
//! - `mixed_1200`: a ~1200-byte response with MX, TXT, NS and SOA records and their glue;
//! - `referral_840` (encode only): a ~840-byte referral: 13 NS records and their A and AAAA glue;
//! - `full_bitmaps_61k` (`dns_decode_bitmap`): 7 NSEC records whose bitmaps hold all 65,536 types
//!   (256 windows of 32 octets each, RFC 4034 §4.1.2), 61,128 octets, and for `a-records` 3,818 A
//!   records with compressed owners, as many octets within 16.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic,
    missing_docs
)]

use std::hint::black_box;
use std::net::{Ipv4Addr, Ipv6Addr};

use bytes::Bytes;
use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use dns_codec::rdata::{Mx, Nsec, Soa, Txt, TypeBitmap};
use dns_codec::reader::MessageReader;
use dns_codec::{Edns, EdnsOption, Message, Name, Question, RData, RType, Record};
use domain::base::name::FlattenInto;
use domain::base::{Name as DomainName, ParsedName};
use domain::rdata::AllRecordData;

fn name(s: &str) -> Name {
    s.parse().unwrap()
}

fn edns() -> Edns {
    Edns {
        udp_payload_size: 1232,
        dnssec_ok: true,
        options: vec![EdnsOption {
            code: 10,
            data: Bytes::from_static(b"\x24\xa9\x8e\x1b\x33\x52\x0c\x71"),
        }],
        ..Edns::default()
    }
}

fn query_edns() -> Message {
    let mut m = Message::default();
    m.header.id = 0x9a3c;
    m.header.rd = true;
    m.question
        .push(Question::new(name("www.example.com."), RType::A));
    m.edns = Some(edns());
    m
}

fn cname_8() -> Message {
    let mut m = query_edns();
    m.header.qr = true;
    m.header.ra = true;
    m.answer.push(Record::new(
        name("www.example.com."),
        300,
        RData::Cname(name("www.example.com.cdn.example.net.")),
    ));
    for i in 0..4u8 {
        m.answer.push(Record::new(
            name("www.example.com.cdn.example.net."),
            60,
            RData::A(Ipv4Addr::new(192, 0, 2, 10 + i)),
        ));
    }
    for i in 0..4u16 {
        m.answer.push(Record::new(
            name("www.example.com.cdn.example.net."),
            60,
            RData::Aaaa(Ipv6Addr::new(0x2001, 0xdb8, 0x10, 0, 0, 0, 0, 0x10 + i)),
        ));
    }
    m
}

fn mixed_1200() -> Message {
    let mut m = Message::default();
    m.header.id = 0x51f0;
    m.header.qr = true;
    m.header.rd = true;
    m.header.ra = true;
    m.question
        .push(Question::new(name("example.org."), RType::MX));
    for (i, host) in ["mx1", "mx2", "mx3", "mx4"].iter().enumerate() {
        m.answer.push(Record::new(
            name("example.org."),
            3600,
            RData::Mx(Mx {
                preference: 10 * (i as u16 + 1),
                exchange: name(&format!("{host}.mail.example.org.")),
            }),
        ));
    }
    let txt = |strings: &[&'static [u8]]| {
        RData::Txt(Txt {
            strings: strings.iter().map(|s| Bytes::from_static(s)).collect(),
        })
    };
    for data in [
        txt(&[b"v=spf1 ip4:192.0.2.0/24 ip6:2001:db8::/32 include:_spf.example.net ~all"]),
        txt(&[b"google-site-verification=4ibFUgB-wXLQ_S7vsXVomSTVamuOXBiVAzpR5IZ87D0"]),
        txt(&[
            b"v=DKIM1; k=rsa; p=MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAxV3p7QvJ6kE9d1Ex3tYuQmN8",
            b"r2a5Kq0f7oYqgRk3hTz1nB6sWc4jLxV9eP2uMdA0iGbHf5yZlCw8XtR1vQoJ3sN7kUeD4pI6mOaTgFh2LrYqBz",
            b"0wE9cV5xKj3uN1bM8dS6fH4gP2iA7lQoR5tY0eW3zX9vC1nB6mK8jL4hG2fD5sA7pO0iU3yT1rE9wQ6xZ4cVb",
        ]),
        txt(&[b"MS=ms48220691"]),
        txt(&[
            b"apple-domain-verification=Q3vT9kLm2xR8pW4n",
            b"atlassian-domain-verification=Zk8Xq2Vw7Lr4Tn9Mb3Hc6Jf1Gd5Sa0Py2Ue8Io7Wt4Rq1Xz6Cv3Bn9Ml5Kj",
            b"facebook-domain-verification=8x2kq9v7l3m5n1b4c6z0",
        ]),
    ] {
        m.answer.push(Record::new(name("example.org."), 3600, data));
    }
    for ns in ["ns1", "ns2", "ns3"] {
        m.authority.push(Record::new(
            name("example.org."),
            86400,
            RData::Ns(name(&format!("{ns}.example.org."))),
        ));
    }
    m.authority.push(Record::new(
        name("example.org."),
        3600,
        RData::Soa(Box::new(Soa {
            mname: name("ns1.example.org."),
            rname: name("hostmaster.example.org."),
            serial: 2024061501,
            refresh: 7200,
            retry: 900,
            expire: 1209600,
            minimum: 300,
        })),
    ));
    for (i, host) in [
        "mx1.mail", "mx2.mail", "mx3.mail", "mx4.mail", "ns1", "ns2", "ns3",
    ]
    .iter()
    .enumerate()
    {
        let owner = name(&format!("{host}.example.org."));
        m.additional.push(Record::new(
            owner.clone(),
            3600,
            RData::A(Ipv4Addr::new(198, 51, 100, i as u8 + 1)),
        ));
        m.additional.push(Record::new(
            owner,
            3600,
            RData::Aaaa(Ipv6Addr::new(0x2001, 0xdb8, 0x53, 0, 0, 0, 0, i as u16 + 1)),
        ));
    }
    m.edns = Some(edns());
    m
}

fn referral_840() -> Message {
    let mut m = Message::default();
    m.header.id = 0x0d0e;
    m.header.qr = true;
    m.question
        .push(Question::new(name("www.example.com."), RType::A));
    let letters = "abcdefghijklm";
    for l in letters.chars() {
        m.authority.push(Record::new(
            name("com."),
            172800,
            RData::Ns(name(&format!("{l}.gtld-servers.net."))),
        ));
    }
    for (i, l) in letters.chars().enumerate() {
        let owner = name(&format!("{l}.gtld-servers.net."));
        m.additional.push(Record::new(
            owner.clone(),
            172800,
            RData::A(Ipv4Addr::new(192, 5 + i as u8, 6, 30)),
        ));
        m.additional.push(Record::new(
            owner,
            172800,
            RData::Aaaa(Ipv6Addr::new(
                0x2001,
                0x503,
                0xa83e + i as u16,
                0,
                0,
                0,
                0x2,
                0x30,
            )),
        ));
    }
    m.edns = Some(Edns {
        udp_payload_size: 1232,
        ..Edns::default()
    });
    m
}

/// A response of 7 NSEC records whose type bit maps hold every type: 256 windows of 32 octets.
fn full_bitmaps() -> Message {
    let mut m = Message::default();
    m.header.qr = true;
    m.question
        .push(Question::new(name("a.example."), RType::NSEC));
    let all = TypeBitmap::from_types((0..=u16::MAX).map(RType));
    for i in 0..7 {
        m.answer.push(Record::new(
            name(&format!("{}.example.", (b'a' + i) as char)),
            3600,
            RData::Nsec(Box::new(Nsec {
                next_domain_name: name(&format!("{}.example.", (b'b' + i) as char)),
                types: all.clone(),
            })),
        ));
    }
    m
}

/// A response of A records for one name (owners compressed, 16 octets each), `size` octets on
/// the wire give or take 16.
fn a_records(size: usize) -> Message {
    let mut m = Message::default();
    m.header.qr = true;
    m.question.push(Question::new(name("a.example."), RType::A));
    let empty = m.encode().unwrap().len();
    for i in 0..(size - empty) / 16 {
        m.answer.push(Record::new(
            name("a.example."),
            60,
            RData::A(Ipv4Addr::from(0xC000_0200 + i as u32)),
        ));
    }
    m
}

/// (case, message) for the decode groups.
fn decode_cases() -> Vec<(&'static str, Message)> {
    vec![
        ("query_edns", query_edns()),
        ("cname_8", cname_8()),
        ("mixed_1200", mixed_1200()),
    ]
}

// ---- peers ----

type DomainRecord =
    domain::base::Record<DomainName<Bytes>, AllRecordData<Bytes, DomainName<Bytes>>>;

/// domain's full parse: every question and record, rdata typed, names flattened into owned
/// `Name<Bytes>`; the record count.
fn domain_full(wire: &Bytes) -> (usize, Vec<DomainRecord>) {
    let msg = domain::base::Message::from_octets(wire.clone()).unwrap();
    let mut questions = 0;
    for q in msg.question() {
        let q = q.unwrap();
        let qname: DomainName<Bytes> = q.qname().clone().flatten_into();
        let owned = domain::base::Question::new(qname, q.qtype(), q.qclass());
        black_box(owned);
        questions += 1;
    }
    let mut records = Vec::with_capacity(usize::from(msg.header_counts().ancount()));
    let mut section = msg.answer().unwrap();
    loop {
        for rec in &mut section {
            let rec = rec
                .unwrap()
                .into_any_record::<AllRecordData<Bytes, ParsedName<Bytes>>>()
                .unwrap();
            records.push(rec.flatten_into());
        }
        match section.next_section().unwrap() {
            Some(next) => section = next,
            None => break,
        }
    }
    (questions, records)
}

/// domain's lazy walk: every record's header fields and rdata length.
fn domain_lazy(wire: &[u8]) -> usize {
    let msg = domain::base::Message::from_octets(wire).unwrap();
    let mut n = 0;
    for q in msg.question() {
        black_box(q.unwrap().qtype());
        n += 1;
    }
    let mut section = msg.answer().unwrap();
    loop {
        for rec in &mut section {
            let rec = rec.unwrap();
            black_box((rec.rtype(), rec.class(), rec.ttl(), rec.rdlen()));
            n += 1;
        }
        match section.next_section().unwrap() {
            Some(next) => section = next,
            None => break,
        }
    }
    n
}

/// Our lazy walk: the same fields.
fn ours_lazy(wire: &[u8]) -> usize {
    let r = MessageReader::new(wire).unwrap();
    let mut n = 0;
    for q in r.questions() {
        black_box(q.unwrap().qtype);
        n += 1;
    }
    for section in [r.answers(), r.authority(), r.additional()] {
        for rec in section {
            let rec = rec.unwrap();
            black_box((rec.rtype, rec.class, rec.ttl, rec.rdata.len()));
            n += 1;
        }
    }
    n
}

/// The record count of our message as the wire has them (OPT included).
fn wire_records(m: &Message) -> usize {
    m.answer.len() + m.authority.len() + m.additional.len() + usize::from(m.edns.is_some())
}

/// Before anything is timed: every peer decodes `wire` to the same counts, names and types.
fn check_decoders(m: &Message, wire: &[u8]) {
    assert_eq!(&Message::decode(wire).unwrap(), m);
    let h = hickory_proto::op::Message::from_vec(wire).unwrap();
    assert_eq!(h.queries().len(), m.question.len());
    assert_eq!(h.answers().len(), m.answer.len());
    assert_eq!(h.name_servers().len(), m.authority.len());
    assert_eq!(h.additionals().len(), m.additional.len());
    assert_eq!(h.extensions().is_some(), m.edns.is_some());
    for (theirs, ours) in h.answers().iter().zip(&m.answer) {
        assert_eq!(theirs.name().to_string(), ours.name.to_string());
        assert_eq!(u16::from(theirs.record_type()), ours.rtype().0);
        if matches!(ours.data, RData::A(_) | RData::Aaaa(_)) {
            assert_eq!(theirs.data().to_string(), ours.data.to_string());
        }
    }
    let s = simple_dns::Packet::parse(wire).unwrap();
    assert_eq!(s.questions.len(), m.question.len());
    assert_eq!(s.answers.len(), m.answer.len());
    assert_eq!(s.name_servers.len(), m.authority.len());
    assert_eq!(s.additional_records.len(), m.additional.len());
    assert_eq!(s.opt().is_some(), m.edns.is_some());
    for (theirs, ours) in s.answers.iter().zip(&m.answer) {
        assert_eq!(format!("{}.", theirs.name), ours.name.to_string());
        assert_eq!(u16::from(theirs.rdata.type_code()), ours.rtype().0);
    }
    let (questions, records) = domain_full(&Bytes::copy_from_slice(wire));
    assert_eq!(questions, m.question.len());
    assert_eq!(records.len(), wire_records(m));
    for (theirs, ours) in records.iter().zip(&m.answer) {
        assert_eq!(theirs.owner().to_string() + ".", ours.name.to_string());
        assert_eq!(theirs.rtype().to_int(), ours.rtype().0);
        assert!(!matches!(theirs.data(), AllRecordData::Unknown(_)));
    }
    assert_eq!(domain_lazy(wire), m.question.len() + wire_records(m));
    assert_eq!(ours_lazy(wire), m.question.len() + wire_records(m));
}

fn dns_decode(c: &mut Criterion) {
    let mut g = c.benchmark_group("dns_decode");
    for (case, m) in decode_cases() {
        let wire = m.encode().unwrap();
        check_decoders(&m, &wire);
        let shared = Bytes::copy_from_slice(&wire);
        g.throughput(Throughput::Bytes(wire.len() as u64));
        g.bench_function(BenchmarkId::new("ours", case), |b| {
            b.iter(|| Message::decode(black_box(&wire)).unwrap())
        });
        g.bench_function(BenchmarkId::new("hickory-proto", case), |b| {
            b.iter(|| hickory_proto::op::Message::from_vec(black_box(&wire)).unwrap())
        });
        g.bench_function(BenchmarkId::new("simple-dns", case), |b| {
            b.iter(|| simple_dns::Packet::parse(black_box(&wire)).unwrap())
        });
        g.bench_function(BenchmarkId::new("domain", case), |b| {
            b.iter(|| domain_full(black_box(&shared)))
        });
    }
    g.finish();
}

fn dns_decode_lazy(c: &mut Criterion) {
    let mut g = c.benchmark_group("dns_decode_lazy");
    for (case, m) in decode_cases() {
        let wire = m.encode().unwrap();
        g.throughput(Throughput::Bytes(wire.len() as u64));
        g.bench_function(BenchmarkId::new("ours", case), |b| {
            b.iter(|| ours_lazy(black_box(&wire)))
        });
        g.bench_function(BenchmarkId::new("domain", case), |b| {
            b.iter(|| domain_lazy(black_box(&wire)))
        });
    }
    g.finish();
}

fn dns_encode(c: &mut Criterion) {
    let mut g = c.benchmark_group("dns_encode");
    for (case, m) in [
        ("mixed_1200", mixed_1200()),
        ("referral_840", referral_840()),
    ] {
        let wire = m.encode().unwrap();
        // Every encoder's output decodes (with ours) to the same message, and is as compact.
        let h = hickory_proto::op::Message::from_vec(&wire).unwrap();
        let s = simple_dns::Packet::parse(&wire).unwrap();
        let h_wire = h.to_vec().unwrap();
        let s_wire = s.build_bytes_vec_compressed().unwrap();
        for (peer, theirs) in [("hickory-proto", &h_wire), ("simple-dns", &s_wire)] {
            let back = Message::decode(theirs).unwrap_or_else(|e| panic!("{peer}: {e}"));
            assert_eq!(back.answer, m.answer, "{peer}");
            assert_eq!(back.authority, m.authority, "{peer}");
            assert_eq!(back.additional, m.additional, "{peer}");
            assert!(
                theirs.len() <= wire.len() + 16,
                "{peer}: {} bytes, ours {}",
                theirs.len(),
                wire.len()
            );
        }
        g.throughput(Throughput::Bytes(wire.len() as u64));
        g.bench_function(BenchmarkId::new("ours", case), |b| {
            b.iter(|| black_box(&m).encode().unwrap())
        });
        g.bench_function(BenchmarkId::new("hickory-proto", case), |b| {
            b.iter(|| black_box(&h).to_vec().unwrap())
        });
        g.bench_function(BenchmarkId::new("simple-dns", case), |b| {
            b.iter(|| black_box(&s).build_bytes_vec_compressed().unwrap())
        });
    }
    g.finish();
}

/// Prints the case sizes once (`cargo bench --bench dns -- --list` shows nothing else).
fn sizes(_: &mut Criterion) {
    for (case, m) in decode_cases().into_iter().chain([
        ("referral_840", referral_840()),
        ("full_bitmaps_61k", full_bitmaps()),
    ]) {
        eprintln!("dns case {case}: {} bytes", m.encode().unwrap().len());
    }
}

fn dns_decode_bitmap(c: &mut Criterion) {
    let mut g = c.benchmark_group("dns_decode_bitmap");
    let bitmaps = full_bitmaps().encode().unwrap();
    let a = a_records(bitmaps.len()).encode().unwrap();
    assert!(
        a.len().abs_diff(bitmaps.len()) <= 16,
        "{} {}",
        a.len(),
        bitmaps.len()
    );
    let decoded = Message::decode(&bitmaps).unwrap();
    assert_eq!(decoded.answer.len(), 7);
    for r in &decoded.answer {
        let RData::Nsec(nsec) = &r.data else {
            panic!("{r:?}")
        };
        assert_eq!(nsec.types.len(), 65536);
    }
    let case = "full_bitmaps_61k";
    g.throughput(Throughput::Bytes(bitmaps.len() as u64));
    g.bench_function(BenchmarkId::new("ours", case), |b| {
        b.iter(|| Message::decode(black_box(&bitmaps)).unwrap())
    });
    g.throughput(Throughput::Bytes(a.len() as u64));
    g.bench_function(BenchmarkId::new("a-records", case), |b| {
        b.iter(|| Message::decode(black_box(&a)).unwrap())
    });
    g.finish();
}

criterion_group!(
    benches,
    sizes,
    dns_decode,
    dns_decode_lazy,
    dns_encode,
    dns_decode_bitmap
);
criterion_main!(benches);
