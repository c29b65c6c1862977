//! Record data (RFC 1035 §3.3 and §3.4, RFC 3596 for AAAA, RFC 3597 for every other type).
//!
//! Typed: A, AAAA, NS, CNAME, PTR, MX, TXT, SOA, HINFO (RFC 1035), DNAME (RFC 6672), SRV
//! (RFC 2782), NAPTR (RFC 3403), CAA (RFC 8659), SSHFP (RFC 4255), TLSA (RFC 6698), DS, DNSKEY,
//! RRSIG, NSEC (RFC 4034), NSEC3, NSEC3PARAM (RFC 5155), CSYNC (RFC 7477), SVCB and HTTPS
//! (RFC 9460). Every other type is kept as opaque bytes in [`RData::Unknown`] and printed
//! `\# len hex` (RFC 3597 §5). The type bit maps of NSEC, NSEC3 and CSYNC are a
//! [`TypeBitmap`]: their checked wire form, read lazily.
//! Compression pointers inside rdata are followed only for the types RFC 3597 §4 allows (NS,
//! CNAME, PTR, MX, SOA among the typed ones); the encoder compresses exactly those too. A
//! pointer in the rdata of any newer type is refused with [`Error::BadRdata`], and names in
//! them are written uncompressed and never become compression targets.

mod caa;
mod csync;
mod dname;
mod dnskey;
mod ds;
mod fields;
mod hinfo;
mod mx;
mod naptr;
mod nsec;
mod nsec3;
mod nsec3param;
mod rrsig;
mod soa;
mod srv;
mod sshfp;
mod svcb;
mod tlsa;
mod txt;
mod type_bitmap;
mod unknown;

use std::fmt;
use std::net::{Ipv4Addr, Ipv6Addr};

use bytes::Bytes;

pub use caa::Caa;
pub use csync::Csync;
pub use dnskey::Dnskey;
pub use ds::Ds;
pub use hinfo::Hinfo;
pub use mx::Mx;
pub use naptr::Naptr;
pub use nsec::Nsec;
pub use nsec3::Nsec3;
pub use nsec3param::Nsec3param;
pub use rrsig::Rrsig;
pub use soa::Soa;
pub use srv::Srv;
pub use sshfp::Sshfp;
pub use svcb::{SvcParam, Svcb};
pub use tlsa::Tlsa;
pub use txt::Txt;
pub use type_bitmap::{TypeBitmap, TypeBitmapIter};

use crate::class::Class;
use crate::compress::Compressor;
use crate::cursor::Cursor;
use crate::error::Error;
use crate::limits::Limits;
use crate::name::Name;
use crate::presentation::{Token, tokens};
use crate::rtype::RType;

