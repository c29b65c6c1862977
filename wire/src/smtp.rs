//! The `smtp` part of the contract, over `smtp-codec`, and the SMTP section of `wire demo`.
//!
//! ```text
//! wire decode smtp --role server   {"type":"command","command":"MAIL","path":P,"params":[[K,V]...]}, {"type":"data","content":C}
//! wire decode smtp --role client   {"type":"reply","code":250,"enhanced":"2.1.0","lines":["OK"]}
//! ```
//!
//! `--role server` reads what a client sends as a server that accepts every command would: the
//! command lines ([`CommandDecoder`]), the content after DATA, dot-unstuffed up to
//! `<CRLF>.<CRLF>` ([`DataDecoder`]), and the chunk after BDAT, exactly its size
//! ([`BdatDecoder`]). Each command is one object, each content (or chunk) one `data` object
//! after it. Nothing may follow STARTTLS (RFC 3207 §4.2): a byte there is the error
//! `data-after-starttls`. `--role client` reads replies ([`ReplyDecoder`]), multi-line ones
//! assembled.
//!
//! Every string that comes from the wire (paths, domains, arguments, parameter values, reply
//! text, content) is a byte string in the contract's ISO-8859-1 mapping, so a UTF-8 mailbox
//! (SMTPUTF8) shows its bytes one character each.
//!
//! `encode` builds each command through the codec's own types and [`CommandEncoder`], the
//! content through [`DataEncoder`] (dot-stuffed, `<CRLF>.<CRLF>` after it) or raw after BDAT,
//! and replies through [`ReplyEncoder`]. It then decodes what it wrote and refuses an object
//! that would not come back as itself (a keyword in lower case, `<postmaster>`, a path with a
//! source route, a parameter value that smuggles a second parameter, ...), as the contract
//! promises `decode(encode(x)) == x`.

use bytes::BytesMut;
use framing::{Decoder, Encoder};
use serde_json::Value;
use smtp_codec::bdat::{BdatDecoder, BdatEvent};
use smtp_codec::data::{DataDecoder, DataEncoder, DataEvent};
use smtp_codec::{
    Argument, ClientConfig, ClientEvent, ClientSession, Command, CommandDecoder, CommandEncoder,
    Domain, EnhancedCode, Envelope, Error, ForwardPath, InitialResponse, LENIENCY_FLAGS, Leniency,
    Limits, Mailbox, Mechanism, Parameter, Reply, ReplyDecoder, ReplyEncoder, ReversePath,
    ServerConfig, ServerEvent, ServerSession,
};

use crate::demo::{DemoError, Transcript};
use crate::json::{self, Fields, Json, Object};
use crate::proto::{self, ItemEncoder, ItemError, Options, Protocol, Reportable, Role, Sink};

impl Reportable for Error {
    fn kind(&self) -> &'static str {
        match self {
            Error::Syntax { .. } => "syntax",
            Error::LineTooLong { .. } => "line-too-long",
            Error::BareLineEnd { .. } => "bare-line-end",
            Error::TooLarge { .. } => "too-large",
            Error::Truncated { .. } => "incomplete",
            Error::UnknownCommand { .. } => "unknown-command",
            Error::Peer { .. } => "protocol",
            Error::Local { .. } => "unencodable",
            _ => "error",
        }
    }

    fn offset(&self) -> Option<u64> {
        Error::offset(self)
    }
}

/// `smtp`: SMTP commands and content (`--role server`) or replies (`--role client`)
/// (RFC 5321, 3030, 3207, 4954).
#[derive(Debug, Clone, clap::Args)]
pub struct Smtp {}

/// The relaxations named with `--lenient` (main has checked every name against
/// [`LENIENCY_FLAGS`]).
fn leniency(options: &Options) -> Leniency {
    Leniency::from_names(options.lenient.iter().map(String::as_str)).unwrap_or_default()
}

impl Protocol for Smtp {
    fn lenient_flags(&self) -> &'static [&'static str] {
        LENIENCY_FLAGS
    }

    fn decode(
        &self,
        options: &Options,
        input: &[u8],
        sink: &mut Sink<'_>,
    ) -> Result<(), ItemError> {
        let leniency = leniency(options);
        match options.role {
            Role::Server => {
                let mut reader = CommandReader::new(leniency);
                reader.receive(input);
                while let Some(object) = reader.next(true)? {
                    sink.item(object);
                }
                Ok(())
            }
            Role::Client => {
                let mut decoder = ReplyDecoder::new(Limits::default(), leniency);
                proto::decode_all(&mut decoder, input, sink, |r| reply_json(&r))
            }
        }
    }

    fn encoder(&self, options: &Options) -> Box<dyn ItemEncoder> {
        match options.role {
            Role::Server => Box::new(CommandObjects {
                next: Next::Command,
                message_size: 0,
            }),
            Role::Client => Box::new(ReplyObjects),
        }
    }
}

// ---------------------------------------------------------------------------------------------
// decode, --role server

/// `e` with its offset moved by `base`: the codec's decoders count from where they started (a
/// content decoder from the content's first byte), the contract from the start of the input.
fn shifted(e: Error, base: u64) -> Error {
    match e {
        Error::Syntax {
            offset,
            production,
            found,
            reason,
        } => Error::Syntax {
            offset: offset.saturating_add(base),
            production,
            found,
            reason,
        },
        Error::LineTooLong {
            offset,
            what,
            limit,
        } => Error::LineTooLong {
            offset: offset.saturating_add(base),
            what,
            limit,
        },
        Error::BareLineEnd { offset, byte } => Error::BareLineEnd {
            offset: offset.saturating_add(base),
            byte,
        },
        Error::TooLarge {
            offset,
            what,
            limit,
        } => Error::TooLarge {
            offset: offset.saturating_add(base),
            what,
            limit,
        },
        Error::Truncated { offset, inside } => Error::Truncated {
            offset: offset.saturating_add(base),
            inside,
        },
        Error::UnknownCommand { offset } => Error::UnknownCommand {
            offset: offset.saturating_add(base),
        },
        Error::Peer { offset, reason } => Error::Peer {
            offset: offset.saturating_add(base),
            reason,
        },
        other => other,
    }
}

