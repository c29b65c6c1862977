//! Conversions to and from the `http` crate (feature `http`), so code written against hyper or
//! axum types can use this codec's heads.
//!
//! What the conversion to `http` loses, because `http`'s types cannot hold it:
//! - header name case (`http` lowercases names; they are compared case-insensitively anyway,
//!   RFC 9110 §5.1);
//! - the order of fields with different names (`http::HeaderMap` keeps the order of the values of
//!   one name, RFC 9110 §5.3, but groups names);
//! - the OWS around values and so byte-exact re-serialization;
//! - a non-standard reason phrase (`http` has only the canonical one);
//! - a minor version above 1 (it becomes HTTP/1.1, as RFC 9110 §6.2 says to treat it).
//!
//! ```
//! # #[cfg(feature = "http")] {
//! use http_codec::{Request, http_compat};
//!
//! let mut ours = Request::new("GET", "/a?b");
//! ours.headers.append("Host", "example.com")?;
//! let theirs = http_compat::to_http_request(&ours, ())?;
//! assert_eq!(theirs.uri().path(), "/a");
//! assert_eq!(theirs.headers()["host"], "example.com");
//! let back = http_compat::from_http_request(&theirs)?;
//! assert_eq!(back.headers.get("host"), Some(&b"example.com"[..]));
//! # }
//! # Ok::<(), http_codec::Error>(())
//! ```

use bytes::Bytes;

use crate::error::Error;
use crate::{Headers, Request, Response, Version};

fn local(reason: &'static str) -> Error {
    Error::Local { reason }
}

/// Our version as `http`'s (any 1.x above 1 is HTTP/1.1).
pub fn to_http_version(v: Version) -> http::Version {
    if v.is_http11() {
        http::Version::HTTP_11
    } else {
        http::Version::HTTP_10
    }
}

/// `http`'s version as ours; HTTP/0.9, 2 and 3 have no HTTP/1 form.
pub fn from_http_version(v: http::Version) -> Result<Version, Error> {
    match v {
        http::Version::HTTP_10 => Ok(Version::HTTP_10),
        http::Version::HTTP_11 => Ok(Version::HTTP_11),
        _ => Err(local("only HTTP/1.0 and HTTP/1.1 have an HTTP/1 form")),
    }
}

/// The fields as a `HeaderMap` (names lowercased, see the module docs).
pub fn to_header_map(headers: &Headers) -> Result<http::HeaderMap, Error> {
    let mut map = http::HeaderMap::with_capacity(headers.len());
    for f in headers {
        let name = http::HeaderName::from_bytes(f.name())
            .map_err(|_| local("a field-name http::HeaderName refuses"))?;
        let value = http::HeaderValue::from_bytes(f.value())
            .map_err(|_| local("a field-value http::HeaderValue refuses"))?;
        map.append(name, value);
    }
    Ok(map)
}

/// A `HeaderMap` as fields, in its iteration order.
pub fn from_header_map(map: &http::HeaderMap) -> Result<Headers, Error> {
    let mut headers = Headers::with_capacity(map.len());
    for (name, value) in map {
        headers.append(name.as_str(), value.as_bytes())?;
    }
    Ok(headers)
}

/// Our request head with `body` as an `http::Request`.
pub fn to_http_request<B>(request: &Request, body: B) -> Result<http::Request<B>, Error> {
    let mut out = http::Request::new(body);
    *out.method_mut() = http::Method::from_bytes(&request.method)
        .map_err(|_| local("a method http::Method refuses"))?;
    *out.uri_mut() = http::Uri::from_maybe_shared(request.target.clone())
        .map_err(|_| local("a request-target http::Uri refuses"))?;
    *out.version_mut() = to_http_version(request.version);
    *out.headers_mut() = to_header_map(&request.headers)?;
    Ok(out)
}

/// An `http::Request`'s head as ours (the body is the caller's to send).
pub fn from_http_request<B>(request: &http::Request<B>) -> Result<Request, Error> {
    let target = match request.uri().path_and_query() {
        Some(pq) if request.uri().scheme().is_none() => pq.as_str().to_string(),
        _ => request.uri().to_string(),
    };
    Ok(Request {
        method: Bytes::copy_from_slice(request.method().as_str().as_bytes()),
        target: Bytes::from(target),
        version: from_http_version(request.version())?,
        headers: from_header_map(request.headers())?,
    })
}

/// Our response head with `body` as an `http::Response` (the reason phrase is dropped).
pub fn to_http_response<B>(response: &Response, body: B) -> Result<http::Response<B>, Error> {
    let mut out = http::Response::new(body);
    *out.status_mut() = http::StatusCode::from_u16(response.status)
        .map_err(|_| local("a status http::StatusCode refuses"))?;
    *out.version_mut() = to_http_version(response.version);
    *out.headers_mut() = to_header_map(&response.headers)?;
    Ok(out)
}

