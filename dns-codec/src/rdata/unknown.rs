//! The generic rdata form of RFC 3597 §5: `\# <length> <hex>`, the hex in one or more words.

use std::fmt;

use crate::error::Error;
use crate::presentation::Token;

/// `\# 0` for empty rdata, else `\# len hex` with lowercase hex in one word.
pub(super) fn write_generic(f: &mut fmt::Formatter<'_>, bytes: &[u8]) -> fmt::Result {
    write!(f, "\\# {}", bytes.len())?;
    if !bytes.is_empty() {
        f.write_str(" ")?;
        for b in bytes {
            write!(f, "{b:02x}")?;
        }
    }
    Ok(())
}

/// The bytes of a generic form; `tokens` starts with the `\#` token.
pub(super) fn parse_generic(tokens: &[Token<'_>]) -> Result<Vec<u8>, Error> {
    let mut rest = tokens.iter().skip(1);
    let length: usize = super::number(&mut rest)?;
    if length > usize::from(u16::MAX) {
        return Err(Error::Syntax {
            offset: 0,
            reason: "rdata length over 65535",
        });
    }
    let mut bytes = Vec::with_capacity(length);
    let mut last = None;
    for token in rest {
        if token.quoted {
            return Err(token.error("hex digits are not quoted"));
        }
        let digits = token.raw.as_bytes();
        if digits.len() % 2 != 0 {
            return Err(token.error("odd number of hex digits in a word (RFC 3597 §5)"));
        }
        for (i, pair) in digits.chunks(2).enumerate() {
            let value = |d: u8| char::from(d).to_digit(16);
            match pair {
                [hi, lo] => match (value(*hi), value(*lo)) {
                    (Some(h), Some(l)) => bytes.push((h * 16 + l) as u8),
                    _ => {
                        return Err(Error::Syntax {
                            offset: (token.offset + 2 * i) as u64,
                            reason: "not a hex digit",
                        });
                    }
                },
                _ => return Err(token.error("odd number of hex digits")),
            }
        }
        last = Some(token);
    }
    if bytes.len() != length {
        let offset = last.map_or(0, |t| t.offset) as u64;
        return Err(Error::Syntax {
            offset,
            reason: "the hex does not have as many octets as the length says (RFC 3597 §5)",
        });
    }
    Ok(bytes)
}
