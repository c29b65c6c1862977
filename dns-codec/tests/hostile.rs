//! Hostile messages, each refused with its exact error and byte offset (never a panic, never
//! an allocation the bytes did not pay for).
#![allow(clippy::unwrap_used, clippy::indexing_slicing, missing_docs)]

mod common;

use common::{QUESTION, a_record, message, opt};
use dns_codec::{Error, Limits, Message, RType};

fn body(parts: &[&[u8]]) -> Vec<u8> {
    parts.concat()
}

#[test]
fn valid_baseline_decodes() {
    let m = message(
        1,
        1,
        0,
        1,
        &body(&[QUESTION, &a_record(4, b"\xc0\x00\x02\x01"), &opt(b"\x00")]),
    );
    let decoded = Message::decode(&m).unwrap();
    assert_eq!(decoded.answer[0].data.to_string(), "192.0.2.1");
    assert_eq!(decoded.edns.unwrap().udp_payload_size, 1232);
}

#[test]
fn truncated_header() {
    for len in 0..12 {
        assert_eq!(
            Message::decode(&[0; 12][..len]),
            Err(Error::Truncated {
                offset: 0,
                inside: "header"
            })
        );
    }
}

#[test]
fn truncated_question_and_records() {
    let m = message(1, 0, 0, 0, &QUESTION[..12]);
    assert_eq!(
        Message::decode(&m),
        Err(Error::Truncated {
            offset: 23,
            inside: "QCLASS"
        })
    );
    let full = message(
        1,
        1,
        0,
        0,
        &body(&[QUESTION, &a_record(4, b"\xc0\x00\x02\x01")]),
    );
    let cases: &[(usize, Error)] = &[
        (
            25,
            Error::Truncated {
                offset: 25,
                inside: "name",
            },
        ),
        (
            26,
            Error::Truncated {
                offset: 25,
                inside: "compression pointer",
            },
        ),
        (
            28,
            Error::Truncated {
                offset: 27,
                inside: "TYPE",
            },
        ),
        (
            30,
            Error::Truncated {
                offset: 29,
                inside: "CLASS",
            },
        ),
        (
            34,
            Error::Truncated {
                offset: 31,
                inside: "TTL",
            },
        ),
        (
            36,
            Error::Truncated {
                offset: 35,
                inside: "RDLENGTH",
            },
        ),
        (
            39,
            Error::Truncated {
                offset: 37,
                inside: "rdata",
            },
        ),
    ];
    for (len, error) in cases {
        assert_eq!(
            Message::decode(&full[..*len]),
            Err(error.clone()),
            "cut at {len}"
        );
    }
}

#[test]
fn counts_claiming_more_than_the_bytes() {
    // 65535 answers claimed in 12 bytes: an error at the first missing one, no 65535-element
    // Vec (the decoder reserves what the remaining bytes could hold).
    assert_eq!(
        Message::decode(&message(0, 65535, 0, 0, b"")),
        Err(Error::Truncated {
            offset: 12,
            inside: "name"
        })
    );
    assert_eq!(
        Message::decode(&message(65535, 65535, 65535, 65535, b"")),
        Err(Error::Truncated {
            offset: 12,
            inside: "name"
        })
    );
}

#[test]
fn compression_loop() {
    // The question's name at 12 is "a" then a pointer to the answer's owner at 17, which
    // points back to 12: 12 -> 17 is forward.
    let m = message(
        1,
        1,
        0,
        0,
        b"\x01a\xc0\x11\x00\x01\x00\x01\xc0\x0c\x00\x01\x00\x01\0\0\0\0\0\x04\x01\x02\x03\x04",
    );
    assert_eq!(
        Message::decode(&m),
        Err(Error::ForwardPointer {
            offset: 14,
            target: 17
        })
    );
    // A pointer to itself.
    assert_eq!(
        Message::decode(&message(1, 0, 0, 0, b"\xc0\x0c\x00\x01\x00\x01")),
        Err(Error::ForwardPointer {
            offset: 12,
            target: 12
        })
    );
}

#[test]
fn pointer_into_its_own_name() {
    // The answer's owner "b" at 25 then a pointer to 25: not strictly before its sequence.
    let m = message(
        1,
        1,
        0,
        0,
        &body(&[
            QUESTION,
            b"\x01b\xc0\x19\x00\x01\x00\x01\0\0\0\0\0\x04\x01\x02\x03\x04",
        ]),
    );
    assert_eq!(
        Message::decode(&m),
        Err(Error::ForwardPointer {
            offset: 27,
            target: 25
        })
    );
}

#[test]
fn forward_pointer_in_rdata() {
    // A CNAME whose target points past itself, to a name that exists later in the message.
    let mut rec = b"\xc0\x0c\x00\x05\x00\x01\x00\x00\x00\x00\x00\x02\xc0\x27".to_vec();
    rec.extend_from_slice(b"\x00");
    let m = message(1, 1, 0, 0, &body(&[QUESTION, &rec]));
    assert_eq!(
        Message::decode(&m),
        Err(Error::ForwardPointer {
            offset: 37,
            target: 39
        })
    );
}