/// The contract's error line for `e`, found by a decoder that started at input offset `base`.
fn report(e: Error, base: u64) -> ItemError {
    ItemError::from_error(&shifted(e, base), base)
}

/// What a [`CommandReader`] reads next.
#[derive(Debug)]
enum Reading {
    /// Command lines; the decoder started at input offset `base`.
    Commands { decoder: CommandDecoder, base: u64 },
    /// The content after DATA, which started at input offset `base`.
    Data {
        decoder: DataDecoder,
        base: u64,
        content: Vec<u8>,
    },
    /// A BDAT command was read: its chunk is announced to the BDAT decoder next (so that a
    /// size over the limit is reported after the command's object, not instead of it).
    BdatAnnounced { size: u64, last: bool },
    /// A BDAT chunk; `base` is the input offset of the BDAT decoder's offset 0 (it counts
    /// only chunk octets, not the command lines between them).
    Bdat { base: u64, content: Vec<u8> },
    /// STARTTLS was read: any byte now is an error.
    AfterStartTls,
}

/// What a client sends, read as a server that accepts every command reads it (`wire decode
/// smtp --role server`): feed bytes with [`CommandReader::receive`], take the contract's objects
/// with [`CommandReader::next`]. Offsets in errors count from the first byte received.
///
/// ```
/// use wire::smtp::CommandReader;
///
/// let mut reader = CommandReader::new(smtp_codec::Leniency::strict());
/// reader.receive(b"DATA\r\n..dot\r\n.\r\n");
/// assert_eq!(
///     reader.next(true).unwrap().map(|o| o.to_string()),
///     Some(r#"{"type":"command","command":"DATA"}"#.to_string())
/// );
/// assert_eq!(
///     reader.next(true).unwrap().map(|o| o.to_string()),
///     Some(r#"{"type":"data","content":".dot\r\n"}"#.to_string())
/// );
/// assert_eq!(reader.next(true), Ok(None));
/// ```
#[derive(Debug)]
pub struct CommandReader {
    leniency: Leniency,
    buf: BytesMut,
    /// Input offset of `buf`'s first byte.
    consumed: u64,
    reading: Reading,
    /// The chunks of the current BDAT message (its size limit spans them, RFC 3030 §2).
    bdat: BdatDecoder,
}

impl CommandReader {
    /// A reader at the start of a connection, with the default [`Limits`] and `leniency`.
    pub fn new(leniency: Leniency) -> CommandReader {
        CommandReader {
            leniency,
            buf: BytesMut::new(),
            consumed: 0,
            reading: Reading::Commands {
                decoder: CommandDecoder::new(Limits::default(), leniency),
                base: 0,
            },
            bdat: BdatDecoder::new(Limits::default()),
        }
    }

    /// Bytes from the client.
    pub fn receive(&mut self, bytes: &[u8]) {
        self.buf.extend_from_slice(bytes);
    }

    /// Whether the next bytes are message content (after DATA or BDAT), for the demo's notes.
    pub fn in_content(&self) -> bool {
        !matches!(
            self.reading,
            Reading::Commands { .. } | Reading::AfterStartTls
        )
    }

    /// The next object, `None` when the bytes received hold no more whole item (with `eof`,
    /// when they were all decoded: input that ends inside an item is an `incomplete` error).
    /// After an error the reader is not in step with the input; stop there.
    pub fn next(&mut self, eof: bool) -> Result<Option<Object>, ItemError> {
        loop {
            match self.step(eof)? {
                Step::Item(object) => return Ok(Some(object)),
                Step::More => return Ok(None),
                Step::Again => {}
            }
        }
    }

