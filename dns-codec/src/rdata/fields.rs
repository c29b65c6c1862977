//! Fields shared by the rdata of several types, on the wire and in presentation format:
//! names that may not be compressed (RFC 3597 §4), `<character-string>`s (RFC 1035 §3.3 and
//! §5.1), hex (RFC 4034 §5.3 and others), base64 (RFC 4648 §4, RFC 4034 §2.2) and base32hex
//! without padding (RFC 4648 §7, RFC 5155 §3.3).

use std::fmt;

use base64::Engine as _;
use bytes::Bytes;

use crate::cursor::Cursor;
use crate::error::Error;
use crate::name::Name;
use crate::presentation::Token;
use crate::rtype::RType;

/// Reads a name that RFC 3597 §4 forbids to compress (every type newer than RFC 1035): a
/// compression pointer in it is [`Error::BadRdata`] at the pointer's offset. SRV and NAPTR are
/// the exception RFC 3597 §4 makes: a receiver SHOULD decompress them, and does unless
/// [`crate::Leniency::strict`] says otherwise.
pub(crate) fn uncompressed_name(c: &mut Cursor<'_>, rtype: RType) -> Result<Name, Error> {
    if matches!(rtype, RType::SRV | RType::NAPTR) && c.leniency.compressed_srv_naptr_names() {
        return Name::decode(c);
    }
    let msg = c.msg();
    let mut pos = c.pos();
    // Scan the labels up to the root or a pointer; `Name::decode` reports every other fault.
    while let Some(&len) = msg.get(pos) {
        if len == 0 || len & 0xC0 == 0x40 || len & 0xC0 == 0x80 {
            break;
        }
        if len & 0xC0 == 0xC0 {
            return Err(Error::BadRdata {
                offset: pos as u64,
                rtype,
                reason: "compression pointer in a name of a type RFC 3597 §4 forbids to compress",
            });
        }
        pos += 1 + usize::from(len);
    }
    Name::decode(c)
}

/// Reads one `<character-string>`: a length octet and that many octets (RFC 1035 §3.3).
pub(crate) fn character_string(c: &mut Cursor<'_>, inside: &'static str) -> Result<Bytes, Error> {
    let len = c.u8(inside)?;
    Ok(Bytes::copy_from_slice(c.bytes(usize::from(len), inside)?))
}

/// Appends one `<character-string>`; over 255 octets is [`Error::Unencodable`].
pub(crate) fn put_character_string(msg: &mut Vec<u8>, s: &[u8]) -> Result<(), Error> {
    let Ok(len) = u8::try_from(s.len()) else {
        return Err(Error::Unencodable {
            offset: msg.len() as u64,
            reason: "character-string over 255 octets (RFC 1035 §3.3)",
        });
    };
    msg.push(len);
    msg.extend_from_slice(s);
    Ok(())
}

/// Writes `s` as a quoted string: `"` and `\` escaped with a backslash, octets outside
/// printable ASCII as `\DDD` (RFC 1035 §5.1).
pub(crate) fn fmt_quoted(f: &mut fmt::Formatter<'_>, s: &[u8]) -> fmt::Result {
    f.write_str("\"")?;
    fmt_escaped(f, s)?;
    f.write_str("\"")
}

/// The inside of [`fmt_quoted`], without the quotes.
pub(crate) fn fmt_escaped(f: &mut fmt::Formatter<'_>, s: &[u8]) -> fmt::Result {
    for &b in s {
        match b {
            b'"' | b'\\' => write!(f, "\\{}", char::from(b))?,
            0x20..=0x7E => write!(f, "{}", char::from(b))?,
            _ => write!(f, "\\{b:03}")?,
        }
    }
    Ok(())
}

/// The next token, which must exist; `what` names the field for the error.
pub(crate) fn next<'a, 't>(
    rest: &mut impl Iterator<Item = &'a Token<'t>>,
    what: &'static str,
) -> Result<&'a Token<'t>, Error>
where
    't: 'a,
{
    rest.next().ok_or(Error::Syntax {
        offset: 0,
        reason: what,
    })
}

/// The next token as a `<character-string>` of at most 255 octets, quoted or not.
pub(crate) fn parse_character_string<'a, 't: 'a>(
    rest: &mut impl Iterator<Item = &'a Token<'t>>,
) -> Result<Bytes, Error> {
    let token = next(rest, "missing character-string")?;
    let bytes = token.bytes()?;
    if bytes.len() > 255 {
        return Err(token.error("character-string over 255 octets (RFC 1035 §3.3)"));
    }
    Ok(Bytes::from(bytes))
}

/// The next token as a type mnemonic or `TYPEnnn` (RFC 3597 §5).
pub(crate) fn parse_rtype<'a, 't: 'a>(
    rest: &mut impl Iterator<Item = &'a Token<'t>>,
) -> Result<RType, Error> {
    let token = next(rest, "missing type")?;
    if token.quoted {
        return Err(token.error("a type is not quoted"));
    }
    token
        .raw
        .parse()
        .map_err(|_| token.error("unknown type mnemonic (RFC 3597 §5: write TYPE and the number)"))
}

