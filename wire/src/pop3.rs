//! The `pop3` part of the contract, over `pop3-codec`.
//!
//! ```text
//! wire decode pop3 --role server                 {"type":"command","command":"RETR","args":["1"]}
//! wire decode pop3 --role client --answers RETR  {"type":"response","ok":true,"code":null,"text":T,"lines":[L...]}
//!                                                {"type":"challenge","data":B}   (a + line in answer to AUTH)
//! ```
//!
//! `--role server` reads command lines ([`CommandDecoder`]) as a server that accepts every
//! command would: after UTF8, USER and PASS may carry UTF-8 (RFC 6856 §2); nothing may follow
//! STLS (RFC 2595 §4), a byte there is the error `data-after-stls`.
//!
//! `--role client` reads responses ([`ResponseDecoder`]). The first response is the greeting;
//! each later one answers the next command of `--answers`, which says whether a positive
//! answer is multi-line (RETR, TOP, CAPA, LIST and UIDL without argument, ...) and whether `+`
//! challenges come first (AUTH with a mechanism). Responses beyond the list are single-line.
//! A positive answer to STLS is the last thing the server may send in clear.
//!
//! Every string from the wire (arguments, text, response codes, content lines) is a byte string
//! in the contract's ISO-8859-1 mapping.
//!
//! `encode` builds each command by the codec's own parser and writes it with
//! [`CommandEncoder`], each response with [`ResponseEncoder`] (multi-line content dot-stuffed),
//! then decodes what it wrote and refuses an object that would not come back as itself, as the
//! contract promises `decode(encode(x)) == x`. `encode --role client` reads `--answers` as
//! `decode` does, so a response is multi-line exactly when `decode` with the same `--answers`
//! reads it so.

use std::collections::VecDeque;

use bytes::BytesMut;
use framing::{Decoder, Encoder};
use pop3_codec::server::VecMaildrop;
use pop3_codec::{
    Challenge, ClientEvent, ClientSession, Command, CommandDecoder, CommandEncoder, Error, Expect,
    LENIENCY_FLAGS, Leniency, Limits, Response, ResponseCode, ResponseDecoder, ResponseEncoder,
    ResponseEvent, ServerConfig, ServerEvent, ServerSession,
};
use serde_json::Value;

use crate::demo::{DemoError, Transcript};
use crate::json::{self, Fields, Json, Object};
use crate::proto::{ItemEncoder, ItemError, Options, Protocol, Reportable, Role, Sink};

impl Reportable for Error {
    fn kind(&self) -> &'static str {
        match self {
            Error::Syntax { .. } => "syntax",
            Error::LineTooLong { .. } => "line-too-long",
            Error::ArgumentTooLong { .. } => "argument-too-long",
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

/// `pop3`: POP3 commands (`--role server`) or responses (`--role client`) (RFC 1939, 2449,
/// 5034, 2595, 6856).
#[derive(Debug, Clone, Default, clap::Args)]
pub struct Pop3 {
    /// The commands the responses after the greeting answer, in order (--role client): each a
    /// command line such as "RETR 1", "LIST", "TOP 1 5", or a bare RETR or TOP for any such
    /// command. Responses beyond the list are read as single-line.
    #[arg(
        long,
        value_name = "CMD,CMD,...",
        value_delimiter = ',',
        value_parser = Answer::parse
    )]
    pub answers: Vec<Answer>,
}

/// What a response answers, and so how `decode` reads it: one entry of `--answers`, or the
/// greeting.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Answer {
    /// Single-line, multi-line when positive, or `+` challenges first.
    expect: Expect,
    /// It answers STLS: nothing may follow a positive answer (RFC 2595 §4).
    stls: bool,
    /// The command as given, or "the greeting", for messages.
    label: String,
}

impl Default for Answer {
    /// A response read as single-line: the greeting, or one beyond `--answers`.
    fn default() -> Answer {
        Answer {
            expect: Expect::SingleLine,
            stls: false,
            label: "a response beyond --answers".to_string(),
        }
    }
}

/// Commands whose arguments are required; a bare name in `--answers` stands for the command
/// with any arguments.
const BARE: &[(&str, Expect)] = &[
    ("RETR", Expect::MultiLine),
    ("TOP", Expect::MultiLine),
    ("DELE", Expect::SingleLine),
    ("USER", Expect::SingleLine),
    ("PASS", Expect::SingleLine),
    ("APOP", Expect::SingleLine),
];

impl Answer {
    /// The answer to `command`.
    pub fn to(command: &Command) -> Answer {
        Answer {
            expect: Expect::answer_to(command),
            stls: matches!(command, Command::Stls),
            label: command
                .to_line()
                .unwrap_or_else(|_| command.keyword().to_string()),
        }
    }

