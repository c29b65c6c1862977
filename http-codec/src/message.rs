//! Owned message heads (RFC 9112 §3, §4), as the streaming decoders yield them and the encoders
//! write them. Byte strings share the buffer they were received in (`Bytes`, no copy).

use bytes::Bytes;

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
    /// A request for `target` with no header fields, HTTP/1.1.
    pub fn new(method: impl Into<Bytes>, target: impl Into<Bytes>) -> Request {
        Request {
            method: method.into(),
            target: target.into(),
            version: Version::HTTP_11,
            headers: Headers::new(),
        }
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

    /// Whether this is an interim (1xx) response (RFC 9110 §15.2).
    pub fn is_informational(&self) -> bool {
        (100..200).contains(&self.status)
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
