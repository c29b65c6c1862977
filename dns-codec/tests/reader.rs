//! The borrowed reader ([`dns_codec::reader`]) against the owned decoder: on generated messages
//! it reads the same thing, on arbitrary and corrupted bytes it accepts exactly what the decoder
//! accepts, on the decoder's hostile messages it gives the decoder's errors and offsets, and its
//! names follow pointers under the same per-name cap and message budget.
#![allow(clippy::unwrap_used, clippy::indexing_slicing, missing_docs)]

use std::time::Instant;

mod common;

use common::{QUESTION, a_record, message as message_bytes, opt, pointer_chain_message};
use dns_codec::reader::{MessageReader, Section};
use dns_codec::{Class, Edns, Error, Limits, Message, Name, RType, Rcode};
use proptest::prelude::*;

/// The message as the reader sees it, built from its borrowed items with their `to_owned`.
fn via_reader(wire: &[u8]) -> Result<Message, Error> {
    via_reader_with(wire, &Limits::default())
}

fn via_reader_with(wire: &[u8], limits: &Limits) -> Result<Message, Error> {
    let r = MessageReader::with_limits(wire, limits)?;
    let mut m = Message {
        header: r.header(),
        ..Message::default()
    };
    for q in r.questions() {
        m.question.push(q?.to_owned()?);
    }
    for (section, list) in [
        (Section::Answer, &mut m.answer),
        (Section::Authority, &mut m.authority),
    ] {
        for rec in r.records(section) {
            list.push(rec?.to_owned()?);
        }
    }
    for rec in r.additional() {
        let rec = rec?;
        if rec.rtype != RType::OPT {
            m.additional.push(rec.to_owned()?);
        }
    }
    if let Some(opt) = r.edns()? {
        m.edns = Some(opt.to_owned()?);
    }
    m.header.rcode = r.rcode()?;
    Ok(m)
}

// Generated messages: the crate's strategies (the `proptest` feature), every type included.
use dns_codec::strategies::message;