    /// The greeting: single-line.
    pub fn greeting() -> Answer {
        Answer {
            label: "the greeting".to_string(),
            ..Answer::default()
        }
    }

    /// One entry of `--answers`: a command line as a client sends it (`RETR 1`, `LIST`,
    /// `LIST 1`, `TOP 1 5`, `AUTH PLAIN`; keywords in any case, surrounding spaces ignored), or
    /// the bare name of a command that takes arguments (`RETR`, `TOP`: multi-line; `DELE`,
    /// `USER`, `PASS`, `APOP`: single-line). A bare `LIST`, `UIDL`, `AUTH` or `LANG` is that
    /// command without argument, whose answer is multi-line.
    pub fn parse(entry: &str) -> Result<Answer, String> {
        let entry = entry.trim_matches(' ');
        let parsed = Command::decode(entry.as_bytes(), 0, Limits::default().max_argument, true);
        match parsed {
            Ok(command) => Ok(Answer {
                label: entry.to_string(),
                ..Answer::to(&command)
            }),
            Err(e) => {
                let bare = BARE
                    .iter()
                    .find(|(name, _)| name.eq_ignore_ascii_case(entry));
                match bare {
                    Some(&(_, expect)) => Ok(Answer {
                        expect,
                        stls: false,
                        label: entry.to_string(),
                    }),
                    None => Err(format!(
                        "{entry:?} is not a POP3 command line ({e}); give commands such as \
                         \"RETR 1\", \"LIST\", \"UIDL\", \"TOP 1 5\", \"CAPA\", \"STAT\""
                    )),
                }
            }
        }
    }
}

/// The relaxations named with `--lenient` (main has checked every name against
/// [`LENIENCY_FLAGS`]).
fn leniency(options: &Options) -> Leniency {
    Leniency::from_names(options.lenient.iter().map(String::as_str)).unwrap_or_default()
}

impl Protocol for Pop3 {
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
            }
            Role::Client => {
                let mut reader = ResponseReader::new(leniency);
                for answer in &self.answers {
                    reader.expect_answer(answer.clone());
                }
                reader.receive(input);
                while let Some(object) = reader.next(true)? {
                    sink.item(object);
                }
            }
        }
        Ok(())
    }

    fn encoder(&self, options: &Options) -> Box<dyn ItemEncoder> {
        match options.role {
            Role::Server => Box::new(CommandObjects {
                after_stls: false,
                utf8: false,
            }),
            Role::Client => {
                let mut answers = VecDeque::from([Answer::greeting()]);
                answers.extend(self.answers.iter().cloned());
                Box::new(ResponseObjects {
                    answers,
                    after_stls: false,
                })
            }
        }
    }
}

/// A byte string of the wire as the contract writes it (the codec keeps text as UTF-8).
fn text(s: &str) -> String {
    json::latin1(s.as_bytes())
}

/// The error for input that ends inside an item, at `offset`, the end of the input.
fn incomplete(offset: u64, left: usize) -> ItemError {
    ItemError {
        kind: "incomplete",
        offset,
        message: format!("input ended inside an item: {left} bytes left"),
    }
}

// ---------------------------------------------------------------------------------------------
// decode, --role server

/// What a client sends, read as a server that accepts every command reads it (`wire decode
/// pop3 --role server`): feed bytes with [`CommandReader::receive`], take the contract's objects
/// with [`CommandReader::next`]. Offsets count from the first byte received.
///
/// ```
/// use wire::pop3::CommandReader;
///
/// let mut reader = CommandReader::new(pop3_codec::Leniency::strict());
/// reader.receive(b"retr 1\r\n");
/// assert_eq!(
///     reader.next(true).unwrap().map(|o| o.to_string()),
///     Some(r#"{"type":"command","command":"RETR","args":["1"]}"#.to_string())
/// );
/// assert_eq!(reader.next(true), Ok(None));
/// ```
#[derive(Debug)]
pub struct CommandReader {
    decoder: CommandDecoder,
    buf: BytesMut,
    /// STLS was read: any byte now is an error.
    after_stls: bool,
}

impl CommandReader {
    /// A reader at the start of a connection, with the default [`Limits`] and `leniency`.
    pub fn new(leniency: Leniency) -> CommandReader {
        CommandReader {
            decoder: CommandDecoder::new(Limits::default(), leniency),
            buf: BytesMut::new(),
            after_stls: false,
        }
    }

    /// Bytes from the client.
    pub fn receive(&mut self, bytes: &[u8]) {
        self.buf.extend_from_slice(bytes);
    }

