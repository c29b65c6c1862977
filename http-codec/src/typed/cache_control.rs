//! Cache-Control, RFC 9111 §5.2.
//!
//! ```text
//! Cache-Control   = #cache-directive
//! cache-directive = token [ "=" ( token / quoted-string ) ]
//! delta-seconds   = 1*DIGIT                                  ; RFC 9111 §1.2.2
//! ```
//!
//! Directive names are case-insensitive (RFC 9111 §5.2). The directives RFC 9111 and its
//! companions define are checked at decode: an argument where none is defined, a missing or
//! non-numeric delta-seconds, a field-name list that is not a list of tokens are all errors.
//! Unknown directives are kept with whatever argument they carry (RFC 9111 §5.2.3: caches
//! ignore what they do not understand). RFC 9111 §5.2 asks recipients to accept both argument
//! forms, so `max-age="5"` decodes like `max-age=5`.

use std::fmt;

use super::list::elements1;
use super::rules::{token, token_or_quoted, write_quoted, write_token_or_quoted};
use super::{TypedError, syntax};

/// One `cache-directive` (RFC 9111 §5.2): its name as received and its argument, unescaped.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Directive {
    /// The directive name, a token, case as received.
    pub name: String,
    /// The argument, if there was an `=`; a quoted-string's quotes and escapes are removed.
    pub value: Option<String>,
}

/// A Cache-Control field value (RFC 9111 §5.2): directives in order, duplicates kept.
///
/// The typed accessors read the first directive of a name: RFC 9111 §4.2.1 lets a cache use the
/// first occurrence of a duplicated directive (or treat the response as stale; that choice is
/// the caller's, see [`get_all`](Self::get_all)).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CacheControl {
    /// The directives, in field order.
    pub directives: Vec<Directive>,
}

/// What argument a known directive takes.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Arg {
    None,
    DeltaSeconds,
    OptionalDeltaSeconds,
    OptionalFieldNames,
}

fn known(name: &str) -> Option<Arg> {
    const TABLE: [(&str, Arg); 16] = [
        ("max-age", Arg::DeltaSeconds), // RFC 9111 §5.2.1.1, §5.2.2.1
        ("max-stale", Arg::OptionalDeltaSeconds), // RFC 9111 §5.2.1.2
        ("min-fresh", Arg::DeltaSeconds), // RFC 9111 §5.2.1.3
        ("no-cache", Arg::OptionalFieldNames), // RFC 9111 §5.2.1.4, §5.2.2.4
        ("no-store", Arg::None),        // RFC 9111 §5.2.1.5, §5.2.2.5
        ("no-transform", Arg::None),    // RFC 9111 §5.2.1.6, §5.2.2.6
        ("only-if-cached", Arg::None),  // RFC 9111 §5.2.1.7
        ("must-revalidate", Arg::None), // RFC 9111 §5.2.2.2
        ("must-understand", Arg::None), // RFC 9111 §5.2.2.3
        ("private", Arg::OptionalFieldNames), // RFC 9111 §5.2.2.7
        ("proxy-revalidate", Arg::None), // RFC 9111 §5.2.2.8
        ("public", Arg::None),          // RFC 9111 §5.2.2.9
        ("s-maxage", Arg::DeltaSeconds), // RFC 9111 §5.2.2.10
        ("immutable", Arg::None),       // RFC 8246 §2
        ("stale-while-revalidate", Arg::DeltaSeconds), // RFC 5861 §3
        ("stale-if-error", Arg::DeltaSeconds), // RFC 5861 §4
    ];
    TABLE
        .iter()
        .find(|(n, _)| n.eq_ignore_ascii_case(name))
        .map(|&(_, a)| a)
}

/// The value RFC 9111 §1.2.2 says to use for a delta-seconds too large to represent: 2^31.
pub const DELTA_SECONDS_MAX: u32 = 2_147_483_648;

/// Parses `delta-seconds = 1*DIGIT` (RFC 9111 §1.2.2), saturating at [`DELTA_SECONDS_MAX`] as
/// that section requires. `None` if empty or not all digits.
pub fn delta_seconds(bytes: &[u8]) -> Option<u32> {
    if bytes.is_empty() || !bytes.iter().all(u8::is_ascii_digit) {
        return None;
    }
    let mut v: u32 = 0;
    for &b in bytes {
        v = v
            .saturating_mul(10)
            .saturating_add(u32::from(b - b'0'))
            .min(DELTA_SECONDS_MAX);
    }
    Some(v)
}

