//! The allocation-free lazy reader ([`MessageReader`]) against the full decoder
//! ([`Message::decode`]) on raw bytes.
//!
//! Three walks of the same bytes, each on a fresh reader:
//!
//! - **eager**: every question and record turned into owned values (`to_owned`) as it comes, in
//!   the decoder's order, then the OPT record through [`MessageReader::edns`]. It must give
//!   exactly what the decoder gives: the same message (names byte for byte), or the same error;
//!   except that where the iterator refuses an item's framing before its names could be read,
//!   the decoder may have stopped first on one of those names (an error of the list below).
//! - **lazy**: the sections walked without reading a name or an rdata. When the decoder
//!   accepts, it walks every section without error and yields, per record, the decoded record's
//!   type, class and TTL, with rdata bytes that are the message's bytes at `rdata_offset`,
//!   records back to back up to the end of the message. Per its documentation it checks only
//!   framing, so when the decoder refuses, the lazy walk may accept, but only when the decoder's
//!   error is one found by following a compression pointer (the lazy walk checks a name's
//!   labels in place and where its final pointer points, not what is there) or inside the rdata
//!   of a record other than OPT: `RdLengthShort`, `RdLengthLong`, `BadRdata`, `TooManyHops`,
//!   `PointerBudget`, `NameTooLong`, `ForwardPointer`, `PointerOutOfBounds`, `BadLabelType`,
//!   `Truncated` inside a name, label or pointer. When it refuses too, it refuses at the same
//!   question or record as the eager walk or after it, never before.
//! - **names**: with a pointer budget large enough to read every name several times, each
//!   borrowed name's labels, `eq_name`, `wire_len` and `Display` agree with the decoded name;
//!   rdata of types without names (A, AAAA, TXT, opaque, ...) read by `RData::from_wire` from
//!   the borrowed bytes equals the decoded rdata.

use dns_codec::reader::{MessageReader, RecordRef, Section};
use dns_codec::{Error, Header, Limits, Message, Name, RData, RType, Record};

/// The sections with records, in order.
const SECTIONS: [Section; 3] = [Section::Answer, Section::Authority, Section::Additional];

/// Where a walk stopped: how many items (questions, then records, then the trailing-bytes
/// check) it got through, and its error.
type Stop = (usize, Error);

/// The eager walk's stop, and whether it was the framing (the iterator) that refused rather than
/// an item's `to_owned`.
type EagerStop = (usize, Error, bool);

/// The eager walk: owned values as they come, or where it stopped.
fn eager(data: &[u8]) -> Result<Message, EagerStop> {
    let reader = MessageReader::new(data).map_err(|e| (0, e, true))?;
    let mut items = 0;
    let mut msg = Message {
        header: reader.header(),
        ..Message::default()
    };
    for q in reader.questions() {
        let q = q.map_err(|e| (items, e, true))?;
        let q = q.to_owned().map_err(|e| (items, e, false))?;
        msg.question.push(q);
        items += 1;
    }
    let mut opt_offset = None;
    for section in SECTIONS {
        for r in reader.records(section) {
            let r = r.map_err(|e| (items, e, true))?;
            let owned = r.to_owned().map_err(|e| (items, e, false))?;
            if r.rtype == RType::OPT {
                opt_offset = Some(r.offset());
            } else {
                match section {
                    Section::Answer => msg.answer.push(owned),
                    Section::Authority => msg.authority.push(owned),
                    _ => msg.additional.push(owned),
                }
            }
            items += 1;
        }
    }
    let opt = reader
        .edns()
        .unwrap_or_else(|e| panic!("edns() fails after a clean walk: {e}"));
    assert_eq!(
        opt.map(|o| o.record().offset()),
        opt_offset,
        "edns() record"
    );
    if let Some(opt) = opt {
        let edns = opt
            .to_owned()
            .unwrap_or_else(|e| panic!("OptRef::to_owned fails after a clean walk: {e}"));
        assert_eq!(
            (edns.udp_payload_size, edns.version, edns.dnssec_ok, edns.z),
            (
                opt.udp_payload_size(),
                opt.version(),
                opt.dnssec_ok(),
                opt.z()
            ),
            "OptRef fields"
        );
        let options: Vec<(u16, &[u8])> = opt.options().collect();
        let owned: Vec<(u16, &[u8])> = edns.options.iter().map(|o| (o.code, &o.data[..])).collect();
        assert_eq!(options, owned, "OptRef options");
        msg.edns = Some(edns);
    }
    msg.header.rcode = reader
        .rcode()
        .unwrap_or_else(|e| panic!("rcode() fails after a clean walk: {e}"));
    Ok(msg)
}

