//! Builders for queries and responses (RFC 1035 §4.1, RFC 6891 §6 and §7), and
//! [`Message::response_to`], which turns a query into the start of its response.
//!
//! A query is one question (RFC 9619: QDCOUNT is one in practice) with RD set and an OPT
//! record by default, as a stub resolver sends it. A response copies what RFC 1035 §4.1.1 says
//! is copied (ID, OPCODE, RD, the question), CD (RFC 4035 §3.2.2) and, when the query had EDNS,
//! answers with an OPT record of its own carrying *our* UDP payload size (RFC 6891 §6.1.1,
//! §6.2.3, §7), DO echoed (RFC 3225 §3).
//!
//! ```
//! use dns_codec::builder::{QueryBuilder, ResponseBuilder};
//! use dns_codec::{Message, RData, RType, Rcode, Record};
//! use std::net::Ipv4Addr;
//!
//! let query = QueryBuilder::new("www.example.com.".parse()?, RType::A)
//!     .id(0xBEEF)
//!     .udp_payload_size(1400)
//!     .dnssec_ok(true)
//!     .build();
//! let wire = query.encode()?;
//!
//! let query = Message::decode(&wire)?;
//! let response = ResponseBuilder::reply_to(&query)
//!     .udp_payload_size(1232)
//!     .authoritative(true)
//!     .answer(Record::new("www.example.com.".parse()?, 300, RData::A(Ipv4Addr::new(192, 0, 2, 1))))
//!     .build();
//! assert_eq!(response.header.id, 0xBEEF);
//! assert!(response.header.qr && response.header.rd);
//! assert_eq!(response.question, query.question);
//! let edns = response.edns.as_ref().unwrap();
//! assert_eq!((edns.udp_payload_size, edns.dnssec_ok), (1232, true));
//! assert_eq!(response.header.rcode, Rcode::NOERROR);
//! # Ok::<(), dns_codec::Error>(())
//! ```

use crate::class::Class;
use crate::edns::{Edns, EdnsOption};
use crate::header::{Header, Opcode, Rcode};
use crate::message::Message;
use crate::name::Name;
use crate::question::Question;
use crate::record::Record;
use crate::rtype::RType;

/// The smallest UDP payload size a responder honours (RFC 6891 §6.2.5: values below 512 are
/// treated as 512; RFC 1035 §4.2.1: the size without EDNS).
pub const MIN_UDP_PAYLOAD: u16 = 512;

/// A query under construction (RFC 1035 §4.1.1-2, RFC 6891 §6.1).
///
/// Defaults: ID 0 (set a random one with [`QueryBuilder::id`], RFC 5452 §9.2), OPCODE QUERY,
/// class IN, RD set, CD clear, EDNS on with [`Edns::default`] (version 0, payload size 1232,
/// DO clear, no options). [`QueryBuilder::no_edns`] removes the OPT record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueryBuilder {
    header: Header,
    question: Question,
    edns: Option<Edns>,
}

impl QueryBuilder {
    /// A query for `name` and `qtype` in class IN, with the defaults above.
    pub fn new(name: Name, qtype: RType) -> QueryBuilder {
        QueryBuilder::for_question(Question::new(name, qtype))
    }

    /// A query for `question`, with the defaults above.
    pub fn for_question(question: Question) -> QueryBuilder {
        QueryBuilder {
            header: Header {
                rd: true,
                ..Header::default()
            },
            question,
            edns: Some(Edns::default()),
        }
    }

    /// ID (RFC 1035 §4.1.1); should come from a good random source (RFC 5452 §9.2).
    pub fn id(mut self, id: u16) -> QueryBuilder {
        self.header.id = id;
        self
    }

    /// QCLASS (RFC 1035 §3.2.5).
    pub fn class(mut self, class: Class) -> QueryBuilder {
        self.question.qclass = class;
        self
    }

    /// OPCODE (RFC 1035 §4.1.1); QUERY by default.
    pub fn opcode(mut self, opcode: Opcode) -> QueryBuilder {
        self.header.opcode = opcode;
        self
    }

    /// RD, recursion desired (RFC 1035 §4.1.1); set by default.
    pub fn recursion_desired(mut self, rd: bool) -> QueryBuilder {
        self.header.rd = rd;
        self
    }

    /// CD, checking disabled (RFC 4035 §3.2.2).
    pub fn checking_disabled(mut self, cd: bool) -> QueryBuilder {
        self.header.cd = cd;
        self
    }

