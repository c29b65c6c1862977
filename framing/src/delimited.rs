//! Delimited frames: lines ending in CRLF (strict, the default), in LF, or in any byte string.
//!
//! In the default CRLF mode a line is `*(octet except CR and LF) CRLF`, the line grammar of RFC
//! 5234 §B.1 that SMTP, POP3 and HTTP/1 heads share. A bare CR or a bare LF is
//! [`Error::Malformed`]: accepting them is what lets two parsers disagree on where a line ends
//! (request smuggling, SMTP smuggling). [`Delimited::allow_bare_lf`] relaxes that for LF.
//!
//! The scan resumes where the previous call stopped, so any split of the input costs linear work.
//! Lines longer than `max_length` (default 64 KiB) are [`Error::LineTooLong`]; with
//! [`Delimited::discard_overlong`] the decoder skips the rest of such a line, reports its exact
//! length, and carries on with the next one (as `tokio_util::codec::LinesCodec` does).

use bytes::{Buf, BufMut, Bytes, BytesMut};
use memchr::memmem;

use crate::codec::{Decoder, Encoder};
use crate::error::Error;

/// The default `max_length`: 64 KiB.
pub const DEFAULT_MAX_LENGTH: usize = 64 * 1024;

const CR: u8 = b'\r';
const LF: u8 = b'\n';

#[derive(Debug, Clone)]
enum Delimiter {
    /// CRLF; with `allow_bare_lf`, LF alone also ends a line (and a CR before it is dropped).
    Crlf { allow_bare_lf: bool },
    /// LF; a CR before it is part of the line.
    Lf,
    /// Any non-empty byte string.
    Bytes(Box<memmem::Finder<'static>>),
}

/// What a scan of the buffer found.
enum Scan {
    /// A line whose content is `..content_end`, and whose delimiter ends before `next`.
    Found { content_end: usize, next: usize },
    /// No delimiter yet; bytes before `resume` are surely content.
    NotFound { resume: usize },
    /// A CR or LF that is not part of a CRLF, at `at`.
    Bare { at: usize, reason: &'static str },
}

/// Below this length a branch-free scan beats memchr's setup cost (measured on 80-byte lines).
/// The scans are kept out of line: inlined into `encode_line`, LLVM stopped vectorising the CRLF
/// one and encoding took five times as long.
const SHORT_LINE: usize = 256;

/// Whether `line` holds a CR or an LF.
#[inline(never)]
fn contains_cr_or_lf(line: &[u8]) -> bool {
    if line.len() < SHORT_LINE {
        line.iter()
            .fold(false, |found, &b| found | (b == CR) | (b == LF))
    } else {
        memchr::memchr2(CR, LF, line).is_some()
    }
}

/// Whether `line` holds an LF.
#[inline(never)]
fn contains_lf(line: &[u8]) -> bool {
    if line.len() < SHORT_LINE {
        line.iter().fold(false, |found, &b| found | (b == LF))
    } else {
        memchr::memchr(LF, line).is_some()
    }
}

/// Where a found line ends, counted from the start of the buffer.
#[derive(Debug, Clone, Copy)]
struct Span {
    /// The line's content is `..content_end`.
    content_end: usize,
    /// The delimiter ends before `next`.
    next: usize,
}

impl Span {
    /// Splits the line off `src` (zero-copy) and drops its delimiter.
    fn split(self, src: &mut BytesMut) -> Bytes {
        let mut line = src.split_to(self.next).freeze();
        line.truncate(self.content_end);
        line
    }

