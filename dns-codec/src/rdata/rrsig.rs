//! RRSIG rdata (RFC 4034 §3.1): the signature over an RRset.
//!
//! ```text
//! |        TYPE COVERED (16)          | ALGORITHM (8) |  LABELS (8)  |
//! |                       ORIGINAL TTL (32)                          |
//! |                   SIGNATURE EXPIRATION (32)                      |
//! |                   SIGNATURE INCEPTION (32)                       |
//! |           KEY TAG (16)            /  SIGNER'S NAME (never compressed)
//! /                        SIGNATURE (the rest)                      /
//! ```
//!
//! The signer's name must not be compressed (RFC 4034 §3.1.7); a compression pointer in it is
//! refused with [`Error::BadRdata`]. The two times print as `YYYYMMDDHHmmSS` in UTC and read
//! from that form or from seconds since the epoch (RFC 4034 §3.2); they are 32-bit serial
//! numbers (RFC 1982), so a printed time lies between 1970 and 2106 and a parsed date past
//! 2106 wraps around, as RFC 4034 §3.1.5 says.

use std::fmt;

use bytes::Bytes;

use crate::cursor::Cursor;
use crate::error::Error;
use crate::name::Name;
use crate::presentation::Token;
use crate::rtype::RType;

/// A signature over the RRset of one type at one owner (RFC 4034 §3.1).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rrsig {
    /// The type of the RRset it signs (RFC 4034 §3.1.1).
    pub type_covered: RType,
    /// The algorithm of the key that made it (RFC 4034 §3.1.2).
    pub algorithm: u8,
    /// The labels of the original owner name, without the root and a wildcard (RFC 4034 §3.1.3).
    pub labels: u8,
    /// The TTL of the RRset as the zone has it (RFC 4034 §3.1.4).
    pub original_ttl: u32,
    /// The end of validity, seconds since 1970 in serial arithmetic (RFC 4034 §3.1.5).
    pub expiration: u32,
    /// The start of validity, seconds since 1970 in serial arithmetic (RFC 4034 §3.1.5).
    pub inception: u32,
    /// The key tag of the signing DNSKEY (RFC 4034 §3.1.6).
    pub key_tag: u16,
    /// The owner of the signing DNSKEY, uncompressed (RFC 4034 §3.1.7).
    pub signer_name: Name,
    /// The signature (RFC 4034 §3.1.8).
    pub signature: Bytes,
}

impl Rrsig {
    pub(crate) fn decode(c: &mut Cursor<'_>) -> Result<Rrsig, Error> {
        Ok(Rrsig {
            type_covered: RType(c.u16("RRSIG type covered")?),
            algorithm: c.u8("RRSIG algorithm")?,
            labels: c.u8("RRSIG labels")?,
            original_ttl: c.u32("RRSIG original TTL")?,
            expiration: c.u32("RRSIG expiration")?,
            inception: c.u32("RRSIG inception")?,
            key_tag: c.u16("RRSIG key tag")?,
            signer_name: super::fields::uncompressed_name(c, RType::RRSIG)?,
            signature: Bytes::copy_from_slice(c.rest()),
        })
    }

    pub(crate) fn encode(&self, msg: &mut Vec<u8>) {
        msg.extend_from_slice(&self.type_covered.0.to_be_bytes());
        msg.extend_from_slice(&[self.algorithm, self.labels]);
        for n in [self.original_ttl, self.expiration, self.inception] {
            msg.extend_from_slice(&n.to_be_bytes());
        }
        msg.extend_from_slice(&self.key_tag.to_be_bytes());
        self.signer_name.encode(msg);
        msg.extend_from_slice(&self.signature);
    }

    pub(crate) fn parse<'a>(
        rest: &mut impl Iterator<Item = &'a Token<'a>>,
    ) -> Result<Rrsig, Error> {
        Ok(Rrsig {
            type_covered: super::fields::parse_rtype(rest)?,
            algorithm: super::number(rest)?,
            labels: super::number(rest)?,
            original_ttl: super::seconds(rest)?,
            expiration: time(rest)?,
            inception: time(rest)?,
            key_tag: super::number(rest)?,
            signer_name: super::name(rest)?,
            signature: super::fields::parse_base64_rest(rest)?,
        })
    }
}

