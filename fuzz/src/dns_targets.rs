//! Targets for dns-codec: the wire decoder, TCP framing, rdata presentation text, the zone-file
//! subset, and a structure-aware message roundtrip.
//!
//! Equality is checked twice: with `==` (names compare case-insensitively, RFC 4343) and on the
//! `Debug` form, which prints names byte for byte, so a change of case is caught too.

use arbitrary::{Arbitrary, Unstructured};
use bytes::BytesMut;
use dns_codec::tcp::{TcpCodec, is_recoverable};
use dns_codec::{Class, Edns, EdnsOption, Message, Name, Question, RData, RType, Record, zone};
use framing::Encoder;
use framing::testing::{cut, decode_pieces};

/// Asserts `a == b` and that their `Debug` forms (exact bytes of every name) agree.
fn assert_same<T: PartialEq + std::fmt::Debug>(a: &T, b: &T, what: &str) {
    assert_eq!(a, b, "{what}");
    assert_eq!(
        format!("{a:?}"),
        format!("{b:?}"),
        "{what}: case or bytes differ"
    );
}

/// The records' rdata prints and parses back equal, and the records survive the zone writer.
fn check_presentation(records: &[Record]) {
    for r in records {
        let text = r.data.to_string();
        let back = RData::from_presentation(r.rtype(), r.class, &text)
            .unwrap_or_else(|e| panic!("{} rdata {text:?} does not parse back: {e}", r.rtype()));
        assert_same(&back, &r.data, &text);
    }
    let text = zone::write(records);
    let back = zone::parse(&text).unwrap_or_else(|e| panic!("{text:?} does not parse: {e}"));
    assert_same(&back, &records.to_vec(), &text);
}

/// Raw bytes → `Message::decode`. A success re-encodes (fuzz inputs are far below the 65535
/// octets that compression differences could push a message over), decodes equal, and every
/// record's presentation form and zone line read back equal.
pub fn dns_message(data: &[u8]) {
    let Ok(msg) = Message::decode(data) else {
        return;
    };
    let wire = match msg.encode() {
        Ok(wire) => wire,
        Err(e) => {
            assert!(data.len() > 16_384, "decoded message does not encode: {e}");
            return;
        }
    };
    let back = Message::decode(&wire).unwrap_or_else(|e| panic!("re-encoded fails: {e}"));
    assert_same(&back, &msg, "wire roundtrip");
    for section in [&msg.answer, &msg.authority, &msg.additional] {
        check_presentation(section);
    }
}

/// A split pattern, then a TCP stream: feeding the pieces gives exactly what feeding the whole
/// gives (RFC 7766 streams split anywhere), and the messages re-encode with [`TcpCodec`] and
/// decode the same.
pub fn dns_tcp(data: &[u8]) {
    let Some((&n, rest)) = data.split_first() else {
        return;
    };
    let count = usize::from(n % 8) * 2;
    let (points, stream) = rest.split_at(count.min(rest.len()));
    let points: Vec<usize> = points
        .chunks(2)
        .map(|c| c.iter().fold(0usize, |acc, &b| acc << 8 | usize::from(b)))
        .collect();
    let whole = decode_pieces(&mut TcpCodec::default(), &[stream], is_recoverable);
    let pieces = decode_pieces(
        &mut TcpCodec::default(),
        &cut(stream, &points),
        is_recoverable,
    );
    assert_eq!(whole, pieces, "split at {points:?}");
    let messages: Vec<Message> = whole.into_iter().filter_map(Result::ok).collect();
    let mut codec = TcpCodec::default();
    let mut buf = BytesMut::new();
    for m in &messages {
        codec
            .encode(m, &mut buf)
            .expect("a decoded message encodes");
    }
    let again: Vec<Message> = decode_pieces(&mut TcpCodec::default(), &[&buf], is_recoverable)
        .into_iter()
        .map(|r| r.expect("a re-encoded message decodes"))
        .collect();
    assert_same(&again, &messages, "TCP re-encoding");
}

