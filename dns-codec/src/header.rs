//! The message header (RFC 1035 §4.1.1, with AD and CD from RFC 4035 §3.2 and the extended
//! RCODE of RFC 6891 §6.1.3).
//!
//! ```text
//!                                 1  1  1  1  1  1
//!   0  1  2  3  4  5  6  7  8  9  0  1  2  3  4  5
//! +--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+
//! |                      ID                       |
//! +--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+
//! |QR|   Opcode  |AA|TC|RD|RA| Z|AD|CD|   RCODE   |
//! +--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+
//! |                    QDCOUNT                    |
//! |                    ANCOUNT                    |
//! |                    NSCOUNT                    |
//! |                    ARCOUNT                    |
//! +--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+
//! ```

use std::fmt;
use std::str::FromStr;

use crate::cursor::Cursor;
use crate::error::Error;

/// The length of the header on the wire.
pub const HEADER_LEN: usize = 12;

/// The header's ID and flags (RFC 1035 §4.1.1). The four counts are not kept: a [`crate::Message`]
/// has its sections, and the encoder writes their lengths.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Header {
    /// ID: copied from a query into its response.
    pub id: u16,
    /// QR: this is a response.
    pub qr: bool,
    /// OPCODE: the kind of query.
    pub opcode: Opcode,
    /// AA: authoritative answer.
    pub aa: bool,
    /// TC: truncated (RFC 1035 §4.1.1, RFC 7766 §5: retry over TCP).
    pub tc: bool,
    /// RD: recursion desired.
    pub rd: bool,
    /// RA: recursion available.
    pub ra: bool,
    /// Z: reserved, must be zero (RFC 1035 §4.1.1); kept as read so a message is written back
    /// byte for byte.
    pub z: bool,
    /// AD: authentic data (RFC 4035 §3.2.3, RFC 6840 §5.7).
    pub ad: bool,
    /// CD: checking disabled (RFC 4035 §3.2.2).
    pub cd: bool,
    /// RCODE, the full 12-bit value: the header holds its low 4 bits and the OPT record its
    /// high 8 (RFC 6891 §6.1.3). A [`crate::Message`] with an RCODE above 15 needs EDNS.
    pub rcode: Rcode,
}

/// The four section counts of the header (RFC 1035 §4.1.1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Counts {
    /// QDCOUNT: entries in the question section.
    pub qdcount: u16,
    /// ANCOUNT: records in the answer section.
    pub ancount: u16,
    /// NSCOUNT: records in the authority section.
    pub nscount: u16,
    /// ARCOUNT: records in the additional section.
    pub arcount: u16,
}

impl Header {
    /// Reads the 12-byte header; `rcode` is the low 4 bits only (the message adds the OPT's).
    pub(crate) fn decode(c: &mut Cursor<'_>) -> Result<(Header, Counts), Error> {
        let Ok(bytes) = c.bytes(HEADER_LEN, "header") else {
            return Err(Error::Truncated {
                offset: 0,
                inside: "header",
            });
        };
        let word = |i: usize| {
            u16::from_be_bytes([
                bytes.get(i).copied().unwrap_or(0),
                bytes.get(i + 1).copied().unwrap_or(0),
            ])
        };
        let header = Header::from_flags(word(0), word(2));
        let counts = Counts {
            qdcount: word(4),
            ancount: word(6),
            nscount: word(8),
            arcount: word(10),
        };
        Ok((header, counts))
    }

    /// The header of ID `id` and the 16-bit flags word `flags` (RFC 1035 §4.1.1; AD and CD
    /// from RFC 4035 §3.2): the inverse of [`Header::flags`]. The RCODE gets the word's 4 bits
    /// only; the high 8 bits of an extended RCODE come from the OPT record (RFC 6891 §6.1.3).
    pub fn from_flags(id: u16, flags: u16) -> Header {
        let bit = |n: u16| flags & (1 << n) != 0;
        Header {
            id,
            qr: bit(15),
            opcode: Opcode(((flags >> 11) & 0xF) as u8),
            aa: bit(10),
            tc: bit(9),
            rd: bit(8),
            ra: bit(7),
            z: bit(6),
            ad: bit(5),
            cd: bit(4),
            rcode: Rcode(flags & 0xF),
        }
    }

