//! Properties: `decode(encode(m)) == m` for generated messages, the re-encoding is byte for
//! byte the same (so case and order survive), any split of a TCP stream gives what the whole
//! gives, and arbitrary bytes never panic.
#![allow(clippy::unwrap_used, clippy::indexing_slicing, missing_docs)]

use std::net::{Ipv4Addr, Ipv6Addr};

use bytes::{Bytes, BytesMut};
use dns_codec::rdata::{Mx, Soa, Txt};
use dns_codec::tcp::{TcpCodec, is_recoverable};
use dns_codec::{
    Class, Edns, EdnsOption, Header, Message, Name, Opcode, Question, RData, RType, Rcode, Record,
};
use framing::Encoder;
use framing::testing::{cut, decode_pieces};
use proptest::prelude::*;

fn label() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        4 => "[a-zA-Z0-9-]{1,12}".prop_map(String::into_bytes),
        1 => prop::collection::vec(any::<u8>(), 1..=63),
    ]
}

/// Names from a small pool of suffixes, so compression has something to share.
fn name() -> impl Strategy<Value = Name> {
    let suffix = prop_oneof![
        Just(vec![]),
        Just(vec![b"com".to_vec()]),
        Just(vec![b"example".to_vec(), b"com".to_vec()]),
        Just(vec![b"EXAMPLE".to_vec(), b"com".to_vec()]),
        Just(vec![b"x".to_vec(), b"y".to_vec(), b"z".to_vec()]),
    ];
    (prop::collection::vec(label(), 0..4), suffix).prop_filter_map(
        "over 255 octets",
        |(mut l, s)| {
            l.extend(s);
            Name::from_labels(l.iter().map(Vec::as_slice)).ok()
        },
    )
}

fn bytes(max: usize) -> impl Strategy<Value = Bytes> {
    prop::collection::vec(any::<u8>(), 0..max).prop_map(Bytes::from)
}

fn class() -> impl Strategy<Value = Class> {
    prop_oneof![
        4 => Just(Class::IN),
        1 => Just(Class::CH),
        1 => any::<u16>().prop_map(Class),
    ]
}

fn record() -> impl Strategy<Value = Record> {
    let typed = prop_oneof![
        any::<[u8; 4]>().prop_map(|a| (Some(Class::IN), RData::A(Ipv4Addr::from(a)))),
        any::<[u8; 16]>().prop_map(|a| (Some(Class::IN), RData::Aaaa(Ipv6Addr::from(a)))),
        name().prop_map(|n| (None, RData::Ns(n))),
        name().prop_map(|n| (None, RData::Cname(n))),
        name().prop_map(|n| (None, RData::Ptr(n))),
        (any::<u16>(), name()).prop_map(|(preference, exchange)| (
            None,
            RData::Mx(Mx {
                preference,
                exchange
            })
        )),
        prop::collection::vec(bytes(40), 1..4)
            .prop_map(|strings| (None, RData::Txt(Txt { strings }))),
        (name(), name(), any::<[u32; 5]>()).prop_map(|(mname, rname, n)| (
            None,
            RData::Soa(Soa {
                mname,
                rname,
                serial: n[0],
                refresh: n[1],
                retry: n[2],
                expire: n[3],
                minimum: n[4],
            })
        )),
        (any::<u16>(), bytes(30)).prop_map(|(rtype, bytes)| (
            None,
            RData::Unknown {
                rtype: RType(rtype),
                bytes
            }
        )),
    ];
    (name(), class(), any::<u32>(), typed)
        .prop_map(|(name, class, ttl, (forced, data))| Record {
            name,
            class: forced.unwrap_or(class),
            ttl,
            data,
        })
        .prop_filter("opaque rdata of a typed type, or OPT", |r| match &r.data {
            RData::Unknown { rtype, bytes } => {
                *rtype != RType::OPT && !RData::is_typed(*rtype, r.class, bytes.len())
            }
            _ => true,
        })
}