/// The types the presentation target picks from with its first byte: every typed one, some
/// opaque ones (RFC 3597 generic form only).
const TYPES: [RType; 32] = [
    RType::A,
    RType::AAAA,
    RType::NS,
    RType::CNAME,
    RType::PTR,
    RType::MX,
    RType::TXT,
    RType::SOA,
    RType::HINFO,
    RType::DNAME,
    RType::SRV,
    RType::NAPTR,
    RType::CAA,
    RType::SSHFP,
    RType::TLSA,
    RType::DS,
    RType::DNSKEY,
    RType::RRSIG,
    RType::NSEC,
    RType::NSEC3,
    RType::NSEC3PARAM,
    RType::SVCB,
    RType::HTTPS,
    RType::OPT,
    RType(10),    // NULL
    RType(17),    // RP
    RType(42),    // APL
    RType(99),    // SPF
    RType(256),   // URI
    RType(65280), // private use
    RType(65535),
    RType(0),
];

/// First byte: the low 5 bits pick a type, bit 7 the class (IN or CH); the rest is rdata text.
/// A success prints and parses back equal, and survives the wire in a message.
pub fn dns_presentation(data: &[u8]) {
    let Some((&selector, text)) = data.split_first() else {
        return;
    };
    let Ok(text) = std::str::from_utf8(text) else {
        return;
    };
    let rtype = TYPES[usize::from(selector & 0x1F)];
    let class = if selector & 0x80 == 0 {
        Class::IN
    } else {
        Class::CH
    };
    let Ok(data) = RData::from_presentation(rtype, class, text) else {
        return;
    };
    let printed = data.to_string();
    let back = RData::from_presentation(rtype, class, &printed)
        .unwrap_or_else(|e| panic!("{rtype} {printed:?} (from {text:?}) does not parse: {e}"));
    assert_same(&back, &data, &printed);
    if rtype == RType::OPT {
        // OPT is written from Message::edns only.
        return;
    }
    let mut msg = Message::default();
    msg.answer.push(Record {
        name: Name::root(),
        class,
        ttl: 0,
        data,
    });
    let wire = msg
        .encode()
        .unwrap_or_else(|e| panic!("{printed:?} does not encode: {e}"));
    let decoded = Message::decode(&wire).unwrap_or_else(|e| panic!("{printed:?}: {e}"));
    assert_same(&decoded, &msg, &printed);
}

/// What the streaming zone reader gives for `data` fed in the pieces that end at `cuts`, going
/// on after errors; records in their `Debug` form (every name byte for byte).
fn zone_pieces(
    parser: &zone::ZoneParser,
    data: &[u8],
    cuts: &[usize],
) -> Vec<Result<String, zone::ZoneError>> {
    let mut reader = parser.reader();
    let mut out = Vec::new();
    let mut from = 0;
    for &cut in cuts.iter().chain(std::iter::once(&data.len())) {
        let cut = cut.clamp(from, data.len());
        reader.feed(&data[from..cut]);
        from = cut;
        out.extend(reader.by_ref().map(|r| r.map(|r| format!("{r:?}"))));
    }
    reader.finish();
    out.extend(reader.map(|r| r.map(|r| format!("{r:?}"))));
    out
}