    /// The next object, `None` when the bytes received hold no more whole command (with `eof`,
    /// when they were all decoded: input that ends inside a command is an `incomplete` error).
    /// After an error the reader is not in step with the input; stop there.
    pub fn next(&mut self, eof: bool) -> Result<Option<Object>, ItemError> {
        Ok(self.next_command(eof)?.map(|c| command_json(&c)))
    }

    /// The next command, as [`CommandReader::next`] reads it.
    pub fn next_command(&mut self, eof: bool) -> Result<Option<Command>, ItemError> {
        let position = self.decoder.position();
        if self.after_stls {
            if self.buf.is_empty() {
                return Ok(None);
            }
            return Err(ItemError {
                kind: "data-after-stls",
                offset: position,
                // Not how many: that depends on how much has arrived.
                message: format!(
                    "bytes after STLS, from byte {position}: after its +OK they would be read as \
                     TLS, and a server that read them from the clear-text buffer would take them \
                     as sent under TLS (RFC 2595 §4, CVE-2011-0411)"
                ),
            });
        }
        let decoded = if eof {
            self.decoder.decode_eof(&mut self.buf)
        } else {
            self.decoder.decode(&mut self.buf)
        };
        match decoded.map_err(|e| ItemError::from_error(&e, position))? {
            None if eof && !self.buf.is_empty() => Err(incomplete(
                self.decoder.position() + self.buf.len() as u64,
                self.buf.len(),
            )),
            None => Ok(None),
            Some(command) => {
                match command {
                    Command::Stls => self.after_stls = true,
                    // The server accepts it: USER and PASS may carry UTF-8 from now on.
                    Command::Utf8 => self.decoder.set_utf8(true),
                    _ => {}
                }
                Ok(Some(command))
            }
        }
    }
}

/// The contract's object for one command: its keyword in upper case and its arguments as the
/// codec writes them (numbers without leading zeros; PASS's one argument may hold spaces).
pub fn command_json(command: &Command) -> Object {
    let args = command
        .args()
        .iter()
        .map(|a| Value::String(text(a)))
        .collect();
    Object::new()
        .with("type", "command")
        .with("command", command.keyword())
        .with("args", Value::Array(args))
}

// ---------------------------------------------------------------------------------------------
// decode, --role client

/// What a server sends, read as `wire decode pop3 --role client` reads it: the greeting, then
/// one response per command told with [`ResponseReader::expect`] (or
/// [`ResponseReader::expect_answer`]), in order; responses beyond them single-line. Feed bytes
/// with [`ResponseReader::receive`], take the contract's objects with [`ResponseReader::next`].
///
/// ```
/// use wire::pop3::ResponseReader;
///
/// let mut reader = ResponseReader::new(pop3_codec::Leniency::strict());
/// reader.expect(&pop3_codec::Command::Retr(1));
/// reader.receive(b"+OK ready\r\n+OK\r\n..dot\r\n.\r\n");
/// assert_eq!(
///     reader.next(true).unwrap().map(|o| o.to_string()),
///     Some(r#"{"type":"response","ok":true,"code":null,"text":"ready"}"#.to_string())
/// );
/// assert_eq!(
///     reader.next(true).unwrap().map(|o| o.to_string()),
///     Some(r#"{"type":"response","ok":true,"code":null,"text":"","lines":[".dot"]}"#.to_string())
/// );
/// ```
#[derive(Debug)]
pub struct ResponseReader {
    decoder: ResponseDecoder,
    buf: BytesMut,
    /// What each response not read yet answers, in the decoder's order.
    answers: VecDeque<Answer>,
    /// The status line of the multi-line response being read, and its content so far.
    pending: Option<(Response, Vec<u8>)>,
    /// A positive answer to STLS was read: any byte now is an error.
    after_stls: bool,
}

impl ResponseReader {
    /// A reader at the start of a connection (the greeting comes first), with the default
    /// [`Limits`] and `leniency`.
    pub fn new(leniency: Leniency) -> ResponseReader {
        let mut reader = ResponseReader::without_greeting(leniency);
        reader.expect_answer(Answer::greeting());
        reader
    }

    /// A reader expecting nothing yet (responses read as single-line until told).
    fn without_greeting(leniency: Leniency) -> ResponseReader {
        ResponseReader {
            decoder: ResponseDecoder::new(Limits::default(), leniency),
            buf: BytesMut::new(),
            answers: VecDeque::new(),
            pending: None,
            after_stls: false,
        }
    }

    /// The next response answers `command` (told in the order they were sent).
    pub fn expect(&mut self, command: &Command) {
        self.expect_answer(Answer::to(command));
    }

    /// The next response is read as `answer` says.
    pub fn expect_answer(&mut self, answer: Answer) {
        self.decoder.expect_as(answer.expect);
        self.answers.push_back(answer);
    }

