//! Status lines of POP3 responses (RFC 1939 §3, RFC 2449 §8-§9, RFC 5034 §4).
//!
//! ```text
//! single-line  = status [SP text] CRLF          ; 512 octets maximum (RFC 2449 §9)
//! status       = "+OK" / "-ERR"
//! text         = *schar / resp-code *CHAR
//! resp-code    = "[" resp-level *("/" resp-level) "]"
//! resp-level   = 1*rchar
//! rchar        = %x21-2E / %x30-5C / %x5E-7F    ; printable, no "/" and no "]"
//! continue-req = "+" SP [base64] CRLF           ; RFC 5034 §4
//! ```
//!
//! RFC 2449's `schar` leaves out SP, which no server honours; the text here is any printable
//! character, SP and HTAB, or UTF-8 (RFC 6856 §2), and a text that starts with `[` must be a
//! valid response code. The status indicators are upper case (RFC 1939 §3).

use std::fmt;

use crate::error::{Error, Found};
use crate::sasl::{base64_decode, check_base64};

/// An extended response code (RFC 2449 §8; RFC 3206 for SYS and AUTH; RFC 6856 §5 for UTF8).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ResponseCode {
    /// `[IN-USE]`: the maildrop is locked by another session (RFC 2449 §8.1.1).
    InUse,
    /// `[LOGIN-DELAY]`: logged in too soon after the last time (RFC 2449 §8.1.2).
    LoginDelay,
    /// `[SYS/TEMP]`: a temporary system problem (RFC 3206 §4).
    SysTemp,
    /// `[SYS/PERM]`: a permanent system problem (RFC 3206 §4).
    SysPerm,
    /// `[AUTH]`: the credentials were wrong (RFC 3206 §5).
    Auth,
    /// `[UTF8]`: the maildrop needs UTF8 (RFC 6856 §5).
    Utf8,
    /// Any other code, kept as written between the brackets.
    Other(String),
}

impl ResponseCode {
    /// The code as written between the brackets.
    pub fn as_str(&self) -> &str {
        match self {
            ResponseCode::InUse => "IN-USE",
            ResponseCode::LoginDelay => "LOGIN-DELAY",
            ResponseCode::SysTemp => "SYS/TEMP",
            ResponseCode::SysPerm => "SYS/PERM",
            ResponseCode::Auth => "AUTH",
            ResponseCode::Utf8 => "UTF8",
            ResponseCode::Other(s) => s,
        }
    }

    /// `text` checked as `resp-level *("/" resp-level)`; known codes compared
    /// case-insensitively.
    pub fn new(text: &str) -> Result<ResponseCode, Error> {
        resp_code_levels(text.as_bytes())?;
        Ok(match text.to_ascii_uppercase().as_str() {
            "IN-USE" => ResponseCode::InUse,
            "LOGIN-DELAY" => ResponseCode::LoginDelay,
            "SYS/TEMP" => ResponseCode::SysTemp,
            "SYS/PERM" => ResponseCode::SysPerm,
            "AUTH" => ResponseCode::Auth,
            "UTF8" => ResponseCode::Utf8,
            _ => ResponseCode::Other(text.to_owned()),
        })
    }
}

impl fmt::Display for ResponseCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// `resp-level *("/" resp-level)`: the error points at the first bad byte.
fn resp_code_levels(b: &[u8]) -> Result<(), Error> {
    let bad = |at: usize| Error::Syntax {
        offset: at as u64,
        production: "resp-level",
        found: Found::first_of(b.get(at..).unwrap_or_default()),
        reason: "printable characters other than / and ], RFC 2449 §9",
    };
    let mut level_len = 0;
    for (i, &c) in b.iter().enumerate() {
        match c {
            b'/' if level_len > 0 => level_len = 0,
            b'/' => return Err(bad(i)),
            0x21..=0x7e if c != b']' => level_len += 1,
            _ => return Err(bad(i)),
        }
    }
    match level_len {
        0 => Err(bad(b.len())),
        _ => Ok(()),
    }
}

/// A status line: `+OK` or `-ERR`, an optional response code, the text.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Response {
    /// `+OK` (true) or `-ERR`.
    pub ok: bool,
    /// The extended response code, if the text starts with one (RFC 2449 §8).
    pub code: Option<ResponseCode>,
    /// The text after the status and the code (and the SP after each), as sent.
    pub text: String,
}

impl Response {
    /// `+OK text`; the text is checked when written.
    pub fn ok(text: impl Into<String>) -> Response {
        Response {
            ok: true,
            code: None,
            text: text.into(),
        }
    }

    /// `-ERR text`.
    pub fn err(text: impl Into<String>) -> Response {
        Response {
            ok: false,
            code: None,
            text: text.into(),
        }
    }

