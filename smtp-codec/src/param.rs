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

use std::collections::HashSet;
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
        xtext_decode(self.0.as_bytes())
    }
}

/// The bytes checked xtext `b` stands for (RFC 3461 §4).
fn xtext_decode(b: &[u8]) -> Vec<u8> {
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

/// Text in the `xtext` encoding of RFC 3461 §4, checked in place: the borrowed form of
/// [`XText`], kept encoded, as sent.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct XTextRef<'a>(
    /// The checked octets (printable ASCII), read as `&str` on demand by [`XTextRef::as_str`].
    &'a [u8],
);

impl<'a> XTextRef<'a> {
    /// The encoded text.
    pub fn as_str(&self) -> &'a str {
        // xtext is printable ASCII (checked when parsed), so this never falls back.
        std::str::from_utf8(self.0).unwrap_or_default()
    }

    /// The bytes it stands for.
    pub fn decode(&self) -> Vec<u8> {
        xtext_decode(self.0)
    }

    /// The owned [`XText`].
    pub fn to_xtext(&self) -> XText {
        XText(Text::new(self.0))
    }
}

/// As the text's `Debug` (quoted), like [`XText`]'s.
impl fmt::Debug for XTextRef<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.as_str(), f)
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
    #[inline(always)]
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

/// Bytes a grammar has checked (ASCII and whole UTF-8 characters only) as `&str`; should a
/// grammar ever let a broken character through, the value (from `at`) is refused rather than
/// read wrongly.
fn str_of<'a>(b: &'a [u8], at: &'a [u8]) -> Result<&'a str, ValueError<'a>> {
    std::str::from_utf8(b).map_err(|_| {
        (
            Some(at),
            "esmtp-value",
            "whole UTF-8 characters, RFC 6531 §3.3",
        )
    })
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
}

