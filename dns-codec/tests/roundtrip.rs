//! Properties: `decode(encode(m)) == m` for generated messages, the re-encoding is byte for
//! byte the same (so case and order survive), any split of a TCP stream gives what the whole
//! gives, and arbitrary bytes never panic.
#![allow(clippy::unwrap_used, clippy::indexing_slicing, missing_docs)]

use std::net::{Ipv4Addr, Ipv6Addr};

use bytes::{Bytes, BytesMut};
use std::collections::BTreeSet;

use dns_codec::rdata::{
    Caa, Dnskey, Ds, Hinfo, Mx, Naptr, Nsec, Nsec3, Nsec3param, Rrsig, Soa, Srv, Sshfp, SvcParam,
    Svcb, Tlsa, Txt,
};
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

fn cstr() -> impl Strategy<Value = Bytes> {
    bytes(40)
}

fn types() -> impl Strategy<Value = BTreeSet<RType>> {
    prop::collection::btree_set(
        prop_oneof![3 => 0u16..300, 1 => any::<u16>()].prop_map(RType),
        0..6,
    )
}

/// Valid SvcParams in increasing key order; `mandatory` names only keys that are present.
fn svc_params() -> impl Strategy<Value = Vec<SvcParam>> {
    let alpn = prop::collection::vec(
        prop::collection::vec(any::<u8>(), 1..8).prop_map(Bytes::from),
        1..3,
    );
    (
        any::<bool>(),
        prop::option::of(alpn),
        any::<bool>(),
        prop::option::of(any::<u16>()),
        prop::option::of(prop::collection::vec(any::<[u8; 4]>(), 1..3)),
        prop::option::of(bytes(10)),
        prop::option::of(prop::collection::vec(any::<[u8; 16]>(), 1..3)),
        prop::collection::btree_map(7u16.., bytes(10), 0..3),
    )
        .prop_map(|(mandatory, alpn, nda, port, v4, ech, v6, unknown)| {
            let mut p = Vec::new();
            if let Some(ids) = alpn {
                p.push(SvcParam::Alpn(ids));
            }
            if nda {
                p.push(SvcParam::NoDefaultAlpn);
            }
            if let Some(port) = port {
                p.push(SvcParam::Port(port));
            }
            if let Some(a) = v4 {
                p.push(SvcParam::Ipv4Hint(
                    a.into_iter().map(Ipv4Addr::from).collect(),
                ));
            }
            if let Some(e) = ech {
                p.push(SvcParam::Ech(e));
            }
            if let Some(a) = v6 {
                p.push(SvcParam::Ipv6Hint(
                    a.into_iter().map(Ipv6Addr::from).collect(),
                ));
            }
            for (key, value) in unknown {
                p.push(SvcParam::Unknown { key, value });
            }
            if mandatory && !p.is_empty() {
                let keys = p.iter().map(SvcParam::key).take(2).collect();
                p.insert(0, SvcParam::Mandatory(keys));
            }
            p
        })
}

/// Rdata of the types RFC 3597 §4 forbids to compress, all valid.
fn newer_typed() -> impl Strategy<Value = RData> {
    prop_oneof![
        (cstr(), cstr()).prop_map(|(cpu, os)| RData::Hinfo(Box::new(Hinfo { cpu, os }))),
        name().prop_map(RData::Dname),
        (any::<[u16; 3]>(), name()).prop_map(|(n, target)| RData::Srv(Srv {
            priority: n[0],
            weight: n[1],
            port: n[2],
            target
        })),
        (any::<[u16; 2]>(), cstr(), cstr(), cstr(), name()).prop_map(
            |(n, flags, services, regexp, replacement)| RData::Naptr(Box::new(Naptr {
                order: n[0],
                preference: n[1],
                flags,
                services,
                regexp,
                replacement
            }))
        ),
        (any::<u8>(), "[a-zA-Z0-9]{1,15}", bytes(40))
            .prop_map(|(flags, tag, value)| { RData::Caa(Box::new(Caa { flags, tag, value })) }),
        (any::<[u8; 2]>(), bytes(40)).prop_map(|(n, fingerprint)| RData::Sshfp(Sshfp {
            algorithm: n[0],
            fp_type: n[1],
            fingerprint
        })),
        (any::<[u8; 3]>(), bytes(40)).prop_map(|(n, data)| RData::Tlsa(Tlsa {
            usage: n[0],
            selector: n[1],
            matching_type: n[2],
            data
        })),
        (any::<u16>(), any::<[u8; 2]>(), bytes(40)).prop_map(|(key_tag, n, digest)| {
            RData::Ds(Ds {
                key_tag,
                algorithm: n[0],
                digest_type: n[1],
                digest,
            })
        }),
        (any::<u16>(), any::<[u8; 2]>(), bytes(60)).prop_map(|(flags, n, public_key)| {
            RData::Dnskey(Dnskey {
                flags,
                protocol: n[0],
                algorithm: n[1],
                public_key,
            })
        }),
        (
            any::<u16>(),
            any::<[u8; 2]>(),
            any::<[u32; 3]>(),
            any::<u16>(),
            name(),
            bytes(60)
        )
            .prop_map(
                |(t, n, times, key_tag, signer_name, signature)| RData::Rrsig(Box::new(Rrsig {
                    type_covered: RType(t),
                    algorithm: n[0],
                    labels: n[1],
                    original_ttl: times[0],
                    expiration: times[1],
                    inception: times[2],
                    key_tag,
                    signer_name,
                    signature,
                }))
            ),
        (name(), types()).prop_map(|(next_domain_name, types)| RData::Nsec(Box::new(Nsec {
            next_domain_name,
            types
        }))),
        (
            any::<[u8; 2]>(),
            any::<u16>(),
            bytes(20),
            prop::collection::vec(any::<u8>(), 1..33),
            types()
        )
            .prop_map(
                |(n, iterations, salt, hash, types)| RData::Nsec3(Box::new(Nsec3 {
                    hash_algorithm: n[0],
                    flags: n[1],
                    iterations,
                    salt,
                    next_hashed_owner: Bytes::from(hash),
                    types,
                }))
            ),
        (any::<[u8; 2]>(), any::<u16>(), bytes(20)).prop_map(|(n, iterations, salt)| {
            RData::Nsec3param(Nsec3param {
                hash_algorithm: n[0],
                flags: n[1],
                iterations,
                salt,
            })
        }),
        (any::<u16>(), name(), svc_params(), any::<bool>()).prop_map(
            |(priority, target, params, https)| {
                let svcb = Svcb {
                    priority,
                    target,
                    params,
                };
                if https {
                    RData::Https(Box::new(svcb))
                } else {
                    RData::Svcb(Box::new(svcb))
                }
            }
        ),
    ]
}

fn record() -> impl Strategy<Value = Record> {
    let typed = prop_oneof![
        newer_typed().prop_map(|d| (None, d)),
        newer_typed().prop_map(|d| (None, d)),
        newer_typed().prop_map(|d| (None, d)),
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
            RData::Soa(Box::new(Soa {
                mname,
                rname,
                serial: n[0],
                refresh: n[1],
                retry: n[2],
                expire: n[3],
                minimum: n[4],
            }))
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