/// Flips the case of every ASCII letter of a name.
fn swapped_case(n: &Name) -> Name {
    let labels: Vec<Vec<u8>> = n
        .labels()
        .map(|l| {
            l.iter()
                .map(|b| {
                    if b.is_ascii_lowercase() {
                        b.to_ascii_uppercase()
                    } else {
                        b.to_ascii_lowercase()
                    }
                })
                .collect()
        })
        .collect();
    Name::from_labels(labels.iter().map(Vec::as_slice)).unwrap()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn reads_what_the_decoder_reads(m in message()) {
        let wire = m.encode().unwrap();
        let decoded = Message::decode(&wire).unwrap();
        prop_assert_eq!(via_reader(&wire), Ok(decoded.clone()));

        // Names: labels byte for byte (case kept), equal to the owned names ignoring case.
        let r = MessageReader::new(&wire).unwrap();
        prop_assert_eq!(r.counts().qdcount as usize, m.question.len());
        for (q, owned) in r.questions().zip(&decoded.question) {
            let q = q.unwrap();
            let labels: Vec<&[u8]> = q.name.labels().map(Result::unwrap).collect();
            prop_assert_eq!(labels, owned.name.labels().collect::<Vec<_>>());
            prop_assert!(q.name.eq_name(&owned.name).unwrap());
            prop_assert!(q.name.eq_name(&swapped_case(&owned.name)).unwrap());
            prop_assert_eq!(q.name.wire_len().unwrap(), owned.name.wire_len());
            prop_assert_eq!(q.name.to_string(), owned.name.to_string());
            prop_assert_eq!(q.qtype, owned.qtype);
        }
        for (rec, owned) in r.answers().zip(&decoded.answer) {
            let rec = rec.unwrap();
            prop_assert!(rec.name == owned.name);
            prop_assert_eq!(rec.rtype, owned.rtype());
            prop_assert_eq!(rec.ttl, owned.ttl);
            prop_assert_eq!(rec.rdata.as_ptr(), wire[rec.rdata_offset()..].as_ptr());
        }
        if let Some(opt) = r.edns().unwrap() {
            let e = decoded.edns.clone().unwrap();
            prop_assert_eq!(opt.udp_payload_size(), e.udp_payload_size);
            prop_assert_eq!(opt.dnssec_ok(), e.dnssec_ok);
            let options: Vec<(u16, &[u8])> =
                e.options.iter().map(|o| (o.code, &o.data[..])).collect();
            prop_assert_eq!(opt.options().collect::<Vec<_>>(), options);
        } else {
            prop_assert!(decoded.edns.is_none());
        }
        // Any order of section walks gives the same records.
        let r = MessageReader::new(&wire).unwrap();
        prop_assert_eq!(r.additional().count(), m.additional.len() + usize::from(m.edns.is_some()));
        prop_assert_eq!(r.authority().count(), m.authority.len());
        prop_assert_eq!(r.answers().count(), m.answer.len());
    }

    #[test]
    fn accepts_exactly_what_the_decoder_accepts(input in prop::collection::vec(any::<u8>(), 0..300)) {
        let ours = via_reader(&input);
        let theirs = Message::decode(&input);
        prop_assert_eq!(ours.is_ok(), theirs.is_ok(), "{:?} vs {:?}", ours, theirs);
        if let Ok(m) = theirs {
            prop_assert_eq!(ours.unwrap(), m);
        }
    }

    #[test]
    fn corrupted_messages_agree(m in message(), flips in prop::collection::vec((any::<usize>(), any::<u8>()), 1..4)) {
        let mut wire = m.encode().unwrap();
        let len = wire.len();
        for (at, x) in flips {
            wire[at % len] ^= x;
        }
        let ours = via_reader(&wire);
        let theirs = Message::decode(&wire);
        prop_assert_eq!(ours.is_ok(), theirs.is_ok(), "{:?} vs {:?}", ours, theirs);
        if let Ok(m) = theirs {
            prop_assert_eq!(ours.unwrap(), m);
        }
        // Prefixes: the reader accepts exactly what the decoder accepts (a flipped count can
        // make a prefix a whole message).
        for cut in [len / 3, len / 2, len - 1] {
            let ours = via_reader(&wire[..cut]);
            let theirs = Message::decode(&wire[..cut]);
            prop_assert_eq!(ours.is_ok(), theirs.is_ok(), "{:?} vs {:?}", ours, theirs);
            if let Ok(m) = theirs {
                prop_assert_eq!(ours.unwrap(), m);
            }
        }
    }
}

// ---- the hostile messages of tests/hostile.rs ----

/// The reader gives `expected`, which is also what the decoder gives.
#[track_caller]
fn refused(wire: &[u8], expected: Error) {
    assert_eq!(Message::decode(wire), Err(expected.clone()), "the decoder");
    assert_eq!(via_reader(wire), Err(expected), "the reader");
}