    /// The 16-bit flags word with the low 4 bits of the RCODE.
    pub fn flags(&self) -> u16 {
        let bit = |on: bool, n: u16| u16::from(on) << n;
        bit(self.qr, 15)
            | (u16::from(self.opcode.0 & 0xF) << 11)
            | bit(self.aa, 10)
            | bit(self.tc, 9)
            | bit(self.rd, 8)
            | bit(self.ra, 7)
            | bit(self.z, 6)
            | bit(self.ad, 5)
            | bit(self.cd, 4)
            | (self.rcode.0 & 0xF)
    }

    /// Appends the 12-byte header with `counts`.
    pub fn encode(&self, counts: Counts, dst: &mut Vec<u8>) {
        for word in [
            self.id,
            self.flags(),
            counts.qdcount,
            counts.ancount,
            counts.nscount,
            counts.arcount,
        ] {
            dst.extend_from_slice(&word.to_be_bytes());
        }
    }
}

/// OPCODE, 4 bits (RFC 1035 §4.1.1, IANA "DNS OpCodes"). Values above 15 cannot be encoded; the
/// encoder refuses them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct Opcode(pub u8);

const OPCODES: &[(u8, &str)] = &[
    (0, "QUERY"),
    (1, "IQUERY"),
    (2, "STATUS"),
    (4, "NOTIFY"),
    (5, "UPDATE"),
    (6, "DSO"),
];

impl Opcode {
    /// A standard query (RFC 1035 §4.1.1).
    pub const QUERY: Opcode = Opcode(0);
    /// NOTIFY (RFC 1996).
    pub const NOTIFY: Opcode = Opcode(4);
    /// UPDATE (RFC 2136).
    pub const UPDATE: Opcode = Opcode(5);
}

/// The mnemonic, or `OPCODE` and the decimal value.
impl fmt::Display for Opcode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match OPCODES.iter().find(|(v, _)| *v == self.0) {
            Some((_, name)) => f.write_str(name),
            None => write!(f, "OPCODE{}", self.0),
        }
    }
}

/// A mnemonic (any case), or `OPCODE` and a decimal value up to 15.
impl FromStr for Opcode {
    type Err = Error;

    fn from_str(text: &str) -> Result<Opcode, Error> {
        if let Some((v, _)) = OPCODES.iter().find(|(_, n)| n.eq_ignore_ascii_case(text)) {
            return Ok(Opcode(*v));
        }
        crate::rtype::generic_number(text, "OPCODE")
            .filter(|v| *v <= 15)
            .map(|v| Opcode(v as u8))
            .ok_or(Error::Syntax {
                offset: 0,
                reason: "unknown OPCODE (write OPCODE and a number up to 15)",
            })
    }
}

/// RCODE, 12 bits with EDNS (RFC 1035 §4.1.1, RFC 6891 §6.1.3, IANA "DNS RCODEs").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct Rcode(pub u16);

const RCODES: &[(u16, &str)] = &[
    (0, "NOERROR"),
    (1, "FORMERR"),
    (2, "SERVFAIL"),
    (3, "NXDOMAIN"),
    (4, "NOTIMP"),
    (5, "REFUSED"),
    (6, "YXDOMAIN"),
    (7, "YXRRSET"),
    (8, "NXRRSET"),
    (9, "NOTAUTH"),
    (10, "NOTZONE"),
    (11, "DSOTYPENI"),
    (16, "BADVERS"),
    (17, "BADKEY"),
    (18, "BADTIME"),
    (19, "BADMODE"),
    (20, "BADNAME"),
    (21, "BADALG"),
    (22, "BADTRUNC"),
    (23, "BADCOOKIE"),
];