/// A record as the lazy walk sees it.
struct Lazy {
    offset: usize,
    rdata_offset: usize,
    rtype: RType,
    class: u16,
    ttl: u32,
    rdata_len: usize,
}

/// The lazy walk: framing only. The records of each section, or where it stopped.
fn lazy(data: &[u8]) -> Result<[Vec<Lazy>; 3], Stop> {
    let reader = MessageReader::new(data).map_err(|e| (0, e))?;
    let mut items = 0;
    for q in reader.questions() {
        q.map_err(|e| (items, e))?;
        items += 1;
    }
    let mut sections: [Vec<Lazy>; 3] = Default::default();
    for (section, list) in SECTIONS.into_iter().zip(&mut sections) {
        for r in reader.records(section) {
            let r: RecordRef<'_> = r.map_err(|e| (items, e))?;
            assert_eq!(
                data.get(r.rdata_offset()..r.rdata_offset() + r.rdata.len()),
                Some(r.rdata),
                "rdata bytes"
            );
            list.push(Lazy {
                offset: r.offset(),
                rdata_offset: r.rdata_offset(),
                rtype: r.rtype,
                class: r.class.0,
                ttl: r.ttl,
                rdata_len: r.rdata.len(),
            });
            items += 1;
        }
    }
    // Only the owner of an OPT record is read (it must be the root).
    if !sections.iter().flatten().any(|r| r.rtype == RType::OPT) {
        assert_eq!(
            reader.pointer_follows_left(),
            data.len(),
            "the lazy walk followed a pointer"
        );
    }
    Ok(sections)
}

/// Errors the lazy walk may miss: found by following compression pointers, or inside rdata.
fn lazy_may_miss(e: &Error) -> bool {
    match e {
        Error::RdLengthShort { .. }
        | Error::RdLengthLong { .. }
        | Error::TooManyHops { .. }
        | Error::PointerBudget { .. }
        | Error::NameTooLong { .. }
        | Error::ForwardPointer { .. }
        | Error::PointerOutOfBounds { .. }
        | Error::BadLabelType { .. } => true,
        Error::BadRdata { rtype, .. } => *rtype != RType::OPT,
        Error::Truncated { inside, .. } => {
            matches!(*inside, "name" | "label" | "compression pointer")
        }
        _ => false,
    }
}