    /// One decoder call. Every decoder takes its bytes from the front of `buf`; each call is
    /// followed by counting what it took, so that `consumed` is the input offset of `buf`'s
    /// first byte again before anything reads it.
    fn step(&mut self, eof: bool) -> Result<Step, ItemError> {
        match &mut self.reading {
            Reading::Commands { decoder, base } => {
                let base = *base;
                let before = self.buf.len();
                let decoded = if eof {
                    decoder.decode_eof(&mut self.buf)
                } else {
                    decoder.decode(&mut self.buf)
                };
                self.consumed += before.saturating_sub(self.buf.len()) as u64;
                match decoded.map_err(|e| report(e, base))? {
                    None => Ok(Step::More),
                    Some(command) => {
                        let object = command_json(&command);
                        self.reading = match command {
                            Command::Data => Reading::Data {
                                decoder: DataDecoder::new(Limits::default(), self.leniency),
                                base: self.consumed,
                                content: Vec::new(),
                            },
                            Command::Bdat { size, last } => Reading::BdatAnnounced { size, last },
                            Command::StartTls => Reading::AfterStartTls,
                            // Same decoder, same base: it has counted every byte since.
                            _ => return Ok(Step::Item(object)),
                        };
                        Ok(Step::Item(object))
                    }
                }
            }
            Reading::Data {
                decoder,
                base,
                content,
            } => {
                let base = *base;
                let before = self.buf.len();
                let decoded = if eof {
                    decoder.decode_eof(&mut self.buf)
                } else {
                    decoder.decode(&mut self.buf)
                };
                self.consumed += before.saturating_sub(self.buf.len()) as u64;
                match decoded.map_err(|e| report(e, base))? {
                    None => Ok(Step::More),
                    Some(DataEvent::Data(piece)) => {
                        content.extend_from_slice(&piece);
                        Ok(Step::Again)
                    }
                    Some(DataEvent::End) => {
                        let object = data_json(content);
                        self.commands_again();
                        Ok(Step::Item(object))
                    }
                }
            }
            Reading::BdatAnnounced { size, last } => {
                let (size, last) = (*size, *last);
                // The BDAT decoder's offset `position()` is the input offset `consumed`.
                let base = self.consumed.saturating_sub(self.bdat.position());
                self.bdat.chunk(size, last).map_err(|e| report(e, base))?;
                self.reading = Reading::Bdat {
                    base,
                    content: Vec::new(),
                };
                Ok(Step::Again)
            }
            Reading::Bdat { base, content } => {
                let base = *base;
                let before = self.buf.len();
                let decoded = if eof {
                    self.bdat.decode_eof(&mut self.buf)
                } else {
                    self.bdat.decode(&mut self.buf)
                };
                self.consumed += before.saturating_sub(self.buf.len()) as u64;
                match decoded.map_err(|e| report(e, base))? {
                    None => Ok(Step::More),
                    Some(BdatEvent::Data(piece)) => {
                        content.extend_from_slice(&piece);
                        Ok(Step::Again)
                    }
                    Some(BdatEvent::ChunkEnd { last }) => {
                        let object = data_json(content);
                        if last {
                            self.bdat.reset();
                        }
                        self.commands_again();
                        Ok(Step::Item(object))
                    }
                }
            }
            Reading::AfterStartTls => {
                if self.buf.is_empty() {
                    return Ok(Step::More);
                }
                Err(ItemError {
                    kind: "data-after-starttls",
                    offset: self.consumed,
                    // Not how many: that depends on how much has arrived.
                    message: format!(
                        "bytes after STARTTLS, from byte {}: after its 220 they would be read as \
                         TLS, and a server that read them from the clear-text buffer would take \
                         them as sent under TLS (RFC 3207 §4.2, CVE-2011-0411)",
                        self.consumed
                    ),
                })
            }
        }
    }

    /// Back to command lines, with a decoder whose offsets start where the content ended.
    fn commands_again(&mut self) {
        self.reading = Reading::Commands {
            decoder: CommandDecoder::new(Limits::default(), self.leniency),
            base: self.consumed,
        };
    }
}

/// What one step of a [`CommandReader`] gave.
enum Step {
    Item(Object),
    More,
    Again,
}

/// The contract's object for one command.
pub fn command_json(command: &Command) -> Object {
    let object = Object::new()
        .with("type", "command")
        .with("command", command.verb());
    match command {
        Command::Ehlo(d) | Command::Helo(d) => object.with("domain", text(d.as_str())),
        Command::Mail { from, params } => object
            .with("path", text(&from.to_string()))
            .with("params", params_json(params)),
        Command::Rcpt { to, params } => object
            .with("path", text(&to.to_string()))
            .with("params", params_json(params)),
        Command::Vrfy(a) | Command::Expn(a) => object.with("arg", text(a.as_str())),
        Command::Help(a) | Command::Noop(a) => object.with("arg", optional_text(a.as_ref())),
        Command::Auth { mechanism, initial } => object
            .with("mechanism", text(mechanism.as_str()))
            .with("initial", optional_text(initial.as_ref())),
        Command::Bdat { size, last } => object.with("size", *size).with("last", Value::Bool(*last)),
        _ => object,
    }
}

/// A byte string of the wire as the contract writes it (the codec keeps text as UTF-8).
fn text(s: &str) -> String {
    json::latin1(s.as_bytes())
}

/// Something written as text, or null.
trait AsText {
    fn as_text(&self) -> &str;
}

impl AsText for Argument {
    fn as_text(&self) -> &str {
        self.as_str()
    }
}

impl AsText for InitialResponse {
    fn as_text(&self) -> &str {
        self.as_str()
    }
}

fn optional_text<T: AsText>(value: Option<&T>) -> Json {
    match value {
        Some(v) => Json::from(text(v.as_text())),
        None => Json::Value(Value::Null),
    }
}

/// `[[keyword, value], ...]`, the value null for a parameter without one (`SMTPUTF8`).
fn params_json(params: &[Parameter]) -> Value {
    Value::Array(
        params
            .iter()
            .map(|p| {
                let value = p.value().map_or(Value::Null, |v| Value::String(text(&v)));
                Value::Array(vec![Value::String(text(p.keyword())), value])
            })
            .collect(),
    )
}

/// The contract's object for message content.
fn data_json(content: &[u8]) -> Object {
    Object::new()
        .with("type", "data")
        .with("content", json::latin1(content))
}

// ---------------------------------------------------------------------------------------------
// decode, --role client

/// The contract's object for one reply: `lines` are [`Reply::texts`], each line's text after the
/// enhanced code and its space when every line carries the same one (then it is `enhanced`),
/// else the whole text.
pub fn reply_json(reply: &Reply) -> Object {
    let enhanced = match reply.enhanced() {
        Some(e) => Json::from(e.to_string()),
        None => Json::Value(Value::Null),
    };
    let lines = reply
        .texts()
        .iter()
        .map(|t| Value::String(text(t)))
        .collect();
    Object::new()
        .with("type", "reply")
        .with("code", reply.code())
        .with("enhanced", enhanced)
        .with("lines", Value::Array(lines))
}

// ---------------------------------------------------------------------------------------------
// encode, --role server

