//! SMTP replies (RFC 5321 §4.2): single- and multi-line, with the enhanced status codes of
//! RFC 3463 typed, and the base64 challenges of AUTH (RFC 4954 §4).
//!
//! Each line's text (what follows `250-` or `250 `) is kept byte for byte, so a reply written
//! back is the reply that was read.

use std::fmt;

use crate::auth::{base64_decode, check_base64};
use crate::error::Error;
use crate::parse::{found_at, reply as p};

/// A reply: one code and one or more lines of text (RFC 5321 §4.2.1).
///
/// ```
/// use smtp_codec::Reply;
/// let r = Reply::new(250, ["2.1.0 Originator ok"])?;
/// assert_eq!(r.enhanced().map(|e| e.to_string()), Some("2.1.0".into()));
/// assert_eq!(r.texts(), ["Originator ok"]);
/// assert_eq!(r.to_bytes(), b"250 2.1.0 Originator ok\r\n");
/// assert!(Reply::new(250, ["ok\r\n250 forged"]).is_err());
/// # Ok::<(), smtp_codec::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Reply {
    code: u16,
    /// Every line's text, joined by LF: one allocation per reply, not one per line. LF cannot
    /// occur in a line (`textstring`, RFC 5321 §4.2), so the lines are exactly the parts
    /// between the LFs, and a reply always has at least one.
    text: String,
}

/// An enhanced status code `class.subject.detail` (RFC 3463 §2).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct EnhancedCode {
    /// 2 (success), 4 (persistent transient failure) or 5 (permanent failure).
    pub class: u8,
    /// The subject, 0-999.
    pub subject: u16,
    /// The detail, 0-999.
    pub detail: u16,
}

impl fmt::Display for EnhancedCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{}.{}", self.class, self.subject, self.detail)
    }
}

/// The reply as it is written, without the CRLFs: one line per reply line, joined with `\n`
/// (for logs and error messages; [`Reply::to_bytes`] gives the wire form).
impl fmt::Display for Reply {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, (l, sep)) in self.lines_with_separators().enumerate() {
            if i > 0 {
                f.write_str("\n")?;
            }
            write!(f, "{:03}", self.code)?;
            if let Some(sep) = sep {
                write!(f, "{}{l}", char::from(sep))?;
            }
        }
        Ok(())
    }
}

impl Reply {
    /// A reply of `code` (200-559 as `Reply-code` allows) and `lines`, each the text after the
    /// code and its separator (an empty one is a code-only line). Every line must be
    /// `textstring`: tab, printable ASCII or UTF-8, so never CR, LF or NUL.
    pub fn new<S: Into<String>>(
        code: u16,
        lines: impl IntoIterator<Item = S>,
    ) -> Result<Reply, Error> {
        let digits = code.to_string();
        if crate::parse::reply::reply_code(digits.as_bytes()).is_err() || code > 999 {
            return Err(Error::Local {
                reason: "a reply code outside 200-559 (RFC 5321 §4.2)",
            });
        }
        let lines: Vec<String> = lines.into_iter().map(Into::into).collect();
        if lines.is_empty() {
            return Err(Error::Local {
                reason: "a reply has at least one line",
            });
        }
        for l in &lines {
            if let Err(at) = p::textstring(l.as_bytes()) {
                return Err(Error::Syntax {
                    offset: at as u64,
                    production: "textstring",
                    found: found_at(l.as_bytes(), at),
                    reason: "tab, printable ASCII or UTF-8 in reply text, RFC 5321 §4.2",
                });
            }
        }
        Ok(Reply {
            code,
            text: lines.join("\n"),
        })
    }

    /// A reply whose every line starts with the enhanced code `enhanced` and a space
    /// (RFC 2034 §4); the class must be the code's first digit.
    pub fn with_enhanced<S: AsRef<str>>(
        code: u16,
        enhanced: EnhancedCode,
        texts: impl IntoIterator<Item = S>,
    ) -> Result<Reply, Error> {
        if u16::from(enhanced.class) != code / 100
            || enhanced.subject > 999
            || enhanced.detail > 999
        {
            return Err(Error::Local {
                reason: "an enhanced code whose class is not the reply's first digit (RFC 3463 §2)",
            });
        }
        Reply::new(
            code,
            texts
                .into_iter()
                .map(|t| format!("{enhanced} {}", t.as_ref()))
                .collect::<Vec<_>>(),
        )
    }

    /// A reply of `code` whose lines are `text` split at LF (each line already checked as
    /// `textstring`).
    pub(crate) fn from_parsed(code: u16, text: String) -> Reply {
        Reply { code, text }
    }

