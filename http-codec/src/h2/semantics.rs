//! HTTP/2 message semantics (RFC 9113 §8): a received field list becomes a [`RequestHead`], a
//! [`Response`] or trailers after the checks of §8.2 and §8.3, and a message to send becomes a
//! field list. The result uses the crate's HTTP/1 types, so an HTTP/2 message converts to
//! HTTP/1 without surprises: anything that would be a desync once written as HTTP/1 (CR, LF or
//! NUL in a name or value, `transfer-encoding`, connection-specific fields, a `content-length`
//! that is not one number) is refused here as malformed (§8.1.1: a stream error of type
//! PROTOCOL_ERROR).

use bytes::Bytes;

use super::hpack::HeaderField;
use crate::chars::is_tchar;
use crate::{Field, Headers, Request, Response, Version};

/// A request received over HTTP/2 (§8.3.1): the head as an HTTP/1-shaped [`Request`] plus the
/// pseudo-header fields that have no place in it.
///
/// `request.method` is `:method`; `request.target` is `:path` (the authority for CONNECT,
/// §8.5); `request.version` is HTTP/1.1 (the semantics HTTP/2 carries, RFC 9110 §6.2);
/// `request.headers` are the regular fields, in order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RequestHead {
    /// Method, target, and header fields.
    pub request: Request,
    /// `:scheme` (absent for CONNECT).
    pub scheme: Option<Bytes>,
    /// `:authority`.
    pub authority: Option<Bytes>,
}

impl RequestHead {
    /// The request as HTTP/1.1 would carry it (RFC 9113 §8.3.1): a `Host` field from
    /// `:authority` when the request has none (the two agree: a disagreement was refused).
    pub fn to_http1(&self) -> Request {
        let mut request = self.request.clone();
        if let Some(authority) = &self.authority
            && !request.headers.contains("host")
            && let Ok(host) = Field::new("host", authority)
        {
            let mut headers = Headers::with_capacity(request.headers.len() + 1);
            headers.push(host);
            for field in request.headers.iter() {
                headers.push(field.clone());
            }
            request.headers = headers;
        }
        request
    }
}

/// A request to send: an HTTP/1 [`Request`] whose target is in origin form (its `Host` field
/// gives `:authority`), absolute form (scheme and authority taken from it) or authority form
/// for CONNECT.
impl From<Request> for RequestHead {
    fn from(request: Request) -> RequestHead {
        RequestHead {
            request,
            scheme: None,
            authority: None,
        }
    }
}

/// Why a field list is malformed (§8.1.1): the reason, for the stream error.
pub type Malformed = &'static str;

/// The fields §8.2.2 calls connection-specific: a message that carries one is malformed.
const CONNECTION_SPECIFIC: [&[u8]; 5] = [
    b"connection",
    b"keep-alive",
    b"proxy-connection",
    b"transfer-encoding",
    b"upgrade",
];

/// Checks one regular field (§8.2.1, §8.2.2) and turns it into a [`Field`].
fn regular_field(f: &HeaderField) -> Result<Field, Malformed> {
    if f.name.iter().any(u8::is_ascii_uppercase) {
        return Err("an uppercase field name (RFC 9113 §8.2.1)");
    }
    if f.name
        .iter()
        .chain(f.value.iter())
        .any(|&b| matches!(b, 0 | b'\r' | b'\n'))
    {
        return Err("NUL, CR or LF in a field name or value (RFC 9113 §8.2.1)");
    }
    if CONNECTION_SPECIFIC.contains(&f.name.as_ref()) {
        return Err("a connection-specific field (RFC 9113 §8.2.2)");
    }
    if f.name.as_ref() == b"te" && f.value.as_ref() != b"trailers" {
        return Err("a TE field with a value other than \"trailers\" (RFC 9113 §8.2.2)");
    }
    // The rest of RFC 9110's grammar: a name is a token, a value has no other control octet
    // and no whitespace at either end (RFC 9113 §8.2.1 asks for the latter too).
    Field::new(&f.name, &f.value)
        .map_err(|_| "a field name or value RFC 9110 §5 refuses (RFC 9113 §8.2.1)")
}

