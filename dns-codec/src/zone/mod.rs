//! A zone-file subset (RFC 1035 §5.1) for tests and tools: text to [`Record`]s and back, read
//! as a stream, entry by entry, in memory bounded by the longest entry rather than the file.
//!
//! ```
//! use dns_codec::zone;
//!
//! let text = r#"
//! $ORIGIN example.com.          ; relative names below end in example.com.
//! $TTL 1h                       ; default TTL (RFC 2308 §4), with a BIND unit suffix
//! @        IN  SOA ns1 hostmaster ( 2024010101 ; serial
//!                     2h 1h 2w 5m )            ; parentheses span lines
//!          IN  NS  ns1          ; blank owner: the previous owner
//! ns1  300 IN  A   192.0.2.1    ; TTL and class in either order
//! www  IN 300  TXT "a \"quoted\" string"
//! x        TYPE65280 \# 2 abcd  ; generic type and rdata (RFC 3597 §5)
//! "#;
//! let records = zone::parse(text)?;
//! assert_eq!(records.len(), 5);
//! assert_eq!(
//!     zone::ZoneLine(&records[0]).to_string(),
//!     "example.com. 3600 IN SOA ns1.example.com. hostmaster.example.com. \
//!      2024010101 7200 3600 1209600 300"
//! );
//! assert_eq!(records[1].name.to_string(), "example.com.");
//! assert_eq!(records[2].ttl, 300);
//! assert_eq!(records[3].data.to_string(), r#""a \"quoted\" string""#);
//! assert_eq!(records[4].data.to_string(), r"\# 2 abcd");
//! // What `write` prints reads back the same.
//! assert_eq!(zone::parse(&zone::write(&records))?, records);
//!
//! // An error names the line, the column and the field.
//! let bad = "$ORIGIN example.\n@ 1h SOA ns hostmaster 1 2h 1h 2x 5m\n";
//! assert_eq!(
//!     zone::parse(bad).unwrap_err().to_string(),
//!     "zone file line 2, column 32: SOA expire: \
//!      not seconds, or numbers with units s/m/h/d/w, below 2^32"
//! );
//! # Ok::<(), zone::ZoneError>(())
//! ```
//!
//! What is read:
//! - `$ORIGIN <name>` (the name itself may be relative to the previous origin) and
//!   `$TTL <ttl>` (RFC 2308 §4). `$INCLUDE` and `$GENERATE` are refused: a parser for tests reads
//!   one text and opens no files.
//! - Owner names, absolute (`a.example.`), relative to `$ORIGIN` (`a`), or `@` for the origin; a
//!   line that starts with a blank has the previous record's owner.
//! - `[TTL] [class]` or `[class] [TTL]` before the type. A TTL is seconds, or BIND's unit form
//!   ([`parse_ttl`]): numbers each followed by `s`, `m`, `h`, `d` or `w` (any case), summed
//!   (`1h30m` = 5400, `2w` = 1209600); it must fit 32 bits. Without a TTL a record takes `$TTL`,
//!   else the last TTL written (RFC 1035 §5.1), else it is an error. Without a class a record
//!   takes the last class written, IN at first.
//! - Types by mnemonic or `TYPEnnn`, classes by mnemonic or `CLASSnnn` (RFC 3597 §5). Rdata in
//!   the type's presentation form ([`RData::from_presentation`]) or the generic
//!   `\# len hex` form (RFC 3597 §5); domain names inside the rdata of NS, CNAME, PTR, DNAME,
//!   MX, SOA, SRV, NAPTR, RRSIG, NSEC, SVCB and HTTPS may be relative or `@` too. The SOA
//!   REFRESH, RETRY, EXPIRE and MINIMUM and the RRSIG original TTL take BIND's unit form too,
//!   as BIND reads them.
//! - `( ... )` joins lines, `;` starts a comment to the end of the line, `"quoted strings"` hold
//!   blanks, `;` and parentheses, and `\X` / `\DDD` escape a character anywhere.
//! - The OPT pseudo-type is refused (RFC 6891 §6.1.1: it is never part of zone data).
//!
//! How it is read: a resumable scanner finds where each entry ends (a line end outside
//! parentheses; comments and quoted strings hide parentheses), then the entry alone is
//! tokenized and read ([`ZoneReader`], fed in pieces; [`ZoneParser::read`] over a
//! [`std::io::Read`]; [`parse`] over a whole text, in place). An entry is at most
//! [`ZoneLimits::max_entry_len`] bytes (64 KiB by default). Errors ([`ZoneError`]) carry the
//! line and column (both from 1; the column counts characters) and the byte offset in the text,
//! and name the field whose value is refused. [`write()`] prints records one per line, absolute
//! names, every field written out, so that [`parse`] reads exactly the same records back.

