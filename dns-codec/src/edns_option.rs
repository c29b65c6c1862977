//! Typed views of the EDNS options this crate knows (RFC 6891 §6.1.2 carries them opaque):
//! client subnet (RFC 7871 §6), cookie (RFC 7873 §4), padding (RFC 7830 §3) and extended DNS
//! error (RFC 8914 §2).
//!
//! [`crate::EdnsOption`] stays the option as sent, code and bytes, so a message keeps its
//! options' order, duplicates and exact bytes (a cookie or a TSIG depends on them), and a
//! malformed option of a known code does not cost the whole message. [`EdnsOption::typed`]
//! reads the data of a known code, with the option's own rules; [`OptionData::to_option`]
//! writes one, refusing what the decoder would refuse. Error offsets count from the first
//! byte of the option's data.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use bytes::Bytes;

use crate::edns::EdnsOption;
use crate::error::Error;
use crate::rtype::RType;

/// The data of an EDNS option of a code this crate types.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OptionData {
    /// EDNS Client Subnet, code 8 (RFC 7871 §6).
    ClientSubnet(ClientSubnet),
    /// DNS cookie, code 10 (RFC 7873 §4).
    Cookie(Cookie),
    /// Padding, code 12 (RFC 7830 §3): octets that SHOULD be zero, kept as sent.
    Padding(Bytes),
    /// Extended DNS error, code 15 (RFC 8914 §2).
    ExtendedError(ExtendedError),
}

/// The client's network for a tailored answer (RFC 7871 §6).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClientSubnet {
    /// SOURCE PREFIX-LENGTH: the leftmost bits of the address that are significant.
    pub source_prefix: u8,
    /// SCOPE PREFIX-LENGTH: 0 in queries; in responses, the bits the answer covers.
    pub scope_prefix: u8,
    /// The address, its bits past `source_prefix` zero (RFC 7871 §6); its family gives
    /// FAMILY (1 IPv4, 2 IPv6).
    pub address: IpAddr,
}

/// A DNS cookie (RFC 7873 §4).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cookie {
    /// The client cookie: 8 octets (RFC 7873 §4.1).
    pub client: [u8; 8],
    /// The server cookie, 8 to 32 octets, when there is one (RFC 7873 §4.2).
    pub server: Option<Bytes>,
}

/// An extended DNS error (RFC 8914 §2).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExtendedError {
    /// INFO-CODE (RFC 8914 §4: 0 Other Error, 6 DNSSEC Bogus, 18 Prohibited, ...).
    pub info_code: u16,
    /// EXTRA-TEXT: UTF-8 for humans, possibly empty (RFC 8914 §2).
    pub extra_text: String,
}

impl EdnsOption {
    /// OPTION-CODE of EDNS Client Subnet (RFC 7871 §6).
    pub const CLIENT_SUBNET: u16 = 8;
    /// OPTION-CODE of COOKIE (RFC 7873 §4).
    pub const COOKIE: u16 = 10;
    /// OPTION-CODE of Padding (RFC 7830 §3).
    pub const PADDING: u16 = 12;
    /// OPTION-CODE of Extended DNS Error (RFC 8914 §2).
    pub const EXTENDED_ERROR: u16 = 15;

    /// The typed data of an option of a known code, `None` for other codes, an error for data
    /// that breaks its option's rules.
    pub fn typed(&self) -> Result<Option<OptionData>, Error> {
        let d = &self.data[..];
        let bad = |offset: usize, reason| Error::BadRdata {
            offset: offset as u64,
            rtype: RType::OPT,
            reason,
        };
        Ok(Some(match self.code {
            EdnsOption::CLIENT_SUBNET => {
                let (family, source, scope, address) = match d {
                    [f1, f2, s, sc, rest @ ..] => (u16::from_be_bytes([*f1, *f2]), *s, *sc, rest),
                    _ => return Err(bad(0, "client subnet under 4 octets (RFC 7871 §6)")),
                };
                let max = match family {
                    1 => 32,
                    2 => 128,
                    _ => return Err(bad(0, "client subnet FAMILY not 1 or 2 (RFC 7871 §6)")),
                };
                if source > max {
                    return Err(bad(
                        2,
                        "SOURCE PREFIX-LENGTH over the address (RFC 7871 §6)",
                    ));
                }
                if scope > max {
                    return Err(bad(3, "SCOPE PREFIX-LENGTH over the address (RFC 7871 §6)"));
                }
                if address.len() != usize::from(source).div_ceil(8) {
                    return Err(bad(
                        4,
                        "ADDRESS not truncated to SOURCE PREFIX-LENGTH octets (RFC 7871 §6)",
                    ));
                }
                let mut full = [0u8; 16];
                for (slot, b) in full.iter_mut().zip(address) {
                    *slot = *b;
                }
                let address = if family == 1 {
                    let [a, b, c, d, ..] = full;
                    IpAddr::V4(Ipv4Addr::new(a, b, c, d))
                } else {
                    IpAddr::V6(Ipv6Addr::from(full))
                };
                if mask(address, source) != address {
                    return Err(bad(
                        4,
                        "ADDRESS bits set past SOURCE PREFIX-LENGTH (RFC 7871 §6)",
                    ));
                }
                OptionData::ClientSubnet(ClientSubnet {
                    source_prefix: source,
                    scope_prefix: scope,
                    address,
                })
            }
            EdnsOption::COOKIE => match d.len() {
                8 | 16..=40 => OptionData::Cookie(Cookie {
                    client: d
                        .get(..8)
                        .and_then(|c| c.try_into().ok())
                        .unwrap_or_default(),
                    server: (d.len() > 8).then(|| self.data.slice(8..)),
                }),
                _ => return Err(bad(0, "cookie not 8 or 16 to 40 octets (RFC 7873 §4)")),
            },
            EdnsOption::PADDING => OptionData::Padding(self.data.clone()),
            EdnsOption::EXTENDED_ERROR => match d {
                [a, b, text @ ..] => OptionData::ExtendedError(ExtendedError {
                    info_code: u16::from_be_bytes([*a, *b]),
                    extra_text: String::from_utf8(text.to_vec()).map_err(|e| {
                        bad(
                            2 + e.utf8_error().valid_up_to(),
                            "EXTRA-TEXT not UTF-8 (RFC 8914 §2)",
                        )
                    })?,
                }),
                _ => return Err(bad(0, "extended error under 2 octets (RFC 8914 §2)")),
            },
            _ => return Ok(None),
        }))
    }
}

