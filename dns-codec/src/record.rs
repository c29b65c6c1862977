//! Resource records (RFC 1035 §4.1.3).
//!
//! ```text
//! /                     NAME                      /
//! |                     TYPE                      |
//! |                     CLASS                     |
//! |                      TTL                      |   32 bits
//! |                   RDLENGTH                    |
//! /                     RDATA                     /   RDLENGTH octets, exactly
//! ```
//!
//! RDLENGTH must be exactly the length of the rdata its type defines: shorter is
//! [`Error::RdLengthShort`], longer is [`Error::RdLengthLong`]. Names inside rdata may point
//! back into the message but may not read past the RDLENGTH.

use std::fmt;
use std::str::FromStr;

use crate::class::Class;
use crate::compress::Compressor;
use crate::cursor::Cursor;
use crate::error::Error;
use crate::name::Name;
use crate::rdata::RData;
use crate::rtype::RType;

/// One resource record (RFC 1035 §4.1.3). The type is the rdata's ([`Record::rtype`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Record {
    /// NAME: the owner.
    pub name: Name,
    /// CLASS.
    pub class: Class,
    /// TTL in seconds (RFC 2181 §8: values above 2^31 - 1 are to be read as 0 by a cache; the
    /// codec keeps what was sent).
    pub ttl: u32,
    /// RDATA, with its type.
    pub data: RData,
}

/// The record as one zone-file line (RFC 1035 §5.1): `owner TTL class type rdata`, absolute
/// names, every field written out, which [`Record::from_str`] reads back.
///
/// ```
/// use dns_codec::Record;
/// let record: Record = "www.example.com. 300 IN A 192.0.2.1".parse()?;
/// assert_eq!(record.to_string(), "www.example.com. 300 IN A 192.0.2.1");
/// assert!(record.name == "WWW.example.com.");
/// let mx: Record = "example.com. 1h MX 10 mail.example.com.".parse()?; // BIND units, class IN
/// assert_eq!(mx.to_string(), "example.com. 3600 IN MX 10 mail.example.com.");
/// # Ok::<(), dns_codec::zone::ZoneError>(())
/// ```
impl fmt::Display for Record {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} {} {} {} {}",
            self.name,
            self.ttl,
            self.class,
            self.rtype(),
            self.data
        )
    }
}

/// One zone-file line (RFC 1035 §5.1) read by the zone-file parser: an absolute owner, a TTL
/// (no `$TTL` to fall back on), optionally the class, the type and the rdata. Text that holds
/// no record, or more than one, is an error.
impl FromStr for Record {
    type Err = crate::zone::ZoneError;

    fn from_str(line: &str) -> Result<Record, crate::zone::ZoneError> {
        let mut records = crate::zone::parse(line)?;
        match (records.pop(), records.is_empty()) {
            (Some(record), true) => Ok(record),
            _ => Err(crate::zone::ZoneError::Syntax {
                line: 1,
                column: 1,
                offset: 0,
                reason: "one record was expected: a single zone-file line",
            }),
        }
    }
}

/// A record as read off the wire: either an ordinary record or the OPT pseudo-record, whose
/// fields mean something else (RFC 6891 §6.1.2) and which the message turns into
/// [`crate::Edns`].
#[derive(Debug)]
pub(crate) enum Decoded<'a> {
    /// An ordinary record.
    Record(Record),
    /// An OPT record: where it starts, its owner, CLASS, TTL, and rdata with its offset.
    Opt {
        offset: usize,
        owner: Name,
        class: u16,
        ttl: u32,
        rdata: &'a [u8],
        rdata_offset: usize,
    },
}

impl Record {
    /// A record of `data` for `name` in class IN.
    pub fn new(name: Name, ttl: u32, data: RData) -> Record {
        Record {
            name,
            class: Class::IN,
            ttl,
            data,
        }
    }

    /// TYPE, from the rdata.
    pub fn rtype(&self) -> RType {
        self.data.rtype()
    }

