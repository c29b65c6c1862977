//! The [`framing::Decoder`] / [`framing::Encoder`] implementations for commands and replies.
//!
//! A decoder frames a line first (resumable CRLF scan, the limit of RFC 5321 §4.5.3.1), then
//! parses it whole. Every error consumes exactly the refused line (a line too long or holding a
//! bare CR or LF is skipped through its CRLF), so the next `decode` call yields the next item and
//! a server can answer 500 or 501 and go on.
//!
//! The decoders hold no bytes past the line they return. After [`Command::Data`] or
//! [`Command::Bdat`] the caller stops calling [`CommandDecoder`] and reads the content from the
//! same buffer with [`crate::data`] or [`crate::bdat`] (the bytes of the content are still in
//! the buffer, untouched), then comes back for the next command. After an AUTH that the server
//! answered 334, the client's lines are read with [`CommandDecoder::decode_auth_response`].

use bytes::{BufMut, BytesMut};
use framing::{Decoder, Encoder};

use crate::auth::AuthResponse;
use crate::command::{Command, CommandRef};
use crate::error::Error;
use crate::leniency::Leniency;
use crate::limits::Limits;
use crate::reply::Reply;
use framing::text_line::LineFramer;

/// Decodes command lines (RFC 5321 §4.1.1) as a server reads them.
///
/// ```
/// use bytes::BytesMut;
/// use framing::Decoder;
/// use smtp_codec::{Command, CommandDecoder, Error};
///
/// let mut dec = CommandDecoder::default();
/// let mut buf = BytesMut::from(&b"EHLO a.example\r\nFOO\r\nQUIT\r\n"[..]);
/// assert!(matches!(dec.decode(&mut buf), Ok(Some(Command::Ehlo(_)))));
/// assert!(matches!(dec.decode(&mut buf), Err(Error::UnknownCommand { offset: 16 })));
/// assert_eq!(dec.decode(&mut buf), Ok(Some(Command::Quit)));
/// ```
#[derive(Debug, Clone)]
pub struct CommandDecoder {
    lines: LineFramer,
    max_command_line: usize,
}

/// The longest AUTH response line a server must accept (RFC 4954 §4: 12288 octets).
pub const MAX_AUTH_RESPONSE_LINE: usize = 12288;

impl CommandDecoder {
    /// A decoder with these limits (`max_command_line`) and relaxations.
    pub fn new(limits: Limits, leniency: Leniency) -> CommandDecoder {
        CommandDecoder {
            lines: LineFramer::new(
                limits.max_command_line,
                leniency.bare_line_ends(),
                "command line",
            ),
            max_command_line: limits.max_command_line,
        }
    }

    /// Stream offset of the next byte this decoder reads (bytes the caller took from the buffer
    /// itself, such as DATA or BDAT content, count once reported with
    /// [`CommandDecoder::consumed_elsewhere`]).
    pub fn position(&self) -> u64 {
        self.lines.position()
    }

    /// `n` bytes at the start of the buffer were taken by the caller itself (DATA or BDAT
    /// content, read with [`crate::data`] or [`crate::bdat`]), so the offsets of the lines after
    /// them stay stream offsets. Call only between lines.
    pub fn consumed_elsewhere(&mut self, n: u64) {
        self.lines.consumed_elsewhere(n);
    }

    /// Decodes the client's answer to a 334 challenge (RFC 4954 §4): a line of base64 or `*`.
    /// Same framing as commands, with a line limit of at least [`MAX_AUTH_RESPONSE_LINE`]
    /// (RFC 4954 §4 raises it for these lines).
    pub fn decode_auth_response(
        &mut self,
        src: &mut BytesMut,
    ) -> Result<Option<AuthResponse>, Error> {
        self.lines
            .set_max(self.max_command_line.max(MAX_AUTH_RESPONSE_LINE));
        let next = self.lines.next(src);
        self.lines.set_max(self.max_command_line);
        let Some((line, offset)) = next? else {
            return Ok(None);
        };
        AuthResponse::decode(&line)
            .map(Some)
            .map_err(|e| shift(e, offset))
    }

