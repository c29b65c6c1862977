//! Whole DNS messages (RFC 1035 §4.1): header, question, answer, authority, additional.
//!
//! [`Message::decode`] reads a complete message into owned types. The counts in the header
//! never allocate on their own: each section reserves at most what the remaining bytes could
//! hold (a question takes at least 5 octets, a record at least 11), so a 12-byte message
//! claiming 65535 answers fails on its first missing answer having reserved nothing. Bytes
//! after the last counted record are an error.
//!
//! [`Message::encode`] writes a message with name compression (a bounded suffix table, linear in the names) and the OPT
//! record built from [`Message::edns`].

use std::fmt;

use crate::compress::Compressor;
use crate::cursor::Cursor;
use crate::edns::Edns;
use crate::error::Error;
use crate::header::{Counts, HEADER_LEN, Header, Rcode};
use crate::leniency::Leniency;
use crate::limits::Limits;
use crate::question::Question;
use crate::record::{Decoded, Record};
use crate::rtype::RType;

/// The smallest question: the root name and QTYPE and QCLASS.
const MIN_QUESTION: usize = 5;
/// The smallest record: the root name, TYPE, CLASS, TTL and RDLENGTH.
const MIN_RECORD: usize = 11;
/// The largest message: what a 16-bit length prefix or a UDP datagram can carry.
const MAX_MESSAGE: usize = 65535;

/// A DNS message (RFC 1035 §4.1).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Message {
    /// ID, flags and the full RCODE.
    pub header: Header,
    /// The question section.
    pub question: Vec<Question>,
    /// The answer section.
    pub answer: Vec<Record>,
    /// The authority section.
    pub authority: Vec<Record>,
    /// The additional section, without the OPT record.
    pub additional: Vec<Record>,
    /// The OPT record (RFC 6891 §6), if the message has one.
    pub edns: Option<Edns>,
}

/// The message as dig prints it: the header (opcode, status, id, flags, counts), the EDNS
/// pseudo-section, then each section with one record per line in presentation format
/// (RFC 1035 §5.1). For people and logs; [`Message::encode`] gives the wire form.
///
/// ```
/// use dns_codec::builder::QueryBuilder;
/// use dns_codec::{Message, RData, RType, Record};
///
/// let query = QueryBuilder::new("example.com.".parse()?, RType::A).id(7).build();
/// let mut response = Message::response_to(&query);
/// response.answer.push(Record::new("example.com.".parse()?, 60, RData::A([192, 0, 2, 1].into())));
/// let text = response.to_string();
/// assert!(text.starts_with(";; ->>HEADER<<- opcode: QUERY, status: NOERROR, id: 7\n"));
/// assert!(text.contains(";; ANSWER SECTION:\nexample.com. 60 IN A 192.0.2.1\n"));
/// # Ok::<(), dns_codec::Error>(())
/// ```
impl fmt::Display for Message {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let h = &self.header;
        writeln!(
            f,
            ";; ->>HEADER<<- opcode: {}, status: {}, id: {}",
            h.opcode, h.rcode, h.id
        )?;
        let flags = [
            (h.qr, "qr"),
            (h.aa, "aa"),
            (h.tc, "tc"),
            (h.rd, "rd"),
            (h.ra, "ra"),
            (h.ad, "ad"),
            (h.cd, "cd"),
        ];
        f.write_str(";; flags:")?;
        for (_, name) in flags.iter().filter(|(set, _)| *set) {
            write!(f, " {name}")?;
        }
        writeln!(
            f,
            "; QUERY: {}, ANSWER: {}, AUTHORITY: {}, ADDITIONAL: {}",
            self.question.len(),
            self.answer.len(),
            self.authority.len(),
            self.additional.len() + usize::from(self.edns.is_some())
        )?;
        if let Some(edns) = &self.edns {
            write!(
                f,
                "\n;; OPT PSEUDOSECTION:\n; EDNS: version: {}, flags:{}; udp: {}\n",
                edns.version,
                if edns.dnssec_ok { " do" } else { "" },
                edns.udp_payload_size
            )?;
            for option in &edns.options {
                write!(f, "; OPTION {}: ", option.code)?;
                for b in option.data.iter() {
                    write!(f, "{b:02x}")?;
                }
                writeln!(f)?;
            }
        }
        if !self.question.is_empty() {
            f.write_str("\n;; QUESTION SECTION:\n")?;
            for q in &self.question {
                writeln!(f, ";{q}")?;
            }
        }
        for (name, records) in [
            ("ANSWER", &self.answer),
            ("AUTHORITY", &self.authority),
            ("ADDITIONAL", &self.additional),
        ] {
            if !records.is_empty() {
                write!(f, "\n;; {name} SECTION:\n")?;
                for r in records {
                    writeln!(f, "{r}")?;
                }
            }
        }
        Ok(())
    }
}

