//! Message content after DATA (RFC 5321 §4.1.1.4, §4.5.2): dot-unstuffing on the way in,
//! dot-stuffing on the way out, and the end of the content at `<CRLF>.<CRLF>` only.
//!
//! ```text
//! DATA <CRLF>                          (the command; its CRLF starts the first content line)
//! *( text-line CRLF )                  a line starting with "." is sent with one more "."
//! "." CRLF                             the end of the mail data
//! ```
//!
//! The codec is [`framing::dot_stuffing`], shared with POP3's multi-line responses; the rules it
//! keeps, in SMTP's words, and why:
//!
//! - Only `<CRLF>.<CRLF>` ends the content, and the start of the content counts as the start of a
//!   line (the DATA command's own CRLF precedes it), so `.<CRLF>` as the very first line is an
//!   empty message. Every variant made of bare line ends (`<LF>.<LF>`, `<CR>.<CR>`,
//!   `<CRLF>.<LF>`, `<CR><CRLF>.<CR><CRLF>`, ...) is refused as [`Error::BareLineEnd`] by
//!   default (RFC 5321 §2.3.8): that is SMTP smuggling (CVE-2023-51764 Postfix, CVE-2023-51765
//!   Sendmail, CVE-2023-51766 Exim), where two agents on the path disagree on where the message
//!   ends. Under [`Leniency::normalize_bare_line_ends`] a bare CR or LF becomes CRLF in the
//!   content, but is never taken as a line end for the terminator.
//! - A line starting with a dot loses it (§4.5.2, "transparency"); a dot followed by a bare line
//!   end counts as a line with other characters on it, so under the leniency `<CRLF>.<LF>` gives
//!   the content `<CRLF><CRLF>`, never an end. Under the leniency a line that follows a
//!   normalised bare line end loses its leading dot too, even when `.<CRLF>` is all it holds:
//!   `<LF>.<CRLF>` is content (`<CRLF><CRLF>`), not the end, or a lenient decoder would end the
//!   message where a strict peer does not.
//! - A line is at most [`Limits::max_content_line`] octets with its CRLF, not counting the dot
//!   added for transparency (§4.5.3.1.6); `None` lifts it.
//! - The content after unstuffing is at most [`Limits::max_message_size`] octets (RFC 1870).
//! - With [`DataDecoder::seven_bit`] (the client said `BODY=7BIT`, RFC 6152 §3, or nothing,
//!   RFC 5321 §2.4 without 8BITMIME) an octet over 127 is refused.
//! - NUL and the other control characters are accepted: RFC 5321 §4.1.1.4 says "the mail data
//!   may contain any of the 128 ASCII character codes", and only advises senders to avoid
//!   control characters. A NUL is never a line end, so `<CRLF><NUL>.<CRLF>` is content.
//!
//! After an error the decoder skips the rest of the content up to the real `<CRLF>.<CRLF>` and
//! then yields [`DataEvent::End`], so a server can answer with [`Error::reply_code`] and stay in
//! step with the client; a server may as well close the connection (Postfix does for a bare LF).

use bytes::BytesMut;
use framing::dot_stuffing::{DotConfig, DotDecoder, DotEncoder, DotError};
use framing::{Decoder, Encoder};

use crate::error::Found;
use crate::{Error, Leniency, Limits};

/// What the content decoders produce (RFC 5321 §4.1.1.4): `Data(Bytes)` pieces of content
/// after unstuffing, then `End` once `<CRLF>.<CRLF>` was read (nothing after it is consumed).
pub use framing::dot_stuffing::DotEvent as DataEvent;

/// The rules of `limits` and `leniency` for the shared dot-stuffing codec.
fn config(limits: Limits, leniency: Leniency, seven_bit: bool) -> DotConfig {
    DotConfig {
        max_line: limits.max_content_line,
        max_size: limits.max_message_size,
        normalize_bare_line_ends: leniency.bare_line_ends(),
        seven_bit,
    }
}

/// A refusal of the shared codec, in this crate's words.
impl From<DotError> for Error {
    fn from(e: DotError) -> Error {
        match e {
            DotError::BareLineEnd { offset, byte } => Error::BareLineEnd { offset, byte },
            DotError::LineTooLong { offset, limit } => Error::LineTooLong {
                offset,
                what: "text line",
                limit,
            },
            DotError::TooLarge { offset, limit } => Error::TooLarge {
                offset,
                what: "message",
                limit,
            },
            DotError::EightBit { offset, byte } => Error::Syntax {
                offset,
                production: "7bit text",
                found: Found::Byte(byte),
                reason: "an octet over 127 in BODY=7BIT content (RFC 6152 §3, RFC 5321 §2.4)",
            },
            DotError::Truncated { offset } => Error::Truncated {
                offset,
                inside: "message content",
            },
        }
    }
}

