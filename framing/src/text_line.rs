//! Lines of a text protocol's commands and responses (SMTP, POP3: RFC 5321 §2.3.8, RFC 1939
//! §3): finds where the next `CRLF` is, resuming where the previous call stopped (memchr),
//! enforces the line limit, and after a refused line skips to the next `CRLF` so a server can
//! answer the error and go on with the next command.
//!
//! Unlike [`crate::delimited::Delimited`], whose errors end the stream, every error here is
//! recoverable: the refused line is consumed (or skipped as it arrives) and the next call reads
//! the next line.
//!
//! Strict: only CRLF ends a line, a bare CR or LF is [`LineError::BareLineEnd`] and the bytes up
//! to the next CRLF belong to the refused line (so a bare LF can never start a second command).
//! Lenient (`LineFramer::new(.., true, ..)`): an LF alone or a CR not followed by LF also ends a
//! line.

use bytes::{Buf, Bytes, BytesMut};

const CR: u8 = b'\r';
const LF: u8 = b'\n';

/// Why a line was refused; the framer has consumed it (or skips it as it arrives).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LineError {
    /// The line is over the limit (CRLF included).
    #[error("{what} over {limit} octets at byte {offset}")]
    TooLong {
        /// Stream offset of the line's start.
        offset: u64,
        /// Which line (`command line`, `reply line`, ...).
        what: &'static str,
        /// The limit, CRLF included.
        limit: usize,
    },
    /// A CR or LF that is not part of a CRLF (strict mode).
    #[error("bare {} at byte {offset}", if *byte == b'\r' { "CR" } else { "LF" })]
    BareLineEnd {
        /// Stream offset of the CR or LF.
        offset: u64,
        /// `\r` or `\n`.
        byte: u8,
    },
    /// The input ended inside a line.
    #[error("the input ended at byte {offset} inside a {inside}")]
    Truncated {
        /// Stream offset of the end of input.
        offset: u64,
        /// Which line.
        inside: &'static str,
    },
}

/// `text` as printable ASCII for a reply or response line that must be ASCII whatever the peer
/// negotiated (RFC 5321 §4.2 textstring, RFC 1939 §3): the section signs of error messages
/// spelt out (`section 4.2`), any other non-ASCII or control character as `?`.
///
/// ```
/// assert_eq!(framing::text_line::ascii_text("bare LF (RFC 5321 §2.3.8)\n"), "bare LF (RFC 5321 section 2.3.8)?");
/// ```
pub fn ascii_text(text: &str) -> String {
    text.replace('§', "section ")
        .chars()
        .map(|c| {
            if c.is_ascii() && !c.is_ascii_control() {
                c
            } else {
                '?'
            }
        })
        .collect()
}

/// What a scan found.
enum Scan {
    /// A line end at `at`; the next line starts at `next`.
    End { at: usize, next: usize },
    /// A bare CR or LF at `at` (strict mode).
    Bare { at: usize, byte: u8 },
    /// No line end yet; bytes before `resume` are content.
    NotFound { resume: usize },
}

/// The resumable line scanner.
#[derive(Debug, Clone)]
pub struct LineFramer {
    /// The longest line, CRLF included.
    max: usize,
    lenient: bool,
    what: &'static str,
    /// Bytes at the start of the buffer known to hold no line end.
    scanned: usize,
    /// Skipping the rest of a refused line.
    skipping: bool,
    /// Stream offset of the buffer's first byte.
    position: u64,
}

impl LineFramer {
    /// A framer for lines of at most `max` octets, CRLF included; `lenient` takes a bare LF, or
    /// a CR not followed by LF, as a line end; `what` names the line in errors (`command line`).
    pub fn new(max: usize, lenient: bool, what: &'static str) -> LineFramer {
        LineFramer {
            max,
            lenient,
            what,
            scanned: 0,
            skipping: false,
            position: 0,
        }
    }

    /// Changes the longest line (CRLF included) from the next line on.
    pub fn set_max(&mut self, max: usize) {
        self.max = max;
    }

    /// Stream offset of the next byte to be read.
    pub fn position(&self) -> u64 {
        self.position
    }

    /// `n` bytes at the start of the buffer were consumed by another decoder (a message's
    /// content between two lines), so offsets stay counted from the start of the stream. Call
    /// only between lines.
    pub fn consumed_elsewhere(&mut self, n: u64) {
        self.position += n;
        self.scanned = 0;
    }

