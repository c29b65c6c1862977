//! Header and trailer fields, owned (RFC 9110 §5, RFC 9112 §5).
//!
//! A [`Field`] keeps the line exactly as it arrived (name case, the whitespace around the value),
//! so re-serializing a parsed message gives back its bytes; [`Headers`] keeps the fields in order
//! with their duplicates (RFC 9110 §5.3: the order of same-named fields is significant).

use bytes::{BufMut, Bytes, BytesMut};

use crate::chars::{is_tchar, is_ws};
use crate::error::{Error, Found};
use crate::h1::head::FieldPos;

/// One field line, `field-name ":" OWS field-value OWS` (RFC 9112 §5). Two fields are equal
/// when their lines are the same bytes (and so their names and values); where inside the line
/// an empty value was found does not matter.
#[derive(Clone)]
pub struct Field {
    /// The line without its CRLF (a folded line has had its folds replaced by spaces).
    line: Bytes,
    name_end: usize,
    value_start: usize,
    value_end: usize,
}

impl Field {
    /// A field `name: value`, checked against RFC 9110 §5.1 (name is a token) and §5.5 (value is
    /// field-vchar, SP and HTAB, with no whitespace at either end, since a receiver would strip
    /// it).
    ///
    /// ```
    /// let f = http_codec::Field::new("Content-Type", "text/plain")?;
    /// assert_eq!(f.line(), b"Content-Type: text/plain");
    /// assert!(http_codec::Field::new("Bad Name", "x").is_err());
    /// assert!(http_codec::Field::new("X", "a\r\nInjected: yes").is_err());
    /// # Ok::<(), http_codec::Error>(())
    /// ```
    pub fn new(name: impl AsRef<[u8]>, value: impl AsRef<[u8]>) -> Result<Field, Error> {
        let (name, value) = (name.as_ref(), value.as_ref());
        check_name(name)?;
        check_value(value)?;
        let mut line = BytesMut::with_capacity(name.len() + 2 + value.len());
        line.put_slice(name);
        line.put_slice(b": ");
        line.put_slice(value);
        Ok(Field {
            line: line.freeze(),
            name_end: name.len(),
            value_start: name.len() + 2,
            value_end: name.len() + 2 + value.len(),
        })
    }

    /// The field parsed at `f` in `head`; obs-folds (only there with `allow_obs_fold`) become
    /// spaces, as RFC 9112 §5.2 requires before the value is used or forwarded.
    pub(crate) fn from_parsed(head: &Bytes, f: FieldPos) -> Field {
        let mut line = head.slice(f.line_start..f.line_end);
        if f.folded {
            let unfolded: Vec<u8> = line
                .iter()
                .map(|&b| if b == b'\r' || b == b'\n' { b' ' } else { b })
                .collect();
            line = Bytes::from(unfolded);
        }
        let mut value_start = f.value_start - f.line_start;
        let mut value_end = f.value_end - f.line_start;
        if f.folded {
            // Once the folds are spaces, whitespace they put at either end of the value is
            // OWS, not part of it (RFC 9112 §5.2, RFC 9110 §5.5).
            while value_start < value_end && line.get(value_start).copied().is_some_and(is_ws) {
                value_start += 1;
            }
            while value_end > value_start && line.get(value_end - 1).copied().is_some_and(is_ws) {
                value_end -= 1;
            }
        }
        Field {
            line,
            name_end: f.name_end - f.line_start,
            value_start,
            value_end,
        }
    }

    /// `field-name`, in the case it was sent.
    pub fn name(&self) -> &[u8] {
        self.line.get(..self.name_end).unwrap_or_default()
    }

    /// `field-value`, without the whitespace around it.
    pub fn value(&self) -> &[u8] {
        self.line
            .get(self.value_start..self.value_end)
            .unwrap_or_default()
    }

    /// The value as a `Bytes` sharing the received buffer.
    pub fn value_bytes(&self) -> Bytes {
        self.line.slice(self.value_start..self.value_end)
    }

    /// The value as text, if it is UTF-8 (obs-text may make it Latin-1 or anything else).
    pub fn value_str(&self) -> Option<&str> {
        std::str::from_utf8(self.value()).ok()
    }

    /// The whole line as received, without its CRLF.
    pub fn line(&self) -> &[u8] {
        &self.line
    }

    /// Whether the name is `name`, compared case-insensitively (RFC 9110 §5.1).
    pub fn is(&self, name: &str) -> bool {
        self.name().eq_ignore_ascii_case(name.as_bytes())
    }
}