    /// Copies the line out of `src` as UTF-8 and consumes it with its delimiter; `Err` holds the
    /// index of the first invalid byte (the line is consumed either way).
    fn take_utf8(self, src: &mut BytesMut) -> Result<String, usize> {
        let text = src.get(..self.content_end).map(|line| {
            std::str::from_utf8(line)
                .map(str::to_owned)
                .map_err(|e| e.valid_up_to())
        });
        src.advance(self.next);
        text.unwrap_or(Err(0))
    }
}

/// The rest of a line being skipped.
#[derive(Debug, Clone)]
struct Discard {
    /// Stream offset where the line started.
    start: u64,
    /// Content bytes skipped so far.
    length: u64,
    /// Report `LineTooLong` when the line ends (false: the error was already reported).
    report: bool,
}

/// The delimited codec, yielding each line's content (without its delimiter) as `Bytes`.
///
/// ```
/// use bytes::BytesMut;
/// use framing::{Decoder, Error, delimited::Delimited};
///
/// let mut codec = Delimited::crlf();
/// let mut buf = BytesMut::from(&b"EHLO x\r\nbare\nLF\r\n"[..]);
/// assert_eq!(codec.decode(&mut buf).unwrap().unwrap(), "EHLO x");
/// assert!(matches!(codec.decode(&mut buf), Err(Error::Malformed { offset: 12, .. })));
/// ```
#[derive(Debug, Clone)]
pub struct Delimited {
    delimiter: Delimiter,
    max_length: usize,
    discard_overlong: bool,
    /// How far the buffer has been scanned without finding a delimiter.
    next_index: usize,
    discard: Option<Discard>,
    /// Bytes consumed from the stream so far, for error offsets.
    position: u64,
    /// Stream offset of the last line returned.
    line_start: u64,
}

impl Delimited {
    fn with(delimiter: Delimiter) -> Delimited {
        Delimited {
            delimiter,
            max_length: DEFAULT_MAX_LENGTH,
            discard_overlong: false,
            next_index: 0,
            discard: None,
            position: 0,
            line_start: 0,
        }
    }

    /// Lines ending in CRLF, strictly: a bare CR or LF is an error (RFC 5234 §B.1 `CRLF`).
    pub fn crlf() -> Delimited {
        Delimited::with(Delimiter::Crlf {
            allow_bare_lf: false,
        })
    }

    /// Lines ending in LF; a CR before the LF stays part of the line.
    pub fn lf() -> Delimited {
        Delimited::with(Delimiter::Lf)
    }

    /// Lines ending in `delimiter`, any non-empty byte string; `None` if it is empty.
    pub fn with_delimiter(delimiter: &[u8]) -> Option<Delimited> {
        if delimiter.is_empty() {
            return None;
        }
        Some(Delimited::with(Delimiter::Bytes(Box::new(
            memmem::Finder::new(delimiter).into_owned(),
        ))))
    }

    /// Leniency for CRLF mode: a bare LF also ends a line, and a CR just before it is dropped.
    ///
    /// Re-opens: line-ending confusion between this decoder and a stricter or looser peer (the
    /// SMTP smuggling of 2023 and HTTP request smuggling both start with a bare LF that one side
    /// takes as a line end and the other does not). A bare CR stays an error.
    pub fn allow_bare_lf(mut self) -> Delimited {
        if let Delimiter::Crlf { allow_bare_lf } = &mut self.delimiter {
            *allow_bare_lf = true;
        }
        self
    }

    /// The longest line content accepted, delimiter excluded (default 64 KiB), for decoding and
    /// encoding.
    pub fn max_length(mut self, max_length: usize) -> Delimited {
        self.max_length = max_length;
        self
    }

    /// Skip over-long lines instead of stopping: the decoder drops their bytes as they arrive
    /// (memory stays bounded), then reports [`Error::LineTooLong`] with the exact length and
    /// `discarded: true` once the line's delimiter is seen, and decodes the next line normally.
    pub fn discard_overlong(mut self) -> Delimited {
        self.discard_overlong = true;
        self
    }

    /// The configured maximum line length.
    pub fn limit(&self) -> usize {
        self.max_length
    }

    fn scan(&self, buf: &[u8], from: usize) -> Scan {
        let rest = buf.get(from..).unwrap_or_default();
        match &self.delimiter {
            Delimiter::Crlf { allow_bare_lf } => match memchr::memchr2(CR, LF, rest) {
                None => Scan::NotFound { resume: buf.len() },
                Some(i) => {
                    let at = from + i;
                    match (buf.get(at), buf.get(at + 1)) {
                        (Some(&LF), _) if *allow_bare_lf => Scan::Found {
                            content_end: at,
                            next: at + 1,
                        },
                        (Some(&LF), _) => Scan::Bare {
                            at,
                            reason: "bare LF without CR (RFC 5234 §B.1 CRLF)",
                        },
                        (_, None) => Scan::NotFound { resume: at },
                        (_, Some(&LF)) => Scan::Found {
                            content_end: at,
                            next: at + 2,
                        },
                        _ => Scan::Bare {
                            at,
                            reason: "bare CR without LF (RFC 5234 §B.1 CRLF)",
                        },
                    }
                }
            },
            Delimiter::Lf => match memchr::memchr(LF, rest) {
                None => Scan::NotFound { resume: buf.len() },
                Some(i) => Scan::Found {
                    content_end: from + i,
                    next: from + i + 1,
                },
            },
            Delimiter::Bytes(finder) => {
                let d = finder.needle().len();
                match finder.find(rest) {
                    None => Scan::NotFound {
                        resume: buf.len().saturating_sub(d - 1).max(from),
                    },
                    Some(i) => Scan::Found {
                        content_end: from + i,
                        next: from + i + d,
                    },
                }
            }
        }
    }