/// The value of `content-length` when the fields carry one: every value a number and all the
/// same (RFC 9110 §8.6); anything else is malformed (the H2.CL desync class).
pub fn content_length(headers: &Headers) -> Result<Option<u64>, Malformed> {
    let mut found = None;
    for value in headers.get_all("content-length") {
        for part in value.split(|&b| b == b',') {
            let part = part.trim_ascii();
            if part.is_empty() || !part.iter().all(u8::is_ascii_digit) || part.len() > 19 {
                return Err("a content-length that is not a number (RFC 9110 §8.6)");
            }
            let n: u64 = std::str::from_utf8(part)
                .ok()
                .and_then(|s| s.parse().ok())
                .ok_or("a content-length that is not a number (RFC 9110 §8.6)")?;
            if found.is_some_and(|f| f != n) {
                return Err("content-length values that disagree (RFC 9110 §8.6)");
            }
            found = Some(n);
        }
    }
    Ok(found)
}

/// The pseudo-header fields of a block, then its regular fields: pseudo-header fields come
/// first (§8.3), each at most once.
fn split_pseudo(fields: &[HeaderField]) -> Result<(Vec<&HeaderField>, Headers), Malformed> {
    let mut pseudo: Vec<&HeaderField> = Vec::new();
    let mut headers = Headers::with_capacity(fields.len());
    for f in fields {
        if f.name.first() == Some(&b':') {
            if !headers.is_empty() {
                return Err("a pseudo-header field after a regular field (RFC 9113 §8.3)");
            }
            if pseudo.iter().any(|p| p.name == f.name) {
                return Err("a pseudo-header field twice (RFC 9113 §8.3)");
            }
            pseudo.push(f);
        } else {
            headers.push(regular_field(f)?);
        }
    }
    Ok((pseudo, headers))
}

/// A received request's fields (§8.3.1) as a [`RequestHead`].
pub fn request(fields: &[HeaderField]) -> Result<RequestHead, Malformed> {
    let (pseudo, headers) = split_pseudo(fields)?;
    let (mut method, mut scheme, mut authority, mut path) = (None, None, None, None);
    for p in pseudo {
        let slot = match p.name.as_ref() {
            b":method" => &mut method,
            b":scheme" => &mut scheme,
            b":authority" => &mut authority,
            b":path" => &mut path,
            _ => return Err("a pseudo-header field requests do not have (RFC 9113 §8.3)"),
        };
        if p.value.iter().any(|&b| b <= b' ' || b == 0x7f) {
            return Err("a control octet or whitespace in a pseudo-header value (RFC 9113 §8.3)");
        }
        *slot = Some(p.value.clone());
    }
    let method: Bytes = method.ok_or("a request without :method (RFC 9113 §8.3.1)")?;
    if method.is_empty() || !method.iter().all(|&b| is_tchar(b)) {
        return Err(":method is not a token (RFC 9110 §9.1)");
    }
    if authority.as_ref().is_some_and(|a| a.contains(&b'@')) {
        return Err(":authority with userinfo (RFC 9113 §8.3.1)");
    }
    if let (Some(a), Some(host)) = (&authority, headers.get("host"))
        && !host.eq_ignore_ascii_case(a)
    {
        return Err("a Host field that disagrees with :authority (RFC 9113 §8.3.1)");
    }
    let target = if method == "CONNECT" {
        // §8.5: :authority only.
        if scheme.is_some() || path.is_some() {
            return Err("CONNECT with :scheme or :path (RFC 9113 §8.5)");
        }
        authority
            .clone()
            .ok_or("CONNECT without :authority (RFC 9113 §8.5)")?
    } else {
        if scheme.is_none() {
            return Err("a request without :scheme (RFC 9113 §8.3.1)");
        }
        let path = path.ok_or("a request without :path (RFC 9113 §8.3.1)")?;
        let ok = path.first() == Some(&b'/') || (path.as_ref() == b"*" && method == "OPTIONS");
        if !ok {
            return Err(":path is neither origin form nor * for OPTIONS (RFC 9113 §8.3.1)");
        }
        path
    };
    if headers.contains("host") && authority.is_none() && method == "CONNECT" {
        return Err("CONNECT without :authority (RFC 9113 §8.5)");
    }
    content_length(&headers)?;
    Ok(RequestHead {
        request: Request {
            method,
            target,
            version: Version::HTTP_11,
            headers,
        },
        scheme,
        authority,
    })
}