/// One MAIL or RCPT parameter (RFC 5321 §4.1.2 `esmtp-param`) checked in place: the borrowed
/// form of [`Parameter`], as [`crate::CommandRef`] holds it. Typed exactly as [`Parameter`];
/// the values that [`Parameter`] owns are slices of the line here.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ParameterRef<'a> {
    /// `SIZE=n`: the message size the client declares (RFC 1870 §6).
    Size(u64),
    /// `BODY=`: the body type (RFC 6152 §2, RFC 3030 §3).
    Body(Body),
    /// `SMTPUTF8`: the transaction may carry UTF-8 (RFC 6531 §3.4).
    SmtpUtf8,
    /// `AUTH=`: the authenticated submitter, xtext (`<>` for none) (RFC 4954 §5).
    Auth(XTextRef<'a>),
    /// `RET=`: what a DSN returns (RFC 3461 §4.3).
    Ret(Ret),
    /// `ENVID=`: the envelope identifier, xtext (RFC 3461 §4.4).
    EnvId(XTextRef<'a>),
    /// `REQUIRETLS`: the message must travel over TLS only (RFC 8689 §4.1).
    RequireTls,
    /// `MT-PRIORITY=`: the priority, -9 to 9 (RFC 6710 §3).
    MtPriority(i8),
    /// `NOTIFY=`: when to send a DSN (RFC 3461 §4.1).
    Notify(Notify),
    /// `ORCPT=addr-type;xtext`: the original recipient (RFC 3461 §4.2).
    Orcpt {
        /// `addr-type`, such as `rfc822`, as sent.
        addr_type: &'a str,
        /// The address, xtext.
        address: XTextRef<'a>,
    },
    /// Any other parameter, `esmtp-keyword ["=" esmtp-value]`, as sent. The keyword is never
    /// one of the typed ones.
    Other {
        /// The keyword as sent.
        keyword: &'a str,
        /// The value as sent, if any.
        value: Option<&'a str>,
    },
}

impl<'a> ParameterRef<'a> {
    /// The owned [`Parameter`].
    #[inline(always)]
    pub fn to_parameter(&self) -> Parameter {
        match *self {
            ParameterRef::Size(n) => Parameter::Size(n),
            ParameterRef::Body(b) => Parameter::Body(b),
            ParameterRef::SmtpUtf8 => Parameter::SmtpUtf8,
            ParameterRef::Auth(x) => Parameter::Auth(x.to_xtext()),
            ParameterRef::Ret(r) => Parameter::Ret(r),
            ParameterRef::EnvId(x) => Parameter::EnvId(x.to_xtext()),
            ParameterRef::RequireTls => Parameter::RequireTls,
            ParameterRef::MtPriority(n) => Parameter::MtPriority(n),
            ParameterRef::Notify(n) => Parameter::Notify(n),
            ParameterRef::Orcpt { addr_type, address } => Parameter::Orcpt {
                addr_type: addr_type.to_owned(),
                address: address.to_xtext(),
            },
            ParameterRef::Other { keyword, value } => Parameter::Other(OtherParameter {
                keyword: keyword.to_owned(),
                value: value.map(str::to_owned),
            }),
        }
    }

    /// One bit per typed keyword, 0 for [`ParameterRef::Other`]: a typed keyword is repeated
    /// (RFC 1869 §6) exactly when its bit is already set, with no string compare.
    #[inline]
    pub(crate) fn typed_bit(&self) -> u16 {
        match self {
            ParameterRef::Size(_) => 1,
            ParameterRef::Body(_) => 1 << 1,
            ParameterRef::SmtpUtf8 => 1 << 2,
            ParameterRef::Auth(_) => 1 << 3,
            ParameterRef::Ret(_) => 1 << 4,
            ParameterRef::EnvId(_) => 1 << 5,
            ParameterRef::RequireTls => 1 << 6,
            ParameterRef::MtPriority(_) => 1 << 7,
            ParameterRef::Notify(_) => 1 << 8,
            ParameterRef::Orcpt { .. } => 1 << 9,
            ParameterRef::Other { .. } => 0,
        }
    }

    /// The keyword of [`ParameterRef::Other`] (the typed ones are told apart by
    /// [`ParameterRef::typed_bit`]).
    pub(crate) fn other_keyword(&self) -> Option<&'a str> {
        match self {
            ParameterRef::Other { keyword, .. } => Some(keyword),
            _ => None,
        }
    }

    /// Whether it belongs on MAIL (else on RCPT); unknown ones go on either.
    fn allowed(&self, mail: bool) -> bool {
        match self {
            ParameterRef::Notify(_) | ParameterRef::Orcpt { .. } => !mail,
            ParameterRef::Other { .. } => true,
            _ => mail,
        }
    }

    /// The typed parameter for `keyword` with `value` (the input from the value on, and the
    /// value), allowed on MAIL (`mail`) or on RCPT.
    // Inlined into both forms of the parameter parser, as when there was one (measured).
    #[inline(always)]
    pub(crate) fn typed(
        keyword: &'a [u8],
        value: Option<(&'a [u8], &'a [u8])>,
        mail: bool,
    ) -> Result<ParameterRef<'a>, ValueError<'a>> {
        // The keyword by its length and one case-folded compare: no upper-cased copy, no scan
        // of KNOWN.
        let Some(known) = Known::of(keyword) else {
            return Ok(ParameterRef::Other {
                keyword: str_of(keyword, keyword)?,
                value: match value {
                    Some((at, v)) => Some(str_of(v, at)?),
                    None => None,
                },
            });
        };
        let param = match (known, value) {
            (Known::SmtpUtf8 | Known::RequireTls, Some((at, _))) => {
                return Err((
                    Some(at),
                    "esmtp-param",
                    "this parameter takes no value, RFC 6531 §3.4, RFC 8689 §4.1",
                ));
            }
            (Known::SmtpUtf8, None) => ParameterRef::SmtpUtf8,
            (Known::RequireTls, None) => ParameterRef::RequireTls,
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
                    Some(n) => ParameterRef::Size(n),
                    None => {
                        return Err((Some(at), "size-value", "a size over 2^64-1, RFC 1870 §6"));
                    }
                }
            }
            (Known::Body, Some((at, v))) => ParameterRef::Body(match v {
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
            (Known::Ret, Some((at, v))) => ParameterRef::Ret(match v {
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
                let x = XTextRef(v);
                if known == Known::Auth {
                    ParameterRef::Auth(x)
                } else {
                    ParameterRef::EnvId(x)
                }
            }
            (Known::MtPriority, Some((at, v))) => match v {
                [b'0'] => ParameterRef::MtPriority(0),
                [d @ b'1'..=b'9'] => ParameterRef::MtPriority((d - b'0') as i8),
                [b'-', d @ b'1'..=b'9'] => ParameterRef::MtPriority(-((d - b'0') as i8)),
                _ => return Err((Some(at), "priority-value", "a number -9 to 9, RFC 6710 §3")),
            },
            (Known::Notify, Some((at, v))) => {
                if folded_is(v, b"NEVER") {
                    ParameterRef::Notify(Notify::Never)
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
                    ParameterRef::Notify(Notify::On {
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
                ParameterRef::Orcpt {
                    addr_type: str_of(ty, at)?,
                    address: XTextRef(addr),
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

/// Where the parser puts the parameters of one MAIL or RCPT line as it reads them: in place
/// ([`ParamsRef`], for [`crate::CommandRef`]) or owned (`Vec<Parameter>`, for
/// [`crate::Command`]), so that neither form is built from the other.
pub(crate) trait ParamSink<'a>: Default {
    /// An empty one about to take parameters.
    fn with_room() -> Self;
    /// Appends `p` (the parser has checked it is not a repeat).
    fn put(&mut self, p: ParameterRef<'a>);
    /// Whether an unknown parameter with this keyword (any letter case) is in.
    fn has_other(&self, keyword: &str) -> bool;
    /// The keywords of the unknown parameters in, upper-cased.
    fn others_upper(&self) -> HashSet<String>;
    /// Whether `SMTPUTF8` is in (RFC 6531 §3.4).
    fn has_smtputf8(&self) -> bool;
}

impl<'a> ParamSink<'a> for ParamsRef<'a> {
    fn with_room() -> Self {
        ParamsRef::default()
    }

    #[inline]
    fn put(&mut self, p: ParameterRef<'a>) {
        self.push(p);
    }

    fn has_other(&self, keyword: &str) -> bool {
        self.iter()
            .filter_map(ParameterRef::other_keyword)
            .any(|q| q.eq_ignore_ascii_case(keyword))
    }

    fn others_upper(&self) -> HashSet<String> {
        self.iter()
            .filter_map(ParameterRef::other_keyword)
            .map(str::to_ascii_uppercase)
            .collect()
    }

    fn has_smtputf8(&self) -> bool {
        self.contains(&ParameterRef::SmtpUtf8)
    }
}

impl<'a> ParamSink<'a> for Vec<Parameter> {
    /// Room for four at once: what the first push would allocate anyway, without the growth
    /// path, and enough for every real MAIL or RCPT.
    fn with_room() -> Self {
        Vec::with_capacity(4)
    }

    #[inline]
    fn put(&mut self, p: ParameterRef<'a>) {
        self.push(p.to_parameter());
    }

    fn has_other(&self, keyword: &str) -> bool {
        self.iter().any(|q| match q {
            Parameter::Other(o) => o.keyword.eq_ignore_ascii_case(keyword),
            _ => false,
        })
    }

    fn others_upper(&self) -> HashSet<String> {
        self.iter()
            .filter_map(|q| match q {
                Parameter::Other(o) => Some(o.keyword.to_ascii_uppercase()),
                _ => None,
            })
            .collect()
    }

    fn has_smtputf8(&self) -> bool {
        self.contains(&Parameter::SmtpUtf8)
    }
}

/// Parameters kept in place before the rest go to a `Vec`: every real MAIL or RCPT has at most
/// four, so parsing one allocates nothing.
const INLINE_PARAMS: usize = 4;

/// The parameters of a MAIL or RCPT line (RFC 5321 §4.1.2), in order, no keyword twice: the
/// borrowed form of `Vec<Parameter>`, as [`crate::CommandRef`] holds it. Up to four in place
/// (no allocation), the rest in a `Vec`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub struct ParamsRef<'a> {
    /// The first parameters, `None` past the last.
    inline: [Option<ParameterRef<'a>>; INLINE_PARAMS],
    /// The parameters after the first [`INLINE_PARAMS`].
    more: Vec<ParameterRef<'a>>,
    /// How many there are, in both.
    len: usize,
}

impl<'a> ParamsRef<'a> {
    /// Appends `p` (the parser has checked it is not a repeat).
    #[inline]
    pub(crate) fn push(&mut self, p: ParameterRef<'a>) {
        match self.inline.get_mut(self.len) {
            Some(slot) => *slot = Some(p),
            None => self.more.push(p),
        }
        self.len += 1;
    }

    /// How many there are.
    pub fn len(&self) -> usize {
        self.len
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// The parameters, in the order sent.
    pub fn iter(&self) -> impl Iterator<Item = &ParameterRef<'a>> + '_ {
        self.inline.iter().flatten().chain(self.more.iter())
    }

    /// Whether `p` is one of them.
    pub fn contains(&self, p: &ParameterRef<'_>) -> bool {
        self.iter().any(|q| q == p)
    }

    /// The owned parameters, as [`crate::Command`] holds them.
    pub fn to_parameters(&self) -> Vec<Parameter> {
        let mut out = Vec::with_capacity(self.len);
        // Two plain loops: the chained, flattened iterator of `iter` costs more per item.
        for p in self.inline.iter().flatten() {
            out.push(p.to_parameter());
        }
        for p in &self.more {
            out.push(p.to_parameter());
        }
        out
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
        // Both forms of the parser give the same answer.
        let owned = parse::param::parameters::<Vec<Parameter>>(s.as_bytes(), mail);
        let borrowed = parse::param::parameters::<ParamsRef<'_>>(s.as_bytes(), mail);
        assert_eq!(
            borrowed.map(|(r, v)| (r, v.to_parameters())),
            owned.clone(),
            "{s}"
        );
        owned.map(|(_, mut v)| v.remove(0)).map_err(|e| match e {
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
            ParameterRef::Size(0),
            ParameterRef::Body(Body::SevenBit),
            ParameterRef::SmtpUtf8,
            ParameterRef::Auth(XTextRef(b"a")),
            ParameterRef::Ret(Ret::Full),
            ParameterRef::EnvId(XTextRef(b"a")),
            ParameterRef::RequireTls,
            ParameterRef::MtPriority(0),
            ParameterRef::Notify(Notify::Never),
            ParameterRef::Orcpt {
                addr_type: "rfc822",
                address: XTextRef(b"a"),
            },
        ]
        .iter()
        .map(ParameterRef::typed_bit)
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