    /// [`Decoder::decode`] without the owned [`Command`]: the next command line is parsed in
    /// place into a [`CommandRef`] (nothing allocated for a MAIL or RCPT of up to four
    /// parameters) and handed to `f`, whose answer is returned; the line is consumed
    /// afterwards. Same framing, same strictness, same errors as [`Decoder::decode`]
    /// (RFC 5321 §4.1.1, §4.5.3.1.4).
    ///
    /// ```
    /// use bytes::BytesMut;
    /// use smtp_codec::{CommandDecoder, CommandRef};
    ///
    /// let mut dec = CommandDecoder::default();
    /// let mut buf = BytesMut::from(&b"RCPT TO:<b@example.net> NOTIFY=NEVER\r\n"[..]);
    /// let to = dec.decode_with(&mut buf, |cmd| match cmd {
    ///     CommandRef::Rcpt { to, .. } => Some(to.to_string()),
    ///     _ => None,
    /// });
    /// assert_eq!(to, Ok(Some(Some("b@example.net".to_string()))));
    /// assert!(buf.is_empty());
    /// ```
    pub fn decode_with<R>(
        &mut self,
        src: &mut BytesMut,
        f: impl FnOnce(CommandRef<'_>) -> R,
    ) -> Result<Option<R>, Error> {
        self.lines
            .next_with(src, |line, base| CommandRef::decode(line, base).map(f))?
            .transpose()
    }
}

/// Moves an error's offset from the start of the line to the stream.
fn shift(e: Error, base: u64) -> Error {
    match e {
        Error::Syntax {
            offset,
            production,
            found,
            reason,
        } => Error::Syntax {
            offset: offset + base,
            production,
            found,
            reason,
        },
        e => e,
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
        // The line is parsed where it lies in `src` (the command owns what it keeps), not split
        // off as `Bytes` first.
        self.lines.next_with(src, Command::decode)?.transpose()
    }

    fn decode_eof(&mut self, src: &mut BytesMut) -> Result<Option<Command>, Error> {
        self.lines.next_eof_with(src, Command::decode)?.transpose()
    }
}

/// Writes commands (and AUTH responses) with CRLF, refusing a line over `max_command_line` (for
/// an AUTH response, over the larger of it and [`MAX_AUTH_RESPONSE_LINE`]).
#[derive(Debug, Clone, Default)]
pub struct CommandEncoder {
    limits: Limits,
}

impl CommandEncoder {
    /// An encoder with these limits.
    pub fn new(limits: Limits) -> CommandEncoder {
        CommandEncoder { limits }
    }

    fn put(&self, line: &[u8], limit: usize, dst: &mut BytesMut) -> Result<(), Error> {
        if line.len() + 2 > limit {
            return Err(Error::Local {
                reason: "command line over the limit (RFC 5321 §4.5.3.1.4)",
            });
        }
        dst.reserve(line.len() + 2);
        dst.put_slice(line);
        dst.put_slice(b"\r\n");
        Ok(())
    }
}

impl Encoder<Command> for CommandEncoder {
    type Error = Error;

    fn encode(&mut self, item: Command, dst: &mut BytesMut) -> Result<(), Error> {
        self.put(&item.to_line()?, self.limits.max_command_line, dst)
    }
}

impl Encoder<&Command> for CommandEncoder {
    type Error = Error;

    fn encode(&mut self, item: &Command, dst: &mut BytesMut) -> Result<(), Error> {
        self.put(&item.to_line()?, self.limits.max_command_line, dst)
    }
}

impl Encoder<AuthResponse> for CommandEncoder {
    type Error = Error;

    fn encode(&mut self, item: AuthResponse, dst: &mut BytesMut) -> Result<(), Error> {
        let limit = self.limits.max_command_line.max(MAX_AUTH_RESPONSE_LINE);
        self.put(item.line()?, limit, dst)
    }
}

/// Decodes replies (RFC 5321 §4.2) as a client reads them: multi-line replies assembled, the
/// same code required on every line, at most `max_reply_lines` lines of `max_reply_line`
/// octets.
///
/// ```
/// use bytes::BytesMut;
/// use framing::Decoder;
/// use smtp_codec::ReplyDecoder;
///
/// let mut dec = ReplyDecoder::default();
/// let mut buf = BytesMut::from(&b"250-mx.example\r\n250 SIZE 1000\r\n"[..]);
/// let reply = dec.decode(&mut buf).unwrap().unwrap();
/// assert_eq!(reply.code(), 250);
/// assert_eq!(reply.lines(), ["mx.example", "SIZE 1000"]);
/// ```
#[derive(Debug, Clone)]
pub struct ReplyDecoder {
    lines: LineFramer,
    assembly: Assembly,
}

/// The reply lines read so far (a field of its own, so that [`LineFramer::next_with`]'s closure
/// can add to it while the framer lends it the line).
#[derive(Debug, Clone)]
struct Assembly {
    max_lines: usize,
    /// The reply being assembled: its code, its lines' texts joined by LF, how many lines.
    /// Bytes, checked as UTF-8 once when the reply is whole rather than once per line.
    partial: Option<(u16, Vec<u8>, usize)>,
    /// Dropping the rest of a reply that had too many lines.
    discarding: bool,
}

impl ReplyDecoder {
    /// A decoder with these limits (`max_reply_line`, `max_reply_lines`) and relaxations.
    pub fn new(limits: Limits, leniency: Leniency) -> ReplyDecoder {
        ReplyDecoder {
            lines: LineFramer::new(
                limits.max_reply_line,
                leniency.bare_line_ends(),
                "reply line",
            ),
            assembly: Assembly {
                max_lines: limits.max_reply_lines,
                partial: None,
                discarding: false,
            },
        }
    }