    /// AD in a query: the requestor understands the AD bit (RFC 6840 §5.7).
    pub fn authentic_data(mut self, ad: bool) -> QueryBuilder {
        self.header.ad = ad;
        self
    }

    /// Replaces the EDNS information wholesale (RFC 6891 §6.1).
    pub fn edns(mut self, edns: Edns) -> QueryBuilder {
        self.edns = Some(edns);
        self
    }

    /// No OPT record (RFC 6891 §7: the fallback for a server that does not speak EDNS).
    pub fn no_edns(mut self) -> QueryBuilder {
        self.edns = None;
        self
    }

    /// The UDP payload size we can receive (RFC 6891 §6.2.3, §6.2.5); turns EDNS on.
    pub fn udp_payload_size(mut self, size: u16) -> QueryBuilder {
        self.edns_mut().udp_payload_size = size;
        self
    }

    /// DO, DNSSEC OK (RFC 3225 §3); turns EDNS on.
    pub fn dnssec_ok(mut self, dnssec_ok: bool) -> QueryBuilder {
        self.edns_mut().dnssec_ok = dnssec_ok;
        self
    }

    /// Appends an EDNS option, after those already there (RFC 6891 §6.1.2); turns EDNS on.
    pub fn option(mut self, option: EdnsOption) -> QueryBuilder {
        self.edns_mut().options.push(option);
        self
    }

    fn edns_mut(&mut self) -> &mut Edns {
        self.edns.get_or_insert_with(Edns::default)
    }

    /// The query.
    pub fn build(self) -> Message {
        Message {
            header: self.header,
            question: vec![self.question],
            edns: self.edns,
            ..Message::default()
        }
    }
}

/// A response under construction (RFC 1035 §4.1). Start it from a query with
/// [`ResponseBuilder::reply_to`], or from nothing with [`ResponseBuilder::new`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResponseBuilder {
    message: Message,
}

impl ResponseBuilder {
    /// A response with `id`, QR set, nothing else.
    pub fn new(id: u16) -> ResponseBuilder {
        let mut message = Message::default();
        message.header.id = id;
        message.header.qr = true;
        ResponseBuilder { message }
    }

    /// The start of the response to `query`: see [`Message::response_to`].
    pub fn reply_to(query: &Message) -> ResponseBuilder {
        ResponseBuilder {
            message: Message::response_to(query),
        }
    }

    /// RCODE, the full 12 bits (RFC 1035 §4.1.1, RFC 6891 §6.1.3); one above 15 needs EDNS,
    /// which the encoder checks.
    pub fn rcode(mut self, rcode: Rcode) -> ResponseBuilder {
        self.message.header.rcode = rcode;
        self
    }

    /// AA, authoritative answer (RFC 1035 §4.1.1).
    pub fn authoritative(mut self, aa: bool) -> ResponseBuilder {
        self.message.header.aa = aa;
        self
    }

    /// RA, recursion available (RFC 1035 §4.1.1).
    pub fn recursion_available(mut self, ra: bool) -> ResponseBuilder {
        self.message.header.ra = ra;
        self
    }

    /// AD, authentic data (RFC 4035 §3.2.3).
    pub fn authentic_data(mut self, ad: bool) -> ResponseBuilder {
        self.message.header.ad = ad;
        self
    }

    /// TC, truncated (RFC 1035 §4.1.1). [`crate::truncate`] sets it for you when records do
    /// not fit.
    pub fn truncated(mut self, tc: bool) -> ResponseBuilder {
        self.message.header.tc = tc;
        self
    }

    /// Appends a question (a response made with [`ResponseBuilder::new`] has none).
    pub fn question(mut self, question: Question) -> ResponseBuilder {
        self.message.question.push(question);
        self
    }

    /// Appends a record to the answer section (RFC 1035 §4.1.3).
    pub fn answer(mut self, record: Record) -> ResponseBuilder {
        self.message.answer.push(record);
        self
    }

    /// Appends a record to the authority section.
    pub fn authority(mut self, record: Record) -> ResponseBuilder {
        self.message.authority.push(record);
        self
    }

    /// Appends a record to the additional section (not an OPT record: see
    /// [`ResponseBuilder::edns`]).
    pub fn additional(mut self, record: Record) -> ResponseBuilder {
        self.message.additional.push(record);
        self
    }

    /// Replaces the EDNS information wholesale (RFC 6891 §6.1). A response should carry an OPT
    /// record only if its query did (RFC 6891 §7).
    pub fn edns(mut self, edns: Edns) -> ResponseBuilder {
        self.message.edns = Some(edns);
        self
    }

