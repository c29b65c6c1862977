//! Peak heap over input size, with the default limits, for the inputs that make it largest:
//! every decoder of the crate (the full decoder [`Message::decode`], the TCP decoder
//! [`TcpCodec`], the lazy [`MessageReader`], the rdata presentation parser
//! [`RData::from_presentation`]; the zone-file parser has its own) must stay at or under 64
//! bytes of heap per input byte. Measured with a counting global allocator (dhat's): the peak of live bytes while the
//! decoder runs, its output included (the decoded message is alive at the end).
//!
//! The inputs are built by hand near the 65,535-octet limit (RFC 1035 §4.2.2):
//!
//! - names expanded through pointers: one 255-octet name (RFC 1035 §2.3.4), then thousands of
//!   two-octet pointers to it, as question names, record owners, and names in the rdata of NS,
//!   CNAME, MX and SOA (RFC 1035 §4.1.4);
//! - full type bit maps in NSEC, NSEC3 and CSYNC: 256 windows of 32 octets, all 65,536 types
//!   (RFC 4034 §4.1.2), and many one-type bitmaps;
//! - TXT with thousands of empty `<character-string>`s (RFC 1035 §3.3.14);
//! - many small records: RDLENGTH 0, A records, EDNS options of no data (RFC 6891 §6.1.2),
//!   SVCB parameters and one-octet ALPN IDs (RFC 9460 §7.1);
//! - section counts claiming 65,535 entries that are not there;
//! - in presentation text, lists of the shortest words: TXT strings, NSEC/CSYNC types, SVCB
//!   keys, ALPN IDs and mandatory keys.
//!
//! Each case prints its ratio (`cargo test -p dns-codec --test peak_heap -- --nocapture`).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic,
    missing_docs
)]

use std::sync::Mutex;

use bytes::BytesMut;
use dns_codec::rdata::TypeBitmap;
use dns_codec::reader::MessageReader;
use dns_codec::tcp::TcpCodec;
use dns_codec::{Class, Message, RData, RType};
use framing::Decoder;

// dhat's allocator counts every allocation of every thread while a profiler runs; only one may
// run at a time.
#[global_allocator]
static ALLOC: dhat::Alloc = dhat::Alloc;
static SERIAL: Mutex<()> = Mutex::new(());

/// The bound: heap bytes at the peak per byte of input.
const MAX_RATIO: f64 = 64.0;

/// The largest message (RFC 1035 §4.2.2: a 16-bit length; the default `max_message_size`).
const MAX: usize = 65535;

/// Held for a whole test: another test allocating while this one measures would be counted.
fn serial() -> std::sync::MutexGuard<'static, ()> {
    SERIAL.lock().unwrap_or_else(|e| e.into_inner())
}

/// Runs `f` under a fresh heap profiler (call with [`serial`] held): its result, and the peak
/// of live heap bytes above the level at the start.
fn measure<T>(f: impl FnOnce() -> T) -> (T, u64) {
    let _profiler = dhat::Profiler::builder().testing().build();
    let before = dhat::HeapStats::get();
    let out = f();
    let after = dhat::HeapStats::get();
    (out, (after.max_bytes - before.curr_bytes) as u64)
}

/// Checks and prints the ratio of `peak` to `input` bytes.
fn check(what: &str, decoder: &str, input: usize, peak: u64) -> f64 {
    let ratio = peak as f64 / input as f64;
    println!("{decoder:<14} {what:<58} {input:>6} B in, peak {peak:>8} B, {ratio:>6.2}x");
    assert!(
        ratio <= MAX_RATIO,
        "{decoder}, {what}: peak heap {peak} bytes for {input} input bytes, {ratio:.1}x > {MAX_RATIO}x"
    );
    ratio
}

/// A header (ID 0, RD) with these counts.
fn header(qd: u16, an: u16, ns: u16, ar: u16) -> Vec<u8> {
    let mut m = vec![0, 0, 0x01, 0x00];
    for n in [qd, an, ns, ar] {
        m.extend_from_slice(&n.to_be_bytes());
    }
    m
}

