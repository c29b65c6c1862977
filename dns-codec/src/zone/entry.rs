//! The tokens of one zone-file entry (RFC 1035 §5.1): words, `"quoted strings"`, comments
//! dropped, parentheses joining lines. The entry's end was found by the scanner; here it is
//! read whole.

/// One token of an entry.
#[derive(Debug, Clone, Copy)]
pub(super) struct Tok<'a> {
    /// The text: for a quoted string without its quotes, escapes kept.
    pub(super) raw: &'a str,
    /// Byte offset in the entry of the token (of the opening quote for a quoted string).
    pub(super) offset: usize,
    pub(super) quoted: bool,
}

/// Why an entry cannot be tokenized: where (offset in the entry), what rule, and whether it is
/// because the text ended inside it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct TokError {
    pub(super) at: usize,
    pub(super) reason: &'static str,
    pub(super) incomplete: bool,
}

fn syntax(at: usize, reason: &'static str) -> TokError {
    TokError {
        at,
        reason,
        incomplete: false,
    }
}

fn incomplete(at: usize, reason: &'static str) -> TokError {
    TokError {
        at,
        reason,
        incomplete: true,
    }
}

/// The tokens of `bytes`, one whole entry (its line end included when it has one), into `out`.
/// Tokens must be UTF-8 (their octets beyond ASCII are refused later, with the field); comments
/// may hold any bytes.
pub(super) fn tokens<'a>(bytes: &'a [u8], out: &mut Vec<Tok<'a>>) -> Result<(), TokError> {
    let mut i = 0usize;
    let mut depth = 0usize;
    let mut open_at = 0usize;
    while let Some(&b) = bytes.get(i) {
        match b {
            b'\n' | b' ' | b'\t' | b'\r' => i += 1,
            b';' => {
                while bytes.get(i).is_some_and(|&c| c != b'\n') {
                    i += 1;
                }
            }
            b'(' => {
                if depth == 0 {
                    open_at = i;
                }
                depth += 1;
                i += 1;
            }
            b')' => {
                if depth == 0 {
                    return Err(syntax(i, "')' without its '('"));
                }
                depth -= 1;
                i += 1;
            }
            b'"' => {
                let start = i + 1;
                let end = quoted_end(bytes, i)?;
                let raw = utf8(bytes, start, end)?;
                out.push(Tok {
                    raw,
                    offset: i,
                    quoted: true,
                });
                i = end + 1;
            }
            _ => {
                let start = i;
                while let Some(&c) = bytes.get(i) {
                    match c {
                        b' ' | b'\t' | b'\r' | b'\n' | b'(' | b')' | b';' => break,
                        b'\\' => i = escape_end(bytes, i)?,
                        // A quoted part inside a word, as in SVCB's `alpn="h2,h3"`.
                        b'"' => i = quoted_end(bytes, i)? + 1,
                        _ => i += 1,
                    }
                }
                let raw = utf8(bytes, start, i)?;
                out.push(Tok {
                    raw,
                    offset: start,
                    quoted: false,
                });
            }
        }
    }
    if depth > 0 {
        return Err(incomplete(open_at, "'(' without its ')'"));
    }
    Ok(())
}

/// `bytes[start..end]` as text; where it is not UTF-8 is an error.
fn utf8(bytes: &[u8], start: usize, end: usize) -> Result<&str, TokError> {
    let part = bytes.get(start..end).unwrap_or_default();
    std::str::from_utf8(part).map_err(|e| {
        syntax(
            start + e.valid_up_to(),
            "not UTF-8 (RFC 1035 §5.1: write other octets as \\DDD)",
        )
    })
}

/// The offset just after an escape at `at` (a backslash): `\X` takes the whole next character.
fn escape_end(bytes: &[u8], at: usize) -> Result<usize, TokError> {
    let Some(&next) = bytes.get(at + 1) else {
        return Err(incomplete(at, "backslash at the end of the file"));
    };
    if next == b'\n' {
        return Err(syntax(at, "backslash at the end of a line"));
    }
    // Skip a whole UTF-8 character so that slicing stays on boundaries; the rdata parser refuses
    // non-ASCII later with a precise reason.
    let mut end = at + 2;
    while bytes.get(end).is_some_and(|&c| c & 0xC0 == 0x80) {
        end += 1;
    }
    Ok(end)
}

/// The offset of the quote that closes the quoted string opening at `at`.
fn quoted_end(bytes: &[u8], at: usize) -> Result<usize, TokError> {
    let mut j = at + 1;
    loop {
        match bytes.get(j) {
            None => return Err(incomplete(at, "quoted string without its closing quote")),
            Some(b'"') => return Ok(j),
            Some(b'\n') => return Err(syntax(at, "line end inside a quoted string")),
            Some(b'\\') => j = escape_end(bytes, j)?,
            Some(_) => j += 1,
        }
    }
}

/// Whether a name token ends with an unescaped dot: absolute (RFC 1035 §5.1).
pub(super) fn is_absolute(raw: &str) -> bool {
    let bytes = raw.as_bytes();
    let mut i = 0usize;
    let mut last_dot = false;
    while let Some(&b) = bytes.get(i) {
        if b == b'\\' {
            last_dot = false;
            i += 2;
        } else {
            last_dot = b == b'.';
            i += 1;
        }
    }
    last_dot
}
