//! The borrowed, allocation-free head parser (RFC 9112 §2-5): a request or response head read
//! straight out of a byte slice, with its header fields written into a slice the caller owns.
//!
//! This is the hot path for servers and proxies that keep their own buffers. It parses the
//! start-line and field lines only; message framing (Content-Length, Transfer-Encoding, Host) is
//! judged by [`crate::h1::message_body`], which the streaming decoders apply for you.
//!
//! Calling it again on the same growing buffer re-parses from the start (as `httparse` does);
//! feed a [`crate::RequestDecoder`] instead when input arrives in small pieces.
//!
//! ```
//! use http_codec::head::{Header, parse_request};
//! use http_codec::Config;
//!
//! let mut headers = [Header::EMPTY; 16];
//! let buf = b"GET /index.html HTTP/1.1\r\nHost: example.com\r\n\r\nrest";
//! let (head, len) = parse_request(buf, &mut headers, &Config::default())?.expect("complete");
//! assert_eq!(head.method, b"GET");
//! assert_eq!(head.target, b"/index.html");
//! assert_eq!(head.headers[0].name, b"Host");
//! assert_eq!(&buf[len..], b"rest");
//! # Ok::<(), http_codec::Error>(())
//! ```

use crate::chars::is_ws;
use crate::error::{Error, Limit};
use crate::h1::parse::field_line::field_line;
use crate::h1::parse::request_line::{TargetForm, http_version, method, request_target};
use crate::h1::parse::status_line::{reason_phrase, status_code};
use crate::h1::parse::{Fail, line_end, sp};
use crate::{Config, Version};

/// One header field as received: its name (case as sent) and its value without the OWS around
/// it (RFC 9110 §5.5). With `allow_obs_fold`, a folded value still holds its CRLFs here; the
/// streaming decoders replace them by spaces.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Header<'b> {
    /// `field-name`, a token.
    pub name: &'b [u8],
    /// `field-value`.
    pub value: &'b [u8],
}

impl Header<'_> {
    /// An empty header, to fill the array given to the parser.
    pub const EMPTY: Header<'static> = Header {
        name: b"",
        value: b"",
    };
}

/// A request head borrowed from the input (RFC 9112 §3).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RequestHead<'b, 'h> {
    /// `method`, a token (RFC 9110 §9).
    pub method: &'b [u8],
    /// `request-target` as received (RFC 9112 §3.2).
    pub target: &'b [u8],
    /// Which of the four target forms it is.
    pub form: TargetForm,
    /// `HTTP-version`.
    pub version: Version,
    /// The header fields in order.
    pub headers: &'h [Header<'b>],
}

/// A response head borrowed from the input (RFC 9112 §4).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ResponseHead<'b, 'h> {
    /// `HTTP-version`.
    pub version: Version,
    /// `status-code`, 100 to 599.
    pub status: u16,
    /// `reason-phrase`, possibly empty.
    pub reason: &'b [u8],
    /// The header fields in order.
    pub headers: &'h [Header<'b>],
}

/// Parses a request head at the start of `buf`, after any empty lines (RFC 9112 §2.2). Returns
/// `Ok(None)` if `buf` ends before the head does, or the head and the number of bytes it took.
/// More fields than `headers` holds (or than the configured maximum) is
/// [`Limit::HeaderCount`].
pub fn parse_request<'b, 'h>(
    buf: &'b [u8],
    headers: &'h mut [Header<'b>],
    config: &Config,
) -> Result<Option<(RequestHead<'b, 'h>, usize)>, Error> {
    let Some(line) = request_line(buf, config)? else {
        return Ok(None);
    };
    let mut n = 0;
    let end = header_section(buf, line.end, line.start, config, Section::Head, |f| {
        store(buf, headers, &mut n, f)
    })?;
    let Some(end) = end else {
        return Ok(None);
    };
    let (filled, _) = headers.split_at_mut(n);
    let head = RequestHead {
        method: span(buf, line.method),
        target: span(buf, line.target),
        form: line.form,
        version: line.version,
        headers: filled,
    };
    Ok(Some((head, end)))
}

