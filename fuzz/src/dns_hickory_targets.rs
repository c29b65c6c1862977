//! Differential target: dns-codec's full decoder against hickory-proto 0.25 (`std` only, the
//! version the interop tests use) on raw bytes.
//!
//! When both accept, they must agree on the header (ID, QR, OPCODE, AA, TC, RD, RA, AD, CD, the
//! full RCODE), every question (labels compared ignoring ASCII case, type, class), and per
//! section the record count and every record's owner (ignoring case), type, class, TTL, and
//! for A, AAAA, NS, CNAME, PTR, MX, TXT, SOA and SRV the rdata's values; the OPT record's
//! presence, version and DO bit.
//!
//! When exactly one accepts, the input must be one of these documented differences, each
//! checked by its own condition below (anything else panics):
//!
//! | case | dns-codec | hickory-proto 0.25 |
//! |---|---|---|
//! | bytes after the last counted record | `TrailingBytes` | ignored |
//! | an OPT record in the answer or authority section | `OptOutsideAdditional` | kept as a record of type OPT |
//! | rdata of DNAME, DS, RRSIG, NSEC, DNSKEY, NSEC3, NSEC3PARAM that does not follow the type's format | refused (typed) | kept as opaque bytes (typed only with hickory's DNSSEC features) |
//! | SVCB/HTTPS parameters against RFC 9460 §2.2/§8 (keys out of order, `mandatory` listing itself ...) | refused | read |
//! | an EDNS option cut by the OPT record's RDLENGTH | `BadRdata` (RFC 6891 §6.1.2) | the option dropped silently |
//! | a name whose labels, reached through a pointer, run into the name that points there | read (the pointer points strictly backwards) | `LabelOverlapsWithOther` |
//! | TYPE 0, IXFR, AXFR or ANY with rdata | opaque | refused |
//! | CERT or ANAME rdata not in the format hickory reads them with | opaque | refused |
//! | CSYNC with a reserved flag set | read, flags as sent (RFC 7477 §2.1.1.2) | refused |
//! | CSYNC with a type bitmap not in its one encoding, or cut short | refused (RFC 4034 §4.1.2) | read |
//! | A or AAAA outside class IN with another length | opaque (RFC 3597 §4) | refused (read as an address) |
//! | SVCB/HTTPS hickory cannot read (an ALPN id that is not UTF-8 ...) | read (RFC 9460 §7.1.1: octets) | refused |
//! | an EDNS option hickory reads typed and refuses (a malformed client subnet, RFC 7871) | kept as bytes | refused |
//! | CAA with a tag over 15 octets or a value hickory's issue/iodef parser refuses | read (tag and value as sent) | refused |
//! | NAPTR FLAGS with a byte outside `[A-Za-z0-9]` | read | refused (RFC 3403 §4.1) |
//! | a compression pointer in DNAME, RRSIG, NSEC or SVCB/HTTPS rdata | `BadRdata` | followed (RFC 3597 §4 asks receivers to decompress only SRV and NAPTR, which both of us follow) |
//! | RDLENGTH 0 | the type's rdata cut short (`RdLengthShort`, `Truncated`) unless the type's rdata may be empty | `Update0`: any type, any class (RFC 2136 §2.5 prerequisites) |
//!
//! The classification is by our error's variant (ours refuses) or by a property of our decoded
//! message (hickory refuses); where hickory refuses, its message is matched too.
//!
//! Not compared: the EDNS options (hickory parses some into typed values), the Z bit (hickory
//! drops it), a payload size below 512 (hickory raises it to 512), rdata of the other types.

use dns_codec::reader::{MessageReader, Section};
use dns_codec::{Class, Error, Message, Name, RData, RType, Record};
use hickory_proto::op::{Message as HMessage, MessageType};
use hickory_proto::rr::{Name as HName, RData as HRData, Record as HRecord, RecordType};
use hickory_proto::serialize::binary::{BinDecodable, BinDecoder, Restrict};
use hickory_proto::{ProtoError, ProtoErrorKind};