/// Uppercase hex in one word, as dig prints digests and fingerprints.
pub(crate) fn fmt_hex(f: &mut fmt::Formatter<'_>, bytes: &[u8]) -> fmt::Result {
    for b in bytes {
        write!(f, "{b:02X}")?;
    }
    Ok(())
}

/// The octets of one word of hex digits (either case, an even number of them).
pub(crate) fn hex_word(token: &Token<'_>) -> Result<Vec<u8>, Error> {
    if token.quoted {
        return Err(token.error("hex digits are not quoted"));
    }
    let digits = token.raw.as_bytes();
    if digits.len() % 2 != 0 {
        return Err(token.error("odd number of hex digits"));
    }
    let mut out = Vec::with_capacity(digits.len() / 2);
    for (i, pair) in digits.chunks(2).enumerate() {
        let value = |d: &u8| char::from(*d).to_digit(16);
        match (pair.first().and_then(value), pair.get(1).and_then(value)) {
            (Some(h), Some(l)) => out.push((h * 16 + l) as u8),
            _ => {
                return Err(Error::Syntax {
                    offset: (token.offset + 2 * i) as u64,
                    reason: "not a hex digit",
                });
            }
        }
    }
    Ok(out)
}

/// All the remaining tokens as hex, concatenated before decoding (zone files split digests
/// into words, even between the two digits of an octet: RFC 4034 §5.4); none is an empty field.
pub(crate) fn parse_hex_rest<'a, 't: 'a>(
    rest: &mut impl Iterator<Item = &'a Token<'t>>,
) -> Result<Bytes, Error> {
    let mut out = Vec::new();
    let mut high: Option<u32> = None;
    let mut last = None;
    for token in rest {
        if token.quoted {
            return Err(token.error("hex digits are not quoted"));
        }
        for (i, d) in token.raw.bytes().enumerate() {
            let Some(v) = char::from(d).to_digit(16) else {
                return Err(Error::Syntax {
                    offset: (token.offset + i) as u64,
                    reason: "not a hex digit",
                });
            };
            match high.take() {
                Some(h) => out.push((h * 16 + v) as u8),
                None => high = Some(v),
            }
        }
        last = Some(token);
    }
    if high.is_some() {
        return Err(Error::Syntax {
            offset: last.map_or(0, |t| t.offset) as u64,
            reason: "odd number of hex digits",
        });
    }
    Ok(Bytes::from(out))
}

/// Base64 with padding in one word (RFC 4648 §4), as RFC 4034 §2.2 writes keys and signatures.
pub(crate) fn fmt_base64(f: &mut fmt::Formatter<'_>, bytes: &[u8]) -> fmt::Result {
    f.write_str(&base64::engine::general_purpose::STANDARD.encode(bytes))
}

/// All the remaining tokens as base64, concatenated (zone files split keys into words); none is
/// an empty field. Padding and canonical trailing bits are required (RFC 4648 §3.5).
pub(crate) fn parse_base64_rest<'a, 't: 'a>(
    rest: &mut impl Iterator<Item = &'a Token<'t>>,
) -> Result<Bytes, Error> {
    let mut text = String::new();
    // (where each token starts in `text`, its offset in the rdata text)
    let mut starts = Vec::new();
    for token in rest {
        if token.quoted {
            return Err(token.error("base64 is not quoted"));
        }
        starts.push((text.len(), token.offset));
        text.push_str(token.raw);
    }
    base64_word(&text, 0).map_err(|e| match e {
        Error::Syntax { offset, reason } => {
            let at = offset as usize;
            let (start, token_offset) = starts
                .iter()
                .rev()
                .find(|(start, _)| *start <= at)
                .copied()
                .unwrap_or_default();
            Error::Syntax {
                offset: (token_offset + at - start) as u64,
                reason,
            }
        }
        other => other,
    })
}

/// The octets of base64 text `text` found at `offset`.
pub(crate) fn base64_word(text: &str, offset: usize) -> Result<Bytes, Error> {
    base64::engine::general_purpose::STANDARD
        .decode(text)
        .map(Bytes::from)
        .map_err(|e| Error::Syntax {
            offset: match e {
                base64::DecodeError::InvalidByte(at, _)
                | base64::DecodeError::InvalidLastSymbol { offset: at, .. } => (offset + at) as u64,
                _ => offset as u64,
            },
            reason: "not base64 with padding (RFC 4648 §4)",
        })
}

/// The base32hex alphabet (RFC 4648 §7), as dig prints it.
const BASE32HEX: &[u8; 32] = b"0123456789ABCDEFGHIJKLMNOPQRSTUV";