/// What the next object of `encode --role server` must be.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Next {
    /// A command.
    Command,
    /// The content of the DATA just written.
    Data,
    /// The chunk of the BDAT just written, exactly `size` octets.
    Chunk { size: u64, last: bool },
    /// Nothing: STARTTLS was written, and `decode` refuses any byte after it.
    Nothing,
}

/// Command and data objects into bytes.
struct CommandObjects {
    next: Next,
    /// Octets of the BDAT message so far (the decoder's size limit spans its chunks).
    message_size: u64,
}

impl ItemEncoder for CommandObjects {
    fn encode(&mut self, item: Value, dst: &mut BytesMut) -> Result<(), String> {
        let original = item.clone();
        let mut f = Fields::new(item)?;
        let kind = f.bytes("type")?;
        match (kind.as_slice(), self.next) {
            (_, Next::Nothing) => Err(
                "nothing may follow STARTTLS: decode refuses any byte after it \
                 (data-after-starttls, RFC 3207 §4.2)"
                    .to_string(),
            ),
            (b"command", Next::Command) => {
                let command = command_from_json(&mut f)?;
                f.finish()?;
                let bytes = encode_command(&command, &original)?;
                self.next = match command {
                    Command::Data => Next::Data,
                    Command::Bdat { size, last } => Next::Chunk { size, last },
                    Command::StartTls => Next::Nothing,
                    _ => Next::Command,
                };
                dst.extend_from_slice(&bytes);
                Ok(())
            }
            (b"data", Next::Data) => {
                let content = f.bytes("content")?;
                f.finish()?;
                dst.extend_from_slice(&encode_content(&content)?);
                self.next = Next::Command;
                Ok(())
            }
            (b"data", Next::Chunk { size, last }) => {
                let content = f.bytes("content")?;
                f.finish()?;
                if content.len() as u64 != size {
                    return Err(format!(
                        "the BDAT announced {size} octets, this content has {}",
                        content.len()
                    ));
                }
                let total = self.message_size.saturating_add(size);
                let limit = Limits::default().max_message_size;
                if total > limit {
                    return Err(format!(
                        "the BDAT message would be {total} octets, over decode's limit of {limit}"
                    ));
                }
                self.message_size = if last { 0 } else { total };
                dst.extend_from_slice(&content);
                self.next = Next::Command;
                Ok(())
            }
            (b"command", Next::Data | Next::Chunk { .. }) => Err(
                "a DATA or BDAT command is followed by its content: a \"data\" object".to_string(),
            ),
            (b"data", Next::Command) => {
                Err("a \"data\" object comes only after a DATA or BDAT command".to_string())
            }
            (other, _) => Err(format!(
                "type must be \"command\" or \"data\" for --role server, found {:?}",
                json::latin1(other)
            )),
        }
    }

    fn finish(&mut self) -> Result<(), String> {
        match self.next {
            Next::Data | Next::Chunk { .. } => Err(
                "the input ended after DATA or BDAT without its \"data\" object (decode would \
                 report incomplete)"
                    .to_string(),
            ),
            Next::Command | Next::Nothing => Ok(()),
        }
    }
}

/// An error of the codec about the value of field `key`.
fn field(key: &'static str) -> impl Fn(Error) -> String {
    move |e| format!("field {key:?}: {e}")
}

/// `f`'s string field `key` as UTF-8 text (the codec's types hold text; a byte string that is
/// not UTF-8 never decodes).
fn utf8_field(f: &mut Fields, key: &str) -> Result<String, String> {
    String::from_utf8(f.bytes(key)?)
        .map_err(|_| format!("field {key:?} is not UTF-8 (as bytes, one per character)"))
}

/// The command a command object describes (its `type` already taken), each part checked by
/// the codec's own constructor.
fn command_from_json(f: &mut Fields) -> Result<Command, String> {
    let verb = f.bytes("command")?;
    Ok(match verb.as_slice() {
        b"EHLO" => Command::Ehlo(Domain::new(&utf8_field(f, "domain")?).map_err(field("domain"))?),
        b"HELO" => Command::Helo(Domain::name(&utf8_field(f, "domain")?).map_err(field("domain"))?),
        b"MAIL" => {
            let path = utf8_field(f, "path")?;
            let from = if path.is_empty() {
                ReversePath::Null
            } else {
                ReversePath::Mailbox(Mailbox::parse(&path).map_err(field("path"))?)
            };
            let params = params_from_json(f.array("params")?, true)?;
            Command::Mail { from, params }
        }
        b"RCPT" => {
            let path = utf8_field(f, "path")?;
            let to = if path == "Postmaster" {
                ForwardPath::Postmaster
            } else {
                ForwardPath::Mailbox(Mailbox::parse(&path).map_err(field("path"))?)
            };
            let params = params_from_json(f.array("params")?, false)?;
            Command::Rcpt { to, params }
        }
        b"DATA" => Command::Data,
        b"RSET" => Command::Rset,
        b"QUIT" => Command::Quit,
        b"STARTTLS" => Command::StartTls,
        b"VRFY" => Command::Vrfy(Argument::new(&utf8_field(f, "arg")?).map_err(field("arg"))?),
        b"EXPN" => Command::Expn(Argument::new(&utf8_field(f, "arg")?).map_err(field("arg"))?),
        b"HELP" => Command::Help(optional_argument(f)?),
        b"NOOP" => Command::Noop(optional_argument(f)?),
        b"AUTH" => {
            let mechanism =
                Mechanism::new(&utf8_field(f, "mechanism")?).map_err(field("mechanism"))?;
            let initial = match f.optional_bytes("initial")? {
                None => None,
                Some(bytes) => {
                    let text = String::from_utf8(bytes)
                        .map_err(|_| "field \"initial\" is not base64".to_string())?;
                    Some(InitialResponse::new(&text).map_err(field("initial"))?)
                }
            };
            Command::Auth { mechanism, initial }
        }
        b"BDAT" => Command::Bdat {
            size: f.uint("size", u64::MAX)?,
            last: f.bool("last")?,
        },
        other => {
            return Err(format!(
                "unknown command {:?} (one of EHLO, HELO, MAIL, RCPT, DATA, BDAT, RSET, VRFY, \
                 EXPN, HELP, NOOP, QUIT, STARTTLS, AUTH, upper case)",
                json::latin1(other)
            ));
        }
    })
}