/// A received response's fields (§8.3.2) as a [`Response`] (version HTTP/1.1, the usual reason
/// phrase). 101 is refused (§8.6: HTTP/2 has no Upgrade).
pub fn response(fields: &[HeaderField]) -> Result<Response, Malformed> {
    let (pseudo, headers) = split_pseudo(fields)?;
    let mut status = None;
    for p in pseudo {
        if p.name.as_ref() != b":status" {
            return Err("a pseudo-header field responses do not have (RFC 9113 §8.3.2)");
        }
        status = Some(p.value.clone());
    }
    let status = status.ok_or("a response without :status (RFC 9113 §8.3.2)")?;
    let code = match status.as_ref() {
        [a, b, c] if [a, b, c].iter().all(|d| d.is_ascii_digit()) => {
            u16::from(a - b'0') * 100 + u16::from(b - b'0') * 10 + u16::from(c - b'0')
        }
        _ => return Err(":status is not three digits (RFC 9113 §8.3.2)"),
    };
    if !(100..=599).contains(&code) || code == 101 {
        return Err(":status outside 100..=599, or 101 (RFC 9113 §8.3.2, §8.6)");
    }
    content_length(&headers)?;
    let mut response = Response::new(code);
    response.headers = headers;
    Ok(response)
}

/// A received trailer section (§8.1): regular fields only.
pub fn trailers(fields: &[HeaderField]) -> Result<Headers, Malformed> {
    let (pseudo, headers) = split_pseudo(fields)?;
    if !pseudo.is_empty() {
        return Err("a pseudo-header field in trailers (RFC 9113 §8.1)");
    }
    Ok(headers)
}

/// Whether a field of an HTTP/1 message is left out of HTTP/2 (§8.2.2): the connection-specific
/// ones, those the `Connection` field names, `host` (it becomes `:authority`) and a `te` other
/// than `trailers`.
fn dropped(field: &Field, headers: &Headers) -> bool {
    let name = field.name();
    CONNECTION_SPECIFIC
        .iter()
        .any(|c| name.eq_ignore_ascii_case(c))
        || field.is("host")
        || (field.is("te") && !field.value().eq_ignore_ascii_case(b"trailers"))
        || (!field.is("connection")
            && std::str::from_utf8(name).is_ok_and(|n| headers.has_connection_option(n)))
}

/// Regular fields to send: lowercase names, connection-specific ones dropped (§8.2.1, §8.2.2).
fn regular_fields(headers: &Headers, out: &mut Vec<HeaderField>) {
    for f in headers.iter() {
        if dropped(f, headers) {
            continue;
        }
        let name = Bytes::from(f.name().to_ascii_lowercase());
        let value = f.value_bytes();
        let sensitive = matches!(
            name.as_ref(),
            b"authorization" | b"proxy-authorization" | b"cookie" | b"set-cookie"
        ) && value.len() < 20;
        out.push(HeaderField {
            name,
            value,
            sensitive,
        });
    }
}

/// The fields of a request to send (§8.3.1), or why it cannot be sent.
pub fn request_fields(head: &RequestHead) -> Result<Vec<HeaderField>, Malformed> {
    let r = &head.request;
    let mut out = Vec::with_capacity(r.headers.len() + 4);
    out.push(HeaderField::new(":method", r.method.clone()));
    if r.method == "CONNECT" {
        let authority = head.authority.clone().unwrap_or_else(|| r.target.clone());
        out.push(HeaderField::new(":authority", authority));
    } else {
        let (mut scheme, mut authority, mut path) = (
            head.scheme.clone(),
            head.authority.clone(),
            r.target.clone(),
        );
        if let Some(i) = r.target.windows(3).position(|w| w == b"://") {
            // Absolute form: scheme://authority/path (RFC 9112 §3.2.2).
            let rest = r.target.slice(i + 3..);
            let end = rest
                .iter()
                .position(|&b| b == b'/' || b == b'?')
                .unwrap_or(rest.len());
            scheme = scheme.or(Some(r.target.slice(..i)));
            authority = authority.or(Some(rest.slice(..end)));
            path = if end == rest.len() {
                Bytes::from_static(b"/")
            } else {
                rest.slice(end..)
            };
            if path.first() == Some(&b'?') {
                let mut p = b"/".to_vec();
                p.extend_from_slice(&path);
                path = Bytes::from(p);
            }
        }
        let authority = authority.or_else(|| r.headers.get("host").map(Bytes::copy_from_slice));
        if path.is_empty() {
            return Err("an empty :path (RFC 9113 §8.3.1)");
        }
        out.push(HeaderField::new(
            ":scheme",
            scheme.unwrap_or(Bytes::from_static(b"http")),
        ));
        if let Some(a) = authority {
            out.push(HeaderField::new(":authority", a));
        }
        out.push(HeaderField::new(":path", path));
    }
    for p in &out {
        if p.value.iter().any(|&b| matches!(b, 0 | b'\r' | b'\n')) {
            return Err("NUL, CR or LF in a pseudo-header value (RFC 9113 §8.2.1)");
        }
    }
    regular_fields(&r.headers, &mut out);
    Ok(out)
}

