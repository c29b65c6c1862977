//! llhttp's own test cases (tests/vectors/llhttp, MIT licence), replayed through our decoders as
//! a second opinion.
//!
//! Each case is a `### name` section of a markdown file: a `<!-- meta={...} -->` line, an `http`
//! block (a line break is CRLF; `\r`, `\n`, `\t`, `\f`, `\xHH` and octal escapes stand for those
//! characters, turned into bytes the way llhttp's `md-test.ts` does) and a `log` block of
//! llhttp's callbacks. From the log we take what llhttp decided: which messages completed with
//! how many body bytes, and whether it then failed, paused (CONNECT / Upgrade) or waited for
//! more. Our decoder must decide the same, or the case must be in [`DIFFERENCES`] with the RFC
//! rule that makes us differ. Cases that use an llhttp mode we have no equivalent for are in
//! [`SKIPPED`] with the reason.
//!
//! llhttp's tests routinely leave Host out of HTTP/1.1 requests; RFC 9112 §3.2 makes that a 400.
//! So requests are replayed with `allow_missing_host`, and every request is also run strictly to
//! check that the strict decoder gives the same outcome or refuses exactly for the missing Host.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use bytes::BytesMut;
use framing::Decoder;
use http_codec::{Config, Error, Event, Leniency, RequestDecoder, ResponseDecoder};

/// One llhttp test case.
#[derive(Debug, Clone)]
struct Case {
    /// `request/invalid.md#Headers separated by CR`.
    key: String,
    meta: String,
    input: Vec<u8>,
    log: Vec<String>,
}

/// How a run ended, after the messages it completed.
#[derive(Debug, Clone, PartialEq, Eq)]
enum End {
    /// Waiting for more input.
    Pending,
    /// Stopped after a CONNECT or Upgrade (llhttp's `HPE_PAUSED_UPGRADE`).
    Paused,
    /// Refused the input.
    Error(String),
}

/// What a parser made of a case: the body length of each completed message, and how it ended.
#[derive(Debug, Clone)]
struct Outcome {
    bodies: Vec<u64>,
    end: End,
}

impl Outcome {
    fn agrees(&self, other: &Outcome) -> bool {
        self.bodies == other.bodies
            && matches!(
                (&self.end, &other.end),
                (End::Pending, End::Pending)
                    | (End::Paused, End::Paused)
                    | (End::Error(_), End::Error(_))
            )
    }
}

fn vectors_dir() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/vectors/llhttp")
}

/// Every case of every file, in file order.
fn cases() -> Vec<Case> {
    let mut out = Vec::new();
    for dir in ["request", "response"] {
        let mut files: Vec<_> = std::fs::read_dir(vectors_dir().join(dir))
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|e| e == "md"))
            .collect();
        files.sort();
        for file in files {
            let text = std::fs::read_to_string(&file).unwrap();
            let name = format!("{dir}/{}", file.file_name().unwrap().to_string_lossy());
            parse_file(&name, &text, &mut out);
        }
    }
    out
}

/// The cases of one markdown file: the nearest heading names the case.
fn parse_file(file: &str, text: &str, out: &mut Vec<Case>) {
    let mut heading = String::new();
    let mut meta = String::new();
    let mut input: Option<Vec<u8>> = None;
    let mut lines = text.lines().peekable();
    let mut seen = BTreeMap::<String, usize>::new();
    // A setext heading (`Title` over `=====`) names a file, not a case.
    while let Some(line) = lines.next() {
        if let Some(h) = line.strip_prefix('#') {
            heading = h.trim_start_matches('#').trim().to_string();
        } else if let Some(m) = line.strip_prefix("<!-- meta=") {
            meta = m.trim_end_matches("-->").trim().to_string();
        } else if line == "```http" || line == "```log" {
            let mut block = Vec::new();
            for l in lines.by_ref() {
                if l == "```" {
                    break;
                }
                block.push(l);
            }
            if line == "```http" {
                input = Some(http_input(&block.join("\n")));
            } else {
                let n = seen.entry(heading.clone()).or_insert(0);
                *n += 1;
                let key = if *n == 1 {
                    format!("{file}#{heading}")
                } else {
                    format!("{file}#{heading} ({n})")
                };
                out.push(Case {
                    key,
                    meta: meta.clone(),
                    input: input.take().expect("an http block before the log"),
                    log: block.iter().map(|l| l.to_string()).collect(),
                });
            }
        }
    }
}

