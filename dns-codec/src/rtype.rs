//! Record types (RFC 1035 §3.2.2 and §3.2.3, the IANA "Resource Record (RR) TYPEs" registry) and
//! their mnemonics; a type without one is written `TYPE12345` (RFC 3597 §5).

use std::fmt;
use std::str::FromStr;

use crate::error::Error;

/// A record type, or a query type (QTYPE, RFC 1035 §3.2.3), as its 16-bit value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct RType(pub u16);

/// The registered mnemonics this crate knows, by value.
const MNEMONICS: &[(u16, &str)] = &[
    (1, "A"),
    (2, "NS"),
    (3, "MD"),
    (4, "MF"),
    (5, "CNAME"),
    (6, "SOA"),
    (7, "MB"),
    (8, "MG"),
    (9, "MR"),
    (10, "NULL"),
    (11, "WKS"),
    (12, "PTR"),
    (13, "HINFO"),
    (14, "MINFO"),
    (15, "MX"),
    (16, "TXT"),
    (17, "RP"),
    (18, "AFSDB"),
    (19, "X25"),
    (20, "ISDN"),
    (21, "RT"),
    (22, "NSAP"),
    (23, "NSAP-PTR"),
    (24, "SIG"),
    (25, "KEY"),
    (26, "PX"),
    (27, "GPOS"),
    (28, "AAAA"),
    (29, "LOC"),
    (30, "NXT"),
    (33, "SRV"),
    (35, "NAPTR"),
    (36, "KX"),
    (37, "CERT"),
    (38, "A6"),
    (39, "DNAME"),
    (41, "OPT"),
    (42, "APL"),
    (43, "DS"),
    (44, "SSHFP"),
    (45, "IPSECKEY"),
    (46, "RRSIG"),
    (47, "NSEC"),
    (48, "DNSKEY"),
    (49, "DHCID"),
    (50, "NSEC3"),
    (51, "NSEC3PARAM"),
    (52, "TLSA"),
    (53, "SMIMEA"),
    (55, "HIP"),
    (59, "CDS"),
    (60, "CDNSKEY"),
    (61, "OPENPGPKEY"),
    (62, "CSYNC"),
    (63, "ZONEMD"),
    (64, "SVCB"),
    (65, "HTTPS"),
    (99, "SPF"),
    (104, "NID"),
    (105, "L32"),
    (106, "L64"),
    (107, "LP"),
    (108, "EUI48"),
    (109, "EUI64"),
    (249, "TKEY"),
    (250, "TSIG"),
    (251, "IXFR"),
    (252, "AXFR"),
    (253, "MAILB"),
    (254, "MAILA"),
    (255, "ANY"),
    (256, "URI"),
    (257, "CAA"),
    (32768, "TA"),
    (32769, "DLV"),
];

