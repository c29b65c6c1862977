//! The framing codecs: commands as a server reads them, responses as a client reads them, and
//! their encoders (RFC 1939 §3, RFC 2449 §4, RFC 5034 §4).
//!
//! A response's shape depends on the command it answers: a positive answer to RETR, TOP, CAPA,
//! LIST or UIDL without argument (and AUTH or LANG without argument) is multi-line, and AUTH
//! with a mechanism may be answered by `+` challenges first. [`ResponseDecoder::expect`] is told
//! each command sent, in order; with nothing expected a response is read as single-line (the
//! greeting, or a capture whose commands are unknown).

use std::collections::VecDeque;

use bytes::{BufMut, Bytes, BytesMut};
use framing::dot_stuffing::{DotConfig, DotDecoder, DotEncoder, DotError, DotEvent};
use framing::text_line::{LineError, LineFramer};
use framing::{Decoder, Encoder};

use crate::command::Command;
use crate::error::{Error, Found};
use crate::leniency::Leniency;
use crate::limits::Limits;
use crate::response::{Challenge, Response};
use crate::sasl::AuthResponse;

/// A line refused by the framing (RFC 1939 §3, RFC 2449 §4).
impl From<LineError> for Error {
    fn from(e: LineError) -> Error {
        match e {
            LineError::TooLong {
                offset,
                what,
                limit,
            } => Error::LineTooLong {
                offset,
                what,
                limit,
            },
            LineError::BareLineEnd { offset, byte } => Error::BareLineEnd { offset, byte },
            LineError::Truncated { offset, inside } => Error::Truncated { offset, inside },
        }
    }
}

/// Multi-line content refused, with its offset moved from the content's start to the stream's.
fn content_error(e: DotError, base: u64) -> Error {
    match e {
        DotError::BareLineEnd { offset, byte } => Error::BareLineEnd {
            offset: base + offset,
            byte,
        },
        DotError::LineTooLong { offset, limit } => Error::LineTooLong {
            offset: base + offset,
            what: "content line",
            limit,
        },
        DotError::TooLarge { offset, limit } => Error::TooLarge {
            offset: base + offset,
            what: "multi-line response",
            limit,
        },
        DotError::EightBit { offset, byte } => Error::Syntax {
            offset: base + offset,
            production: "CHAR",
            found: Found::Byte(byte),
            reason: "ASCII",
        },
        DotError::Truncated { offset } => Error::Truncated {
            offset: base + offset,
            inside: "a multi-line response",
        },
    }
}

/// The dot-stuffing rules of `limits` and `leniency` (RFC 1939 §3).
pub(crate) fn dot_config(limits: Limits, leniency: Leniency) -> DotConfig {
    DotConfig {
        max_line: limits.max_content_line,
        max_size: limits.max_multiline_size,
        normalize_bare_line_ends: leniency.bare_line_ends(),
        seven_bit: false,
    }
}

/// Decodes command lines (RFC 1939 §3) as a server reads them: at most
/// [`Limits::max_command_line`] octets, arguments of at most [`Limits::max_argument`]. A refused
/// line is consumed, so the next call decodes the next command.
///
/// ```
/// use bytes::BytesMut;
/// use framing::Decoder;
/// use pop3_codec::{Command, CommandDecoder, Error};
///
/// let mut decoder = CommandDecoder::default();
/// let mut buf = BytesMut::from(&b"RETR 0\r\nretr 1\r\n"[..]);
/// assert!(matches!(decoder.decode(&mut buf), Err(Error::Syntax { offset: 5, .. })));
/// assert_eq!(decoder.decode(&mut buf)?, Some(Command::Retr(1)));
/// # Ok::<(), Error>(())
/// ```
#[derive(Debug, Clone)]
pub struct CommandDecoder {
    lines: LineFramer,
    limits: Limits,
    utf8: bool,
}

impl CommandDecoder {
    /// A decoder with these limits and relaxations.
    pub fn new(limits: Limits, leniency: Leniency) -> CommandDecoder {
        CommandDecoder {
            lines: LineFramer::new(
                limits.max_command_line,
                leniency.bare_line_ends(),
                "command line",
            ),
            limits,
            utf8: false,
        }
    }