/// Parses a response head at the start of `buf`. Returns `Ok(None)` if `buf` ends before the
/// head does, or the head and the number of bytes it took.
pub fn parse_response<'b, 'h>(
    buf: &'b [u8],
    headers: &'h mut [Header<'b>],
    config: &Config,
) -> Result<Option<(ResponseHead<'b, 'h>, usize)>, Error> {
    let Some(line) = status_line(buf, config)? else {
        return Ok(None);
    };
    let mut n = 0;
    let end = header_section(buf, line.end, 0, config, Section::Head, |f| {
        store(buf, headers, &mut n, f)
    })?;
    let Some(end) = end else {
        return Ok(None);
    };
    let (filled, _) = headers.split_at_mut(n);
    let head = ResponseHead {
        version: line.version,
        status: line.status,
        reason: span(buf, line.reason),
        headers: filled,
    };
    Ok(Some((head, end)))
}

fn store<'b>(
    buf: &'b [u8],
    headers: &mut [Header<'b>],
    n: &mut usize,
    f: FieldPos,
) -> Result<(), Error> {
    let slot = headers.get_mut(*n).ok_or(Error::TooLarge {
        offset: f.line_start as u64,
        what: Limit::HeaderCount,
        limit: *n as u64,
    })?;
    *slot = Header {
        name: span(buf, (f.line_start, f.name_end)),
        value: span(buf, (f.value_start, f.value_end)),
    };
    *n += 1;
    Ok(())
}

/// `buf[range.0..range.1]`; the ranges come from the parser, so they are always in bounds.
pub(crate) fn span(buf: &[u8], range: (usize, usize)) -> &[u8] {
    buf.get(range.0..range.1).unwrap_or_default()
}

/// Where the parts of a request-line are in the buffer.
#[derive(Debug, Clone, Copy)]
pub(crate) struct RequestLinePos {
    /// Where the request-line starts (after leading empty lines).
    pub start: usize,
    pub method: (usize, usize),
    pub target: (usize, usize),
    pub form: TargetForm,
    pub version: Version,
    /// Just after its CRLF.
    pub end: usize,
}

/// Where the parts of a status-line are in the buffer.
#[derive(Debug, Clone, Copy)]
pub(crate) struct StatusLinePos {
    pub version: Version,
    pub status: u16,
    pub reason: (usize, usize),
    /// Just after its CRLF.
    pub end: usize,
}

/// Where the parts of one field line are in the buffer.
#[derive(Debug, Clone, Copy)]
pub(crate) struct FieldPos {
    pub line_start: usize,
    pub name_end: usize,
    pub value_start: usize,
    pub value_end: usize,
    /// The index of the line's CR (or bare LF).
    pub line_end: usize,
    pub folded: bool,
}

/// `request-line`, after skipping empty lines (RFC 9112 §2.2: a server SHOULD ignore at least
/// one empty line before the request-line; we ignore any number, within the head limit).
pub(crate) fn request_line(buf: &[u8], config: &Config) -> Result<Option<RequestLinePos>, Error> {
    let bare_lf = config.leniency.bare_lf();
    let mut start = 0;
    loop {
        match buf.get(start..) {
            Some([b'\r', b'\n', ..]) => start += 2,
            Some([b'\n', ..]) if bare_lf => start += 1,
            Some([b'\r']) | Some([]) | None => return incomplete_line(buf, 0, start, config),
            Some(_) => break,
        }
        if start > config.limits.max_head_size {
            return Err(too_large(start, Limit::Head, config.limits.max_head_size));
        }
    }
    let input = buf.get(start..).unwrap_or_default();
    let pos = |rest: &[u8]| buf.len() - rest.len();
    let parsed = (|| {
        let (i, m) = method(input)?;
        let (i, (t, form)) = request_target(i, m, config.leniency.unsafe_target_chars())?;
        let version_at = i;
        let (i, digits) = http_version(i)?;
        let (i, ()) = line_end(i, bare_lf, "request-line")?;
        Ok::<_, nom::Err<Fail<'_>>>((i, m, t, form, version_at, digits))
    })();
    match parsed {
        Ok((rest, m, t, form, version_at, (major, minor))) => {
            let end = pos(rest);
            if end - start > config.limits.max_start_line + 2 {
                return Err(too_large(
                    start,
                    Limit::RequestLine,
                    config.limits.max_start_line,
                ));
            }
            let version = version_of(major, minor, pos(version_at))?;
            let method_start = start;
            let target_start = method_start + m.len() + 1;
            Ok(Some(RequestLinePos {
                start,
                method: (method_start, method_start + m.len()),
                target: (target_start, target_start + t.len()),
                form,
                version,
                end,
            }))
        }
        Err(nom::Err::Incomplete(_)) => incomplete_line(buf, start, start, config),
        Err(nom::Err::Error(f) | nom::Err::Failure(f)) => Err(f.into_error(buf)),
    }
}