    /// Bytes from the server.
    pub fn receive(&mut self, bytes: &[u8]) {
        self.buf.extend_from_slice(bytes);
    }

    /// The next object, `None` when the bytes received hold no more whole response or challenge
    /// (with `eof`, when they were all decoded: input that ends inside one is an `incomplete`
    /// error). After an error the reader is not in step with the input; stop there.
    pub fn next(&mut self, eof: bool) -> Result<Option<Object>, ItemError> {
        loop {
            let position = self.decoder.position();
            if self.after_stls {
                if self.buf.is_empty() {
                    return Ok(None);
                }
                return Err(ItemError {
                    kind: "data-after-stls",
                    offset: position,
                    message: format!(
                        "bytes after the +OK to STLS, from byte {position}: the client reads TLS \
                         from there, and one that read them from the clear-text buffer would take \
                         them as the server's under TLS (RFC 2595 §4, response injection)"
                    ),
                });
            }
            let event = if eof {
                self.decoder.decode_eof(&mut self.buf)
            } else {
                self.decoder.decode(&mut self.buf)
            };
            match event.map_err(|e| ItemError::from_error(&e, position))? {
                None if eof && (self.pending.is_some() || !self.buf.is_empty()) => {
                    return Err(incomplete(
                        self.decoder.position() + self.buf.len() as u64,
                        self.buf.len(),
                    ));
                }
                None => return Ok(None),
                Some(ResponseEvent::Status(response)) => {
                    let answer = self.answers.pop_front().unwrap_or_default();
                    if self.decoder.in_content() {
                        self.pending = Some((response, Vec::new()));
                        continue;
                    }
                    if answer.stls && response.ok {
                        self.after_stls = true;
                    }
                    return Ok(Some(response_json(&response, None)));
                }
                Some(ResponseEvent::Challenge(challenge)) => {
                    return Ok(Some(challenge_json(&challenge)));
                }
                Some(ResponseEvent::Data(piece)) => {
                    if let Some((_, content)) = self.pending.as_mut() {
                        content.extend_from_slice(&piece);
                    }
                }
                Some(ResponseEvent::End) => {
                    if let Some((response, content)) = self.pending.take() {
                        return Ok(Some(response_json(&response, Some(&content))));
                    }
                }
            }
        }
    }
}

/// The lines of multi-line content, each without its CRLF (the content is empty or ends with
/// CRLF).
fn content_lines(content: &[u8]) -> Vec<Value> {
    let mut lines = Vec::new();
    let mut rest = content;
    while !rest.is_empty() {
        let end = rest.windows(2).position(|w| w == b"\r\n");
        let line = rest.get(..end.unwrap_or(rest.len())).unwrap_or_default();
        lines.push(Value::String(json::latin1(line)));
        rest = match end {
            Some(end) => rest.get(end + 2..).unwrap_or_default(),
            None => &[],
        };
    }
    lines
}

/// The contract's object for one response; `content` (unstuffed) for a multi-line one.
pub fn response_json(response: &Response, content: Option<&[u8]>) -> Object {
    let code = match &response.code {
        Some(code) => Json::from(text(code.as_str())),
        None => Json::Value(Value::Null),
    };
    let object = Object::new()
        .with("type", "response")
        .with("ok", Value::Bool(response.ok))
        .with("code", code)
        .with("text", text(&response.text));
    match content {
        Some(content) => object.with("lines", Value::Array(content_lines(content))),
        None => object,
    }
}

/// The object for a `+` challenge of AUTH (RFC 5034 §4): its base64 text as sent.
pub fn challenge_json(challenge: &Challenge) -> Object {
    Object::new()
        .with("type", "challenge")
        .with("data", text(challenge.as_str()))
}

// ---------------------------------------------------------------------------------------------
// encode, --role server

/// Command objects into bytes.
struct CommandObjects {
    /// STLS was written: `decode` refuses any byte after it.
    after_stls: bool,
    /// UTF8 was written: USER and PASS may carry UTF-8.
    utf8: bool,
}

