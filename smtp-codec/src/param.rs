//! MAIL and RCPT parameters (RFC 5321 §4.1.2 `esmtp-param`), typed for the extensions this crate
//! speaks and kept as keyword and value for the others.
//!
//! | keyword | command | value | RFC |
//! |---|---|---|---|
//! | `SIZE` | MAIL | decimal octets | RFC 1870 §6 |
//! | `BODY` | MAIL | `7BIT` / `8BITMIME` / `BINARYMIME` | RFC 6152 §2, RFC 3030 §3 |
//! | `SMTPUTF8` | MAIL | none | RFC 6531 §3.4 |
//! | `AUTH` | MAIL | xtext mailbox or `<>` | RFC 4954 §5 |
//! | `RET` | MAIL | `FULL` / `HDRS` | RFC 3461 §4.3 |
//! | `ENVID` | MAIL | xtext | RFC 3461 §4.4 |
//! | `REQUIRETLS` | MAIL | none | RFC 8689 §4.1 |
//! | `MT-PRIORITY` | MAIL | -9 to 9 | RFC 6710 §3 |
//! | `NOTIFY` | RCPT | `NEVER` or a list of `SUCCESS`, `FAILURE`, `DELAY` | RFC 3461 §4.1 |
//! | `ORCPT` | RCPT | addr-type `;` xtext | RFC 3461 §4.2 |
//!
//! Keywords are case-insensitive (RFC 5321 §2.4); a known keyword decodes to its variant and is
//! written back in upper case, and so are the keyword values (`8BITMIME`, `HDRS`). Numbers are
//! written without leading zeros. Everything else round-trips byte for byte.

use std::fmt;

use crate::error::Error;
use crate::parse::chars::{folded_is, is_atext};
use crate::parse::{self, param as p};
use crate::text::Text;

/// One MAIL or RCPT parameter (RFC 5321 §4.1.2 `esmtp-param`).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Parameter {
    /// `SIZE=n`: the message size the client declares (RFC 1870 §6).
    Size(u64),
    /// `BODY=`: the body type (RFC 6152 §2, RFC 3030 §3).
    Body(Body),
    /// `SMTPUTF8`: the transaction may carry UTF-8 (RFC 6531 §3.4).
    SmtpUtf8,
    /// `AUTH=`: the authenticated submitter, xtext (`<>` for none) (RFC 4954 §5).
    Auth(XText),
    /// `RET=`: what a DSN returns (RFC 3461 §4.3).
    Ret(Ret),
    /// `ENVID=`: the envelope identifier, xtext (RFC 3461 §4.4).
    EnvId(XText),
    /// `REQUIRETLS`: the message must travel over TLS only (RFC 8689 §4.1).
    RequireTls,
    /// `MT-PRIORITY=`: the priority, -9 to 9 (RFC 6710 §3).
    MtPriority(i8),
    /// `NOTIFY=`: when to send a DSN (RFC 3461 §4.1).
    Notify(Notify),
    /// `ORCPT=addr-type;xtext`: the original recipient (RFC 3461 §4.2).
    Orcpt {
        /// `addr-type`, such as `rfc822`, as sent.
        addr_type: String,
        /// The address, xtext.
        address: XText,
    },
    /// Any other parameter, kept as sent.
    Other(OtherParameter),
}

/// `BODY=` values (RFC 6152 §2, RFC 3030 §3).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Body {
    /// `7BIT`.
    SevenBit,
    /// `8BITMIME`.
    EightBitMime,
    /// `BINARYMIME` (only with BDAT, RFC 3030 §3).
    BinaryMime,
}

/// `RET=` values (RFC 3461 §4.3).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Ret {
    /// `FULL`: the whole message.
    Full,
    /// `HDRS`: the headers only.
    Hdrs,
}

/// `NOTIFY=` values (RFC 3461 §4.1): `NEVER`, or a list of the events to report. Written back
/// in the order SUCCESS, FAILURE, DELAY.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Notify {
    /// `NEVER`.
    Never,
    /// A comma-separated list; at least one is true.
    On {
        /// `SUCCESS`.
        success: bool,
        /// `FAILURE`.
        failure: bool,
        /// `DELAY`.
        delay: bool,
    },
}

/// Text in the `xtext` encoding of RFC 3461 §4: printable ASCII but `+` and `=`, any other byte
/// as `+XX` (upper-case hex). Kept encoded, as sent.
///
/// ```
/// use smtp_codec::XText;
/// let x = XText::encode(b"a=b c");
/// assert_eq!(x.as_str(), "a+3Db+20c");
/// assert_eq!(x.decode(), b"a=b c");
/// assert!(XText::new("a+3d").is_err());
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct XText(Text);

