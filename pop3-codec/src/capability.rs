//! The CAPA response, typed (RFC 2449 §5-§6; RFC 2595 §4 STLS, RFC 3206 AUTH-RESP-CODE,
//! RFC 6856 §2-§3 UTF8 and LANG).
//!
//! ```text
//! capa-resp  = single-line *capability "." CRLF
//! capability = capa-tag *(SP param) CRLF
//! capa-tag   = 1*cchar                  ; printable, no "."
//! param      = 1*pchar                  ; printable
//! ```

use std::fmt;

use crate::error::{Error, Found};
use crate::sasl::Mechanism;

/// One capability line.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Capability {
    /// `TOP` (RFC 2449 §6.1).
    Top,
    /// `USER` (RFC 2449 §6.2).
    User,
    /// `SASL mech...` (RFC 2449 §6.3).
    Sasl(Vec<Mechanism>),
    /// `RESP-CODES` (RFC 2449 §6.4).
    RespCodes,
    /// `AUTH-RESP-CODE` (RFC 3206 §6).
    AuthRespCode,
    /// `LOGIN-DELAY seconds [USER]` (RFC 2449 §6.5): `per_user` when the delay varies by user.
    LoginDelay {
        /// The minimum seconds between logins.
        seconds: u64,
        /// `USER`: announced before login, the value is the default.
        per_user: bool,
    },
    /// `PIPELINING` (RFC 2449 §6.6).
    Pipelining,
    /// `EXPIRE days|NEVER [USER]` (RFC 2449 §6.7): `None` for NEVER.
    Expire {
        /// Days a message stays, `None` for NEVER.
        days: Option<u64>,
        /// `USER`: the value may vary by user.
        per_user: bool,
    },
    /// `UIDL` (RFC 2449 §6.8).
    Uidl,
    /// `IMPLEMENTATION text` (RFC 2449 §6.9).
    Implementation(String),
    /// `STLS` (RFC 2595 §4).
    Stls,
    /// `UTF8 [USER]` (RFC 6856 §2).
    Utf8 {
        /// `USER`: the USER and PASS arguments may be UTF-8 too.
        user: bool,
    },
    /// `LANG` (RFC 6856 §3).
    Lang,
    /// Any other capability: its tag and parameters as sent.
    Other {
        /// The tag.
        tag: String,
        /// The parameters.
        params: Vec<String>,
    },
}

impl Capability {
    /// Parses one capability line (without CRLF) whose first byte is at stream offset `base`.
    pub fn decode(line: &[u8], base: u64) -> Result<Capability, Error> {
        Capability::decode_line(line, None, base)
    }

