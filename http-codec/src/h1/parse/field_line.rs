//! RFC 9112 §5 and RFC 9110 §5.5: field lines.
//!
//! ```text
//! field-line   = field-name ":" OWS field-value OWS                 ; RFC 9112 §5
//! field-name   = token                                              ; RFC 9110 §5.1
//! field-value  = *field-content                                     ; RFC 9110 §5.5
//! field-content = field-vchar [ 1*( SP / HTAB / field-vchar ) field-vchar ]
//! field-vchar  = VCHAR / obs-text
//! obs-fold     = OWS CRLF RWS                                       ; RFC 9112 §5.2
//! ```

use super::{PResult, fail, failure, incomplete};
use crate::chars::{find_ctl, is_tchar, is_ws};

/// Where the parts of one field line are, as indices into the input the line starts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct FieldLine {
    /// End of the field-name (the colon's index).
    pub name_end: usize,
    /// Start of the field-value, after the OWS.
    pub value_start: usize,
    /// End of the field-value, before the trailing OWS.
    pub value_end: usize,
    /// End of the line: the index of its CR (or bare LF).
    pub line_end: usize,
    /// Whether the value spans lines (obs-fold, only with `allow_obs_fold`).
    pub folded: bool,
}

/// `field-line CRLF` at the start of `input`, which the caller has checked starts neither with
/// the line end of the empty line nor with whitespace.
#[inline]
pub(crate) fn field_line(input: &[u8], bare_lf: bool, obs_fold: bool) -> PResult<'_, FieldLine> {
    let name_end = field_name(input)?;
    let mut i = name_end + 1;
    while input.get(i).copied().is_some_and(is_ws) {
        i += 1;
    }
    let value_start = i;
    let mut folded = false;
    loop {
        i = find_ctl(input, i);
        let (line_end, next) = match input.get(i) {
            None => return incomplete(),
            Some(b'\t') => {
                i += 1;
                continue;
            }
            Some(b'\r') => match input.get(i + 1) {
                Some(b'\n') => (i, i + 2),
                None => return incomplete(),
                Some(_) => {
                    return fail(
                        input.get(i..).unwrap_or_default(),
                        "field-value",
                        "bare CR in field-value, RFC 9112 §2.2",
                    );
                }
            },
            Some(b'\n') if bare_lf => (i, i + 1),
            Some(b'\n') => {
                return fail(
                    input.get(i..).unwrap_or_default(),
                    "field-value",
                    "bare LF as line ending, RFC 9112 §2.2",
                );
            }
            Some(_) => {
                return fail(
                    input.get(i..).unwrap_or_default(),
                    "field-value",
                    "control character in field-value, RFC 9110 §5.5",
                );
            }
        };
        if obs_fold {
            match input.get(next) {
                None => return incomplete(),
                Some(&b) if is_ws(b) => {
                    folded = true;
                    i = next;
                    continue;
                }
                Some(_) => {}
            }
        }
        let mut value_end = line_end;
        while value_end > value_start && input.get(value_end - 1).copied().is_some_and(is_ws) {
            value_end -= 1;
        }
        let rest = input.get(next..).unwrap_or_default();
        return Ok((
            rest,
            FieldLine {
                name_end,
                value_start,
                value_end,
                line_end,
                folded,
            },
        ));
    }
}