/// Which section a record is read from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Section {
    Answer,
    Authority,
    Additional,
}

impl Message {
    /// Decodes one complete message with the default [`Limits`].
    pub fn decode(bytes: &[u8]) -> Result<Message, Error> {
        Message::decode_with(bytes, &Limits::default())
    }

    /// Decodes one complete message.
    pub fn decode_with(bytes: &[u8], limits: &Limits) -> Result<Message, Error> {
        Message::decode_counting(bytes, limits, Leniency::default()).0
    }

    /// Decodes one complete message with these limits and relaxations ([`Leniency`]; the
    /// other decode functions use [`Leniency::default`]).
    pub fn decode_with_leniency(
        bytes: &[u8],
        limits: &Limits,
        leniency: Leniency,
    ) -> Result<Message, Error> {
        Message::decode_counting(bytes, limits, leniency).0
    }

    /// Decodes, and says how much work the names took (pointers followed and labels read), for
    /// the tests that check it is linear.
    pub(crate) fn decode_counting(
        bytes: &[u8],
        limits: &Limits,
        leniency: Leniency,
    ) -> (Result<Message, Error>, u64) {
        let max = limits.max_message_size.min(MAX_MESSAGE);
        if bytes.len() > max {
            let error = Error::TooLarge {
                offset: max as u64,
                limit: max as u64,
                claimed: bytes.len() as u64,
            };
            return (Err(error), 0);
        }
        let mut c = Cursor::new(bytes, limits);
        c.leniency = leniency;
        let result = Message::decode_sections(&mut c);
        (result, c.work)
    }

    fn decode_sections(c: &mut Cursor<'_>) -> Result<Message, Error> {
        let (mut header, counts) = Header::decode(c)?;
        let mut question =
            Vec::with_capacity(usize::from(counts.qdcount).min(c.remaining() / MIN_QUESTION));
        for _ in 0..counts.qdcount {
            question.push(Question::decode(c)?);
        }
        let mut edns = None;
        let mut sections = [Vec::new(), Vec::new(), Vec::new()];
        for (section, count, records) in [
            (Section::Answer, counts.ancount, 0),
            (Section::Authority, counts.nscount, 1),
            (Section::Additional, counts.arcount, 2),
        ] {
            let mut list = Vec::with_capacity(usize::from(count).min(c.remaining() / MIN_RECORD));
            for _ in 0..count {
                match Record::decode(c)? {
                    Decoded::Record(r) => list.push(r),
                    Decoded::Opt {
                        offset,
                        owner,
                        class,
                        ttl,
                        rdata,
                        rdata_offset,
                    } => {
                        let offset = offset as u64;
                        match section {
                            Section::Answer => {
                                return Err(Error::OptOutsideAdditional {
                                    offset,
                                    section: "answer",
                                });
                            }
                            Section::Authority => {
                                return Err(Error::OptOutsideAdditional {
                                    offset,
                                    section: "authority",
                                });
                            }
                            Section::Additional => {}
                        }
                        if edns.is_some() {
                            return Err(Error::DuplicateOpt { offset });
                        }
                        if !owner.is_root() {
                            return Err(Error::OptOwnerNotRoot { offset });
                        }
                        let (e, rcode_high) = Edns::decode(class, ttl, rdata, rdata_offset)?;
                        header.rcode = Rcode((u16::from(rcode_high) << 4) | header.rcode.0);
                        edns = Some(e);
                    }
                }
            }
            if let Some(slot) = sections.get_mut(records) {
                *slot = list;
            }
        }
        if c.remaining() != 0 && !c.leniency.trailing_bytes() {
            return Err(Error::TrailingBytes {
                offset: c.offset(),
                count: c.remaining(),
            });
        }
        let [answer, authority, additional] = sections;
        Ok(Message {
            header,
            question,
            answer,
            authority,
            additional,
            edns,
        })
    }

