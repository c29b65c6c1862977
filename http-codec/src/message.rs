//! Owned message heads (RFC 9112 §3, §4), as the streaming decoders yield them and the encoders
//! write them. Byte strings share the buffer they were received in (`Bytes`, no copy).

use std::fmt;

use bytes::Bytes;
use framing::IntoBytes;

use crate::error::Error;
use crate::field::write_escaped;
use crate::{Headers, TargetForm, Version};

/// A request head: request-line and header section (RFC 9112 §3).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Request {
    /// `method`, a token (RFC 9110 §9), case-sensitive.
    pub method: Bytes,
    /// `request-target` as sent (RFC 9112 §3.2).
    pub target: Bytes,
    /// `HTTP-version`.
    pub version: Version,
    /// The header fields, in order.
    pub headers: Headers,
}

impl Request {
    /// A request for `target` with no header fields, HTTP/1.1. Owned bytes move in, borrowed
    /// ones are copied ([`IntoBytes`]). Nothing is checked here: the encoder refuses a method
    /// that is not a token and a target a strict decoder would refuse (RFC 9112 §3).
    pub fn new(method: impl IntoBytes, target: impl IntoBytes) -> Request {
        Request {
            method: method.into_shared(),
            target: target.into_shared(),
            version: Version::HTTP_11,
            headers: Headers::new(),
        }
    }

    /// A GET request for `target` (RFC 9110 §9.3.1).
    ///
    /// ```
    /// let request = http_codec::Request::get("/index.html").header("Host", "example.com")?;
    /// assert_eq!(request.to_string(), "GET /index.html HTTP/1.1\nHost: example.com");
    /// # Ok::<(), http_codec::Error>(())
    /// ```
    pub fn get(target: impl IntoBytes) -> Request {
        Request::new(Bytes::from_static(b"GET"), target)
    }

    /// A POST request for `target` (RFC 9110 §9.3.3).
    pub fn post(target: impl IntoBytes) -> Request {
        Request::new(Bytes::from_static(b"POST"), target)
    }

    /// A PUT request for `target` (RFC 9110 §9.3.4).
    pub fn put(target: impl IntoBytes) -> Request {
        Request::new(Bytes::from_static(b"PUT"), target)
    }

    /// A DELETE request for `target` (RFC 9110 §9.3.5).
    pub fn delete(target: impl IntoBytes) -> Request {
        Request::new(Bytes::from_static(b"DELETE"), target)
    }

    /// The same request with one more header field, checked as [`Headers::append`] checks it.
    pub fn header(
        mut self,
        name: impl AsRef<[u8]>,
        value: impl AsRef<[u8]>,
    ) -> Result<Request, Error> {
        self.headers.append(name, value)?;
        Ok(self)
    }

    /// Which form the target has (RFC 9112 §3.2), judged from its first byte and the method.
    pub fn target_form(&self) -> TargetForm {
        match self.target.first() {
            Some(b'/') => TargetForm::Origin,
            Some(b'*') if self.target.len() == 1 => TargetForm::Asterisk,
            _ if self.method == "CONNECT" => TargetForm::Authority,
            _ => TargetForm::Absolute,
        }
    }

    /// Whether the request asks to switch protocols: CONNECT (RFC 9110 §9.3.6), or an `Upgrade`
    /// field listed in `Connection` (RFC 9110 §7.8).
    pub fn asks_switch(&self) -> bool {
        self.method == "CONNECT"
            || (self.headers.contains("upgrade") && self.headers.has_connection_option("upgrade"))
    }

    /// Whether the connection may carry another request after this one's response, as far as
    /// the request decides (RFC 9112 §9.3): no `Connection: close`, and HTTP/1.0 only with
    /// `keep-alive`.
    pub fn keeps_alive(&self) -> bool {
        !self.headers.has_connection_option("close")
            && (self.version.is_http11() || self.headers.has_connection_option("keep-alive"))
    }

    /// The method as text (a token is ASCII, so this fails only for a method set by hand).
    pub fn method_str(&self) -> &str {
        std::str::from_utf8(&self.method).unwrap_or("")
    }
}

/// A response head: status-line and header section (RFC 9112 §4).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Response {
    /// `HTTP-version`.
    pub version: Version,
    /// `status-code`, 100 to 599 (RFC 9110 §15).
    pub status: u16,
    /// `reason-phrase`, possibly empty (RFC 9112 §4).
    pub reason: Bytes,
    /// The header fields, in order.
    pub headers: Headers,
}