    /// [`Capability::decode`], with the line as text when the caller already checked the
    /// whole content is UTF-8 (one check for a CAPA answer instead of one per line).
    fn decode_line(line: &[u8], text: Option<&str>, base: u64) -> Result<Capability, Error> {
        let fail = |at: usize, production: &'static str, reason: &'static str| Error::Syntax {
            offset: base + at as u64,
            production,
            found: Found::first_of(line.get(at..).unwrap_or_default()),
            reason,
        };
        // The syntax first: printable words, one SP between them (RFC 2449 §9). A branch-free
        // pass over the octets; where it fails, the loop below finds the error.
        let (bad, _, count) = line
            .iter()
            .fold((false, false, 0usize), |(bad, after_sp, n), &b| {
                let sp = b == b' ';
                (
                    bad | !(sp || b.is_ascii_graphic()) | (sp & after_sp),
                    sp,
                    n + usize::from(sp),
                )
            });
        let clean = !bad
            && line.first().is_some_and(|&b| b != b' ')
            && line.last().is_some_and(|&b| b != b' ');
        if !clean {
            let mut start = 0;
            for (i, b) in line.iter().copied().enumerate().chain([(line.len(), b' ')]) {
                if b != b' ' {
                    if !b.is_ascii_graphic() {
                        return Err(fail(i, "pchar", "printable characters, RFC 2449 §9"));
                    }
                    continue;
                }
                // An empty first word is a missing capa-tag (an empty line, or one that starts
                // with SP), not an empty parameter (RFC 2449 §9).
                if i == start && start == 0 {
                    return Err(fail(i, "capa-tag", "a capability name, RFC 2449 §9"));
                }
                if i == start {
                    return Err(fail(i, "param", "one SP between parameters, RFC 2449 §9"));
                }
                start = i + 1;
            }
        }
        // Printable ASCII and SP only: the words are borrowed from the line, nothing is
        // allocated but what the capability keeps.
        let text = match text {
            Some(text) => text,
            None => std::str::from_utf8(line)
                .map_err(|_| fail(0, "pchar", "printable characters, RFC 2449 §9"))?,
        };
        let tag = text
            .get(..memchr::memchr(b' ', line).unwrap_or(line.len()))
            .unwrap_or_default();
        if let Some(dot) = memchr::memchr(b'.', tag.as_bytes()) {
            return Err(fail(dot, "cchar", "no . in a capability name, RFC 2449 §9"));
        }
        // Each parameter with its offset in the line.
        let params = || words(text, tag.len() + 1);
        // `count`, the number of parameters: the SPs counted in the pass above.
        let mut first_two = params();
        let first = first_two.next();
        let second = first_two.next().map(|(_, p)| p);
        // `[_]` or `[_, "USER"]`.
        let one_or_user = count == 1 || (count == 2 && second == Some("USER"));
        let number = |(at, p): (usize, &str)| {
            p.parse::<u64>()
                .ok()
                .filter(|_| p.bytes().all(|b| b.is_ascii_digit()))
                .ok_or_else(|| fail(at, "number", "decimal digits, RFC 2449 §6.5, §6.7"))
        };
        // The tag upper-cased on the stack; a longer one is none of those named here.
        let mut upper = [0u8; 16];
        let upper = match upper.get_mut(..tag.len()) {
            Some(upper) => {
                upper.copy_from_slice(tag.as_bytes());
                upper.make_ascii_uppercase();
                std::str::from_utf8(upper).unwrap_or_default()
            }
            None => "",
        };
        let cap = match (upper, count) {
            ("TOP", 0) => Capability::Top,
            ("USER", 0) => Capability::User,
            ("SASL", _) => Capability::Sasl(
                params()
                    .map(|(at, m)| {
                        Mechanism::new(m).map_err(|_| {
                            fail(at, "sasl-mech", "a SASL mechanism name, RFC 4422 §3.1")
                        })
                    })
                    .collect::<Result<_, _>>()?,
            ),
            ("RESP-CODES", 0) => Capability::RespCodes,
            ("AUTH-RESP-CODE", 0) => Capability::AuthRespCode,
            ("LOGIN-DELAY", _) if one_or_user => Capability::LoginDelay {
                seconds: first.map(number).transpose()?.unwrap_or(0),
                per_user: count == 2,
            },
            ("PIPELINING", 0) => Capability::Pipelining,
            ("EXPIRE", _) if one_or_user => Capability::Expire {
                days: match first {
                    Some((_, days)) if days.eq_ignore_ascii_case("NEVER") => None,
                    _ => first.map(number).transpose()?,
                },
                per_user: count == 2,
            },
            ("UIDL", 0) => Capability::Uidl,
            ("IMPLEMENTATION", _) => {
                Capability::Implementation(text.get(tag.len() + 1..).unwrap_or_default().to_owned())
            }
            ("STLS", 0) => Capability::Stls,
            ("UTF8", 0) => Capability::Utf8 { user: false },
            ("UTF8", 1) if first.map(|(_, p)| p) == Some("USER") => Capability::Utf8 { user: true },
            ("LANG", 0) => Capability::Lang,
            (
                "TOP" | "USER" | "RESP-CODES" | "AUTH-RESP-CODE" | "LOGIN-DELAY" | "PIPELINING"
                | "EXPIRE" | "UIDL" | "STLS" | "UTF8" | "LANG",
                _,
            ) => {
                let at = first.map_or(line.len(), |(at, _)| at);
                return Err(fail(
                    at,
                    "capability",
                    "the parameters its RFC defines, RFC 2449 §6",
                ));
            }
            _ => Capability::Other {
                tag: tag.to_owned(),
                params: params().map(|(_, p)| p.to_owned()).collect(),
            },
        };
        Ok(cap)
    }
}

/// The SP-separated words of `text` from offset `from` on, each with its offset (`text` holds
/// ASCII only, words of one or more octets).
fn words(text: &str, from: usize) -> impl Iterator<Item = (usize, &str)> + Clone {
    let mut at = from;
    std::iter::from_fn(move || {
        let rest = text.as_bytes().get(at..)?;
        let end = at + memchr::memchr(b' ', rest).unwrap_or(rest.len());
        let word = (at, text.get(at..end)?);
        at = end + 1;
        Some(word)
    })
}

impl fmt::Display for Capability {
    /// The capability line as written, without CRLF.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let user = |u: bool| if u { " USER" } else { "" };
        match self {
            Capability::Top => f.write_str("TOP"),
            Capability::User => f.write_str("USER"),
            Capability::Sasl(m) => {
                f.write_str("SASL")?;
                m.iter().try_for_each(|m| write!(f, " {m}"))
            }
            Capability::RespCodes => f.write_str("RESP-CODES"),
            Capability::AuthRespCode => f.write_str("AUTH-RESP-CODE"),
            Capability::LoginDelay { seconds, per_user } => {
                write!(f, "LOGIN-DELAY {seconds}{}", user(*per_user))
            }
            Capability::Pipelining => f.write_str("PIPELINING"),
            Capability::Expire {
                days: Some(d),
                per_user,
            } => write!(f, "EXPIRE {d}{}", user(*per_user)),
            Capability::Expire {
                days: None,
                per_user,
            } => write!(f, "EXPIRE NEVER{}", user(*per_user)),
            Capability::Uidl => f.write_str("UIDL"),
            // `IMPLEMENTATION` alone reads as an empty text: written back alone, not with a SP
            // that would read as an empty parameter.
            Capability::Implementation(t) if t.is_empty() => f.write_str("IMPLEMENTATION"),
            Capability::Implementation(t) => write!(f, "IMPLEMENTATION {t}"),
            Capability::Stls => f.write_str("STLS"),
            Capability::Utf8 { user: u } => write!(f, "UTF8{}", user(*u)),
            Capability::Lang => f.write_str("LANG"),
            Capability::Other { tag, params } => {
                f.write_str(tag)?;
                params.iter().try_for_each(|p| write!(f, " {p}"))
            }
        }
    }
}

