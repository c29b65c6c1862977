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

/// The reason phrase RFC 9110 §15 gives a status code, or `""`.
pub fn reason_phrase(status: u16) -> &'static str {
    match status {
        100 => "Continue",
        101 => "Switching Protocols",
        200 => "OK",
        201 => "Created",
        202 => "Accepted",
        204 => "No Content",
        206 => "Partial Content",
        301 => "Moved Permanently",
        302 => "Found",
        303 => "See Other",
        304 => "Not Modified",
        307 => "Temporary Redirect",
        308 => "Permanent Redirect",
        400 => "Bad Request",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        408 => "Request Timeout",
        411 => "Length Required",
        413 => "Content Too Large",
        414 => "URI Too Long",
        417 => "Expectation Failed",
        426 => "Upgrade Required",
        431 => "Request Header Fields Too Large",
        500 => "Internal Server Error",
        501 => "Not Implemented",
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        504 => "Gateway Timeout",
        505 => "HTTP Version Not Supported",
        _ => "",
    }
}