#[test]
fn hostile_messages_give_the_decoders_errors() {
    for len in 0..12 {
        refused(
            &[0; 12][..len],
            Error::Truncated {
                offset: 0,
                inside: "header",
            },
        );
    }
    refused(
        &message_bytes(1, 0, 0, 0, &QUESTION[..12]),
        Error::Truncated {
            offset: 23,
            inside: "QCLASS",
        },
    );
    refused(
        &message_bytes(1, 0, 0, 0, &QUESTION[..10]),
        Error::Truncated {
            offset: 21,
            inside: "QTYPE",
        },
    );
    let full = message_bytes(
        1,
        1,
        0,
        0,
        &[QUESTION, &a_record(4, b"\xc0\x00\x02\x01")].concat(),
    );
    for (len, offset, inside) in [
        (25, 25, "name"),
        (26, 25, "compression pointer"),
        (28, 27, "TYPE"),
        (30, 29, "CLASS"),
        (34, 31, "TTL"),
        (36, 35, "RDLENGTH"),
        (39, 37, "rdata"),
    ] {
        refused(&full[..len], Error::Truncated { offset, inside });
    }
    refused(
        &message_bytes(0, 65535, 0, 0, b""),
        Error::Truncated {
            offset: 12,
            inside: "name",
        },
    );
    refused(
        &message_bytes(65535, 65535, 65535, 65535, b""),
        Error::Truncated {
            offset: 12,
            inside: "name",
        },
    );
    // Compression loop, a pointer to itself, a pointer into its own name.
    refused(
        &message_bytes(
            1,
            1,
            0,
            0,
            b"\x01a\xc0\x11\x00\x01\x00\x01\xc0\x0c\x00\x01\x00\x01\0\0\0\0\0\x04\x01\x02\x03\x04",
        ),
        Error::ForwardPointer {
            offset: 14,
            target: 17,
        },
    );
    refused(
        &message_bytes(1, 0, 0, 0, b"\xc0\x0c\x00\x01\x00\x01"),
        Error::ForwardPointer {
            offset: 12,
            target: 12,
        },
    );
    refused(
        &message_bytes(
            1,
            1,
            0,
            0,
            &[
                QUESTION,
                b"\x01b\xc0\x19\x00\x01\x00\x01\0\0\0\0\0\x04\x01\x02\x03\x04",
            ]
            .concat(),
        ),
        Error::ForwardPointer {
            offset: 27,
            target: 25,
        },
    );
    // A forward pointer inside a CNAME's rdata: found when the record is made owned.
    let mut rec = b"\xc0\x0c\x00\x05\x00\x01\x00\x00\x00\x00\x00\x02\xc0\x27".to_vec();
    rec.extend_from_slice(b"\x00");
    refused(
        &message_bytes(1, 1, 0, 0, &[QUESTION, &rec].concat()),
        Error::ForwardPointer {
            offset: 37,
            target: 39,
        },
    );
    refused(
        &message_bytes(1, 0, 0, 0, b"\xc0\xff\x00\x01\x00\x01"),
        Error::PointerOutOfBounds {
            offset: 12,
            target: 255,
        },
    );
    refused(
        &message_bytes(1, 0, 0, 0, b"\xff\xff\x00\x01\x00\x01"),
        Error::PointerOutOfBounds {
            offset: 12,
            target: 0x3fff,
        },
    );
    // Label of 64, name of 256.
    let mut q = vec![64];
    q.extend_from_slice(&[b'a'; 64]);
    q.extend_from_slice(b"\x00\x00\x01\x00\x01");
    refused(
        &message_bytes(1, 0, 0, 0, &q),
        Error::BadLabelType {
            offset: 12,
            byte: 64,
        },
    );
    let mut q = Vec::new();
    for _ in 0..4 {
        q.push(63);
        q.extend_from_slice(&[b'a'; 63]);
    }
    q.extend_from_slice(b"\x00\x00\x01\x00\x01");
    refused(
        &message_bytes(1, 0, 0, 0, &q),
        Error::NameTooLong { offset: 12 },
    );
    // RDLENGTH short and long: the record's bytes are framed, its A rdata is not 4 octets.
    let short = message_bytes(
        1,
        1,
        0,
        0,
        &[QUESTION, &a_record(3, b"\xc0\x00\x02")].concat(),
    );
    refused(
        &short,
        Error::RdLengthShort {
            offset: 35,
            rtype: RType::A,
            rdlength: 3,
        },
    );
    let r = MessageReader::new(&short).unwrap();
    let answer = r.answers().next().unwrap().unwrap();
    assert_eq!(
        answer.rdata, b"\xc0\x00\x02",
        "the walk hands out the framed bytes"
    );
    let long = message_bytes(
        1,
        1,
        0,
        0,
        &[QUESTION, &a_record(5, b"\xc0\x00\x02\x01\x00")].concat(),
    );
    refused(
        &long,
        Error::RdLengthLong {
            offset: 35,
            rtype: RType::A,
            rdlength: 5,
            used: 4,
        },
    );
    let rec = b"\xc0\x0c\x00\x10\x00\x01\x00\x00\x00\x00\x00\x00";
    refused(
        &message_bytes(1, 1, 0, 0, &[QUESTION, rec].concat()),
        Error::BadRdata {
            offset: 37,
            rtype: RType::TXT,
            reason: "no character-string (RFC 1035 §3.3.14: one or more)",
        },
    );
    // OPT rules.
    refused(
        &message_bytes(
            1,
            0,
            0,
            2,
            &[QUESTION, &opt(b"\x00"), &opt(b"\x00")].concat(),
        ),
        Error::DuplicateOpt { offset: 36 },
    );
    refused(
        &message_bytes(1, 1, 0, 0, &[QUESTION, &opt(b"\x00")].concat()),
        Error::OptOutsideAdditional {
            offset: 25,
            section: "answer",
        },
    );
    refused(
        &message_bytes(1, 0, 1, 0, &[QUESTION, &opt(b"\x00")].concat()),
        Error::OptOutsideAdditional {
            offset: 25,
            section: "authority",
        },
    );
    refused(
        &message_bytes(1, 0, 0, 1, &[QUESTION, &opt(b"\xc0\x0c")].concat()),
        Error::OptOwnerNotRoot { offset: 25 },
    );
    let mut bad_option = b"\x00\x00\x29\x04\xd0\x00\x00\x00\x00\x00\x03\x00\x0a\x00".to_vec();
    bad_option.truncate(bad_option.len());
    refused(
        &message_bytes(1, 0, 0, 1, &[QUESTION, &bad_option].concat()),
        Error::BadRdata {
            offset: 36,
            rtype: RType::OPT,
            reason: "option header cut by the RDLENGTH (RFC 6891 §6.1.2)",
        },
    );
    refused(
        &message_bytes(1, 0, 0, 0, &[QUESTION, b"\x00\x00"].concat()),
        Error::TrailingBytes {
            offset: 25,
            count: 2,
        },
    );
    let limits = Limits {
        max_message_size: 512,
        ..Limits::default()
    };
    assert_eq!(
        MessageReader::with_limits(&[0; 513], &limits).map(|_| ()),
        Err(Error::TooLarge {
            offset: 512,
            limit: 512,
            claimed: 513
        })
    );
    assert!(MessageReader::new(&vec![0; 65536]).is_err());
}