#[test]
fn pointer_past_the_end() {
    assert_eq!(
        Message::decode(&message(1, 0, 0, 0, b"\xc0\xff\x00\x01\x00\x01")),
        Err(Error::PointerOutOfBounds {
            offset: 12,
            target: 255
        })
    );
    assert_eq!(
        Message::decode(&message(1, 0, 0, 0, b"\xff\xff\x00\x01\x00\x01")),
        Err(Error::PointerOutOfBounds {
            offset: 12,
            target: 0x3fff
        })
    );
}

#[test]
fn label_of_64() {
    let mut q = vec![64];
    q.extend_from_slice(&[b'a'; 64]);
    q.extend_from_slice(b"\x00\x00\x01\x00\x01");
    assert_eq!(
        Message::decode(&message(1, 0, 0, 0, &q)),
        Err(Error::BadLabelType {
            offset: 12,
            byte: 64
        })
    );
}

#[test]
fn name_of_256() {
    // Four labels of 63 (256 octets with the length octets) and the root: 257 > 255.
    let mut q = Vec::new();
    for _ in 0..4 {
        q.push(63);
        q.extend_from_slice(&[b'a'; 63]);
    }
    q.extend_from_slice(b"\x00\x00\x01\x00\x01");
    assert_eq!(
        Message::decode(&message(1, 0, 0, 0, &q)),
        Err(Error::NameTooLong { offset: 12 })
    );
    // 255 exactly is fine: three labels of 63, one of 61, the root.
    let mut q = Vec::new();
    for len in [63, 63, 63, 61] {
        q.push(len);
        q.extend(std::iter::repeat_n(b'a', usize::from(len)));
    }
    q.extend_from_slice(b"\x00\x00\x01\x00\x01");
    let m = Message::decode(&message(1, 0, 0, 0, &q)).unwrap();
    assert_eq!(m.question[0].name.wire_len(), 255);
}

#[test]
fn rdlength_short_and_long() {
    let short = message(
        1,
        1,
        0,
        0,
        &body(&[QUESTION, &a_record(3, b"\xc0\x00\x02")]),
    );
    assert_eq!(
        Message::decode(&short),
        Err(Error::RdLengthShort {
            offset: 35,
            rtype: RType::A,
            rdlength: 3
        })
    );
    // The short RDLENGTH with the fourth byte still in the message: the same error, not a
    // read past the RDLENGTH.
    let short = message(
        1,
        1,
        0,
        0,
        &body(&[QUESTION, &a_record(3, b"\xc0\x00\x02\x01")]),
    );
    assert_eq!(
        Message::decode(&short),
        Err(Error::RdLengthShort {
            offset: 35,
            rtype: RType::A,
            rdlength: 3
        })
    );
    let long = message(
        1,
        1,
        0,
        0,
        &body(&[QUESTION, &a_record(5, b"\xc0\x00\x02\x01\x00")]),
    );
    assert_eq!(
        Message::decode(&long),
        Err(Error::RdLengthLong {
            offset: 35,
            rtype: RType::A,
            rdlength: 5,
            used: 4
        })
    );
    // A name in rdata that runs past the RDLENGTH.
    let mut rec = b"\xc0\x0c\x00\x02\x00\x01\x00\x00\x00\x00\x00\x03\x03ns1\x00".to_vec();
    rec.truncate(rec.len());
    let ns = message(1, 1, 0, 0, &body(&[QUESTION, &rec]));
    assert_eq!(
        Message::decode(&ns),
        Err(Error::RdLengthShort {
            offset: 35,
            rtype: RType::NS,
            rdlength: 3
        })
    );
    // A TXT character-string longer than the rdata.
    let mut rec = b"\xc0\x0c\x00\x10\x00\x01\x00\x00\x00\x00\x00\x03\x05abcde".to_vec();
    rec.truncate(rec.len());
    assert_eq!(
        Message::decode(&message(1, 1, 0, 0, &body(&[QUESTION, &rec]))),
        Err(Error::RdLengthShort {
            offset: 35,
            rtype: RType::TXT,
            rdlength: 3
        })
    );
}

#[test]
fn typed_rdata_that_does_not_parse() {
    let rec = b"\xc0\x0c\x00\x10\x00\x01\x00\x00\x00\x00\x00\x00";
    assert_eq!(
        Message::decode(&message(1, 1, 0, 0, &body(&[QUESTION, rec]))),
        Err(Error::BadRdata {
            offset: 37,
            rtype: RType::TXT,
            reason: "no character-string (RFC 1035 §3.3.14: one or more)"
        })
    );
}