/// Base32hex without padding (RFC 4648 §7, RFC 5155 §3.3), uppercase as dig prints it.
pub(crate) fn fmt_base32hex(f: &mut fmt::Formatter<'_>, bytes: &[u8]) -> fmt::Result {
    let mut acc: u16 = 0;
    let mut bits = 0u32;
    let mut digit = |v: u16| -> fmt::Result {
        let c = BASE32HEX.get(usize::from(v & 31)).copied().unwrap_or(b'?');
        write!(f, "{}", char::from(c))
    };
    for &b in bytes {
        acc = (acc << 8) | u16::from(b);
        bits += 8;
        while bits >= 5 {
            bits -= 5;
            digit(acc >> bits)?;
        }
        acc &= (1 << bits) - 1;
    }
    if bits > 0 {
        digit(acc << (5 - bits))?;
    }
    Ok(())
}

/// The octets of unpadded base32hex in either case (RFC 4648 §7, RFC 5155 §3.3). The digit
/// count must be one an encoding can produce and the unused low bits of the last digit zero,
/// so every accepted text is the one [`fmt_base32hex`] writes (up to case).
pub(crate) fn base32hex_word(token: &Token<'_>) -> Result<Vec<u8>, Error> {
    if token.quoted {
        return Err(token.error("base32hex is not quoted"));
    }
    let digits = token.raw.as_bytes();
    if matches!(digits.len() % 8, 1 | 3 | 6) {
        return Err(token.error("base32hex of an impossible length (RFC 4648 §7)"));
    }
    let mut out = Vec::with_capacity(digits.len() * 5 / 8);
    let mut acc: u16 = 0;
    let mut bits = 0u32;
    for (i, &d) in digits.iter().enumerate() {
        let v = match d {
            b'0'..=b'9' => d - b'0',
            b'A'..=b'V' => d - b'A' + 10,
            b'a'..=b'v' => d - b'a' + 10,
            _ => {
                return Err(Error::Syntax {
                    offset: (token.offset + i) as u64,
                    reason: "not a base32hex digit (RFC 4648 §7)",
                });
            }
        };
        acc = (acc << 5) | u16::from(v);
        bits += 5;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
            acc &= (1 << bits) - 1;
        }
    }
    if acc != 0 {
        return Err(Error::Syntax {
            offset: (token.offset + digits.len().saturating_sub(1)) as u64,
            reason: "base32hex with non-zero padding bits (RFC 4648 §3.5)",
        });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::presentation::tokens;

    struct Show<F: Fn(&mut fmt::Formatter<'_>) -> fmt::Result>(F);
    impl<F: Fn(&mut fmt::Formatter<'_>) -> fmt::Result> fmt::Display for Show<F> {
        fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            (self.0)(f)
        }
    }

    fn b32(text: &str) -> Result<Vec<u8>, Error> {
        base32hex_word(&tokens(text).unwrap()[0])
    }

    #[test]
    fn base32hex_rfc4648_vectors() {
        // RFC 4648 §10, without the padding RFC 5155 §3.3 leaves out.
        for (plain, coded) in [
            ("f", "CO"),
            ("fo", "CPNG"),
            ("foo", "CPNMU"),
            ("foob", "CPNMUOG"),
            ("fooba", "CPNMUOJ1"),
            ("foobar", "CPNMUOJ1E8"),
        ] {
            let shown = Show(|f| fmt_base32hex(f, plain.as_bytes())).to_string();
            assert_eq!(shown, coded);
            assert_eq!(b32(coded).unwrap(), plain.as_bytes());
            assert_eq!(b32(&coded.to_lowercase()).unwrap(), plain.as_bytes());
        }
        assert_eq!(
            b32("C"),
            Err(Error::Syntax {
                offset: 0,
                reason: "base32hex of an impossible length (RFC 4648 §7)"
            })
        );
        assert_eq!(
            b32("CPW"),
            Err(Error::Syntax {
                offset: 0,
                reason: "base32hex of an impossible length (RFC 4648 §7)"
            })
        );
        assert_eq!(
            b32("CPNW"),
            Err(Error::Syntax {
                offset: 3,
                reason: "not a base32hex digit (RFC 4648 §7)"
            })
        );
        assert_eq!(
            b32("CP"),
            Err(Error::Syntax {
                offset: 1,
                reason: "base32hex with non-zero padding bits (RFC 4648 §3.5)"
            })
        );
    }

    #[test]
    fn base64_and_hex() {
        assert_eq!(base64_word("Zm9vYg==", 5).unwrap(), &b"foob"[..]);
        assert_eq!(
            base64_word("Zm9v!g==", 5),
            Err(Error::Syntax {
                offset: 9,
                reason: "not base64 with padding (RFC 4648 §4)"
            })
        );
        assert!(base64_word("Zm9vYg", 0).is_err());
        assert!(base64_word("Zm9vYh==", 0).is_err());
        let t = tokens("0aFf 0g").unwrap();
        assert_eq!(hex_word(&t[0]).unwrap(), b"\x0a\xff");
        assert_eq!(
            hex_word(&t[1]),
            Err(Error::Syntax {
                offset: 5,
                reason: "not a hex digit"
            })
        );
    }
}