/// The `arg` of HELP or NOOP: a string, or null for none.
fn optional_argument(f: &mut Fields) -> Result<Option<Argument>, String> {
    match f.optional_bytes("arg")? {
        None => Ok(None),
        Some(bytes) => {
            let text = String::from_utf8(bytes)
                .map_err(|_| "field \"arg\" is not UTF-8 (as bytes, one per character)")?;
            Argument::new(&text)
                .map(Some)
                .map_err(|e| format!("field \"arg\": {e}"))
        }
    }
}

/// MAIL (`mail`) or RCPT parameters from `[[keyword, value or null], ...]`. The codec has no
/// public constructor for its typed parameters from text, so each one is parsed by the codec's
/// own grammar from a command line that holds it alone. Keyword and value may hold no space or
/// control character (the grammar allows none), so one parameter cannot pass for two.
fn params_from_json(values: Vec<Value>, mail: bool) -> Result<Vec<Parameter>, String> {
    let mut params = Vec::with_capacity(values.len());
    for pair in values {
        let shape = || "params must be a list of [keyword, value or null] pairs".to_string();
        let Value::Array(pair) = pair else {
            return Err(shape());
        };
        let (keyword, value) = match pair.as_slice() {
            [Value::String(k), Value::String(v)] => (json::from_latin1(k)?, Some(v)),
            [Value::String(k), Value::Null] => (json::from_latin1(k)?, None),
            _ => return Err(shape()),
        };
        let mut line = if mail {
            b"MAIL FROM:<> ".to_vec()
        } else {
            b"RCPT TO:<Postmaster> ".to_vec()
        };
        line.extend_from_slice(&keyword);
        if let Some(v) = value {
            line.push(b'=');
            line.extend_from_slice(&json::from_latin1(v)?);
        }
        let word = line.get(if mail { 13 } else { 21 }..).unwrap_or_default();
        if word.iter().any(|&b| b <= b' ' || b == 0x7f) || keyword.contains(&b'=') {
            return Err(format!(
                "parameter {:?}: a keyword or value holds a space, a control character or \
                 (in the keyword) \"=\" (RFC 5321 §4.1.2 esmtp-param)",
                json::latin1(word)
            ));
        }
        let parsed = Command::decode(&line, 0).map_err(|e| {
            format!(
                "parameter {:?}: {e} (in the line {:?})",
                json::latin1(word),
                json::latin1(&line)
            )
        })?;
        match parsed {
            Command::Mail { params: mut p, .. } | Command::Rcpt { params: mut p, .. }
                if p.len() == 1 =>
            {
                params.append(&mut p);
            }
            _ => {
                return Err(format!(
                    "parameter {:?} is not one parameter",
                    json::latin1(word)
                ));
            }
        }
    }
    Ok(params)
}

/// `command`'s line through [`CommandEncoder`], checked to decode back to `original`.
fn encode_command(command: &Command, original: &Value) -> Result<Vec<u8>, String> {
    let mut out = BytesMut::new();
    CommandEncoder::default()
        .encode(command, &mut out)
        .map_err(|e| format!("the command cannot be written: {e}"))?;
    let mut check = out.clone();
    let decoded = CommandDecoder::default()
        .decode_eof(&mut check)
        .map_err(|e| format!("the command would not decode: {e}"))?;
    let Some(decoded) = decoded.filter(|_| check.is_empty()) else {
        return Err("the command would not decode as one line".to_string());
    };
    let object = command_json(&decoded).to_string();
    if serde_json::from_str::<Value>(&object).ok().as_ref() != Some(original) {
        return Err(format!(
            "the command is not in the form decode prints: {:?} decodes as {object}",
            json::latin1(&out)
        ));
    }
    Ok(out.to_vec())
}

/// DATA content, dot-stuffed and ended with `<CRLF>.<CRLF>` by [`DataEncoder`], checked to
/// decode back to itself.
fn encode_content(content: &[u8]) -> Result<Vec<u8>, String> {
    if !content.is_empty() && !content.ends_with(b"\r\n") {
        return Err(
            "DATA content must be empty or end with CRLF: the CRLF before the final \".\" ends its \
             last line (RFC 5321 §4.1.1.4), so decode would read a CRLF more"
                .to_string(),
        );
    }
    let mut out = BytesMut::new();
    let mut encoder = DataEncoder::new(Limits::default(), Leniency::strict());
    encoder
        .encode_content(content, &mut out)
        .and_then(|()| encoder.finish(&mut out))
        .map_err(|e| format!("the content cannot be written: {e}"))?;
    // The decoder has a limit the encoder has not (the message size).
    let mut check = out.clone();
    let mut decoder = DataDecoder::new(Limits::default(), Leniency::strict());
    let mut back = Vec::with_capacity(content.len());
    loop {
        match decoder.decode_eof(&mut check) {
            Ok(Some(DataEvent::Data(piece))) => back.extend_from_slice(&piece),
            Ok(Some(DataEvent::End)) if check.is_empty() && back == content => {
                return Ok(out.to_vec());
            }
            Ok(_) => return Err("the content would not decode as itself".to_string()),
            Err(e) => return Err(format!("the content would not decode: {e}")),
        }
    }
}