/// Zone bytes → the streaming reader, whole, in two pieces cut at a point drawn from the data,
/// and byte by byte: the same records and errors each time; `parse` gives the records up to the
/// first of those errors, and that error. Then text → records → written → parsed equal; the
/// writer's output is a fixed point. Read with an origin and a default TTL so that relative
/// names and TTL-less records get far.
pub fn dns_zone(data: &[u8]) {
    let Ok(origin) = "example.".parse::<Name>() else {
        return;
    };
    let parser = zone::ZoneParser::new().origin(origin).default_ttl(3600);
    let whole = zone_pieces(&parser, data, &[]);
    let cut = data.iter().fold(0usize, |acc, &b| {
        acc.wrapping_mul(31).wrapping_add(usize::from(b))
    }) % (data.len() + 1);
    assert_eq!(zone_pieces(&parser, data, &[cut]), whole, "cut at {cut}");
    let every: Vec<usize> = (1..data.len()).collect();
    assert_eq!(zone_pieces(&parser, data, &every), whole, "byte by byte");
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let parsed = parser.parse(text);
    let records = match parsed {
        Ok(records) => {
            let debug: Vec<Result<String, zone::ZoneError>> =
                records.iter().map(|r| Ok(format!("{r:?}"))).collect();
            assert_eq!(debug, whole, "parse and the reader");
            records
        }
        Err(e) => {
            assert_eq!(
                Some(&e),
                whole.iter().find_map(|r| r.as_ref().err()),
                "parse's error is the reader's first"
            );
            return;
        }
    };
    let written = zone::write(&records);
    let back = zone::parse(&written).unwrap_or_else(|e| panic!("{written:?}: {e}"));
    assert_same(&back, &records, &written);
    assert_eq!(zone::write(&back), written);
}

/// A name from arbitrary labels, cut to what a name may hold (labels 1..=63 octets, 255 on
/// the wire).
#[derive(Debug, Arbitrary)]
struct ArbName(Vec<Vec<u8>>);

impl ArbName {
    fn wire(&self) -> Vec<u8> {
        let mut wire = Vec::new();
        for label in &self.0 {
            let label = &label[..label.len().min(63)];
            if label.is_empty() || wire.len() + 1 + label.len() > 254 {
                continue;
            }
            wire.push(label.len() as u8);
            wire.extend_from_slice(label);
        }
        wire.push(0);
        wire
    }

    fn name(&self) -> Name {
        Name::from_wire(&self.wire()).expect("a valid name")
    }
}

/// Rdata as the parts of its wire form; made into [`RData`] by `RData::from_wire`, which gives
/// every typed variant (and drops what does not decode).
#[derive(Debug, Arbitrary)]
enum ArbRData {
    Ip4([u8; 4]),
    Ip6([u8; 16]),
    Name(u8, ArbName),
    Mx(u16, ArbName),
    Soa(ArbName, ArbName, [u8; 20]),
    Srv([u8; 6], ArbName),
    Rrsig([u8; 18], ArbName, Vec<u8>),
    Nsec(ArbName, Vec<u8>),
    Bytes(u8, Vec<u8>),
    Text(u8, String),
}

impl ArbRData {
    fn rdata(&self, class: Class) -> Option<RData> {
        let (rtype, wire) = match self {
            ArbRData::Ip4(a) => (RType::A, a.to_vec()),
            ArbRData::Ip6(a) => (RType::AAAA, a.to_vec()),
            ArbRData::Name(t, n) => {
                let types = [RType::NS, RType::CNAME, RType::PTR, RType::DNAME];
                (types[usize::from(t % 4)], n.wire())
            }
            ArbRData::Mx(pref, n) => {
                let mut w = pref.to_be_bytes().to_vec();
                w.extend(n.wire());
                (RType::MX, w)
            }
            ArbRData::Soa(m, r, numbers) => {
                let mut w = m.wire();
                w.extend(r.wire());
                w.extend_from_slice(numbers);
                (RType::SOA, w)
            }
            ArbRData::Srv(fixed, n) => {
                let mut w = fixed.to_vec();
                w.extend(n.wire());
                (RType::SRV, w)
            }
            ArbRData::Rrsig(fixed, n, sig) => {
                let mut w = fixed.to_vec();
                w.extend(n.wire());
                w.extend_from_slice(sig);
                (RType::RRSIG, w)
            }
            ArbRData::Nsec(n, bitmap) => {
                let mut w = n.wire();
                w.extend_from_slice(bitmap);
                (RType::NSEC, w)
            }
            ArbRData::Bytes(t, bytes) => (TYPES[usize::from(t % 32)], bytes.clone()),
            ArbRData::Text(t, text) => {
                return RData::from_presentation(TYPES[usize::from(t % 32)], class, text).ok();
            }
        };
        RData::from_wire(rtype, class, &wire).ok()
    }
}

