//! The `dns` and `dns-tcp` parts of the contract, over `dns-codec`.
//!
//! ```text
//! wire decode dns       one DNS message                        {"id":..,"qr":..,...,"question":[..],"answer":[..],...,"edns":..}
//! wire decode dns-tcp   2-byte length-prefixed messages        one object per message
//! wire encode dns       one object -> one message (a second object is refused: `dns` input is one message)
//! wire encode dns-tcp   objects -> length-prefixed messages
//! ```
//!
//! Names are absolute presentation forms; `type` and `class` are mnemonics or `TYPE123` /
//! `CLASS123`; `data` is the record's presentation form, `\# len hex` for types without a typed
//! form (RFC 3597). The OPT record is `edns`, and `rcode` is the full extended RCODE.

use bytes::BytesMut;
use dns_codec::tcp::TcpCodec;
use dns_codec::{
    Class, Edns, EdnsOption, Error, Header, Message, Opcode, Question, RData, RType, Rcode, Record,
};
use framing::Encoder;
use serde_json::{Map, Value};

use crate::json::{self, Json, Object};
use crate::proto::{self, ItemEncoder, ItemError, Options, Protocol, Reportable, Sink};

impl Reportable for Error {
    fn kind(&self) -> &'static str {
        match self {
            Error::Truncated { .. } => "incomplete",
            Error::TooLarge { .. } => "too-large",
            Error::LabelTooLong { .. } => "label-too-long",
            Error::NameTooLong { .. } => "name-too-long",
            Error::BadLabelType { .. } => "bad-label-type",
            Error::PointerOutOfBounds { .. } => "pointer-out-of-bounds",
            Error::ForwardPointer { .. } => "forward-pointer",
            Error::TooManyHops { .. } => "too-many-hops",
            Error::PointerBudget { .. } => "pointer-budget",
            Error::RdLengthShort { .. } => "rdlength-short",
            Error::RdLengthLong { .. } => "rdlength-long",
            Error::BadRdata { .. } => "bad-rdata",
            Error::DuplicateOpt { .. } => "duplicate-opt",
            Error::OptOutsideAdditional { .. } => "opt-outside-additional",
            Error::OptOwnerNotRoot { .. } => "opt-owner-not-root",
            Error::TrailingBytes { .. } => "trailing-bytes",
            Error::Syntax { .. } => "syntax",
            Error::Unencodable { .. } => "unencodable",
            Error::Framing { error, .. } => match error {
                framing::Error::Truncated { .. } => "incomplete",
                framing::Error::TooLarge { .. } => "too-large",
                _ => "framing",
            },
            _ => "error",
        }
    }

    fn offset(&self) -> Option<u64> {
        Some(Error::offset(self))
    }
}

/// `dns`: one DNS message (RFC 1035 §4).
#[derive(Debug, Clone, clap::Args)]
pub struct Dns {}

/// `dns-tcp`: DNS messages each behind a 2-byte length (RFC 1035 §4.2.2, RFC 7766).
#[derive(Debug, Clone, clap::Args)]
pub struct DnsTcp {}

impl Protocol for Dns {
    fn lenient_flags(&self) -> &'static [&'static str] {
        dns_codec::LENIENCY_FLAGS
    }

    /// `dns` is exactly one message: empty input is a message cut short in its header
    /// (`incomplete` at offset 0), not zero messages.
    fn decode(
        &self,
        options: &Options,
        input: &[u8],
        sink: &mut Sink<'_>,
    ) -> Result<(), ItemError> {
        // main has checked every flag against LENIENCY_FLAGS.
        let leniency = dns_codec::Leniency::from_names(options.lenient.iter().map(String::as_str))
            .unwrap_or_default();
        let limits = dns_codec::Limits::default();
        let message = Message::decode_with_leniency(input, &limits, leniency)
            .map_err(|e| ItemError::from_error(&e, 0))?;
        sink.item(to_json(&message));
        Ok(())
    }

    fn encoder(&self, _: &Options) -> Box<dyn ItemEncoder> {
        Box::new(Objects {
            tcp: None,
            count: 0,
        })
    }
}

impl Protocol for DnsTcp {
    fn decode(&self, _: &Options, input: &[u8], sink: &mut Sink<'_>) -> Result<(), ItemError> {
        proto::decode_all(&mut TcpCodec::default(), input, sink, |m| to_json(&m))
    }

    fn encoder(&self, _: &Options) -> Box<dyn ItemEncoder> {
        Box::new(Objects {
            tcp: Some(TcpCodec::default()),
            count: 0,
        })
    }
}