/// The data of one record, typed where this crate knows the type (RFC 1035 §3.3).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RData {
    /// An IPv4 address, in class IN (RFC 1035 §3.4.1).
    A(Ipv4Addr),
    /// An IPv6 address, in class IN (RFC 3596 §2.2).
    Aaaa(Ipv6Addr),
    /// An authoritative name server (RFC 1035 §3.3.11).
    Ns(Name),
    /// The canonical name of an alias (RFC 1035 §3.3.1).
    Cname(Name),
    /// A pointer to another place in the name space (RFC 1035 §3.3.12).
    Ptr(Name),
    /// A mail exchange (RFC 1035 §3.3.9).
    Mx(Mx),
    /// One or more character-strings (RFC 1035 §3.3.14).
    Txt(Txt),
    /// The start of a zone of authority (RFC 1035 §3.3.13).
    Soa(Box<Soa>),
    /// Host information: CPU and OS (RFC 1035 §3.3.2).
    Hinfo(Box<Hinfo>),
    /// The target of a redirection of a subtree (RFC 6672 §2.1), never compressed.
    Dname(Name),
    /// The location of a service (RFC 2782).
    Srv(Srv),
    /// A naming authority pointer (RFC 3403 §4.1).
    Naptr(Box<Naptr>),
    /// A certification authority authorization (RFC 8659 §4.1).
    Caa(Box<Caa>),
    /// An SSH host key fingerprint (RFC 4255 §3.1).
    Sshfp(Sshfp),
    /// A TLS certificate association (RFC 6698 §2.1).
    Tlsa(Tlsa),
    /// A delegation signer (RFC 4034 §5.1).
    Ds(Ds),
    /// A DNSSEC public key (RFC 4034 §2.1).
    Dnskey(Dnskey),
    /// A DNSSEC signature (RFC 4034 §3.1).
    Rrsig(Box<Rrsig>),
    /// The next owner and the types at this one (RFC 4034 §4.1).
    Nsec(Box<Nsec>),
    /// Hashed denial of existence (RFC 5155 §3.2).
    Nsec3(Box<Nsec3>),
    /// The NSEC3 parameters of a zone (RFC 5155 §4.2).
    Nsec3param(Nsec3param),
    /// What a parent should copy from its child zone (RFC 7477 §2.1.1).
    Csync(Csync),
    /// A general service binding (RFC 9460 §2).
    Svcb(Box<Svcb>),
    /// A service binding for HTTP (RFC 9460 §9), the same format as SVCB.
    Https(Box<Svcb>),
    /// Any other type, as opaque bytes (RFC 3597 §3). The encoder refuses this variant for a type
    /// this crate decodes as typed (see [`RData::is_typed`]), so that a message always decodes
    /// back to what was encoded.
    Unknown {
        /// The record type.
        rtype: RType,
        /// The rdata, exactly as on the wire (compression pointers in it are not followed).
        bytes: Bytes,
    },
}

impl RData {
    /// The record type.
    pub fn rtype(&self) -> RType {
        match self {
            RData::A(_) => RType::A,
            RData::Aaaa(_) => RType::AAAA,
            RData::Ns(_) => RType::NS,
            RData::Cname(_) => RType::CNAME,
            RData::Ptr(_) => RType::PTR,
            RData::Mx(_) => RType::MX,
            RData::Txt(_) => RType::TXT,
            RData::Soa(_) => RType::SOA,
            RData::Hinfo(_) => RType::HINFO,
            RData::Dname(_) => RType::DNAME,
            RData::Srv(_) => RType::SRV,
            RData::Naptr(_) => RType::NAPTR,
            RData::Caa(_) => RType::CAA,
            RData::Sshfp(_) => RType::SSHFP,
            RData::Tlsa(_) => RType::TLSA,
            RData::Ds(_) => RType::DS,
            RData::Dnskey(_) => RType::DNSKEY,
            RData::Rrsig(_) => RType::RRSIG,
            RData::Nsec(_) => RType::NSEC,
            RData::Nsec3(_) => RType::NSEC3,
            RData::Nsec3param(_) => RType::NSEC3PARAM,
            RData::Csync(_) => RType::CSYNC,
            RData::Svcb(_) => RType::SVCB,
            RData::Https(_) => RType::HTTPS,
            RData::Unknown { rtype, .. } => *rtype,
        }
    }

    /// Whether rdata of `rtype` in `class`, `rdlength` bytes long, is decoded into a typed
    /// variant. A and AAAA are typed in class IN only (their format is class-specific,
    /// RFC 3597 §4). Empty rdata in class NONE or ANY is the "delete" form of a dynamic update
    /// (RFC 2136 §2.5) and stays opaque.
    pub fn is_typed(rtype: RType, class: Class, rdlength: usize) -> bool {
        if rdlength == 0 && (class == Class::NONE || class == Class::ANY) {
            return false;
        }
        match rtype {
            RType::A | RType::AAAA => class == Class::IN,
            RType::NS | RType::CNAME | RType::PTR | RType::MX | RType::TXT | RType::SOA => true,
            RType::HINFO | RType::DNAME | RType::SRV | RType::NAPTR | RType::CAA => true,
            RType::SSHFP | RType::TLSA | RType::DS | RType::DNSKEY | RType::RRSIG => true,
            RType::NSEC | RType::NSEC3 | RType::NSEC3PARAM | RType::SVCB | RType::HTTPS => true,
            RType::CSYNC => true,
            _ => false,
        }
    }