/// `address` with the bits past `prefix` cleared.
fn mask(address: IpAddr, prefix: u8) -> IpAddr {
    match address {
        IpAddr::V4(a) => {
            let bits = u32::from(a);
            let keep = u32::MAX
                .checked_shl(32 - u32::from(prefix.min(32)))
                .unwrap_or(0);
            IpAddr::V4(Ipv4Addr::from(bits & keep))
        }
        IpAddr::V6(a) => {
            let bits = u128::from(a);
            let keep = u128::MAX
                .checked_shl(128 - u32::from(prefix.min(128)))
                .unwrap_or(0);
            IpAddr::V6(Ipv6Addr::from(bits & keep))
        }
    }
}

impl ClientSubnet {
    /// The subnet of `address` with `source_prefix` bits (capped at the address's length),
    /// the other bits cleared as RFC 7871 §6 requires, scope 0 as in a query.
    pub fn new(address: IpAddr, source_prefix: u8) -> ClientSubnet {
        let max = if address.is_ipv4() { 32 } else { 128 };
        let source_prefix = source_prefix.min(max);
        ClientSubnet {
            source_prefix,
            scope_prefix: 0,
            address: mask(address, source_prefix),
        }
    }
}

impl OptionData {
    /// The option's code.
    pub fn code(&self) -> u16 {
        match self {
            OptionData::ClientSubnet(_) => EdnsOption::CLIENT_SUBNET,
            OptionData::Cookie(_) => EdnsOption::COOKIE,
            OptionData::Padding(_) => EdnsOption::PADDING,
            OptionData::ExtendedError(_) => EdnsOption::EXTENDED_ERROR,
        }
    }