/// The streaming decoder of DATA content: unstuffs dots, ends at `<CRLF>.<CRLF>`, refuses bare
/// line ends, long lines and, on request, 8-bit octets (RFC 5321 §4.1.1.4, §4.5.2, §2.3.8).
///
/// Content that needs no unstuffing is split off the input without copying. After
/// [`DataEvent::End`] the decoder consumes nothing more, so pipelined commands stay in the
/// buffer. Offsets in errors count from the first octet after the DATA command's CRLF.
///
/// ```
/// use bytes::BytesMut;
/// use framing::Decoder;
/// use smtp_codec::data::{DataDecoder, DataEvent};
/// use smtp_codec::{Error, Leniency, Limits};
///
/// let mut decoder = DataDecoder::new(Limits::default(), Leniency::strict());
/// let mut buf = BytesMut::from(&b"Subject: hi\r\n..dot\r\n.\r\nQUIT\r\n"[..]);
/// let mut content = Vec::new();
/// while let Some(DataEvent::Data(piece)) = decoder.decode(&mut buf)? {
///     content.extend_from_slice(&piece);
/// }
/// assert_eq!(content, b"Subject: hi\r\n.dot\r\n");
/// assert_eq!(&buf[..], b"QUIT\r\n"); // the next command, untouched
///
/// // SMTP smuggling: a bare LF never ends a line.
/// let mut decoder = DataDecoder::new(Limits::default(), Leniency::strict());
/// let mut buf = BytesMut::from(&b"x\r\n\n.\n"[..]);
/// assert_eq!(decoder.decode(&mut buf)?, Some(DataEvent::Data("x\r\n".into())));
/// assert_eq!(decoder.decode(&mut buf), Err(Error::BareLineEnd { offset: 3, byte: b'\n' }));
/// # Ok::<(), Error>(())
/// ```
#[derive(Debug, Clone)]
pub struct DataDecoder(DotDecoder);

impl DataDecoder {
    /// A decoder for one message's content, with `limits` (`max_content_line`,
    /// `max_message_size`) and `leniency` (`normalize_bare_line_ends`).
    pub fn new(limits: Limits, leniency: Leniency) -> DataDecoder {
        DataDecoder(DotDecoder::new(config(limits, leniency, false)))
    }

    /// Refuse octets over 127: the client announced `BODY=7BIT` (RFC 6152 §3), or did not
    /// announce 8BITMIME at all (RFC 5321 §2.4: "SMTP clients ... MUST NOT transmit ... 8-bit
    /// data" unless the server offered it). Off by default.
    pub fn seven_bit(self, on: bool) -> DataDecoder {
        DataDecoder(DotDecoder::new(DotConfig {
            seven_bit: on,
            ..self.0.config()
        }))
    }

    /// Get ready for the next message's content, keeping the options.
    pub fn reset(&mut self) {
        self.0.reset();
    }

    /// Whether the content has ended (`<CRLF>.<CRLF>` read, or the input ended inside it).
    pub fn is_done(&self) -> bool {
        self.0.is_done()
    }

    /// Input octets consumed so far, the terminator included once read.
    pub fn position(&self) -> u64 {
        self.0.position()
    }

    /// Content octets handed out so far (after unstuffing and normalisation).
    pub fn size(&self) -> u64 {
        self.0.size()
    }
}

impl Decoder for DataDecoder {
    type Item = DataEvent;
    type Error = Error;

    fn decode(&mut self, src: &mut BytesMut) -> Result<Option<DataEvent>, Error> {
        Ok(self.0.decode(src)?)
    }

    fn decode_eof(&mut self, src: &mut BytesMut) -> Result<Option<DataEvent>, Error> {
        Ok(self.0.decode_eof(src)?)
    }
}