/// The contract's object for `m`.
pub fn to_json(m: &Message) -> Object {
    let h = &m.header;
    Object::new()
        .with("id", h.id)
        .with("qr", Value::Bool(h.qr))
        .with("opcode", h.opcode.to_string())
        .with("aa", Value::Bool(h.aa))
        .with("tc", Value::Bool(h.tc))
        .with("rd", Value::Bool(h.rd))
        .with("ra", Value::Bool(h.ra))
        .with("ad", Value::Bool(h.ad))
        .with("cd", Value::Bool(h.cd))
        .with("rcode", h.rcode.to_string())
        .with(
            "question",
            m.question
                .iter()
                .map(|q| {
                    Object::new()
                        .with("name", q.name.to_string())
                        .with("type", q.qtype.to_string())
                        .with("class", q.qclass.to_string())
                })
                .collect::<Vec<_>>(),
        )
        .with("answer", records_json(&m.answer))
        .with("authority", records_json(&m.authority))
        .with("additional", records_json(&m.additional))
        .with("edns", edns_json(m.edns.as_ref()))
}

fn edns_json(edns: Option<&Edns>) -> Json {
    let Some(e) = edns else {
        return Json::Value(Value::Null);
    };
    let options: Vec<Object> = e
        .options
        .iter()
        .map(|o| {
            Object::new()
                .with("code", o.code)
                .with("data", json::to_hex(&o.data))
        })
        .collect();
    Object::new()
        .with("udp_size", e.udp_payload_size)
        .with("version", e.version)
        .with("do", Value::Bool(e.dnssec_ok))
        .with("options", options)
        .into()
}

fn records_json(records: &[Record]) -> Vec<Object> {
    records.iter().map(record_json).collect()
}

/// The contract's object for one record, as in a message's sections and `wire decode zone`:
/// `{"name":N,"ttl":T,"class":C,"type":Y,"data":D}`.
pub fn record_json(r: &Record) -> Object {
    Object::new()
        .with("name", r.name.to_string())
        .with("ttl", r.ttl)
        .with("class", r.class.to_string())
        .with("type", r.rtype().to_string())
        .with("data", r.data.to_string())
}

/// Message objects into bytes: one bare message for `dns`, length-prefixed for `dns-tcp`.
struct Objects {
    tcp: Option<TcpCodec>,
    count: usize,
}

impl ItemEncoder for Objects {
    fn encode(&mut self, item: Value, dst: &mut BytesMut) -> Result<(), String> {
        if self.tcp.is_none() && self.count > 0 {
            return Err(
                "dns input is one message: a second object would not decode (use dns-tcp)"
                    .to_string(),
            );
        }
        let message = from_json(item)?;
        match &mut self.tcp {
            Some(codec) => codec.encode(&message, dst).map_err(|e| e.to_string())?,
            None => dst.extend_from_slice(&message.encode().map_err(|e| e.to_string())?),
        }
        self.count += 1;
        Ok(())
    }

    fn finish(&mut self) -> Result<(), String> {
        if self.tcp.is_none() && self.count == 0 {
            return Err("dns input is one message: no object to encode".to_string());
        }
        Ok(())
    }
}

/// Strict access to one JSON object's fields: each taken once, none left over.
struct Fields(Map<String, Value>);

impl Fields {
    fn new(value: Value, what: &str) -> Result<Fields, String> {
        match value {
            Value::Object(map) => Ok(Fields(map)),
            other => Err(format!("{what} must be an object, found {other}")),
        }
    }

    fn take(&mut self, key: &str) -> Result<Value, String> {
        self.0
            .remove(key)
            .ok_or_else(|| format!("missing field {}", Value::from(key)))
    }

    fn bool(&mut self, key: &str) -> Result<bool, String> {
        match self.take(key)? {
            Value::Bool(b) => Ok(b),
            other => Err(format!("field {key:?} must be a boolean, found {other}")),
        }
    }

    fn str(&mut self, key: &str) -> Result<String, String> {
        match self.take(key)? {
            Value::String(s) => Ok(s),
            other => Err(format!("field {key:?} must be a string, found {other}")),
        }
    }

    fn uint(&mut self, key: &str, max: u64) -> Result<u64, String> {
        let value = self.take(key)?;
        match value.as_u64() {
            Some(n) if n <= max => Ok(n),
            _ => Err(format!(
                "field {key:?} must be an integer from 0 to {max}, found {value}"
            )),
        }
    }

    fn array(&mut self, key: &str) -> Result<Vec<Value>, String> {
        match self.take(key)? {
            Value::Array(a) => Ok(a),
            other => Err(format!("field {key:?} must be an array, found {other}")),
        }
    }