    /// Drops bytes up to and including the end of the line being discarded. Returns whether the
    /// end was found; counts the skipped content bytes in `self.discard`.
    fn skip_line(&mut self, src: &mut BytesMut) -> bool {
        let (consumed, content, found) = match &self.delimiter {
            Delimiter::Crlf { allow_bare_lf } => {
                let mut from = 0;
                loop {
                    let rest = src.get(from..).unwrap_or_default();
                    match memchr::memchr(LF, rest) {
                        Some(i) => {
                            let at = from + i;
                            let after_cr = at > 0 && src.get(at - 1) == Some(&CR);
                            if after_cr {
                                break (at + 1, at - 1, true);
                            }
                            if *allow_bare_lf {
                                break (at + 1, at, true);
                            }
                            from = at + 1;
                        }
                        None => {
                            // Keep a final CR: its LF may be in the next read.
                            let keep = usize::from(src.last() == Some(&CR));
                            let n = src.len() - keep;
                            break (n, n, false);
                        }
                    }
                }
            }
            Delimiter::Lf => match memchr::memchr(LF, src) {
                Some(at) => (at + 1, at, true),
                None => (src.len(), src.len(), false),
            },
            Delimiter::Bytes(finder) => {
                let d = finder.needle().len();
                match finder.find(src) {
                    Some(at) => (at + d, at, true),
                    None => {
                        let n = src.len().saturating_sub(d - 1);
                        (n, n, false)
                    }
                }
            }
        };
        src.advance(consumed);
        self.position += consumed as u64;
        if let Some(d) = &mut self.discard {
            d.length += content as u64;
        }
        found
    }

    fn overlong(&mut self, length: usize) -> Result<(), Error> {
        if !self.discard_overlong {
            return Err(Error::LineTooLong {
                offset: self.position,
                limit: self.max_length,
                length: length as u64,
                discarded: false,
            });
        }
        self.next_index = 0;
        self.discard = Some(Discard {
            start: self.position,
            length: 0,
            report: true,
        });
        Ok(())
    }