/// The capabilities of a CAPA response, in the order listed.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Capabilities(pub Vec<Capability>);

impl Capabilities {
    /// Parses the content of a CAPA response (the lines after the status line, unstuffed, each
    /// ending in CRLF); `base` is the stream offset of its first byte.
    pub fn decode(content: &[u8], base: u64) -> Result<Capabilities, Error> {
        // One UTF-8 check for the whole answer; a line that is not UTF-8 is checked (and
        // refused) on its own below.
        let text = std::str::from_utf8(content).ok();
        let mut caps = Vec::with_capacity(16);
        let mut at = 0;
        let line = |at: usize, end: usize| {
            let bytes = content.get(at..end).unwrap_or_default();
            let line_text = text.and_then(|t| t.get(at..end));
            Capability::decode_line(bytes, line_text, base + at as u64)
        };
        // Lines end at CRLF only: an LF without its CR stays inside the line (and is refused
        // there as a control character).
        for lf in memchr::memchr_iter(b'\n', content) {
            if lf > at && content.get(lf - 1) == Some(&b'\r') {
                caps.push(line(at, lf - 1)?);
                at = lf + 1;
            }
        }
        if at < content.len() {
            caps.push(line(at, content.len())?);
        }
        Ok(Capabilities(caps))
    }

    /// Whether `cap` is listed (parameters compared too).
    pub fn contains(&self, cap: &Capability) -> bool {
        self.0.contains(cap)
    }

    /// The SASL mechanisms listed (empty if SASL was not).
    pub fn sasl(&self) -> &[Mechanism] {
        self.0
            .iter()
            .find_map(|c| match c {
                Capability::Sasl(m) => Some(m.as_slice()),
                _ => None,
            })
            .unwrap_or_default()
    }

    /// The content of a CAPA response, every line ending in CRLF (not stuffed: no line starts
    /// with a dot, RFC 2449 §9 `cchar`).
    pub fn to_content(&self) -> String {
        self.0.iter().map(|c| format!("{c}\r\n")).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dovecot_and_rfc_examples() {
        let content = b"TOP\r\nUSER\r\nSASL CRAM-MD5 KERBEROS_V4\r\nRESP-CODES\r\nLOGIN-DELAY 900\r\n\
PIPELINING\r\nEXPIRE 60\r\nUIDL\r\nIMPLEMENTATION Shlemazle-Plotz-v302\r\nSTLS\r\nUTF8 USER\r\nX-FOO a b\r\n";
        let caps = Capabilities::decode(content, 0).unwrap();
        assert_eq!(caps.0.len(), 12);
        assert_eq!(caps.sasl().len(), 2);
        assert!(caps.contains(&Capability::LoginDelay {
            seconds: 900,
            per_user: false
        }));
        assert!(caps.contains(&Capability::Expire {
            days: Some(60),
            per_user: false
        }));
        assert!(caps.contains(&Capability::Utf8 { user: true }));
        assert_eq!(caps.to_content().as_bytes(), &content[..]);
        assert!(matches!(
            Capability::decode(b"LOGIN-DELAY x", 0),
            Err(Error::Syntax { offset: 12, .. })
        ));
        assert!(matches!(
            Capability::decode(b"TOP 1", 10),
            Err(Error::Syntax { offset: 14, .. })
        ));
        assert!(matches!(
            Capability::decode(b"A  B", 0),
            Err(Error::Syntax { offset: 2, .. })
        ));
        assert!(matches!(
            Capability::decode(b"", 0),
            Err(Error::Syntax { offset: 0, .. })
        ));
        // Found by pop3_response: written back with a SP, it no longer parsed.
        let bare = Capability::decode(b"IMPLEMENTATION", 0).unwrap();
        assert_eq!(bare, Capability::Implementation(String::new()));
        assert_eq!(bare.to_string(), "IMPLEMENTATION");
        assert_eq!(
            Capability::decode(b"EXPIRE NEVER USER", 0).unwrap(),
            Capability::Expire {
                days: None,
                per_user: true
            }
        );
    }
}