/// Why exactly one side accepted, if the case is a documented difference.
fn ours_refused(error: &Error, data: &[u8], theirs: &HMessage) -> Option<&'static str> {
    if let Some((rtype, rdlength)) = refused_rdata(data, error) {
        if rdlength == 0 {
            return Some("RDLENGTH 0: hickory reads Update0 for every type");
        }
        if rtype == RType::SVCB || rtype == RType::HTTPS {
            return Some(
                "SVCB/HTTPS parameters breaking RFC 9460 §2.2 and §8 (keys not increasing, \
                 mandatory listing itself or a key twice ...): we refuse, hickory reads them",
            );
        }
        if HICKORY_OPAQUE.contains(&rtype) {
            return Some(
                "rdata of a type hickory (std only) keeps opaque: we read it typed and refuse it",
            );
        }
        if rtype == RType::CSYNC {
            return Some(
                "CSYNC with a type bitmap not in its one encoding or cut short: we refuse \
                 (RFC 4034 §4.1.2), hickory reads it",
            );
        }
    }
    match error {
        Error::TrailingBytes { .. } => Some("trailing bytes: ours refuses, hickory ignores"),
        Error::OptOutsideAdditional { .. } => {
            let opt_kept = theirs
                .answers()
                .iter()
                .chain(theirs.name_servers())
                .any(|r| r.record_type() == hickory_proto::rr::RecordType::OPT);
            opt_kept.then_some("OPT outside additional: hickory keeps it as a record")
        }
        Error::BadRdata { reason, .. } if reason.contains("forbids to compress") => Some(
            "a compression pointer in the rdata of a type newer than RFC 1035 that RFC 3597 §4 \
             does not ask to decompress (DNAME, RRSIG, NSEC, SVCB): we refuse, hickory follows it",
        ),
        Error::BadRdata {
            rtype: RType::OPT, ..
        } => Some("an EDNS option cut by the OPT RDLENGTH: we refuse, hickory drops the option"),
        _ => None,
    }
}

/// Types we read typed that hickory-proto 0.25 without its DNSSEC features keeps as opaque
/// bytes: DNAME, DS, RRSIG, NSEC, DNSKEY, NSEC3, NSEC3PARAM.
const HICKORY_OPAQUE: [RType; 7] = [
    RType::DNAME,
    RType::DS,
    RType::RRSIG,
    RType::NSEC,
    RType::DNSKEY,
    RType::NSEC3,
    RType::NSEC3PARAM,
];

/// The type and RDLENGTH of the record whose rdata (not its owner) the decoder refused with `error`: found
/// by walking the message with the lazy reader and reading each record as the decoder does.
fn refused_rdata(data: &[u8], error: &Error) -> Option<(RType, usize)> {
    let reader = MessageReader::new(data).ok()?;
    for q in reader.questions() {
        q.ok()?.to_owned().ok()?;
    }
    let sections = [Section::Answer, Section::Authority, Section::Additional];
    for record in sections.into_iter().flat_map(|s| reader.records(s)) {
        let record = record.ok()?;
        match record.to_owned() {
            Ok(_) => {}
            Err(e) if e == *error => {
                // The owner alone, with a fresh pointer budget.
                let fresh = MessageReader::new(data).ok()?;
                let owner_ok = fresh
                    .records(Section::Answer)
                    .chain(fresh.records(Section::Authority))
                    .chain(fresh.records(Section::Additional))
                    .filter_map(Result::ok)
                    .find(|r| r.offset() == record.offset())
                    .is_some_and(|r| r.name.to_owned().is_ok());
                return owner_ok.then_some((record.rtype, record.rdata.len()));
            }
            Err(_) => return None,
        }
    }
    None
}

/// Whether hickory's name reader refuses a name of the message (owners, and the names in the
/// rdata of NS, CNAME, PTR, DNAME, MX, SOA, SRV) as overlapping the name that points to it;
/// inside rdata hickory reports it as a wrong rdata length.
fn overlap(data: &[u8]) -> bool {
    let Ok(reader) = MessageReader::new(data) else {
        return false;
    };
    let overlaps = |at: usize, skip: usize, names: usize| {
        let mut d = BinDecoder::new(data);
        if d.read_slice(at + skip).is_err() {
            return false;
        }
        (0..names).any(|_| {
            matches!(
                HName::read(&mut d).map_err(|e| e.kind().clone()),
                Err(ProtoErrorKind::LabelOverlapsWithOther { .. })
            )
        })
    };
    let sections = [Section::Answer, Section::Authority, Section::Additional];
    let questions = reader.questions().filter_map(Result::ok);
    if questions
        .into_iter()
        .any(|q| overlaps(q.name.offset(), 0, 1))
    {
        return true;
    }
    sections
        .into_iter()
        .flat_map(|s| reader.records(s))
        .filter_map(Result::ok)
        .any(|r| {
            let (skip, names) = match r.rtype {
                RType::NS | RType::CNAME | RType::PTR | RType::DNAME => (0, 1),
                RType::MX => (2, 1),
                RType::SOA => (0, 2),
                RType::SRV => (6, 1),
                _ => (0, 0),
            };
            overlaps(r.offset(), 0, 1) || overlaps(r.rdata_offset(), skip, names)
        })
}

/// Whether hickory refuses this record's rdata on its own (its own `RData::read` on the bytes
/// the RDLENGTH covers; hickory reads an empty rdata as `Update0` before looking at the type).
fn hickory_refuses_rdata(rtype: u16, rdata: &[u8]) -> bool {
    let Ok(length) = u16::try_from(rdata.len()) else {
        return false;
    };
    let mut decoder = BinDecoder::new(rdata);
    HRData::read(&mut decoder, RecordType::from(rtype), Restrict::new(length)).is_err()
}