// ---------------------------------------------------------------------------------------------
// encode, --role client

/// Reply objects into bytes.
struct ReplyObjects;

/// An enhanced status code as decode prints it: `class.subject.detail`, class 2, 4 or 5,
/// subject and detail 0 to 999 without leading zeros (RFC 3463 §2).
fn enhanced_code(text: &[u8]) -> Result<EnhancedCode, String> {
    let bad = || {
        format!(
            "field \"enhanced\" must be class.subject.detail (2, 4 or 5, then 0 to 999 twice, no \
             leading zeros; RFC 3463 §2), found {:?}",
            json::latin1(text)
        )
    };
    let number = |part: &[u8]| -> Option<u16> {
        let ok = !part.is_empty()
            && part.len() <= 3
            && part.iter().all(u8::is_ascii_digit)
            && (part.len() == 1 || part.first() != Some(&b'0'));
        ok.then(|| part.iter().fold(0, |v, d| v * 10 + u16::from(d - b'0')))
    };
    let parts: Vec<&[u8]> = text.split(|&b| b == b'.').collect();
    let [class, subject, detail] = parts.as_slice() else {
        return Err(bad());
    };
    let class = match *class {
        b"2" => 2,
        b"4" => 4,
        b"5" => 5,
        _ => return Err(bad()),
    };
    Ok(EnhancedCode {
        class,
        subject: number(subject).ok_or_else(bad)?,
        detail: number(detail).ok_or_else(bad)?,
    })
}

impl ItemEncoder for ReplyObjects {
    fn encode(&mut self, item: Value, dst: &mut BytesMut) -> Result<(), String> {
        let original = item.clone();
        let mut f = Fields::new(item)?;
        let kind = f.bytes("type")?;
        if kind != b"reply" {
            return Err(format!(
                "type must be \"reply\" for --role client, found {:?}",
                json::latin1(&kind)
            ));
        }
        let code = f.uint("code", 999)? as u16;
        let enhanced = f
            .optional_bytes("enhanced")?
            .map(|e| enhanced_code(&e))
            .transpose()?;
        let mut texts = Vec::new();
        for line in f.array("lines")? {
            let Value::String(line) = line else {
                return Err("lines must be a list of strings".to_string());
            };
            let text = String::from_utf8(json::from_latin1(&line)?).map_err(|_| {
                "a line is not UTF-8 (reply text is ASCII or UTF-8, RFC 6531 §3.7.4.2)".to_string()
            })?;
            texts.push(text);
        }
        f.finish()?;
        let lines = match enhanced {
            None => texts,
            Some(e) => {
                if u16::from(e.class) != code / 100 {
                    return Err(format!(
                        "the enhanced code {e} is not of the reply code's class {} (RFC 3463 §2)",
                        code / 100
                    ));
                }
                // Every line carries the code, followed by a space and the text if any.
                texts
                    .iter()
                    .map(|t| {
                        if t.is_empty() {
                            e.to_string()
                        } else {
                            format!("{e} {t}")
                        }
                    })
                    .collect()
            }
        };
        let reply = Reply::new(code, lines).map_err(|e| format!("not a reply: {e}"))?;
        let mut out = BytesMut::new();
        ReplyEncoder::default()
            .encode(&reply, &mut out)
            .map_err(|e| format!("the reply cannot be written: {e}"))?;
        let mut check = out.clone();
        let decoded = ReplyDecoder::default()
            .decode_eof(&mut check)
            .map_err(|e| format!("the reply would not decode: {e}"))?;
        let Some(decoded) = decoded.filter(|_| check.is_empty()) else {
            return Err("the reply would not decode as one reply".to_string());
        };
        let object = reply_json(&decoded).to_string();
        if serde_json::from_str::<Value>(&object).ok().as_ref() != Some(&original) {
            let hint = if decoded.enhanced().is_some() {
                ": every line starts with the same enhanced code, which decode reads as \
                 \"enhanced\" (give it there)"
            } else {
                ""
            };
            return Err(format!(
                "the reply would not decode as itself: {:?} decodes as {object}{hint}",
                json::latin1(&out)
            ));
        }
        dst.extend_from_slice(&out);
        Ok(())
    }
}

// ---------------------------------------------------------------------------------------------
// demo

fn demo_error(e: Error) -> DemoError {
    DemoError::Script(format!("smtp: {e}"))
}

fn demo_item(e: ItemError) -> DemoError {
    DemoError::Script(format!("smtp: {}", e.message))
}

fn domain(text: &str) -> Result<Domain, DemoError> {
    Domain::new(text).map_err(demo_error)
}

fn forward(text: &str) -> Result<ForwardPath, DemoError> {
    Ok(ForwardPath::Mailbox(
        Mailbox::parse(text).map_err(demo_error)?,
    ))
}

/// `bytes` as a JSON string (ISO-8859-1, escapes for CR and LF), for the transcript's notes.
fn quoted(bytes: &[u8]) -> String {
    Value::String(json::latin1(bytes)).to_string()
}

/// One connection: what each side wrote, decoded as `wire decode smtp` does.
struct Link {
    /// The client's bytes, as `--role server` reads them.
    commands: CommandReader,
    /// The server's bytes, as `--role client` reads them.
    replies: ReplyDecoder,
    /// The content the server session handed out, unstuffed.
    received: Vec<u8>,
}