/// `field-name ":"`: the index of the colon.
#[inline]
fn field_name(input: &[u8]) -> Result<usize, nom::Err<super::Fail<'_>>> {
    let Some(i) = input.iter().position(|&b| !is_tchar(b)) else {
        return Err(nom::Err::Incomplete(nom::Needed::Unknown));
    };
    let at = input.get(i..).unwrap_or_default();
    match input.get(i) {
        None => Err(nom::Err::Incomplete(nom::Needed::Unknown)),
        Some(b':') if i > 0 => Ok(i),
        Some(b':') => Err(failure(at, "field-name", "empty field-name, RFC 9110 §5.1")),
        Some(&b) if is_ws(b) => Err(failure(
            at,
            "field-name",
            "whitespace between field-name and colon, RFC 9112 §5.1",
        )),
        Some(_) => Err(failure(
            at,
            "field-name",
            "field-name must be a token, RFC 9110 §5.1",
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parts(line: &[u8]) -> Result<(String, String), String> {
        match field_line(line, false, false) {
            Ok((_, f)) => Ok((
                String::from_utf8_lossy(&line[..f.name_end]).into_owned(),
                String::from_utf8_lossy(&line[f.value_start..f.value_end]).into_owned(),
            )),
            Err(nom::Err::Error(f)) => Err(f.reason.to_string()),
            Err(e) => Err(format!("{e:?}")),
        }
    }

    #[test]
    fn ows_around_the_value_is_not_part_of_it() {
        assert_eq!(parts(b"Host: a\r\n").unwrap(), ("Host".into(), "a".into()));
        assert_eq!(parts(b"Host:a\r\n").unwrap(), ("Host".into(), "a".into()));
        assert_eq!(
            parts(b"X: \t a b \t\r\n").unwrap(),
            ("X".into(), "a b".into())
        );
        assert_eq!(parts(b"X:\r\n").unwrap(), ("X".into(), "".into()));
        assert_eq!(parts(b"X:   \r\n").unwrap(), ("X".into(), "".into()));
        assert_eq!(parts(b"X: caf\xc3\xa9\r\n").unwrap().0, "X");
    }

    #[test]
    fn names_are_tokens_with_no_space_before_the_colon() {
        assert!(parts(b"Host : a\r\n").unwrap_err().contains("whitespace"));
        assert!(parts(b"Ho st: a\r\n").unwrap_err().contains("whitespace"));
        assert!(parts(b"Ho\"st: a\r\n").unwrap_err().contains("token"));
        assert!(parts(b": a\r\n").unwrap_err().contains("empty"));
        assert!(parts(b"Ho\x00st: a\r\n").unwrap_err().contains("token"));
    }

    #[test]
    fn values_refuse_nul_cr_lf_and_controls() {
        assert!(parts(b"X: a\x00b\r\n").unwrap_err().contains("control"));
        assert!(parts(b"X: a\rb\r\n").unwrap_err().contains("bare CR"));
        assert!(parts(b"X: a\nb\r\n").unwrap_err().contains("bare LF"));
        assert!(parts(b"X: a\x7fb\r\n").unwrap_err().contains("control"));
        assert!(parts(b"X: a\x1bb\r\n").unwrap_err().contains("control"));
        assert_eq!(parts(b"X: a\tb\r\n").unwrap().1, "a\tb");
    }

    #[test]
    fn incomplete_until_the_line_end_is_seen() {
        assert!(matches!(
            field_line(b"Host: a\r", false, false),
            Err(nom::Err::Incomplete(_))
        ));
        assert!(matches!(
            field_line(b"Host", false, false),
            Err(nom::Err::Incomplete(_))
        ));
        assert!(matches!(
            field_line(b"Host: a\r\n", false, true),
            Err(nom::Err::Incomplete(_))
        ));
    }

    #[test]
    fn obs_fold_only_when_allowed() {
        let line = b"X: a\r\n b\r\nY: c\r\n";
        let (rest, f) = field_line(line, false, true).unwrap();
        assert!(f.folded);
        assert_eq!(&line[f.value_start..f.value_end], b"a\r\n b");
        assert_eq!(rest, b"Y: c\r\n");
        let (rest, f) = field_line(line, false, false).unwrap();
        assert!(!f.folded);
        assert_eq!(rest, b" b\r\nY: c\r\n");
    }

    #[test]
    fn bare_lf_only_when_allowed() {
        assert_eq!(field_line(b"X: a\nY", true, false).unwrap().0, b"Y");
    }
}