    /// Reads rdata of `rtype` from the cursor, which ends where the RDLENGTH says. `Truncated`
    /// from here means the RDLENGTH is too short; the caller checks that all of it was used.
    pub(crate) fn decode(rtype: RType, class: Class, c: &mut Cursor<'_>) -> Result<RData, Error> {
        if !RData::is_typed(rtype, class, c.remaining()) {
            return Ok(RData::Unknown {
                rtype,
                bytes: Bytes::copy_from_slice(c.rest()),
            });
        }
        Ok(match rtype {
            RType::A => {
                let octets: [u8; 4] = c.array("A rdata")?;
                RData::A(Ipv4Addr::from(octets))
            }
            RType::AAAA => {
                let octets: [u8; 16] = c.array("AAAA rdata")?;
                RData::Aaaa(Ipv6Addr::from(octets))
            }
            RType::NS => RData::Ns(Name::decode(c)?),
            RType::CNAME => RData::Cname(Name::decode(c)?),
            RType::PTR => RData::Ptr(Name::decode(c)?),
            RType::MX => RData::Mx(Mx::decode(c)?),
            RType::TXT => RData::Txt(Txt::decode(c)?),
            RType::SOA => RData::Soa(Box::new(Soa::decode(c)?)),
            RType::HINFO => RData::Hinfo(Box::new(Hinfo::decode(c)?)),
            RType::DNAME => RData::Dname(dname::decode(c)?),
            RType::SRV => RData::Srv(Srv::decode(c)?),
            RType::NAPTR => RData::Naptr(Box::new(Naptr::decode(c)?)),
            RType::CAA => RData::Caa(Box::new(Caa::decode(c)?)),
            RType::SSHFP => RData::Sshfp(Sshfp::decode(c)?),
            RType::TLSA => RData::Tlsa(Tlsa::decode(c)?),
            RType::DS => RData::Ds(Ds::decode(c)?),
            RType::DNSKEY => RData::Dnskey(Dnskey::decode(c)?),
            RType::RRSIG => RData::Rrsig(Box::new(Rrsig::decode(c)?)),
            RType::NSEC => RData::Nsec(Box::new(Nsec::decode(c)?)),
            RType::NSEC3 => RData::Nsec3(Box::new(Nsec3::decode(c)?)),
            RType::NSEC3PARAM => RData::Nsec3param(Nsec3param::decode(c)?),
            RType::CSYNC => RData::Csync(Csync::decode(c)?),
            RType::SVCB => RData::Svcb(Box::new(Svcb::decode(c, rtype)?)),
            RType::HTTPS => RData::Https(Box::new(Svcb::decode(c, rtype)?)),
            _ => RData::Unknown {
                rtype,
                bytes: Bytes::copy_from_slice(c.rest()),
            },
        })
    }