/// `name: value` as sent, for logs: bytes outside printable ASCII (a non-UTF-8 value, an
/// obs-text byte) are written as `\xNN`, so printing a hostile field cannot drive a terminal.
impl std::fmt::Display for Field {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write_escaped(f, self.line())
    }
}

/// Writes `bytes` with printable ASCII and tabs as they are and every other byte as `\xNN`.
pub(crate) fn write_escaped(f: &mut std::fmt::Formatter<'_>, bytes: &[u8]) -> std::fmt::Result {
    for chunk in bytes.utf8_chunks() {
        for c in chunk.valid().chars() {
            if c.is_ascii_graphic() || c == ' ' || c == '\t' {
                std::fmt::Write::write_char(f, c)?;
            } else {
                let mut utf8 = [0u8; 4];
                for b in c.encode_utf8(&mut utf8).bytes() {
                    write!(f, "\\x{b:02x}")?;
                }
            }
        }
        for b in chunk.invalid() {
            write!(f, "\\x{b:02x}")?;
        }
    }
    Ok(())
}

/// One field per line, `name: value`, escaped as [`Field`]'s `Display` is.
impl std::fmt::Display for Headers {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        for (i, field) in self.fields.iter().enumerate() {
            if i > 0 {
                f.write_str("\n")?;
            }
            write!(f, "{field}")?;
        }
        Ok(())
    }
}

impl PartialEq for Field {
    fn eq(&self, other: &Field) -> bool {
        self.line == other.line && self.name() == other.name() && self.value() == other.value()
    }
}

impl Eq for Field {}

impl std::hash::Hash for Field {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.line.hash(state);
    }
}

impl std::fmt::Debug for Field {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{:?}: {:?}",
            String::from_utf8_lossy(self.name()),
            String::from_utf8_lossy(self.value())
        )
    }
}

fn check_name(name: &[u8]) -> Result<(), Error> {
    match name.iter().position(|&b| !is_tchar(b)) {
        _ if name.is_empty() => Err(field_error(
            0,
            Found::End,
            "field-name",
            "empty field-name, RFC 9110 §5.1",
        )),
        Some(i) => Err(field_error(
            i,
            Found::Byte(name.get(i).copied().unwrap_or(0)),
            "field-name",
            "field-name must be a token, RFC 9110 §5.1",
        )),
        None => Ok(()),
    }
}

fn check_value(value: &[u8]) -> Result<(), Error> {
    if let Some(i) = value
        .iter()
        .position(|&b| (b < 0x20 && b != b'\t') || b == 0x7F)
    {
        return Err(field_error(
            i,
            Found::Byte(value.get(i).copied().unwrap_or(0)),
            "field-value",
            "control character in field-value, RFC 9110 §5.5",
        ));
    }
    // The offset is the offending byte's: the first one, or the last one.
    let edge = [
        (0, value.first()),
        (value.len().saturating_sub(1), value.last()),
    ];
    if let Some((i, b)) = edge
        .into_iter()
        .find_map(|(i, b)| b.filter(|&&b| is_ws(b)).map(|&b| (i, b)))
    {
        return Err(field_error(
            i,
            Found::Byte(b),
            "field-value",
            "whitespace at either end of a field-value is not part of it, RFC 9110 §5.5",
        ));
    }
    Ok(())
}

fn field_error(
    offset: usize,
    found: Found,
    production: &'static str,
    reason: &'static str,
) -> Error {
    Error::Syntax {
        offset: offset as u64,
        production,
        found,
        reason,
    }
}

/// The fields of a header or trailer section, in order, duplicates kept (RFC 9110 §5.2, §5.3).
#[derive(Clone, PartialEq, Eq, Default, Hash)]
pub struct Headers {
    fields: Vec<Field>,
}

impl Headers {
    /// No fields.
    pub fn new() -> Self {
        Headers::default()
    }

    /// Room for `n` fields.
    pub fn with_capacity(n: usize) -> Self {
        Headers {
            fields: Vec::with_capacity(n),
        }
    }

    /// The number of field lines.
    pub fn len(&self) -> usize {
        self.fields.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.fields.is_empty()
    }