#[test]
fn every_prefix_and_every_byte_flip_agrees() {
    let m = message_bytes(
        1,
        1,
        0,
        1,
        &[QUESTION, &a_record(4, b"\xc0\x00\x02\x01"), &opt(b"\x00")].concat(),
    );
    assert!(via_reader(&m).is_ok());
    for len in 0..m.len() {
        assert_eq!(via_reader(&m[..len]), Message::decode(&m[..len]), "{len}");
    }
    for i in 0..m.len() {
        for bit in 0..8 {
            let mut x = m.clone();
            x[i] ^= 1 << bit;
            assert_eq!(via_reader(&x), Message::decode(&x), "byte {i} bit {bit}");
        }
    }
}

// ---- laziness ----

#[test]
fn a_forwarder_reads_the_question_of_a_message_whose_answers_are_broken() {
    // The answer's RDLENGTH runs past the end: the question is still there to read.
    let mut m = message_bytes(1, 1, 0, 0, QUESTION);
    m.extend_from_slice(b"\xc0\x0c\x00\x01\x00\x01\x00\x00\x00\x00\x00\x40\x01");
    let r = MessageReader::new(&m).unwrap();
    let q = r.question().unwrap().unwrap();
    assert!(q.name == "EXAMPLE.".parse::<Name>().unwrap());
    assert!(q.name != "example.com.".parse::<Name>().unwrap());
    assert_eq!((q.qtype, q.qclass), (RType::A, Class::IN));
    assert_eq!(q.name.to_string(), "example.");
    let mut answers = r.answers();
    assert_eq!(
        answers.next().unwrap().map(|_| ()),
        Err(Error::Truncated {
            offset: 37,
            inside: "rdata"
        })
    );
    assert!(answers.next().is_none());
    // Walking past the answers finds the same fault.
    assert!(r.additional().next().unwrap().is_err());
    assert!(r.edns().is_err());
}