impl XText {
    /// `encoded` checked as xtext.
    pub fn new(encoded: &str) -> Result<XText, Error> {
        match p::xtext(encoded.as_bytes()) {
            Ok(()) => Ok(XText(Text::from(encoded))),
            Err(at) => Err(Error::Syntax {
                offset: at as u64,
                production: "xtext",
                found: parse::found_at(encoded.as_bytes(), at),
                reason: "printable ASCII, + and = as +XX, RFC 3461 §4",
            }),
        }
    }

    /// Any bytes, encoded.
    pub fn encode(raw: &[u8]) -> XText {
        let mut s = String::with_capacity(raw.len());
        for &b in raw {
            if matches!(b, 33..=42 | 44..=60 | 62..=126) {
                s.push(char::from(b));
            } else {
                s.push_str(&format!("+{b:02X}"));
            }
        }
        XText(Text::from(s))
    }

    /// The encoded text.
    pub fn as_str(&self) -> &str {
        self.0.as_str()
    }

    /// The bytes it stands for.
    pub fn decode(&self) -> Vec<u8> {
        let b = self.0.as_str().as_bytes();
        let mut out = Vec::with_capacity(b.len());
        let mut i = 0;
        while let Some(&c) = b.get(i) {
            if c == b'+' {
                let hex = b
                    .get(i + 1..i + 3)
                    .and_then(|h| std::str::from_utf8(h).ok())
                    .and_then(|h| u8::from_str_radix(h, 16).ok());
                if let Some(v) = hex {
                    out.push(v);
                }
                i += 3;
            } else {
                out.push(c);
                i += 1;
            }
        }
        out
    }
}

/// A parameter this crate has no type for: `esmtp-keyword ["=" esmtp-value]` (RFC 5321 §4.1.2),
/// kept as sent. The keyword is never one of the typed ones.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct OtherParameter {
    keyword: String,
    value: Option<String>,
}

impl OtherParameter {
    /// A parameter `keyword[=value]`, checked against `esmtp-keyword` and `esmtp-value`; a
    /// keyword with its own variant in [`Parameter`] is refused.
    pub fn new(keyword: &str, value: Option<&str>) -> Result<OtherParameter, Error> {
        let kw = parse::whole(
            keyword.as_bytes(),
            0,
            "esmtp-keyword",
            "letters, digits and hyphens, RFC 5321 §4.1.2",
            p::esmtp_keyword,
        )?;
        if KNOWN.iter().any(|k| k.as_bytes().eq_ignore_ascii_case(kw)) {
            return Err(Error::Local {
                reason: "this keyword has its own Parameter variant",
            });
        }
        if let Some(v) = value {
            parse::whole(
                v.as_bytes(),
                0,
                "esmtp-value",
                "printable characters but \"=\", RFC 5321 §4.1.2",
                p::esmtp_value,
            )?;
        }
        Ok(OtherParameter {
            keyword: keyword.to_owned(),
            value: value.map(str::to_owned),
        })
    }

    /// The keyword as sent.
    pub fn keyword(&self) -> &str {
        &self.keyword
    }

    /// The value as sent, if any.
    pub fn value(&self) -> Option<&str> {
        self.value.as_deref()
    }
}

/// The keywords with their own variant.
const KNOWN: &[&str] = &[
    "SIZE",
    "BODY",
    "SMTPUTF8",
    "AUTH",
    "RET",
    "ENVID",
    "REQUIRETLS",
    "MT-PRIORITY",
    "NOTIFY",
    "ORCPT",
];

/// The keywords with their own variant, as [`Known::of`] finds them without an upper-cased copy.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Known {
    Size,
    Body,
    SmtpUtf8,
    Auth,
    Ret,
    EnvId,
    RequireTls,
    MtPriority,
    Notify,
    Orcpt,
}

