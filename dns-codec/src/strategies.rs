//! Proptest strategies for DNS values (feature `proptest`), for tests of code built on this
//! crate: every value they generate encodes, and decodes back equal (the crate's own roundtrip
//! tests check that, RFC 1035 §4 and the RFCs of each type).
//!
//! ```
//! use dns_codec::Message;
//! use dns_codec::strategies::message;
//! use proptest::strategy::{Strategy, ValueTree};
//! use proptest::test_runner::TestRunner;
//!
//! let mut runner = TestRunner::deterministic();
//! let m = message().new_tree(&mut runner).unwrap().current();
//! assert_eq!(Message::decode(&m.encode().unwrap()).unwrap(), m);
//! ```

use std::net::{Ipv4Addr, Ipv6Addr};

use bytes::Bytes;
use proptest::prelude::*;

use crate::rdata::{
    Caa, Csync, Dnskey, Ds, Hinfo, Mx, Naptr, Nsec, Nsec3, Nsec3param, Rrsig, Soa, Srv, Sshfp,
    SvcParam, Svcb, Tlsa, Txt, TypeBitmap,
};
use crate::{
    Class, Edns, EdnsOption, Header, Message, Name, Opcode, Question, RData, RType, Rcode, Record,
};

/// A label of 1 to 63 octets: mostly letters, digits and hyphens of mixed case, sometimes any
/// octets (RFC 2181 §11: a label may hold any octet).
pub fn label() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        4 => "[a-zA-Z0-9-]{1,12}".prop_map(String::into_bytes),
        1 => prop::collection::vec(any::<u8>(), 1..=63),
    ]
}

/// A name of up to 4 generated labels on a small pool of suffixes (so that compression has
/// something to share), mixed case included; never over 255 octets.
pub fn name() -> impl Strategy<Value = Name> {
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

/// Up to `max - 1` arbitrary octets.
pub fn bytes(max: usize) -> impl Strategy<Value = Bytes> {
    prop::collection::vec(any::<u8>(), 0..max).prop_map(Bytes::from)
}

/// A CLASS: mostly IN, sometimes CH, sometimes any value.
pub fn class() -> impl Strategy<Value = Class> {
    prop_oneof![
        4 => Just(Class::IN),
        1 => Just(Class::CH),
        1 => any::<u16>().prop_map(Class),
    ]
}

/// A `<character-string>` of up to 39 octets (RFC 1035 §3.3).
pub fn cstr() -> impl Strategy<Value = Bytes> {
    bytes(40)
}

/// A type bit map of up to 5 types, mostly below 300, in any window, as NSEC, NSEC3 and CSYNC
/// carry them (RFC 4034 §4.1.2); sometimes all 65,536 types (the longest bitmap, 8,704 octets).
pub fn types() -> impl Strategy<Value = TypeBitmap> {
    prop_oneof![
        30 => prop::collection::vec(
            prop_oneof![3 => 0u16..300, 1 => any::<u16>()].prop_map(RType),
            0..6,
        )
        .prop_map(TypeBitmap::from_types),
        1 => Just(TypeBitmap::from_types((0..=u16::MAX).map(RType))),
    ]
}

/// Valid SvcParams in increasing key order (RFC 9460 §2.2); `mandatory` names only keys that are
/// present.
pub fn svc_params() -> impl Strategy<Value = Vec<SvcParam>> {
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

/// Valid rdata of HINFO and of every type after RFC 1035 that this crate types (RFC 3597 §4
/// forbids compressing their names; HINFO holds no name).
pub fn newer_typed() -> impl Strategy<Value = RData> {
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
        (any::<u32>(), any::<u16>(), types()).prop_map(|(soa_serial, flags, types)| {
            RData::Csync(Csync {
                soa_serial,
                flags,
                types,
            })
        }),
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

/// A record of any type this crate types, or of a type it keeps opaque (RFC 3597), with a class
/// that suits the type; never OPT.
pub fn record() -> impl Strategy<Value = Record> {
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

/// An OPT record's content (RFC 6891 §6.1): any payload size, version, DO bit, Z, and up to
/// three options of any code.
pub fn edns() -> impl Strategy<Value = Edns> {
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

/// A header with any ID, flags, OPCODE and a 12-bit RCODE (its high 8 bits need an OPT record:
/// [`message_with`] drops them when there is none).
pub fn header() -> impl Strategy<Value = Header> {
    (any::<u16>(), any::<[bool; 8]>(), 0u8..16, 0u16..4096).prop_map(|(id, f, opcode, rcode)| {
        Header {
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
        }
    })
}

/// A question for a generated [`name`], any QTYPE and a [`class`].
pub fn question() -> impl Strategy<Value = Question> {
    (name(), any::<u16>(), class()).prop_map(|(name, t, qclass)| Question {
        name,
        qtype: RType(t),
        qclass,
    })
}

/// A whole message made of [`header`], up to 2 [`question`]s, up to 4 [`record`]s in each
/// section, and maybe an [`edns`].
pub fn message() -> impl Strategy<Value = Message> {
    message_with(header(), question(), record(), edns())
}

/// A whole message from the given parts: up to 2 questions, up to 4 records in each section,
/// and maybe an OPT record. The RCODE keeps only its low 4 bits when there is no OPT record to
/// carry the rest (RFC 6891 §6.1.3). The message encodes when the parts do: an OPCODE over 15
/// or an OPT record among `record`'s values would not.
pub fn message_with(
    header: impl Strategy<Value = Header>,
    question: impl Strategy<Value = Question>,
    record: impl Strategy<Value = Record> + 'static,
    edns: impl Strategy<Value = Edns>,
) -> impl Strategy<Value = Message> {
    let record = record.boxed();
    (
        header,
        prop::collection::vec(question, 0..3),
        prop::collection::vec(record.clone(), 0..5),
        prop::collection::vec(record.clone(), 0..5),
        prop::collection::vec(record, 0..5),
        prop::option::of(edns),
    )
        .prop_map(
            |(mut header, question, answer, authority, additional, edns)| {
                if edns.is_none() {
                    header.rcode = Rcode(header.rcode.0 & 0xF);
                }
                Message {
                    header,
                    question,
                    answer,
                    authority,
                    additional,
                    edns,
                }
            },
        )
}