    /// The client sent UTF8 and the server accepted it: USER and PASS may carry UTF-8 from now
    /// on (RFC 6856 §2).
    pub fn set_utf8(&mut self, on: bool) {
        self.utf8 = on;
    }

    /// Stream offset of the next byte to be read.
    pub fn position(&self) -> u64 {
        self.lines.position()
    }

    /// `n` bytes after the last line read were dropped by the session (behind STLS), so later
    /// offsets still count from the start of the stream. Call only between lines.
    pub(crate) fn consumed_elsewhere(&mut self, n: u64) {
        self.lines.consumed_elsewhere(n);
    }

    /// Decodes the client's answer to a `+` challenge (RFC 5034 §4): base64 or `*`, in a line of
    /// at most [`Limits::max_auth_line`] octets.
    pub fn decode_auth_response(
        &mut self,
        src: &mut BytesMut,
    ) -> Result<Option<AuthResponse>, Error> {
        self.lines.set_max(self.limits.max_auth_line);
        let next = self.lines.next(src);
        self.lines.set_max(self.limits.max_command_line);
        // The framer names its lines "command line"; this one is an AUTH response line (RFC
        // 5034 §4), over max_auth_line, as Error::LineTooLong documents.
        let next = next.map_err(|e| match Error::from(e) {
            Error::LineTooLong { offset, limit, .. } => Error::LineTooLong {
                offset,
                what: "AUTH response line",
                limit,
            },
            e => e,
        });
        let Some((line, offset)) = next? else {
            return Ok(None);
        };
        AuthResponse::decode(&line)
            .map(Some)
            .map_err(|e| e.shifted(offset))
    }

    fn command(&self, line: Option<(Bytes, u64)>) -> Result<Option<Command>, Error> {
        match line {
            Some((line, offset)) => {
                Command::decode(&line, offset, self.limits.max_argument, self.utf8).map(Some)
            }
            None => Ok(None),
        }
    }
}

impl Default for CommandDecoder {
    fn default() -> Self {
        CommandDecoder::new(Limits::default(), Leniency::strict())
    }
}

impl Decoder for CommandDecoder {
    type Item = Command;
    type Error = Error;

    fn decode(&mut self, src: &mut BytesMut) -> Result<Option<Command>, Error> {
        let line = self.lines.next(src)?;
        self.command(line)
    }

    fn decode_eof(&mut self, src: &mut BytesMut) -> Result<Option<Command>, Error> {
        let line = self.lines.next_eof(src)?;
        self.command(line)
    }
}

/// Writes commands, each line checked against [`Limits::max_command_line`] (RFC 2449 §4).
#[derive(Debug, Clone, Default)]
pub struct CommandEncoder {
    limits: Limits,
}

impl CommandEncoder {
    /// An encoder with these limits.
    pub fn new(limits: Limits) -> CommandEncoder {
        CommandEncoder { limits }
    }

    fn put(line: &str, limit: usize, dst: &mut BytesMut) -> Result<(), Error> {
        if line.len() + 2 > limit {
            return Err(Error::Local {
                reason: "a command line over its limit (RFC 2449 §4, RFC 5034 §4)",
            });
        }
        dst.put_slice(line.as_bytes());
        dst.put_slice(b"\r\n");
        Ok(())
    }
}

impl Encoder<&Command> for CommandEncoder {
    type Error = Error;

    fn encode(&mut self, item: &Command, dst: &mut BytesMut) -> Result<(), Error> {
        Self::put(&item.to_line()?, self.limits.max_command_line, dst)
    }
}

impl Encoder<Command> for CommandEncoder {
    type Error = Error;

    fn encode(&mut self, item: Command, dst: &mut BytesMut) -> Result<(), Error> {
        self.encode(&item, dst)
    }
}

impl Encoder<&AuthResponse> for CommandEncoder {
    type Error = Error;

    fn encode(&mut self, item: &AuthResponse, dst: &mut BytesMut) -> Result<(), Error> {
        Self::put(item.line()?, self.limits.max_auth_line, dst)
    }
}

/// What a response answers, and so how it is read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Expect {
    /// A status line only.
    SingleLine,
    /// A status line; when positive, dot-stuffed lines up to `.CRLF` (RFC 1939 §3).
    MultiLine,
    /// AUTH with a mechanism: `+` challenges (each answered by the client), then a status line
    /// (RFC 5034 §4).
    Auth,
}