fn edns() -> impl Strategy<Value = Edns> {
    (
        any::<u16>(),
        any::<u8>(),
        any::<bool>(),
        0u16..0x8000,
        prop::collection::vec(
            (any::<u16>(), bytes(20)).prop_map(|(code, data)| EdnsOption { code, data }),
            0..4,
        ),
    )
        .prop_map(|(udp_payload_size, version, dnssec_ok, z, options)| Edns {
            udp_payload_size,
            version,
            dnssec_ok,
            z,
            options,
        })
}

fn message() -> impl Strategy<Value = Message> {
    (
        (any::<u16>(), any::<[bool; 9]>(), 0u8..16, 0u16..4096),
        prop::collection::vec(
            (name(), any::<u16>(), class()).prop_map(|(name, t, qclass)| Question {
                name,
                qtype: RType(t),
                qclass,
            }),
            0..3,
        ),
        prop::collection::vec(record(), 0..5),
        prop::collection::vec(record(), 0..3),
        prop::collection::vec(record(), 0..3),
        prop::option::of(edns()),
    )
        .prop_map(
            |((id, f, opcode, rcode), question, answer, authority, additional, edns)| {
                let rcode = if edns.is_some() { rcode } else { rcode & 0xF };
                Message {
                    header: Header {
                        id,
                        qr: f[0],
                        opcode: Opcode(opcode),
                        aa: f[1],
                        tc: f[2],
                        rd: f[3],
                        ra: f[4],
                        z: f[5],
                        ad: f[6],
                        cd: f[7],
                        rcode: Rcode(rcode),
                    },
                    question,
                    answer,
                    authority,
                    additional,
                    edns,
                }
            },
        )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn decode_encode_roundtrip(m in message()) {
        let wire = m.encode().unwrap();
        let back = Message::decode(&wire).unwrap();
        prop_assert_eq!(&back, &m);
        // Byte for byte: `==` ignores the case of names, the bytes do not.
        prop_assert_eq!(back.encode().unwrap(), wire);
        for (a, b) in back.answer.iter().zip(&m.answer) {
            prop_assert!(a.name.eq_exact(&b.name));
        }
    }

    #[test]
    fn presentation_of_rdata_reads_back(r in record()) {
        let text = r.data.to_string();
        let back = RData::from_presentation(r.rtype(), r.class, &text).unwrap();
        prop_assert_eq!(back, r.data);
    }

    #[test]
    fn presentation_of_names_reads_back(n in name()) {
        let back: Name = n.to_string().parse().unwrap();
        prop_assert!(back.eq_exact(&n));
    }

    #[test]
    fn tcp_split_gives_what_the_whole_gives(
        messages in prop::collection::vec(message(), 1..4),
        points in prop::collection::vec(any::<usize>(), 0..6),
    ) {
        let mut codec = TcpCodec::default();
        let mut stream = BytesMut::new();
        for m in &messages {
            codec.encode(m, &mut stream).unwrap();
        }
        let whole = decode_pieces(&mut TcpCodec::default(), &[&stream], is_recoverable);
        let pieces = decode_pieces(&mut TcpCodec::default(), &cut(&stream, &points), is_recoverable);
        let expected: Vec<_> = messages.into_iter().map(Ok).collect();
        prop_assert_eq!(&whole, &expected);
        prop_assert_eq!(pieces, whole);
    }

    #[test]
    fn arbitrary_bytes_never_panic(input in prop::collection::vec(any::<u8>(), 0..300)) {
        if let Ok(m) = Message::decode(&input) {
            // Whatever decodes encodes, and decodes to the same message.
            let again = m.encode().unwrap();
            prop_assert_eq!(Message::decode(&again).unwrap(), m);
        }
    }

    #[test]
    fn corrupted_messages_never_panic(m in message(), flips in prop::collection::vec((any::<usize>(), any::<u8>()), 1..4)) {
        let mut wire = m.encode().unwrap();
        let len = wire.len();
        for (at, x) in flips {
            wire[at % len] ^= x;
        }
        if let Ok(m) = Message::decode(&wire) {
            let again = m.encode().unwrap();
            prop_assert_eq!(Message::decode(&again).unwrap(), m);
        }
    }
}