/// Field names of a `no-cache="..."` or `private="..."` argument: `#field-name`.
fn field_names(value: &str) -> Option<Vec<&str>> {
    let items = super::list::elements(value.as_bytes()).ok()?;
    items
        .into_iter()
        .map(|(_, e)| {
            if super::rules::is_token(e) {
                std::str::from_utf8(e).ok()
            } else {
                None
            }
        })
        .collect()
}

impl CacheControl {
    /// Decodes a Cache-Control value (RFC 9111 §5.2): at least one directive.
    pub fn decode(value: &[u8]) -> Result<Self, TypedError> {
        let mut directives = Vec::new();
        for (at, element) in elements1(value, "Cache-Control")? {
            directives.push(directive(element, at)?);
        }
        Ok(CacheControl { directives })
    }

    /// Appends the directives separated by `", "` (RFC 9111 §5.2). Arguments are tokens where
    /// they can be, except that no-cache and private field-name lists are always quoted, as RFC
    /// 9111 §5.2.2.4 and §5.2.2.7 require of a sender.
    pub fn encode(&self, dst: &mut Vec<u8>) {
        dst.extend_from_slice(self.to_string().as_bytes());
    }

    /// The first directive with this name, compared case-insensitively (RFC 9111 §5.2).
    pub fn get(&self, name: &str) -> Option<&Directive> {
        self.directives
            .iter()
            .find(|d| d.name.eq_ignore_ascii_case(name))
    }

    /// Every directive with this name, in order.
    pub fn get_all<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a Directive> + 'a {
        self.directives
            .iter()
            .filter(move |d| d.name.eq_ignore_ascii_case(name))
    }

    /// Whether a directive with this name is present.
    pub fn has(&self, name: &str) -> bool {
        self.get(name).is_some()
    }

    fn seconds(&self, name: &str) -> Option<u32> {
        self.get(name)
            .and_then(|d| d.value.as_deref())
            .and_then(|v| delta_seconds(v.as_bytes()))
    }

    /// `max-age` (RFC 9111 §5.2.1.1, §5.2.2.1).
    pub fn max_age(&self) -> Option<u32> {
        self.seconds("max-age")
    }

    /// `s-maxage` (RFC 9111 §5.2.2.10).
    pub fn s_maxage(&self) -> Option<u32> {
        self.seconds("s-maxage")
    }

    /// `min-fresh` (RFC 9111 §5.2.1.3).
    pub fn min_fresh(&self) -> Option<u32> {
        self.seconds("min-fresh")
    }

    /// `stale-while-revalidate` (RFC 5861 §3).
    pub fn stale_while_revalidate(&self) -> Option<u32> {
        self.seconds("stale-while-revalidate")
    }

    /// `stale-if-error` (RFC 5861 §4).
    pub fn stale_if_error(&self) -> Option<u32> {
        self.seconds("stale-if-error")
    }

    /// `max-stale` (RFC 9111 §5.2.1.2): `Some(None)` when present without a limit (any
    /// staleness is accepted), `Some(Some(n))` with one.
    pub fn max_stale(&self) -> Option<Option<u32>> {
        self.get("max-stale")
            .map(|d| d.value.as_deref().and_then(|v| delta_seconds(v.as_bytes())))
    }

    /// `no-cache` (RFC 9111 §5.2.1.4, §5.2.2.4): `Some` of the field names it is limited to,
    /// empty when it applies to the whole response.
    pub fn no_cache(&self) -> Option<Vec<&str>> {
        self.field_names("no-cache")
    }

    /// `private` (RFC 9111 §5.2.2.7): `Some` of the field names it is limited to, empty when it
    /// applies to the whole response.
    pub fn private(&self) -> Option<Vec<&str>> {
        self.field_names("private")
    }

    fn field_names(&self, name: &str) -> Option<Vec<&str>> {
        let d = self.get(name)?;
        match d.value.as_deref() {
            None => Some(Vec::new()),
            Some(v) => Some(field_names(v).unwrap_or_default()),
        }
    }

    /// `no-store` (RFC 9111 §5.2.1.5, §5.2.2.5).
    pub fn no_store(&self) -> bool {
        self.has("no-store")
    }

    /// `no-transform` (RFC 9111 §5.2.1.6, §5.2.2.6).
    pub fn no_transform(&self) -> bool {
        self.has("no-transform")
    }

    /// `only-if-cached` (RFC 9111 §5.2.1.7).
    pub fn only_if_cached(&self) -> bool {
        self.has("only-if-cached")
    }

    /// `must-revalidate` (RFC 9111 §5.2.2.2).
    pub fn must_revalidate(&self) -> bool {
        self.has("must-revalidate")
    }

    /// `must-understand` (RFC 9111 §5.2.2.3).
    pub fn must_understand(&self) -> bool {
        self.has("must-understand")
    }

    /// `proxy-revalidate` (RFC 9111 §5.2.2.8).
    pub fn proxy_revalidate(&self) -> bool {
        self.has("proxy-revalidate")
    }

    /// `public` (RFC 9111 §5.2.2.9).
    pub fn public(&self) -> bool {
        self.has("public")
    }

    /// `immutable` (RFC 8246 §2).
    pub fn immutable(&self) -> bool {
        self.has("immutable")
    }
}