/// When hickory refuses what we accept: the documented case the message falls in, found by
/// reading each record's rdata alone with hickory (so that the record is known to be why).
fn ours_accepted_theirs_refused(
    data: &[u8],
    ours: &Message,
    theirs: &ProtoError,
) -> Option<&'static str> {
    let records = || {
        ours.answer
            .iter()
            .chain(&ours.authority)
            .chain(&ours.additional)
    };
    let naptr_flags = records().any(|r| match &r.data {
        RData::Naptr(n) => !n.flags.iter().all(u8::is_ascii_alphanumeric),
        _ => false,
    });
    if naptr_flags {
        return Some(
            "NAPTR FLAGS outside [A-Za-z0-9]: hickory refuses (RFC 3403 §4.1), we keep them",
        );
    }
    if matches!(theirs.kind(), ProtoErrorKind::LabelOverlapsWithOther { .. }) || overlap(data) {
        return Some(
            "a name reached through a pointer runs into the name that points to it: \
             hickory refuses, we only need the pointer to point strictly backwards",
        );
    }
    let reader = MessageReader::new(data).ok()?;
    let sections = [Section::Answer, Section::Authority, Section::Additional];
    for record in sections.into_iter().flat_map(|s| reader.records(s)) {
        let record = record.ok()?;
        let (rtype, class) = (record.rtype, record.class);
        let case = match rtype {
            RType(0) => "TYPE 0 with rdata: hickory refuses any (its ZERO), we keep it opaque",
            RType(251 | 252 | 255) => {
                "a record of type IXFR, AXFR or ANY with rdata: hickory refuses (query types only), \
                 we keep it opaque"
            }
            RType(37 | 65305) => {
                "CERT or ANAME that hickory reads typed and refuses: we keep them opaque"
            }
            RType::CSYNC => {
                "CSYNC with a reserved flag set: hickory refuses, we keep the flags as sent \
                 (RFC 7477 §2.1.1.2)"
            }
            RType::SVCB | RType::HTTPS => {
                "SVCB/HTTPS that hickory's parser refuses (an ALPN id that is not UTF-8 ...): \
                 RFC 9460 §7.1.1 alpn-ids are octet strings, we keep them"
            }
            RType::OPT => {
                "an EDNS option hickory parses typed and refuses (a client subnet it cannot read, \
                 RFC 7871): we keep options as bytes"
            }
            RType::CAA => {
                "CAA that hickory's parser refuses (a tag over 15 octets or not alphanumeric, \
                 an issue/iodef value it cannot read): we keep tag and value as sent (RFC 8659 §4.1)"
            }
            RType::A | RType::AAAA if class != Class::IN => {
                "A/AAAA outside class IN: hickory reads an address, we keep it opaque (RFC 3597 §4)"
            }
            _ => continue,
        };
        if !record.rdata.is_empty() && hickory_refuses_rdata(rtype.0, record.rdata) {
            return Some(case);
        }
    }
    None
}

fn labels_eq(ours: &Name, theirs: &HName) -> bool {
    let ours: Vec<&[u8]> = ours.labels().collect();
    let theirs: Vec<&[u8]> = theirs.iter().collect();
    ours.len() == theirs.len()
        && ours
            .iter()
            .zip(&theirs)
            .all(|(a, b)| a.eq_ignore_ascii_case(b))
}

