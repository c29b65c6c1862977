//! The list syntax of RFC 9110 §5.6.1, `#element`, shared by Cache-Control and the other
//! comma-separated fields.
//!
//! ```text
//! #element  => [ element ] *( OWS "," OWS [ element ] )
//! 1#element => *( "," OWS ) element *( OWS "," OWS [ element ] )
//! ```
//!
//! A recipient MUST accept and ignore empty elements (RFC 9110 §5.6.1.2), so `a, , b,` is the
//! two elements `a` and `b`. Commas inside a quoted-string do not separate elements.

use super::{TypedError, syntax};
use crate::chars::is_ws;

/// The non-empty elements of a `#element` list (RFC 9110 §5.6.1), each with the offset where it
/// starts, OWS trimmed. A quoted-string is kept whole (quotes and escapes included, for the
/// element's own parser); one without its closing DQUOTE is an error.
pub fn elements(value: &[u8]) -> Result<Vec<(usize, &[u8])>, TypedError> {
    let mut out = Vec::new();
    let mut start = 0;
    let mut pos = 0;
    let mut push = |from: usize, to: usize| {
        let slice = value.get(from..to).unwrap_or_default();
        let lead = slice.iter().take_while(|&&b| is_ws(b)).count();
        let trail = slice.iter().rev().take_while(|&&b| is_ws(b)).count();
        let trimmed = slice
            .get(lead..slice.len().saturating_sub(trail).max(lead))
            .unwrap_or_default();
        if !trimmed.is_empty() {
            out.push((from + lead, trimmed));
        }
    };
    while let Some(&b) = value.get(pos) {
        match b {
            b',' => {
                push(start, pos);
                start = pos + 1;
                pos += 1;
            }
            b'"' => pos = skip_quoted(value, pos)?,
            _ => pos += 1,
        }
    }
    push(start, value.len());
    Ok(out)
}

/// Like [`elements`], but at least one element is required (`1#element`, RFC 9110 §5.6.1).
pub fn elements1<'a>(
    value: &'a [u8],
    what: &'static str,
) -> Result<Vec<(usize, &'a [u8])>, TypedError> {
    let out = elements(value)?;
    if out.is_empty() {
        return Err(syntax(
            what,
            value.len(),
            "1#element needs at least one element, RFC 9110 §5.6.1",
        ));
    }
    Ok(out)
}

/// Appends `items` separated by `", "`, the form RFC 9110 §5.6.1 shows and recipients expect.
pub fn encode<I, T>(items: I, dst: &mut Vec<u8>)
where
    I: IntoIterator<Item = T>,
    T: AsRef<[u8]>,
{
    for (i, item) in items.into_iter().enumerate() {
        if i > 0 {
            dst.extend_from_slice(b", ");
        }
        dst.extend_from_slice(item.as_ref());
    }
}

/// The position after the quoted-string starting at `start`; only DQUOTE and backslash matter
/// here, the element's parser checks the rest.
fn skip_quoted(value: &[u8], start: usize) -> Result<usize, TypedError> {
    let mut pos = start + 1;
    loop {
        match value.get(pos) {
            None => {
                return Err(syntax(
                    "quoted-string",
                    start,
                    "no closing DQUOTE, RFC 9110 §5.6.4",
                ));
            }
            Some(b'"') => return Ok(pos + 1),
            Some(b'\\') => pos += 2,
            Some(_) => pos += 1,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn items(v: &str) -> Vec<(usize, &str)> {
        elements(v.as_bytes())
            .unwrap()
            .into_iter()
            .map(|(o, e)| (o, std::str::from_utf8(e).unwrap()))
            .collect()
    }

    #[test]
    fn splits_and_trims() {
        assert_eq!(items("a,b"), [(0, "a"), (2, "b")]);
        assert_eq!(items("a , \tb"), [(0, "a"), (5, "b")]);
        assert_eq!(items("x=1, y=2"), [(0, "x=1"), (5, "y=2")]);
    }

    #[test]
    fn rfc_9110_empty_elements_ignored() {
        // RFC 9110 §5.6.1.2 examples.
        assert_eq!(items("foo,bar"), [(0, "foo"), (4, "bar")]);
        assert_eq!(items("foo ,bar,"), [(0, "foo"), (5, "bar")]);
        assert_eq!(
            items("foo , ,bar,charlie"),
            [(0, "foo"), (7, "bar"), (11, "charlie")]
        );
        assert_eq!(items(""), []);
        assert_eq!(items(","), []);
        assert_eq!(items(",   ,"), []);
    }

    #[test]
    fn quoted_strings_not_split() {
        assert_eq!(items(r#"a="x, y", b"#), [(0, r#"a="x, y""#), (10, "b")]);
        assert_eq!(items(r#"a="x\", y", b"#), [(0, r#"a="x\", y""#), (12, "b")]);
        assert!(elements(br#"a="x, y"#).is_err());
        assert!(elements(br#"a="x\"#).is_err());
    }

    #[test]
    fn at_least_one() {
        assert!(elements1(b", ,", "x").is_err());
        assert_eq!(elements1(b", a", "x").unwrap(), [(2, &b"a"[..])]);
    }

    #[test]
    fn encodes() {
        let mut v = Vec::new();
        encode(["a", "b=1", "c"], &mut v);
        assert_eq!(v, b"a, b=1, c");
    }
}