/// The fields of a response to send (§8.3.2): `:status`, then the regular fields. 101 cannot
/// be sent (§8.6).
pub fn response_fields(response: &Response) -> Result<Vec<HeaderField>, Malformed> {
    if !(100..=599).contains(&response.status) || response.status == 101 {
        return Err("a status outside 100..=599, or 101 (RFC 9113 §8.3.2, §8.6)");
    }
    let mut out = Vec::with_capacity(response.headers.len() + 1);
    out.push(HeaderField::new(":status", response.status.to_string()));
    regular_fields(&response.headers, &mut out);
    Ok(out)
}

/// The fields of a trailer section to send (§8.1).
pub fn trailer_fields(trailers: &Headers) -> Vec<HeaderField> {
    let mut out = Vec::with_capacity(trailers.len());
    regular_fields(trailers, &mut out);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn f(n: &'static str, v: &'static str) -> HeaderField {
        HeaderField::new(n, v)
    }

    #[test]
    fn a_request_maps_to_http1() {
        let head = request(&[
            f(":method", "GET"),
            f(":scheme", "https"),
            f(":authority", "example.com"),
            f(":path", "/a?b"),
            f("accept", "*/*"),
        ])
        .unwrap();
        assert_eq!(head.request.target, "/a?b");
        let h1 = head.to_http1();
        assert_eq!(
            h1.to_string(),
            "GET /a?b HTTP/1.1\nhost: example.com\naccept: */*"
        );
        let back = request_fields(&RequestHead::from(h1)).unwrap();
        assert_eq!(back[1], f(":scheme", "http"));
        assert_eq!(back[2], f(":authority", "example.com"));
        assert_eq!(back.len(), 5);
    }

    #[test]
    fn malformed_requests() {
        let base = [f(":method", "GET"), f(":scheme", "https"), f(":path", "/")];
        let with = |extra: HeaderField| {
            let mut v = base.to_vec();
            v.push(extra);
            request(&v)
        };
        assert!(with(f("Upper", "x")).is_err());
        assert!(with(f("x", "a\r\nb: c")).is_err());
        assert!(with(f("x", "a\0")).is_err());
        assert!(with(f("transfer-encoding", "chunked")).is_err());
        assert!(with(f("connection", "close")).is_err());
        assert!(with(f("te", "gzip")).is_err());
        assert!(with(f("te", "trailers")).is_ok());
        assert!(with(f(":path", "/")).is_err());
        assert!(with(f("content-length", "1, 2")).is_err());
        assert!(request(&[f(":method", "GET"), f(":path", "/")]).is_err());
        assert!(request(&[f(":method", "CONNECT"), f(":authority", "a:443")]).is_ok());
        assert!(
            request(&[
                f(":method", "CONNECT"),
                f(":authority", "a:443"),
                f(":path", "/")
            ])
            .is_err()
        );
        assert!(request(&[f("a", "b"), f(":method", "GET")]).is_err());
        assert!(response(&[f(":status", "101")]).is_err());
        assert!(response(&[f(":status", "20")]).is_err());
        assert!(trailers(&[f(":status", "200")]).is_err());
    }
}