    #[inline]
    fn scan(&self, buf: &[u8]) -> Scan {
        let from = self.scanned;
        let Some(i) = memchr::memchr2(CR, LF, buf.get(from..).unwrap_or_default()) else {
            return Scan::NotFound { resume: buf.len() };
        };
        let at = from + i;
        match (buf.get(at), buf.get(at + 1)) {
            (Some(&LF), _) if self.lenient => Scan::End { at, next: at + 1 },
            (Some(&LF), _) => Scan::Bare { at, byte: LF },
            (_, None) => Scan::NotFound { resume: at },
            (_, Some(&LF)) => Scan::End { at, next: at + 2 },
            _ if self.lenient => Scan::End { at, next: at + 1 },
            _ => Scan::Bare { at, byte: CR },
        }
    }

    #[inline]
    fn consume(&mut self, src: &mut BytesMut, n: usize) {
        src.advance(n);
        self.position += n as u64;
        self.scanned = 0;
    }

    /// Drops bytes through the end of the refused line; whether that end was found.
    fn skip(&mut self, src: &mut BytesMut) -> bool {
        let mut from = 0;
        loop {
            let rest = src.get(from..).unwrap_or_default();
            let found = if self.lenient {
                memchr::memchr2(CR, LF, rest)
            } else {
                memchr::memchr(LF, rest)
            };
            let Some(i) = found else {
                // Keep a final CR: its LF may come with the next read.
                let keep = usize::from(src.last() == Some(&CR));
                let n = src.len() - keep;
                self.consume(src, n);
                return false;
            };
            let at = from + i;
            let end = match src.get(at) {
                Some(&LF) if self.lenient || (at > 0 && src.get(at - 1) == Some(&CR)) => at + 1,
                Some(&LF) => {
                    from = at + 1;
                    continue;
                }
                // A CR in lenient mode.
                _ => match src.get(at + 1) {
                    None => {
                        self.consume(src, at);
                        return false;
                    }
                    Some(&LF) => at + 2,
                    Some(_) => at + 1,
                },
            };
            self.consume(src, end);
            return true;
        }
    }

    /// The next line (without its line end) and its stream offset, `Ok(None)` if `src` holds
    /// no whole line yet. After an error the refused line is consumed (or being skipped) and
    /// the next call goes on with the next line.
    pub fn next(&mut self, src: &mut BytesMut) -> Result<Option<(Bytes, u64)>, LineError> {
        let Some((at, next)) = self.find(src)? else {
            return Ok(None);
        };
        let offset = self.position;
        let mut line = src.split_to(next).freeze();
        line.truncate(at);
        self.position += next as u64;
        self.scanned = 0;
        Ok(Some((line, offset)))
    }

    /// [`LineFramer::next`] without splitting the line off the buffer: `parse` sees the line
    /// (without its line end) and its stream offset where it lies in `src`, then the line is
    /// consumed. For a caller that keeps nothing of the line as [`Bytes`] (it parses the line
    /// into its own values), this saves a split and a reference count per line.
    pub fn next_with<R>(
        &mut self,
        src: &mut BytesMut,
        parse: impl FnOnce(&[u8], u64) -> R,
    ) -> Result<Option<R>, LineError> {
        let Some((at, next)) = self.find(src)? else {
            return Ok(None);
        };
        let out = parse(src.get(..at).unwrap_or_default(), self.position);
        self.consume(src, next);
        Ok(Some(out))
    }

    /// Where the next whole line ends in `src` (its line end at `.0`, the next line at `.1`);
    /// nothing is consumed then. Errors consume the refused line as [`LineFramer::next`] says.
    #[inline]
    fn find(&mut self, src: &mut BytesMut) -> Result<Option<(usize, usize)>, LineError> {
        if self.skipping {
            if !self.skip(src) {
                return Ok(None);
            }
            self.skipping = false;
        }
        let content_max = self.max.saturating_sub(2);
        let too_long = |f: &LineFramer| LineError::TooLong {
            offset: f.position,
            what: f.what,
            limit: f.max,
        };
        match self.scan(src) {
            Scan::End { at, .. } | Scan::Bare { at, .. } if at > content_max => {
                let e = too_long(self);
                self.consume(src, at);
                self.skipping = true;
                Err(e)
            }
            Scan::NotFound { resume } if resume > content_max => {
                let e = too_long(self);
                self.consume(src, resume);
                self.skipping = true;
                Err(e)
            }
            Scan::NotFound { resume } => {
                self.scanned = resume;
                Ok(None)
            }
            Scan::Bare { at, byte } => {
                let e = LineError::BareLineEnd {
                    offset: self.position + at as u64,
                    byte,
                };
                self.consume(src, at + 1);
                self.skipping = true;
                Err(e)
            }
            Scan::End { at, next } => Ok(Some((at, next))),
        }
    }