/// The streaming encoder of DATA content: stuffs a dot before every line that starts with one,
/// the first line included, and ends the content with `<CRLF>.<CRLF>` (RFC 5321 §4.5.2,
/// §4.1.1.4).
///
/// A bare CR or LF in the content is refused ([`Error::BareLineEnd`], offset in the content given
/// so far), or under [`Leniency::normalize_bare_line_ends`] written as CRLF, with the line after
/// it stuffed like any other. A line over [`Limits::max_content_line`] is
/// [`Error::LineTooLong`]. An error writes nothing of the piece that caused it, and leaves the
/// encoder as it was before that piece.
///
/// Content that does not end with CRLF gets one before the terminator ([`DataEncoder::finish`]):
/// the terminator's first CRLF ends the last line (§4.1.1.4), so the peer reads the content back
/// with a CRLF added. Decoding what this encoder writes gives the content back exactly when it is
/// empty or ends with CRLF.
///
/// ```
/// use bytes::BytesMut;
/// use smtp_codec::data::DataEncoder;
/// use smtp_codec::{Error, Leniency, Limits};
///
/// let mut encoder = DataEncoder::new(Limits::default(), Leniency::strict());
/// let mut wire = BytesMut::new();
/// encoder.encode_content(b".first\r\n", &mut wire)?;
/// encoder.encode_content(b"last, no CRLF", &mut wire)?;
/// encoder.finish(&mut wire)?;
/// assert_eq!(&wire[..], b"..first\r\nlast, no CRLF\r\n.\r\n");
///
/// assert_eq!(
///     encoder.encode_content(b"x\n.\n", &mut wire),
///     Err(Error::BareLineEnd { offset: 1, byte: b'\n' })
/// );
/// # Ok::<(), Error>(())
/// ```
#[derive(Debug, Clone)]
pub struct DataEncoder(DotEncoder);

impl DataEncoder {
    /// An encoder with the line limit of `limits` (`max_content_line`) and `leniency`
    /// (`normalize_bare_line_ends`).
    pub fn new(limits: Limits, leniency: Leniency) -> DataEncoder {
        DataEncoder(DotEncoder::new(config(limits, leniency, false)))
    }

    /// Writes a piece of content, stuffed, to `dst`.
    pub fn encode_content(&mut self, piece: &[u8], dst: &mut BytesMut) -> Result<(), Error> {
        Ok(self.0.encode_content(piece, dst)?)
    }

    /// Ends the content: a CRLF if the content does not end with one, then `.<CRLF>`. The encoder
    /// is then ready for the next message.
    pub fn finish(&mut self, dst: &mut BytesMut) -> Result<(), Error> {
        Ok(self.0.finish(dst)?)
    }
}

impl Encoder<&[u8]> for DataEncoder {
    type Error = Error;

    /// [`DataEncoder::encode_content`].
    fn encode(&mut self, item: &[u8], dst: &mut BytesMut) -> Result<(), Error> {
        self.encode_content(item, dst)
    }
}

impl Encoder<DataEvent> for DataEncoder {
    type Error = Error;

    /// Content for [`DataEvent::Data`], [`DataEncoder::finish`] for [`DataEvent::End`]: what
    /// [`DataDecoder`] reads, written back.
    fn encode(&mut self, item: DataEvent, dst: &mut BytesMut) -> Result<(), Error> {
        match item {
            DataEvent::Data(piece) => self.encode_content(&piece, dst),
            DataEvent::End => self.finish(dst),
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::indexing_slicing)]
    use super::*;

    fn decode_all(input: &[u8], leniency: Leniency) -> (Vec<u8>, Vec<Result<(), Error>>) {
        let mut d = DataDecoder::new(Limits::default(), leniency);
        let mut buf = BytesMut::from(input);
        let mut content = Vec::new();
        let mut events = Vec::new();
        loop {
            match d.decode_eof(&mut buf) {
                Ok(Some(DataEvent::Data(b))) => content.extend_from_slice(&b),
                Ok(Some(DataEvent::End)) => {
                    events.push(Ok(()));
                    break;
                }
                Ok(None) => break,
                Err(e) => events.push(Err(e)),
            }
        }
        (content, events)
    }

    #[test]
    fn first_line_dot_is_line_start() {
        assert_eq!(
            decode_all(b".\r\n", Leniency::strict()),
            (vec![], vec![Ok(())])
        );
        assert_eq!(
            decode_all(b"..a\r\n.\r\n", Leniency::strict()),
            (b".a\r\n".to_vec(), vec![Ok(())])
        );
    }

    #[test]
    fn encoder_stuffs_first_line_and_after_normalised_ends() {
        let mut e = DataEncoder::new(
            Limits::default(),
            Leniency::strict().normalize_bare_line_ends(true),
        );
        let mut out = BytesMut::new();
        e.encode_content(b".a\n.b\r.c", &mut out).unwrap();
        e.finish(&mut out).unwrap();
        assert_eq!(&out[..], b"..a\r\n..b\r\n..c\r\n.\r\n");
    }

    #[test]
    fn encoder_split_crlf() {
        let mut e = DataEncoder::new(Limits::default(), Leniency::strict());
        let mut out = BytesMut::new();
        e.encode_content(b"a\r", &mut out).unwrap();
        e.encode_content(b"\n.", &mut out).unwrap();
        e.finish(&mut out).unwrap();
        assert_eq!(&out[..], b"a\r\n..\r\n.\r\n");
    }
}