/// One `cache-directive` starting at offset `at` of the field value.
fn directive(element: &[u8], at: usize) -> Result<Directive, TypedError> {
    let shift = |e: TypedError| match e {
        TypedError::Syntax {
            what,
            offset,
            reason,
        } => syntax(what, offset + at, reason),
        other => other,
    };
    let name_end = token(
        element,
        0,
        "cache-directive",
        "a directive name is a token, RFC 9111 §5.2",
    )
    .map_err(shift)?;
    // A token is ASCII, so this is lossless.
    let name = String::from_utf8_lossy(element.get(..name_end).unwrap_or_default()).into_owned();
    let value = match element.get(name_end) {
        None => None,
        Some(b'=') => {
            let (v, end) = token_or_quoted(
                element,
                name_end + 1,
                "cache-directive",
                "an argument is a token or a quoted-string, RFC 9111 §5.2",
            )
            .map_err(shift)?;
            if end != element.len() {
                return Err(syntax(
                    "cache-directive",
                    at + end,
                    "expected \",\" after the argument, RFC 9111 §5.2",
                ));
            }
            Some(v)
        }
        Some(_) => {
            return Err(syntax(
                "cache-directive",
                at + name_end,
                "expected \"=\" or \",\" after the directive name, RFC 9111 §5.2",
            ));
        }
    };
    let arg_at = at + name_end + 1;
    match (known(&name), value.as_deref()) {
        (Some(Arg::None), Some(_)) => Err(syntax(
            "cache-directive",
            at + name_end,
            "this directive takes no argument, RFC 9111 §5.2",
        )),
        (Some(Arg::DeltaSeconds), None) => Err(syntax(
            "delta-seconds",
            at + name_end,
            "this directive requires delta-seconds, RFC 9111 §5.2",
        )),
        (Some(Arg::DeltaSeconds | Arg::OptionalDeltaSeconds), Some(v))
            if delta_seconds(v.as_bytes()).is_none() =>
        {
            Err(syntax(
                "delta-seconds",
                arg_at,
                "delta-seconds is 1*DIGIT, RFC 9111 §1.2.2",
            ))
        }
        (Some(Arg::OptionalFieldNames), Some(v)) if field_names(v).is_none() => Err(syntax(
            "field-name",
            arg_at,
            "the argument is a list of field names, RFC 9111 §5.2.2.4, §5.2.2.7",
        )),
        _ => Ok(Directive { name, value }),
    }
}