    /// Checks that `line` can be written as one line of this codec and appends it.
    fn encode_line(&self, line: &[u8], dst: &mut BytesMut) -> Result<(), Error> {
        if line.len() > self.max_length {
            return Err(Error::TooLarge {
                offset: dst.len() as u64,
                limit: self.max_length as u64,
                claimed: line.len() as u64,
            });
        }
        // One arm per mode, each writing its delimiter as a constant: a delimiter chosen at run
        // time costs a measurable share of encoding short lines.
        match &self.delimiter {
            Delimiter::Crlf { .. } => {
                if contains_cr_or_lf(line) {
                    return Err(Error::Unencodable {
                        reason: "line contains CR or LF",
                    });
                }
                dst.reserve(line.len() + 2);
                dst.put_slice(line);
                dst.put_slice(b"\r\n");
            }
            Delimiter::Lf => {
                if contains_lf(line) {
                    return Err(Error::Unencodable {
                        reason: "line contains LF",
                    });
                }
                dst.reserve(line.len() + 1);
                dst.put_slice(line);
                dst.put_u8(LF);
            }
            Delimiter::Bytes(finder) => {
                let d = finder.needle();
                // The delimiter must first occur right after the line, also where the line's tail
                // and the delimiter overlap ("a" + "aa" would end a line early).
                let tail_start = line.len().saturating_sub(d.len() - 1);
                let tail = line.get(tail_start..).unwrap_or_default();
                let joined = [tail, d].concat();
                if finder.find(line).is_some() || finder.find(&joined) != Some(tail.len()) {
                    return Err(Error::Unencodable {
                        reason: "line contains the delimiter",
                    });
                }
                dst.reserve(line.len() + d.len());
                dst.put_slice(line);
                dst.put_slice(d);
            }
        }
        Ok(())
    }
}

impl Delimited {
    /// Finds the next line in `src` and does the bookkeeping for it; the caller then consumes
    /// `span.next` bytes of `src`. Skipping and error reporting happen here.
    fn find_line(&mut self, src: &mut BytesMut) -> Result<Option<Span>, Error> {
        loop {
            if self.discard.is_some() {
                if !self.skip_line(src) {
                    return Ok(None);
                }
                if let Some(d) = self.discard.take() {
                    if d.report {
                        return Err(Error::LineTooLong {
                            offset: d.start,
                            limit: self.max_length,
                            length: d.length,
                            discarded: true,
                        });
                    }
                }
                continue;
            }
            match self.scan(src, self.next_index) {
                Scan::Found { content_end, next } => {
                    if content_end > self.max_length {
                        self.overlong(content_end)?;
                        continue;
                    }
                    self.line_start = self.position;
                    self.position += next as u64;
                    self.next_index = 0;
                    return Ok(Some(Span { content_end, next }));
                }
                Scan::NotFound { resume } => {
                    if resume > self.max_length {
                        self.overlong(resume)?;
                        continue;
                    }
                    self.next_index = resume;
                    return Ok(None);
                }
                Scan::Bare { at, reason } => {
                    if at > self.max_length {
                        self.overlong(at)?;
                        continue;
                    }
                    let offset = self.position + at as u64;
                    self.next_index = 0;
                    self.discard = Some(Discard {
                        start: self.position,
                        length: 0,
                        report: false,
                    });
                    return Err(Error::Malformed { offset, reason });
                }
            }
        }
    }

    /// [`Delimited::find_line`] at the end of the input: a partial line is an error.
    fn find_line_eof(&mut self, src: &mut BytesMut) -> Result<Option<Span>, Error> {
        if let Some(span) = self.find_line(src)? {
            return Ok(Some(span));
        }
        match &self.discard {
            None if src.is_empty() => Ok(None),
            Some(d) if d.report => {
                let length = d.length + src.len() as u64;
                let offset = d.start;
                self.position += src.len() as u64;
                src.clear();
                self.discard = None;
                Err(Error::LineTooLong {
                    offset,
                    limit: self.max_length,
                    length,
                    discarded: true,
                })
            }
            _ => Err(Error::Truncated {
                offset: self.position + src.len() as u64,
                needed: 1,
            }),
        }
    }
}

impl Decoder for Delimited {
    type Item = Bytes;
    type Error = Error;

    fn decode(&mut self, src: &mut BytesMut) -> Result<Option<Bytes>, Error> {
        Ok(self.find_line(src)?.map(|span| span.split(src)))
    }

    fn decode_eof(&mut self, src: &mut BytesMut) -> Result<Option<Bytes>, Error> {
        Ok(self.find_line_eof(src)?.map(|span| span.split(src)))
    }
}

impl Encoder<&[u8]> for Delimited {
    type Error = Error;

    fn encode(&mut self, line: &[u8], dst: &mut BytesMut) -> Result<(), Error> {
        self.encode_line(line, dst)
    }
}

impl Encoder<Bytes> for Delimited {
    type Error = Error;

    fn encode(&mut self, line: Bytes, dst: &mut BytesMut) -> Result<(), Error> {
        self.encode_line(&line, dst)
    }
}

impl Encoder<&str> for Delimited {
    type Error = Error;

    fn encode(&mut self, line: &str, dst: &mut BytesMut) -> Result<(), Error> {
        self.encode_line(line.as_bytes(), dst)
    }
}

/// A [`Delimited`] codec whose lines must be UTF-8, yielding `String`s.
///
/// Invalid UTF-8 is [`Error::Malformed`] at the offset of the first bad byte; the line is
/// consumed, so the next `decode` reads the next line.
///
/// ```
/// use bytes::BytesMut;
/// use framing::{Decoder, delimited::{Delimited, Utf8Delimited}};
///
/// let mut codec = Utf8Delimited::new(Delimited::lf());
/// let mut buf = BytesMut::from("grüße\n");
/// assert_eq!(codec.decode(&mut buf).unwrap().as_deref(), Some("grüße"));
/// ```
#[derive(Debug, Clone)]
pub struct Utf8Delimited {
    inner: Delimited,
}

impl Utf8Delimited {
    /// Wraps a configured [`Delimited`] codec.
    pub fn new(inner: Delimited) -> Utf8Delimited {
        Utf8Delimited { inner }
    }