#[test]
fn header_view() {
    let mut m = Message::default();
    m.header.id = 0xBEEF;
    m.header.qr = true;
    m.header.rd = true;
    m.header.rcode = Rcode::BADVERS;
    m.edns = Some(Edns::default());
    let wire = m.encode().unwrap();
    let r = MessageReader::new(&wire).unwrap();
    assert_eq!(r.id(), 0xBEEF);
    assert_eq!(r.flags(), u16::from_be_bytes([wire[2], wire[3]]));
    assert_eq!(r.counts().arcount, 1);
    assert_eq!(r.header().rcode, Rcode(Rcode::BADVERS.0 & 0xF));
    assert_eq!(r.rcode(), Ok(Rcode::BADVERS));
    let opt = r.edns().unwrap().unwrap();
    assert_eq!(opt.extended_rcode(), (Rcode::BADVERS.0 >> 4) as u8);
    assert_eq!(opt.version(), 0);
    assert_eq!(opt.to_owned(), Ok(Edns::default()));
}

// ---- pointer budget ----

#[test]
fn long_pointer_chains_are_capped_per_name_and_per_message() {
    let msg = pointer_chain_message(16_000, 2_000);
    let start = Instant::now();
    // The walk does not follow pointers: it frames all 2 001 answers.
    let r = MessageReader::new(&msg).unwrap();
    assert_eq!(r.answers().filter(Result::is_ok).count(), 2_001);
    // Reading a name follows at most 127 of them.
    let second = r.answers().nth(1).unwrap().unwrap();
    assert!(matches!(
        second.name.labels().last(),
        Some(Err(Error::TooManyHops { limit: 127, .. }))
    ));
    assert!(second.name.to_owned().is_err());
    // Without the per-name cap, the message's budget (one follow per byte) runs out, however
    // often the names are read.
    let limits = Limits {
        max_pointer_hops: usize::MAX,
        ..Limits::default()
    };
    let r = MessageReader::with_limits(&msg, &limits).unwrap();
    let mut budget_errors = 0;
    for rec in r.answers().skip(1) {
        let rec = rec.unwrap();
        for _ in 0..3 {
            if let Err(Error::PointerBudget { limit, .. }) = rec.name.is_root() {
                assert_eq!(limit, msg.len());
                budget_errors += 1;
            }
        }
    }
    assert!(budget_errors > 5_000, "{budget_errors}");
    assert_eq!(r.pointer_follows_left(), 0);
    assert!(start.elapsed().as_secs() < 5, "{:?}", start.elapsed());
}

#[test]
fn a_chain_within_the_cap_reads_to_the_root() {
    let msg = pointer_chain_message(100, 1);
    let r = MessageReader::new(&msg).unwrap();
    let last = r.answers().last().unwrap().unwrap();
    assert_eq!(last.name.is_root(), Ok(true));
    assert_eq!(r.pointer_follows_left(), msg.len() - 101);
    assert_eq!(last.name.wire_len(), Ok(1));
    // The budget (one follow per byte: 244) is the message's, not the name's: a third read of
    // the same 101-hop name runs out.
    assert_eq!(last.name.to_string(), "<malformed name>");
    let r = MessageReader::new(&msg).unwrap();
    let last = r.answers().last().unwrap().unwrap();
    assert_eq!(last.name.to_string(), ".");
    assert_eq!(via_reader(&msg), Message::decode(&msg));
}