/// The longest name, 255 octets on the wire: labels of 63, 63, 63 and 61 octets, the root.
fn long_name() -> Vec<u8> {
    let mut name = Vec::new();
    for (len, fill) in [(63u8, b'a'), (63, b'b'), (63, b'c'), (61, b'd')] {
        name.push(len);
        name.extend(std::iter::repeat_n(fill, usize::from(len)));
    }
    name.push(0);
    assert_eq!(name.len(), 255);
    name
}

/// The first question: the longest name at offset 12 (where every pointer below points), type A.
fn long_question() -> Vec<u8> {
    let mut q = long_name();
    q.extend_from_slice(&[0, 1, 0, 1]);
    q
}

/// A pointer to the long name.
const TO_LONG: [u8; 2] = [0xC0, 0x0C];

/// The long question, then as many records as fit of `owner`, `rtype`, class IN, TTL 0 and
/// `rdata` (`claimed` answers in the header if given, else the true count).
fn records(owner: &[u8], rtype: u16, rdata: &[u8], claimed: Option<u16>) -> Vec<u8> {
    let question = long_question();
    let mut record = owner.to_vec();
    record.extend_from_slice(&rtype.to_be_bytes());
    record.extend_from_slice(&[0, 1, 0, 0, 0, 0]);
    record.extend_from_slice(&(rdata.len() as u16).to_be_bytes());
    record.extend_from_slice(rdata);
    let count = (MAX - 12 - question.len()) / record.len();
    let mut msg = header(1, claimed.unwrap_or(count as u16), 0, 0);
    msg.extend_from_slice(&question);
    for _ in 0..count {
        msg.extend_from_slice(&record);
    }
    msg
}

/// The long question, then `count` questions (or as many as fit) whose name points to it;
/// the header claims `claimed` questions if given.
fn pointer_questions(claimed: Option<u16>) -> Vec<u8> {
    let question = long_question();
    let count = (MAX - 12 - question.len()) / 6;
    let mut msg = header(claimed.unwrap_or(count as u16 + 1), 0, 0, 0);
    msg.extend_from_slice(&question);
    for _ in 0..count {
        msg.extend_from_slice(&TO_LONG);
        msg.extend_from_slice(&[0, 1, 0, 1]);
    }
    msg
}

/// All 65,536 types: 256 windows of 32 octets of ones (RFC 4034 §4.1.2), 8,704 octets.
fn full_bitmap() -> Vec<u8> {
    let mut bitmap = Vec::new();
    for window in 0..=255u8 {
        bitmap.extend_from_slice(&[window, 32]);
        bitmap.extend_from_slice(&[0xFF; 32]);
    }
    bitmap
}

/// NSEC rdata: the root as next name, then `bitmap`.
fn nsec(bitmap: &[u8]) -> Vec<u8> {
    let mut rdata = vec![0];
    rdata.extend_from_slice(bitmap);
    rdata
}

/// NSEC3 rdata: SHA-1, no flags, no iterations, no salt, a one-octet hash, then `bitmap`.
fn nsec3(bitmap: &[u8]) -> Vec<u8> {
    let mut rdata = vec![1, 0, 0, 0, 0, 1, 0xAA];
    rdata.extend_from_slice(bitmap);
    rdata
}

/// CSYNC rdata: serial 66, flags 3, then `bitmap` (RFC 7477 §2.1.1).
fn csync(bitmap: &[u8]) -> Vec<u8> {
    let mut rdata = vec![0, 0, 0, 66, 0, 3];
    rdata.extend_from_slice(bitmap);
    rdata
}

/// One record with the longest rdata that fits after the long question.
fn one_record(rtype: u16, rdata: impl Fn(usize) -> Vec<u8>) -> Vec<u8> {
    let room = MAX - 12 - long_question().len() - 12;
    let rdata = rdata(room);
    assert!(rdata.len() <= room);
    records(&TO_LONG, rtype, &rdata, None)
}