/// Names and name-free rdata read from the borrowed forms agree with the decoded message.
fn check_names(data: &[u8], msg: &Message) {
    let limits = Limits {
        pointer_follows_per_byte: 64,
        ..Limits::default()
    };
    let reader = MessageReader::with_limits(data, &limits).expect("the header reads");
    let check = |name: dns_codec::reader::NameRef<'_>, want: &Name, what: &str| {
        let labels: Vec<&[u8]> = name
            .labels()
            .collect::<Result<_, _>>()
            .unwrap_or_else(|e| panic!("{what}: labels fail: {e}"));
        let wanted: Vec<&[u8]> = want.labels().collect();
        assert_eq!(labels, wanted, "{what}: labels");
        assert_eq!(name.eq_name(want), Ok(true), "{what}: eq_name");
        assert_eq!(name.wire_len(), Ok(want.wire_len()), "{what}: wire_len");
        assert_eq!(name.to_string(), want.to_string(), "{what}: Display");
        assert_eq!(name.is_root(), Ok(want.is_root()), "{what}: is_root");
    };
    for (i, (q, want)) in reader.questions().zip(&msg.question).enumerate() {
        let q = q.expect("the question reads");
        check(q.name, &want.name, &format!("question {i}"));
    }
    for (section, want) in
        SECTIONS
            .into_iter()
            .zip([&msg.answer[..], &msg.authority[..], &msg.additional[..]])
    {
        let mut want = want.iter();
        for r in reader.records(section) {
            let r = r.expect("the record reads");
            if r.rtype == RType::OPT {
                assert!(r.name.is_root().expect("an OPT owner reads"));
                continue;
            }
            let w: &Record = want.next().expect("as many records");
            let what = format!("{section:?} record at {}", r.offset());
            check(r.name, &w.name, &what);
            let name_free = matches!(
                w.data,
                RData::A(_)
                    | RData::Aaaa(_)
                    | RData::Txt(_)
                    | RData::Unknown { .. }
                    | RData::Hinfo(_)
                    | RData::Caa(_)
                    | RData::Sshfp(_)
                    | RData::Tlsa(_)
                    | RData::Ds(_)
                    | RData::Dnskey(_)
                    | RData::Nsec3(_)
                    | RData::Nsec3param(_)
            );
            if name_free {
                let from = RData::from_wire(r.rtype, r.class, r.rdata);
                assert_eq!(from.as_ref(), Ok(&w.data), "{what}: rdata from its bytes");
            }
        }
    }
}

/// See the module docs.
pub fn dns_reader(data: &[u8]) {
    let full = Message::decode(data);
    let eager = eager(data);
    let lazy = lazy(data);
    match &full {
        Ok(msg) => {
            let eager = eager.unwrap_or_else(|(i, e, _)| panic!("eager walk fails at {i}: {e}"));
            assert_eq!(eager, *msg, "eager walk");
            assert_eq!(
                format!("{eager:?}"),
                format!("{msg:?}"),
                "eager walk: bytes of names"
            );
            let sections = lazy.unwrap_or_else(|(i, e)| panic!("lazy walk fails at {i}: {e}"));
            let reader = MessageReader::new(data).expect("the header reads");
            let h = msg.header;
            assert_eq!(
                reader.header(),
                Header {
                    rcode: dns_codec::Rcode(h.rcode.0 & 0xF),
                    ..h
                },
                "header"
            );
            let mut end = None;
            let wanted = [&msg.answer, &msg.authority, &msg.additional];
            for (i, (list, want)) in sections.iter().zip(wanted).enumerate() {
                let records: Vec<&Lazy> = list
                    .iter()
                    .filter(|r| !(i == 2 && r.rtype == RType::OPT))
                    .collect();
                assert_eq!(records.len(), want.len(), "section {i}: records");
                for (r, w) in records.iter().zip(want) {
                    assert_eq!(
                        (r.rtype, r.class, r.ttl),
                        (w.rtype(), w.class.0, w.ttl),
                        "section {i}: record at {}",
                        r.offset
                    );
                }
                for r in list {
                    if let Some(end) = end {
                        assert_eq!(r.offset, end, "records back to back");
                    }
                    end = Some(r.rdata_offset + r.rdata_len);
                }
            }
            if let Some(end) = end {
                assert_eq!(end, data.len(), "the last record ends the message");
            }
            check_names(data, msg);
        }
        Err(e) => {
            let (at, eager_error, framing) = match eager {
                Ok(m) => panic!("eager walk accepts what decode refuses ({e}): {m:?}"),
                Err(stop) => stop,
            };
            // The iterator checks an item's framing before `to_owned` can read its names; the
            // decoder reads the owner first, so there it may stop on a name the framing walk
            // does not follow.
            if !framing || !lazy_may_miss(e) {
                assert_eq!(&eager_error, e, "eager walk error (item {at})");
            }
            match lazy {
                Ok(_) => assert!(
                    lazy_may_miss(e),
                    "lazy walk accepts what decode refuses with {e:?}"
                ),
                Err((lazy_at, lazy_error)) => assert!(
                    lazy_at >= at,
                    "lazy walk stops at item {lazy_at} ({lazy_error}), before the decoder's error at {at} ({e})"
                ),
            }
        }
    }
}