impl Response {
    /// A response with this status, its usual reason phrase, no header fields, HTTP/1.1.
    pub fn new(status: u16) -> Response {
        Response {
            version: Version::HTTP_11,
            status,
            reason: Bytes::from_static(reason_phrase(status).as_bytes()),
            headers: Headers::new(),
        }
    }

    /// The same response with one more header field, checked as [`Headers::append`] checks it.
    ///
    /// ```
    /// let response = http_codec::Response::new(404).header("Content-Length", "0")?;
    /// assert_eq!(response.to_string(), "HTTP/1.1 404 Not Found\nContent-Length: 0");
    /// # Ok::<(), http_codec::Error>(())
    /// ```
    pub fn header(
        mut self,
        name: impl AsRef<[u8]>,
        value: impl AsRef<[u8]>,
    ) -> Result<Response, Error> {
        self.headers.append(name, value)?;
        Ok(self)
    }

    /// Whether this is an interim (1xx) response (RFC 9110 §15.2).
    pub fn is_informational(&self) -> bool {
        (100..200).contains(&self.status)
    }
}

/// The request-line, then one header field per line (lines end in `\n`, not CRLF: this is for
/// logs; the encoders write the wire form). Bytes outside printable ASCII are written as `\xNN`.
impl fmt::Display for Request {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write_escaped(f, &self.method)?;
        f.write_str(" ")?;
        write_escaped(f, &self.target)?;
        write!(f, " {}", self.version)?;
        if !self.headers.is_empty() {
            write!(f, "\n{}", self.headers)?;
        }
        Ok(())
    }
}

/// The status-line, then one header field per line, as [`Request`]'s `Display`.
impl fmt::Display for Response {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {:03} ", self.version, self.status)?;
        write_escaped(f, &self.reason)?;
        if !self.headers.is_empty() {
            write!(f, "\n{}", self.headers)?;
        }
        Ok(())
    }
}

/// The reason phrase registered for a status code in IANA's HTTP Status Code Registry
/// (RFC 9110 §15 and §16.2.1; 102 RFC 2518, 103 RFC 8297, 207 RFC 4918, 208 and 508 RFC 5842,
/// 226 RFC 3229, 423 and 424 RFC 4918, 425 RFC 8470, 428, 429 and 511 RFC 6585, 451 RFC 7725,
/// 506 RFC 2295, 507 RFC 4918), or `""` for an unregistered code.
pub fn reason_phrase(status: u16) -> &'static str {
    match status {
        100 => "Continue",
        101 => "Switching Protocols",
        102 => "Processing",
        103 => "Early Hints",
        200 => "OK",
        201 => "Created",
        202 => "Accepted",
        203 => "Non-Authoritative Information",
        204 => "No Content",
        205 => "Reset Content",
        206 => "Partial Content",
        207 => "Multi-Status",
        208 => "Already Reported",
        226 => "IM Used",
        300 => "Multiple Choices",
        301 => "Moved Permanently",
        302 => "Found",
        303 => "See Other",
        304 => "Not Modified",
        305 => "Use Proxy",
        307 => "Temporary Redirect",
        308 => "Permanent Redirect",
        400 => "Bad Request",
        401 => "Unauthorized",
        402 => "Payment Required",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        406 => "Not Acceptable",
        407 => "Proxy Authentication Required",
        408 => "Request Timeout",
        409 => "Conflict",
        410 => "Gone",
        411 => "Length Required",
        412 => "Precondition Failed",
        413 => "Content Too Large",
        414 => "URI Too Long",
        415 => "Unsupported Media Type",
        416 => "Range Not Satisfiable",
        417 => "Expectation Failed",
        421 => "Misdirected Request",
        422 => "Unprocessable Content",
        423 => "Locked",
        424 => "Failed Dependency",
        425 => "Too Early",
        426 => "Upgrade Required",
        428 => "Precondition Required",
        429 => "Too Many Requests",
        431 => "Request Header Fields Too Large",
        451 => "Unavailable For Legal Reasons",
        500 => "Internal Server Error",
        501 => "Not Implemented",
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        504 => "Gateway Timeout",
        505 => "HTTP Version Not Supported",
        506 => "Variant Also Negotiates",
        507 => "Insufficient Storage",
        508 => "Loop Detected",
        511 => "Network Authentication Required",
        _ => "",
    }
}