impl ItemEncoder for CommandObjects {
    fn encode(&mut self, item: Value, dst: &mut BytesMut) -> Result<(), String> {
        let original = item.clone();
        let mut f = Fields::new(item)?;
        let kind = f.bytes("type")?;
        if kind != b"command" {
            return Err(format!(
                "type must be \"command\" for --role server, found {:?}",
                json::latin1(&kind)
            ));
        }
        if self.after_stls {
            return Err("nothing may follow STLS: decode refuses any byte after it \
                 (data-after-stls, RFC 2595 §4)"
                .to_string());
        }
        let mut line = f.bytes("command")?;
        for arg in f.array("args")? {
            let Value::String(arg) = arg else {
                return Err("args must be a list of strings".to_string());
            };
            line.push(b' ');
            line.extend_from_slice(&json::from_latin1(&arg)?);
        }
        f.finish()?;
        if line.iter().any(|&b| b == b'\r' || b == b'\n') {
            return Err(
                "a CR or LF in the command or an argument would end the command line \
                 (RFC 1939 §3)"
                    .to_string(),
            );
        }
        let command = Command::decode(&line, 0, Limits::default().max_argument, self.utf8)
            .map_err(|e| format!("{:?} is not a command: {e}", json::latin1(&line)))?;
        let mut out = BytesMut::new();
        CommandEncoder::default()
            .encode(&command, &mut out)
            .map_err(|e| format!("the command cannot be written: {e}"))?;
        let mut reader = CommandReader::new(Leniency::strict());
        reader.decoder.set_utf8(self.utf8);
        reader.receive(&out);
        let decoded = reader
            .next(true)
            .map_err(|e| format!("the command would not decode: {}", e.message))?;
        let object = decoded.map(|o| o.to_string()).unwrap_or_default();
        if serde_json::from_str::<Value>(&object).ok().as_ref() != Some(&original) {
            return Err(format!(
                "the command is not in the form decode prints: {:?} decodes as {object} \
                 (keywords in upper case, numbers without leading zeros)",
                json::latin1(&out)
            ));
        }
        match command {
            Command::Stls => self.after_stls = true,
            Command::Utf8 => self.utf8 = true,
            _ => {}
        }
        dst.extend_from_slice(&out);
        Ok(())
    }
}

// ---------------------------------------------------------------------------------------------
// encode, --role client

/// Response and challenge objects into bytes, each read as `decode` with the same `--answers`
/// reads it.
struct ResponseObjects {
    /// What each response not written yet answers, the greeting first.
    answers: VecDeque<Answer>,
    /// A positive answer to STLS was written: `decode` refuses any byte after it.
    after_stls: bool,
}

/// The bytes of field `key` as UTF-8 text (the codec's types hold text; bytes that are not
/// UTF-8 never decode).
fn utf8_field(key: &str, bytes: Vec<u8>) -> Result<String, String> {
    String::from_utf8(bytes)
        .map_err(|_| format!("field {key:?} is not UTF-8 (as bytes, one per character)"))
}

impl ResponseObjects {
    /// The bytes of a challenge object (its `type` taken).
    fn challenge(&self, answer: &Answer, mut f: Fields) -> Result<Vec<u8>, String> {
        if answer.expect != Expect::Auth {
            return Err(format!(
                "a challenge is read only in answer to AUTH with a mechanism (RFC 5034 §4); \
                 this response is {} (tell decode and encode with --answers)",
                answer.label
            ));
        }
        let data = f.bytes("data")?;
        f.finish()?;
        let mut line = b"+ ".to_vec();
        line.extend_from_slice(&data);
        match Challenge::decode_line(&line, 0) {
            Ok(Some(challenge)) => {
                let mut out = BytesMut::new();
                ResponseEncoder::default()
                    .encode(&challenge, &mut out)
                    .map_err(|e| format!("the challenge cannot be written: {e}"))?;
                Ok(out.to_vec())
            }
            Ok(None) => Err("not a challenge".to_string()),
            Err(e) => Err(format!("field \"data\": {e}")),
        }
    }