    /// `-ERR [code] text`.
    pub fn err_with(code: ResponseCode, text: impl Into<String>) -> Response {
        Response {
            ok: false,
            code: Some(code),
            text: text.into(),
        }
    }

    /// The APOP timestamp of a greeting, `<...>` with its brackets (RFC 1939 §7), if there is
    /// one.
    pub fn timestamp(&self) -> Option<&str> {
        // The first `<...>` that is a msg-id (RFC 1939 §7): an earlier `<` in the greeting's
        // text ("<-- ready -->") does not hide the timestamp after it.
        self.text.match_indices('<').find_map(|(start, _)| {
            let len = self.text.get(start..)?.find('>')?;
            let stamp = self.text.get(start..=start + len)?;
            let inner = stamp.get(1..stamp.len() - 1)?;
            (!inner.is_empty() && inner.bytes().all(|b| b.is_ascii_graphic() && b != b'<'))
                .then_some(stamp)
        })
    }

    /// The line without its CRLF. Refused if the text holds a control character, or starts with
    /// `[` while there is no code (it would read as one).
    pub fn to_line(&self) -> Result<String, Error> {
        let mut line = String::from(if self.ok { "+OK" } else { "-ERR" });
        if let Some(code) = &self.code {
            resp_code_levels(code.as_str().as_bytes()).map_err(|_| Error::Local {
                reason: "a response code that is not resp-level *(\"/\" resp-level)",
            })?;
            line.push_str(" [");
            line.push_str(code.as_str());
            line.push(']');
        } else if self.text.starts_with('[') {
            return Err(Error::Local {
                reason: "a response text starting with [ reads as a response code (RFC 2449 §8)",
            });
        }
        if text_check(self.text.as_bytes()).is_err() {
            return Err(Error::Local {
                reason: "a control character in a response text (RFC 1939 §3)",
            });
        }
        if !self.text.is_empty() {
            line.push(' ');
            line.push_str(&self.text);
        }
        Ok(line)
    }

    /// Parses a status line (without CRLF) whose first byte is at stream offset `base`.
    pub fn decode(line: &[u8], base: u64) -> Result<Response, Error> {
        let fail = |at: usize, production: &'static str, reason: &'static str| Error::Syntax {
            offset: base + at as u64,
            production,
            found: Found::first_of(line.get(at..).unwrap_or_default()),
            reason,
        };
        let (ok, mut at) = if line.starts_with(b"+OK") {
            (true, 3)
        } else if line.starts_with(b"-ERR") {
            (false, 4)
        } else {
            return Err(fail(0, "status", "+OK or -ERR, RFC 1939 §3"));
        };
        match line.get(at) {
            None => {
                return Ok(Response {
                    ok,
                    code: None,
                    text: String::new(),
                });
            }
            Some(b' ') => at += 1,
            Some(_) => {
                return Err(fail(
                    at,
                    "SP",
                    "SP or the end of the line after the status, RFC 2449 §9",
                ));
            }
        }
        let mut code = None;
        if line.get(at) == Some(&b'[') {
            let rest = line.get(at + 1..).unwrap_or_default();
            let Some(close) = rest.iter().position(|&b| b == b']') else {
                return Err(fail(
                    line.len(),
                    "resp-code",
                    "a ] to end the response code, RFC 2449 §9",
                ));
            };
            let inner = rest.get(..close).unwrap_or_default();
            resp_code_levels(inner).map_err(|e| match e {
                // The byte found is the line's, not the code's: an empty level ends at the `]`
                // (`[]`, `[A/]`), which the code alone reads as its end (RFC 2449 §9).
                Error::Syntax {
                    offset,
                    production,
                    reason,
                    ..
                } => Error::Syntax {
                    offset: base + (at + 1) as u64 + offset,
                    production,
                    found: Found::first_of(
                        line.get(at + 1 + offset as usize..).unwrap_or_default(),
                    ),
                    reason,
                },
                e => e,
            })?;
            code = Some(ResponseCode::new(&String::from_utf8_lossy(inner))?);
            at += close + 2;
            if line.get(at) == Some(&b' ') {
                at += 1;
            }
        }
        let text = line.get(at..).unwrap_or_default();
        if let Err(i) = text_check(text) {
            return Err(fail(
                at + i,
                "text",
                "printable characters, SP, HTAB or UTF-8, RFC 1939 §3, RFC 6856",
            ));
        }
        Ok(Response {
            ok,
            code,
            text: String::from_utf8_lossy(text).into_owned(),
        })
    }
}