    fn take(&self, span: Span, src: &mut BytesMut) -> Result<String, Error> {
        span.take_utf8(src).map_err(|valid_up_to| Error::Malformed {
            offset: self.inner.line_start + valid_up_to as u64,
            reason: "invalid UTF-8",
        })
    }
}

impl Decoder for Utf8Delimited {
    type Item = String;
    type Error = Error;

    fn decode(&mut self, src: &mut BytesMut) -> Result<Option<String>, Error> {
        match self.inner.find_line(src)? {
            Some(span) => self.take(span, src).map(Some),
            None => Ok(None),
        }
    }

    fn decode_eof(&mut self, src: &mut BytesMut) -> Result<Option<String>, Error> {
        match self.inner.find_line_eof(src)? {
            Some(span) => self.take(span, src).map(Some),
            None => Ok(None),
        }
    }
}

impl Encoder<&str> for Utf8Delimited {
    type Error = Error;

    fn encode(&mut self, line: &str, dst: &mut BytesMut) -> Result<(), Error> {
        self.inner.encode_line(line.as_bytes(), dst)
    }
}

impl Encoder<String> for Utf8Delimited {
    type Error = Error;

    fn encode(&mut self, line: String, dst: &mut BytesMut) -> Result<(), Error> {
        self.inner.encode_line(line.as_bytes(), dst)
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::indexing_slicing)]
    use super::*;

    /// Feeds `input` whole, then calls `decode_eof`; collects lines and errors in order.
    fn run(codec: &mut Delimited, input: &[u8]) -> Vec<Result<Bytes, Error>> {
        let mut buf = BytesMut::from(input);
        let mut out = Vec::new();
        loop {
            match codec.decode_eof(&mut buf) {
                Ok(Some(line)) => out.push(Ok(line)),
                Ok(None) => return out,
                Err(e) => {
                    let fatal = matches!(
                        e,
                        Error::Truncated { .. }
                            | Error::LineTooLong {
                                discarded: false,
                                ..
                            }
                    );
                    out.push(Err(e));
                    if fatal {
                        return out;
                    }
                }
            }
        }
    }

    #[test]
    fn crlf_lines_including_empty_ones() {
        let out = run(&mut Delimited::crlf(), b"a\r\n\r\nbc\r\n");
        assert_eq!(out, vec![Ok("a".into()), Ok("".into()), Ok("bc".into())]);
    }

    #[test]
    fn crlf_rejects_bare_lf_and_bare_cr_then_resynchronises() {
        let out = run(&mut Delimited::crlf(), b"ok\r\nx\ny\r\nz\rq\r\nnext\r\n");
        assert_eq!(out.len(), 4);
        assert_eq!(out[0], Ok("ok".into()));
        assert!(matches!(out[1], Err(Error::Malformed { offset: 5, .. })));
        assert!(matches!(out[2], Err(Error::Malformed { offset: 10, .. })));
        assert_eq!(out[3], Ok("next".into()));
    }

    #[test]
    fn cr_at_the_end_of_the_buffer_waits_for_its_lf() {
        let mut codec = Delimited::crlf();
        let mut buf = BytesMut::from(&b"abc\r"[..]);
        assert_eq!(codec.decode(&mut buf), Ok(None));
        buf.extend_from_slice(b"\n");
        assert_eq!(codec.decode(&mut buf), Ok(Some("abc".into())));
    }

    #[test]
    fn allow_bare_lf_accepts_lf_and_drops_a_cr_before_it() {
        let out = run(&mut Delimited::crlf().allow_bare_lf(), b"a\nb\r\n");
        assert_eq!(out, vec![Ok("a".into()), Ok("b".into())]);
        let out = run(&mut Delimited::crlf().allow_bare_lf(), b"a\rb\n");
        assert!(matches!(out[0], Err(Error::Malformed { offset: 1, .. })));
    }