    fn parsed<T: std::str::FromStr<Err = Error>>(&mut self, key: &str) -> Result<T, String> {
        let text = self.str(key)?;
        text.parse()
            .map_err(|e: Error| format!("field {key:?} {text:?}: {e}"))
    }

    fn finish(self) -> Result<(), String> {
        match self.0.keys().next() {
            None => Ok(()),
            Some(key) => Err(format!("unexpected field {}", Value::from(key.as_str()))),
        }
    }
}

/// The message an object describes.
pub fn from_json(item: Value) -> Result<Message, String> {
    let mut f = Fields::new(item, "a message")?;
    let mut header = Header {
        id: f.uint("id", u64::from(u16::MAX))? as u16,
        qr: f.bool("qr")?,
        opcode: f.parsed::<Opcode>("opcode")?,
        aa: f.bool("aa")?,
        tc: f.bool("tc")?,
        rd: f.bool("rd")?,
        ra: f.bool("ra")?,
        z: false,
        ad: f.bool("ad")?,
        cd: f.bool("cd")?,
        rcode: Rcode::NOERROR,
    };
    header.rcode = f.parsed::<Rcode>("rcode")?;
    let question = f
        .array("question")?
        .into_iter()
        .map(|q| {
            let mut q = Fields::new(q, "a question")?;
            let question = Question {
                name: q.parsed("name")?,
                qtype: q.parsed("type")?,
                qclass: q.parsed("class")?,
            };
            q.finish()?;
            Ok(question)
        })
        .collect::<Result<Vec<_>, String>>()?;
    let answer = records(f.array("answer")?)?;
    let authority = records(f.array("authority")?)?;
    let additional = records(f.array("additional")?)?;
    let edns = match f.take("edns")? {
        Value::Null => None,
        value => {
            let mut e = Fields::new(value, "edns")?;
            let udp_payload_size = e.uint("udp_size", u64::from(u16::MAX))? as u16;
            let version = e.uint("version", u64::from(u8::MAX))? as u8;
            let dnssec_ok = e.bool("do")?;
            let options = e
                .array("options")?
                .into_iter()
                .map(|o| {
                    let mut o = Fields::new(o, "an EDNS option")?;
                    let code = o.uint("code", u64::from(u16::MAX))? as u16;
                    let data = json::from_hex(o.str("data")?.as_bytes())
                        .map_err(|e| format!("EDNS option data: {}", e.message))?;
                    o.finish()?;
                    Ok(EdnsOption {
                        code,
                        data: data.into(),
                    })
                })
                .collect::<Result<Vec<_>, String>>()?;
            e.finish()?;
            Some(Edns {
                udp_payload_size,
                version,
                dnssec_ok,
                z: 0,
                options,
            })
        }
    };
    f.finish()?;
    Ok(Message {
        header,
        question,
        answer,
        authority,
        additional,
        edns,
    })
}

fn records(values: Vec<Value>) -> Result<Vec<Record>, String> {
    values.into_iter().map(record_from_json).collect()
}

/// The record a [`record_json`] object describes; OPT is refused (it is `edns` in a message,
/// and never zone data, RFC 6891 §6.1.1).
pub fn record_from_json(item: Value) -> Result<Record, String> {
    let mut r = Fields::new(item, "a record")?;
    let name = r.parsed("name")?;
    let ttl = r.uint("ttl", u64::from(u32::MAX))? as u32;
    let class: Class = r.parsed("class")?;
    let rtype: RType = r.parsed("type")?;
    if rtype == RType::OPT {
        return Err("an OPT record is written as \"edns\", not as a record".to_string());
    }
    let text = r.str("data")?;
    let data = RData::from_presentation(rtype, class, &text)
        .map_err(|e| format!("{rtype} data {text:?}: {e}"))?;
    r.finish()?;
    Ok(Record {
        name,
        class,
        ttl,
        data,
    })
}

// --- demo ------------------------------------------------------------------------------------

/// TXT records of `big.example.` in the demo: too many for 512 octets.
const DEMO_BIG: u8 = 40;

fn demo_error(e: Error) -> crate::demo::DemoError {
    crate::demo::DemoError::Script(format!("dns: {e}"))
}

