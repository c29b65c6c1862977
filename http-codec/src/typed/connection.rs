//! `Connection = #connection-option`, `connection-option = token` (RFC 9110 §7.6.1).

use super::{TypedError, list, syntax};
use crate::chars::is_tchar;

/// The connection options, lowercased (they are case-insensitive), in order.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Connection {
    /// Each option, lowercase.
    pub options: Vec<String>,
}

impl Connection {
    /// Parses a Connection value: a list of tokens.
    pub fn decode(value: &[u8]) -> Result<Connection, TypedError> {
        let mut options = Vec::new();
        for (offset, element) in list::elements(value)? {
            if let Some(bad) = element.iter().position(|&b| !is_tchar(b)) {
                return Err(syntax(
                    "connection-option",
                    offset + bad,
                    "must be a token, RFC 9110 §7.6.1",
                ));
            }
            options.push(String::from_utf8_lossy(element).to_ascii_lowercase());
        }
        Ok(Connection { options })
    }

    /// Appends the options, comma-separated.
    pub fn encode(&self, dst: &mut Vec<u8>) {
        dst.extend_from_slice(self.options.join(", ").as_bytes());
    }

    /// Whether `option` is listed (case-insensitively).
    pub fn has(&self, option: &str) -> bool {
        self.options.iter().any(|o| o.eq_ignore_ascii_case(option))
    }

    /// `close`: the connection ends after this message (RFC 9112 §9.6).
    pub fn close(&self) -> bool {
        self.has("close")
    }

    /// `keep-alive`: an HTTP/1.0 peer asks to keep the connection (RFC 9112 Appendix C.2.2).
    pub fn keep_alive(&self) -> bool {
        self.has("keep-alive")
    }

    /// `upgrade`: the Upgrade field applies to this hop (RFC 9110 §7.8).
    pub fn upgrade(&self) -> bool {
        self.has("upgrade")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn options_are_tokens_compared_without_case() {
        let c = Connection::decode(b"Keep-Alive, , Upgrade").unwrap();
        assert_eq!(c.options, ["keep-alive", "upgrade"]);
        assert!(c.keep_alive() && c.upgrade() && !c.close());
        assert!(Connection::decode(b"close;x").is_err());
        let mut out = Vec::new();
        c.encode(&mut out);
        assert_eq!(out, b"keep-alive, upgrade");
    }
}