    /// The lines, without collecting them.
    pub(crate) fn line_iter(&self) -> std::str::Split<'_, char> {
        self.text.split('\n')
    }

    /// How many lines.
    pub(crate) fn line_count(&self) -> usize {
        memchr::memchr_iter(b'\n', self.text.as_bytes()).count() + 1
    }

    /// Each line's text with what follows the code on it ([`Reply::separator`]).
    pub(crate) fn lines_with_separators(&self) -> impl Iterator<Item = (&str, Option<u8>)> {
        let mut lines = self.line_iter().peekable();
        std::iter::from_fn(move || {
            let l = lines.next()?;
            Some((l, self.separator(lines.peek().is_none(), l)))
        })
    }

    /// The three-digit code.
    pub fn code(&self) -> u16 {
        self.code
    }

    /// Whether the code is 2yz.
    pub fn is_positive(&self) -> bool {
        self.code / 100 == 2
    }

    /// Each line's text after the code and the separator, as sent (empty for a code-only line).
    pub fn lines(&self) -> Vec<&str> {
        self.line_iter().collect()
    }

    /// The enhanced status code (RFC 3463 §2) when every line starts with the same one, of the
    /// reply code's class, followed by a space or the end of the line.
    pub fn enhanced(&self) -> Option<EnhancedCode> {
        let first = self.line_iter().next()?;
        let ((class, subject, detail), len) = p::status_code(first.as_bytes())?;
        if u16::from(class) != self.code / 100 {
            return None;
        }
        let prefix = first.get(..len)?;
        let same = self
            .line_iter()
            .all(|l| l.starts_with(prefix) && matches!(l.as_bytes().get(len), None | Some(b' ')));
        same.then_some(EnhancedCode {
            class,
            subject,
            detail,
        })
    }

    /// Each line's text after the enhanced code and its space when the reply has one (see
    /// [`Reply::enhanced`]), else the whole text; this is `lines` of `wire decode smtp`.
    pub fn texts(&self) -> Vec<&str> {
        let skip = self
            .enhanced()
            .and_then(|_| self.line_iter().next())
            .and_then(|l| p::status_code(l.as_bytes()))
            .map_or(0, |(_, len)| len);
        self.line_iter()
            .map(|l| {
                l.get(skip..)
                    .map_or("", |t| t.strip_prefix(' ').unwrap_or(t))
            })
            .collect()
    }

    /// The decoded challenge of a 334 reply (RFC 4954 §4), `None` if this is not a 334 of one
    /// line of base64.
    pub fn sasl_challenge(&self) -> Option<Vec<u8>> {
        let text = &self.text;
        let one_line = !text.contains('\n');
        (self.code == 334 && one_line && check_base64(text.as_bytes()).is_ok())
            .then(|| base64_decode(text.as_bytes()))
    }

    /// What follows the code on a line (RFC 5321 §4.2): `-` when more lines follow, SP before
    /// the last line's text, nothing on a code-only last line; but SP always on a last line of a
    /// 334, whose empty challenge is `"334" SP CRLF` (RFC 4954 §4).
    fn separator(&self, last: bool, text: &str) -> Option<u8> {
        match (last, text.is_empty()) {
            (false, _) => Some(b'-'),
            (true, false) => Some(b' '),
            (true, true) => (self.code == 334).then_some(b' '),
        }
    }

    /// The reply's bytes, every line ending in CRLF.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = Vec::new();
        for (l, sep) in self.lines_with_separators() {
            out.extend_from_slice(format!("{:03}", self.code).as_bytes());
            out.extend(sep);
            out.extend_from_slice(l.as_bytes());
            out.extend_from_slice(b"\r\n");
        }
        out
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn enhanced_codes() {
        let r = Reply::new(250, ["2.0.0 a", "2.0.0 b"]).unwrap();
        assert_eq!(
            r.enhanced(),
            Some(EnhancedCode {
                class: 2,
                subject: 0,
                detail: 0
            })
        );
        assert_eq!(r.texts(), ["a", "b"]);
        let mixed = Reply::new(250, ["2.0.0 a", "2.0.1 b"]).unwrap();
        assert_eq!(mixed.enhanced(), None);
        assert_eq!(mixed.texts(), ["2.0.0 a", "2.0.1 b"]);
        assert_eq!(Reply::new(550, ["2.0.0 a"]).unwrap().enhanced(), None);
        assert_eq!(Reply::new(250, ["2.0.0"]).unwrap().texts(), [""]);
        assert_eq!(Reply::new(250, ["mx.example"]).unwrap().enhanced(), None);
        let e = EnhancedCode {
            class: 5,
            subject: 1,
            detail: 1,
        };
        assert!(Reply::with_enhanced(250, e, ["x"]).is_err());
        assert_eq!(
            Reply::with_enhanced(550, e, ["no such user"])
                .unwrap()
                .to_bytes(),
            b"550 5.1.1 no such user\r\n"
        );
    }

    #[test]
    fn encoding_and_checks() {
        let r = Reply::new(250, ["mx.example", "", "PIPELINING"]).unwrap();
        assert_eq!(
            r.to_bytes(),
            b"250-mx.example\r\n250-\r\n250 PIPELINING\r\n"
        );
        assert_eq!(Reply::new(221, [""]).unwrap().to_bytes(), b"221\r\n");
        assert!(Reply::new(600, ["x"]).is_err());
        assert!(Reply::new(199, ["x"]).is_err());
        assert!(Reply::new(260, ["x"]).is_err());
        assert!(Reply::new(250, Vec::<String>::new()).is_err());
        assert!(Reply::new(250, ["a\nb"]).is_err());
        assert!(Reply::new(250, ["a\0b"]).is_err());
        assert_eq!(
            Reply::new(334, ["VXNlcm5hbWU6"]).unwrap().sasl_challenge(),
            Some(b"Username:".to_vec())
        );
        assert_eq!(
            Reply::new(334, [""]).unwrap().sasl_challenge(),
            Some(vec![])
        );
        assert_eq!(
            Reply::new(334, ["not base64"]).unwrap().sasl_challenge(),
            None
        );
    }
}
