//! Request smuggling and desync vectors: every published trick that makes two HTTP/1 agents
//! disagree about where a message ends, each with the error the strict decoder must give, and,
//! where a named [`Leniency`] re-opens it, what the decoder does with that flag on.
//!
//! Sources: RFC 9112 §2.2, §3, §5, §6.1, §6.3, §7.1 and §11.2; the llhttp CVEs (CVE-2018-7159,
//! CVE-2020-8287, CVE-2021-22959, CVE-2022-32213/32214/32215, CVE-2023-30589, CVE-2024-27982);
//! the 2025 "funky chunks" chunk-line desyncs (bare LF, lone CR and NUL in chunk-ext; chunk-size
//! games); the HTTP Garden's TE.CL / CL.TE / TE.TE obfuscations; hyper's, h11's and Go's own
//! rejection lists. The vectors are written here, not copied.
//!
//! Every vector runs twice, whole and one byte at a time, and must give the same outcome.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use framing::testing::{cut, decode_pieces};
use http_codec::{
    Config, Error, Event, LENIENCY_FLAGS, Leniency, Limit, Limits, Request, RequestDecoder,
    Response, ResponseDecoder,
};

/// Which decoder a vector is fed to.
#[derive(Debug, Clone, Copy)]
enum Role {
    Request,
    /// A response to a request with this method.
    Response(&'static str),
}
use Role::{Request as Req, Response as Resp};

/// The error variant a vector must give.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Syntax,
    Truncated,
    TooLarge(Limit),
    Version,
    ContentLength,
    TransferEncoding,
    UnknownCoding,
    ClTe,
    Host,
}

fn kind_of(e: &Error) -> Option<Kind> {
    Some(match e {
        Error::Syntax { .. } => Kind::Syntax,
        Error::Truncated { .. } => Kind::Truncated,
        Error::TooLarge { what, .. } => Kind::TooLarge(*what),
        Error::UnsupportedVersion { .. } => Kind::Version,
        Error::ContentLength { .. } => Kind::ContentLength,
        Error::TransferEncoding { .. } => Kind::TransferEncoding,
        Error::UnknownTransferCoding { .. } => Kind::UnknownCoding,
        Error::ContentLengthWithTransferEncoding { .. } => Kind::ClTe,
        Error::Host { .. } => Kind::Host,
        _ => return None,
    })
}

/// One complete message as decoded: its start ("METHOD target" or the status code), its body
/// with the transfer coding removed, and its trailer fields.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Msg {
    start: String,
    body: Vec<u8>,
    trailers: Vec<(String, String)>,
}

/// What a decoder made of a whole input, at the end of the input.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Outcome {
    messages: Vec<Msg>,
    /// A head whose message had not ended when the error came.
    open: Option<String>,
    error: Option<Error>,
}

fn collect<H>(events: Vec<Result<Event<H>, Error>>, start: impl Fn(&H) -> String) -> Outcome {
    let mut out = Outcome {
        messages: Vec::new(),
        open: None,
        error: None,
    };
    let mut current: Option<(String, Vec<u8>)> = None;
    for e in events {
        match e {
            Ok(Event::Head(h)) => current = Some((start(&h), Vec::new())),
            Ok(Event::Data(d)) => current.as_mut().unwrap().1.extend_from_slice(&d),
            Ok(Event::End(t)) => {
                let (start, body) = current.take().unwrap();
                let trailers = t
                    .iter()
                    .map(|f| {
                        (
                            String::from_utf8_lossy(f.name()).into_owned(),
                            String::from_utf8_lossy(f.value()).into_owned(),
                        )
                    })
                    .collect();
                out.messages.push(Msg {
                    start,
                    body,
                    trailers,
                });
            }
            Err(e) => out.error = Some(e),
        }
    }
    out.open = current.map(|(s, _)| s);
    out
}

fn run_pieces(role: Role, config: Config, pieces: &[&[u8]]) -> Outcome {
    match role {
        Role::Request => collect(
            decode_pieces(&mut RequestDecoder::new(config), pieces, |_| false),
            |r: &Request| {
                format!(
                    "{} {}",
                    String::from_utf8_lossy(&r.method),
                    String::from_utf8_lossy(&r.target)
                )
            },
        ),
        Role::Response(method) => {
            let mut d = ResponseDecoder::new(config);
            d.expect(method);
            collect(decode_pieces(&mut d, pieces, |_| false), |r: &Response| {
                r.status.to_string()
            })
        }
    }
}

/// The outcome of the input whole, after checking that byte by byte and cut in two anywhere
/// give the same.
fn run(name: &str, role: Role, config: Config, input: &[u8]) -> Outcome {
    let whole = run_pieces(role, config, &[input]);
    let bytewise: Vec<&[u8]> = input.chunks(1).collect();
    let split = run_pieces(role, config, &bytewise);
    assert_eq!(split, whole, "{name}: byte by byte differs from whole");
    for at in 1..input.len() {
        let split = run_pieces(role, config, &cut(input, &[at]));
        assert_eq!(split, whole, "{name}: cut at {at} differs from whole");
    }
    whole
}