/// An OPT record whose rdata is as many empty options (code 65001) as fit.
fn opt_options() -> Vec<u8> {
    let mut msg = header(0, 0, 0, 1);
    let room = MAX - 12 - 11;
    let mut rdata = Vec::new();
    while rdata.len() + 4 <= room {
        rdata.extend_from_slice(&[0xFD, 0xE9, 0, 0]);
    }
    msg.extend_from_slice(&[0, 0, 41, 0x04, 0xD0, 0, 0, 0, 0]);
    msg.extend_from_slice(&(rdata.len() as u16).to_be_bytes());
    msg.extend_from_slice(&rdata);
    msg
}

/// SVCB rdata (priority 1, target the root) of as many `params` as fit in `room`, each made by
/// `param(i)`.
fn svcb(room: usize, param: impl Fn(usize) -> Vec<u8>) -> Vec<u8> {
    let mut rdata = vec![0, 1, 0];
    for i in 0.. {
        let p = param(i);
        if rdata.len() + p.len() > room || p.is_empty() {
            break;
        }
        rdata.extend_from_slice(&p);
    }
    rdata
}

/// The cases: (what, message, whether it decodes; those that do not fail at their end, having
/// read everything).
fn cases() -> Vec<(&'static str, Vec<u8>, bool)> {
    let full = full_bitmap();
    let one_type = [0u8, 1, 0x40];
    vec![
        (
            "questions: names through pointers",
            pointer_questions(None),
            true,
        ),
        (
            "questions: names through pointers, QDCOUNT 65535",
            pointer_questions(Some(65535)),
            false,
        ),
        (
            "owners through pointers, RDLENGTH 0",
            records(&TO_LONG, 65280, &[], None),
            true,
        ),
        (
            "owners through pointers, RDLENGTH 0, ANCOUNT 65535",
            records(&TO_LONG, 65280, &[], Some(65535)),
            false,
        ),
        (
            "A records, owners through pointers",
            records(&TO_LONG, 1, &[192, 0, 2, 1], None),
            true,
        ),
        (
            "root owners, RDLENGTH 0",
            records(&[0], 65280, &[], None),
            true,
        ),
        (
            "CNAME: owner and target through pointers",
            records(&TO_LONG, 5, &TO_LONG, None),
            true,
        ),
        (
            "CNAME through pointers, ANCOUNT 65535",
            records(&TO_LONG, 5, &TO_LONG, Some(65535)),
            false,
        ),
        (
            "NS: owner and target through pointers",
            records(&TO_LONG, 2, &TO_LONG, None),
            true,
        ),
        (
            "MX: owner and exchange through pointers",
            records(&TO_LONG, 15, &[0, 10, 0xC0, 0x0C], None),
            true,
        ),
        (
            "SOA: owner, MNAME and RNAME through pointers",
            records(
                &TO_LONG,
                6,
                &[&TO_LONG[..], &TO_LONG, &[0; 20]].concat(),
                None,
            ),
            true,
        ),
        (
            "NSEC: full type bitmaps",
            records(&TO_LONG, 47, &nsec(&full), None),
            true,
        ),
        (
            "NSEC3: full type bitmaps",
            records(&TO_LONG, 50, &nsec3(&full), None),
            true,
        ),
        (
            "CSYNC: full type bitmaps",
            records(&TO_LONG, 62, &csync(&full), None),
            true,
        ),
        (
            "NSEC: one-type bitmaps, owners through pointers",
            records(&TO_LONG, 47, &nsec(&one_type), None),
            true,
        ),
        (
            "NSEC3: one-type bitmaps, owners through pointers",
            records(&TO_LONG, 50, &nsec3(&one_type), None),
            true,
        ),
        (
            "CSYNC: one-type bitmaps, owners through pointers",
            records(&TO_LONG, 62, &csync(&one_type), None),
            true,
        ),
        (
            "TXT: one record of empty strings",
            one_record(16, |room| vec![0; room]),
            true,
        ),
        (
            "TXT: one empty string, owners through pointers",
            records(&TO_LONG, 16, &[0], None),
            true,
        ),
        ("OPT: empty options", opt_options(), true),
        (
            "SVCB: one record of empty unknown keys",
            one_record(64, |room| {
                svcb(room, |i| {
                    u16::try_from(i + 7)
                        .map(|k| [&k.to_be_bytes()[..], &[0, 0]].concat())
                        .unwrap_or_default()
                })
            }),
            true,
        ),
        (
            "SVCB: one record, alpn of one-octet IDs",
            one_record(64, |room| {
                let mut rdata = vec![0, 1, 0, 0, 1];
                let ids = (room - rdata.len() - 2) / 2;
                rdata.extend_from_slice(&((ids * 2) as u16).to_be_bytes());
                for _ in 0..ids {
                    rdata.extend_from_slice(&[1, b'h']);
                }
                rdata
            }),
            true,
        ),
        (
            "SVCB: one record, alpn of empty IDs (refused at its end)",
            one_record(64, |room| {
                let mut rdata = vec![0, 1, 0, 0, 1];
                let ids = room - rdata.len() - 2;
                rdata.extend_from_slice(&(ids as u16).to_be_bytes());
                rdata.extend(std::iter::repeat_n(0, ids));
                rdata
            }),
            false,
        ),
    ]
}