impl Known {
    /// The known keyword `keyword` spells, case-insensitively (RFC 5321 §2.4): dispatched on
    /// its length, then one folded compare of constant length.
    #[inline]
    pub(crate) fn of(keyword: &[u8]) -> Option<Known> {
        // The keyword is an esmtp-keyword (letters, digits, hyphens): folded_is is exact.
        let k = match keyword.len() {
            3 if folded_is(keyword, b"RET") => Known::Ret,
            4 if folded_is(keyword, b"SIZE") => Known::Size,
            4 if folded_is(keyword, b"BODY") => Known::Body,
            4 if folded_is(keyword, b"AUTH") => Known::Auth,
            5 if folded_is(keyword, b"ENVID") => Known::EnvId,
            5 if folded_is(keyword, b"ORCPT") => Known::Orcpt,
            6 if folded_is(keyword, b"NOTIFY") => Known::Notify,
            8 if folded_is(keyword, b"SMTPUTF8") => Known::SmtpUtf8,
            10 if folded_is(keyword, b"REQUIRETLS") => Known::RequireTls,
            11 if folded_is(keyword, b"MT-PRIORITY") => Known::MtPriority,
            _ => return None,
        };
        Some(k)
    }
}

/// Where a value was refused (`None`: at the keyword), which production, which rule.
type ValueError<'a> = (Option<&'a [u8]>, &'static str, &'static str);

fn text(b: &[u8]) -> String {
    crate::parse::owned_text(b)
}

impl Parameter {
    /// The keyword, upper case for the typed ones.
    pub fn keyword(&self) -> &str {
        match self {
            Parameter::Size(_) => "SIZE",
            Parameter::Body(_) => "BODY",
            Parameter::SmtpUtf8 => "SMTPUTF8",
            Parameter::Auth(_) => "AUTH",
            Parameter::Ret(_) => "RET",
            Parameter::EnvId(_) => "ENVID",
            Parameter::RequireTls => "REQUIRETLS",
            Parameter::MtPriority(_) => "MT-PRIORITY",
            Parameter::Notify(_) => "NOTIFY",
            Parameter::Orcpt { .. } => "ORCPT",
            Parameter::Other(o) => &o.keyword,
        }
    }

    /// The value as it is written, if the parameter has one.
    pub fn value(&self) -> Option<String> {
        Some(match self {
            Parameter::Size(n) => n.to_string(),
            Parameter::Body(Body::SevenBit) => "7BIT".into(),
            Parameter::Body(Body::EightBitMime) => "8BITMIME".into(),
            Parameter::Body(Body::BinaryMime) => "BINARYMIME".into(),
            Parameter::SmtpUtf8 | Parameter::RequireTls => return None,
            Parameter::Auth(x) | Parameter::EnvId(x) => x.as_str().to_owned(),
            Parameter::Ret(Ret::Full) => "FULL".into(),
            Parameter::Ret(Ret::Hdrs) => "HDRS".into(),
            Parameter::MtPriority(n) => n.to_string(),
            Parameter::Notify(Notify::Never) => "NEVER".into(),
            Parameter::Notify(Notify::On {
                success,
                failure,
                delay,
            }) => {
                let names = [(success, "SUCCESS"), (failure, "FAILURE"), (delay, "DELAY")];
                let on: Vec<&str> = names.iter().filter(|(b, _)| **b).map(|(_, n)| *n).collect();
                on.join(",")
            }
            Parameter::Orcpt { addr_type, address } => format!("{addr_type};{}", address.0),
            Parameter::Other(o) => return o.value.clone(),
        })
    }

    /// One bit per typed keyword, 0 for [`Parameter::Other`]: a typed keyword is repeated
    /// (RFC 1869 §6) exactly when its bit is already set, with no string compare.
    #[inline]
    pub(crate) fn typed_bit(&self) -> u16 {
        match self {
            Parameter::Size(_) => 1,
            Parameter::Body(_) => 1 << 1,
            Parameter::SmtpUtf8 => 1 << 2,
            Parameter::Auth(_) => 1 << 3,
            Parameter::Ret(_) => 1 << 4,
            Parameter::EnvId(_) => 1 << 5,
            Parameter::RequireTls => 1 << 6,
            Parameter::MtPriority(_) => 1 << 7,
            Parameter::Notify(_) => 1 << 8,
            Parameter::Orcpt { .. } => 1 << 9,
            Parameter::Other(_) => 0,
        }
    }

    /// Whether it belongs on MAIL (else on RCPT); unknown ones go on either.
    pub(crate) fn allowed(&self, mail: bool) -> bool {
        match self {
            Parameter::Notify(_) | Parameter::Orcpt { .. } => !mail,
            Parameter::Other(_) => true,
            _ => mail,
        }
    }