/// The input bytes of an `http` block, as llhttp's `md-test.ts` makes them: backslash-newline
/// joins lines, line breaks become CRLF, then `\r` `\n` `\t` `\f` `\xHH..` and `\ooo` escapes
/// are replaced, in that order. Characters above 0x7F come out UTF-8 encoded, as Node's
/// `Buffer.from(string)` writes them.
fn http_input(block: &str) -> Vec<u8> {
    let s = block.replace("\\\n", "").replace('\n', "\r\n");
    let s = s
        .replace("\\r", "\r")
        .replace("\\n", "\n")
        .replace("\\t", "\t")
        .replace("\\f", "\x0c");
    let s = replace_escape(&s, 'x', |c| c.is_ascii_hexdigit(), usize::MAX, 16);
    let s = replace_escape(&s, '\0', |c| ('0'..='7').contains(&c), 3, 8);
    s.into_bytes()
}

/// Replaces `\` `marker` digits (or, for marker NUL, `\` digits) by the character they number.
fn replace_escape(
    s: &str,
    marker: char,
    digit: fn(char) -> bool,
    max: usize,
    radix: u32,
) -> String {
    let chars: Vec<char> = s.chars().collect();
    let mut out = String::new();
    let mut i = 0;
    while i < chars.len() {
        let skip = usize::from(marker != '\0');
        if chars[i] == '\\' && (marker == '\0' || chars.get(i + 1) == Some(&marker)) {
            let start = i + 1 + skip;
            let mut end = start;
            while end < chars.len() && end - start < max && digit(chars[end]) {
                end += 1;
            }
            if end > start {
                let digits: String = chars[start..end].iter().collect();
                let code = u32::from_str_radix(&digits, radix).unwrap();
                out.push(char::from_u32(code).unwrap());
                i = end;
                continue;
            }
        }
        out.push(chars[i]);
        i += 1;
    }
    out
}

/// What llhttp decided, from its log.
fn llhttp_outcome(log: &[String]) -> Outcome {
    let mut bodies = Vec::new();
    let mut body = 0;
    let mut end = End::Pending;
    for line in log {
        if line.contains(" headers complete") {
            body = 0;
        } else if line.contains("span[body]") {
            let len = line.split(" len=").nth(1).unwrap();
            body += len.split(' ').next().unwrap().parse::<u64>().unwrap();
        } else if line.contains(" message complete") {
            bodies.push(body);
        } else if let Some(f) = line.strip_prefix("off=NULL finish=") {
            // What `llhttp_finish` found: 0 safe, 1 safe and the message completes (a body
            // delimited by the close), 2 unsafe (HPE_INVALID_EOF_STATE).
            match f {
                "0" => {}
                "1" => bodies.push(body),
                _ => end = End::Error("Invalid EOF state".to_string()),
            }
        } else if let Some(e) = line.split(" error code=").nth(1) {
            let code: u32 = e.split(' ').next().unwrap().parse().unwrap();
            end = match code {
                // HPE_PAUSED_UPGRADE, HPE_PAUSED_H2_UPGRADE: the stream is no longer HTTP/1.
                22 | 23 => End::Paused,
                _ => End::Error(e.to_string()),
            };
        }
    }
    Outcome { bodies, end }
}

/// How a case is run through our decoders.
#[derive(Debug, Clone, Copy)]
struct Mode {
    request: bool,
    /// llhttp's `llhttp_finish` at the end (the `*-finish` types): our `decode_eof`.
    finish: bool,
    leniency: Leniency,
    /// Responses answer HEAD (llhttp's `skipBody`).
    head: bool,
}

/// Why a case is not replayed.
const LENIENT_HEADERS: &str = "llhttp lenient_headers / header_value_relaxed: control characters in field values, which RFC 9110 §5.5 forbids and we have no flag for";
const LENIENT_LF_AFTER_CR: &str = "llhttp lenient_optional_lf_after_cr: a bare CR as line end, which RFC 9112 §2.2 forbids and we never accept";
const LENIENT_CRLF_AFTER_CHUNK: &str = "llhttp lenient_optional_crlf_after_chunk: chunk-data without its CRLF (RFC 9112 §7.1), no flag of ours";
const LENIENT_SPACES_AFTER_CHUNK_SIZE: &str = "llhttp lenient_spaces_after_chunk_size: whitespace after chunk-size (RFC 9112 §7.1), no flag of ours";
const LENIENT_TRANSFER_ENCODING: &str = "llhttp lenient_transfer_encoding: a request whose final coding is not chunked (RFC 9112 §6.3 says 400), no flag of ours";
const LENIENT_VERSION: &str = "llhttp lenient_version: any digits as version, no flag of ours";
const LENIENT_KEEP_ALIVE: &str = "llhttp lenient_keep_alive / data_after_close: connection management, which is the session's job, not the decoder's";
const LENIENT_ALL: &str = "llhttp lenient_all: every llhttp leniency at once";
const SKIP_BODY_REQUEST: &str = "llhttp skipBody on a request: the callback discards a request body, which a request decoder cannot";