    /// The bytes of a response object (its `type` taken).
    fn response(&self, answer: &Answer, mut f: Fields) -> Result<Vec<u8>, String> {
        let ok = f.bool("ok")?;
        let code = match f.optional_bytes("code")? {
            None => None,
            Some(code) => Some(
                ResponseCode::new(&utf8_field("code", code)?)
                    .map_err(|e| format!("field \"code\": {e}"))?,
            ),
        };
        let text = utf8_field("text", f.bytes("text")?)?;
        let lines = if f.has("lines") {
            Some(f.array("lines")?)
        } else {
            None
        };
        f.finish()?;
        let response = Response { ok, code, text };
        let multiline = ok && answer.expect == Expect::MultiLine;
        let mut out = BytesMut::new();
        let mut encoder = ResponseEncoder::default();
        match (multiline, lines) {
            (false, None) => encoder
                .encode(&response, &mut out)
                .map_err(|e| format!("the response cannot be written: {e}"))?,
            (true, Some(lines)) => {
                let mut content = Vec::new();
                for line in lines {
                    let Value::String(line) = line else {
                        return Err("lines must be a list of strings".to_string());
                    };
                    let line = json::from_latin1(&line)?;
                    if line.iter().any(|&b| b == b'\r' || b == b'\n') {
                        return Err(
                            "a line of a multi-line response holds a CR or LF: decode splits \
                             the content at CRLF and refuses a bare CR or LF (RFC 1939 §3)"
                                .to_string(),
                        );
                    }
                    content.extend_from_slice(&line);
                    content.extend_from_slice(b"\r\n");
                }
                encoder
                    .encode_multiline(&response, &content, &mut out)
                    .map_err(|e| format!("the response cannot be written: {e}"))?;
            }
            (true, None) => {
                return Err(format!(
                    "this response answers {} (--answers): a positive answer to it is \
                     multi-line, so decode reads the lines after it as its content; give \
                     \"lines\"",
                    answer.label
                ));
            }
            (false, Some(_)) if !ok => {
                return Err(
                    "a negative response is never multi-line (RFC 1939 §3): decode reads no \
                     \"lines\" after -ERR"
                        .to_string(),
                );
            }
            (false, Some(_)) => {
                return Err(format!(
                    "decode reads this response as single-line: it is {}; only positive \
                     answers to RETR, TOP, CAPA, LIST or UIDL without argument, AUTH without \
                     mechanism and LANG without argument are multi-line (tell decode and encode \
                     which command each response answers with --answers)",
                    answer.label
                ));
            }
        }
        Ok(out.to_vec())
    }
}

impl ItemEncoder for ResponseObjects {
    fn encode(&mut self, item: Value, dst: &mut BytesMut) -> Result<(), String> {
        let original = item.clone();
        let mut f = Fields::new(item)?;
        let kind = f.bytes("type")?;
        if self.after_stls {
            return Err(
                "nothing may follow a positive answer to STLS: decode refuses any byte after it \
                 (data-after-stls, RFC 2595 §4)"
                    .to_string(),
            );
        }
        let answer = self.answers.front().cloned().unwrap_or_default();
        let bytes = match kind.as_slice() {
            b"response" => self.response(&answer, f)?,
            b"challenge" => self.challenge(&answer, f)?,
            other => {
                return Err(format!(
                    "type must be \"response\" or \"challenge\" for --role client, found {:?}",
                    json::latin1(other)
                ));
            }
        };
        // Read back as decode reads it, expecting what it expects there.
        let mut reader = ResponseReader::without_greeting(Leniency::strict());
        reader.expect_answer(answer.clone());
        reader.receive(&bytes);
        let decoded = reader
            .next(true)
            .map_err(|e| format!("it would not decode: {}", e.message))?;
        let rest = reader.next(true);
        let object = decoded.map(|o| o.to_string()).unwrap_or_default();
        if rest != Ok(None)
            || serde_json::from_str::<Value>(&object).ok().as_ref() != Some(&original)
        {
            return Err(format!(
                "it would not decode as itself: {:?} decodes as {object}",
                json::latin1(&bytes)
            ));
        }
        if kind == b"response" {
            self.answers.pop_front();
            let ok = original.get("ok") == Some(&Value::Bool(true));
            self.after_stls = answer.stls && ok;
        }
        dst.extend_from_slice(&bytes);
        Ok(())
    }
}

// ---------------------------------------------------------------------------------------------
// demo

fn demo_error(e: Error) -> DemoError {
    DemoError::Script(format!("pop3: {e}"))
}

fn demo_item(e: ItemError) -> DemoError {
    DemoError::Script(format!("pop3: {}", e.message))
}

/// `bytes` as a JSON string (ISO-8859-1, escapes for CR and LF), for the transcript's notes.
fn quoted(bytes: &[u8]) -> String {
    Value::String(json::latin1(bytes)).to_string()
}

/// One connection: what each side wrote, decoded as `wire decode pop3` does.
struct Link {
    /// The client's bytes, as `--role server` reads them.
    commands: CommandReader,
    /// The server's bytes, as `--role client` reads them, told each command the client sent.
    responses: ResponseReader,
    /// Print the server's bytes as they travel too (to show the dot-stuffing).
    show_wire: bool,
    /// The message the client session handed out, unstuffed.
    message: Vec<u8>,
}

impl Link {
    /// Prints the commands the client wrote, and tells the response reader about each.
    fn client_wrote(&mut self, t: &mut Transcript<'_>, bytes: &[u8]) -> Result<(), DemoError> {
        self.commands.receive(bytes);
        let mut commands = Vec::new();
        while let Some(command) = self.commands.next_command(false).map_err(demo_item)? {
            commands.push(command);
        }
        if commands.len() > 1 {
            t.line(&format!(
                "-- one write, {} commands pipelined (RFC 2449 §6.6)",
                commands.len()
            ))?;
        }
        for command in commands {
            t.line(&format!("C: {}", command_json(&command)))?;
            self.responses.expect(&command);
        }
        Ok(())
    }

