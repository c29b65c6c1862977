//! Content-Type, RFC 9110 §8.3.1, with the parameters of RFC 9110 §5.6.6 and the multipart
//! boundary of RFC 2046 §5.1.1.
//!
//! ```text
//! Content-Type = media-type
//! media-type   = type "/" subtype parameters
//! type         = token
//! subtype      = token
//! parameters   = *( OWS ";" OWS [ parameter ] )
//! parameter    = parameter-name "=" parameter-value
//! parameter-name  = token
//! parameter-value = ( token / quoted-string )
//! ```
//!
//! RFC 9110 §5.6.6 lets a parameter be empty (`text/plain;;charset=utf-8`, a trailing `;`); those
//! are accepted and dropped. No whitespace is allowed around `/` or `=`.

use std::fmt;

use super::rules::{skip_ows, token, token_or_quoted, write_token_or_quoted};
use super::{TypedError, syntax};

/// A media type (RFC 9110 §8.3.1): what a Content-Type field holds.
///
/// Type, subtype and parameter names are case-insensitive (RFC 9110 §8.3.1, §5.6.6) but kept as
/// received, so a proxy can forward them unchanged; compare with [`essence`](Self::essence) and
/// [`param`](Self::param). Parameters keep their order and duplicates. Values are unescaped: a
/// quoted-string's quotes and backslashes are gone.
///
/// [`encode`](Self::encode) writes a value as a token when it is one, else as a quoted-string;
/// a value built by hand with control characters, or names that are not tokens, are written as
/// they are and will not decode again.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MediaType {
    /// `type`, e.g. `text`.
    pub type_: String,
    /// `subtype`, e.g. `html`.
    pub subtype: String,
    /// `parameter`s as (name, value), in order.
    pub params: Vec<(String, String)>,
}

impl MediaType {
    /// Decodes a Content-Type value (RFC 9110 §8.3.1).
    pub fn decode(value: &[u8]) -> Result<Self, TypedError> {
        let text = |from: usize, to: usize| {
            // Tokens are ASCII, so this is lossless.
            String::from_utf8_lossy(value.get(from..to).unwrap_or_default()).into_owned()
        };
        let type_end = token(value, 0, "type", "type is a token, RFC 9110 §8.3.1")?;
        if value.get(type_end) != Some(&b'/') {
            return Err(syntax(
                "media-type",
                type_end,
                "expected \"/\" right after type, RFC 9110 §8.3.1",
            ));
        }
        let sub_end = token(
            value,
            type_end + 1,
            "subtype",
            "subtype is a token, RFC 9110 §8.3.1",
        )?;
        let mut media = MediaType {
            type_: text(0, type_end),
            subtype: text(type_end + 1, sub_end),
            params: Vec::new(),
        };
        let mut pos = sub_end;
        while pos < value.len() {
            pos = skip_ows(value, pos);
            if value.get(pos) != Some(&b';') {
                return Err(syntax(
                    "parameters",
                    pos,
                    "expected \";\" before a parameter, RFC 9110 §5.6.6",
                ));
            }
            pos = skip_ows(value, pos + 1);
            match value.get(pos) {
                // An empty parameter (RFC 9110 §5.6.6 `[ parameter ]`).
                None | Some(b';') => continue,
                Some(_) => {}
            }
            let name_end = token(
                value,
                pos,
                "parameter-name",
                "parameter-name is a token, RFC 9110 §5.6.6",
            )?;
            if value.get(name_end) != Some(&b'=') {
                return Err(syntax(
                    "parameter",
                    name_end,
                    "expected \"=\" right after parameter-name, RFC 9110 §5.6.6",
                ));
            }
            let (val, end) = token_or_quoted(
                value,
                name_end + 1,
                "parameter-value",
                "parameter-value is a token or a quoted-string, RFC 9110 §5.6.6",
            )?;
            media.params.push((text(pos, name_end), val));
            pos = end;
        }
        Ok(media)
    }

    /// Appends the canonical form: `type/subtype; name=value` (RFC 9110 §8.3.1).
    pub fn encode(&self, dst: &mut Vec<u8>) {
        dst.extend_from_slice(self.to_string().as_bytes());
    }