/// How a case maps to our decoders, or why it cannot.
fn mode(meta: &str) -> Result<Mode, &'static str> {
    let ty = meta
        .split("\"type\"")
        .nth(1)
        .and_then(|rest| rest.split('"').nth(1))
        .expect("meta has a type");
    let request = ty.starts_with("request");
    let mut mode = Mode {
        request,
        finish: false,
        leniency: Leniency::strict(),
        head: false,
    };
    let flavour = ty
        .trim_start_matches("request")
        .trim_start_matches("response");
    match flavour {
        "" => {}
        "-finish" => mode.finish = true,
        // llhttp's leniencies that are ours too.
        "-lenient-optional-cr-before-lf" => mode.leniency = mode.leniency.allow_bare_lf(true),
        "-lenient-chunked-length" => {
            mode.leniency = mode
                .leniency
                .allow_transfer_encoding_with_content_length(true)
        }
        "-lenient-headers" | "-lenient-header-value-relaxed" => return Err(LENIENT_HEADERS),
        "-lenient-optional-lf-after-cr" => return Err(LENIENT_LF_AFTER_CR),
        "-lenient-optional-crlf-after-chunk" => return Err(LENIENT_CRLF_AFTER_CHUNK),
        "-lenient-spaces-after-chunk-size" => return Err(LENIENT_SPACES_AFTER_CHUNK_SIZE),
        "-lenient-transfer-encoding" => return Err(LENIENT_TRANSFER_ENCODING),
        "-lenient-version" => return Err(LENIENT_VERSION),
        "-lenient-keep-alive" | "-lenient-data-after-close" => return Err(LENIENT_KEEP_ALIVE),
        "-lenient-all" => return Err(LENIENT_ALL),
        other => panic!("unknown llhttp test type {other:?}"),
    }
    if meta.contains("\"skipBody\"") {
        if request {
            return Err(SKIP_BODY_REQUEST);
        }
        mode.head = true;
    }
    Ok(mode)
}

/// Runs `input` through our decoder: all of it, then `decode_eof` if the case finishes.
fn ours(input: &[u8], mode: Mode, leniency: Leniency) -> Outcome {
    let config = Config {
        leniency,
        ..Config::default()
    };
    let mut buf = BytesMut::from(input);
    if mode.request {
        let mut d = RequestDecoder::new(config);
        drive(&mut buf, mode.finish, |b, eof| {
            let r = if eof { d.decode_eof(b) } else { d.decode(b) };
            (r.map(|o| o.map(strip)), d.is_paused())
        })
    } else {
        let mut d = ResponseDecoder::new(config);
        if mode.head {
            for _ in 0..16 {
                d.expect("HEAD");
            }
        }
        drive(&mut buf, mode.finish, |b, eof| {
            let r = if eof { d.decode_eof(b) } else { d.decode(b) };
            (r.map(|o| o.map(strip)), d.is_switched())
        })
    }
}

/// An event without its head.
enum Ev {
    Head,
    Data(u64),
    End,
}

fn strip<H>(e: Event<H>) -> Ev {
    match e {
        Event::Head(_) => Ev::Head,
        Event::Data(d) => Ev::Data(d.len() as u64),
        Event::End(_) => Ev::End,
    }
}

fn drive(
    buf: &mut BytesMut,
    finish: bool,
    mut step: impl FnMut(&mut BytesMut, bool) -> (Result<Option<Ev>, Error>, bool),
) -> Outcome {
    let mut bodies = Vec::new();
    let mut body = 0;
    let mut paused = false;
    for eof in [false, true] {
        if eof && !finish {
            break;
        }
        loop {
            let (r, p) = step(buf, eof);
            paused = p;
            match r {
                Ok(Some(Ev::Head)) => body = 0,
                Ok(Some(Ev::Data(n))) => body += n,
                Ok(Some(Ev::End)) => bodies.push(body),
                Ok(None) => break,
                Err(e) => {
                    return Outcome {
                        bodies,
                        end: End::Error(e.to_string()),
                    };
                }
            }
        }
    }
    let end = if paused { End::Paused } else { End::Pending };
    Outcome { bodies, end }
}