#[test]
fn full_decoder() {
    let _serial = serial();
    let mut worst = (0.0, "");
    for (what, wire, decodes) in cases() {
        assert!(wire.len() <= MAX, "{what}: {} bytes", wire.len());
        let (result, peak) = measure(|| Message::decode(&wire));
        match (&result, decodes) {
            (Ok(_), true) | (Err(_), false) => {}
            _ => panic!("{what}: {:?}", result.map(|m| m.answer.len())),
        }
        drop(result);
        let ratio = check(what, "Message", wire.len(), peak);
        if ratio > worst.0 {
            worst = (ratio, what);
        }
    }
    println!("Message worst: {:.2}x ({})", worst.0, worst.1);
}

/// The case: 7 NSEC records with full bitmaps decoded into 67 times their size when
/// each type went into a tree set; the bitmap is now kept as its checked octets.
#[test]
fn full_bitmaps_take_about_their_octets() {
    let _serial = serial();
    let wire = records(&TO_LONG, 47, &nsec(&full_bitmap()), None);
    let (result, peak) = measure(|| Message::decode(&wire));
    let message = result.unwrap();
    assert_eq!(message.answer.len(), 7);
    // The bitmaps (7 x 8,704 octets), the owners (7 x 255), the question, the lists.
    let ratio = check("NSEC: full type bitmaps", "Message", wire.len(), peak);
    assert!(ratio < 1.5, "{ratio:.2}x");
}

#[test]
fn tcp_decoder() {
    let _serial = serial();
    for (what, wire, decodes) in cases() {
        let mut stream = BytesMut::with_capacity(wire.len() + 2);
        stream.extend_from_slice(&(wire.len() as u16).to_be_bytes());
        stream.extend_from_slice(&wire);
        let input = stream.len();
        let mut codec = TcpCodec::default();
        let (result, peak) = measure(|| codec.decode(&mut stream));
        assert_eq!(result.is_ok(), decodes, "{what}");
        drop(result);
        check(what, "TcpCodec", input, peak);
    }
    // Many of the smallest messages, a header each, every one kept.
    let mut stream = BytesMut::new();
    while stream.len() + 14 <= MAX {
        stream.extend_from_slice(&[0, 12]);
        stream.extend_from_slice(&header(0, 0, 0, 0));
    }
    let input = stream.len();
    let mut messages = Vec::with_capacity(input / 14);
    let mut codec = TcpCodec::default();
    let ((), peak) = measure(|| {
        while let Some(m) = codec.decode(&mut stream).unwrap() {
            messages.push(m);
        }
    });
    assert_eq!(messages.len(), input / 14);
    check("4,681 header-only messages", "TcpCodec", input, peak);
}