/// Days since 1970-01-01 of a proleptic Gregorian date (the civil calendar of RFC 3339).
fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (month + 9) % 12; // March is 0
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The date of a day count since 1970-01-01: (year, month, day).
fn civil_from_days(days: i64) -> (i64, i64, i64) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    (yoe + era * 400 + i64::from(month <= 2), month, day)
}

/// Writes seconds since 1970 as `YYYYMMDDHHmmSS` in UTC (RFC 4034 §3.2).
fn fmt_time(f: &mut fmt::Formatter<'_>, t: u32) -> fmt::Result {
    let t = i64::from(t);
    let (y, mo, d) = civil_from_days(t / 86_400);
    let s = t % 86_400;
    write!(
        f,
        "{y:04}{mo:02}{d:02}{:02}{:02}{:02}",
        s / 3600,
        s / 60 % 60,
        s % 60
    )
}

/// The next token as a signature time: `YYYYMMDDHHmmSS` in UTC (14 digits, reduced modulo
/// 2^32 as RFC 4034 §3.1.5 counts), or seconds since 1970 as a decimal number (RFC 4034 §3.2).
fn time<'a>(rest: &mut impl Iterator<Item = &'a Token<'a>>) -> Result<u32, Error> {
    let token = super::fields::next(rest, "missing signature time")?;
    let digits = token.raw.as_bytes();
    if token.quoted || digits.is_empty() || !digits.iter().all(u8::is_ascii_digit) {
        return Err(token.error("expected YYYYMMDDHHmmSS or seconds (RFC 4034 §3.2)"));
    }
    if digits.len() != 14 {
        return token
            .raw
            .parse()
            .map_err(|_| token.error("signature time out of range (RFC 4034 §3.2)"));
    }
    let field = |range: std::ops::Range<usize>| -> i64 {
        digits
            .get(range)
            .unwrap_or_default()
            .iter()
            .fold(0, |acc, d| acc * 10 + i64::from(d - b'0'))
    };
    let (y, mo, d, h, mi, s) = (
        field(0..4),
        field(4..6),
        field(6..8),
        field(8..10),
        field(10..12),
        field(12..14),
    );
    let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    let month_days = match mo {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => 0,
    };
    if y < 1970 || d < 1 || d > month_days || h > 23 || mi > 59 || s > 59 {
        return Err(token.error("not a date and time in 1970 or later (RFC 4034 §3.2)"));
    }
    let seconds = days_from_civil(y, mo, d) * 86_400 + h * 3600 + mi * 60 + s;
    Ok((seconds & 0xFFFF_FFFF) as u32)
}