/// Whether `text` is printable ASCII, SP, HTAB or UTF-8; the index of the first bad byte if not.
pub(crate) fn text_check(text: &[u8]) -> Result<(), usize> {
    let mut i = 0;
    while let Some(&b) = text.get(i) {
        if b == b'\t' || (0x20..=0x7e).contains(&b) {
            i += 1;
            continue;
        }
        let rest = text.get(i..).unwrap_or_default();
        let width = match b {
            0xc2..=0xdf => 2,
            0xe0..=0xef => 3,
            0xf0..=0xf4 => 4,
            _ => return Err(i),
        };
        match rest.get(..width).map(std::str::from_utf8) {
            Some(Ok(_)) => i += width,
            _ => return Err(i),
        }
    }
    Ok(())
}

/// The server's `+` challenge in a SASL exchange (RFC 5034 §4), base64 as sent.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Challenge(String);

impl Challenge {
    /// A challenge carrying `raw`.
    pub fn encode(raw: &[u8]) -> Challenge {
        Challenge(crate::sasl::base64_encode(raw))
    }

    /// The base64 text as sent (empty for an empty challenge).
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The bytes it stands for.
    pub fn decode(&self) -> Vec<u8> {
        base64_decode(self.0.as_bytes())
    }

    /// `"+" SP [base64]` (without CRLF) parsed, or `None` if the line is not a continuation.
    /// Servers that send a bare `+` are read as sending an empty challenge.
    pub fn decode_line(line: &[u8], base: u64) -> Result<Option<Challenge>, Error> {
        let text = match line {
            [b'+'] => return Ok(Some(Challenge(String::new()))),
            [b'+', b' ', text @ ..] => text,
            _ => return Ok(None),
        };
        check_base64(text, "continue-req").map_err(|e| e.shifted(base + 2))?;
        Ok(Some(Challenge(String::from_utf8_lossy(text).into_owned())))
    }

    /// The line without its CRLF.
    pub fn to_line(&self) -> String {
        format!("+ {}", self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(s: &str) -> Result<Response, Error> {
        Response::decode(s.as_bytes(), 0)
    }

    #[test]
    fn status_lines() {
        let r = parse("+OK 2 320").unwrap();
        assert!(r.ok && r.code.is_none() && r.text == "2 320");
        assert_eq!(r.to_line().unwrap(), "+OK 2 320");
        let r = parse("-ERR [IN-USE] maildrop locked").unwrap();
        assert_eq!(r.code, Some(ResponseCode::InUse));
        assert_eq!(r.text, "maildrop locked");
        assert_eq!(r.to_line().unwrap(), "-ERR [IN-USE] maildrop locked");
        assert_eq!(
            parse("-ERR [SYS/TEMP]").unwrap().code,
            Some(ResponseCode::SysTemp)
        );
        assert_eq!(parse("+OK").unwrap().text, "");
        assert!(matches!(
            parse("OK fine"),
            Err(Error::Syntax {
                offset: 0,
                production: "status",
                ..
            })
        ));
        assert!(matches!(parse("+ok"), Err(Error::Syntax { offset: 0, .. })));
        assert!(matches!(
            parse("+OKAY"),
            Err(Error::Syntax {
                offset: 3,
                production: "SP",
                ..
            })
        ));
        assert!(matches!(
            parse("-ERR [IN-USE"),
            Err(Error::Syntax {
                offset: 12,
                production: "resp-code",
                ..
            })
        ));
        assert!(matches!(
            parse("-ERR [A//B] x"),
            Err(Error::Syntax {
                offset: 8,
                production: "resp-level",
                ..
            })
        ));
        assert!(matches!(
            parse("+OK a\x00b"),
            Err(Error::Syntax {
                offset: 5,
                production: "text",
                ..
            })
        ));
    }

    #[test]
    fn greeting_timestamp() {
        let r = parse("+OK POP3 server ready <1896.697170952@dbc.mtview.ca.us>").unwrap();
        assert_eq!(r.timestamp(), Some("<1896.697170952@dbc.mtview.ca.us>"));
        assert_eq!(parse("+OK ready").unwrap().timestamp(), None);
        assert_eq!(parse("+OK <>").unwrap().timestamp(), None);
    }

    #[test]
    fn challenges() {
        assert_eq!(
            Challenge::decode_line(b"+ ", 0).unwrap().unwrap().as_str(),
            ""
        );
        assert_eq!(
            Challenge::decode_line(b"+ VXNlcm5hbWU6", 0)
                .unwrap()
                .unwrap()
                .decode(),
            b"Username:"
        );
        assert!(Challenge::decode_line(b"+OK", 0).unwrap().is_none());
        assert!(matches!(
            Challenge::decode_line(b"+ abc", 10),
            Err(Error::Syntax { offset: 15, .. })
        ));
    }
}