/// The demo's responder: `www.example.` has two A records, `big.example.` [`DEMO_BIG`] TXT
/// records; anything else is NXDOMAIN. Built with `Message::response_to` and the builder.
fn demo_answer(query: &Message) -> Result<Message, Error> {
    let mut response = dns_codec::builder::ResponseBuilder::reply_to(query).authoritative(true);
    let Some(question) = query.question.first() else {
        return Ok(response.rcode(Rcode::FORMERR).build());
    };
    let www: dns_codec::Name = "www.example.".parse()?;
    let big: dns_codec::Name = "big.example.".parse()?;
    if question.name == www && question.qtype == RType::A {
        for last in [1, 2] {
            response = response.answer(Record::new(
                www.clone(),
                300,
                RData::A(std::net::Ipv4Addr::new(192, 0, 2, last)),
            ));
        }
    } else if question.name == big && question.qtype == RType::TXT {
        for i in 0..DEMO_BIG {
            let text = format!("record {i:02}: the quick brown fox");
            response = response.answer(Record::new(
                big.clone(),
                300,
                RData::Txt(dns_codec::rdata::Txt {
                    strings: vec![bytes::Bytes::from(text)],
                }),
            ));
        }
    } else {
        response = response.rcode(Rcode::NXDOMAIN);
    }
    Ok(response.build())
}

/// `wire demo`'s DNS section: the sans-IO stub client asks an in-process responder over an
/// in-memory exchange; a small answer fits a datagram, a big one comes back truncated (TC) and
/// the client asks again over TCP, length-prefixed. Every message is printed as `wire decode
/// dns` (UDP) or `wire decode dns-tcp` (TCP) prints it.
pub fn demo(t: &mut crate::demo::Transcript<'_>) -> Result<(), crate::demo::DemoError> {
    use dns_codec::client::{ClientConfig, Event, StubClient, Transport};
    use framing::Decoder;

    t.line("-- DNS over an in-memory exchange (dns_codec::client::StubClient, builder, truncate::fit_response, tcp::TcpCodec)")?;
    // The client never reads a clock: the caller passes one; the demo's stands still.
    let now = std::time::Instant::now();
    let config = ClientConfig {
        edns: None, // no OPT record: the 512-octet UDP limit (RFC 1035 §4.2.1)
        ..ClientConfig::default()
    };
    let mut client = StubClient::new(config);
    let mut server_tcp = TcpCodec::default();
    let mut server_in = BytesMut::new();
    for (name, qtype, id) in [
        ("www.example.", RType::A, 0x1d01),
        ("big.example.", RType::TXT, 0x1d02),
    ] {
        let question = Question::new(name.parse().map_err(demo_error)?, qtype);
        client
            .query(question, id, now)
            .map_err(|e| format!("dns: {e}"))?;
        loop {
            if let Some(event) = client.poll_event() {
                match event {
                    Event::Answer { message, .. } => {
                        t.line(&format!(
                            "-- answer: {} {} with {} records",
                            message.header.rcode,
                            name,
                            message.answer.len()
                        ))?;
                        break;
                    }
                    // Said above, where TC is seen; the TCP query is the next transmit.
                    Event::Truncated { .. } => {}
                    other => return Err(format!("dns: unexpected {other:?}").into()),
                }
            }
            let Some(out) = client.poll_transmit() else {
                return Err("dns: the client sent nothing and has no answer".into());
            };
            match out.transport {
                Transport::Udp => {
                    let query = Message::decode(&out.bytes).map_err(demo_error)?;
                    t.line(&format!("C: {}", to_json(&query)))?;
                    let response = demo_answer(&query).map_err(demo_error)?;
                    let fitted =
                        dns_codec::truncate::fit_response(&query, &response).map_err(demo_error)?;
                    let seen = Message::decode(&fitted.wire).map_err(demo_error)?;
                    t.line(&format!("S: {}", to_json(&seen)))?;
                    if seen.header.tc {
                        t.line(&format!(
                            "-- {} octets over UDP would not fit 512: {} records dropped, TC set; the client retries over TCP",
                            response.encode().map_err(demo_error)?.len(),
                            fitted.dropped
                        ))?;
                    }
                    client.receive_udp(&fitted.wire, true, now);
                }
                Transport::Tcp => {
                    server_in.extend_from_slice(&out.bytes);
                    while let Some(query) = server_tcp.decode(&mut server_in).map_err(demo_error)? {
                        t.line(&format!("C: {}", to_json(&query)))?;
                        let response = demo_answer(&query).map_err(demo_error)?;
                        let mut wire = BytesMut::new();
                        server_tcp
                            .encode(&response, &mut wire)
                            .map_err(demo_error)?;
                        let mut check = TcpCodec::default();
                        let seen = check
                            .decode(&mut wire.clone())
                            .map_err(demo_error)?
                            .ok_or("dns: incomplete TCP response")?;
                        t.line(&format!("S: {}", to_json(&seen)))?;
                        client.receive_tcp(&wire, now);
                    }
                }
            }
        }
    }
    Ok(())
}