#[test]
fn second_opt() {
    let m = message(1, 0, 0, 2, &body(&[QUESTION, &opt(b"\x00"), &opt(b"\x00")]));
    assert_eq!(Message::decode(&m), Err(Error::DuplicateOpt { offset: 36 }));
}

#[test]
fn opt_outside_additional() {
    let m = message(1, 1, 0, 0, &body(&[QUESTION, &opt(b"\x00")]));
    assert_eq!(
        Message::decode(&m),
        Err(Error::OptOutsideAdditional {
            offset: 25,
            section: "answer"
        })
    );
    let m = message(1, 0, 1, 0, &body(&[QUESTION, &opt(b"\x00")]));
    assert_eq!(
        Message::decode(&m),
        Err(Error::OptOutsideAdditional {
            offset: 25,
            section: "authority"
        })
    );
}

#[test]
fn opt_owner_not_root() {
    let m = message(1, 0, 0, 1, &body(&[QUESTION, &opt(b"\xc0\x0c")]));
    assert_eq!(
        Message::decode(&m),
        Err(Error::OptOwnerNotRoot { offset: 25 })
    );
}

#[test]
fn trailing_bytes() {
    let m = message(1, 0, 0, 0, &body(&[QUESTION, b"\x00\x00"]));
    assert_eq!(
        Message::decode(&m),
        Err(Error::TrailingBytes {
            offset: 25,
            count: 2
        })
    );
}

#[test]
fn message_over_the_limit() {
    let limits = Limits {
        max_message_size: 512,
        ..Limits::default()
    };
    assert_eq!(
        Message::decode_with(&[0; 513], &limits),
        Err(Error::TooLarge {
            offset: 512,
            limit: 512,
            claimed: 513
        })
    );
    assert!(matches!(
        Message::decode(&vec![0; 65536]),
        Err(Error::TooLarge { .. })
    ));
}

#[test]
fn every_prefix_and_every_byte_flip_is_an_error_or_a_message() {
    let m = message(
        1,
        1,
        0,
        1,
        &body(&[QUESTION, &a_record(4, b"\xc0\x00\x02\x01"), &opt(b"\x00")]),
    );
    for len in 0..m.len() {
        assert!(Message::decode(&m[..len]).is_err(), "prefix {len}");
    }
    for i in 0..m.len() {
        for bit in 0..8 {
            let mut x = m.clone();
            x[i] ^= 1 << bit;
            let _ = Message::decode(&x);
        }
    }
}

/// RFC 3597 §4: a receiver SHOULD decompress SRV and NAPTR names, and does by default; strict
/// refuses the pointer at its offset. Other types newer than RFC 1035 (DNAME here) never
/// follow one.
#[test]
fn compressed_names_in_srv_and_naptr_follow_the_leniency() {
    use dns_codec::Leniency;
    // SRV 0 0 389, target: a pointer to the question's name at 12.
    let mut srv = b"\xc0\x0c\x00\x21\x00\x01\x00\x00\x0e\x10\x00\x08".to_vec();
    srv.extend_from_slice(b"\x00\x00\x00\x00\x01\x85\xc0\x0c");
    let m = message(1, 1, 0, 0, &body(&[QUESTION, &srv]));
    let decoded = Message::decode(&m).unwrap();
    assert_eq!(decoded.answer[0].data.to_string(), "0 0 389 example.");
    let strict = Message::decode_with_leniency(&m, &Limits::default(), Leniency::strict());
    assert_eq!(
        strict,
        Err(Error::BadRdata {
            offset: 43,
            rtype: RType::SRV,
            reason: "compression pointer in a name of a type RFC 3597 §4 forbids to compress"
        })
    );
    // The encoder writes the target uncompressed, whatever it read.
    let encoded = decoded.encode().unwrap();
    assert!(encoded.ends_with(b"\x01\x85\x07example\x00"), "{encoded:?}");

    // DNAME: refused even by default.
    let mut dname = b"\xc0\x0c\x00\x27\x00\x01\x00\x00\x0e\x10\x00\x02".to_vec();
    dname.extend_from_slice(b"\xc0\x0c");
    let m = message(1, 1, 0, 0, &body(&[QUESTION, &dname]));
    assert!(matches!(
        Message::decode(&m),
        Err(Error::BadRdata {
            offset: 37,
            rtype: RType::DNAME,
            ..
        })
    ));
}

#[test]
fn trailing_bytes_only_with_the_leniency() {
    use dns_codec::Leniency;
    let m = message(1, 0, 0, 0, &body(&[QUESTION, b"\x00\x00"]));
    assert!(Message::decode(&m).is_err());
    let lenient = Leniency::default().allow_trailing_bytes(true);
    let decoded = Message::decode_with_leniency(&m, &Limits::default(), lenient).unwrap();
    assert_eq!(decoded.question.len(), 1);
}