impl fmt::Display for CacheControl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut s = String::new();
        for (i, d) in self.directives.iter().enumerate() {
            if i > 0 {
                s.push_str(", ");
            }
            s.push_str(&d.name);
            if let Some(v) = &d.value {
                s.push('=');
                if known(&d.name) == Some(Arg::OptionalFieldNames) {
                    write_quoted(v, &mut s);
                } else {
                    write_token_or_quoted(v, &mut s);
                }
            }
        }
        f.write_str(&s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cc(s: &str) -> CacheControl {
        CacheControl::decode(s.as_bytes()).unwrap()
    }

    fn err(s: &str) -> TypedError {
        CacheControl::decode(s.as_bytes()).unwrap_err()
    }

    #[test]
    fn typical_response() {
        let c = cc("public, max-age=31536000, immutable");
        assert!(c.public());
        assert!(c.immutable());
        assert_eq!(c.max_age(), Some(31_536_000));
        assert!(!c.no_store());
        assert_eq!(c.s_maxage(), None);
        assert_eq!(c.to_string(), "public, max-age=31536000, immutable");
    }

    #[test]
    fn every_known_directive() {
        let c = cc(
            "max-age=1, s-maxage=2, no-cache, no-store, no-transform, must-revalidate, \
             proxy-revalidate, private, public, must-understand, max-stale, min-fresh=3, \
             only-if-cached, immutable, stale-while-revalidate=4, stale-if-error=5",
        );
        assert_eq!(c.max_age(), Some(1));
        assert_eq!(c.s_maxage(), Some(2));
        assert_eq!(c.no_cache(), Some(vec![]));
        assert!(c.no_store() && c.no_transform() && c.must_revalidate());
        assert!(c.proxy_revalidate() && c.public() && c.must_understand());
        assert_eq!(c.private(), Some(vec![]));
        assert_eq!(c.max_stale(), Some(None));
        assert_eq!(c.min_fresh(), Some(3));
        assert!(c.only_if_cached() && c.immutable());
        assert_eq!(c.stale_while_revalidate(), Some(4));
        assert_eq!(c.stale_if_error(), Some(5));
        assert_eq!(cc("max-stale=60").max_stale(), Some(Some(60)));
        assert_eq!(cc("no-store").no_cache(), None);
    }

    #[test]
    fn case_insensitive_names_kept_as_received() {
        let c = cc("Max-Age=5, NO-STORE");
        assert_eq!(c.max_age(), Some(5));
        assert!(c.no_store());
        assert_eq!(c.directives[0].name, "Max-Age");
        assert_eq!(c.to_string(), "Max-Age=5, NO-STORE");
    }

    #[test]
    fn field_name_lists() {
        let c = cc(r#"no-cache="Set-Cookie, X-Foo", private=Authorization"#);
        assert_eq!(c.no_cache(), Some(vec!["Set-Cookie", "X-Foo"]));
        assert_eq!(c.private(), Some(vec!["Authorization"]));
        assert_eq!(
            c.to_string(),
            r#"no-cache="Set-Cookie, X-Foo", private="Authorization""#
        );
        assert!(matches!(
            err(r#"no-cache="a b""#),
            TypedError::Syntax {
                what: "field-name",
                offset: 9,
                ..
            }
        ));
    }

    #[test]
    fn delta_seconds_saturates() {
        assert_eq!(delta_seconds(b"0"), Some(0));
        assert_eq!(delta_seconds(b"2147483647"), Some(2_147_483_647));
        assert_eq!(delta_seconds(b"2147483648"), Some(DELTA_SECONDS_MAX));
        assert_eq!(delta_seconds(b"2147483649"), Some(DELTA_SECONDS_MAX));
        assert_eq!(
            delta_seconds(b"99999999999999999999999"),
            Some(DELTA_SECONDS_MAX)
        );
        assert_eq!(delta_seconds(b""), None);
        assert_eq!(delta_seconds(b"-1"), None);
        assert_eq!(delta_seconds(b"1.5"), None);
        assert_eq!(cc("max-age=99999999999").max_age(), Some(DELTA_SECONDS_MAX));
    }

    #[test]
    fn quoted_delta_seconds_accepted() {
        let c = cc(r#"max-age="5""#);
        assert_eq!(c.max_age(), Some(5));
        assert_eq!(c.to_string(), "max-age=5");
    }

    #[test]
    fn duplicates_and_unknown_kept() {
        let c = cc(r#"max-age=5, community="UCI", max-age=10, x-flag"#);
        assert_eq!(c.max_age(), Some(5));
        assert_eq!(c.get_all("MAX-AGE").count(), 2);
        assert_eq!(c.get("community").unwrap().value.as_deref(), Some("UCI"));
        assert_eq!(c.get("x-flag").unwrap().value, None);
        assert_eq!(c.directives.len(), 4);
    }

    #[test]
    fn empty_elements_ignored() {
        assert_eq!(cc(", no-store ,, public,").directives.len(), 2);
    }

    #[test]
    fn invalid() {
        assert!(matches!(err(""), TypedError::Syntax { offset: 0, .. }));
        assert!(matches!(err(" , "), TypedError::Syntax { .. }));
        assert!(matches!(
            err("max-age"),
            TypedError::Syntax {
                what: "delta-seconds",
                offset: 7,
                ..
            }
        ));
        assert!(matches!(
            err("public, max-age=abc"),
            TypedError::Syntax {
                what: "delta-seconds",
                offset: 16,
                ..
            }
        ));
        assert!(matches!(
            err("max-age=-1"),
            TypedError::Syntax { offset: 8, .. }
        ));
        assert!(matches!(err("max-age=\"\""), TypedError::Syntax { .. }));
        assert!(matches!(
            err("no-store=1"),
            TypedError::Syntax { offset: 8, .. }
        ));
        assert!(matches!(
            err("max-age =5"),
            TypedError::Syntax { offset: 7, .. }
        ));
        assert!(matches!(
            err("max-age= 5"),
            TypedError::Syntax { offset: 8, .. }
        ));
        assert!(matches!(err("a=b c"), TypedError::Syntax { offset: 3, .. }));
        assert!(matches!(err("x=\"open"), TypedError::Syntax { .. }));
        assert!(matches!(
            err("pub{lic"),
            TypedError::Syntax { offset: 3, .. }
        ));
        assert!(matches!(err("=5"), TypedError::Syntax { offset: 0, .. }));
    }
}
