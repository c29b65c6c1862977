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
use crate::command::Command;
use crate::error::Error;
use crate::leniency::Leniency;
use crate::limits::Limits;
use crate::line::LineFramer;

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
}

impl CommandDecoder {
    /// A decoder with these limits (`max_command_line`) and relaxations.
    pub fn new(limits: Limits, leniency: Leniency) -> CommandDecoder {
        CommandDecoder {
            lines: LineFramer::new(
                limits.max_command_line,
                leniency.bare_line_ends(),
                "command line",
            ),
        }
    }

    /// Stream offset of the next byte this decoder reads (bytes the caller took from the buffer
    /// itself, such as DATA or BDAT content, are not counted).
    pub fn position(&self) -> u64 {
        self.lines.position()
    }

    /// Decodes the client's answer to a 334 challenge (RFC 4954 §4): a line of base64 or `*`.
    /// Same framing and limits as commands.
    pub fn decode_auth_response(
        &mut self,
        src: &mut BytesMut,
    ) -> Result<Option<AuthResponse>, Error> {
        let Some((line, offset)) = self.lines.next(src)? else {
            return Ok(None);
        };
        AuthResponse::decode(&line)
            .map(Some)
            .map_err(|e| shift(e, offset))
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
        match self.lines.next(src)? {
            Some((line, offset)) => Command::decode(&line, offset).map(Some),
            None => Ok(None),
        }
    }

    fn decode_eof(&mut self, src: &mut BytesMut) -> Result<Option<Command>, Error> {
        match self.lines.next_eof(src)? {
            Some((line, offset)) => Command::decode(&line, offset).map(Some),
            None => Ok(None),
        }
    }
}

/// Writes commands (and AUTH responses) with CRLF, refusing a line over `max_command_line`.
#[derive(Debug, Clone, Default)]
pub struct CommandEncoder {
    limits: Limits,
}

impl CommandEncoder {
    /// An encoder with these limits.
    pub fn new(limits: Limits) -> CommandEncoder {
        CommandEncoder { limits }
    }

    fn put(&self, line: &[u8], dst: &mut BytesMut) -> Result<(), Error> {
        if line.len() + 2 > self.limits.max_command_line {
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
        self.put(&item.to_line()?, dst)
    }
}

impl Encoder<&Command> for CommandEncoder {
    type Error = Error;

    fn encode(&mut self, item: &Command, dst: &mut BytesMut) -> Result<(), Error> {
        self.put(&item.to_line()?, dst)
    }
}

impl Encoder<AuthResponse> for CommandEncoder {
    type Error = Error;

    fn encode(&mut self, item: AuthResponse, dst: &mut BytesMut) -> Result<(), Error> {
        self.put(item.line()?, dst)
    }
}