    /// The message on the wire, names compressed (RFC 1035 §4.1.4).
    pub fn encode(&self) -> Result<Vec<u8>, Error> {
        // A guess that fits most messages in one allocation (growing a buffer copies it): the
        // header, a question of about 32 octets, a record of about 48 (a compressed owner, the
        // fixed fields and a name or an address), the OPT record.
        let records = self.answer.len() + self.authority.len() + self.additional.len();
        let guess = 12 + 32 * self.question.len() + 48 * records + 64;
        let mut msg = Vec::with_capacity(guess.clamp(512, MAX_MESSAGE));
        self.encode_into(&mut msg)?;
        Ok(msg)
    }

    /// Writes the message into `msg`, which must be empty (compression pointers are offsets
    /// from the first byte of the buffer).
    ///
    /// The OPT record goes last in the additional section, or just before a last TSIG or SIG(0)
    /// record, which must stay last (RFC 8945 §5.1, RFC 2931 §3).
    pub fn encode_into(&self, msg: &mut Vec<u8>) -> Result<(), Error> {
        if !msg.is_empty() {
            return Err(Error::Unencodable {
                offset: 0,
                reason: "the output buffer must start empty",
            });
        }
        let unencodable = |reason| Error::Unencodable { offset: 0, reason };
        if self.header.opcode.0 > 15 {
            return Err(unencodable("OPCODE over 15 (RFC 1035 §4.1.1: 4 bits)"));
        }
        if self.header.rcode.0 > Rcode::MAX {
            return Err(unencodable("RCODE over 4095 (RFC 6891 §6.1.3: 12 bits)"));
        }
        if self.header.rcode.0 > 15 && self.edns.is_none() {
            return Err(unencodable(
                "RCODE over 15 needs an OPT record (RFC 6891 §6.1.3)",
            ));
        }
        let count =
            |n: usize| u16::try_from(n).map_err(|_| unencodable("over 65535 entries in a section"));
        let counts = Counts {
            qdcount: count(self.question.len())?,
            ancount: count(self.answer.len())?,
            nscount: count(self.authority.len())?,
            arcount: count(self.additional.len() + usize::from(self.edns.is_some()))?,
        };
        self.header.encode(counts, msg);
        let mut compressor = Compressor::new();
        for q in &self.question {
            q.encode(msg, &mut compressor);
        }
        for r in self.answer.iter().chain(&self.authority) {
            r.encode(msg, &mut compressor)?;
        }
        let signature_last = self
            .additional
            .last()
            .is_some_and(|r| r.rtype() == RType(250) || r.rtype() == RType(24));
        let (before, after) = if signature_last {
            self.additional
                .split_at(self.additional.len().saturating_sub(1))
        } else {
            (self.additional.as_slice(), &[][..])
        };
        for r in before {
            r.encode(msg, &mut compressor)?;
        }
        if let Some(edns) = &self.edns {
            edns.encode(self.header.rcode.0, msg)?;
        }
        for r in after {
            r.encode(msg, &mut compressor)?;
        }
        if msg.len() > MAX_MESSAGE {
            let length = msg.len();
            msg.clear();
            return Err(Error::Unencodable {
                offset: length as u64,
                reason: "message over 65535 octets (RFC 1035 §4.2.2)",
            });
        }
        Ok(())
    }

    /// The length of the header on the wire, for callers sizing buffers.
    pub const HEADER_LEN: usize = HEADER_LEN;
}

/// The messages the integration tests build, shared with these unit tests.
#[cfg(test)]
#[path = "../tests/common/mod.rs"]
mod common;

