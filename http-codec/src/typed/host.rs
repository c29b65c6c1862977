//! `Host = uri-host [ ":" port ]` (RFC 9110 §7.2), as RFC 9112 §3.2 requires in every HTTP/1.1
//! request.

use std::fmt;

use super::{TypedError, syntax};
use crate::h1::message_body::host_value;

/// A Host field value: the host as sent (a reg-name, IPv4 address or `[IP-literal]`) and the port
/// if one was given. An empty Host (allowed when the target has no authority, RFC 9112 §3.2) has
/// an empty `host`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Host {
    /// `uri-host`, case as sent (compare case-insensitively, RFC 3986 §3.2.2).
    pub host: String,
    /// `port`, if present.
    pub port: Option<u16>,
}

impl Host {
    /// Parses a Host field value.
    pub fn decode(value: &[u8]) -> Result<Host, TypedError> {
        host_value(value, 0)
            .map_err(|_| syntax("Host", 0, "not uri-host [ \":\" port ], RFC 9110 §7.2"))?;
        // host_value checked the shape: the port, if any, follows the last colon after any `]`.
        let after_literal = value.iter().rposition(|&b| b == b']').map_or(0, |i| i + 1);
        let colon = value
            .get(after_literal..)
            .and_then(|tail| tail.iter().position(|&b| b == b':'))
            .map(|i| after_literal + i);
        let (host, port) = match colon {
            Some(c) => (value.get(..c).unwrap_or_default(), value.get(c + 1..)),
            None => (value, None),
        };
        let port = match port {
            None => None,
            Some(digits) => Some(
                std::str::from_utf8(digits)
                    .ok()
                    .and_then(|d| d.parse::<u16>().ok())
                    .ok_or(TypedError::Range {
                        what: "port",
                        offset: value.len() - digits.len(),
                        reason: "a port is 0 to 65535, RFC 3986 §3.2.3",
                    })?,
            ),
        };
        Ok(Host {
            host: String::from_utf8_lossy(host).into_owned(),
            port,
        })
    }

    /// Appends `host[:port]`.
    pub fn encode(&self, dst: &mut Vec<u8>) {
        dst.extend_from_slice(self.to_string().as_bytes());
    }
}

impl fmt::Display for Host {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.port {
            Some(p) => write!(f, "{}:{p}", self.host),
            None => f.write_str(&self.host),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hosts_and_ports() {
        let h = Host::decode(b"example.com:8080").unwrap();
        assert_eq!((h.host.as_str(), h.port), ("example.com", Some(8080)));
        let h = Host::decode(b"[::1]:443").unwrap();
        assert_eq!((h.host.as_str(), h.port), ("[::1]", Some(443)));
        let h = Host::decode(b"[::1]").unwrap();
        assert_eq!((h.host.as_str(), h.port), ("[::1]", None));
        assert_eq!(Host::decode(b"").unwrap().host, "");
        assert!(Host::decode(b"a b").is_err());
        assert!(Host::decode(b"user@a").is_err());
        assert!(Host::decode(b"a:99999").is_err());
        assert_eq!(Host::decode(b"a:80").unwrap().to_string(), "a:80");
    }
}