impl Rcode {
    /// No error.
    pub const NOERROR: Rcode = Rcode(0);
    /// Format error: the server could not read the query.
    pub const FORMERR: Rcode = Rcode(1);
    /// Server failure.
    pub const SERVFAIL: Rcode = Rcode(2);
    /// The name does not exist.
    pub const NXDOMAIN: Rcode = Rcode(3);
    /// Not implemented.
    pub const NOTIMP: Rcode = Rcode(4);
    /// Refused.
    pub const REFUSED: Rcode = Rcode(5);
    /// Bad OPT version (RFC 6891 §6.1.3).
    pub const BADVERS: Rcode = Rcode(16);
    /// The largest value: 12 bits.
    pub const MAX: u16 = 0xFFF;
}

/// The mnemonic, or `RCODE` and the decimal value.
impl fmt::Display for Rcode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match RCODES.iter().find(|(v, _)| *v == self.0) {
            Some((_, name)) => f.write_str(name),
            None => write!(f, "RCODE{}", self.0),
        }
    }
}

/// A mnemonic (any case), or `RCODE` and a decimal value up to 4095.
impl FromStr for Rcode {
    type Err = Error;

    fn from_str(text: &str) -> Result<Rcode, Error> {
        if let Some((v, _)) = RCODES.iter().find(|(_, n)| n.eq_ignore_ascii_case(text)) {
            return Ok(Rcode(*v));
        }
        crate::rtype::generic_number(text, "RCODE")
            .filter(|v| *v <= Rcode::MAX)
            .map(Rcode)
            .ok_or(Error::Syntax {
                offset: 0,
                reason: "unknown RCODE (write RCODE and a number up to 4095)",
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Limits;

    #[test]
    fn every_flag_has_its_bit() {
        let header = Header {
            id: 0x1234,
            qr: true,
            opcode: Opcode(0xF),
            aa: true,
            tc: true,
            rd: true,
            ra: true,
            z: true,
            ad: true,
            cd: true,
            rcode: Rcode(0xF),
        };
        assert_eq!(header.flags(), 0xFFFF);
        let counts = Counts {
            qdcount: 1,
            ancount: 2,
            nscount: 3,
            arcount: 4,
        };
        let mut out = Vec::new();
        header.encode(counts, &mut out);
        assert_eq!(out, b"\x12\x34\xff\xff\x00\x01\x00\x02\x00\x03\x00\x04");
        let mut c = Cursor::new(&out, &Limits::default());
        assert_eq!(Header::decode(&mut c), Ok((header, counts)));
        for n in 0..16 {
            let flags = 1u16 << n;
            let bytes = [
                0,
                0,
                (flags >> 8) as u8,
                flags as u8,
                0,
                0,
                0,
                0,
                0,
                0,
                0,
                0,
            ];
            let mut c = Cursor::new(&bytes, &Limits::default());
            let (h, _) = Header::decode(&mut c).unwrap();
            assert_eq!(h.flags(), flags, "bit {n}");
        }
    }

    #[test]
    fn short_header_is_truncated_at_zero() {
        let mut c = Cursor::new(&[0; 11], &Limits::default());
        assert_eq!(
            Header::decode(&mut c),
            Err(Error::Truncated {
                offset: 0,
                inside: "header"
            })
        );
    }

    #[test]
    fn mnemonics() {
        assert_eq!(Rcode(16).to_string(), "BADVERS");
        assert_eq!(Rcode(4000).to_string(), "RCODE4000");
        assert_eq!("nxdomain".parse::<Rcode>(), Ok(Rcode::NXDOMAIN));
        assert_eq!("RCODE4095".parse::<Rcode>(), Ok(Rcode(4095)));
        assert!("RCODE4096".parse::<Rcode>().is_err());
        assert_eq!(Opcode(3).to_string(), "OPCODE3");
        assert_eq!("OPCODE3".parse::<Opcode>(), Ok(Opcode(3)));
        assert_eq!("update".parse::<Opcode>(), Ok(Opcode::UPDATE));
        assert!("OPCODE16".parse::<Opcode>().is_err());
    }
}