/// `status-line` at the start of `buf`.
pub(crate) fn status_line(buf: &[u8], config: &Config) -> Result<Option<StatusLinePos>, Error> {
    let bare_lf = config.leniency.bare_lf();
    let pos = |rest: &[u8]| buf.len() - rest.len();
    let parsed = (|| {
        let (i, digits) = http_version(buf)?;
        let (i, ()) = sp(i, "SP after HTTP-version, RFC 9112 §4")?;
        let (i, status) = status_code(i)?;
        let (i, reason) = reason_phrase(i, config.leniency.missing_reason_space())?;
        let (i, ()) = line_end(i, bare_lf, "status-line")?;
        Ok((i, digits, status, reason))
    })();
    match parsed {
        Ok((rest, (major, minor), status, reason)) => {
            let end = pos(rest);
            if end > config.limits.max_start_line + 2 {
                return Err(too_large(0, Limit::Head, config.limits.max_start_line));
            }
            let version = version_of(major, minor, 0)?;
            let reason_start = end - reason.len() - line_end_len(buf, end);
            Ok(Some(StatusLinePos {
                version,
                status,
                reason: (reason_start, reason_start + reason.len()),
                end,
            }))
        }
        Err(nom::Err::Incomplete(_)) => incomplete_line(buf, 0, 0, config),
        Err(nom::Err::Error(f) | nom::Err::Failure(f)) => Err(f.into_error(buf)),
    }
}

/// 2 for a line that ended in CRLF at `end`, 1 for a bare LF.
fn line_end_len(buf: &[u8], end: usize) -> usize {
    if end >= 2 && buf.get(end - 2) == Some(&b'\r') {
        2
    } else {
        1
    }
}

fn version_of(major: u8, minor: u8, offset: usize) -> Result<Version, Error> {
    match (major, Version::http1(minor)) {
        (1, Some(v)) => Ok(v),
        _ => Err(Error::UnsupportedVersion {
            offset: offset as u64,
            major,
            minor,
        }),
    }
}

fn too_large(offset: usize, what: Limit, limit: usize) -> Error {
    Error::TooLarge {
        offset: offset as u64,
        what,
        limit: limit as u64,
    }
}

/// The start-line is incomplete: fine unless it already crossed its limit.
fn incomplete_line<T>(
    buf: &[u8],
    head_start: usize,
    line_start: usize,
    config: &Config,
) -> Result<Option<T>, Error> {
    let limits = &config.limits;
    if buf.len() - line_start > limits.max_start_line + 2 {
        return Err(too_large(
            line_start,
            Limit::RequestLine,
            limits.max_start_line,
        ));
    }
    if buf.len() - head_start > limits.max_head_size {
        return Err(too_large(head_start, Limit::Head, limits.max_head_size));
    }
    Ok(None)
}

/// Which section a field block is: the head's header section or a chunked body's trailers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Section {
    Head,
    Trailers,
}

