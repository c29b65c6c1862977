//! RFC 9112 §6: how long a message body is, decided from the head. This is where request
//! smuggling is stopped: every field that frames a message (Content-Length, Transfer-Encoding)
//! or routes it (Host) is checked here, as the field lines go by, with the offset of the line.

use crate::chars::{is_tchar, is_ws};
use crate::error::{Error, Limit};
use crate::h1::parse::chunk::quoted_string;
use crate::h1::parse::request_line::uri_host;
use crate::{Config, Version};

/// How the body of a message is framed (RFC 9112 §6.3).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BodyKind {
    /// No body at all (a request without Content-Length or Transfer-Encoding, a response to HEAD,
    /// 1xx, 204, 304).
    Empty,
    /// Exactly this many bytes (Content-Length, RFC 9112 §6.3 item 6).
    Length(u64),
    /// The chunked transfer coding (RFC 9112 §7.1).
    Chunked,
    /// Everything until the connection closes (a response with neither, RFC 9112 §6.3 item 8).
    CloseDelimited,
    /// The connection becomes a tunnel or another protocol (a 2xx to CONNECT, a 101): the bytes
    /// that follow are not HTTP/1.
    Tunnel,
}

/// What the framing fields of a head said, gathered while its field lines are parsed.
#[derive(Debug, Clone, Default)]
pub(crate) struct FieldScan {
    content_length: Option<u64>,
    content_length_offset: u64,
    transfer_encoding: bool,
    transfer_encoding_offset: u64,
    /// Whether `chunked` was the last coding seen so far.
    chunked_last: bool,
    chunked_seen: bool,
    unknown_coding: bool,
    host_count: u32,
    close: bool,
    keep_alive: bool,
    upgrade: bool,
    connection_upgrade: bool,
    expect_continue: bool,
}

/// What a head means for the connection, beyond its body length.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Connection {
    /// Whether the connection stays open after this message (RFC 9112 §9.3).
    pub keep_alive: bool,
    /// Whether the message asks to switch protocols (`Upgrade` listed in `Connection`, RFC 9110
    /// §7.8).
    pub upgrade: bool,
    /// Whether the request carries `Expect: 100-continue` (RFC 9110 §10.1.1).
    pub expect_continue: bool,
}

impl FieldScan {
    /// Looks at one field line: `offset` is where the line starts.
    #[inline]
    pub(crate) fn field(&mut self, name: &[u8], value: &[u8], offset: u64) -> Result<(), Error> {
        // Dispatch on the length first: most fields are none of these.
        match name.len() {
            4 if name.eq_ignore_ascii_case(b"host") => {
                self.host_count += 1;
                if self.host_count > 1 {
                    return Err(Error::Host {
                        offset,
                        reason: "more than one Host field",
                    });
                }
                host_value(value, offset)?;
            }
            6 if name.eq_ignore_ascii_case(b"expect") => {
                self.expect_continue |= value.eq_ignore_ascii_case(b"100-continue");
            }
            7 if name.eq_ignore_ascii_case(b"upgrade") => self.upgrade = true,
            10 if name.eq_ignore_ascii_case(b"connection") => {
                for option in list_elements(value) {
                    if option.eq_ignore_ascii_case(b"close") {
                        self.close = true;
                    } else if option.eq_ignore_ascii_case(b"keep-alive") {
                        self.keep_alive = true;
                    } else if option.eq_ignore_ascii_case(b"upgrade") {
                        self.connection_upgrade = true;
                    }
                }
            }
            14 if name.eq_ignore_ascii_case(b"content-length") => {
                let n = content_length(value, offset)?;
                if self.content_length.is_some_and(|old| old != n) {
                    return Err(Error::ContentLength {
                        offset,
                        reason: "differing Content-Length values, RFC 9110 §8.6",
                    });
                }
                self.content_length = Some(n);
                self.content_length_offset = offset;
            }
            17 if name.eq_ignore_ascii_case(b"transfer-encoding") => {
                self.transfer_encoding = true;
                self.transfer_encoding_offset = offset;
                self.transfer_codings(value, offset)?;
            }
            _ => {}
        }
        Ok(())
    }