/// What we make of a case, requests with a missing Host allowed; plus whether the strict run
/// (Host required) gave the same or refused for the missing Host.
fn our_outcome(case: &Case, mode: Mode) -> Outcome {
    if !mode.request {
        return ours(&case.input, mode, mode.leniency);
    }
    let relaxed = ours(&case.input, mode, mode.leniency.allow_missing_host(true));
    let strict = ours(&case.input, mode, mode.leniency);
    let host_refusal = matches!(&strict.end, End::Error(e) if e.contains("must have a Host"));
    assert!(
        strict.agrees(&relaxed) && strict.end == relaxed.end || host_refusal,
        "{}: strict {strict:?} differs from the Host-relaxed run {relaxed:?} for a reason other \
         than the missing Host",
        case.key
    );
    relaxed
}

/// Where our decoder is still waiting for the end of a head or body that llhttp already
/// refused, append the rest of a message: if we then refuse at a byte llhttp saw, the input was
/// refused for the same bytes (we frame a head first and parse it whole, so we see the error
/// later, not elsewhere).
fn completed_refusal(case: &Case, mode: Mode) -> bool {
    let mut input = case.input.clone();
    input.extend_from_slice(b"\r\n\r\n\r\n\r\n");
    let mode = Mode {
        finish: true,
        ..mode
    };
    let leniency = if mode.request {
        mode.leniency.allow_missing_host(true)
    } else {
        mode.leniency
    };
    let config = Config {
        leniency,
        ..Config::default()
    };
    let mut buf = BytesMut::from(&input[..]);
    let err = if mode.request {
        let mut d = RequestDecoder::new(config);
        first_error(|| d.decode_eof(&mut buf).map(|o| o.is_some()))
    } else {
        let mut d = ResponseDecoder::new(config);
        if mode.head {
            for _ in 0..16 {
                d.expect("HEAD");
            }
        }
        first_error(|| d.decode_eof(&mut buf).map(|o| o.is_some()))
    };
    err.is_some_and(|e| {
        !matches!(e, Error::Truncated { .. })
            && e.offset().is_some_and(|o| o < case.input.len() as u64)
    })
}

fn first_error(mut next: impl FnMut() -> Result<bool, Error>) -> Option<Error> {
    loop {
        match next() {
            Ok(true) => {}
            Ok(false) => return None,
            Err(e) => return Some(e),
        }
    }
}

/// Why we and llhttp decide differently on purpose.
const D_CLOSE: &str = "llhttp refuses bytes after a message with `Connection: close`; we decode them and report keep_alive = false: RFC 9112 §9.6 (a server MUST NOT process further requests after close) is the session's rule, not the decoder's";
const D_IDENTITY: &str = "`identity` is not a transfer coding (removed from the registry, RFC 9112 §7; unknown coding in a request: 501, RFC 9112 §6.1); llhttp ignores it";
const D_METHODS: &str = "llhttp knows a fixed list of methods per protocol; for us a method is any token (RFC 9110 §9.1, RFC 9112 §3.1: the method registry is open)";
const D_ASTERISK: &str =
    "asterisk-form is only for OPTIONS (RFC 9112 §3.2.4); llhttp accepts `*` with any method";
const D_PRI: &str = "the HTTP/2 connection preface is not an HTTP/1 request: a server offering prior-knowledge h2c must detect it before the HTTP/1 decoder (RFC 9113 §3.3); as HTTP/1 it is asterisk-form without OPTIONS (RFC 9112 §3.2.4)";
const D_NOT_HTTP: &str = "RTSP and ICE are not HTTP: HTTP-name is %x48.54.54.50 (\"HTTP\") (RFC 9112 §2.3); llhttp also parses RTSP/ICE";
const D_HTTP09: &str = "HTTP/0.9 simple requests (no HTTP-version) are not HTTP/1 (RFC 9112 §3: request-line needs HTTP-version); llhttp accepts them";
const D_HTTP09_RESPONSE: &str =
    "HTTP/0.9 had no status-line: a major version other than 1 is 505 (RFC 9110 §6.2)";
