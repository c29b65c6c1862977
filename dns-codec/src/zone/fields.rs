//! The names of each type's rdata fields, in their RFCs' words, so that a zone error says which
//! field it is about (`SOA refresh`, not an offset inside the rdata).

use crate::rtype::RType;

/// The fields of `rtype`'s rdata in presentation order; the last one also names any token after
/// it (a key or a signature in several words, TXT strings, type bit maps). `generic`: the
/// RFC 3597 §5 form `\# length hex`.
pub(super) fn field_names(rtype: RType, generic: bool) -> &'static [&'static str] {
    if generic {
        return &["rdata \\#", "rdata length", "rdata"];
    }
    match rtype {
        // RFC 1035 §3.3 and §3.4.
        RType::A => &["A address"],
        RType::NS => &["NS nsdname"],
        RType::CNAME => &["CNAME cname"],
        RType::SOA => &[
            "SOA mname",
            "SOA rname",
            "SOA serial",
            "SOA refresh",
            "SOA retry",
            "SOA expire",
            "SOA minimum",
        ],
        RType::PTR => &["PTR ptrdname"],
        RType::HINFO => &["HINFO cpu", "HINFO os"],
        RType::MX => &["MX preference", "MX exchange"],
        RType::TXT => &["TXT txt-data"],
        // RFC 3596 §2.2, RFC 2782, RFC 3403 §4.1, RFC 6672 §2.1.
        RType::AAAA => &["AAAA address"],
        RType::SRV => &["SRV priority", "SRV weight", "SRV port", "SRV target"],
        RType::NAPTR => &[
            "NAPTR order",
            "NAPTR preference",
            "NAPTR flags",
            "NAPTR services",
            "NAPTR regexp",
            "NAPTR replacement",
        ],
        RType::DNAME => &["DNAME target"],
        // RFC 4034 §2.2, §3.2, §4.2, §5.3; RFC 5155 §3.3 and §4.3; RFC 7477 §2.2.
        RType::DS => &["DS key tag", "DS algorithm", "DS digest type", "DS digest"],
        RType::DNSKEY => &[
            "DNSKEY flags",
            "DNSKEY protocol",
            "DNSKEY algorithm",
            "DNSKEY public key",
        ],
        RType::RRSIG => &[
            "RRSIG type covered",
            "RRSIG algorithm",
            "RRSIG labels",
            "RRSIG original TTL",
            "RRSIG signature expiration",
            "RRSIG signature inception",
            "RRSIG key tag",
            "RRSIG signer's name",
            "RRSIG signature",
        ],
        RType::NSEC => &["NSEC next domain name", "NSEC type bit maps"],
        RType::NSEC3 => &[
            "NSEC3 hash algorithm",
            "NSEC3 flags",
            "NSEC3 iterations",
            "NSEC3 salt",
            "NSEC3 next hashed owner name",
            "NSEC3 type bit maps",
        ],
        RType::NSEC3PARAM => &[
            "NSEC3PARAM hash algorithm",
            "NSEC3PARAM flags",
            "NSEC3PARAM iterations",
            "NSEC3PARAM salt",
        ],
        RType::CSYNC => &["CSYNC SOA serial", "CSYNC flags", "CSYNC type bit map"],
        // RFC 4255 §3.2, RFC 6698 §2.2, RFC 8659 §4.1.1, RFC 9460 §2.1.
        RType::SSHFP => &["SSHFP algorithm", "SSHFP fp type", "SSHFP fingerprint"],
        RType::TLSA => &[
            "TLSA cert usage",
            "TLSA selector",
            "TLSA matching type",
            "TLSA certificate association data",
        ],
        RType::CAA => &["CAA flags", "CAA tag", "CAA value"],
        RType::SVCB => &["SVCB SvcPriority", "SVCB TargetName", "SVCB SvcParams"],
        RType::HTTPS => &["HTTPS SvcPriority", "HTTPS TargetName", "HTTPS SvcParams"],
        _ => &["rdata"],
    }
}

/// The index of the rdata tokens that are domain names, per type, so that they may be relative
/// (RFC 1035 §5.1). Types not listed have no names, or are read in the generic form only.
pub(super) fn name_fields(rtype: RType) -> &'static [usize] {
    match rtype {
        RType::NS | RType::CNAME | RType::PTR | RType::DNAME | RType::NSEC => &[0],
        RType::MX | RType::SVCB | RType::HTTPS => &[1],
        RType::SOA => &[0, 1],
        RType::SRV => &[3],
        RType::NAPTR => &[5],
        RType::RRSIG => &[7],
        _ => &[],
    }
}

/// The index of the rdata tokens that are TTL-like timers, read in BIND's unit form too
/// (`2h`, `1w2d`): SOA REFRESH, RETRY, EXPIRE and MINIMUM (RFC 1035 §3.3.13, RFC 2308 §4),
/// the RRSIG original TTL (RFC 4034 §3.2).
pub(super) fn ttl_fields(rtype: RType) -> &'static [usize] {
    match rtype {
        RType::SOA => &[3, 4, 5, 6],
        RType::RRSIG => &[3],
        _ => &[],
    }
}

/// The name of the field token `index` of `rtype`'s rdata is in.
pub(super) fn field_name(rtype: RType, generic: bool, index: usize) -> &'static str {
    let names = field_names(rtype, generic);
    names
        .get(index)
        .or(names.last())
        .copied()
        .unwrap_or("rdata")
}
