//! EDNS(0): the OPT pseudo-record (RFC 6891 §6).
//!
//! ```text
//! NAME      the root                      TYPE   OPT (41)
//! CLASS     requestor's UDP payload size  TTL    EXTENDED-RCODE(8) VERSION(8) DO(1) Z(15)
//! RDATA     { OPTION-CODE(16) OPTION-LENGTH(16) OPTION-DATA }*
//! ```
//!
//! A message has at most one OPT record, in the additional section, owned by the root
//! (RFC 6891 §6.1.1-2); the decoder refuses anything else. Options keep their order and their
//! duplicates, since a cookie or a signature depends on the exact bytes.

use bytes::Bytes;

use crate::error::Error;
use crate::rtype::RType;

/// The EDNS information of a message, carried by its OPT record (RFC 6891 §6.1). The high 8
/// bits of the RCODE live here on the wire but in [`crate::Header::rcode`] in this type.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Edns {
    /// The requestor's UDP payload size (RFC 6891 §6.2.3); values below 512 are to be read as
    /// 512 by a responder, the codec keeps what was sent.
    pub udp_payload_size: u16,
    /// VERSION (RFC 6891 §6.1.3): 0 today.
    pub version: u8,
    /// DO: DNSSEC OK (RFC 3225 §3).
    pub dnssec_ok: bool,
    /// Z: the other 15 flag bits, reserved (RFC 6891 §6.1.4); kept as read so a message is
    /// written back byte for byte.
    pub z: u16,
    /// The options, in order, duplicates kept (RFC 6891 §6.1.2).
    pub options: Vec<EdnsOption>,
}

impl Default for Edns {
    /// Version 0, a payload size of 1232 (the DNS Flag Day 2020 value), no flags, no options.
    fn default() -> Self {
        Edns {
            udp_payload_size: 1232,
            version: 0,
            dnssec_ok: false,
            z: 0,
            options: Vec::new(),
        }
    }
}

/// One EDNS option (RFC 6891 §6.1.2), its data opaque.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EdnsOption {
    /// OPTION-CODE (IANA "DNS EDNS0 Option Codes": 10 is COOKIE, 12 is Padding, ...).
    pub code: u16,
    /// OPTION-DATA.
    pub data: Bytes,
}

impl Edns {
    /// The EDNS of an OPT record with `class` and `ttl` and `rdata` starting at `rdata_offset`;
    /// returns it with the high 8 bits of the RCODE.
    pub(crate) fn decode(
        class: u16,
        ttl: u32,
        rdata: &[u8],
        rdata_offset: usize,
    ) -> Result<(Edns, u8), Error> {
        let [rcode_high, version, flags_high, flags_low] = ttl.to_be_bytes();
        let flags = u16::from_be_bytes([flags_high, flags_low]);
        let mut options = Vec::with_capacity(rdata.len() / 4);
        let mut at = 0usize;
        while at < rdata.len() {
            let header = rdata.get(at..at + 4).ok_or(Error::BadRdata {
                offset: (rdata_offset + at) as u64,
                rtype: RType::OPT,
                reason: "option header cut by the RDLENGTH (RFC 6891 §6.1.2)",
            })?;
            let (code, len) = match header {
                [a, b, c, d] => (
                    u16::from_be_bytes([*a, *b]),
                    usize::from(u16::from_be_bytes([*c, *d])),
                ),
                _ => (0, 0),
            };
            let data = rdata.get(at + 4..at + 4 + len).ok_or(Error::BadRdata {
                offset: (rdata_offset + at) as u64,
                rtype: RType::OPT,
                reason: "OPTION-LENGTH runs past the RDLENGTH (RFC 6891 §6.1.2)",
            })?;
            options.push(EdnsOption {
                code,
                data: Bytes::copy_from_slice(data),
            });
            at += 4 + len;
        }
        let edns = Edns {
            udp_payload_size: class,
            version,
            dnssec_ok: flags & 0x8000 != 0,
            z: flags & 0x7FFF,
            options,
        };
        Ok((edns, rcode_high))
    }

    /// Appends the OPT record with the high 8 bits of `rcode`.
    pub(crate) fn encode(&self, rcode: u16, msg: &mut Vec<u8>) -> Result<(), Error> {
        let start = msg.len();
        msg.push(0);
        msg.extend_from_slice(&RType::OPT.0.to_be_bytes());
        msg.extend_from_slice(&self.udp_payload_size.to_be_bytes());
        let flags = (u16::from(self.dnssec_ok) << 15) | (self.z & 0x7FFF);
        msg.push((rcode >> 4) as u8);
        msg.push(self.version);
        msg.extend_from_slice(&flags.to_be_bytes());
        let rdlength: usize = self.options.iter().map(|o| 4 + o.data.len()).sum();
        let (Ok(rdlength), true) = (
            u16::try_from(rdlength),
            self.options
                .iter()
                .all(|o| o.data.len() <= usize::from(u16::MAX)),
        ) else {
            msg.truncate(start);
            return Err(Error::Unencodable {
                offset: start as u64,
                reason: "EDNS options over 65535 octets (RFC 6891 §6.1.2)",
            });
        };
        msg.extend_from_slice(&rdlength.to_be_bytes());
        for o in &self.options {
            msg.extend_from_slice(&o.code.to_be_bytes());
            msg.extend_from_slice(&(o.data.len() as u16).to_be_bytes());
            msg.extend_from_slice(&o.data);
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_and_options_in_order_with_duplicates() {
        let edns = Edns {
            udp_payload_size: 4096,
            version: 0,
            dnssec_ok: true,
            z: 0,
            options: vec![
                EdnsOption {
                    code: 10,
                    data: Bytes::from_static(b"\x00\x11\x22\x33\x44\x55\x66\x77"),
                },
                EdnsOption {
                    code: 12,
                    data: Bytes::new(),
                },
                EdnsOption {
                    code: 10,
                    data: Bytes::from_static(b"\x01"),
                },
            ],
        };
        let mut out = Vec::new();
        edns.encode(0x123, &mut out).unwrap();
        assert_eq!(&out[..11], b"\x00\x00\x29\x10\x00\x12\x00\x80\x00\x00\x15");
        let (back, high) = Edns::decode(4096, 0x1200_8000, &out[11..], 11).unwrap();
        assert_eq!(back, edns);
        assert_eq!(high, 0x12);
    }

    #[test]
    fn options_cut_by_the_rdlength() {
        assert_eq!(
            Edns::decode(512, 0, b"\x00\x0a\x00", 20),
            Err(Error::BadRdata {
                offset: 20,
                rtype: RType::OPT,
                reason: "option header cut by the RDLENGTH (RFC 6891 §6.1.2)"
            })
        );
        assert!(matches!(
            Edns::decode(512, 0, b"\x00\x0a\x00\x02\x01", 20),
            Err(Error::BadRdata { offset: 20, .. })
        ));
    }
}