impl Expect {
    /// How the answer to `command` is read.
    pub fn answer_to(command: &Command) -> Expect {
        match command {
            Command::Auth {
                mechanism: Some(_), ..
            } => Expect::Auth,
            c if c.has_multiline_answer() => Expect::MultiLine,
            _ => Expect::SingleLine,
        }
    }
}

/// What a [`ResponseDecoder`] yields.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ResponseEvent {
    /// A status line. For a positive multi-line response, [`ResponseEvent::Data`] pieces and
    /// [`ResponseEvent::End`] follow.
    Status(Response),
    /// A `+` challenge in an AUTH exchange (RFC 5034 §4); the status line comes later.
    Challenge(Challenge),
    /// A piece of a multi-line response's content, dot-unstuffed, lines ending in CRLF.
    Data(Bytes),
    /// The `.CRLF` that ends a multi-line response.
    End,
}

/// Decodes responses as a client reads them (RFC 1939 §3): status lines of at most
/// [`Limits::max_response_line`] octets and multi-line content dot-unstuffed as it streams
/// ([`framing::dot_stuffing`]: content that needs no unstuffing is split off the input without
/// copying). Offsets count from the start of the stream.
///
/// ```
/// use bytes::BytesMut;
/// use framing::Decoder;
/// use pop3_codec::{Command, Error, ResponseDecoder, ResponseEvent};
///
/// let mut decoder = ResponseDecoder::default();
/// decoder.expect(&Command::Retr(1));
/// let mut buf = BytesMut::from(&b"+OK 13 octets\r\n..dot\r\nbody\r\n.\r\n"[..]);
/// assert!(matches!(decoder.decode(&mut buf)?, Some(ResponseEvent::Status(r)) if r.ok));
/// let mut content = Vec::new();
/// while let Some(ResponseEvent::Data(piece)) = decoder.decode(&mut buf)? {
///     content.extend_from_slice(&piece);
/// }
/// assert_eq!(content, b".dot\r\nbody\r\n");
/// # Ok::<(), Error>(())
/// ```
#[derive(Debug, Clone)]
pub struct ResponseDecoder {
    lines: LineFramer,
    limits: Limits,
    leniency: Leniency,
    expected: VecDeque<Expect>,
    /// Reading a multi-line response's content; the stream offset where it started.
    content: Option<(DotDecoder, u64)>,
}

impl Default for ResponseDecoder {
    fn default() -> Self {
        ResponseDecoder::new(Limits::default(), Leniency::strict())
    }
}

impl ResponseDecoder {
    /// A decoder with these limits and relaxations, expecting nothing yet.
    pub fn new(limits: Limits, leniency: Leniency) -> ResponseDecoder {
        ResponseDecoder {
            lines: LineFramer::new(
                limits.max_response_line,
                leniency.bare_line_ends(),
                "response line",
            ),
            limits,
            leniency,
            expected: VecDeque::new(),
            content: None,
        }
    }

    /// The next response answers `command` (commands sent are told in order; a pipelined
    /// client tells each one as it writes it).
    pub fn expect(&mut self, command: &Command) {
        self.expected.push_back(Expect::answer_to(command));
    }

    /// The next response is read as `expect`.
    pub fn expect_as(&mut self, expect: Expect) {
        self.expected.push_back(expect);
    }

    /// Responses expected and not read yet.
    pub fn outstanding(&self) -> usize {
        self.expected.len()
    }

    /// Stream offset of the next byte to be read.
    pub fn position(&self) -> u64 {
        match &self.content {
            Some((dot, base)) => base + dot.position(),
            None => self.lines.position(),
        }
    }

    /// Whether the decoder is inside a multi-line response's content.
    pub fn in_content(&self) -> bool {
        self.content.is_some()
    }