/// `TYPE ALGORITHM LABELS TTL EXPIRATION INCEPTION KEY-TAG SIGNER SIGNATURE`, the times as
/// `YYYYMMDDHHmmSS` and the signature in base64 in one word (RFC 4034 §3.2).
impl fmt::Display for Rrsig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} {} {} {} ",
            self.type_covered, self.algorithm, self.labels, self.original_ttl
        )?;
        fmt_time(f, self.expiration)?;
        f.write_str(" ")?;
        fmt_time(f, self.inception)?;
        write!(f, " {} {}", self.key_tag, self.signer_name)?;
        if !self.signature.is_empty() {
            f.write_str(" ")?;
            super::fields::fmt_base64(f, &self.signature)?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::class::Class;
    use crate::rdata::RData;

    #[test]
    fn rfc4034_example() {
        // RFC 4034 §3.3.
        let signature = "oJB1W6WNGv+ldvQ3WDG0MQkg5IEhjRip8WTrPYGv07h108dUKGMeDPKijVCHX3DDKdfb+v6o\
            B9wfuh3DTJXUAfI/M0zmO/zz8bW0Rznl8O3tGNazPwQKkRN20XPXV6nwwfoXmJQbsLNrLfkG\
            J5D6fwFm8nN+6pBzeDQfsS3Ap3o=";
        let text =
            format!("A 5 3 86400 20030322173103 20030220173103 2642 example.com. {signature}");
        let data = RData::from_presentation(RType::RRSIG, Class::IN, &text).unwrap();
        assert_eq!(data.to_string(), text);
        let RData::Rrsig(sig) = &data else {
            unreachable!()
        };
        // date -u -d '2003-03-22 17:31:03' +%s
        assert_eq!(sig.expiration, 1_048_354_263);
        assert_eq!(sig.inception, 1_045_762_263);
        let mut wire = Vec::new();
        sig.encode(&mut wire);
        assert_eq!(
            &wire[..31],
            b"\x00\x01\x05\x03\x00\x01\x51\x80\x3e\x7c\x9d\xd7\x3e\x55\x10\xd7\x0a\x52\x07example\x03com\x00"
        );
        assert_eq!(RData::from_wire(RType::RRSIG, Class::IN, &wire), Ok(data));
    }

    #[test]
    fn times() {
        let parse = |t: &str| {
            let text = format!("A 8 1 0 {t} 0 1 .");
            match RData::from_presentation(RType::RRSIG, Class::IN, &text)? {
                RData::Rrsig(sig) => Ok(sig.expiration),
                _ => unreachable!(),
            }
        };
        assert_eq!(parse("19700101000000"), Ok(0));
        assert_eq!(parse("21060207062815"), Ok(u32::MAX));
        // Past 2106, serial arithmetic wraps around (RFC 4034 §3.1.5).
        assert_eq!(parse("21060207062816"), Ok(0));
        assert_eq!(parse("20000229000000"), Ok(951_782_400));
        assert_eq!(parse("1048354263"), Ok(1_048_354_263));
        assert_eq!(parse("4294967295"), Ok(u32::MAX));
        let date = Err(Error::Syntax {
            offset: 8,
            reason: "not a date and time in 1970 or later (RFC 4034 §3.2)",
        });
        assert_eq!(parse("19000229000000"), date);
        assert_eq!(parse("20010229000000"), date);
        assert_eq!(parse("20010230000000"), date);
        assert_eq!(parse("19691231235959"), date);
        assert_eq!(parse("20011301000000"), date);
        assert_eq!(parse("20010101240000"), date);
        assert_eq!(
            parse("4294967296"),
            Err(Error::Syntax {
                offset: 8,
                reason: "signature time out of range (RFC 4034 §3.2)"
            })
        );
        assert!(parse("2003-03-22").is_err());
        let sig = Rrsig {
            type_covered: RType(1234),
            algorithm: 8,
            labels: 0,
            original_ttl: 0,
            expiration: u32::MAX,
            inception: 0,
            key_tag: 0,
            signer_name: Name::root(),
            signature: Bytes::new(),
        };
        assert_eq!(
            sig.to_string(),
            "TYPE1234 8 0 0 21060207062815 19700101000000 0 ."
        );
    }

    #[test]
    fn invalid() {
        let mut wire =
            b"\x00\x01\x05\x03\x00\x01\x51\x80\x3e\x7c\x9d\xd7\x3e\x55\x10\xd7\x0a\x52".to_vec();
        wire.extend_from_slice(b"\x01a\xc0\x00");
        assert_eq!(
            RData::from_wire(RType::RRSIG, Class::IN, &wire),
            Err(Error::BadRdata {
                offset: 20,
                rtype: RType::RRSIG,
                reason: "compression pointer in a name of a type RFC 3597 §4 forbids to compress"
            })
        );
        assert_eq!(
            RData::from_wire(RType::RRSIG, Class::IN, &wire[..17]),
            Err(Error::RdLengthShort {
                offset: 0,
                rtype: RType::RRSIG,
                rdlength: 17
            })
        );
        assert_eq!(
            RData::from_presentation(RType::RRSIG, Class::IN, "BOGUS 5 3 0 0 0 0 ."),
            Err(Error::Syntax {
                offset: 0,
                reason: "unknown type mnemonic (RFC 3597 §5: write TYPE and the number)"
            })
        );
    }
}