/// Walks every question and record of `wire` with the lazy reader: the bytes of names and
/// rdata it saw.
fn walk(wire: &[u8]) -> usize {
    let Ok(reader) = MessageReader::new(wire) else {
        return 0;
    };
    let mut seen = 0usize;
    for q in reader.questions() {
        let Ok(q) = q else { break };
        seen += q.name.wire_len().unwrap_or(0);
    }
    for r in reader.answers().chain(reader.additional()) {
        let Ok(r) = r else { break };
        seen += r.rdata.len() + r.name.wire_len().unwrap_or(0);
    }
    seen
}

#[test]
fn reader() {
    let _serial = serial();
    for (what, wire, _) in cases() {
        let (seen, mut peak) = measure(|| walk(&wire));
        if peak != 0 {
            // Once more: the walk is deterministic, an allocation of the harness's own thread
            // (reporting another test) is not.
            peak = measure(|| walk(&wire)).1;
        }
        assert!(seen > 0, "{what}");
        check(what, "MessageReader", wire.len(), peak);
        assert_eq!(peak, 0, "{what}: the reader allocated");
    }
}

/// `word` and a space, `count` times.
fn words(word: &str, count: usize) -> String {
    let mut text = String::with_capacity((word.len() + 1) * count);
    for _ in 0..count {
        text.push_str(word);
        text.push(' ');
    }
    text
}

/// The presentation form of rdata (RFC 1035 §5.1), the text's parser: lists of the shortest
/// words, each count just past a power of two (where a growing list has twice the room it
/// needs). The zone-file parser is measured with the zone module.
#[test]
fn presentation() {
    let _serial = serial();
    let keys = |n: usize| {
        let mut text = "1 . ".to_owned();
        for k in 0..n {
            text.push_str(&format!("key{} ", k + 7));
        }
        text
    };
    let cases: Vec<(&str, RType, String)> = vec![
        (
            "TXT: 16,385 one-octet strings",
            RType::TXT,
            words("a", 16_385),
        ),
        (
            "TXT: 16,385 empty quoted strings",
            RType::TXT,
            words("\"\"", 16_385),
        ),
        (
            "NSEC: 16,385 one-letter types",
            RType::NSEC,
            format!(". {}", words("A", 16_385)),
        ),
        (
            "NSEC: every type as TYPEnnn",
            RType::NSEC,
            format!(
                ". {}",
                (0..=u16::MAX)
                    .map(|t| format!("TYPE{t} "))
                    .collect::<String>()
            ),
        ),
        (
            "CSYNC: 16,385 one-letter types",
            RType::CSYNC,
            format!("1 0 {}", words("A", 16_385)),
        ),
        (
            "SVCB: alpn of 16,385 one-octet IDs",
            RType::SVCB,
            format!("1 . alpn={}", vec!["a"; 16_385].join(",")),
        ),
        (
            "SVCB: alpn of 32,769 empty IDs (refused at its end)",
            RType::SVCB,
            format!("1 . alpn={}", ",".repeat(32_768)),
        ),
        (
            "SVCB: mandatory of 8,193 keys (refused at its end)",
            RType::SVCB,
            format!("1 . mandatory={}", vec!["key7"; 8193].join(",")),
        ),
        ("SVCB: 1,025 empty keys", RType::SVCB, keys(1025)),
        (
            "generic: 16,385 octets of hex",
            RType(65280),
            format!("\\# 16385 {}", "ab".repeat(16_385)),
        ),
    ];
    for (what, rtype, text) in cases {
        let (result, peak) = measure(|| RData::from_presentation(rtype, Class::IN, &text));
        assert_eq!(
            result.is_ok(),
            !what.contains("refused"),
            "{what}: {result:?}"
        );
        drop(result);
        check(what, "presentation", text.len(), peak);
    }
    let text = words("A", 16_385);
    let (result, peak) = measure(|| text.parse::<TypeBitmap>());
    assert_eq!(result.map(|t| t.len()), Ok(1));
    check(
        "TypeBitmap: 16,385 one-letter types",
        "FromStr",
        text.len(),
        peak,
    );
}