#[derive(Debug, Arbitrary)]
struct ArbRecord {
    name: ArbName,
    class: u8,
    ttl: u32,
    data: ArbRData,
}

impl ArbRecord {
    fn record(&self) -> Option<Record> {
        let class = [Class::IN, Class::IN, Class::CH, Class::ANY, Class(0x1234)]
            [usize::from(self.class % 5)];
        let data = self.data.rdata(class)?;
        if data.rtype() == RType::OPT {
            return None;
        }
        Some(Record {
            name: self.name.name(),
            class,
            ttl: self.ttl,
            data,
        })
    }
}

#[derive(Debug, Arbitrary)]
struct ArbMessage {
    id: u16,
    flags: u8,
    z_ad_cd: u8,
    opcode: u8,
    rcode: u16,
    questions: Vec<(ArbName, u16, u16)>,
    answer: Vec<ArbRecord>,
    authority: Vec<ArbRecord>,
    additional: Vec<ArbRecord>,
    edns: Option<ArbEdns>,
}

#[derive(Debug, Arbitrary)]
struct ArbEdns {
    size: u16,
    version: u8,
    dnssec_ok: bool,
    z: u16,
    options: Vec<(u16, Vec<u8>)>,
}

impl ArbMessage {
    fn message(&self) -> Message {
        let mut m = Message::default();
        let h = &mut m.header;
        h.id = self.id;
        h.qr = self.flags & 1 != 0;
        h.aa = self.flags & 2 != 0;
        h.tc = self.flags & 4 != 0;
        h.rd = self.flags & 8 != 0;
        h.ra = self.flags & 16 != 0;
        h.z = self.z_ad_cd & 1 != 0;
        h.ad = self.z_ad_cd & 2 != 0;
        h.cd = self.z_ad_cd & 4 != 0;
        h.opcode = dns_codec::Opcode(self.opcode % 16);
        // The high 8 bits of the RCODE travel in the OPT record.
        let limit = if self.edns.is_some() { 4096 } else { 16 };
        h.rcode = dns_codec::Rcode(self.rcode % limit);
        m.question = self
            .questions
            .iter()
            .map(|(n, t, c)| Question {
                name: n.name(),
                qtype: RType(*t),
                qclass: Class(*c),
            })
            .collect();
        let records = |rs: &[ArbRecord]| rs.iter().filter_map(ArbRecord::record).collect();
        m.answer = records(&self.answer);
        m.authority = records(&self.authority);
        m.additional = records(&self.additional);
        m.edns = self.edns.as_ref().map(|e| Edns {
            udp_payload_size: e.size,
            version: e.version,
            dnssec_ok: e.dnssec_ok,
            z: e.z & 0x7FFF,
            options: e
                .options
                .iter()
                .map(|(code, data)| EdnsOption {
                    code: *code,
                    data: data.clone().into(),
                })
                .collect(),
        });
        m
    }
}

/// Structure-aware: an arbitrary valid message encodes, decodes equal (names byte for byte),
/// and encodes to the same bytes again.
pub fn dns_roundtrip(data: &[u8]) {
    let Ok(arb) = ArbMessage::arbitrary_take_rest(Unstructured::new(data)) else {
        return;
    };
    let msg = arb.message();
    let wire = msg
        .encode()
        .unwrap_or_else(|e| panic!("valid message does not encode: {e}\n{msg:?}"));
    let back = Message::decode(&wire).unwrap_or_else(|e| panic!("{e}\n{msg:?}"));
    assert_same(&back, &msg, "structure-aware roundtrip");
    assert_eq!(back.encode().ok(), Some(wire), "encoding is deterministic");
}