    /// `Transfer-Encoding = #transfer-coding` (RFC 9112 §6.1), `transfer-coding = token *( OWS
    /// ";" OWS transfer-parameter )`. Chunked must come last, once, and without parameters.
    fn transfer_codings(&mut self, value: &[u8], offset: u64) -> Result<(), Error> {
        let bad = |reason| Error::TransferEncoding { offset, reason };
        let mut any = false;
        for element in list_elements(value) {
            any = true;
            // A coding after chunked: allowed in a response (its body then runs until close,
            // RFC 9112 §6.3 item 4), refused in a request because chunked is no longer last.
            self.chunked_last = false;
            let name_len = element.iter().take_while(|&&b| is_tchar(b)).count();
            let (name, params) = element.split_at(name_len);
            if name.is_empty() {
                return Err(bad("transfer-coding must be a token, RFC 9112 §6.1"));
            }
            if name.eq_ignore_ascii_case(b"chunked") {
                if !params.is_empty() {
                    return Err(bad("chunked takes no parameters, RFC 9112 §7.1"));
                }
                if self.chunked_seen {
                    return Err(bad(
                        "chunked applied more than once: chunked must be the final coding, once, RFC 9112 §6.1",
                    ));
                }
                self.chunked_seen = true;
                self.chunked_last = true;
                continue;
            }
            transfer_parameters(params)
                .map_err(|()| bad("bad transfer-parameter, RFC 9112 §6.1"))?;
            let known = [
                &b"gzip"[..],
                b"x-gzip",
                b"deflate",
                b"compress",
                b"x-compress",
            ];
            if !known.iter().any(|k| name.eq_ignore_ascii_case(k)) {
                self.unknown_coding = true;
            }
        }
        if !any {
            return Err(bad("empty Transfer-Encoding, RFC 9112 §6.1"));
        }
        Ok(())
    }

    /// The body of a request with this head (RFC 9112 §6.3 items 3-7), and the Host rule of
    /// RFC 9112 §3.2. `end` is the offset of the end of the head.
    pub(crate) fn request_body(
        &self,
        method: &[u8],
        version: Version,
        config: &Config,
        end: u64,
    ) -> Result<BodyKind, Error> {
        if self.host_count == 0 && version.is_http11() && !config.leniency.missing_host() {
            return Err(Error::Host {
                offset: end,
                reason: "an HTTP/1.1 request must have a Host field",
            });
        }
        if method == b"CONNECT" {
            // RFC 9110 §9.3.6: a CONNECT request has no content; what follows its head belongs
            // to the tunnel. A framing field claiming a body would make a peer that reads it
            // disagree with one that does not, so it is refused.
            if self.transfer_encoding {
                return Err(Error::TransferEncoding {
                    offset: self.transfer_encoding_offset,
                    reason: "a CONNECT request has no content, RFC 9110 §9.3.6",
                });
            }
            if self.content_length.is_some_and(|n| n > 0) {
                return Err(Error::ContentLength {
                    offset: self.content_length_offset,
                    reason: "a CONNECT request has no content, RFC 9110 §9.3.6",
                });
            }
            return Ok(BodyKind::Empty);
        }
        if self.transfer_encoding {
            let offset = self.transfer_encoding_offset;
            if !version.is_http11() {
                return Err(Error::TransferEncoding {
                    offset,
                    reason: "Transfer-Encoding in an HTTP/1.0 message, RFC 9112 §6.1",
                });
            }
            if self.content_length.is_some()
                && !config.leniency.transfer_encoding_with_content_length()
            {
                return Err(Error::ContentLengthWithTransferEncoding {
                    offset: offset.max(self.content_length_offset),
                });
            }
            // A coding after chunked is the smuggling shape of RFC 9112 §6.3 (400), whatever the
            // coding; an unknown coding otherwise is 501 (§6.1).
            if self.chunked_seen && !self.chunked_last {
                return Err(Error::TransferEncoding {
                    offset,
                    reason: "a coding after chunked: chunked must be the final coding, RFC 9112 §6.3",
                });
            }
            if self.unknown_coding {
                return Err(Error::UnknownTransferCoding { offset });
            }
            if !self.chunked_last {
                return Err(Error::TransferEncoding {
                    offset,
                    reason: "the final coding of a request must be chunked, RFC 9112 §6.3",
                });
            }
            return Ok(BodyKind::Chunked);
        }
        match self.content_length {
            Some(n) => self.checked_length(n, config),
            None => Ok(BodyKind::Empty),
        }
    }