    /// The fields in order.
    pub fn iter(&self) -> std::slice::Iter<'_, Field> {
        self.fields.iter()
    }

    /// The value of the first field called `name` (case-insensitive).
    pub fn get(&self, name: &str) -> Option<&[u8]> {
        self.fields.iter().find(|f| f.is(name)).map(Field::value)
    }

    /// The values of every field called `name`, in order.
    pub fn get_all<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a [u8]> + 'a {
        self.fields
            .iter()
            .filter(move |f| f.is(name))
            .map(Field::value)
    }

    /// Whether a field called `name` is present.
    pub fn contains(&self, name: &str) -> bool {
        self.fields.iter().any(|f| f.is(name))
    }

    /// Whether a `Connection` field lists `option` (`close`, `keep-alive`, `upgrade`, ...),
    /// compared case-insensitively (RFC 9110 §7.6.1).
    pub fn has_connection_option(&self, option: &str) -> bool {
        self.get_all("connection").any(|v| {
            v.split(|&b| b == b',')
                .any(|o| o.trim_ascii().eq_ignore_ascii_case(option.as_bytes()))
        })
    }

    /// Appends a field.
    pub fn push(&mut self, field: Field) {
        self.fields.push(field);
    }

    /// Appends `name: value`, checked as [`Field::new`] checks it.
    pub fn append(&mut self, name: impl AsRef<[u8]>, value: impl AsRef<[u8]>) -> Result<(), Error> {
        self.fields.push(Field::new(name, value)?);
        Ok(())
    }

    /// Replaces every field called `name` by one `name: value`, at the place of the first (or at
    /// the end).
    pub fn set(&mut self, name: &str, value: impl AsRef<[u8]>) -> Result<(), Error> {
        let field = Field::new(name, value)?;
        match self.fields.iter().position(|f| f.is(name)) {
            Some(i) => {
                self.remove(name);
                self.fields.insert(i.min(self.fields.len()), field);
            }
            None => self.fields.push(field),
        }
        Ok(())
    }

    /// Removes every field called `name`; returns how many there were.
    pub fn remove(&mut self, name: &str) -> usize {
        let before = self.fields.len();
        self.fields.retain(|f| !f.is(name));
        before - self.fields.len()
    }
}

impl std::fmt::Debug for Headers {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_list().entries(&self.fields).finish()
    }
}

impl<'a> IntoIterator for &'a Headers {
    type Item = &'a Field;
    type IntoIter = std::slice::Iter<'a, Field>;
    fn into_iter(self) -> Self::IntoIter {
        self.fields.iter()
    }
}

impl FromIterator<Field> for Headers {
    fn from_iter<I: IntoIterator<Item = Field>>(iter: I) -> Self {
        Headers {
            fields: iter.into_iter().collect(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn new_fields_are_checked() {
        assert!(Field::new("", "x").is_err());
        assert!(Field::new("a:b", "x").is_err());
        assert!(Field::new("X", " x").is_err());
        assert!(Field::new("X", "x\t").is_err());
        assert!(Field::new("X", "x\0").is_err());
        assert!(Field::new("X", "a\tb c\u{e9}").is_ok());
        assert_eq!(Field::new("X", "").unwrap().line(), b"X: ");
    }

    #[test]
    fn value_errors_point_at_the_offending_byte() {
        let offset = |value: &str| match Field::new("X", value) {
            Err(Error::Syntax { offset, .. }) => offset,
            other => panic!("{other:?}"),
        };
        assert_eq!(offset(" x"), 0);
        assert_eq!(offset("abc "), 3);
        assert_eq!(offset("ab\tc\t"), 4);
        assert_eq!(offset("ab\rc"), 2);
    }

    #[test]
    fn fields_print_escaped() {
        let f = Field::new("X-Name", "caf\u{e9} \u{1b}[31m").unwrap_err();
        assert!(
            matches!(f, Error::Syntax { .. }),
            "ESC is a control character"
        );
        let f = Field::new("X-Name", "caf\u{e9}!").unwrap();
        assert_eq!(f.to_string(), "X-Name: caf\\xc3\\xa9!");
        let mut h = Headers::new();
        h.append("Host", "a").unwrap();
        h.append("Accept", "*/*").unwrap();
        assert_eq!(h.to_string(), "Host: a\nAccept: */*");
    }

    #[test]
    fn lookups_ignore_case_and_keep_order() {
        let mut h = Headers::new();
        h.append("Set-Cookie", "a=1").unwrap();
        h.append("Host", "x").unwrap();
        h.append("set-cookie", "b=2").unwrap();
        assert_eq!(h.get("HOST"), Some(&b"x"[..]));
        assert_eq!(
            h.get_all("Set-Cookie").collect::<Vec<_>>(),
            [&b"a=1"[..], b"b=2"]
        );
        h.set("SET-COOKIE", "c=3").unwrap();
        assert_eq!(h.len(), 2);
        assert_eq!(h.iter().next().unwrap().line(), b"SET-COOKIE: c=3");
        assert_eq!(h.remove("host"), 1);
    }
}