    fn read_content(
        &mut self,
        src: &mut BytesMut,
        eof: bool,
    ) -> Result<Option<ResponseEvent>, Error> {
        let Some((dot, base)) = self.content.as_mut() else {
            return Ok(None);
        };
        let base = *base;
        let before = dot.position();
        let result = if eof {
            dot.decode_eof(src)
        } else {
            dot.decode(src)
        };
        let used = dot.position() - before;
        self.lines.consumed_elsewhere(used);
        match result {
            Ok(Some(DotEvent::Data(piece))) => Ok(Some(ResponseEvent::Data(piece))),
            Ok(Some(DotEvent::End)) => {
                self.content = None;
                Ok(Some(ResponseEvent::End))
            }
            Ok(None) => Ok(None),
            Err(e) => {
                if let DotError::Truncated { .. } = e {
                    // The stream ended inside the content: the bytes left (a CR whose LF never
                    // came) belong to it and are counted in the error's offset; consumed here so
                    // they are not read again as a status line (one end of stream, one error).
                    self.lines.consumed_elsewhere(src.len() as u64);
                    src.clear();
                    self.content = None;
                }
                Err(content_error(e, base))
            }
        }
    }

    fn status(&mut self, line: &[u8], offset: u64) -> Result<ResponseEvent, Error> {
        let expect = self.expected.front().copied().unwrap_or(Expect::SingleLine);
        if expect == Expect::Auth {
            if let Some(challenge) = Challenge::decode_line(line, offset)? {
                return Ok(ResponseEvent::Challenge(challenge));
            }
        }
        self.expected.pop_front();
        let response = Response::decode(line, offset)?;
        if response.ok && expect == Expect::MultiLine {
            let dot = DotDecoder::new(dot_config(self.limits, self.leniency));
            self.content = Some((dot, self.lines.position()));
        }
        Ok(ResponseEvent::Status(response))
    }

    fn next(&mut self, src: &mut BytesMut, eof: bool) -> Result<Option<ResponseEvent>, Error> {
        if self.content.is_some() {
            return self.read_content(src, eof);
        }
        // RFC 5034 §4: a client "MUST be able to handle the maximum encoded size of challenges
        // ... independent of any line length limitations" elsewhere: while AUTH is answered, a
        // line (a `+` challenge, or the status that ends the exchange) may have
        // `max_auth_line` octets, not the 512 of RFC 2449 §4. The expectation changes only
        // between lines, so every split of the input reads the same.
        let auth = self.expected.front() == Some(&Expect::Auth);
        if auth {
            self.lines.set_max(self.limits.max_auth_line);
        }
        let line = match eof {
            true => self.lines.next_eof(src),
            false => self.lines.next(src),
        };
        if auth {
            self.lines.set_max(self.limits.max_response_line);
        }
        let line = match line {
            Ok(line) => line,
            Err(e) => {
                // The refused line stood for the response expected.
                self.expected.pop_front();
                return Err(e.into());
            }
        };
        match line {
            Some((line, offset)) => self.status(&line, offset).map(Some),
            None => Ok(None),
        }
    }
}

impl Decoder for ResponseDecoder {
    type Item = ResponseEvent;
    type Error = Error;

    fn decode(&mut self, src: &mut BytesMut) -> Result<Option<ResponseEvent>, Error> {
        self.next(src, false)
    }

    fn decode_eof(&mut self, src: &mut BytesMut) -> Result<Option<ResponseEvent>, Error> {
        self.next(src, true)
    }
}

/// Writes responses (RFC 1939 §3): status lines checked against
/// [`Limits::max_response_line`], challenges, and multi-line content dot-stuffed.
#[derive(Debug, Clone, Default)]
pub struct ResponseEncoder {
    limits: Limits,
}

impl ResponseEncoder {
    /// An encoder with these limits.
    pub fn new(limits: Limits) -> ResponseEncoder {
        ResponseEncoder { limits }
    }

    /// A positive multi-line response whole: the status line, `content` stuffed (lines ending
    /// in CRLF; a missing last CRLF is added), `.CRLF`.
    pub fn encode_multiline(
        &mut self,
        status: &Response,
        content: &[u8],
        dst: &mut BytesMut,
    ) -> Result<(), Error> {
        let start = dst.len();
        self.encode(status, dst)?;
        let mut dot = self.content_encoder();
        let written = dot
            .encode_content(content, dst)
            .and_then(|()| dot.finish(dst));
        if let Err(e) = written {
            dst.truncate(start);
            return Err(content_error(e, 0));
        }
        Ok(())
    }

    /// A stuffing encoder for a multi-line content written in pieces (a large RETR): write the
    /// status line with [`Encoder::encode`], then the pieces, then `finish`.
    pub fn content_encoder(&self) -> DotEncoder {
        DotEncoder::new(DotConfig {
            max_line: None,
            ..DotConfig::default()
        })
    }
}