    /// Whether the values inside are well-formed (they always are when decoded; the public
    /// variants can be built by hand).
    pub(crate) fn check(&self) -> Result<(), Error> {
        let bad = match self {
            Parameter::MtPriority(n) => !(-9..=9).contains(n),
            // esmtp-value is 1*: an empty xtext cannot be sent (RFC 5321 §4.1.2).
            Parameter::Auth(x) | Parameter::EnvId(x) => x.as_str().is_empty(),
            Parameter::Notify(Notify::On {
                success,
                failure,
                delay,
            }) => !(*success || *failure || *delay),
            Parameter::Orcpt { addr_type, .. } => {
                addr_type.is_empty() || !addr_type.bytes().all(is_atext)
            }
            _ => false,
        };
        if bad {
            return Err(Error::Local {
                reason: "parameter value outside its grammar",
            });
        }
        Ok(())
    }

    /// Appends ` keyword[=value]`.
    pub(crate) fn encode(&self, out: &mut Vec<u8>) {
        out.push(b' ');
        out.extend_from_slice(self.keyword().as_bytes());
        if let Some(v) = self.value() {
            out.push(b'=');
            out.extend_from_slice(v.as_bytes());
        }
    }

    /// The typed parameter for `keyword` with `value` (the input from the value on, and the
    /// value), allowed on MAIL (`mail`) or on RCPT.
    pub(crate) fn typed<'a>(
        keyword: &'a [u8],
        value: Option<(&'a [u8], &'a [u8])>,
        mail: bool,
    ) -> Result<Parameter, ValueError<'a>> {
        // The keyword by its length and one case-folded compare: no upper-cased copy, no scan
        // of KNOWN.
        let Some(known) = Known::of(keyword) else {
            return Ok(Parameter::Other(OtherParameter {
                keyword: text(keyword),
                value: value.map(|(_, v)| text(v)),
            }));
        };
        let param = match (known, value) {
            (Known::SmtpUtf8 | Known::RequireTls, Some((at, _))) => {
                return Err((
                    Some(at),
                    "esmtp-param",
                    "this parameter takes no value, RFC 6531 §3.4, RFC 8689 §4.1",
                ));
            }
            (Known::SmtpUtf8, None) => Parameter::SmtpUtf8,
            (Known::RequireTls, None) => Parameter::RequireTls,
            (_, None) => {
                return Err((
                    None,
                    "esmtp-param",
                    "this parameter needs a value, RFC 5321 §4.1.2",
                ));
            }
            (Known::Size, Some((at, v))) => {
                if v.len() > 20 || !v.iter().all(u8::is_ascii_digit) {
                    return Err((Some(at), "size-value", "1 to 20 digits, RFC 1870 §6"));
                }
                let n = v.iter().try_fold(0u64, |n, d| {
                    n.checked_mul(10)?.checked_add(u64::from(d - b'0'))
                });
                match n {
                    Some(n) => Parameter::Size(n),
                    None => {
                        return Err((Some(at), "size-value", "a size over 2^64-1, RFC 1870 §6"));
                    }
                }
            }
            (Known::Body, Some((at, v))) => Parameter::Body(match v {
                _ if folded_is(v, b"7BIT") => Body::SevenBit,
                _ if folded_is(v, b"8BITMIME") => Body::EightBitMime,
                _ if folded_is(v, b"BINARYMIME") => Body::BinaryMime,
                _ => {
                    return Err((
                        Some(at),
                        "body-value",
                        "7BIT, 8BITMIME or BINARYMIME, RFC 6152 §2, RFC 3030 §3",
                    ));
                }
            }),
            (Known::Ret, Some((at, v))) => Parameter::Ret(match v {
                _ if folded_is(v, b"FULL") => Ret::Full,
                _ if folded_is(v, b"HDRS") => Ret::Hdrs,
                _ => return Err((Some(at), "ret-value", "FULL or HDRS, RFC 3461 §4.3")),
            }),
            (Known::Auth | Known::EnvId, Some((at, v))) => {
                if let Err(i) = p::xtext(v) {
                    return Err((
                        at.get(i..),
                        "xtext",
                        "printable ASCII, + and = as +XX, RFC 3461 §4",
                    ));
                }
                let x = XText(Text::new(v));
                if known == Known::Auth {
                    Parameter::Auth(x)
                } else {
                    Parameter::EnvId(x)
                }
            }
            (Known::MtPriority, Some((at, v))) => match v {
                [b'0'] => Parameter::MtPriority(0),
                [d @ b'1'..=b'9'] => Parameter::MtPriority((d - b'0') as i8),
                [b'-', d @ b'1'..=b'9'] => Parameter::MtPriority(-((d - b'0') as i8)),
                _ => return Err((Some(at), "priority-value", "a number -9 to 9, RFC 6710 §3")),
            },
            (Known::Notify, Some((at, v))) => {
                if folded_is(v, b"NEVER") {
                    Parameter::Notify(Notify::Never)
                } else {
                    let (mut success, mut failure, mut delay) = (false, false, false);
                    for word in v.split(|&b| b == b',') {
                        let flag = match word {
                            _ if folded_is(word, b"SUCCESS") => &mut success,
                            _ if folded_is(word, b"FAILURE") => &mut failure,
                            _ if folded_is(word, b"DELAY") => &mut delay,
                            _ => {
                                return Err((
                                    Some(at),
                                    "notify-list",
                                    "NEVER, or SUCCESS, FAILURE and DELAY joined by commas, RFC 3461 §4.1",
                                ));
                            }
                        };
                        if *flag {
                            return Err((
                                Some(at),
                                "notify-list",
                                "a NOTIFY event listed twice, RFC 3461 §4.1",
                            ));
                        }
                        *flag = true;
                    }
                    Parameter::Notify(Notify::On {
                        success,
                        failure,
                        delay,
                    })
                }
            }
            (Known::Orcpt, Some((at, v))) => {
                let semi = v.iter().position(|&b| b == b';');
                let Some(semi) = semi.filter(|&s| s > 0) else {
                    return Err((
                        Some(at),
                        "original-recipient-address",
                        "addr-type \";\" xtext, RFC 3461 §4.2",
                    ));
                };
                let (ty, addr) = v.split_at(semi);
                let addr = addr.get(1..).unwrap_or_default();
                if let Some(i) = ty.iter().position(|&b| !is_atext(b)) {
                    return Err((at.get(i..), "addr-type", "an atom, RFC 3461 §4.2"));
                }
                if let Err(i) = p::xtext(addr) {
                    return Err((
                        at.get(semi + 1 + i..),
                        "xtext",
                        "printable ASCII, + and = as +XX, RFC 3461 §4",
                    ));
                }
                Parameter::Orcpt {
                    addr_type: text(ty),
                    address: XText(Text::new(addr)),
                }
            }
        };
        if !param.allowed(mail) {
            return Err((
                None,
                "esmtp-param",
                if mail {
                    "an RCPT parameter on MAIL, RFC 3461 §4"
                } else {
                    "a MAIL parameter on RCPT, RFC 5321 §4.1.2"
                },
            ));
        }
        Ok(param)
    }
}