/// `*( field-line CRLF ) CRLF` from `pos` (RFC 9112 §2.1, §5; §7.1.2 for trailers). `sink`
/// receives each field in order. Returns the index just after the empty line, or `None` if the
/// input ends first. `section_start` is where the size limit counts from.
pub(crate) fn header_section(
    buf: &[u8],
    mut pos: usize,
    section_start: usize,
    config: &Config,
    section: Section,
    mut sink: impl FnMut(FieldPos) -> Result<(), Error>,
) -> Result<Option<usize>, Error> {
    let limits = &config.limits;
    let leniency = &config.leniency;
    let (max_size, size_limit) = match section {
        Section::Head => (limits.max_head_size, Limit::Head),
        Section::Trailers => (limits.max_trailer_size, Limit::Trailers),
    };
    let mut count = 0;
    loop {
        let line = buf.get(pos..).unwrap_or_default();
        match line.first() {
            Some(b'\r' | b'\n') => {
                return match line_end(line, leniency.bare_lf(), "field-line") {
                    Ok((rest, ())) => {
                        let end = buf.len() - rest.len();
                        if end - section_start > max_size {
                            return Err(too_large(section_start, size_limit, max_size));
                        }
                        Ok(Some(end))
                    }
                    Err(nom::Err::Incomplete(_)) => Ok(None),
                    Err(nom::Err::Error(f) | nom::Err::Failure(f)) => Err(f.into_error(buf)),
                };
            }
            Some(&b) if is_ws(b) => {
                let reason = if count == 0 && section == Section::Head {
                    "whitespace before the first field line, RFC 9112 §2.2"
                } else {
                    "obs-fold (line folding), RFC 9112 §5.2"
                };
                return Err(Fail {
                    at: line,
                    production: "field-name",
                    reason,
                }
                .into_error(buf));
            }
            None => return incomplete_field(buf, pos, section_start, config, section),
            Some(_) => {}
        }
        match field_line(line, leniency.bare_lf(), leniency.obs_fold()) {
            Ok((rest, f)) => {
                if f.line_end > limits.max_field_line {
                    return Err(too_large(pos, Limit::FieldLine, limits.max_field_line));
                }
                count += 1;
                if count > limits.max_headers {
                    return Err(too_large(pos, Limit::HeaderCount, limits.max_headers));
                }
                sink(FieldPos {
                    line_start: pos,
                    name_end: pos + f.name_end,
                    value_start: pos + f.value_start,
                    value_end: pos + f.value_end,
                    line_end: pos + f.line_end,
                    folded: f.folded,
                })?;
                pos = buf.len() - rest.len();
                if pos - section_start > max_size {
                    return Err(too_large(section_start, size_limit, max_size));
                }
            }
            Err(nom::Err::Incomplete(_)) => {
                return incomplete_field(buf, pos, section_start, config, section);
            }
            Err(nom::Err::Error(f) | nom::Err::Failure(f)) => return Err(f.into_error(buf)),
        }
    }
}