    /// Prints the responses the server wrote.
    fn server_wrote(&mut self, t: &mut Transcript<'_>, bytes: &[u8]) -> Result<(), DemoError> {
        if self.show_wire {
            t.line(&format!("-- on the wire, dot-stuffed: {}", quoted(bytes)))?;
        }
        self.responses.receive(bytes);
        while let Some(object) = self.responses.next(false).map_err(demo_item)? {
            t.line(&format!("S: {object}"))?;
        }
        Ok(())
    }

    /// Moves bytes both ways until neither side has anything to say. The server application
    /// accepts alice's login with `maildrop`.
    fn pump(
        &mut self,
        t: &mut Transcript<'_>,
        client: &mut ClientSession,
        server: &mut ServerSession<VecMaildrop>,
        maildrop: &VecMaildrop,
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
                    Ok(Some(ServerEvent::Login { user, .. })) => {
                        moved = true;
                        t.line(&format!(
                            "-- server: {user} logged in; the maildrop is locked"
                        ))?;
                        server.accept(maildrop.clone()).map_err(demo_error)?;
                    }
                    Ok(Some(_)) => moved = true,
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
                self.client_event(t, event)?;
            }
            if !moved {
                return Ok(());
            }
        }
    }

    /// A note for what the client session reports.
    fn client_event(
        &mut self,
        t: &mut Transcript<'_>,
        event: ClientEvent,
    ) -> Result<(), DemoError> {
        match event {
            ClientEvent::Capabilities(c) => t.line(&format!(
                "-- client: capabilities read: {}",
                quoted(c.to_content().as_bytes())
            )),
            ClientEvent::LoggedIn(_) => t.line("-- client: logged in (TRANSACTION state)"),
            ClientEvent::Listing(list) => {
                let list: Vec<String> = list
                    .iter()
                    .map(|(m, s)| format!("{m}: {s} octets"))
                    .collect();
                t.line(&format!("-- client: listing {}", list.join(", ")))
            }
            ClientEvent::Data(piece) => {
                self.message.extend_from_slice(&piece);
                Ok(())
            }
            ClientEvent::MessageEnd => {
                let message = std::mem::take(&mut self.message);
                t.line(&format!(
                    "-- client: the message, unstuffed: {}",
                    quoted(&message)
                ))
            }
            ClientEvent::Deleted(msg) => t.line(&format!(
                "-- client: message {msg} marked deleted (removed at QUIT)"
            )),
            ClientEvent::Closed => t.line("-- client: closed"),
            _ => Ok(()),
        }
    }
}