    /// Appends the rdata (without RDLENGTH) to `msg`, compressing names where RFC 3597 §4
    /// allows. `class` is the record's, for the [`RData::Unknown`] check.
    pub(crate) fn encode(
        &self,
        class: Class,
        msg: &mut Vec<u8>,
        compressor: &mut Compressor,
    ) -> Result<(), Error> {
        match self {
            RData::A(a) => msg.extend_from_slice(&a.octets()),
            RData::Aaaa(a) => msg.extend_from_slice(&a.octets()),
            RData::Ns(n) | RData::Cname(n) | RData::Ptr(n) => compressor.write(n, msg),
            RData::Mx(mx) => mx.encode(msg, compressor),
            RData::Txt(txt) => txt.encode(msg)?,
            RData::Soa(soa) => soa.encode(msg, compressor),
            // Newer types: uncompressed, and never compression targets (RFC 3597 §4).
            RData::Hinfo(hinfo) => hinfo.encode(msg)?,
            RData::Dname(n) => n.encode(msg),
            RData::Srv(srv) => srv.encode(msg),
            RData::Naptr(naptr) => naptr.encode(msg)?,
            RData::Caa(caa) => caa.encode(msg)?,
            RData::Sshfp(sshfp) => sshfp.encode(msg),
            RData::Tlsa(tlsa) => tlsa.encode(msg),
            RData::Ds(ds) => ds.encode(msg),
            RData::Dnskey(key) => key.encode(msg),
            RData::Rrsig(sig) => sig.encode(msg),
            RData::Nsec(nsec) => nsec.encode(msg),
            RData::Nsec3(nsec3) => nsec3.encode(msg)?,
            RData::Nsec3param(param) => param.encode(msg)?,
            RData::Csync(csync) => csync.encode(msg),
            RData::Svcb(svcb) | RData::Https(svcb) => svcb.encode(msg)?,
            RData::Unknown { rtype, bytes } => {
                if RData::is_typed(*rtype, class, bytes.len()) {
                    return Err(Error::Unencodable {
                        offset: msg.len() as u64,
                        reason: "opaque rdata for a type this crate types: use the typed variant",
                    });
                }
                if *rtype == RType::OPT {
                    return Err(Error::Unencodable {
                        offset: msg.len() as u64,
                        reason: "OPT is written from Message::edns, not as a record",
                    });
                }
                msg.extend_from_slice(bytes);
            }
        }
        Ok(())
    }

    /// Reads the presentation form of rdata of `rtype` in `class` (RFC 1035 §5.1, RFC 3596 §2.4,
    /// and the generic `\# len hex` form of RFC 3597 §5 for every type; a typed type written in
    /// the generic form is decoded into its typed variant, as RFC 3597 §5 asks). Error offsets
    /// count from the start of `text`.
    pub fn from_presentation(rtype: RType, class: Class, text: &str) -> Result<RData, Error> {
        // SVCB's `key="quoted value"` words need their own splitting (RFC 9460 Appendix A).
        if matches!(rtype, RType::SVCB | RType::HTTPS) && !text.trim_start().starts_with("\\#") {
            let svcb = Svcb::parse_text(text)?;
            return Ok(if rtype == RType::SVCB {
                RData::Svcb(Box::new(svcb))
            } else {
                RData::Https(Box::new(svcb))
            });
        }
        let tokens = tokens(text)?;
        if let Some(first) = tokens.first() {
            if first.raw == "\\#" && !first.quoted {
                let bytes = unknown::parse_generic(&tokens)?;
                return RData::from_wire(rtype, class, &bytes).map_err(|e| match e {
                    Error::Syntax { .. } => e,
                    _ => first.error("the generic rdata does not decode as its type"),
                });
            }
        }
        if !RData::is_typed(rtype, class, usize::MAX) {
            return Err(Error::Syntax {
                offset: 0,
                reason: "this type has no typed form here: write \\# len hex (RFC 3597 §5)",
            });
        }
        let mut rest = tokens.iter();
        let data = match rtype {
            RType::A => RData::A(parse_one(&mut rest, "an IPv4 address")?),
            RType::AAAA => RData::Aaaa(parse_one(&mut rest, "an IPv6 address")?),
            RType::NS => RData::Ns(name(&mut rest)?),
            RType::CNAME => RData::Cname(name(&mut rest)?),
            RType::PTR => RData::Ptr(name(&mut rest)?),
            RType::MX => RData::Mx(Mx::parse(&mut rest)?),
            RType::TXT => RData::Txt(Txt::parse(&mut rest)?),
            RType::SOA => RData::Soa(Box::new(Soa::parse(&mut rest)?)),
            RType::HINFO => RData::Hinfo(Box::new(Hinfo::parse(&mut rest)?)),
            RType::DNAME => RData::Dname(name(&mut rest)?),
            RType::SRV => RData::Srv(Srv::parse(&mut rest)?),
            RType::NAPTR => RData::Naptr(Box::new(Naptr::parse(&mut rest)?)),
            RType::CAA => RData::Caa(Box::new(Caa::parse(&mut rest)?)),
            RType::SSHFP => RData::Sshfp(Sshfp::parse(&mut rest)?),
            RType::TLSA => RData::Tlsa(Tlsa::parse(&mut rest)?),
            RType::DS => RData::Ds(Ds::parse(&mut rest)?),
            RType::DNSKEY => RData::Dnskey(Dnskey::parse(&mut rest)?),
            RType::RRSIG => RData::Rrsig(Box::new(Rrsig::parse(&mut rest)?)),
            RType::NSEC => RData::Nsec(Box::new(Nsec::parse(&mut rest)?)),
            RType::NSEC3 => RData::Nsec3(Box::new(Nsec3::parse(&mut rest)?)),
            RType::NSEC3PARAM => RData::Nsec3param(Nsec3param::parse(&mut rest)?),
            RType::CSYNC => RData::Csync(Csync::parse(&mut rest)?),
            _ => {
                return Err(Error::Syntax {
                    offset: 0,
                    reason: "this type has no typed form here: write \\# len hex (RFC 3597 §5)",
                });
            }
        };
        match rest.next() {
            Some(extra) => Err(extra.error("more fields than the type has")),
            None => Ok(data),
        }
    }