impl Link {
    fn new() -> Link {
        Link {
            commands: CommandReader::new(Leniency::strict()),
            replies: ReplyDecoder::default(),
            received: Vec::new(),
        }
    }

    /// Prints what the client wrote: its commands (a note when several went in one write) or,
    /// for content, the bytes as they travel and the object they decode to.
    fn client_wrote(&mut self, t: &mut Transcript<'_>, bytes: &[u8]) -> Result<(), DemoError> {
        if self.commands.in_content() {
            t.line(&format!(
                "-- content on the wire, dot-stuffed: {}",
                quoted(bytes)
            ))?;
        }
        self.commands.receive(bytes);
        let mut objects = Vec::new();
        while let Some(object) = self.commands.next(false).map_err(demo_item)? {
            objects.push(object);
        }
        if objects.len() > 1 {
            t.line(&format!(
                "-- one write, {} commands pipelined (RFC 2920)",
                objects.len()
            ))?;
        }
        for object in objects {
            t.line(&format!("C: {object}"))?;
        }
        Ok(())
    }

    /// Prints the replies the server wrote.
    fn server_wrote(&mut self, t: &mut Transcript<'_>, bytes: &[u8]) -> Result<(), DemoError> {
        let mut buf = BytesMut::from(bytes);
        while let Some(reply) = self.replies.decode(&mut buf).map_err(demo_error)? {
            t.line(&format!("S: {}", reply_json(&reply)))?;
        }
        Ok(())
    }

    /// The server application: accepts everything but `nobody@`, which is refused 550.
    fn decide(
        &mut self,
        t: &mut Transcript<'_>,
        server: &mut ServerSession,
        event: ServerEvent,
    ) -> Result<(), DemoError> {
        match event {
            ServerEvent::Mail { .. } => server.accept().map_err(demo_error),
            ServerEvent::Rcpt { to, .. } if to.to_string().starts_with("nobody@") => {
                let no = EnhancedCode {
                    class: 5,
                    subject: 1,
                    detail: 1,
                };
                let reply = Reply::with_enhanced(550, no, [format!("<{to}>: no such user")])
                    .map_err(demo_error)?;
                server.refuse(reply).map_err(demo_error)
            }
            ServerEvent::Rcpt { .. } => server.accept().map_err(demo_error),
            ServerEvent::Data(piece) => {
                self.received.extend_from_slice(&piece);
                Ok(())
            }
            ServerEvent::MessageEnd => {
                t.line(&format!(
                    "-- server: the content, unstuffed: {}",
                    quoted(&self.received)
                ))?;
                self.received.clear();
                server.accept().map_err(demo_error)
            }
            ServerEvent::MessageRefused(e) => {
                self.received.clear();
                t.line(&format!("-- server: content refused: {e}"))?;
                t.line(
                    "-- server: the rest, smuggled MAIL, RCPT and DATA included, was skipped as \
                     content up to the real <CRLF>.<CRLF>: no second message",
                )?;
                Ok(())
            }
            _ => Ok(()),
        }
    }

    /// Moves bytes both ways until neither side has anything to say.
    fn pump(
        &mut self,
        t: &mut Transcript<'_>,
        client: &mut ClientSession,
        server: &mut ServerSession,
    ) -> Result<(), DemoError> {
        loop {
            let mut moved = false;
            while let Some(bytes) = client.poll_transmit() {
                moved = true;
                self.client_wrote(t, &bytes)?;
                server.receive(&bytes);
            }
            loop {
                match server.poll_event() {
                    Ok(Some(event)) => {
                        moved = true;
                        self.decide(t, server, event)?;
                    }
                    Ok(None) => break,
                    // Refused input, already answered by the session.
                    Err(e) => {
                        moved = true;
                        t.line(&format!("-- server: refused: {e}"))?;
                    }
                }
            }
            while let Some(bytes) = server.poll_transmit() {
                moved = true;
                self.server_wrote(t, &bytes)?;
                client.receive(&bytes);
            }
            while let Some(event) = client.poll_event().map_err(demo_error)? {
                moved = true;
                client_event(t, &event)?;
            }
            if !moved {
                return Ok(());
            }
        }
    }
}

/// A note for what the client session reports.
fn client_event(t: &mut Transcript<'_>, event: &ClientEvent) -> Result<(), DemoError> {
    match event {
        ClientEvent::Capabilities(c) if c.has("PIPELINING") => {
            t.line("-- client: the server offers PIPELINING: MAIL, RCPT and DATA go in one write")
        }
        ClientEvent::RecipientRefused { to, reply } => t.line(&format!(
            "-- client: <{to}> refused ({}); the message goes to the others",
            reply.code()
        )),
        ClientEvent::Delivered { accepted, reply } => {
            let to: Vec<String> = accepted.iter().map(|a| format!("<{a}>")).collect();
            t.line(&format!(
                "-- client: delivered to {} ({})",
                to.join(", "),
                reply.code()
            ))
        }
        ClientEvent::Closed => t.line("-- client: closed"),
        _ => Ok(()),
    }
}