const D_FRAGMENT: &str = "a fragment (`#`) is not part of any request-target form (RFC 9112 §3.2, RFC 9110 §7.1: fragments are not sent); llhttp accepts it";
const D_UNSAFE_TARGET: &str = "`\"` and `|` are excluded from URIs (RFC 3986 §2, §3.3); only `allow_unsafe_target_chars` accepts them";
const D_CRLF_BEFORE_RESPONSE: &str = "empty lines may be skipped before a request-line only (RFC 9112 §2.2, a server SHOULD ignore them); before a status-line, or after a response body, they are a syntax error; llhttp skips them in responses too";
const D_CONNECT_BODY: &str = "a CONNECT request has no content (RFC 9110 §9.3.6): what follows its head is the tunnel's, so a Content-Length claiming a body is refused (400) rather than read (llhttp pauses and leaves the bytes to the tunnel); refusing keeps a peer that reads the body and one that does not from disagreeing";
const D_REASON_SPACE: &str = "status-line = HTTP-version SP status-code SP [ reason-phrase ] (RFC 9112 §4): the second SP is required; only `allow_missing_reason_space` accepts its absence";

/// Cases where we and llhttp decide differently on purpose, with the rule that decides.
const DIFFERENCES: &[(&str, &str)] = &[
    ("request/method.md#CONNECT with body", D_CONNECT_BODY),
    (
        "request/connection.md#No restart when keep-alive is off (1.0)",
        D_CLOSE,
    ),
    (
        "request/connection.md#CRLF between requests, explicit `close`",
        D_CLOSE,
    ),
    (
        "request/connection.md#CRLF between requests, explicit `close` followed by tab",
        D_CLOSE,
    ),
    (
        "response/connection.md#HTTP/1.1 with keep-alive disabled and 204 status",
        D_CLOSE,
    ),
    (
        "request/content-length.md#No error on simultaneous `Content-Length` and `Transfer-Encoding: identity` (lenient)",
        D_IDENTITY,
    ),
    (
        "request/invalid.md#HTTP protocol and ANNOUNCE method",
        D_METHODS,
    ),
    ("request/invalid.md#Invalid method", D_METHODS),
    ("request/method.md#M-SEARCH request", D_ASTERISK),
    ("request/method.md#PRI request HTTP2", D_PRI),
    ("request/method.md#SOURCE request with ICE", D_NOT_HTTP),
    ("request/method.md#OPTIONS request with RTSP", D_NOT_HTTP),
    ("request/method.md#ANNOUNCE request with RTSP", D_NOT_HTTP),
    ("response/sample.md#RTSP response", D_NOT_HTTP),
    ("response/sample.md#ICE response", D_NOT_HTTP),
    ("request/sample.md#No HTTP version", D_HTTP09),
    ("response/sample.md#HTTP version 0.9", D_HTTP09_RESPONSE),
    (
        "request/transfer-encoding.md#POST with `Transfer-Encoding` and `Content-Length` (lenient)",
        D_FRAGMENT,
    ),
    (
        "request/transfer-encoding.md#POST with `chunked` as last transfer-encoding",
        D_FRAGMENT,
    ),
    (
        "request/transfer-encoding.md#POST with `chunked` as last transfer-encoding (multiple headers)",
        D_FRAGMENT,
    ),
    ("request/uri.md#Fragment in URI", D_FRAGMENT),
    ("request/uri.md#Quotes in URI", D_UNSAFE_TARGET),
    (
        "request/uri.md#Query URL with vertical bar character",
        D_UNSAFE_TARGET,
    ),
    (
        "response/connection.md#HTTP 304 with Content-Length",
        D_CRLF_BEFORE_RESPONSE,
    ),
    (
        "response/connection.md#HTTP 100 first, then 400",
        D_CRLF_BEFORE_RESPONSE,
    ),
    (
        "response/pipelining.md#Should parse multiple events",
        D_CRLF_BEFORE_RESPONSE,
    ),
    (
        "response/sample.md#Response starting with CRLF",
        D_CRLF_BEFORE_RESPONSE,
    ),
    ("response/sample.md#No reason phrase", D_REASON_SPACE),
];

/// Cases where llhttp is right and we are not (reported; the engineer will fix and empty this
/// table). [`known_bugs_agree_with_llhttp`] asserts the right behaviour and is ignored until
/// then.
const BUGS: &[(&str, &str)] = &[];