    /// Decodes the uncompressed wire form of rdata of `rtype` in `class`: all of `bytes`, no
    /// compression pointers.
    pub fn from_wire(rtype: RType, class: Class, bytes: &[u8]) -> Result<RData, Error> {
        let mut c = Cursor::new(bytes, &Limits::default());
        c.max_hops = 0;
        let data = match RData::decode(rtype, class, &mut c) {
            Err(Error::Truncated { .. }) => {
                return Err(Error::RdLengthShort {
                    offset: 0,
                    rtype,
                    rdlength: u16::try_from(bytes.len()).unwrap_or(u16::MAX),
                });
            }
            other => other?,
        };
        if c.remaining() != 0 {
            return Err(Error::RdLengthLong {
                offset: 0,
                rtype,
                rdlength: u16::try_from(bytes.len()).unwrap_or(u16::MAX),
                used: c.pos(),
            });
        }
        Ok(data)
    }
}

/// The next token, parsed with `FromStr`.
fn parse_one<'a, T: std::str::FromStr>(
    rest: &mut impl Iterator<Item = &'a Token<'a>>,
    what: &'static str,
) -> Result<T, Error> {
    let token = rest.next().ok_or(Error::Syntax {
        offset: 0,
        reason: "missing field",
    })?;
    if token.quoted {
        return Err(token.error(what));
    }
    token.raw.parse().map_err(|_| token.error(what))
}

/// The next token as a domain name.
pub(crate) fn name<'a>(rest: &mut impl Iterator<Item = &'a Token<'a>>) -> Result<Name, Error> {
    let token = rest.next().ok_or(Error::Syntax {
        offset: 0,
        reason: "missing domain name",
    })?;
    if token.quoted {
        return Err(token.error("a domain name is not quoted"));
    }
    token
        .raw
        .parse::<Name>()
        .map_err(|e| e.shifted(token.offset as u64))
}

/// The next token as a decimal integer of type `T` (digits only).
pub(crate) fn number<'a, T: std::str::FromStr>(
    rest: &mut impl Iterator<Item = &'a Token<'a>>,
) -> Result<T, Error> {
    let token = rest.next().ok_or(Error::Syntax {
        offset: 0,
        reason: "missing number",
    })?;
    if token.quoted || token.raw.is_empty() || !token.raw.bytes().all(|b| b.is_ascii_digit()) {
        return Err(token.error("expected a decimal number"));
    }
    token
        .raw
        .parse()
        .map_err(|_| token.error("number out of range"))
}

/// The next token as a time in seconds: a decimal number, or BIND's unit form (`2h`, `1w2d`),
/// as [`crate::zone::parse_ttl`] reads it. For the SOA timers (RFC 1035 §3.3.13) and the RRSIG
/// original TTL (RFC 4034 §3.2), which BIND writes and reads that way too.
pub(crate) fn seconds<'a>(rest: &mut impl Iterator<Item = &'a Token<'a>>) -> Result<u32, Error> {
    let token = rest.next().ok_or(Error::Syntax {
        offset: 0,
        reason: "missing number",
    })?;
    match crate::zone::parse_ttl(token.raw) {
        Some(seconds) if !token.quoted => Ok(seconds),
        _ => Err(token.error("not seconds, or numbers with units s/m/h/d/w, below 2^32")),
    }
}