    /// At the end of input: the last line if whole, nothing if the input ended between lines
    /// (or inside a line already refused), else [`LineError::Truncated`].
    pub fn next_eof(&mut self, src: &mut BytesMut) -> Result<Option<(Bytes, u64)>, LineError> {
        if let Some(line) = self.next(src)? {
            return Ok(Some(line));
        }
        self.eof(src).map(|()| None)
    }

    /// [`LineFramer::next_eof`] with the line handed to `parse` as in
    /// [`LineFramer::next_with`].
    pub fn next_eof_with<R>(
        &mut self,
        src: &mut BytesMut,
        parse: impl FnOnce(&[u8], u64) -> R,
    ) -> Result<Option<R>, LineError> {
        if let Some(out) = self.next_with(src, parse)? {
            return Ok(Some(out));
        }
        self.eof(src).map(|()| None)
    }

    /// The end of input with no whole line in `src`.
    fn eof(&mut self, src: &mut BytesMut) -> Result<(), LineError> {
        if src.is_empty() {
            return Ok(());
        }
        let n = src.len();
        self.consume(src, n);
        if std::mem::take(&mut self.skipping) {
            return Ok(());
        }
        Err(LineError::Truncated {
            offset: self.position,
            inside: self.what,
        })
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn all(f: &mut LineFramer, input: &[u8]) -> Vec<Result<(Vec<u8>, u64), LineError>> {
        let mut src = BytesMut::from(input);
        let mut out = Vec::new();
        loop {
            match f.next_eof(&mut src) {
                Ok(Some((l, o))) => out.push(Ok((l.to_vec(), o))),
                Ok(None) => return out,
                Err(e @ LineError::Truncated { .. }) => {
                    out.push(Err(e));
                    return out;
                }
                Err(e) => out.push(Err(e)),
            }
        }
    }

    /// `next_with` frames exactly as `next` does, errors included.
    #[test]
    fn next_with_is_next_without_the_split() {
        let input = b"ab\r\nc\nd\r\nxy\rz\r\n\r\nabcdefghijkl\r\nq\r\ntail";
        for (max, lenient) in [(10, false), (10, true), (100, false), (4, false)] {
            let mut f = LineFramer::new(max, lenient, "command line");
            let expected = all(&mut f, input);
            let mut f = LineFramer::new(max, lenient, "command line");
            let mut src = BytesMut::from(&input[..]);
            let mut out = Vec::new();
            loop {
                match f.next_eof_with(&mut src, |l, o| (l.to_vec(), o)) {
                    Ok(Some(line)) => out.push(Ok(line)),
                    Ok(None) => break,
                    Err(e @ LineError::Truncated { .. }) => {
                        out.push(Err(e));
                        break;
                    }
                    Err(e) => out.push(Err(e)),
                }
            }
            assert_eq!(out, expected, "max {max}, lenient {lenient}");
        }
    }

    #[test]
    fn crlf_only() {
        let mut f = LineFramer::new(10, false, "command line");
        let out = all(&mut f, b"ab\r\nc\nd\r\nxy\rz\r\n\r\n");
        assert_eq!(out[0], Ok((b"ab".to_vec(), 0)));
        assert_eq!(
            out[1],
            Err(LineError::BareLineEnd {
                offset: 5,
                byte: LF
            })
        );
        assert_eq!(
            out[2],
            Err(LineError::BareLineEnd {
                offset: 11,
                byte: CR
            })
        );
        assert_eq!(out[3], Ok((b"".to_vec(), 15)));
        assert_eq!(out.len(), 4);
    }

    #[test]
    fn limit_counts_crlf() {
        let mut f = LineFramer::new(6, false, "command line");
        let out = all(&mut f, b"abcd\r\nabcde\r\nx\r\n");
        assert_eq!(out[0], Ok((b"abcd".to_vec(), 0)));
        assert_eq!(
            out[1],
            Err(LineError::TooLong {
                offset: 6,
                what: "command line",
                limit: 6
            })
        );
        assert_eq!(out[2], Ok((b"x".to_vec(), 13)));
    }

    #[test]
    fn lenient_line_ends() {
        let mut f = LineFramer::new(100, true, "command line");
        let out = all(&mut f, b"a\nb\rc\r\nd");
        assert_eq!(out[0], Ok((b"a".to_vec(), 0)));
        assert_eq!(out[1], Ok((b"b".to_vec(), 2)));
        assert_eq!(out[2], Ok((b"c".to_vec(), 4)));
        assert_eq!(
            out[3],
            Err(LineError::Truncated {
                offset: 8,
                inside: "command line"
            })
        );
    }
}