    /// The body of a response with this head to a request with `method` (RFC 9112 §6.3 items
    /// 1-8).
    pub(crate) fn response_body(
        &self,
        method: &[u8],
        status: u16,
        version: Version,
        config: &Config,
    ) -> Result<BodyKind, Error> {
        if (200..300).contains(&status) && method == b"CONNECT" || status == 101 {
            return Ok(BodyKind::Tunnel);
        }
        if method == b"HEAD" || (100..200).contains(&status) || status == 204 || status == 304 {
            return Ok(BodyKind::Empty);
        }
        if self.transfer_encoding {
            let offset = self.transfer_encoding_offset;
            if !version.is_http11() {
                return Err(Error::TransferEncoding {
                    offset,
                    reason: "Transfer-Encoding in an HTTP/1.0 message, RFC 9112 §6.1",
                });
            }
            if self.content_length.is_some()
                && !config.leniency.transfer_encoding_with_content_length()
            {
                return Err(Error::ContentLengthWithTransferEncoding {
                    offset: offset.max(self.content_length_offset),
                });
            }
            return Ok(if self.chunked_last {
                BodyKind::Chunked
            } else {
                BodyKind::CloseDelimited
            });
        }
        match self.content_length {
            Some(n) => self.checked_length(n, config),
            None => Ok(BodyKind::CloseDelimited),
        }
    }

    fn checked_length(&self, n: u64, config: &Config) -> Result<BodyKind, Error> {
        match config.limits.max_body_size {
            Some(max) if n > max => Err(Error::TooLarge {
                offset: self.content_length_offset,
                what: Limit::Body,
                limit: max,
            }),
            _ => Ok(BodyKind::Length(n)),
        }
    }

    /// Keep-alive, upgrade and expectation (RFC 9112 §9.3, RFC 9110 §7.8, §10.1.1).
    pub(crate) fn connection(&self, version: Version) -> Connection {
        let keep_alive = if version.is_http11() {
            !self.close
        } else {
            self.keep_alive && !self.close
        };
        // Framing that RFC 9112 §6.3 calls faulty ends the connection after the message.
        let faulty = self.transfer_encoding && self.content_length.is_some();
        Connection {
            keep_alive: keep_alive && !faulty,
            upgrade: self.upgrade && self.connection_upgrade,
            expect_continue: self.expect_continue,
        }
    }
}

/// `Content-Length = 1*DIGIT` (RFC 9110 §8.6), or a list of identical values, which a recipient
/// may take as one (RFC 9112 §6.3 item 5).
pub(crate) fn content_length(value: &[u8], offset: u64) -> Result<u64, Error> {
    let bad = |reason| Error::ContentLength { offset, reason };
    let mut result: Option<u64> = None;
    for element in value.split(|&b| b == b',') {
        let digits = trim_ows(element);
        if digits.is_empty() || !digits.iter().all(u8::is_ascii_digit) {
            return Err(bad("Content-Length must be 1*DIGIT, RFC 9110 §8.6"));
        }
        let mut n: u64 = 0;
        for d in digits {
            n = n
                .checked_mul(10)
                .and_then(|n| n.checked_add(u64::from(d - b'0')))
                .ok_or_else(|| bad("Content-Length overflows 64 bits, RFC 9110 §8.6"))?;
        }
        if result.is_some_and(|r| r != n) {
            return Err(bad("differing Content-Length values, RFC 9110 §8.6"));
        }
        result = Some(n);
    }
    result.ok_or_else(|| bad("empty Content-Length, RFC 9110 §8.6"))
}

/// `Host = uri-host [ ":" port ]` (RFC 9110 §7.2), or empty (RFC 9112 §3.2).
pub(crate) fn host_value(value: &[u8], offset: u64) -> Result<(), Error> {
    if value.is_empty() {
        return Ok(());
    }
    let bad = Error::Host {
        offset,
        reason: "not a uri-host [ \":\" port ]",
    };
    let host_len = uri_host(value).map_err(|_| bad.clone())?;
    match value.get(host_len..) {
        Some([]) => Ok(()),
        Some([b':', port @ ..]) if port.len() <= 5 && port.iter().all(u8::is_ascii_digit) => Ok(()),
        _ => Err(bad),
    }
}

/// `*( OWS ";" OWS transfer-parameter )`, `transfer-parameter = token BWS "=" BWS ( token /
/// quoted-string )` (RFC 9112 §6.1... RFC 9110 §10.1.4).
fn transfer_parameters(mut params: &[u8]) -> Result<(), ()> {
    loop {
        params = trim_start(params);
        match params.split_first() {
            None => return Ok(()),
            Some((b';', rest)) => params = trim_start(rest),
            Some(_) => return Err(()),
        }
        let n = params.iter().take_while(|&&b| is_tchar(b)).count();
        if n == 0 {
            return Err(());
        }
        params = trim_start(params.get(n..).unwrap_or_default());
        let Some((b'=', rest)) = params.split_first() else {
            return Err(());
        };
        params = trim_start(rest);
        if params.first() == Some(&b'"') {
            params = quoted_string(params).map_err(|_| ())?.0;
        } else {
            let n = params.iter().take_while(|&&b| is_tchar(b)).count();
            if n == 0 {
                return Err(());
            }
            params = params.get(n..).unwrap_or_default();
        }
    }
}