/// The presentation form, as a zone file writes it (RFC 1035 §5.1, RFC 3597 §5 for `\#`).
impl fmt::Display for RData {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RData::A(a) => write!(f, "{a}"),
            RData::Aaaa(a) => write!(f, "{a}"),
            RData::Ns(n) | RData::Cname(n) | RData::Ptr(n) => write!(f, "{n}"),
            RData::Mx(mx) => write!(f, "{mx}"),
            RData::Txt(txt) => write!(f, "{txt}"),
            RData::Soa(soa) => write!(f, "{soa}"),
            RData::Hinfo(hinfo) => write!(f, "{hinfo}"),
            RData::Dname(n) => write!(f, "{n}"),
            RData::Srv(srv) => write!(f, "{srv}"),
            RData::Naptr(naptr) => write!(f, "{naptr}"),
            RData::Caa(caa) => write!(f, "{caa}"),
            RData::Sshfp(sshfp) => write!(f, "{sshfp}"),
            RData::Tlsa(tlsa) => write!(f, "{tlsa}"),
            RData::Ds(ds) => write!(f, "{ds}"),
            RData::Dnskey(key) => write!(f, "{key}"),
            RData::Rrsig(sig) => write!(f, "{sig}"),
            RData::Nsec(nsec) => write!(f, "{nsec}"),
            RData::Nsec3(nsec3) => write!(f, "{nsec3}"),
            RData::Nsec3param(param) => write!(f, "{param}"),
            RData::Csync(csync) => write!(f, "{csync}"),
            RData::Svcb(svcb) | RData::Https(svcb) => write!(f, "{svcb}"),
            RData::Unknown { bytes, .. } => unknown::write_generic(f, bytes),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn roundtrip(rtype: RType, text: &str, wire: &[u8]) {
        let data = RData::from_presentation(rtype, Class::IN, text).unwrap();
        assert_eq!(data.to_string(), text);
        let mut out = Vec::new();
        data.encode(Class::IN, &mut out, &mut Compressor::new())
            .unwrap();
        assert_eq!(out, wire, "{text}");
        assert_eq!(RData::from_wire(rtype, Class::IN, wire), Ok(data));
    }

    #[test]
    fn soa_timers_and_rrsig_ttl_take_bind_units() {
        let soa =
            RData::from_presentation(RType::SOA, Class::IN, "ns. host. 1 2h 1h 1w2d 5m").unwrap();
        assert_eq!(soa.to_string(), "ns. host. 1 7200 3600 777600 300");
        // The serial is a number, not a time (RFC 1982).
        assert!(RData::from_presentation(RType::SOA, Class::IN, "ns. host. 1h 1 1 1 1").is_err());
        assert!(RData::from_presentation(RType::SOA, Class::IN, "ns. host. 1 2x 1 1 1").is_err());
        let rrsig = RData::from_presentation(
            RType::RRSIG,
            Class::IN,
            "A 8 2 1d 20250101000000 20240101000000 1 example. AAAA",
        )
        .unwrap();
        assert!(rrsig.to_string().starts_with("A 8 2 86400 "), "{rrsig}");
    }