impl fmt::Display for Parameter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.keyword())?;
        match self.value() {
            Some(v) => write!(f, "={v}"),
            None => Ok(()),
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn one(s: &str, mail: bool) -> Result<Parameter, &'static str> {
        parse::param::parameters(s.as_bytes(), mail)
            .map(|(_, mut v)| v.remove(0))
            .map_err(|e| match e {
                nom::Err::Error(f) | nom::Err::Failure(f) => f.production,
                nom::Err::Incomplete(_) => "incomplete",
            })
    }

    #[test]
    fn typed_values() {
        assert_eq!(one("SIZE=0", true), Ok(Parameter::Size(0)));
        assert_eq!(
            one("size=18446744073709551615", true),
            Ok(Parameter::Size(u64::MAX))
        );
        assert_eq!(one("SIZE=18446744073709551616", true), Err("size-value"));
        assert_eq!(one("SIZE=123456789012345678901", true), Err("size-value"));
        assert_eq!(one("SIZE=-1", true), Err("size-value"));
        assert_eq!(
            one("Body=8bitmime", true),
            Ok(Parameter::Body(Body::EightBitMime))
        );
        assert_eq!(
            one("BODY=BINARYMIME", true),
            Ok(Parameter::Body(Body::BinaryMime))
        );
        assert_eq!(one("BODY=9BIT", true), Err("body-value"));
        assert_eq!(one("SMTPUTF8", true), Ok(Parameter::SmtpUtf8));
        assert_eq!(one("SMTPUTF8=yes", true), Err("esmtp-param"));
        assert_eq!(one("REQUIRETLS", true), Ok(Parameter::RequireTls));
        assert_eq!(
            one("AUTH=<>", true),
            Ok(Parameter::Auth(XText::new("<>").unwrap()))
        );
        assert_eq!(
            one("AUTH=e+3Dmc2@example.com", true)
                .unwrap()
                .value()
                .unwrap(),
            "e+3Dmc2@example.com"
        );
        assert_eq!(one("AUTH=a+3d", true), Err("xtext"));
        assert_eq!(one("RET=hdrs", true), Ok(Parameter::Ret(Ret::Hdrs)));
        assert_eq!(
            one("ENVID=QQ314159", true),
            Ok(Parameter::EnvId(XText::new("QQ314159").unwrap()))
        );
        assert_eq!(one("MT-PRIORITY=-9", true), Ok(Parameter::MtPriority(-9)));
        assert_eq!(one("MT-PRIORITY=10", true), Err("priority-value"));
        assert_eq!(one("MT-PRIORITY=+1", true), Err("priority-value"));
        assert_eq!(
            one("NOTIFY=SUCCESS,FAILURE", false),
            Ok(Parameter::Notify(Notify::On {
                success: true,
                failure: true,
                delay: false
            }))
        );
        assert_eq!(
            one("NOTIFY=never", false),
            Ok(Parameter::Notify(Notify::Never))
        );
        assert_eq!(one("NOTIFY=NEVER,DELAY", false), Err("notify-list"));
        assert_eq!(one("NOTIFY=DELAY,DELAY", false), Err("notify-list"));
        assert_eq!(one("NOTIFY=", false), Err("esmtp-value"));
        assert_eq!(
            one("ORCPT=rfc822;Bob@Example.COM", false),
            Ok(Parameter::Orcpt {
                addr_type: "rfc822".into(),
                address: XText::new("Bob@Example.COM").unwrap()
            })
        );
        assert_eq!(one("ORCPT=;a", false), Err("original-recipient-address"));
        assert_eq!(
            one("ORCPT=rfc822", false),
            Err("original-recipient-address")
        );
        assert_eq!(one("ORCPT=rfc822;a+zz", false), Err("xtext"));
        assert_eq!(one("ENVID", true), Err("esmtp-param"));
        let other = one("X-Thing=a<b>", true).unwrap();
        assert_eq!(other.to_string(), "X-Thing=a<b>");
    }

    /// The length-and-fold dispatch finds exactly the keywords of KNOWN, in any case.
    #[test]
    fn known_is_the_table() {
        for k in KNOWN {
            assert!(Known::of(k.as_bytes()).is_some(), "{k}");
            assert!(
                Known::of(k.to_ascii_lowercase().as_bytes()).is_some(),
                "{k}"
            );
            let mut longer = k.to_string();
            longer.push('X');
            assert_eq!(Known::of(longer.as_bytes()), None, "{k}");
            assert_eq!(Known::of(&k.as_bytes()[1..]), None, "{k}");
        }
        for other in ["X-A", "SIZ", "SIZF", "BODYX", "ORCPS", "MT_PRIORITY", ""] {
            assert_eq!(Known::of(other.as_bytes()), None, "{other}");
        }
        let bits: std::collections::HashSet<u16> = [
            Parameter::Size(0),
            Parameter::Body(Body::SevenBit),
            Parameter::SmtpUtf8,
            Parameter::Auth(XText::new("a").unwrap()),
            Parameter::Ret(Ret::Full),
            Parameter::EnvId(XText::new("a").unwrap()),
            Parameter::RequireTls,
            Parameter::MtPriority(0),
            Parameter::Notify(Notify::Never),
            Parameter::Orcpt {
                addr_type: "rfc822".into(),
                address: XText::new("a").unwrap(),
            },
        ]
        .iter()
        .map(Parameter::typed_bit)
        .collect();
        assert_eq!(bits.len(), KNOWN.len());
        assert!(!bits.contains(&0));
    }

    #[test]
    fn others_are_checked() {
        assert!(OtherParameter::new("X-A", Some("1")).is_ok());
        assert!(OtherParameter::new("X-A", None).is_ok());
        assert!(OtherParameter::new("size", Some("1")).is_err());
        assert!(OtherParameter::new("X A", None).is_err());
        assert!(OtherParameter::new("X", Some("a\r\nRSET")).is_err());
        assert!(OtherParameter::new("X", Some("")).is_err());
        assert!(OtherParameter::new("X", Some("a=b")).is_err());
    }

    #[test]
    fn xtext_roundtrip() {
        let raw: Vec<u8> = (0..=255).collect();
        let x = XText::encode(&raw);
        assert!(XText::new(x.as_str()).is_ok());
        assert_eq!(x.decode(), raw);
    }
}