/// The rdata of the compared types: ours typed must be theirs typed, with the same values.
fn compare_rdata(at: &str, ours: &RData, theirs: &HRData) {
    let name = |o: &Name, t: &HName, what: &str| {
        assert!(labels_eq(o, t), "{at}: {what} {o} / {t}");
    };
    match (ours, theirs) {
        (RData::A(o), HRData::A(t)) => assert_eq!(*o, t.0, "{at}"),
        (RData::Aaaa(o), HRData::AAAA(t)) => assert_eq!(*o, t.0, "{at}"),
        (RData::Ns(o), HRData::NS(t)) => name(o, &t.0, "NS"),
        (RData::Cname(o), HRData::CNAME(t)) => name(o, &t.0, "CNAME"),
        (RData::Ptr(o), HRData::PTR(t)) => name(o, &t.0, "PTR"),
        (RData::Mx(o), HRData::MX(t)) => {
            assert_eq!(o.preference, t.preference(), "{at}");
            name(&o.exchange, t.exchange(), "MX exchange");
        }
        (RData::Txt(o), HRData::TXT(t)) => {
            let theirs: Vec<&[u8]> = t.txt_data().iter().map(|s| &s[..]).collect();
            let ours: Vec<&[u8]> = o.strings.iter().map(|s| &s[..]).collect();
            assert_eq!(ours, theirs, "{at}: TXT");
        }
        (RData::Soa(o), HRData::SOA(t)) => {
            name(&o.mname, t.mname(), "SOA mname");
            name(&o.rname, t.rname(), "SOA rname");
            let theirs = [
                t.serial(),
                t.refresh() as u32,
                t.retry() as u32,
                t.expire() as u32,
                t.minimum(),
            ];
            let ours = [o.serial, o.refresh, o.retry, o.expire, o.minimum];
            assert_eq!(ours, theirs, "{at}: SOA numbers");
        }
        (RData::Srv(o), HRData::SRV(t)) => {
            assert_eq!(
                (o.priority, o.weight, o.port),
                (t.priority(), t.weight(), t.port()),
                "{at}: SRV"
            );
            name(&o.target, t.target(), "SRV target");
        }
        (
            RData::A(_)
            | RData::Aaaa(_)
            | RData::Ns(_)
            | RData::Cname(_)
            | RData::Ptr(_)
            | RData::Mx(_)
            | RData::Txt(_)
            | RData::Soa(_)
            | RData::Srv(_),
            other,
        ) => panic!("{at}: ours {ours:?}, hickory {other:?}"),
        _ => {}
    }
}

fn compare_records(section: &str, ours: &[Record], theirs: &[HRecord]) {
    assert_eq!(ours.len(), theirs.len(), "{section}: record count");
    for (i, (o, t)) in ours.iter().zip(theirs).enumerate() {
        let at = format!("{section}[{i}] {o:?} / {t:?}");
        assert!(labels_eq(&o.name, t.name()), "{at}: owner");
        assert_eq!(o.rtype().0, u16::from(t.record_type()), "{at}: type");
        assert_eq!(o.class.0, u16::from(t.dns_class()), "{at}: class");
        assert_eq!(o.ttl, t.ttl(), "{at}: TTL");
        compare_rdata(&at, &o.data, t.data());
    }
}

fn compare(ours: &Message, theirs: &HMessage) {
    let h = &ours.header;
    assert_eq!(h.id, theirs.id(), "ID");
    assert_eq!(h.qr, theirs.message_type() == MessageType::Response, "QR");
    assert_eq!(h.opcode.0, u8::from(theirs.op_code()), "OPCODE");
    assert_eq!(
        (h.aa, h.tc, h.rd, h.ra, h.ad, h.cd),
        (
            theirs.authoritative(),
            theirs.truncated(),
            theirs.recursion_desired(),
            theirs.recursion_available(),
            theirs.authentic_data(),
            theirs.checking_disabled()
        ),
        "AA TC RD RA AD CD"
    );
    assert_eq!(h.rcode.0, u16::from(theirs.response_code()), "RCODE");
    assert_eq!(ours.question.len(), theirs.queries().len(), "questions");
    for (i, (o, t)) in ours.question.iter().zip(theirs.queries()).enumerate() {
        assert!(labels_eq(&o.name, t.name()), "question {i}: {o:?} / {t:?}");
        assert_eq!(o.qtype.0, u16::from(t.query_type()), "question {i} type");
        assert_eq!(o.qclass.0, u16::from(t.query_class()), "question {i} class");
    }
    compare_records("answer", &ours.answer, theirs.answers());
    compare_records("authority", &ours.authority, theirs.name_servers());
    compare_records("additional", &ours.additional, theirs.additionals());
    match (&ours.edns, theirs.extensions()) {
        (None, None) => {}
        (Some(o), Some(t)) => {
            assert_eq!(o.version, t.version(), "EDNS version");
            assert_eq!(o.dnssec_ok, t.flags().dnssec_ok, "DO");
            assert_eq!(o.udp_payload_size.max(512), t.max_payload(), "payload size");
        }
        (o, t) => panic!("EDNS: ours {o:?}, hickory {t:?}"),
    }
}

/// Raw bytes through both decoders (see the module docs for what is compared and which
/// disagreements are allowed).
pub fn dns_hickory(data: &[u8]) {
    let ours = Message::decode(data);
    let theirs = HMessage::from_vec(data);
    match (ours, theirs) {
        (Ok(o), Ok(t)) => compare(&o, &t),
        (Err(_), Err(_)) => {}
        (Err(e), Ok(t)) => {
            if ours_refused(&e, data, &t).is_none() {
                panic!("dns-codec refuses ({e}), hickory accepts: {t:?}\n{data:02x?}");
            }
        }
        (Ok(o), Err(e)) => {
            if ours_accepted_theirs_refused(data, &o, &e).is_none() {
                panic!("hickory refuses ({e}), dns-codec accepts: {o:?}\n{data:02x?}");
            }
        }
    }
}