    pub(crate) fn decode<'a>(c: &mut Cursor<'a>) -> Result<Decoded<'a>, Error> {
        let offset = c.pos();
        let name = Name::decode(c)?;
        // The four fixed fields in one bounds check; a record cut short inside them goes the
        // field-by-field way, which names the field in its error.
        let (rtype, class, ttl, rdlength_offset, rdlength) = match c.array::<10>("TYPE") {
            Ok([t0, t1, c0, c1, l0, l1, l2, l3, r0, r1]) => (
                RType(u16::from_be_bytes([t0, t1])),
                u16::from_be_bytes([c0, c1]),
                u32::from_be_bytes([l0, l1, l2, l3]),
                c.offset() - 2,
                u16::from_be_bytes([r0, r1]),
            ),
            Err(_) => {
                let rtype = RType(c.u16("TYPE")?);
                let class = c.u16("CLASS")?;
                let ttl = c.u32("TTL")?;
                let rdlength_offset = c.offset();
                (rtype, class, ttl, rdlength_offset, c.u16("RDLENGTH")?)
            }
        };
        let start = c.pos();
        if c.remaining() < usize::from(rdlength) {
            return Err(Error::Truncated {
                offset: start as u64,
                inside: "rdata",
            });
        }
        let end = start + usize::from(rdlength);
        if rtype == RType::OPT {
            let rdata = c.bytes(usize::from(rdlength), "rdata")?;
            return Ok(Decoded::Opt {
                offset,
                owner: name,
                class,
                ttl,
                rdata,
                rdata_offset: start,
            });
        }
        let class = Class(class);
        let mut inner = c.limited(end);
        let data = match RData::decode(rtype, class, &mut inner) {
            Ok(data) => data,
            Err(Error::Truncated { .. }) => {
                return Err(Error::RdLengthShort {
                    offset: rdlength_offset,
                    rtype,
                    rdlength,
                });
            }
            Err(e) => return Err(e),
        };
        if inner.pos() != end {
            return Err(Error::RdLengthLong {
                offset: rdlength_offset,
                rtype,
                rdlength,
                used: inner.pos() - start,
            });
        }
        c.join(&inner);
        Ok(Decoded::Record(Record {
            name,
            class,
            ttl,
            data,
        }))
    }

    pub(crate) fn encode(
        &self,
        msg: &mut Vec<u8>,
        compressor: &mut Compressor,
    ) -> Result<(), Error> {
        compressor.write(&self.name, msg);
        let [t0, t1] = self.rtype().0.to_be_bytes();
        let [c0, c1] = self.class.0.to_be_bytes();
        let [l0, l1, l2, l3] = self.ttl.to_be_bytes();
        // TYPE, CLASS, TTL and room for RDLENGTH in one write.
        msg.extend_from_slice(&[t0, t1, c0, c1, l0, l1, l2, l3, 0, 0]);
        let rdlength_at = msg.len() - 2;
        self.data.encode(self.class, msg, compressor)?;
        let rdlength = msg.len() - rdlength_at - 2;
        let Ok(rdlength) = u16::try_from(rdlength) else {
            return Err(Error::Unencodable {
                offset: rdlength_at as u64,
                reason: "rdata over 65535 octets (RFC 1035 §4.1.3)",
            });
        };
        if let Some(field) = msg.get_mut(rdlength_at..rdlength_at + 2) {
            field.copy_from_slice(&rdlength.to_be_bytes());
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_zone_line_reads_back_what_display_writes() {
        for line in [
            "example.com. 3600 IN SOA ns1.example.com. hostmaster.example.com. 1 7200 3600 1209600 300",
            r#"t.example. 60 IN TXT "a \"quoted\" string" "two""#,
            "x.example. 0 CH TYPE65280 \\# 2 abcd",
        ] {
            let record: Record = line.parse().unwrap();
            assert_eq!(record.to_string().parse::<Record>().unwrap(), record);
        }
    }

    #[test]
    fn anything_but_one_record_is_refused() {
        assert!("".parse::<Record>().is_err());
        assert!(
            "a.example. 1 A 192.0.2.1\nb.example. 1 A 192.0.2.2"
                .parse::<Record>()
                .is_err()
        );
        // No $TTL to fall back on, and no origin for a relative owner.
        assert!("a.example. A 192.0.2.1".parse::<Record>().is_err());
        assert!("www 300 A 192.0.2.1".parse::<Record>().is_err());
    }
}