/// What a vector must give.
#[derive(Debug, Clone, Copy)]
enum Expect {
    /// This error (variant, a substring of its message, and its status), after any number of
    /// complete messages before it.
    Fails {
        kind: Kind,
        text: &'static str,
        status: u16,
    },
    /// These complete messages and nothing else: a valid look-alike.
    Accepts(&'static [M]),
}

/// An expected message: start, body, trailers.
#[derive(Debug, Clone, Copy)]
struct M(
    &'static str,
    &'static [u8],
    &'static [(&'static str, &'static str)],
);

const fn fails(kind: Kind, text: &'static str, status: u16) -> Expect {
    Expect::Fails { kind, text, status }
}

/// What a flag does to a hostile vector: the messages it then decodes to.
#[derive(Debug, Clone, Copy)]
struct Reopen(&'static str, &'static [M]);

struct Vector {
    name: &'static str,
    role: Role,
    input: &'static [u8],
    limits: fn(&mut Limits),
    expect: Expect,
    reopen: Option<Reopen>,
}

fn no_limits(_: &mut Limits) {}

const fn v(name: &'static str, role: Role, input: &'static [u8], expect: Expect) -> Vector {
    Vector {
        name,
        role,
        input,
        limits: no_limits,
        expect,
        reopen: None,
    }
}

impl Vector {
    const fn reopened_by(mut self, flag: &'static str, messages: &'static [M]) -> Vector {
        self.reopen = Some(Reopen(flag, messages));
        self
    }
    const fn limits(mut self, limits: fn(&mut Limits)) -> Vector {
        self.limits = limits;
        self
    }
}

use Kind::*;

const E400: u16 = 400;

/// `POST / HTTP/1.1` with `Host: a` and these field lines, then the body.
macro_rules! post {
    ($fields:literal, $body:literal) => {
        concat!("POST / HTTP/1.1\r\nHost: a\r\n", $fields, "\r\n", $body).as_bytes()
    };
}

/// A chunked POST whose body is `$body`.
macro_rules! chunked {
    ($body:literal) => {
        concat!(
            "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n",
            $body
        )
        .as_bytes()
    };
}

fn vectors() -> Vec<Vector> {
    vec![
        // --- RFC 9112 §6.3 item 3: Transfer-Encoding together with Content-Length (CL.TE, TE.CL)
        v(
            "CL.TE: Content-Length then Transfer-Encoding",
            Req,
            post!(
                "Content-Length: 5\r\nTransfer-Encoding: chunked\r\n",
                "0\r\n\r\n"
            ),
            fails(ClTe, "request smuggling", E400),
        )
        .reopened_by(
            "allow_transfer_encoding_with_content_length",
            &[M("POST /", b"", &[])],
        ),
        v(
            "TE.CL: Transfer-Encoding then Content-Length",
            Req,
            post!(
                "Transfer-Encoding: chunked\r\nContent-Length: 3\r\n",
                "3\r\nabc\r\n0\r\n\r\n"
            ),
            fails(ClTe, "Content-Length", E400),
        )
        .reopened_by(
            "allow_transfer_encoding_with_content_length",
            &[M("POST /", b"abc", &[])],
        ),
        v(
            "TE + Content-Length: 0",
            Req,
            post!(
                "Content-Length: 0\r\nTransfer-Encoding: chunked\r\n",
                "0\r\n\r\n"
            ),
            fails(ClTe, "", E400),
        )
        .reopened_by(
            "allow_transfer_encoding_with_content_length",
            &[M("POST /", b"", &[])],
        ),
        v(
            "response with Transfer-Encoding and Content-Length",
            Resp("GET"),
            b"HTTP/1.1 200 OK\r\nContent-Length: 100\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nok\r\n0\r\n\r\n",
            fails(ClTe, "", E400),
        )
        .reopened_by(
            "allow_transfer_encoding_with_content_length",
            &[M("200", b"ok", &[])],
        ),
        // --- TE.TE: Transfer-Encoding obfuscations (RFC 9112 §6.1, RFC 9110 §5.1, §5.5)
        v(
            "TE.TE: xchunked is an unknown coding",
            Req,
            post!("Transfer-Encoding: xchunked\r\n", ""),
            fails(UnknownCoding, "RFC 9112 §6.1", 501),
        ),
        v(
            "TE.TE: chunked;x (parameter without value)",
            Req,
            post!("Transfer-Encoding: chunked;x\r\n", "0\r\n\r\n"),
            fails(TransferEncoding, "no parameters", E400),
        ),
        v(
            "TE.TE: chunked; q=1 (chunked has no parameters, RFC 9112 §7.1)",
            Req,
            post!("Transfer-Encoding: chunked; q=1\r\n", "0\r\n\r\n"),
            fails(TransferEncoding, "no parameters", E400),
        ),
        v(
            "TE.TE: space before colon (CVE-2021-22959)",
            Req,
            post!("Transfer-Encoding : chunked\r\n", "0\r\n\r\n"),
            fails(Syntax, "whitespace between field-name and colon", E400),
        ),
        v(
            "TE.TE: tab before colon",
            Req,
            post!("Transfer-Encoding\t: chunked\r\n", "0\r\n\r\n"),
            fails(Syntax, "field-name", E400),
        ),
        v(
            "TE.TE: chunked on an obs-fold line (CVE-2022-32215)",
            Req,
            post!(
                "Content-Length: 3\r\nX: y\r\n Transfer-Encoding: chunked\r\n",
                "abc"
            ),
            fails(Syntax, "obs-fold", E400),
        )
        // Folded into X's value: no Transfer-Encoding at all, the Content-Length frames.
        .reopened_by("allow_obs_fold", &[M("POST /", b"abc", &[])]),
        v(
            "TE.TE: Transfer-Encoding value folded onto the next line",
            Req,
            post!("Transfer-Encoding:\r\n chunked\r\n", "0\r\n\r\n"),
            // The empty first line is refused before the fold is seen: 400 either way.
            fails(TransferEncoding, "empty Transfer-Encoding", E400),
        )
        .reopened_by("allow_obs_fold", &[M("POST /", b"", &[])]),
        v(
            "TE.TE: chunked, identity (a coding after chunked)",
            Req,
            post!("Transfer-Encoding: chunked, identity\r\n", "0\r\n\r\n"),
            fails(TransferEncoding, "chunked must be the final coding", E400),
        ),
        v(
            // identity was removed from the registry (RFC 7230 §8.4.2, RFC 9112 §7): unknown.
            "TE.TE: identity, chunked (identity is no transfer coding)",
            Req,
            post!("Transfer-Encoding: identity, chunked\r\n", "0\r\n\r\n"),
            fails(UnknownCoding, "", 501),
        ),
        v(
            "TE.TE: duplicated Transfer-Encoding: chunked (CVE-2020-8287)",
            Req,
            post!(
                "Transfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n",
                "0\r\n\r\n"
            ),
            fails(TransferEncoding, "final coding", E400),
        ),
        v(
            "TE.TE: second Transfer-Encoding line adds a coding after chunked",
            Req,
            post!(
                "Transfer-Encoding: chunked\r\nTransfer-Encoding: cow\r\n",
                "0\r\n\r\n"
            ),
            fails(TransferEncoding, "final coding", E400),
        ),
        v(
            "TE.TE: quoted \"chunked\"",
            Req,
            post!("Transfer-Encoding: \"chunked\"\r\n", "0\r\n\r\n"),
            fails(TransferEncoding, "token", E400),
        ),
        v(
            "TE.TE: empty Transfer-Encoding",
            Req,
            post!("Transfer-Encoding:\r\n", ""),
            fails(TransferEncoding, "empty", E400),
        ),
        v(
            "TE.TE: NUL after chunked",
            Req,
            post!("Transfer-Encoding: chunked\x00\r\n", "0\r\n\r\n"),
            fails(Syntax, "control character in field-value", E400),
        ),
        v(
            "TE.TE: vertical tab before chunked",
            Req,
            post!("Transfer-Encoding:\x0bchunked\r\n", "0\r\n\r\n"),
            fails(Syntax, "control character", E400),
        ),
        v(
            "TE.TE: bare CR ends the Transfer-Encoding line (CVE-2023-30589)",
            Req,
            post!("X: y\rTransfer-Encoding: chunked\r\n", "0\r\n\r\n"),
            fails(Syntax, "bare CR", E400),
        ),
        v(
            "TE.TE: bare LF starts a Transfer-Encoding line inside another field",
            Req,
            post!("X: y\nTransfer-Encoding: chunked\r\n", "3\r\nabc\r\n0\r\n\r\n"),
            fails(Syntax, "bare LF", E400),
        )
        .reopened_by("allow_bare_lf", &[M("POST /", b"abc", &[])]),
        v(
            "request whose final coding is not chunked (RFC 9112 §6.3 item 4)",
            Req,
            post!("Transfer-Encoding: gzip\r\n", "abc"),
            fails(TransferEncoding, "must be chunked", E400),
        ),
        v(
            "Transfer-Encoding in HTTP/1.0 (RFC 9112 §6.1)",
            Req,
            b"POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
            fails(TransferEncoding, "HTTP/1.0", E400),
        ),
        v(
            "Transfer-Encoding in an HTTP/1.0 response",
            Resp("GET"),
            b"HTTP/1.0 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
            fails(TransferEncoding, "HTTP/1.0", E400),
        ),
        // --- Content-Length (RFC 9110 §8.6, RFC 9112 §6.3 item 5)
        v(
            "Content-Length: +5",
            Req,
            post!("Content-Length: +5\r\n", "hello"),
            fails(ContentLength, "1*DIGIT", E400),
        ),
        v(
            "Content-Length: -5",
            Req,
            post!("Content-Length: -5\r\n", ""),
            fails(ContentLength, "1*DIGIT", E400),
        ),
        v(
            "Content-Length: 5 5 (CVE-2018-7159)",
            Req,
            post!("Content-Length: 5 5\r\n", "hello"),
            fails(ContentLength, "1*DIGIT", E400),
        ),
        v(
            "Content-Length: 0x5",
            Req,
            post!("Content-Length: 0x5\r\n", "hello"),
            fails(ContentLength, "1*DIGIT", E400),
        ),
        v(
            "Content-Length: 5.0",
            Req,
            post!("Content-Length: 5.0\r\n", "hello"),
            fails(ContentLength, "1*DIGIT", E400),
        ),
        v(
            "Content-Length: empty",
            Req,
            post!("Content-Length:\r\n", ""),
            fails(ContentLength, "", E400),
        ),
        v(
            "Content-Length: overflow of 64 bits",
            Req,
            post!("Content-Length: 18446744073709551616\r\n", ""),
            fails(ContentLength, "overflows", E400),
        ),
        v(
            "Content-Length: differing list 5, 6",
            Req,
            post!("Content-Length: 5, 6\r\n", "hello"),
            fails(ContentLength, "differing", E400),
        ),
        v(
            "Content-Length: differing duplicate lines",
            Req,
            post!("Content-Length: 5\r\nContent-Length: 6\r\n", "hello!"),
            fails(ContentLength, "differing", E400),
        ),
        v(
            "Content-Length: space before the colon, first field (CVE-2024-27982)",
            Req,
            b"POST / HTTP/1.1\r\n Content-Length: 5\r\nHost: a\r\n\r\nhello",
            fails(Syntax, "whitespace before the first field line", E400),
        ),
        v(
            "Content-Length with NUL",
            Req,
            post!("Content-Length: 5\x00\r\n", "hello"),
            fails(Syntax, "control character", E400),
        ),
        v(
            "Content-Length: differing duplicates in a response",
            Resp("GET"),
            b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\nok!",
            fails(ContentLength, "differing", E400),
        ),
        v(
            "Content-Length: +2 in a response",
            Resp("GET"),
            b"HTTP/1.1 200 OK\r\nContent-Length: +2\r\n\r\nok",
            fails(ContentLength, "", E400),
        ),
        // --- Host (RFC 9112 §3.2)
        v(
            "HTTP/1.1 request without Host",
            Req,
            b"GET / HTTP/1.1\r\nAccept: */*\r\n\r\n",
            fails(Host, "must have a Host", E400),
        )
        .reopened_by("allow_missing_host", &[M("GET /", b"", &[])]),
        v(
            "two Host fields",
            Req,
            b"GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n",
            fails(Host, "more than one", E400),
        ),
        v(
            "two Host fields in different case",
            Req,
            b"GET / HTTP/1.1\r\nHost: a\r\nhOST: a\r\n\r\n",
            fails(Host, "more than one", E400),
        ),
        v(
            "Host with a space",
            Req,
            b"GET / HTTP/1.1\r\nHost: a b\r\n\r\n",
            fails(Host, "uri-host", E400),
        ),
        v(
            "Host with userinfo",
            Req,
            b"GET / HTTP/1.1\r\nHost: user@evil\r\n\r\n",
            fails(Host, "uri-host", E400),
        ),
        v(
            "Host with a path",
            Req,
            b"GET / HTTP/1.1\r\nHost: a/b\r\n\r\n",
            fails(Host, "", E400),
        ),
        v(
            "Host with a non-numeric port",
            Req,
            b"GET / HTTP/1.1\r\nHost: a:b\r\n\r\n",
            fails(Host, "", E400),
        ),
        // --- request-line (RFC 9112 §3)
        v(
            "space inside the request-target",
            Req,
            b"GET /a b HTTP/1.1\r\nHost: a\r\n\r\n",
            fails(Syntax, "", E400),
        ),
        v(
            "control character in the request-target",
            Req,
            b"GET /a\x01b HTTP/1.1\r\nHost: a\r\n\r\n",
            fails(Syntax, "request-target", E400),
        ),
        v(
            "tab in the request-target",
            Req,
            b"GET /a\tb HTTP/1.1\r\nHost: a\r\n\r\n",
            fails(Syntax, "request-target", E400),
        ),
        v(
            "NUL in the request-target",
            Req,
            b"GET /a\x00 HTTP/1.1\r\nHost: a\r\n\r\n",
            fails(Syntax, "request-target", E400),
        ),
        v(
            "fragment in the request-target",
            Req,
            b"GET /a#frag HTTP/1.1\r\nHost: a\r\n\r\n",
            fails(Syntax, "request-target", E400),
        ),
        v(
            "pipe in the request-target",
            Req,
            b"GET /a|b HTTP/1.1\r\nHost: a\r\n\r\n",
            fails(Syntax, "request-target", E400),
        )
        .reopened_by("allow_unsafe_target_chars", &[M("GET /a|b", b"", &[])]),
        v(
            "braces and quote in the request-target",
            Req,
            b"GET /{\"x\"} HTTP/1.1\r\nHost: a\r\n\r\n",
            fails(Syntax, "request-target", E400),
        )
        .reopened_by("allow_unsafe_target_chars", &[M("GET /{\"x\"}", b"", &[])]),
        v(
            "bad percent-encoding",
            Req,
            b"GET /%zz HTTP/1.1\r\nHost: a\r\n\r\n",
            fails(Syntax, "pct-encoded", E400),
        ),
        v(
            "two spaces after the method",
            Req,
            b"GET  / HTTP/1.1\r\nHost: a\r\n\r\n",
            fails(Syntax, "", E400),
        ),
        v(
            "whitespace before the method",
            Req,
            b" GET / HTTP/1.1\r\nHost: a\r\n\r\n",
            fails(Syntax, "method", E400),
        ),
        v(
            "method that is not a token",
            Req,
            b"G(T / HTTP/1.1\r\nHost: a\r\n\r\n",
            fails(Syntax, "", E400),
        ),
        v(
            "HTTP/0.9 request-line",
            Req,
            b"GET /\r\n\r\n",
            fails(Syntax, "", E400),
        ),
        v(
            "trailing space after the version",
            Req,
            b"GET / HTTP/1.1 \r\nHost: a\r\n\r\n",
            fails(Syntax, "CRLF", E400),
        ),
        v(
            "asterisk-form with GET",
            Req,
            b"GET * HTTP/1.1\r\nHost: a\r\n\r\n",
            fails(Syntax, "asterisk-form", E400),
        ),
        v(
            "CONNECT without a port",
            Req,
            b"CONNECT a HTTP/1.1\r\nHost: a\r\n\r\n",
            fails(Syntax, "", E400),
        ),
        v(
            "bare LF line endings in the head (CVE-2022-32214)",
            Req,
            b"GET / HTTP/1.1\nHost: a\n\n",
            fails(Syntax, "bare LF", E400),
        )
        .reopened_by("allow_bare_lf", &[M("GET /", b"", &[])]),
        v(
            "bare CR in the request-line",
            Req,
            b"GET / HTTP/1.1\rHost: a\r\n\r\n",
            fails(Syntax, "bare CR", E400),
        ),
        v(
            "HTTP/2.0 in a request-line",
            Req,
            b"GET / HTTP/2.0\r\nHost: a\r\n\r\n",
            fails(Version, "not supported", 505),
        ),
        v(
            "HTTP/0.9 in a request-line",
            Req,
            b"GET / HTTP/0.9\r\nHost: a\r\n\r\n",
            fails(Version, "", 505),
        ),
        v(
            "HTTP/1.x junk version",
            Req,
            b"GET / HTTP/1.x\r\nHost: a\r\n\r\n",
            fails(Syntax, "HTTP-version", E400),
        ),
        v(
            "HTTP/1.10 (two minor digits)",
            Req,
            b"GET / HTTP/1.10\r\nHost: a\r\n\r\n",
            fails(Syntax, "", E400),
        ),
        v(
            "lowercase http/1.1",
            Req,
            b"GET / http/1.1\r\nHost: a\r\n\r\n",
            fails(Syntax, "HTTP-version", E400),
        ),
        v(
            "request-line over its limit (414)",
            Req,
            b"GET /aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa HTTP/1.1\r\nHost: a\r\n\r\n",
            fails(TooLarge(Limit::RequestLine), "request-line", 414),
        )
        .limits(|l| l.max_start_line = 32),
        // --- field lines (RFC 9112 §5, RFC 9110 §5.5)
        v(
            "obs-fold in an ordinary field",
            Req,
            b"GET / HTTP/1.1\r\nHost: a\r\nX: a\r\n\tb\r\n\r\n",
            fails(Syntax, "obs-fold", E400),
        )
        .reopened_by("allow_obs_fold", &[M("GET /", b"", &[])]),
        v(
            "NUL in a field value",
            Req,
            b"GET / HTTP/1.1\r\nHost: a\r\nX: a\x00b\r\n\r\n",
            fails(Syntax, "control character", E400),
        ),
        v(
            "DEL in a field value",
            Req,
            b"GET / HTTP/1.1\r\nHost: a\r\nX: a\x7fb\r\n\r\n",
            fails(Syntax, "control character", E400),
        ),
        v(
            "NUL in a field name",
            Req,
            b"GET / HTTP/1.1\r\nHost: a\r\nCon\x00tent-Length: 5\r\n\r\nhello",
            fails(Syntax, "token", E400),
        ),
        v(
            "empty field name",
            Req,
            b"GET / HTTP/1.1\r\nHost: a\r\n: x\r\n\r\n",
            fails(Syntax, "empty field-name", E400),
        ),
        v(
            "field line without a colon",
            Req,
            b"GET / HTTP/1.1\r\nHost: a\r\nContent-Length 5\r\n\r\nhello",
            fails(Syntax, "field-name", E400),
        ),
        v(
            "non-token byte in a field name",
            Req,
            b"GET / HTTP/1.1\r\nHost: a\r\nX/Y: z\r\n\r\n",
            fails(Syntax, "token", E400),
        ),
        v(
            "obs-text in a field name",
            Req,
            b"GET / HTTP/1.1\r\nHost: a\r\nX\xc3\xa9: z\r\n\r\n",
            fails(Syntax, "token", E400),
        ),
        v(
            "field line over its limit (431)",
            Req,
            b"GET / HTTP/1.1\r\nHost: a\r\nX: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\r\n\r\n",
            fails(TooLarge(Limit::FieldLine), "field line", 431),
        )
        .limits(|l| l.max_field_line = 24),
        v(
            "too many header fields (431)",
            Req,
            b"GET / HTTP/1.1\r\nHost: a\r\nA: 1\r\nB: 2\r\nC: 3\r\nD: 4\r\n\r\n",
            fails(TooLarge(Limit::HeaderCount), "header count", 431),
        )
        .limits(|l| l.max_headers = 3),
        v(
            "head over its limit (431)",
            Req,
            b"GET / HTTP/1.1\r\nHost: a\r\nA: 1111111111\r\nB: 2222222222\r\nC: 3333333333\r\n\r\n",
            fails(TooLarge(Limit::Head), "message head", 431),
        )
        .limits(|l| l.max_head_size = 48),
        // --- chunked framing (RFC 9112 §7.1) and the 2025 chunk-line desyncs
        v(
            "bare LF after the chunk-size",
            Req,
            chunked!("3\nabc\r\n0\r\n\r\n"),
            fails(Syntax, "bare LF ends a chunk line", E400),
        )
        .reopened_by("allow_bare_lf", &[M("POST /", b"abc", &[])]),
        v(
            "funky chunks: bare LF ends a chunk-ext",
            Req,
            chunked!("2;\nxx\r\n45\r\n0\r\n\r\n"),
            fails(Syntax, "bare LF", E400),
        ),
        v(
            "funky chunks: bare LF ends a chunk line with a chunk-ext",
            Req,
            chunked!("2;a\nxx\r\n0\r\n\r\n"),
            fails(Syntax, "bare LF", E400),
        )
        .reopened_by("allow_bare_lf", &[M("POST /", b"xx", &[])]),
        v(
            "funky chunks: lone CR in a chunk-ext",
            Req,
            chunked!("2;a\rb\r\nxx\r\n0\r\n\r\n"),
            fails(Syntax, "chunk-ext", E400),
        ),
        v(
            "funky chunks: NUL in a chunk-ext",
            Req,
            chunked!("2;a\x00\r\nxx\r\n0\r\n\r\n"),
            fails(Syntax, "chunk-ext", E400),
        ),
        v(
            "funky chunks: CRLF inside a quoted chunk-ext value",
            Req,
            chunked!("2;a=\"x\r\ny\"\r\nxx\r\n0\r\n\r\n"),
            fails(Syntax, "", E400),
        ),
        v(
            "chunk-size with leading whitespace",
            Req,
            chunked!(" 2\r\nxx\r\n0\r\n\r\n"),
            fails(Syntax, "chunk-size", E400),
        ),
        v(
            "chunk-size with trailing whitespace",
            Req,
            chunked!("2 \r\nxx\r\n0\r\n\r\n"),
            fails(Syntax, "chunk-ext", E400),
        ),
        v(
            "chunk-size with trailing tab",
            Req,
            chunked!("2\t\r\nxx\r\n0\r\n\r\n"),
            fails(Syntax, "chunk-ext", E400),
        ),
        v(
            "chunk-size with 0x prefix",
            Req,
            chunked!("0x2\r\nxx\r\n0\r\n\r\n"),
            fails(Syntax, "chunk-ext", E400),
        ),
        v(
            "chunk-size with a plus sign",
            Req,
            chunked!("+2\r\nxx\r\n0\r\n\r\n"),
            fails(Syntax, "chunk-size", E400),
        ),
        v(
            "chunk-size with a minus sign",
            Req,
            chunked!("-2\r\nxx\r\n0\r\n\r\n"),
            fails(Syntax, "chunk-size", E400),
        ),
        v(
            "chunk-size overflow ffffffffffffffff1",
            Req,
            chunked!("ffffffffffffffff1\r\nxx\r\n0\r\n\r\n"),
            fails(Syntax, "overflows", E400),
        ),
        v(
            "chunk-size overflow 10000000000000000",
            Req,
            chunked!("10000000000000000\r\nxx\r\n0\r\n\r\n"),
            fails(Syntax, "overflows", E400),
        ),
        v(
            "empty chunk-size",
            Req,
            chunked!("\r\nxx\r\n0\r\n\r\n"),
            fails(Syntax, "chunk-size", E400),
        ),
        v(
            "chunk-data not followed by CRLF",
            Req,
            chunked!("5\r\nhelloXX\r\n0\r\n\r\n"),
            fails(Syntax, "exactly CRLF", E400),
        ),
        v(
            "chunk-data followed by a bare LF",
            Req,
            chunked!("5\r\nhello\n0\r\n\r\n"),
            fails(Syntax, "exactly CRLF", E400),
        )
        .reopened_by("allow_bare_lf", &[M("POST /", b"hello", &[])]),
        v(
            "chunk-data followed by CR and junk",
            Req,
            chunked!("5\r\nhello\rX0\r\n\r\n"),
            fails(Syntax, "exactly CRLF", E400),
        ),
        v(
            "chunk-ext over its limit (413)",
            Req,
            chunked!("1;aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\r\nx\r\n0\r\n\r\n"),
            fails(TooLarge(Limit::ChunkExtension), "chunk extension", 413),
        )
        .limits(|l| l.max_chunk_extension = 16),
        v(
            "trailer section over its limit (431)",
            Req,
            chunked!("0\r\nA: 1111111111\r\nB: 2222222222\r\nC: 3333333333\r\n\r\n"),
            fails(TooLarge(Limit::Trailers), "trailer section", 431),
        )
        .limits(|l| l.max_trailer_size = 24),
        v(
            "trailer section smuggling a second request",
            Req,
            chunked!("0\r\nGET /admin HTTP/1.1\r\nHost: a\r\n\r\n"),
            fails(Syntax, "field-name", E400),
        ),
        v(
            "obs-fold in the trailer section",
            Req,
            chunked!("0\r\nT: a\r\n b\r\n\r\n"),
            fails(Syntax, "obs-fold", E400),
        )
        .reopened_by("allow_obs_fold", &[M("POST /", b"", &[("T", "a   b")])]),
        v(
            "bare CR line in the trailer section",
            Req,
            chunked!("0\r\n\rX\r\n\r\n"),
            fails(Syntax, "bare CR", E400),
        ),
        v(
            "body limit crossed by a chunk-size",
            Req,
            chunked!("ffff\r\nxx"),
            fails(TooLarge(Limit::Body), "body", 413),
        )
        .limits(|l| l.max_body_size = Some(16)),
        v(
            "body limit crossed by a Content-Length",
            Req,
            post!("Content-Length: 100\r\n", ""),
            fails(TooLarge(Limit::Body), "body", 413),
        )
        .limits(|l| l.max_body_size = Some(16)),
        v(
            "chunked body cut before its last chunk",
            Req,
            chunked!("5\r\nhello\r\n"),
            fails(Truncated, "chunked body", E400),
        ),
        // --- status-line (RFC 9112 §4)
        v(
            "status code of four digits",
            Resp("GET"),
            b"HTTP/1.1 2000 OK\r\nContent-Length: 0\r\n\r\n",
            fails(Syntax, "three digits", E400),
        ),
        v(
            "status code 099",
            Resp("GET"),
            b"HTTP/1.1 099 X\r\nContent-Length: 0\r\n\r\n",
            fails(Syntax, "status-code", E400),
        ),
        v(
            "status code of two digits",
            Resp("GET"),
            b"HTTP/1.1 20 OK\r\nContent-Length: 0\r\n\r\n",
            fails(Syntax, "status-code", E400),
        ),
        v(
            "status-line without the SP before an empty reason",
            Resp("GET"),
            b"HTTP/1.1 200\r\nContent-Length: 2\r\n\r\nok",
            fails(Syntax, "SP after the status-code", E400),
        )
        .reopened_by("allow_missing_reason_space", &[M("200", b"ok", &[])]),
        v(
            "two spaces after the response version",
            Resp("GET"),
            b"HTTP/1.1  200 OK\r\nContent-Length: 0\r\n\r\n",
            fails(Syntax, "status-code", E400),
        ),
        v(
            "HTTP/2 status-line",
            Resp("GET"),
            b"HTTP/2 200 OK\r\nContent-Length: 0\r\n\r\n",
            fails(Syntax, "HTTP-version", E400),
        ),
        v(
            "HTTP/2.0 status-line",
            Resp("GET"),
            b"HTTP/2.0 200 OK\r\nContent-Length: 0\r\n\r\n",
            fails(Version, "", 505),
        ),
        v(
            "NUL in a reason-phrase",
            Resp("GET"),
            b"HTTP/1.1 200 O\x00K\r\nContent-Length: 0\r\n\r\n",
            fails(Syntax, "reason-phrase", E400),
        ),
        v(
            "obs-fold in a response field",
            Resp("GET"),
            b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\nX: a\r\n b\r\n\r\nok",
            fails(Syntax, "obs-fold", E400),
        )
        .reopened_by("allow_obs_fold", &[M("200", b"ok", &[])]),
        v(
            "bare LF status-line",
            Resp("GET"),
            b"HTTP/1.1 200 OK\nContent-Length: 2\n\nok",
            fails(Syntax, "bare LF", E400),
        )
        .reopened_by("allow_bare_lf", &[M("200", b"ok", &[])]),
        v(
            "bare CR in a status-line",
            Resp("GET"),
            b"HTTP/1.1 200 OK\rContent-Length: 2\r\n\r\nok",
            fails(Syntax, "", E400),
        ),
    ]
}

/// Vectors the codec gets wrong today (see the report of the test that runs them).
fn regressions() -> Vec<Vector> {
    vec![
        // Was a bug: a status-line over `max_start_line` was `TooLarge { what: Head }` whole but
        // `TooLarge { what: RequestLine }` (414, a request-only status) in pieces. The outcome
        // must not depend on the split (DESIGN.md), and a response has no request-line.
        v(
            "status-line over its limit",
            Resp("GET"),
            b"HTTP/1.1 200 OKOKOKOKOKOKOKOKOKOKOKOKOKOKOKOK\r\nContent-Length: 0\r\n\r\n",
            fails(TooLarge(Limit::Head), "", 431),
        )
        .limits(|l| l.max_start_line = 24),
        // Was a bug: RFC 9110 §9.3.6, a CONNECT request has no content; what follows its head is
        // the tunnel's. The decoder read a Content-Length body first. It now refuses the claim
        // (a peer that reads it and one that does not would disagree).
        v(
            "CONNECT with a Content-Length: the bytes after the head are the tunnel's",
            Req,
            b"CONNECT a:443 HTTP/1.1\r\nHost: a:443\r\nContent-Length: 5\r\n\r\n",
            fails(Kind::ContentLength, "CONNECT request has no content", 400),
        ),
        // Was a bug: RFC 9112 §6.1 lets a response apply a coding after chunked and end by
        // closing the connection; §6.3 item 4 reads such a body until the close.
        v(
            "response with Transfer-Encoding: chunked, gzip is read until close",
            Resp("GET"),
            b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked, gzip\r\n\r\nzz",
            Expect::Accepts(&[M("200", b"zz", &[])]),
        ),
    ]
}

/// Valid look-alikes: close to the hostile vectors, but valid, so a fix that refuses them is a
/// regression.
fn controls() -> Vec<Vector> {
    use Expect::Accepts;
    vec![
        v(
            "tab after the colon of Transfer-Encoding",
            Req,
            post!("Transfer-Encoding:\tchunked\r\n", "3\r\nabc\r\n0\r\n\r\n"),
            Accepts(&[M("POST /", b"abc", &[])]),
        ),
        v(
            "CHUNKED in capitals",
            Req,
            post!("Transfer-Encoding: CHUNKED\r\n", "3\r\nabc\r\n0\r\n\r\n"),
            Accepts(&[M("POST /", b"abc", &[])]),
        ),
        v(
            "empty list elements before chunked (RFC 9110 §5.6.1)",
            Req,
            post!("Transfer-Encoding: , chunked\r\n", "0\r\n\r\n"),
            Accepts(&[M("POST /", b"", &[])]),
        ),
        v(
            "gzip, chunked: chunked framing, gzip left to the caller",
            Req,
            post!("Transfer-Encoding: gzip, chunked\r\n", "1\r\nz\r\n0\r\n\r\n"),
            Accepts(&[M("POST /", b"z", &[])]),
        ),
        v(
            "Content-Length: 5, 5 (RFC 9112 §6.3 item 5)",
            Req,
            post!("Content-Length: 5, 5\r\n", "hello"),
            Accepts(&[M("POST /", b"hello", &[])]),
        ),
        v(
            "identical duplicate Content-Length lines",
            Req,
            post!("Content-Length: 5\r\ncontent-length: 5\r\n", "hello"),
            Accepts(&[M("POST /", b"hello", &[])]),
        ),
        v(
            "Content-Length with leading zeros",
            Req,
            post!("Content-Length: 005\r\n", "hello"),
            Accepts(&[M("POST /", b"hello", &[])]),
        ),
        v(
            "Content-Length body then a pipelined request",
            Req,
            b"POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\n\r\nhelloGET /x HTTP/1.1\r\nHost: a\r\n\r\n",
            Accepts(&[M("POST /", b"hello", &[]), M("GET /x", b"", &[])]),
        ),
        v(
            "Content-Length in the trailer section frames nothing",
            Req,
            chunked!(
                "0\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\nGET /x HTTP/1.1\r\nHost: a\r\n\r\n"
            ),
            Accepts(&[
                M(
                    "POST /",
                    b"",
                    &[("Content-Length", "5"), ("Transfer-Encoding", "chunked")],
                ),
                M("GET /x", b"", &[]),
            ]),
        ),
        v(
            "chunk-size with leading zeros and BWS before a chunk-ext",
            Req,
            chunked!("0003 ; a = \"b;c\" ; d\r\nabc\r\n000\r\n\r\n"),
            Accepts(&[M("POST /", b"abc", &[])]),
        ),
        v(
            "OWS around Content-Length and Transfer-Encoding values",
            Req,
            post!("Transfer-Encoding: \tchunked \t\r\n", "1\r\nz\r\n0\r\n\r\n"),
            Accepts(&[M("POST /", b"z", &[])]),
        ),
        v(
            "Transfer_Encoding (underscore) is just another field",
            Req,
            post!("Transfer_Encoding: chunked\r\n", ""),
            Accepts(&[M("POST /", b"", &[])]),
        ),
        v(
            "HTTP/1.0 request without Host",
            Req,
            b"GET / HTTP/1.0\r\n\r\n",
            Accepts(&[M("GET /", b"", &[])]),
        ),
        v(
            "empty Host (RFC 9112 §3.2)",
            Req,
            b"GET / HTTP/1.1\r\nHost:\r\n\r\n",
            Accepts(&[M("GET /", b"", &[])]),
        ),
        v(
            "IP-literal Host with a port",
            Req,
            b"GET / HTTP/1.1\r\nHost: [::1]:8080\r\n\r\n",
            Accepts(&[M("GET /", b"", &[])]),
        ),
        v(
            "empty lines before the request-line (RFC 9112 §2.2)",
            Req,
            b"\r\n\r\nGET / HTTP/1.1\r\nHost: a\r\n\r\n",
            Accepts(&[M("GET /", b"", &[])]),
        ),
        v(
            "HTTP/1.2 is taken as HTTP/1.1 (RFC 9110 §6.2)",
            Req,
            b"GET / HTTP/1.2\r\nHost: a\r\n\r\n",
            Accepts(&[M("GET /", b"", &[])]),
        ),
        v(
            "response with an unknown final coding is read until close (RFC 9112 §6.3 item 4)",
            Resp("GET"),
            b"HTTP/1.1 200 OK\r\nTransfer-Encoding: xchunked\r\n\r\n0\r\n\r\n",
            Accepts(&[M("200", b"0\r\n\r\n", &[])]),
        ),
        v(
            "response to HEAD with a Content-Length has no body",
            Resp("HEAD"),
            b"HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\n",
            Accepts(&[M("200", b"", &[])]),
        ),
        v(
            "empty reason-phrase after its SP",
            Resp("GET"),
            b"HTTP/1.1 204 \r\n\r\n",
            Accepts(&[M("204", b"", &[])]),
        ),
    ]
}

fn config(limits: fn(&mut Limits), leniency: Leniency) -> Config {
    let mut config = Config {
        leniency,
        ..Config::default()
    };
    (limits)(&mut config.limits);
    config
}

fn expect_messages(name: &str, got: &Outcome, want: &[M]) -> Result<(), String> {
    let want: Vec<Msg> = want
        .iter()
        .map(|M(start, body, trailers)| Msg {
            start: (*start).to_string(),
            body: body.to_vec(),
            trailers: trailers
                .iter()
                .map(|(n, v)| ((*n).to_string(), (*v).to_string()))
                .collect(),
        })
        .collect();
    if got.error.is_some() || got.open.is_some() || got.messages != want {
        return Err(format!("{name}: got {got:?}, want {want:?}"));
    }
    Ok(())
}

/// Checks one vector, and what its leniency flag (if any) does to it; `Err` says how it failed.
fn check(vector: &Vector) -> Result<(), String> {
    let Vector {
        name,
        role,
        input,
        limits,
        expect,
        reopen,
    } = vector;
    let got = run(name, *role, config(*limits, Leniency::strict()), input);
    match expect {
        Expect::Fails { kind, text, status } => {
            let Some(e) = &got.error else {
                return Err(format!("{name}: accepted: {got:?}"));
            };
            if kind_of(e) != Some(*kind) || !e.to_string().contains(text) || e.status() != *status {
                return Err(format!(
                    "{name}: got {e:?} ({e}, status {}), want {kind:?} with {text:?}, status {status}",
                    e.status()
                ));
            }
            if e.offset().is_none_or(|o| o > input.len() as u64) {
                return Err(format!("{name}: offset of {e:?} outside the input"));
            }
        }
        Expect::Accepts(want) => expect_messages(name, &got, want)?,
    }
    if let Some(Reopen(flag, want)) = reopen {
        let leniency = Leniency::from_names([*flag]).unwrap();
        let got = run(name, *role, config(*limits, leniency), input);
        expect_messages(&format!("{name} with {flag}"), &got, want)?;
    }
    Ok(())
}

fn check_all(vectors: &[Vector]) {
    let failures: Vec<String> = vectors.iter().filter_map(|v| check(v).err()).collect();
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn hostile_vectors_are_refused_with_the_right_error() {
    let vectors = vectors();
    assert!(vectors.len() >= 70, "{} vectors", vectors.len());
    let mut names = std::collections::HashSet::new();
    for vector in &vectors {
        assert!(names.insert(vector.name), "duplicate name {}", vector.name);
    }
    check_all(&vectors);
}

#[test]
fn valid_look_alikes_are_accepted() {
    check_all(&controls());
}

#[test]
fn every_leniency_flag_reopens_at_least_one_vector() {
    let used: Vec<&str> = vectors()
        .iter()
        .filter_map(|v| v.reopen.map(|Reopen(flag, _)| flag))
        .collect();
    for flag in LENIENCY_FLAGS {
        assert!(used.contains(flag), "no vector for {flag}");
    }
}

/// Leniencies relax one rule each: the hostile vectors that name no flag stay refused with
/// every flag on.
#[test]
fn all_leniencies_together_leave_the_other_vectors_refused() {
    let all = Leniency::from_names(LENIENCY_FLAGS.iter().copied()).unwrap();
    for vector in vectors().iter().filter(|v| v.reopen.is_none()) {
        // Flags that change what an input means (bare LF, obs-fold) may turn one refusal into
        // another; they must never turn a refusal into an acceptance of these vectors.
        let got = run(
            vector.name,
            vector.role,
            config(vector.limits, all),
            vector.input,
        );
        if let Expect::Fails { .. } = vector.expect {
            assert!(
                got.error.is_some(),
                "{}: accepted with every leniency on: {got:?}",
                vector.name
            );
        }
    }
}

#[test]
fn status_line_limit_is_the_same_under_any_split() {
    check_all(&regressions()[0..1]);
}

#[test]
fn connect_request_claiming_a_body_is_refused() {
    check_all(&regressions()[1..2]);
}

#[test]
fn response_coding_after_chunked_runs_until_close() {
    check_all(&regressions()[2..3]);
}