    /// No OPT record.
    pub fn no_edns(mut self) -> ResponseBuilder {
        self.message.edns = None;
        self
    }

    /// Our UDP payload size in the OPT record (RFC 6891 §6.2.3); does nothing without EDNS, so
    /// it never adds an OPT record the query did not ask for.
    pub fn udp_payload_size(mut self, size: u16) -> ResponseBuilder {
        if let Some(edns) = &mut self.message.edns {
            edns.udp_payload_size = size;
        }
        self
    }

    /// Appends an EDNS option (RFC 6891 §6.1.2); does nothing without EDNS.
    pub fn option(mut self, option: EdnsOption) -> ResponseBuilder {
        if let Some(edns) = &mut self.message.edns {
            edns.options.push(option);
        }
        self
    }

    /// The response.
    pub fn build(self) -> Message {
        self.message
    }
}

impl Message {
    /// The start of the response to `query` (RFC 1035 §4.1.1, RFC 6891 §6.1.1 and §7):
    ///
    /// - ID, OPCODE and RD copied, QR set, CD copied (RFC 4035 §3.2.2); AA, TC, RA, AD clear;
    ///   RCODE NOERROR; the question section copied.
    /// - If the query had an OPT record, an OPT record of ours: version 0, payload size
    ///   [`Edns::default`]'s 1232 (change it with [`ResponseBuilder::udp_payload_size`]), DO
    ///   copied (RFC 3225 §3), no options (a responder echoes none by default: a cookie needs a
    ///   server cookie, RFC 7873 §5.2; padding is per response, RFC 7830).
    /// - A query with an EDNS version above 0 gets RCODE BADVERS (RFC 6891 §6.1.3), with our
    ///   version 0 in the OPT record.
    /// - No OPT record if the query had none (RFC 6891 §7).
    pub fn response_to(query: &Message) -> Message {
        let header = Header {
            id: query.header.id,
            qr: true,
            opcode: query.header.opcode,
            rd: query.header.rd,
            cd: query.header.cd,
            ..Header::default()
        };
        let mut response = Message {
            header,
            question: query.question.clone(),
            ..Message::default()
        };
        if let Some(theirs) = &query.edns {
            response.edns = Some(Edns {
                dnssec_ok: theirs.dnssec_ok,
                ..Edns::default()
            });
            if theirs.version > 0 {
                response.header.rcode = Rcode::BADVERS;
            }
        }
        response
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rdata::RData;
    use bytes::Bytes;
    use std::net::Ipv4Addr;

    fn name(text: &str) -> Name {
        text.parse().unwrap()
    }

    #[test]
    fn query_defaults_on_the_wire() {
        let query = QueryBuilder::new(name("example."), RType::AAAA)
            .id(0x1234)
            .build();
        let wire = query.encode().unwrap();
        let mut expected = Vec::new();
        // ID, flags RD, QDCOUNT 1, ARCOUNT 1 (the OPT record).
        expected.extend_from_slice(b"\x12\x34\x01\x00\x00\x01\x00\x00\x00\x00\x00\x01");
        expected.extend_from_slice(b"\x07example\x00\x00\x1c\x00\x01");
        // OPT: root, TYPE 41, CLASS 1232, TTL 0, RDLENGTH 0.
        expected.extend_from_slice(b"\x00\x00\x29\x04\xd0\x00\x00\x00\x00\x00\x00");
        assert_eq!(wire, expected);
        assert_eq!(Message::decode(&wire).unwrap(), query);
    }

    #[test]
    fn query_options() {
        let cookie = EdnsOption {
            code: 10,
            data: Bytes::from_static(b"\x01\x02\x03\x04\x05\x06\x07\x08"),
        };
        let query = QueryBuilder::new(name("example."), RType::TXT)
            .class(Class::CH)
            .recursion_desired(false)
            .checking_disabled(true)
            .authentic_data(true)
            .opcode(Opcode::NOTIFY)
            .udp_payload_size(4096)
            .dnssec_ok(true)
            .option(cookie.clone())
            .build();
        assert!(!query.header.rd && query.header.cd && query.header.ad);
        assert_eq!(query.header.opcode, Opcode::NOTIFY);
        assert_eq!(query.question[0].qclass, Class::CH);
        let edns = query.edns.clone().unwrap();
        assert_eq!(edns.udp_payload_size, 4096);
        assert!(edns.dnssec_ok);
        assert_eq!(edns.options, vec![cookie]);
        let wire = query.encode().unwrap();
        assert_eq!(Message::decode(&wire).unwrap(), query);

        let plain = QueryBuilder::new(name("example."), RType::A)
            .no_edns()
            .build();
        assert_eq!(plain.edns, None);
        assert_eq!(plain.encode().unwrap().len(), 12 + 9 + 4);
        // Setting an EDNS field turns EDNS back on.
        let again = QueryBuilder::new(name("example."), RType::A)
            .no_edns()
            .dnssec_ok(true)
            .build();
        assert_eq!(again.edns.unwrap().udp_payload_size, 1232);
    }

    #[test]
    fn response_copies_what_rfc_1035_says() {
        let query = QueryBuilder::new(name("Example.COM."), RType::MX)
            .id(0xABCD)
            .checking_disabled(true)
            .udp_payload_size(4096)
            .dnssec_ok(true)
            .option(EdnsOption {
                code: 12,
                data: Bytes::from_static(b"\0\0"),
            })
            .build();
        let response = Message::response_to(&query);
        assert_eq!(response.header.id, 0xABCD);
        assert!(response.header.qr && response.header.rd && response.header.cd);
        assert!(!response.header.aa && !response.header.tc && !response.header.ra);
        assert_eq!(response.header.opcode, Opcode::QUERY);
        assert_eq!(response.header.rcode, Rcode::NOERROR);
        // Byte for byte, case included.
        assert!(response.question[0].name.eq_exact(&query.question[0].name));
        let edns = response.edns.unwrap();
        assert_eq!(edns.udp_payload_size, 1232);
        assert!(edns.dnssec_ok);
        assert!(edns.options.is_empty());
        assert!(response.answer.is_empty() && response.additional.is_empty());
    }

    #[test]
    fn response_without_edns_and_with_a_newer_version() {
        let query = QueryBuilder::new(name("a."), RType::A)
            .recursion_desired(false)
            .no_edns()
            .build();
        let response = Message::response_to(&query);
        assert_eq!(response.edns, None);
        assert!(!response.header.rd);
        // A builder cannot add an OPT record the query lacked by setting the size.
        let built = ResponseBuilder::reply_to(&query)
            .udp_payload_size(4096)
            .build();
        assert_eq!(built.edns, None);

        let query = QueryBuilder::new(name("a."), RType::A)
            .edns(Edns {
                version: 1,
                ..Edns::default()
            })
            .build();
        let response = Message::response_to(&query);
        assert_eq!(response.header.rcode, Rcode::BADVERS);
        assert_eq!(response.edns.as_ref().unwrap().version, 0);
        let wire = response.encode().unwrap();
        assert_eq!(Message::decode(&wire).unwrap(), response);
    }

    #[test]
    fn response_builder_sections() {
        let query = QueryBuilder::new(name("example."), RType::A).id(7).build();
        let record = |ttl| Record::new(name("example."), ttl, RData::A(Ipv4Addr::LOCALHOST));
        let response = ResponseBuilder::reply_to(&query)
            .authoritative(true)
            .recursion_available(true)
            .authentic_data(true)
            .rcode(Rcode::NXDOMAIN)
            .answer(record(1))
            .authority(record(2))
            .additional(record(3))
            .udp_payload_size(1400)
            .option(EdnsOption {
                code: 15,
                data: Bytes::from_static(b"\0\x03"),
            })
            .build();
        assert!(response.header.aa && response.header.ra && response.header.ad);
        assert_eq!(response.header.rcode, Rcode::NXDOMAIN);
        assert_eq!(response.answer, vec![record(1)]);
        assert_eq!(response.authority, vec![record(2)]);
        assert_eq!(response.additional, vec![record(3)]);
        assert_eq!(response.edns.as_ref().unwrap().udp_payload_size, 1400);
        assert_eq!(response.edns.as_ref().unwrap().options.len(), 1);
        let wire = response.encode().unwrap();
        assert_eq!(Message::decode(&wire).unwrap(), response);

        let bare = ResponseBuilder::new(9)
            .question(Question::new(name("b."), RType::NS))
            .truncated(true)
            .edns(Edns::default())
            .no_edns()
            .build();
        assert!(bare.header.qr && bare.header.tc);
        assert_eq!(bare.header.id, 9);
        assert_eq!(bare.question.len(), 1);
        assert_eq!(bare.edns, None);
    }
}