mod entry;
mod error;
mod fields;
mod read;
mod reader;
mod record;
mod scanner;
mod ttl;

use std::fmt;
use std::fmt::Write as _;

pub use error::ZoneError;
pub use read::{ZoneReadError, ZoneRecords};
pub use reader::{ZoneLimits, ZoneParser, ZoneReader};
pub use ttl::parse_ttl;

#[cfg(doc)]
use crate::rdata::RData;
use crate::record::Record;

/// Reads a zone file with no origin and no default TTL set in advance (RFC 1035 §5.1), up to
/// the first error.
pub fn parse(text: &str) -> Result<Vec<Record>, ZoneError> {
    ZoneParser::new().parse(text)
}

/// Writes records as a zone file, one record per line: `owner TTL class type rdata`, names
/// absolute (RFC 1035 §5.1). [`parse`] reads the same records back.
pub fn write(records: &[Record]) -> String {
    let mut out = String::new();
    for r in records {
        // Writing to a String cannot fail.
        let _ = writeln!(out, "{}", ZoneLine(r));
    }
    out
}

/// One record as a zone-file line, without the line end (RFC 1035 §5.1).
#[derive(Debug, Clone, Copy)]
pub struct ZoneLine<'a>(pub &'a Record);

impl fmt::Display for ZoneLine<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let r = self.0;
        write!(
            f,
            "{} {} {} {} {}",
            r.name,
            r.ttl,
            r.class,
            r.rtype(),
            r.data
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::class::Class;
    use crate::name::Name;
    use crate::rdata::RData;
    use crate::rtype::RType;
    use std::net::{Ipv4Addr, Ipv6Addr};

    fn n(text: &str) -> Name {
        text.parse().unwrap()
    }

    fn rdata(rtype: RType, text: &str) -> RData {
        RData::from_presentation(rtype, Class::IN, text).unwrap()
    }

    /// Parses, then checks that the written form parses back equal, byte for byte in names.
    fn parse_checked(text: &str) -> Vec<Record> {
        let records = parse(text).unwrap();
        let written = write(&records);
        let back = parse(&written).unwrap();
        assert_eq!(back, records, "{written}");
        for (a, b) in back.iter().zip(&records) {
            assert!(a.name.eq_exact(&b.name));
        }
        assert_eq!(write(&back), written);
        records
    }

    #[test]
    fn rfc1035_section_5_3_example() {
        // RFC 1035 §5.3, with a TTL added (the RFC's example predates $TTL and has none).
        let text = "\
$ORIGIN ISI.EDU.
$TTL 1d
@   IN  SOA     VENERA      Action\\.domains (
                                 20     ; SERIAL
                                 7200   ; REFRESH
                                 600    ; RETRY
                                 3600000; EXPIRE
                                 60)    ; MINIMUM

        NS      A.ISI.EDU.
        NS      VENERA
        NS      VAXA
        MX      10      VENERA
        MX      20      VAXA

A       A       26.3.0.103

VENERA  A       10.1.0.52
        A       128.9.0.32

VAXA    A       10.2.0.27
        A       128.9.0.33
";
        let records = parse_checked(text);
        assert_eq!(records.len(), 11);
        let soa = &records[0];
        assert_eq!(soa.name, n("ISI.EDU."));
        assert_eq!(soa.ttl, 86_400);
        assert_eq!(
            soa.data.to_string(),
            "VENERA.ISI.EDU. Action\\.domains.ISI.EDU. 20 7200 600 3600000 60"
        );
        assert_eq!(records[2].data, RData::Ns(n("VENERA.ISI.EDU.")));
        assert_eq!(records[4].name, n("ISI.EDU."));
        assert_eq!(records[4].data, rdata(RType::MX, "10 VENERA.ISI.EDU."));
        assert_eq!(records[6].name, n("A.ISI.EDU."));
        assert_eq!(records[8].name, n("VENERA.ISI.EDU."));
        assert_eq!(records[8].data, RData::A(Ipv4Addr::new(128, 9, 0, 32)));
        assert!(records.iter().all(|r| r.class == Class::IN));
    }

    #[test]
    fn ttl_and_class_in_either_order_and_inherited() {
        let text = "\
a.example. 300 IN A 192.0.2.1
b.example. IN 400 A 192.0.2.2
c.example. CH TXT \"x\"
d.example. TXT \"z\"
e.example. 1h30m TXT \"y\"
";
        let records = parse_checked(text);
        let ttls: Vec<u32> = records.iter().map(|r| r.ttl).collect();
        assert_eq!(ttls, [300, 400, 400, 400, 5400]);
        let classes: Vec<Class> = records.iter().map(|r| r.class).collect();
        assert_eq!(
            classes,
            [Class::IN, Class::IN, Class::CH, Class::CH, Class::CH]
        );
        // A in class CH is not an IPv4 address: only the generic form reads it.
        assert!(parse("x. 1 CH A 1.2.3.4").is_err());
        let ch = parse("x. 1 CH A \\# 2 0102").unwrap();
        assert_eq!(ch[0].data.to_string(), "\\# 2 0102");
    }

    #[test]
    fn directives_origin_and_at() {
        let text = "\
$TTL 60
$ORIGIN example.
@ NS ns
$ORIGIN sub          ; relative to the previous origin
@ CNAME @
www CNAME www.other.
";
        let records = parse_checked(text);
        assert_eq!(records[0].name, n("example."));
        assert_eq!(records[0].data, RData::Ns(n("ns.example.")));
        assert_eq!(records[1].name, n("sub.example."));
        assert_eq!(records[1].data, RData::Cname(n("sub.example.")));
        assert_eq!(records[2].name, n("www.sub.example."));
        assert_eq!(records[2].data, RData::Cname(n("www.other.")));
        let with = ZoneParser::new()
            .origin(n("z."))
            .default_ttl(7)
            .parse("a A 192.0.2.1")
            .unwrap();
        assert_eq!(with[0].name, n("a.z."));
        assert_eq!(with[0].ttl, 7);
    }

    #[test]
    fn relative_names_in_rdata() {
        let text = "\
$ORIGIN example.com.
$TTL 300
@ MX 10 mail
_sip._tcp SRV 0 5 5060 sip
n NAPTR 100 10 \"S\" \"SIP+D2U\" \"\" _sip._udp
svc SVCB 1 svc port=53
h HTTPS 0 @
a NSEC b A NSEC
";
        let records = parse_checked(text);
        assert_eq!(records[0].data.to_string(), "10 mail.example.com.");
        assert_eq!(records[1].data.to_string(), "0 5 5060 sip.example.com.");
        assert!(
            records[2]
                .data
                .to_string()
                .ends_with(" _sip._udp.example.com.")
        );
        assert_eq!(records[3].data.to_string(), "1 svc.example.com. port=53");
        assert_eq!(records[4].data.to_string(), "0 example.com.");
        assert_eq!(records[5].data.to_string(), "b.example.com. A NSEC");
    }

    #[test]
    fn quoted_strings_comments_and_escapes() {
        let text = "$TTL 1\nt.example. TXT \"a; (not a comment)\" \"q\\\"q\" ; comment\n\
                    u.example. TXT ( \"multi\"\n  \"line\" )\n\
                    v\\.w.example. TXT x\\;y\n";
        let records = parse_checked(text);
        assert_eq!(
            records[0].data.to_string(),
            "\"a; (not a comment)\" \"q\\\"q\""
        );
        assert_eq!(records[1].data.to_string(), "\"multi\" \"line\"");
        assert_eq!(records[2].name.labels().next(), Some(&b"v.w"[..]));
        assert_eq!(records[2].data.to_string(), "\"x;y\"");
    }

    #[test]
    fn generic_type_and_rdata() {
        let text = "$TTL 1\n\
                    a.example. CLASS32 TYPE731 \\# 6 abcd (\n ef 01 23 45 )\n\
                    b.example. TYPE62347 \\# 0\n\
                    c.example. IN TYPE1 \\# 4 0A000001\n";
        let records = parse_checked(text);
        assert_eq!(records[0].class, Class(32));
        assert_eq!(records[0].rtype(), RType(731));
        assert_eq!(records[0].data.to_string(), "\\# 6 abcdef012345");
        assert_eq!(records[1].data.to_string(), "\\# 0");
        assert_eq!(records[2].data, RData::A(Ipv4Addr::new(10, 0, 0, 1)));
    }

    #[test]
    fn rfc4034_examples() {
        // The zone lines of RFC 4034 §2.3, §3.3, §4.3 and §5.4.
        let text = "\
example.com. 86400 IN DNSKEY 256 3 5 ( AQPSKmynfzW4kyBv015MUG2DeIQ3
                                      Cbl+BBZH4b/0PY1kxkmvHjcZc8no
                                      kfzj31GajIQKY+5CptLr3buXA10h
                                      WqTkF7H6RfoRqXQeogmMHfpftf6z
                                      Mv1LyBUgia7za6ZEzOJBOztyvhjL
                                      742iU/TpPSEDhm2SNKLijfUppn1U
                                      aNvv4w==  )
host.example.com. 86400 IN RRSIG A 5 3 86400 20030322173103 (
                                  20030220173103 2642 example.com.
                                  oJB1W6WNGv+ldvQ3WDG0MQkg5IEhjRip8WTr
                                  PYGv07h108dUKGMeDPKijVCHX3DDKdfb+v6o
                                  B9wfuh3DTJXUAfI/M0zmO/zz8bW0Rznl8O3t
                                  GNazPwQKkRN20XPXV6nwwfoXmJQbsLNrLfkG
                                  J5D6fwFm8nN+6pBzeDQfsS3Ap3o= )
alfa.example.com. 86400 IN NSEC host.example.com. (
                                A MX RRSIG NSEC TYPE1234 )
dskey.example.com. 86400 IN DS 60485 5 1 ( 2BB183AF5F22588179A53B0A
                                           98631FAD1A292118 )
";
        let records = parse_checked(text);
        assert_eq!(records.len(), 4);
        let RData::Rrsig(sig) = &records[1].data else {
            panic!("not an RRSIG");
        };
        assert_eq!(sig.signer_name, n("example.com."));
        assert_eq!(sig.key_tag, 2642);
        assert_eq!(
            records[2].data.to_string(),
            "host.example.com. A MX RRSIG NSEC TYPE1234"
        );
        assert_eq!(
            records[3].data.to_string(),
            "60485 5 1 2BB183AF5F22588179A53B0A98631FAD1A292118"
        );
        // Each also survives the wire.
        for r in &records {
            let mut msg = crate::Message::default();
            msg.answer.push(r.clone());
            let wire = msg.encode().unwrap();
            assert_eq!(crate::Message::decode(&wire).unwrap().answer[0], *r);
        }
    }

    #[test]
    fn rfc5155_examples() {
        // From the example zone of RFC 5155 Appendix A.
        let text = "\
$ORIGIN example.
$TTL 3600
example.       NSEC3PARAM 1 0 12 aabbccdd
0p9mhaveqvm6t7vbl5lop2u3t2rp3tom.example. NSEC3 1 1 12 aabbccdd (
                       2t7b4g4vsa5smi47k61mv5bv1a22bojr MX DNSKEY NS
                       SOA NSEC3PARAM RRSIG )
2vptu5timamqttgl4luu9kg21e0aor3s NSEC3 1 1 12 aabbccdd (
                       35mthgpgcu1qg68fab165klnsnk3dpvl MX RRSIG )
";
        let records = parse_checked(text);
        assert_eq!(records[0].data.to_string(), "1 0 12 AABBCCDD");
        assert_eq!(
            records[2].name,
            n("2vptu5timamqttgl4luu9kg21e0aor3s.example.")
        );
        assert_eq!(
            records[2].data.to_string(),
            "1 1 12 AABBCCDD 35MTHGPGCU1QG68FAB165KLNSNK3DPVL MX RRSIG"
        );
    }

    #[test]
    fn aaaa_and_owner_wildcard() {
        let records = parse_checked("$TTL 5\n*.example. AAAA 2001:db8::1\n");
        assert_eq!(
            records[0].data,
            RData::Aaaa(Ipv6Addr::new(0x2001, 0xdb8, 0, 0, 0, 0, 0, 1))
        );
        assert_eq!(records[0].name.labels().next(), Some(&b"*"[..]));
    }

    #[test]
    fn errors_have_line_and_column() {
        let err = |text: &str| parse(text).unwrap_err();
        let pos = |e: ZoneError| (e.line(), e.column());
        assert_eq!(pos(err("$TTL 1\na. A 1.2.3")), (2, 6));
        assert_eq!(pos(err("$TTL 1\na. A 1.2.3.4 5")), (2, 14));
        assert_eq!(pos(err("$TTL 1\n\na. MX 10 b..c.")), (3, 12));
        assert_eq!(pos(err("a. A 1.2.3.4")), (1, 4)); // no TTL
        assert_eq!(pos(err("$TTL 1\na A 1.2.3.4")), (2, 1)); // relative, no origin
        assert_eq!(pos(err("$TTL 1\n a A 1.2.3.4")), (2, 1)); // blank owner first
        assert_eq!(pos(err("$TTL 1\na. TXT ( \"x\"\n")), (2, 8));
        assert_eq!(pos(err("$TTL 1\na. TXT \"x\" )")), (2, 12));
        assert_eq!(pos(err("$TTL 1\na. TXT \"x")), (2, 8));
        assert_eq!(pos(err("$TTL 1\na. TXT \"x\ny\"")), (2, 8));
        assert_eq!(pos(err("$TTL 1h30\n")), (1, 6));
        assert_eq!(pos(err("$INCLUDE other\n")), (1, 1));
        assert_eq!(pos(err("$FOO x\n")), (1, 1));
        assert_eq!(pos(err("$ORIGIN\n")), (1, 1));
        assert_eq!(pos(err("$TTL 1 2\n")), (1, 8));
        assert_eq!(pos(err("$TTL 1\na. 1 2 A 1.2.3.4")), (2, 6));
        assert_eq!(pos(err("$TTL 1\na. FOO 1.2.3.4")), (2, 4));
        assert_eq!(pos(err("$TTL 1\na.\n")), (2, 1));
        assert_eq!(pos(err("$TTL 1\na. OPT \\# 0")), (2, 4));
        assert_eq!(pos(err("$TTL 1\nä. A 1.2.3.4")), (2, 1));
        assert_eq!(pos(err("$TTL 1\n\"a.\" A 1.2.3.4")), (2, 1));
        assert_eq!(pos(err("$TTL 1\nä. TXT x\\")), (2, 9));
        // Columns count characters, not bytes.
        assert_eq!(pos(err("$TTL 1\na. TXT \"ä\" (")), (2, 12));
        let text = err("$TTL 1\na. A 1.2.3").to_string();
        assert!(text.starts_with("zone file line 2, column 6: "), "{text}");
    }

    #[test]
    fn empty_and_comment_only() {
        assert_eq!(parse("").unwrap(), []);
        assert_eq!(parse("; nothing\n\n   ; more\n").unwrap(), []);
        assert_eq!(write(&[]), "");
    }

    #[test]
    fn crlf_line_ends() {
        let records = parse_checked("$TTL 1\r\na. A 192.0.2.1\r\n  TXT \"x\"\r\n");
        assert_eq!(records.len(), 2);
        assert_eq!(records[1].name, n("a."));
    }

    #[test]
    fn soa_timers_and_rrsig_original_ttl_take_bind_units() {
        let records = parse_checked(
            "$ORIGIN example.\n$TTL 1w2d\n\
             @ SOA ns hostmaster 2024010101 2h 1H30M 2w 5m\n\
             @ RRSIG A 8 1 1d 20240101000000 20231201000000 1 example. AAAA\n",
        );
        assert_eq!(records[0].ttl, 777_600);
        assert_eq!(
            records[0].data.to_string(),
            "ns.example. hostmaster.example. 2024010101 7200 5400 1209600 300"
        );
        let RData::Rrsig(sig) = &records[1].data else {
            panic!("not an RRSIG");
        };
        assert_eq!(sig.original_ttl, 86_400);
        // The serial is a counter, not a timer: no units (RFC 1982).
        let e = parse("$TTL 1\nx. SOA ns. h. 1h 2 3 4 5").unwrap_err();
        assert!(
            matches!(
                e,
                ZoneError::Data {
                    field: "SOA serial",
                    ..
                }
            ),
            "{e:?}"
        );
        assert_eq!((e.line(), e.column()), (2, 15));
    }

    #[test]
    fn errors_name_the_field_without_an_inner_offset() {
        let err = |text: &str| parse(text).unwrap_err();
        let said = |text: &str| {
            let e = err(text);
            let ZoneError::Data { field, .. } = e else {
                panic!("{e:?}");
            };
            let message = e.to_string();
            assert!(!message.contains("byte"), "{message}");
            (field, e.line(), e.column(), message)
        };
        let soa = "$ORIGIN example.\n$TTL 1\n@ SOA ns h ( 1 2h\n  1h x 5m )\n";
        let (field, line, column, message) = said(soa);
        assert_eq!((field, line, column), ("SOA expire", 4, 6));
        assert_eq!(
            message,
            "zone file line 4, column 6: SOA expire: not seconds, or numbers with units \
             s/m/h/d/w, below 2^32"
        );
        // A missing field is named, and placed just after the last one written.
        let (field, line, column, message) = said("$TTL 1\na. SOA ns. h. 1 2 3 4\n");
        assert_eq!((field, line, column), ("SOA minimum", 2, 22));
        assert!(
            message.ends_with("SOA minimum: missing number"),
            "{message}"
        );
        assert_eq!(said("$TTL 1\na. MX 10\n").0, "MX exchange");
        assert_eq!(said("$TTL 1\na. MX x b.\n").0, "MX preference");
        assert_eq!(said("$TTL 1\na. TXT\n").0, "TXT txt-data");
        // Inside a name: the column points at the fault, the message says no offset.
        let (field, _, column, message) = said("$TTL 1\n\na. MX 10 b..c.");
        assert_eq!((field, column), ("MX exchange", 12));
        assert!(message.starts_with("zone file line 3, column 12: MX exchange: "));
        let long = format!("$TTL 1\n{}.a. A 192.0.2.1", "x".repeat(64));
        let (field, _, column, message) = said(&long);
        assert_eq!((field, column), ("owner", 1));
        assert!(message.ends_with("owner: a label of 64 octets, over 63 (RFC 1035 §2.3.4)"));
        assert_eq!(said("$ORIGIN a..b.\n").0, "$ORIGIN");
        assert_eq!(said("$TTL 1\na. A 1.2.3").0, "A address");
        assert_eq!(said("$TTL 1\na. DS 1 2 3 zz").0, "DS digest");
        assert_eq!(said("$TTL 1\na. TYPE999 \\# 2 ab").0, "rdata");
        assert_eq!(said("$TTL 1\na. TYPE999 ab").0, "rdata");
        // The offset is the byte offset in the whole text.
        assert_eq!(err(soa).offset(), 47);
    }

    #[test]
    fn text_that_ends_inside_an_entry_is_incomplete() {
        for (text, at) in [
            ("$TTL 1\na. TXT ( \"x\"\n", (2, 8, 14)),
            ("$TTL 1\na. TXT \"x", (2, 8, 14)),
            ("$TTL 1\na. TXT x\\", (2, 9, 15)),
        ] {
            let e = parse(text).unwrap_err();
            assert!(matches!(e, ZoneError::Incomplete { .. }), "{e:?}");
            assert_eq!((e.line(), e.column(), e.offset()), at, "{text:?}");
        }
        // A line end inside a quote is a syntax error, not the end of the text.
        let e = parse("$TTL 1\na. TXT \"x\ny\"").unwrap_err();
        assert!(matches!(e, ZoneError::Syntax { .. }), "{e:?}");
    }

    #[test]
    fn an_entry_over_the_limit_is_refused_and_skipped() {
        let parser = ZoneParser::new()
            .default_ttl(1)
            .limits(ZoneLimits { max_entry_len: 20 });
        let text = "a. A 192.0.2.1\nb. TXT ( \"twenty-one bytes\"\n \"more\" )\nc. A 192.0.2.3\n";
        let e = parser.parse(text).unwrap_err();
        assert_eq!(
            e,
            ZoneError::EntryTooLong {
                line: 2,
                column: 1,
                offset: 15,
                limit: 20
            }
        );
        // The reader goes on after it, and the entry's bytes were not kept.
        let mut reader = parser.reader();
        reader.feed(text.as_bytes());
        reader.finish();
        let got: Vec<_> = reader.by_ref().collect();
        assert_eq!(got.len(), 3);
        assert_eq!(got[1], Err(e));
        assert_eq!(got[2].as_ref().unwrap().name, n("c."));
        assert_eq!(reader.buffered(), 0);
        // Exactly the limit is fine.
        let twenty = "a. TXT \"0123456789x\"\n";
        assert_eq!(twenty.len(), 21);
        assert!(parser.parse(twenty).is_ok());
        assert_eq!(
            ZoneLimits::default(),
            ZoneLimits {
                max_entry_len: 65_536
            }
        );
    }

    #[test]
    fn the_reader_goes_on_after_an_error() {
        let text = "$TTL 1\n\
                    a. A 192.0.2.1\n\
                    \x20  A 192.0.2\n\
                    \x20  A 192.0.2.2\n\
                    b..bad. A 192.0.2.3\n\
                    \x20  A 192.0.2.4\n\
                    $TTL x\n\
                    c. A 192.0.2.5\n";
        let mut reader = ZoneReader::new();
        reader.feed(text.as_bytes());
        reader.finish();
        let got: Vec<Result<String, (usize, usize)>> = reader
            .map(|r| {
                r.map(|r| ZoneLine(&r).to_string())
                    .map_err(|e| (e.line(), e.column()))
            })
            .collect();
        assert_eq!(
            got,
            [
                Ok("a. 1 IN A 192.0.2.1".to_string()),
                Err((3, 6)),
                Ok("a. 1 IN A 192.0.2.2".to_string()),
                Err((5, 3)),
                // The owner before was refused: a blank owner cannot mean `a.`.
                Err((6, 1)),
                Err((7, 6)),
                Ok("c. 1 IN A 192.0.2.5".to_string()),
            ]
        );
    }

    #[test]
    fn bytes_that_are_not_utf8_are_refused_where_they_are() {
        let mut reader = ZoneParser::new().default_ttl(1).reader();
        reader.feed(b"a. A 192.0.2.1\nb. TXT \"\xff\"\nc. A 192.0.2.3\n");
        reader.finish();
        let got: Vec<_> = reader.collect();
        let e = got[1].as_ref().unwrap_err();
        assert_eq!((e.line(), e.column(), e.offset()), (2, 9, 23));
        assert!(e.to_string().contains("not UTF-8"), "{e}");
        assert!(got[2].is_ok());
        // A comment is no field: any bytes (a Latin-1 one, say) may be in it.
        let mut reader = ZoneParser::new().default_ttl(1).reader();
        reader.feed(b"; Andr\xe9's zone\na. A 192.0.2.1 ; caf\xe9\n");
        reader.finish();
        assert_eq!(reader.map(Result::unwrap).count(), 1);
    }

    #[test]
    fn a_reader_fed_after_finish_ignores_it() {
        let mut reader = ZoneParser::new().default_ttl(1).reader();
        reader.feed(b"a. A 192.0.2.1");
        assert!(reader.next_record().is_none());
        reader.finish();
        reader.feed(b"\nb. A 192.0.2.2\n");
        assert_eq!(reader.next_record().unwrap().unwrap().name, n("a."));
        assert!(reader.next_record().is_none());
        assert!(reader.next_record().is_none());
    }
}