/// Cases not replayed, with the reason (checked against [`mode`]'s classification).
const SKIPPED: &[(&str, &str)] = &[
    (
        "request/connection.md#Resetting flags when keep-alive is off (1.0, lenient)",
        LENIENT_KEEP_ALIVE,
    ),
    (
        "request/connection.md#CRLF between requests, explicit `close` (lenient)",
        LENIENT_KEEP_ALIVE,
    ),
    (
        "request/connection.md#Multiple tokens with folding",
        LENIENT_HEADERS,
    ),
    (
        "request/connection.md#Multiple tokens with folding, LWS, and CRLF",
        LENIENT_HEADERS,
    ),
    (
        "request/connection.md#Invalid whitespace token with `Connection` header field (lenient)",
        LENIENT_HEADERS,
    ),
    (
        "request/content-length.md#Invalid whitespace token with `Content-Length` header field (lenient)",
        LENIENT_HEADERS,
    ),
    (
        "request/content-length.md#Content-Length reset when no body is received",
        SKIP_BODY_REQUEST,
    ),
    (
        "request/content-length.md#Missing CRLF-CRLF before body (lenient)",
        LENIENT_LF_AFTER_CR,
    ),
    (
        "request/invalid.md#Headers separated by dummy characters (lenient)",
        LENIENT_LF_AFTER_CR,
    ),
    ("request/invalid.md#Only LFs present (lenient)", LENIENT_ALL),
    (
        "request/invalid.md#Spaces before headers (lenient)",
        LENIENT_HEADERS,
    ),
    (
        "request/lenient-header-value-relaxed.md#Control char in header value (relaxed)",
        LENIENT_HEADERS,
    ),
    (
        "request/lenient-header-value-relaxed.md#LF in header value should be rejected even with relaxed flag",
        LENIENT_HEADERS,
    ),
    (
        "request/lenient-header-value-relaxed.md#CR without LF in header value should be rejected even with relaxed flag",
        LENIENT_HEADERS,
    ),
    (
        "request/lenient-header-value-relaxed.md#Space after start line must still fail",
        LENIENT_HEADERS,
    ),
    (
        "request/lenient-headers.md#Header value (lenient)",
        LENIENT_HEADERS,
    ),
    (
        "request/lenient-headers.md#Second request header value (lenient)",
        LENIENT_HEADERS,
    ),
    (
        "request/lenient-headers.md#Empty headers separated by CR (lenient)",
        LENIENT_HEADERS,
    ),
    (
        "request/lenient-version.md#Invalid HTTP version (lenient)",
        LENIENT_VERSION,
    ),
    (
        "request/sample.md#Line folding in header value with CRLF",
        LENIENT_HEADERS,
    ),
    (
        "request/sample.md#No LF after CR (lenient)",
        LENIENT_LF_AFTER_CR,
    ),
    ("request/sample.md#X-SSL-Nonsense", LENIENT_HEADERS),
    (
        "request/transfer-encoding.md#POST with `chunked` before other transfer-coding (lenient)",
        LENIENT_TRANSFER_ENCODING,
    ),
    (
        "request/transfer-encoding.md#POST with `chunked` and duplicate transfer-encoding (lenient)",
        LENIENT_TRANSFER_ENCODING,
    ),
    (
        "request/transfer-encoding.md#Invalid OBS fold after chunked value",
        LENIENT_HEADERS,
    ),
    (
        "request/transfer-encoding.md#Chunk header not terminated by CRLF (lenient)",
        LENIENT_LF_AFTER_CR,
    ),
    (
        "request/transfer-encoding.md#Chunk data not terminated by CRLF (lenient)",
        LENIENT_CRLF_AFTER_CHUNK,
    ),
    (
        "request/transfer-encoding.md#Space after chunk header (lenient)",
        LENIENT_SPACES_AFTER_CHUNK_SIZE,
    ),
    (
        "response/connection.md#HTTP/1.1 with keep-alive disabled, content-length (lenient)",
        LENIENT_KEEP_ALIVE,
    ),
    (
        "response/connection.md#HTTP/1.1 with keep-alive disabled and 204 status (lenient)",
        LENIENT_KEEP_ALIVE,
    ),
    (
        "response/invalid.md#Bare CR after response line (lenient)",
        LENIENT_LF_AFTER_CR,
    ),
    (
        "response/invalid.md#Only LFs present and no body (lenient)",
        LENIENT_ALL,
    ),
    (
        "response/invalid.md#Only LFs present (lenient)",
        LENIENT_ALL,
    ),
    (
        "response/lenient-version.md#Invalid HTTP version (lenient)",
        LENIENT_VERSION,
    ),
    (
        "response/transfer-encoding.md#Invalid OBS fold after chunked value",
        LENIENT_HEADERS,
    ),
];