    #[test]
    fn lf_mode_keeps_cr() {
        let out = run(&mut Delimited::lf(), b"a\r\nb\n");
        assert_eq!(out, vec![Ok("a\r".into()), Ok("b".into())]);
    }

    #[test]
    fn any_delimiter_split_across_reads() {
        let mut codec = Delimited::with_delimiter(b"--").unwrap();
        let mut buf = BytesMut::from(&b"ab-"[..]);
        assert_eq!(codec.decode(&mut buf), Ok(None));
        buf.extend_from_slice(b"-c--");
        assert_eq!(codec.decode(&mut buf), Ok(Some("ab".into())));
        assert_eq!(codec.decode(&mut buf), Ok(Some("c".into())));
        assert!(Delimited::with_delimiter(b"").is_none());
    }

    #[test]
    fn too_long_without_discard_is_final_and_a_lower_bound() {
        let mut codec = Delimited::crlf().max_length(4);
        let mut buf = BytesMut::from(&b"abcdefg"[..]);
        assert_eq!(
            codec.decode(&mut buf),
            Err(Error::LineTooLong {
                offset: 0,
                limit: 4,
                length: 7,
                discarded: false
            })
        );
    }

    #[test]
    fn exactly_max_length_is_accepted() {
        let out = run(&mut Delimited::crlf().max_length(4), b"abcd\r\n");
        assert_eq!(out, vec![Ok("abcd".into())]);
    }

    #[test]
    fn discard_reports_the_exact_length_and_continues() {
        let mut codec = Delimited::crlf().max_length(4).discard_overlong();
        let mut buf = BytesMut::new();
        let mut results = Vec::new();
        // The over-long line arrives in pieces; memory stays bounded by what arrives.
        for piece in [&b"ok\r\n0123"[..], b"456789", b"\r", b"\nnext\r\n"] {
            buf.extend_from_slice(piece);
            loop {
                match codec.decode(&mut buf) {
                    Ok(None) => break,
                    r => results.push(r),
                }
            }
            assert!(buf.len() <= 8);
        }
        assert_eq!(
            results,
            vec![
                Ok(Some("ok".into())),
                Err(Error::LineTooLong {
                    offset: 4,
                    limit: 4,
                    length: 10,
                    discarded: true
                }),
                Ok(Some("next".into())),
            ]
        );
    }

    #[test]
    fn truncated_line_at_eof() {
        let out = run(&mut Delimited::crlf(), b"abc\r\npartial");
        assert_eq!(
            out,
            vec![
                Ok("abc".into()),
                Err(Error::Truncated {
                    offset: 12,
                    needed: 1
                })
            ]
        );
    }

    #[test]
    fn utf8_error_points_at_the_bad_byte() {
        let mut codec = Utf8Delimited::new(Delimited::crlf());
        let mut buf = BytesMut::from(&b"fine\r\nab\xffc\r\nok\r\n"[..]);
        assert_eq!(codec.decode(&mut buf), Ok(Some("fine".to_string())));
        assert_eq!(
            codec.decode(&mut buf),
            Err(Error::Malformed {
                offset: 8,
                reason: "invalid UTF-8"
            })
        );
        assert_eq!(codec.decode(&mut buf), Ok(Some("ok".to_string())));
    }

    #[test]
    fn encoder_refuses_lines_that_would_not_decode_to_themselves() {
        let mut buf = BytesMut::new();
        let mut crlf = Delimited::crlf().max_length(5);
        assert!(crlf.encode(&b"a\rb"[..], &mut buf).is_err());
        assert!(crlf.encode(&b"a\nb"[..], &mut buf).is_err());
        assert_eq!(
            crlf.encode(&b"toolong"[..], &mut buf),
            Err(Error::TooLarge {
                offset: 0,
                limit: 5,
                claimed: 7
            })
        );
        let mut aa = Delimited::with_delimiter(b"aa").unwrap();
        assert!(aa.encode(&b"ba"[..], &mut buf).is_err());
        assert!(aa.encode(&b"baab"[..], &mut buf).is_err());
        assert!(buf.is_empty());
        aa.encode(&b"ab"[..], &mut buf).unwrap();
        assert_eq!(&buf[..], b"abaa");
        assert_eq!(aa.decode(&mut buf), Ok(Some("ab".into())));
    }
}