fn incomplete_field(
    buf: &[u8],
    line_start: usize,
    section_start: usize,
    config: &Config,
    section: Section,
) -> Result<Option<usize>, Error> {
    let limits = &config.limits;
    if buf.len() - line_start > limits.max_field_line + 2 {
        return Err(too_large(
            line_start,
            Limit::FieldLine,
            limits.max_field_line,
        ));
    }
    let (max, what) = match section {
        Section::Head => (limits.max_head_size, Limit::Head),
        Section::Trailers => (limits.max_trailer_size, Limit::Trailers),
    };
    if buf.len() - section_start > max {
        return Err(too_large(section_start, what, max));
    }
    Ok(None)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::Found;

    type Fields = Vec<(String, String)>;

    fn request(buf: &[u8]) -> Result<Option<(Fields, usize)>, Error> {
        let mut h = [Header::EMPTY; 8];
        parse_request(buf, &mut h, &Config::default()).map(|r| {
            r.map(|(head, n)| {
                let fields = head
                    .headers
                    .iter()
                    .map(|h| {
                        (
                            String::from_utf8_lossy(h.name).into_owned(),
                            String::from_utf8_lossy(h.value).into_owned(),
                        )
                    })
                    .collect();
                (fields, n)
            })
        })
    }

    #[test]
    fn a_request_head_and_its_length() {
        let buf = b"GET / HTTP/1.1\r\nHost: a\r\nX:  b \r\n\r\nBODY";
        let (fields, n) = request(buf).unwrap().unwrap();
        assert_eq!(
            fields,
            vec![("Host".into(), "a".into()), ("X".into(), "b".into())]
        );
        assert_eq!(&buf[n..], b"BODY");
    }

    #[test]
    fn every_prefix_is_incomplete() {
        let buf = b"\r\nPOST /x?y HTTP/1.0\r\nHost: a\r\nContent-Length: 0\r\n\r\n";
        for i in 0..buf.len() {
            assert_eq!(request(&buf[..i]), Ok(None), "prefix {i}");
        }
        assert!(request(buf).unwrap().is_some());
    }

    #[test]
    fn leading_empty_lines_are_skipped_but_not_bare_lf() {
        assert!(
            request(b"\r\n\r\nGET / HTTP/1.1\r\n\r\n")
                .unwrap()
                .is_some()
        );
        assert!(request(b"\nGET / HTTP/1.1\r\n\r\n").is_err());
    }

    #[test]
    fn whitespace_before_the_first_field_and_obs_fold() {
        let e = request(b"GET / HTTP/1.1\r\n Host: a\r\n\r\n").unwrap_err();
        assert!(e.to_string().contains("before the first field line"), "{e}");
        assert_eq!(e.offset(), Some(16));
        let e = request(b"GET / HTTP/1.1\r\nHost: a\r\n b\r\n\r\n").unwrap_err();
        assert!(e.to_string().contains("obs-fold"), "{e}");
    }

    #[test]
    fn versions_other_than_1_x_are_505() {
        let e = request(b"GET / HTTP/2.0\r\n\r\n").unwrap_err();
        assert_eq!(e.status(), 505);
        assert_eq!(e.offset(), Some(6));
        let (_, _) = request(b"GET / HTTP/1.2\r\n\r\n").unwrap().unwrap();
    }

    #[test]
    fn limits_apply_before_the_end_arrives() {
        let mut config = Config::default();
        config.limits.max_start_line = 16;
        config.limits.max_field_line = 16;
        config.limits.max_headers = 1;
        let mut h = [Header::EMPTY; 8];
        let e = parse_request(b"GET /aaaaaaaaaaaaaaaaaaaaaaa", &mut h, &config).unwrap_err();
        assert_eq!(e.status(), 414);
        let e = parse_request(
            b"GET / HTTP/1.1\r\nX: aaaaaaaaaaaaaaaaaaaaa",
            &mut h,
            &config,
        )
        .unwrap_err();
        assert_eq!(e.status(), 431);
        let e =
            parse_request(b"GET / HTTP/1.1\r\nA: 1\r\nB: 2\r\n\r\n", &mut h, &config).unwrap_err();
        assert!(matches!(
            e,
            Error::TooLarge {
                what: Limit::HeaderCount,
                ..
            }
        ));
        let mut one = [Header::EMPTY; 1];
        let e = parse_request(
            b"GET / HTTP/1.1\r\nA: 1\r\nB: 2\r\n\r\n",
            &mut one,
            &Config::default(),
        )
        .unwrap_err();
        assert!(matches!(
            e,
            Error::TooLarge {
                what: Limit::HeaderCount,
                limit: 1,
                ..
            }
        ));
    }

    #[test]
    fn response_heads() {
        let mut h = [Header::EMPTY; 4];
        let buf = b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n";
        let (head, n) = parse_response(buf, &mut h, &Config::default())
            .unwrap()
            .unwrap();
        assert_eq!(
            (head.status, head.reason, n),
            (404, &b"Not Found"[..], buf.len())
        );
        let (head, _) = parse_response(b"HTTP/1.0 200 \r\n\r\n", &mut h, &Config::default())
            .unwrap()
            .unwrap();
        assert_eq!((head.version, head.reason), (Version::HTTP_10, &b""[..]));
        let e = parse_response(b"HTTP/1.1 200\r\n\r\n", &mut h, &Config::default()).unwrap_err();
        assert!(
            matches!(
                e,
                Error::Syntax {
                    offset: 12,
                    found: Found::Byte(b'\r'),
                    ..
                }
            ),
            "{e}"
        );
    }
}
