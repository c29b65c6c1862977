//! The tokens of one record's rdata in presentation format (RFC 1035 §5.1): words separated by
//! blanks, `"quoted strings"` that may hold blanks, and `\X` / `\DDD` escapes in both.
//! Parentheses, comments and `$` directives belong to the zone-file parser, not here.

use crate::error::Error;
use crate::name::escape;

/// One word or quoted string of rdata text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Token<'a> {
    /// The text as written, escapes included, quotes excluded.
    pub(crate) raw: &'a str,
    /// Byte offset of the token in the rdata text.
    pub(crate) offset: usize,
    /// Whether it was a quoted string.
    pub(crate) quoted: bool,
}

/// Splits `text` into tokens.
pub(crate) fn tokens(text: &str) -> Result<Vec<Token<'_>>, Error> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0usize;
    while let Some(&b) = bytes.get(i) {
        if b == b' ' || b == b'\t' {
            i += 1;
            continue;
        }
        let quoted = b == b'"';
        let start = if quoted { i + 1 } else { i };
        let mut j = start;
        loop {
            match bytes.get(j) {
                None if quoted => {
                    return Err(Error::Syntax {
                        offset: i as u64,
                        reason: "quoted string without its closing quote",
                    });
                }
                None => break,
                Some(b'\\') => j += 2,
                Some(b'"') if quoted => break,
                Some(b' ' | b'\t') if !quoted => break,
                Some(b'"') => {
                    return Err(Error::Syntax {
                        offset: j as u64,
                        reason: "quote inside a word",
                    });
                }
                Some(_) => j += 1,
            }
        }
        let end = j.min(bytes.len());
        let raw = text.get(start..end).ok_or(Error::Syntax {
            offset: start as u64,
            reason: "not a character boundary",
        })?;
        out.push(Token {
            raw,
            offset: i,
            quoted,
        });
        i = if quoted { end + 1 } else { end };
    }
    Ok(out)
}

impl Token<'_> {
    /// The bytes the token stands for, escapes resolved (a `<character-string>`, RFC 1035 §5.1).
    pub(crate) fn bytes(&self) -> Result<Vec<u8>, Error> {
        let raw = self.raw.as_bytes();
        let base = self.offset + usize::from(self.quoted);
        let mut out = Vec::with_capacity(raw.len());
        let mut i = 0usize;
        while let Some(&b) = raw.get(i) {
            match b {
                b'\\' => {
                    let (octet, used) = escape(raw, i).map_err(|e| e.shifted(base as u64))?;
                    out.push(octet);
                    i += used;
                }
                0x20..=0x7E => {
                    out.push(b);
                    i += 1;
                }
                _ => {
                    return Err(Error::Syntax {
                        offset: (base + i) as u64,
                        reason: "a control or non-ASCII character must be written \\DDD",
                    });
                }
            }
        }
        Ok(out)
    }

    /// A syntax error at this token.
    pub(crate) fn error(&self, reason: &'static str) -> Error {
        Error::Syntax {
            offset: self.offset as u64,
            reason,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_and_quoted_strings() {
        let t = tokens(r#"10  mail.example. "a b\" c" x\ y"#).unwrap();
        let raws: Vec<&str> = t.iter().map(|t| t.raw).collect();
        assert_eq!(raws, ["10", "mail.example.", r#"a b\" c"#, r"x\ y"]);
        assert!(t[2].quoted);
        assert_eq!(t[2].bytes().unwrap(), b"a b\" c");
        assert_eq!(t[3].bytes().unwrap(), b"x y");
        assert_eq!(tokens("").unwrap(), []);
        assert!(tokens("\"open").is_err());
        assert!(tokens("a\"b").is_err());
        assert_eq!(
            tokens(r#""\255\000""#).unwrap()[0].bytes().unwrap(),
            b"\xff\x00"
        );
    }
}