    #[test]
    fn typed_forms() {
        roundtrip(RType::A, "192.0.2.1", b"\xc0\x00\x02\x01");
        roundtrip(
            RType::AAAA,
            "2001:db8::1",
            b"\x20\x01\x0d\xb8\0\0\0\0\0\0\0\0\0\0\0\x01",
        );
        roundtrip(RType::NS, "ns1.example.", b"\x03ns1\x07example\x00");
        roundtrip(RType::CNAME, "a.example.", b"\x01a\x07example\x00");
        roundtrip(RType::PTR, ".", b"\x00");
        roundtrip(
            RType::MX,
            "10 mail.example.",
            b"\x00\x0a\x04mail\x07example\x00",
        );
        roundtrip(RType::TXT, "\"v=spf1 -all\"", b"\x0bv=spf1 -all");
        roundtrip(
            RType::TXT,
            "\"a\" \"\" \"\\\"\\\\\\000\"",
            b"\x01a\x00\x03\"\\\x00",
        );
        roundtrip(
            RType::SOA,
            "ns.a. admin.b. 2024010101 7200 3600 1209600 300",
            b"\x02ns\x01a\x00\x05admin\x01b\x00\x78\xa3\xf1\x75\x00\x00\x1c\x20\x00\x00\x0e\x10\x00\x12\x75\x00\x00\x00\x01\x2c",
        );
        roundtrip(RType(65280), "\\# 0", b"");
        roundtrip(RType(65280), "\\# 3 abcdef", b"\xab\xcd\xef");
    }

    #[test]
    fn generic_form_of_a_typed_type_is_typed() {
        let data = RData::from_presentation(RType::A, Class::IN, "\\# 4 C0 00 02 01").unwrap();
        assert_eq!(data, RData::A(Ipv4Addr::new(192, 0, 2, 1)));
        assert!(RData::from_presentation(RType::A, Class::IN, "\\# 3 C00002").is_err());
        assert!(RData::from_presentation(RType::A, Class::IN, "\\# 4 C00002").is_err());
        assert!(RData::from_presentation(RType(999), Class::IN, "\\# 2 abc").is_err());
        assert!(RData::from_presentation(RType(999), Class::IN, "1 2").is_err());
    }

    #[test]
    fn a_in_another_class_is_opaque() {
        let data = RData::from_wire(RType::A, Class::CH, b"\x00\x01\xc0\x00").unwrap();
        assert_eq!(data.to_string(), "\\# 4 0001c000");
        let delete = RData::from_wire(RType::NS, Class::ANY, b"").unwrap();
        assert_eq!(delete.to_string(), "\\# 0");
    }

    #[test]
    fn presentation_errors() {
        let bad = |rtype, text| RData::from_presentation(rtype, Class::IN, text).unwrap_err();
        assert!(matches!(bad(RType::A, "192.0.2"), Error::Syntax { .. }));
        assert!(matches!(
            bad(RType::A, "192.0.2.1 x"),
            Error::Syntax { offset: 10, .. }
        ));
        assert!(matches!(bad(RType::A, ""), Error::Syntax { .. }));
        assert!(matches!(bad(RType::MX, "65536 a."), Error::Syntax { .. }));
        assert!(matches!(bad(RType::MX, "-1 a."), Error::Syntax { .. }));
        assert!(matches!(
            bad(RType::MX, "1 a..b"),
            Error::Syntax { offset: 4, .. }
        ));
        assert!(matches!(bad(RType::TXT, ""), Error::Syntax { .. }));
        let long = format!("\"{}\"", "x".repeat(256));
        assert!(matches!(bad(RType::TXT, &long), Error::Syntax { .. }));
        assert!(matches!(
            bad(RType::SOA, "a. b. 1 2 3 4"),
            Error::Syntax { .. }
        ));
    }

    #[test]
    fn wire_errors() {
        assert_eq!(
            RData::from_wire(RType::A, Class::IN, b"\x01\x02\x03"),
            Err(Error::RdLengthShort {
                offset: 0,
                rtype: RType::A,
                rdlength: 3
            })
        );
        assert_eq!(
            RData::from_wire(RType::A, Class::IN, b"\x01\x02\x03\x04\x05"),
            Err(Error::RdLengthLong {
                offset: 0,
                rtype: RType::A,
                rdlength: 5,
                used: 4
            })
        );
        assert!(RData::from_wire(RType::TXT, Class::IN, b"").is_err());
        assert!(RData::from_wire(RType::TXT, Class::IN, b"\x05abc").is_err());
    }
}