/// An `http::Response`'s head as ours, with the canonical reason phrase.
pub fn from_http_response<B>(response: &http::Response<B>) -> Result<Response, Error> {
    let mut out = Response::new(response.status().as_u16());
    out.reason = Bytes::from_static(
        response
            .status()
            .canonical_reason()
            .unwrap_or("")
            .as_bytes(),
    );
    out.version = from_http_version(response.version())?;
    out.headers = from_header_map(response.headers())?;
    Ok(out)
}

/// `From` / `TryFrom` for the same conversions, so `http::Request::try_from(&ours)` and
/// `Request::try_from(&theirs)` work where a user expects them. The heads convert with an empty
/// body (`()`); [`to_http_request`] and [`to_http_response`] take one.
impl From<Version> for http::Version {
    fn from(v: Version) -> http::Version {
        to_http_version(v)
    }
}

impl TryFrom<http::Version> for Version {
    type Error = Error;
    fn try_from(v: http::Version) -> Result<Version, Error> {
        from_http_version(v)
    }
}

impl TryFrom<&Headers> for http::HeaderMap {
    type Error = Error;
    fn try_from(headers: &Headers) -> Result<http::HeaderMap, Error> {
        to_header_map(headers)
    }
}

impl TryFrom<&http::HeaderMap> for Headers {
    type Error = Error;
    fn try_from(map: &http::HeaderMap) -> Result<Headers, Error> {
        from_header_map(map)
    }
}

impl TryFrom<&Request> for http::Request<()> {
    type Error = Error;
    fn try_from(request: &Request) -> Result<http::Request<()>, Error> {
        to_http_request(request, ())
    }
}

impl<B> TryFrom<&http::Request<B>> for Request {
    type Error = Error;
    fn try_from(request: &http::Request<B>) -> Result<Request, Error> {
        from_http_request(request)
    }
}

impl TryFrom<&Response> for http::Response<()> {
    type Error = Error;
    fn try_from(response: &Response) -> Result<http::Response<()>, Error> {
        to_http_response(response, ())
    }
}

impl<B> TryFrom<&http::Response<B>> for Response {
    type Error = Error;
    fn try_from(response: &http::Response<B>) -> Result<Response, Error> {
        from_http_response(response)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn responses_go_both_ways_and_keep_value_order() {
        let mut ours = Response::new(404);
        ours.headers.append("Set-Cookie", "a=1").unwrap();
        ours.headers.append("X", "y").unwrap();
        ours.headers.append("set-cookie", "b=2").unwrap();
        let theirs = to_http_response(&ours, ()).unwrap();
        let cookies: Vec<_> = theirs.headers().get_all("set-cookie").iter().collect();
        assert_eq!(cookies, ["a=1", "b=2"]);
        let back = from_http_response(&theirs).unwrap();
        assert_eq!(back.status, 404);
        assert_eq!(back.reason, "Not Found");
        assert_eq!(
            back.headers.get_all("SET-COOKIE").collect::<Vec<_>>(),
            [&b"a=1"[..], b"b=2"]
        );
    }

    #[test]
    fn absolute_form_targets_survive() {
        let mut ours = Request::new("GET", "http://example.com/x?y");
        ours.headers.append("Host", "example.com").unwrap();
        let theirs = to_http_request(&ours, ()).unwrap();
        assert_eq!(
            from_http_request(&theirs).unwrap().target,
            "http://example.com/x?y"
        );
    }

    #[test]
    fn http2_has_no_http1_form() {
        let mut r = http::Request::new(());
        *r.version_mut() = http::Version::HTTP_2;
        assert!(from_http_request(&r).is_err());
    }

    #[test]
    fn try_from_goes_both_ways() {
        let ours = Request::get("/x").header("host", "a").unwrap(); // http lowercases names
        let theirs = http::Request::<()>::try_from(&ours).unwrap();
        assert_eq!(theirs.uri(), "/x");
        assert_eq!(Request::try_from(&theirs).unwrap(), ours);
        let ours = Response::new(204).header("x", "y").unwrap();
        let theirs = http::Response::<()>::try_from(&ours).unwrap();
        assert_eq!(theirs.status(), 204);
        assert_eq!(Response::try_from(&theirs).unwrap(), ours);
        let v: http::Version = Version::HTTP_10.into();
        assert_eq!(Version::try_from(v).unwrap(), Version::HTTP_10);
        assert!(Version::try_from(http::Version::HTTP_2).is_err());
    }
}