/// `wire demo`'s SMTP section: a [`ClientSession`] and a [`ServerSession`] talk in memory: EHLO,
/// a pipelined transaction with a refused recipient and a dot-stuffed line, a smuggling attempt
/// refused on both sides, QUIT. Every write is printed as `wire decode smtp` prints it.
pub fn demo(t: &mut Transcript<'_>) -> Result<(), DemoError> {
    t.line("-- SMTP in memory (smtp_codec::ClientSession <-> ServerSession)")?;
    let mut server = ServerSession::new(ServerConfig::new(domain("mx.example")?));
    let mut client = ClientSession::new(ClientConfig::new(domain("client.example")?));
    let mut link = Link::new();
    // The greeting, EHLO and its reply.
    link.pump(t, &mut client, &mut server)?;

    let alice = ReversePath::Mailbox(Mailbox::parse("alice@client.example").map_err(demo_error)?);
    let envelope = Envelope::new(
        alice.clone(),
        vec![forward("bob@mx.example")?, forward("nobody@mx.example")?],
    );
    // A line that starts with a dot and one that is a dot alone: stuffed on the wire, so
    // neither ends the content early.
    let content = b"Subject: dots\r\n\r\n.leading dot\r\n.\r\nlast line\r\n";
    client.send_mail(envelope, content).map_err(demo_error)?;
    link.pump(t, &mut client, &mut server)?;

    smuggling(t, &mut client, alice)?;

    client.quit().map_err(demo_error)?;
    link.pump(t, &mut client, &mut server)?;
    Ok(())
}

/// SMTP smuggling (CVE-2023-51764/5/6): content holding `<CRLF>.<LF>` and a second message
/// after it. The client session will not write it; a client that writes its own bytes meets a
/// server session that refuses it and never runs the smuggled commands.
fn smuggling(
    t: &mut Transcript<'_>,
    client: &mut ClientSession,
    from: ReversePath,
) -> Result<(), DemoError> {
    let hostile: &[u8] = b"Subject: hi\r\n\r\nhi\r\n.\nMAIL FROM:<admin@mx.example>\r\n\
        RCPT TO:<bob@mx.example>\r\nDATA\r\nSubject: forged\r\n\r\n.\r\n";
    let envelope = Envelope::new(from, vec![forward("bob@mx.example")?]);
    match client.send_mail(envelope, hostile) {
        Err(e) => t.line(&format!(
            "-- smuggling: ClientSession will not send content holding <CRLF>.<LF>: {e}"
        ))?,
        Ok(()) => return Err("smtp: the client session accepted a bare LF".into()),
    }

    t.line("-- smuggling: a second connection, whose client writes its own bytes")?;
    let mut server = ServerSession::new(ServerConfig::new(domain("mx.example")?));
    let mut link = Link::new();
    let decide_all = |t: &mut Transcript<'_>, link: &mut Link, server: &mut ServerSession| {
        loop {
            match server.poll_event() {
                Ok(Some(event)) => link.decide(t, server, event)?,
                Ok(None) => break,
                Err(e) => t.line(&format!("-- server: refused: {e}"))?,
            }
        }
        while let Some(bytes) = server.poll_transmit() {
            link.server_wrote(t, &bytes)?;
        }
        Ok::<(), DemoError>(())
    };
    decide_all(t, &mut link, &mut server)?;
    let commands: &[u8] =
        b"EHLO mallory.example\r\nMAIL FROM:<mallory@client.example>\r\nRCPT TO:<bob@mx.example>\r\nDATA\r\n";
    link.client_wrote(t, commands)?;
    server.receive(commands);
    decide_all(t, &mut link, &mut server)?;

    t.line(&format!("-- content on the wire: {}", quoted(hostile)))?;
    link.commands.receive(hostile);
    match link.commands.next(false) {
        Err(e) => t.line(&format!("-- wire decode smtp: {}", e.to_json()))?,
        Ok(_) => return Err("smtp: wire decode accepted a bare LF".into()),
    }
    server.receive(hostile);
    decide_all(t, &mut link, &mut server)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    /// Everything `reader` gives for `input` fed in pieces of `size` bytes, then the end: the
    /// objects as text, and the error if any.
    fn read_in_pieces(input: &[u8], size: usize) -> (Vec<String>, Option<ItemError>) {
        let mut reader = CommandReader::new(Leniency::strict());
        let mut objects = Vec::new();
        for piece in input.chunks(size.max(1)) {
            reader.receive(piece);
            loop {
                match reader.next(false) {
                    Ok(Some(o)) => objects.push(o.to_string()),
                    Ok(None) => break,
                    Err(e) => return (objects, Some(e)),
                }
            }
        }
        loop {
            match reader.next(true) {
                Ok(Some(o)) => objects.push(o.to_string()),
                Ok(None) => return (objects, None),
                Err(e) => return (objects, Some(e)),
            }
        }
    }

    #[test]
    fn any_split_gives_the_same_objects_and_errors() {
        let inputs: [&[u8]; 6] = [
            b"EHLO a\r\nMAIL FROM:<a@b> SIZE=1\r\nDATA\r\n..x\r\n.\r\n\r\n.\r\nQUIT\r\n",
            b"BDAT 5\r\n\r\n.\r\nBDAT 2 LAST\r\nxyNOOP\r\n",
            b"EHLO a\r\nDATA\r\nx\r\n.\nMAIL FROM:<a@b>\r\n.\r\n",
            b"NOOP\r\nDATA\r\nx\r\n.\r\nFOO\r\n",
            b"STARTTLS\r\nEHLO a\r\n",
            b"DATA\r\nno end",
        ];
        for input in inputs {
            let whole = read_in_pieces(input, input.len());
            for size in 1..input.len() {
                assert_eq!(read_in_pieces(input, size), whole, "{input:?} in {size}s");
            }
        }
    }

    #[test]
    fn enhanced_codes_are_read_only_in_the_form_decode_prints() {
        let e = enhanced_code(b"5.1.10").unwrap();
        assert_eq!((e.class, e.subject, e.detail), (5, 1, 10));
        for bad in [
            &b"3.1.0"[..],
            b"2.01.0",
            b"2.1",
            b"2.1.0.0",
            b"2.1000.0",
            b"2..0",
            b" 2.1.0",
        ] {
            assert!(enhanced_code(bad).is_err(), "{bad:?}");
        }
    }
}