impl RType {
    /// IPv4 address (RFC 1035 §3.4.1).
    pub const A: RType = RType(1);
    /// Authoritative name server (RFC 1035 §3.3.11).
    pub const NS: RType = RType(2);
    /// Canonical name (RFC 1035 §3.3.1).
    pub const CNAME: RType = RType(5);
    /// Start of a zone of authority (RFC 1035 §3.3.13).
    pub const SOA: RType = RType(6);
    /// Domain name pointer (RFC 1035 §3.3.12).
    pub const PTR: RType = RType(12);
    /// Mail exchange (RFC 1035 §3.3.9).
    pub const MX: RType = RType(15);
    /// Text strings (RFC 1035 §3.3.14).
    pub const TXT: RType = RType(16);
    /// IPv6 address (RFC 3596 §2).
    pub const AAAA: RType = RType(28);
    /// EDNS pseudo-record (RFC 6891 §6).
    pub const OPT: RType = RType(41);
    /// Host information (RFC 1035 §3.3.2).
    pub const HINFO: RType = RType(13);
    /// Server selection (RFC 2782).
    pub const SRV: RType = RType(33);
    /// Naming authority pointer (RFC 3403 §4).
    pub const NAPTR: RType = RType(35);
    /// Redirection of a subtree (RFC 6672 §2.1).
    pub const DNAME: RType = RType(39);
    /// Delegation signer (RFC 4034 §5).
    pub const DS: RType = RType(43);
    /// SSH key fingerprint (RFC 4255 §3).
    pub const SSHFP: RType = RType(44);
    /// DNSSEC signature (RFC 4034 §3).
    pub const RRSIG: RType = RType(46);
    /// Next secure record (RFC 4034 §4).
    pub const NSEC: RType = RType(47);
    /// DNSSEC public key (RFC 4034 §2).
    pub const DNSKEY: RType = RType(48);
    /// Hashed next secure record (RFC 5155 §3).
    pub const NSEC3: RType = RType(50);
    /// NSEC3 parameters (RFC 5155 §4).
    pub const NSEC3PARAM: RType = RType(51);
    /// TLS certificate association (RFC 6698 §2).
    pub const TLSA: RType = RType(52);
    /// Child-to-parent synchronization (RFC 7477 §2).
    pub const CSYNC: RType = RType(62);
    /// General service binding (RFC 9460 §2).
    pub const SVCB: RType = RType(64);
    /// Service binding for HTTP (RFC 9460 §9).
    pub const HTTPS: RType = RType(65);
    /// Certification authority authorization (RFC 8659 §4).
    pub const CAA: RType = RType(257);
    /// All records, a query type only (RFC 1035 §3.2.3, RFC 8482).
    pub const ANY: RType = RType(255);

    /// The registered mnemonic, if this crate knows one.
    pub fn mnemonic(self) -> Option<&'static str> {
        MNEMONICS
            .iter()
            .find(|(value, _)| *value == self.0)
            .map(|(_, name)| *name)
    }
}

/// The mnemonic, or `TYPE` and the decimal value (RFC 3597 §5).
impl fmt::Display for RType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.mnemonic() {
            Some(name) => f.write_str(name),
            None => write!(f, "TYPE{}", self.0),
        }
    }
}

/// A mnemonic (any case), or `TYPE` and a decimal value (RFC 3597 §5).
impl FromStr for RType {
    type Err = Error;

    fn from_str(text: &str) -> Result<RType, Error> {
        if let Some((value, _)) = MNEMONICS
            .iter()
            .find(|(_, name)| name.eq_ignore_ascii_case(text))
        {
            return Ok(RType(*value));
        }
        generic_number(text, "TYPE")
            .map(RType)
            .ok_or(Error::Syntax {
                offset: 0,
                reason: "unknown type mnemonic (RFC 3597 §5: write TYPE and the number)",
            })
    }
}

/// The value of `TYPE123` / `CLASS123` forms: the prefix in any case, then a decimal 0..=65535
/// without a sign or leading zeros.
pub(crate) fn generic_number(text: &str, prefix: &str) -> Option<u16> {
    let head = text.get(..prefix.len())?;
    let digits = text.get(prefix.len()..)?;
    if !head.eq_ignore_ascii_case(prefix)
        || digits.is_empty()
        || !digits.bytes().all(|b| b.is_ascii_digit())
        || (digits.len() > 1 && digits.starts_with('0'))
    {
        return None;
    }
    digits.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mnemonics_and_generic_form() {
        assert_eq!(RType::A.to_string(), "A");
        assert_eq!(RType(12345).to_string(), "TYPE12345");
        assert_eq!("aaaa".parse::<RType>(), Ok(RType::AAAA));
        assert_eq!("TYPE1".parse::<RType>(), Ok(RType::A));
        assert_eq!("type65535".parse::<RType>(), Ok(RType(65535)));
        assert!("TYPE65536".parse::<RType>().is_err());
        assert!("TYPE01".parse::<RType>().is_err());
        assert!("TYPE".parse::<RType>().is_err());
        assert!("BOGUS".parse::<RType>().is_err());
        for (value, name) in MNEMONICS {
            assert_eq!(name.parse::<RType>(), Ok(RType(*value)));
        }
    }
}