/// `wire demo`'s POP3 section: a [`ClientSession`] and a [`ServerSession`] talk in memory:
/// CAPA, USER/PASS, LIST, RETR of a message with dot-leading lines, DELE, QUIT. Every write is
/// printed as `wire decode pop3` prints it (the responses read with the commands sent as
/// `--answers`).
pub fn demo(t: &mut Transcript<'_>) -> Result<(), DemoError> {
    t.line("-- POP3 in memory (pop3_codec::ClientSession <-> ServerSession)")?;
    // A line that starts with a dot and one that is a dot alone: stuffed on the wire, so
    // neither ends the message early.
    let maildrop = VecMaildrop::new(vec![
        b"Subject: dots\r\n\r\n.leading dot\r\n.\r\nlast line\r\n".to_vec(),
        b"Subject: second\r\n\r\nhi\r\n".to_vec(),
    ]);
    let mut server: ServerSession<VecMaildrop> = ServerSession::new(ServerConfig::default());
    let mut client = ClientSession::default();
    let mut link = Link {
        commands: CommandReader::new(Leniency::strict()),
        responses: ResponseReader::new(Leniency::strict()),
        show_wire: false,
        message: Vec::new(),
    };
    // The greeting.
    link.pump(t, &mut client, &mut server, &maildrop)?;
    client.capa().map_err(demo_error)?;
    link.pump(t, &mut client, &mut server, &maildrop)?;
    client.login("alice", "secret").map_err(demo_error)?;
    link.pump(t, &mut client, &mut server, &maildrop)?;
    client.list(None).map_err(demo_error)?;
    link.pump(t, &mut client, &mut server, &maildrop)?;
    client.retr(1).map_err(demo_error)?;
    link.show_wire = true;
    link.pump(t, &mut client, &mut server, &maildrop)?;
    link.show_wire = false;
    client.dele(1).map_err(demo_error)?;
    link.pump(t, &mut client, &mut server, &maildrop)?;
    client.quit().map_err(demo_error)?;
    link.pump(t, &mut client, &mut server, &maildrop)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    /// Everything `next` gives for `input` fed in pieces of `size` bytes, then the end: the
    /// objects as text, and the error if any.
    fn read_in_pieces(
        input: &[u8],
        size: usize,
        receive: &mut dyn FnMut(&[u8]),
        next: &mut dyn FnMut(bool) -> Result<Option<Object>, ItemError>,
    ) -> (Vec<String>, Option<ItemError>) {
        let mut objects = Vec::new();
        for piece in input.chunks(size.max(1)) {
            receive(piece);
            loop {
                match next(false) {
                    Ok(Some(o)) => objects.push(o.to_string()),
                    Ok(None) => break,
                    Err(e) => return (objects, Some(e)),
                }
            }
        }
        loop {
            match next(true) {
                Ok(Some(o)) => objects.push(o.to_string()),
                Ok(None) => return (objects, None),
                Err(e) => return (objects, Some(e)),
            }
        }
    }

    fn commands(input: &[u8], size: usize) -> (Vec<String>, Option<ItemError>) {
        let reader = std::cell::RefCell::new(CommandReader::new(Leniency::strict()));
        read_in_pieces(
            input,
            size,
            &mut |b| reader.borrow_mut().receive(b),
            &mut |eof| reader.borrow_mut().next(eof),
        )
    }

    fn responses(answers: &str, input: &[u8], size: usize) -> (Vec<String>, Option<ItemError>) {
        let mut reader = ResponseReader::new(Leniency::strict());
        for entry in answers.split(',') {
            reader.expect_answer(Answer::parse(entry).unwrap());
        }
        let reader = std::cell::RefCell::new(reader);
        read_in_pieces(
            input,
            size,
            &mut |b| reader.borrow_mut().receive(b),
            &mut |eof| reader.borrow_mut().next(eof),
        )
    }

    #[test]
    fn any_split_gives_the_same_objects_and_errors() {
        let inputs: [&[u8]; 5] = [
            b"CAPA\r\nUSER a\r\nPASS b c\r\nRETR 1\r\nQUIT\r\n",
            b"UTF8\r\nUSER j\xc3\xb6rg\r\nNOOP\r\n",
            b"STLS\r\nCAPA\r\n",
            b"NOOP\r\nRETR 0\r\n",
            b"NOOP\r\nQUI",
        ];
        for input in inputs {
            let whole = commands(input, input.len());
            for size in 1..input.len() {
                assert_eq!(commands(input, size), whole, "{input:?} in {size}s");
            }
        }
        let inputs: [(&str, &[u8]); 5] = [
            (
                "CAPA,RETR 1,STAT",
                b"+OK\r\n+OK\r\nUSER\r\n.\r\n+OK\r\n..a\r\n.\r\n\r\n.\r\n+OK 1 2\r\n",
            ),
            ("AUTH LOGIN", b"+OK\r\n+ VXNlcm5hbWU6\r\n+ \r\n+OK\r\n"),
            ("STLS,CAPA", b"+OK\r\n+OK go\r\n+OK\r\nX\r\n.\r\n"),
            ("RETR 1", b"+OK\r\n+OK\r\na\r\n.\nb\r\n.\r\n"),
            ("RETR 1", b"+OK\r\n+OK\r\na\r\n."),
        ];
        for (answers, input) in inputs {
            let whole = responses(answers, input, input.len());
            for size in 1..input.len() {
                assert_eq!(
                    responses(answers, input, size),
                    whole,
                    "{input:?} in {size}s"
                );
            }
        }
    }

    #[test]
    fn answers_read_command_lines_and_bare_names() {
        let expect = |entry: &str| Answer::parse(entry).map(|a| (a.expect, a.stls));
        assert_eq!(expect("RETR 1"), Ok((Expect::MultiLine, false)));
        assert_eq!(expect("retr"), Ok((Expect::MultiLine, false)));
        assert_eq!(expect(" TOP "), Ok((Expect::MultiLine, false)));
        assert_eq!(expect("LIST"), Ok((Expect::MultiLine, false)));
        assert_eq!(expect("LIST 1"), Ok((Expect::SingleLine, false)));
        assert_eq!(expect("AUTH"), Ok((Expect::MultiLine, false)));
        assert_eq!(expect("AUTH PLAIN"), Ok((Expect::Auth, false)));
        assert_eq!(expect("DELE"), Ok((Expect::SingleLine, false)));
        assert_eq!(expect("STLS"), Ok((Expect::SingleLine, true)));
        assert!(expect("").is_err());
        assert!(expect("TOP 1").is_err());
        assert!(expect("FOO").is_err());
    }
}