impl Encoder<&Response> for ResponseEncoder {
    type Error = Error;

    fn encode(&mut self, item: &Response, dst: &mut BytesMut) -> Result<(), Error> {
        let line = item.to_line()?;
        if line.len() + 2 > self.limits.max_response_line {
            return Err(Error::Local {
                reason: "a response line over 512 octets (RFC 2449 §4)",
            });
        }
        dst.put_slice(line.as_bytes());
        dst.put_slice(b"\r\n");
        Ok(())
    }
}

impl Encoder<&Challenge> for ResponseEncoder {
    type Error = Error;

    fn encode(&mut self, item: &Challenge, dst: &mut BytesMut) -> Result<(), Error> {
        dst.put_slice(item.to_line().as_bytes());
        dst.put_slice(b"\r\n");
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn events(expect: &[Command], input: &[u8]) -> Vec<Result<ResponseEvent, Error>> {
        let mut d = ResponseDecoder::default();
        for c in expect {
            d.expect(c);
        }
        let mut buf = BytesMut::from(input);
        let mut out = Vec::new();
        loop {
            match d.decode_eof(&mut buf) {
                Ok(Some(e)) => out.push(Ok(e)),
                Ok(None) => return out,
                Err(e) => {
                    let stop = matches!(e, Error::Truncated { .. });
                    out.push(Err(e));
                    if stop {
                        return out;
                    }
                }
            }
        }
    }

    #[test]
    fn multiline_only_when_positive_and_expected() {
        let out = events(
            &[Command::List(None), Command::Retr(9), Command::Stat],
            b"+OK 2 messages\r\n1 120\r\n2 200\r\n.\r\n-ERR no such message\r\n+OK 2 320\r\n",
        );
        assert_eq!(out.len(), 5, "{out:?}");
        assert_eq!(out[1], Ok(ResponseEvent::Data("1 120\r\n2 200\r\n".into())));
        assert_eq!(out[2], Ok(ResponseEvent::End));
        assert!(matches!(&out[3], Ok(ResponseEvent::Status(r)) if !r.ok));
        assert!(matches!(&out[4], Ok(ResponseEvent::Status(r)) if r.text == "2 320"));
    }

    #[test]
    fn offsets_run_across_content() {
        let out = events(
            &[Command::Retr(1), Command::Stat],
            b"+OK\r\nab\r\n.\r\n+OK \x01\r\n",
        );
        assert!(
            matches!(out[3], Err(Error::Syntax { offset: 16, .. })),
            "{out:?}"
        );
        let out = events(&[Command::Retr(1)], b"+OK\r\nab\r\ncut");
        assert!(
            matches!(out.last(), Some(Err(Error::Truncated { offset: 12, .. }))),
            "{out:?}"
        );
        let out = events(&[Command::Retr(1)], b"+OK\r\nab\n.\r\n");
        assert!(
            matches!(out[2], Err(Error::BareLineEnd { offset: 7, .. })),
            "{out:?}"
        );
    }

    #[test]
    fn auth_challenges() {
        let auth = Command::Auth {
            mechanism: Some(crate::Mechanism::new("LOGIN").unwrap()),
            initial: None,
        };
        let out = events(
            &[auth],
            b"+ VXNlcm5hbWU6\r\n+ UGFzc3dvcmQ6\r\n+OK logged in\r\n",
        );
        assert!(matches!(&out[0], Ok(ResponseEvent::Challenge(c)) if c.decode() == b"Username:"));
        assert!(matches!(&out[1], Ok(ResponseEvent::Challenge(_))));
        assert!(matches!(&out[2], Ok(ResponseEvent::Status(r)) if r.ok));
    }

    #[test]
    fn encoders() {
        let mut out = BytesMut::new();
        let mut e = ResponseEncoder::default();
        e.encode_multiline(&Response::ok("message follows"), b".a\r\nb", &mut out)
            .unwrap();
        assert_eq!(&out[..], b"+OK message follows\r\n..a\r\nb\r\n.\r\n");
        let mut c = CommandEncoder::default();
        out.clear();
        c.encode(&Command::Top { msg: 1, lines: 5 }, &mut out)
            .unwrap();
        assert_eq!(&out[..], b"TOP 1 5\r\n");
    }
}