    /// Stream offset of the next byte this decoder reads.
    pub fn position(&self) -> u64 {
        self.lines.position()
    }
}

impl Assembly {
    fn line(&mut self, line: &[u8], offset: u64) -> Result<Option<Reply>, Error> {
        let (code, more, text) =
            match crate::parse::whole(line, offset, "Reply-line", "RFC 5321 §4.2", |i| {
                crate::parse::reply::reply_line(i)
            }) {
                Ok(v) => v,
                Err(e) => {
                    self.partial = None;
                    return Err(e);
                }
            };
        if self.discarding {
            self.discarding = more;
            return Ok(None);
        }
        let (_, joined, count) = match &mut self.partial {
            Some((c, _, _)) if *c != code => {
                self.partial = None;
                return Err(Error::Syntax {
                    offset,
                    production: "Reply-code",
                    found: crate::parse::found_at(line, 0),
                    reason: "every line of a reply has the same code, RFC 5321 §4.2.1",
                });
            }
            Some(p) => {
                p.1.push(b'\n');
                p
            }
            // A multi-line reply (EHLO) has about ten lines of about 20 octets: room for them
            // at once.
            None => self.partial.insert((
                code,
                Vec::with_capacity(if more { 256 } else { text.len() }),
                0,
            )),
        };
        joined.extend_from_slice(text);
        *count += 1;
        if *count > self.max_lines {
            self.partial = None;
            self.discarding = more;
            return Err(Error::TooLarge {
                offset,
                what: "reply lines",
                limit: self.max_lines as u64,
            });
        }
        if more {
            return Ok(None);
        }
        Ok(self.partial.take().map(|(code, text, _)| {
            // `textstring` lets through only ASCII and whole UTF-8 characters, so this is
            // never lossy.
            let text = String::from_utf8(text)
                .unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned());
            Reply::from_parsed(code, text)
        }))
    }
}

impl Default for ReplyDecoder {
    fn default() -> Self {
        ReplyDecoder::new(Limits::default(), Leniency::strict())
    }
}

impl Decoder for ReplyDecoder {
    type Item = Reply;
    type Error = Error;

    fn decode(&mut self, src: &mut BytesMut) -> Result<Option<Reply>, Error> {
        loop {
            // Each line is parsed where it lies in `src`, not split off as `Bytes`.
            let assembly = &mut self.assembly;
            let next = self
                .lines
                .next_with(src, |line, offset| assembly.line(line, offset));
            let Some(reply) = next.inspect_err(|_| assembly.partial = None)? else {
                return Ok(None);
            };
            if let Some(r) = reply? {
                return Ok(Some(r));
            }
        }
    }

    fn decode_eof(&mut self, src: &mut BytesMut) -> Result<Option<Reply>, Error> {
        loop {
            let assembly = &mut self.assembly;
            let next = self
                .lines
                .next_eof_with(src, |line, offset| assembly.line(line, offset));
            match next.inspect_err(|_| assembly.partial = None)? {
                Some(reply) => {
                    if let Some(r) = reply? {
                        return Ok(Some(r));
                    }
                }
                None => {
                    assembly.discarding = false;
                    if assembly.partial.take().is_some() {
                        return Err(Error::Truncated {
                            offset: self.lines.position(),
                            inside: "multi-line reply",
                        });
                    }
                    return Ok(None);
                }
            }
        }
    }
}

/// Writes replies, refusing one with a line over `max_reply_line` or more lines than
/// `max_reply_lines`.
#[derive(Debug, Clone, Default)]
pub struct ReplyEncoder {
    limits: Limits,
}

impl ReplyEncoder {
    /// An encoder with these limits.
    pub fn new(limits: Limits) -> ReplyEncoder {
        ReplyEncoder { limits }
    }
}

impl Encoder<&Reply> for ReplyEncoder {
    type Error = Error;

    fn encode(&mut self, item: &Reply, dst: &mut BytesMut) -> Result<(), Error> {
        if item.line_count() > self.limits.max_reply_lines {
            return Err(Error::Local {
                reason: "more reply lines than max_reply_lines",
            });
        }
        // code, separator, text, CRLF.
        let too_long = item.lines_with_separators().any(|(l, sep)| {
            3 + usize::from(sep.is_some()) + l.len() + 2 > self.limits.max_reply_line
        });
        if too_long {
            return Err(Error::Local {
                reason: "reply line over the limit (RFC 5321 §4.5.3.1.5)",
            });
        }
        dst.put_slice(&item.to_bytes());
        Ok(())
    }
}

impl Encoder<Reply> for ReplyEncoder {
    type Error = Error;

    fn encode(&mut self, item: Reply, dst: &mut BytesMut) -> Result<(), Error> {
        self.encode(&item, dst)
    }
}