    /// `type/subtype` in lowercase, the part that decides what the content is (RFC 9110 §8.3.1:
    /// both are case-insensitive).
    pub fn essence(&self) -> String {
        let mut s = String::with_capacity(self.type_.len() + 1 + self.subtype.len());
        s.push_str(&self.type_.to_ascii_lowercase());
        s.push('/');
        s.push_str(&self.subtype.to_ascii_lowercase());
        s
    }

    /// The first parameter with this name, compared case-insensitively (RFC 9110 §5.6.6).
    pub fn param(&self, name: &str) -> Option<&str> {
        self.params
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// The `charset` parameter (RFC 9110 §8.3.2), as sent; charset names are case-insensitive.
    pub fn charset(&self) -> Option<&str> {
        self.param("charset")
    }

    /// The `boundary` parameter of a multipart type, checked against RFC 2046 §5.1.1: 1 to 70
    /// bchars, not ending in a space. Missing is [`TypedError::Missing`], since RFC 2046 §5.1.1
    /// makes it mandatory for every multipart type; an invalid one is a [`TypedError::Syntax`]
    /// whose offset counts within the boundary.
    ///
    /// ```text
    /// boundary      := 0*69<bchars> bcharsnospace
    /// bchars        := bcharsnospace / " "
    /// bcharsnospace := DIGIT / ALPHA / "'" / "(" / ")" / "+" / "_" / "," / "-" / "." / "/"
    ///                  / ":" / "=" / "?"
    /// ```
    pub fn boundary(&self) -> Result<&str, TypedError> {
        const WHAT: &str = "boundary";
        let b = self.param("boundary").ok_or(TypedError::Missing {
            what: WHAT,
            reason: "multipart types require a boundary parameter, RFC 2046 §5.1.1",
        })?;
        if b.is_empty() || b.len() > 70 {
            return Err(TypedError::Range {
                what: WHAT,
                offset: 0,
                reason: "a boundary is 1 to 70 characters, RFC 2046 §5.1.1",
            });
        }
        if let Some(i) = b.bytes().position(|c| !is_bchar(c)) {
            return Err(syntax(
                WHAT,
                i,
                "a boundary is made of bchars, RFC 2046 §5.1.1",
            ));
        }
        if b.ends_with(' ') {
            return Err(syntax(
                WHAT,
                b.len() - 1,
                "a boundary does not end in a space, RFC 2046 §5.1.1",
            ));
        }
        Ok(b)
    }
}

/// `bchars`, RFC 2046 §5.1.1.
fn is_bchar(c: u8) -> bool {
    c.is_ascii_alphanumeric()
        || matches!(
            c,
            b'\''
                | b'('
                | b')'
                | b'+'
                | b'_'
                | b','
                | b'-'
                | b'.'
                | b'/'
                | b':'
                | b'='
                | b'?'
                | b' '
        )
}

impl fmt::Display for MediaType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut s = String::new();
        s.push_str(&self.type_);
        s.push('/');
        s.push_str(&self.subtype);
        for (name, value) in &self.params {
            s.push_str("; ");
            s.push_str(name);
            s.push('=');
            write_token_or_quoted(value, &mut s);
        }
        f.write_str(&s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mt(s: &str) -> MediaType {
        MediaType::decode(s.as_bytes()).unwrap()
    }

    fn err_offset(s: &str) -> usize {
        match MediaType::decode(s.as_bytes()) {
            Err(TypedError::Syntax { offset, .. }) => offset,
            other => panic!("{s:?}: {other:?}"),
        }
    }

    #[test]
    fn rfc_9110_equivalent_forms() {
        // RFC 9110 §8.3.1: all four are equivalent.
        let forms = [
            "text/html;charset=utf-8",
            "text/html;charset=UTF-8",
            "Text/HTML;Charset=\"utf-8\"",
            "text/html; charset=\"utf-8\"",
        ];
        for f in forms {
            let m = mt(f);
            assert_eq!(m.essence(), "text/html");
            assert!(m.charset().unwrap().eq_ignore_ascii_case("utf-8"), "{f}");
        }
        let m = mt(forms[2]);
        assert_eq!(m.type_, "Text");
        assert_eq!(m.params, [("Charset".to_string(), "utf-8".to_string())]);
    }

    #[test]
    fn bare_type() {
        let m = mt("application/json");
        assert_eq!(m.to_string(), "application/json");
        assert!(m.params.is_empty());
        assert_eq!(m.param("charset"), None);
    }

    #[test]
    fn params_order_duplicates_and_ows() {
        let m = mt("a/b ;x=1 \t;  y=\"two words\";x=3");
        assert_eq!(
            m.params,
            [
                ("x".to_string(), "1".to_string()),
                ("y".to_string(), "two words".to_string()),
                ("x".to_string(), "3".to_string())
            ]
        );
        assert_eq!(m.param("X"), Some("1"));
        assert_eq!(m.to_string(), "a/b; x=1; y=\"two words\"; x=3");
    }

    #[test]
    fn empty_parameters_allowed() {
        assert_eq!(mt("text/plain;").params, []);
        assert_eq!(mt("text/plain;;charset=x; ;").charset(), Some("x"));
    }

    #[test]
    fn quoted_string_escapes() {
        let m = mt(r#"a/b; q="x\"y\\z"; e="""#);
        assert_eq!(m.param("q"), Some(r#"x"y\z"#));
        assert_eq!(m.param("e"), Some(""));
        let s = m.to_string();
        assert_eq!(s, r#"a/b; q="x\"y\\z"; e="""#);
        assert_eq!(mt(&s), m);
    }

    #[test]
    fn utf8_obs_text() {
        let m = MediaType::decode("a/b; t=\"é\"".as_bytes()).unwrap();
        assert_eq!(m.param("t"), Some("é"));
        assert!(MediaType::decode(b"a/b; t=\"\xff\"").is_err());
    }

    #[test]
    fn invalid() {
        assert_eq!(err_offset(""), 0);
        assert_eq!(err_offset("text"), 4);
        assert_eq!(err_offset("text/"), 5);
        assert_eq!(err_offset("/html"), 0);
        assert_eq!(err_offset("text /html"), 4);
        assert_eq!(err_offset("text/ html"), 5);
        assert_eq!(err_offset("text/html charset=x"), 10);
        assert_eq!(err_offset("text/html; charset"), 18);
        assert_eq!(err_offset("text/html; charset =x"), 18);
        assert_eq!(err_offset("text/html; charset= x"), 19);
        assert_eq!(err_offset("text/html; charset=\"x"), 21);
        assert_eq!(err_offset("text/html; charset=x y"), 21);
        assert_eq!(err_offset("text/html; =x"), 11);
        assert_eq!(err_offset("text/h\u{e9}ml"), 6);
        assert_eq!(err_offset("text/html; a=\"\x07\""), 14);
    }

    #[test]
    fn boundary_rfc_2046() {
        let m = mt(r#"multipart/mixed; boundary="simple boundary""#);
        assert_eq!(m.boundary().unwrap(), "simple boundary");
        let m = mt("multipart/form-data; boundary=----WebKitFormBoundary7MA4YWxkTrZu0gW");
        assert_eq!(
            m.boundary().unwrap(),
            "----WebKitFormBoundary7MA4YWxkTrZu0gW"
        );
        let seventy = "a".repeat(70);
        assert!(
            mt(&format!("multipart/mixed; boundary={seventy}"))
                .boundary()
                .is_ok()
        );
        assert!(matches!(
            mt(&format!("multipart/mixed; boundary={seventy}b")).boundary(),
            Err(TypedError::Range { .. })
        ));
        assert!(matches!(
            mt("multipart/mixed").boundary(),
            Err(TypedError::Missing { .. })
        ));
        assert!(matches!(
            mt("multipart/mixed; boundary=\"\"").boundary(),
            Err(TypedError::Range { .. })
        ));
        assert!(matches!(
            mt("multipart/mixed; boundary=\"ab \"").boundary(),
            Err(TypedError::Syntax { offset: 2, .. })
        ));
        assert!(matches!(
            mt("multipart/mixed; boundary=a*b").boundary(),
            Err(TypedError::Syntax { offset: 1, .. })
        ));
    }

    #[test]
    fn encode_appends() {
        let mut v = b"Content-Type: ".to_vec();
        mt("text/plain;charset=us-ascii").encode(&mut v);
        assert_eq!(v, b"Content-Type: text/plain; charset=us-ascii");
    }
}