/// How a case compares.
enum Verdict {
    /// The same decision; `late` when we refused only once the head was complete.
    Same { late: bool },
    /// Different decisions, described.
    Differs(String),
}

/// Runs one case through our decoder and compares with llhttp's log; `Err` is why it is
/// skipped.
fn compare(case: &Case) -> Result<Verdict, &'static str> {
    let mode = mode(&case.meta)?;
    let theirs = llhttp_outcome(&case.log);
    let mine = our_outcome(case, mode);
    if mine.agrees(&theirs) {
        return Ok(Verdict::Same { late: false });
    }
    if mine.bodies == theirs.bodies
        && mine.end == End::Pending
        && matches!(theirs.end, End::Error(_))
        && completed_refusal(case, mode)
    {
        return Ok(Verdict::Same { late: true });
    }
    Ok(Verdict::Differs(format!(
        "    input {:?}\n    llhttp {theirs:?}\n    ours   {mine:?}",
        String::from_utf8_lossy(&case.input)
    )))
}

#[test]
fn llhttp_cases_agree_or_differ_as_documented() {
    let cases = cases();
    assert!(cases.len() > 200, "only {} cases found", cases.len());
    let differences: BTreeMap<&str, &str> = DIFFERENCES.iter().copied().collect();
    let skipped: BTreeMap<&str, &str> = SKIPPED.iter().copied().collect();
    let keys: BTreeSet<&str> = cases.iter().map(|c| c.key.as_str()).collect();
    assert_eq!(keys.len(), cases.len(), "case names are unique");
    for name in differences.keys().chain(skipped.keys()) {
        assert!(
            keys.contains(name),
            "table names a case that does not exist: {name}"
        );
    }

    let bugs: BTreeMap<&str, &str> = BUGS.iter().copied().collect();
    let (mut ran, mut agreed, mut documented, mut bug) = (0, 0, 0, 0);
    let mut late = Vec::new();
    let mut undocumented = Vec::new();
    let mut stale = Vec::new();
    let mut unlisted_skips = Vec::new();
    for case in &cases {
        let verdict = match compare(case) {
            Err(reason) => {
                if skipped.get(case.key.as_str()) != Some(&reason) {
                    unlisted_skips.push(format!("    (\"{}\", \"{reason}\"),", case.key));
                }
                continue;
            }
            Ok(verdict) => verdict,
        };
        assert!(
            !skipped.contains_key(case.key.as_str()),
            "{} is listed as skipped but runs",
            case.key
        );
        ran += 1;
        let listed =
            differences.contains_key(case.key.as_str()) || bugs.contains_key(case.key.as_str());
        match verdict {
            Verdict::Same { late: l } if !listed => {
                agreed += 1;
                if l {
                    late.push(case.key.clone());
                }
            }
            Verdict::Same { .. } => stale.push(case.key.clone()),
            Verdict::Differs(_) if differences.contains_key(case.key.as_str()) => documented += 1,
            Verdict::Differs(_) if bugs.contains_key(case.key.as_str()) => bug += 1,
            Verdict::Differs(what) => undocumented.push(format!("{}\n{what}", case.key)),
        }
    }
    eprintln!(
        "llhttp cases: {} in all, {ran} ran, {agreed} agreed ({} of them refused by us only \
         once the head was complete: {late:?}), {documented} differ as documented, {bug} differ \
         by a known bug, {} skipped with a reason",
        cases.len(),
        late.len(),
        SKIPPED.len()
    );
    assert!(
        unlisted_skips.is_empty(),
        "skipped cases missing from SKIPPED:\n{}",
        unlisted_skips.join("\n")
    );
    assert!(
        stale.is_empty(),
        "in DIFFERENCES but now agreeing: {stale:?}"
    );
    assert!(
        undocumented.is_empty(),
        "{} undocumented differences:\n{}",
        undocumented.len(),
        undocumented.join("\n")
    );
}