#[cfg(test)]
mod tests {
    use super::common::pointer_chain_message;
    use super::*;
    use crate::name::Name;
    use crate::rdata::RData;
    use std::net::Ipv4Addr;

    #[test]
    fn counts_do_not_allocate_on_their_own() {
        // 12 bytes claiming 65535 of everything: the first question is missing.
        let msg = b"\x00\x00\x00\x00\xff\xff\xff\xff\xff\xff\xff\xff";
        assert_eq!(
            Message::decode(msg),
            Err(Error::Truncated {
                offset: 12,
                inside: "name"
            })
        );
        let msg = b"\x00\x00\x00\x00\x00\x00\xff\xff\x00\x00\x00\x00";
        assert_eq!(
            Message::decode(msg),
            Err(Error::Truncated {
                offset: 12,
                inside: "name"
            })
        );
    }

    #[test]
    fn long_pointer_chain_referenced_by_many_names_is_linear() {
        // 16 000 hops do not fit under 0x3FFF; the links past 0x3FFF point at the farthest
        // reachable one, which still makes every name walk ~8 000 hops.
        let msg = pointer_chain_message(16_000, 2_000);
        assert!(msg.len() <= 65535);
        let (result, work) =
            Message::decode_counting(&msg, &Limits::default(), Leniency::default());
        assert!(result.is_err(), "{result:?}");
        // Linear: a small multiple of the message size, not names × hops (32 million).
        assert!(
            work <= 4 * msg.len() as u64,
            "work {work} for {} bytes",
            msg.len()
        );

        // Without the per-name cap the message budget still stops it.
        let limits = Limits {
            max_pointer_hops: usize::MAX,
            ..Limits::default()
        };
        let (result, work) = Message::decode_counting(&msg, &limits, Leniency::default());
        assert!(
            matches!(result, Err(Error::PointerBudget { .. })),
            "{result:?}"
        );
        assert!(work <= 4 * msg.len() as u64, "work {work}");
    }

    #[test]
    fn chain_error_is_exact() {
        // A chain of 200 hops referenced by one name: the per-name cap (127) stops it at the
        // answer's owner name.
        let msg = pointer_chain_message(200, 1);
        let answer = msg.len() - 16;
        assert_eq!(
            Message::decode(&msg),
            Err(Error::TooManyHops {
                offset: answer as u64,
                limit: 127
            })
        );
        // With hops allowed, a budget of one follow per byte still lets this one decode.
        let limits = Limits {
            max_pointer_hops: 1000,
            ..Limits::default()
        };
        let m = Message::decode_with(&msg, &limits).unwrap();
        assert!(m.answer[1].name.is_root());
        assert_eq!(m.answer.len(), 2);
    }

    #[test]
    fn opt_rcode_combines_with_the_header() {
        let mut m = Message::default();
        m.header.rcode = Rcode::BADVERS;
        assert!(m.encode().is_err());
        m.edns = Some(Edns::default());
        let wire = m.encode().unwrap();
        assert_eq!(wire[3] & 0xF, 0);
        assert_eq!(Message::decode(&wire), Ok(m));
    }

    #[test]
    fn opt_goes_before_a_last_tsig() {
        let mut m = Message {
            edns: Some(Edns::default()),
            ..Message::default()
        };
        m.additional.push(Record::new(
            "a.".parse().unwrap(),
            0,
            RData::A(Ipv4Addr::LOCALHOST),
        ));
        m.additional.push(Record {
            name: "key.".parse().unwrap(),
            class: crate::Class::ANY,
            ttl: 0,
            data: RData::Unknown {
                rtype: RType(250),
                bytes: bytes::Bytes::from_static(b"\x00"),
            },
        });
        let wire = m.encode().unwrap();
        let tsig_at = wire.len() - (5 + 10 + 1);
        assert_eq!(&wire[tsig_at - 11..tsig_at - 8], b"\x00\x00\x29");
        assert_eq!(Message::decode(&wire), Ok(m));
        let _ = Name::root();
    }
}