    /// The option as it goes on the wire; refuses what [`EdnsOption::typed`] would refuse
    /// (address bits past the prefix, prefixes over the address, cookies of a wrong size).
    pub fn to_option(&self) -> Result<EdnsOption, Error> {
        let refuse = |reason| Error::Unencodable { offset: 0, reason };
        let mut data = Vec::new();
        match self {
            OptionData::ClientSubnet(ecs) => {
                let (family, max, octets) = match ecs.address {
                    IpAddr::V4(a) => (1u16, 32, a.octets().to_vec()),
                    IpAddr::V6(a) => (2u16, 128, a.octets().to_vec()),
                };
                if ecs.source_prefix > max || ecs.scope_prefix > max {
                    return Err(refuse(
                        "client subnet prefix over the address (RFC 7871 §6)",
                    ));
                }
                if mask(ecs.address, ecs.source_prefix) != ecs.address {
                    return Err(refuse(
                        "client subnet address bits past the source prefix (RFC 7871 §6)",
                    ));
                }
                data.extend_from_slice(&family.to_be_bytes());
                data.extend_from_slice(&[ecs.source_prefix, ecs.scope_prefix]);
                let used = usize::from(ecs.source_prefix).div_ceil(8);
                data.extend_from_slice(octets.get(..used).unwrap_or_default());
            }
            OptionData::Cookie(c) => {
                data.extend_from_slice(&c.client);
                if let Some(server) = &c.server {
                    if !(8..=32).contains(&server.len()) {
                        return Err(refuse("server cookie not 8 to 32 octets (RFC 7873 §4.2)"));
                    }
                    data.extend_from_slice(server);
                }
            }
            OptionData::Padding(p) => data.extend_from_slice(p),
            OptionData::ExtendedError(e) => {
                data.extend_from_slice(&e.info_code.to_be_bytes());
                data.extend_from_slice(e.extra_text.as_bytes());
            }
        }
        if data.len() > usize::from(u16::MAX) {
            return Err(refuse("option data over 65535 octets (RFC 6891 §6.1.2)"));
        }
        Ok(EdnsOption {
            code: self.code(),
            data: Bytes::from(data),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn opt(code: u16, data: &'static [u8]) -> EdnsOption {
        EdnsOption {
            code,
            data: Bytes::from_static(data),
        }
    }

    fn roundtrip(code: u16, data: &'static [u8]) -> OptionData {
        let typed = opt(code, data).typed().unwrap().unwrap();
        assert_eq!(typed.to_option().unwrap(), opt(code, data));
        typed
    }

    #[test]
    fn client_subnet() {
        // RFC 7871 §6: 192.0.2.0/24 takes three ADDRESS octets.
        let ecs = roundtrip(8, b"\x00\x01\x18\x00\xc0\x00\x02");
        assert_eq!(
            ecs,
            OptionData::ClientSubnet(ClientSubnet::new("192.0.2.77".parse().unwrap(), 24))
        );
        // Boundaries: /0 has no ADDRESS octets, /32 and /128 all of them, /57 eight.
        roundtrip(8, b"\x00\x01\x00\x00");
        roundtrip(8, b"\x00\x01\x20\x20\xc0\x00\x02\x01");
        roundtrip(
            8,
            b"\x00\x02\x80\x00\x20\x01\x0d\xb8\0\0\0\0\0\0\0\0\0\0\0\x01",
        );
        roundtrip(8, b"\x00\x02\x39\x38\x20\x01\x0d\xb8\x00\x00\x00\x80");
        let bad = |data: &'static [u8]| opt(8, data).typed();
        let err = |offset, reason| {
            Err(Error::BadRdata {
                offset,
                rtype: RType::OPT,
                reason,
            })
        };
        assert_eq!(
            bad(b"\x00\x01\x18"),
            err(0, "client subnet under 4 octets (RFC 7871 §6)")
        );
        assert_eq!(
            bad(b"\x00\x03\x00\x00"),
            err(0, "client subnet FAMILY not 1 or 2 (RFC 7871 §6)")
        );
        assert_eq!(
            bad(b"\x00\x01\x21\x00\x01\x02\x03\x04\x05"),
            err(2, "SOURCE PREFIX-LENGTH over the address (RFC 7871 §6)")
        );
        assert_eq!(
            bad(b"\x00\x01\x18\x21\xc0\x00\x02"),
            err(3, "SCOPE PREFIX-LENGTH over the address (RFC 7871 §6)")
        );
        assert_eq!(
            bad(b"\x00\x01\x18\x00\xc0\x00\x02\x00"),
            err(
                4,
                "ADDRESS not truncated to SOURCE PREFIX-LENGTH octets (RFC 7871 §6)"
            )
        );
        assert_eq!(
            bad(b"\x00\x01\x17\x00\xc0\x00\x03"),
            err(
                4,
                "ADDRESS bits set past SOURCE PREFIX-LENGTH (RFC 7871 §6)"
            )
        );
        let unmasked = OptionData::ClientSubnet(ClientSubnet {
            source_prefix: 8,
            scope_prefix: 0,
            address: "10.1.0.0".parse().unwrap(),
        });
        assert!(matches!(
            unmasked.to_option(),
            Err(Error::Unencodable { .. })
        ));
    }

    #[test]
    fn cookie() {
        let client = roundtrip(10, b"\x01\x02\x03\x04\x05\x06\x07\x08");
        assert_eq!(
            client,
            OptionData::Cookie(Cookie {
                client: *b"\x01\x02\x03\x04\x05\x06\x07\x08",
                server: None
            })
        );
        roundtrip(10, &[7; 16]);
        roundtrip(10, &[7; 40]);
        for len in [0usize, 7, 9, 15, 41] {
            let o = EdnsOption {
                code: 10,
                data: Bytes::from(vec![1; len]),
            };
            assert_eq!(
                o.typed(),
                Err(Error::BadRdata {
                    offset: 0,
                    rtype: RType::OPT,
                    reason: "cookie not 8 or 16 to 40 octets (RFC 7873 §4)"
                })
            );
        }
    }

    #[test]
    fn padding_extended_error_and_others() {
        assert_eq!(roundtrip(12, b""), OptionData::Padding(Bytes::new()));
        roundtrip(12, b"\x00\x00\x01");
        assert_eq!(
            roundtrip(15, b"\x00\x12blocked by policy"),
            OptionData::ExtendedError(ExtendedError {
                info_code: 18,
                extra_text: "blocked by policy".to_string()
            })
        );
        roundtrip(15, b"\x00\x06");
        assert_eq!(
            opt(15, b"\x00\x06ok\xff").typed(),
            Err(Error::BadRdata {
                offset: 4,
                rtype: RType::OPT,
                reason: "EXTRA-TEXT not UTF-8 (RFC 8914 §2)"
            })
        );
        assert!(opt(15, b"\x00").typed().is_err());
        assert_eq!(opt(3, b"nsid").typed(), Ok(None));
    }
}