/// The elements of `#element` (RFC 9110 §5.6.1): comma-separated, OWS trimmed, empty elements
/// skipped. Commas inside quoted strings do not occur in the lists this is used for (tokens).
pub(crate) fn list_elements(value: &[u8]) -> impl Iterator<Item = &[u8]> {
    value
        .split(|&b| b == b',')
        .map(trim_ows)
        .filter(|e| !e.is_empty())
}

fn trim_start(v: &[u8]) -> &[u8] {
    let n = v.iter().take_while(|&&b| is_ws(b)).count();
    v.get(n..).unwrap_or_default()
}

fn trim_ows(v: &[u8]) -> &[u8] {
    let v = trim_start(v);
    let n = v.iter().rev().take_while(|&&b| is_ws(b)).count();
    v.get(..v.len() - n).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scan(fields: &[(&str, &str)]) -> Result<FieldScan, Error> {
        let mut s = FieldScan::default();
        for (i, (n, v)) in fields.iter().enumerate() {
            s.field(n.as_bytes(), v.as_bytes(), i as u64)?;
        }
        Ok(s)
    }

    fn request(fields: &[(&str, &str)]) -> Result<BodyKind, Error> {
        scan(fields)?.request_body(b"POST", Version::HTTP_11, &Config::default(), 99)
    }

    #[test]
    fn content_length_rules() {
        assert_eq!(
            request(&[("Host", "a"), ("Content-Length", "5")]),
            Ok(BodyKind::Length(5))
        );
        assert_eq!(
            request(&[("Host", "a"), ("Content-Length", "5, 5")]),
            Ok(BodyKind::Length(5))
        );
        assert_eq!(
            request(&[
                ("Host", "a"),
                ("Content-Length", "5"),
                ("content-length", "5")
            ]),
            Ok(BodyKind::Length(5))
        );
        for bad in [
            "",
            "+5",
            "-5",
            "5 5",
            "0x5",
            "5,6",
            "5,",
            "18446744073709551616",
            "1e3",
        ] {
            assert!(
                matches!(
                    request(&[("Host", "a"), ("Content-Length", bad)]),
                    Err(Error::ContentLength { .. })
                ),
                "{bad:?}"
            );
        }
        assert!(
            request(&[
                ("Host", "a"),
                ("Content-Length", "5"),
                ("Content-Length", "6")
            ])
            .is_err()
        );
        assert_eq!(
            request(&[("Host", "a"), ("Content-Length", "18446744073709551615")]),
            Ok(BodyKind::Length(u64::MAX))
        );
    }

    #[test]
    fn transfer_encoding_rules() {
        let te = |v: &str| request(&[("Host", "a"), ("Transfer-Encoding", v)]);
        assert_eq!(te("chunked"), Ok(BodyKind::Chunked));
        assert_eq!(te("CHUNKED"), Ok(BodyKind::Chunked));
        assert_eq!(te("gzip, chunked"), Ok(BodyKind::Chunked));
        assert_eq!(te(" , chunked"), Ok(BodyKind::Chunked));
        assert!(matches!(
            te("xchunked"),
            Err(Error::UnknownTransferCoding { .. })
        ));
        assert!(matches!(
            te("chunked, identity"),
            Err(Error::TransferEncoding { .. })
        ));
        assert!(matches!(
            te("identity, chunked"),
            Err(Error::UnknownTransferCoding { .. })
        ));
        assert!(matches!(
            te("chunked, gzip"),
            Err(Error::TransferEncoding { .. })
        ));
        let connect = |fields: &[(&str, &str)]| {
            scan(fields)?.request_body(b"CONNECT", Version::HTTP_11, &Config::default(), 0)
        };
        assert_eq!(connect(&[("Host", "a:1")]), Ok(BodyKind::Empty));
        assert_eq!(
            connect(&[("Host", "a:1"), ("Content-Length", "0")]),
            Ok(BodyKind::Empty)
        );
        assert!(matches!(
            connect(&[("Host", "a:1"), ("Content-Length", "5")]),
            Err(Error::ContentLength { .. })
        ));
        assert!(matches!(
            connect(&[("Host", "a:1"), ("Transfer-Encoding", "chunked")]),
            Err(Error::TransferEncoding { .. })
        ));
        let twice = scan(&[
            ("Transfer-Encoding", "chunked"),
            ("Transfer-Encoding", "chunked"),
        ]);
        assert!(matches!(twice, Err(Error::TransferEncoding { .. })));
        assert!(matches!(
            te("chunked;q=1"),
            Err(Error::TransferEncoding { .. })
        ));
        assert!(matches!(
            te("chunked, chunked"),
            Err(Error::TransferEncoding { .. })
        ));
        assert!(matches!(te("gzip"), Err(Error::TransferEncoding { .. })));
        assert!(matches!(te(""), Err(Error::TransferEncoding { .. })));
        assert!(matches!(
            te("\"chunked\""),
            Err(Error::TransferEncoding { .. })
        ));
        assert!(matches!(
            request(&[
                ("Host", "a"),
                ("Transfer-Encoding", "chunked"),
                ("Content-Length", "5")
            ]),
            Err(Error::ContentLengthWithTransferEncoding { offset: 2 })
        ));
        let s = scan(&[("Transfer-Encoding", "chunked")]).unwrap();
        assert!(
            s.request_body(b"GET", Version::HTTP_10, &Config::default(), 0)
                .is_err()
        );
    }

    #[test]
    fn host_rules() {
        assert!(matches!(request(&[]), Err(Error::Host { offset: 99, .. })));
        assert!(matches!(
            request(&[("Host", "a"), ("host", "a")]),
            Err(Error::Host { offset: 1, .. })
        ));
        assert!(request(&[("Host", "")]).is_ok());
        assert!(request(&[("Host", "[::1]:8080")]).is_ok());
        assert!(request(&[("Host", "a b")]).is_err());
        assert!(request(&[("Host", "a/b")]).is_err());
        assert!(request(&[("Host", "a@b")]).is_err());
        assert!(request(&[("Host", "a:80x")]).is_err());
        let s = scan(&[]).unwrap();
        assert_eq!(
            s.request_body(b"GET", Version::HTTP_10, &Config::default(), 0),
            Ok(BodyKind::Empty)
        );
    }

    #[test]
    fn response_bodies() {
        let s = scan(&[("Content-Length", "5")]).unwrap();
        let c = Config::default();
        assert_eq!(
            s.response_body(b"HEAD", 200, Version::HTTP_11, &c),
            Ok(BodyKind::Empty)
        );
        assert_eq!(
            s.response_body(b"GET", 204, Version::HTTP_11, &c),
            Ok(BodyKind::Empty)
        );
        assert_eq!(
            s.response_body(b"GET", 304, Version::HTTP_11, &c),
            Ok(BodyKind::Empty)
        );
        assert_eq!(
            s.response_body(b"GET", 100, Version::HTTP_11, &c),
            Ok(BodyKind::Empty)
        );
        assert_eq!(
            s.response_body(b"CONNECT", 200, Version::HTTP_11, &c),
            Ok(BodyKind::Tunnel)
        );
        assert_eq!(
            s.response_body(b"GET", 101, Version::HTTP_11, &c),
            Ok(BodyKind::Tunnel)
        );
        assert_eq!(
            s.response_body(b"GET", 200, Version::HTTP_11, &c),
            Ok(BodyKind::Length(5))
        );
        let s = scan(&[]).unwrap();
        assert_eq!(
            s.response_body(b"GET", 200, Version::HTTP_11, &c),
            Ok(BodyKind::CloseDelimited)
        );
        let s = scan(&[("Transfer-Encoding", "gzip")]).unwrap();
        assert_eq!(
            s.response_body(b"GET", 200, Version::HTTP_11, &c),
            Ok(BodyKind::CloseDelimited)
        );
        let s = scan(&[("Transfer-Encoding", "chunked, gzip")]).unwrap();
        assert_eq!(
            s.response_body(b"GET", 200, Version::HTTP_11, &c),
            Ok(BodyKind::CloseDelimited)
        );
    }

    #[test]
    fn keep_alive_by_version() {
        let s = scan(&[]).unwrap();
        assert!(s.connection(Version::HTTP_11).keep_alive);
        assert!(!s.connection(Version::HTTP_10).keep_alive);
        let s = scan(&[("Connection", "Keep-Alive")]).unwrap();
        assert!(s.connection(Version::HTTP_10).keep_alive);
        let s = scan(&[("Connection", "foo, close")]).unwrap();
        assert!(!s.connection(Version::HTTP_11).keep_alive);
        let s = scan(&[("Connection", "upgrade"), ("Upgrade", "websocket")]).unwrap();
        assert!(s.connection(Version::HTTP_11).upgrade);
    }
}
