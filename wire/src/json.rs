//! The JSON side of `wire`: byte strings as ISO-8859-1 strings, hex input and output, objects
//! that keep their keys in the order the contract prints them, and strict field access for the
//! objects `encode` reads.
//!
//! A byte string travels in JSON as a string in which each byte `b` is the character `U+00bb`, so
//! no byte is lost and printable ASCII stays readable; on the way back a character above `U+00FF`
//! is an error.

use std::fmt;

use serde_json::{Map, Value};

/// The JSON string for `bytes`: byte `b` becomes the character `U+00bb`.
pub fn latin1(bytes: &[u8]) -> String {
    bytes.iter().map(|&b| char::from(b)).collect()
}

/// The bytes of a JSON string made by [`latin1`]; a character above `U+00FF` is an error naming
/// the character and its index (in characters).
pub fn from_latin1(text: &str) -> Result<Vec<u8>, String> {
    text.chars()
        .enumerate()
        .map(|(index, c)| {
            u8::try_from(c).map_err(|_| {
                format!(
                    "character U+{:04X} at index {index} is above U+00FF and is not a byte",
                    u32::from(c)
                )
            })
        })
        .collect()
}

/// Lowercase hex digits for `bytes`, no separators.
pub fn to_hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(bytes.len() * 2);
    for &b in bytes {
        for nibble in [b >> 4, b & 0x0f] {
            if let Some(&d) = DIGITS.get(usize::from(nibble)) {
                out.push(char::from(d));
            }
        }
    }
    out
}

/// Where and why hex input is not hex.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HexError {
    /// Byte offset in the hex text.
    pub offset: u64,
    /// What is wrong there.
    pub message: String,
}

/// The bytes that hex `text` spells; ASCII whitespace anywhere is ignored, digits of either case.
pub fn from_hex(text: &[u8]) -> Result<Vec<u8>, HexError> {
    let mut out = Vec::with_capacity(text.len() / 2);
    let mut high: Option<(u8, usize)> = None;
    for (offset, &c) in text.iter().enumerate() {
        if c.is_ascii_whitespace() {
            continue;
        }
        let Some(value) = char::from(c)
            .to_digit(16)
            .and_then(|v| u8::try_from(v).ok())
        else {
            return Err(HexError {
                offset: offset as u64,
                message: format!("byte {c:#04x} is not a hex digit"),
            });
        };
        match high.take() {
            None => high = Some((value, offset)),
            Some((h, _)) => out.push((h << 4) | value),
        }
    }
    match high {
        None => Ok(out),
        Some((_, offset)) => Err(HexError {
            offset: offset as u64,
            message: "odd number of hex digits: the last byte has only one".to_string(),
        }),
    }
}

/// A JSON value to print: a plain `serde_json` value, or an object that keeps its keys in the
/// order they were added (`serde_json`'s own map sorts them).
#[derive(Debug, Clone, PartialEq)]
pub enum Json {
    /// A scalar, string or array, printed as `serde_json` prints it.
    Value(Value),
    /// An object with ordered keys.
    Object(Object),
    /// An array whose elements may be ordered objects.
    Array(Vec<Json>),
}

/// A JSON object whose keys print in insertion order, as the contract lists them.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Object(Vec<(&'static str, Json)>);

impl Object {
    /// An empty object.
    pub fn new() -> Object {
        Object::default()
    }

    /// Adds `key: value` after the keys already there.
    pub fn with(mut self, key: &'static str, value: impl Into<Json>) -> Object {
        self.0.push((key, value.into()));
        self
    }
}

impl fmt::Display for Object {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("{")?;
        for (i, (key, value)) in self.0.iter().enumerate() {
            if i > 0 {
                f.write_str(",")?;
            }
            write!(f, "{}:{value}", Value::from(*key))?;
        }
        f.write_str("}")
    }
}

impl fmt::Display for Json {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Json::Value(v) => write!(f, "{v}"),
            Json::Object(o) => write!(f, "{o}"),
            Json::Array(items) => {
                f.write_str("[")?;
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        f.write_str(",")?;
                    }
                    write!(f, "{item}")?;
                }
                f.write_str("]")
            }
        }
    }
}

impl From<Object> for Json {
    fn from(o: Object) -> Json {
        Json::Object(o)
    }
}

impl From<Vec<Object>> for Json {
    fn from(items: Vec<Object>) -> Json {
        Json::Array(items.into_iter().map(Json::Object).collect())
    }
}

impl From<Value> for Json {
    fn from(v: Value) -> Json {
        Json::Value(v)
    }
}

impl From<String> for Json {
    fn from(s: String) -> Json {
        Json::Value(Value::String(s))
    }
}

impl From<&str> for Json {
    fn from(s: &str) -> Json {
        Json::Value(Value::from(s))
    }
}

macro_rules! json_from_unsigned {
    ($($t:ty),*) => {$(
        impl From<$t> for Json {
            fn from(n: $t) -> Json {
                Json::Value(Value::from(n))
            }
        }
    )*};
}
json_from_unsigned!(u8, u16, u32, u64);

/// The fields of one object that `encode` reads, taken one by one; [`Fields::finish`] rejects any
/// left over, so a misspelt or unexpected key is an error rather than silently dropped.
#[derive(Debug)]
pub struct Fields {
    map: Map<String, Value>,
}

impl Fields {
    /// The fields of `item`, which must be an object.
    pub fn new(item: Value) -> Result<Fields, String> {
        match item {
            Value::Object(map) => Ok(Fields { map }),
            other => Err(format!("expected a JSON object, found {}", kind_of(&other))),
        }
    }

    /// Whether the object has `key` (not yet taken).
    pub fn has(&self, key: &str) -> bool {
        self.map.contains_key(key)
    }

    fn take(&mut self, key: &str) -> Result<Value, String> {
        self.map
            .remove(key)
            .ok_or_else(|| format!("missing field {}", Value::from(key)))
    }

    /// A byte string field (a string of characters up to `U+00FF`).
    pub fn bytes(&mut self, key: &str) -> Result<Vec<u8>, String> {
        match self.take(key)? {
            Value::String(s) => {
                from_latin1(&s).map_err(|e| format!("field {}: {e}", Value::from(key)))
            }
            other => Err(format!(
                "field {} must be a string, found {}",
                Value::from(key),
                kind_of(&other)
            )),
        }
    }

    /// A byte string field that may be `null` (then `None`); the key itself must be there.
    pub fn optional_bytes(&mut self, key: &str) -> Result<Option<Vec<u8>>, String> {
        match self.take(key)? {
            Value::Null => Ok(None),
            Value::String(s) => from_latin1(&s)
                .map(Some)
                .map_err(|e| format!("field {}: {e}", Value::from(key))),
            other => Err(format!(
                "field {} must be a string or null, found {}",
                Value::from(key),
                kind_of(&other)
            )),
        }
    }

    /// A boolean field.
    pub fn bool(&mut self, key: &str) -> Result<bool, String> {
        match self.take(key)? {
            Value::Bool(b) => Ok(b),
            other => Err(format!(
                "field {} must be a boolean, found {}",
                Value::from(key),
                kind_of(&other)
            )),
        }
    }

    /// An array field.
    pub fn array(&mut self, key: &str) -> Result<Vec<Value>, String> {
        match self.take(key)? {
            Value::Array(items) => Ok(items),
            other => Err(format!(
                "field {} must be an array, found {}",
                Value::from(key),
                kind_of(&other)
            )),
        }
    }

    /// An unsigned integer field of at most `max`.
    pub fn uint(&mut self, key: &str, max: u64) -> Result<u64, String> {
        let value = self.take(key)?;
        match value.as_u64() {
            Some(n) if n <= max => Ok(n),
            _ => Err(format!(
                "field {} must be an integer from 0 to {max}, found {value}",
                Value::from(key)
            )),
        }
    }

    /// Succeeds if every field was taken; otherwise names the first one left.
    pub fn finish(self) -> Result<(), String> {
        match self.map.keys().next() {
            None => Ok(()),
            Some(key) => Err(format!("unexpected field {}", Value::from(key.as_str()))),
        }
    }
}

/// What kind of JSON value `v` is, for messages.
fn kind_of(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn every_byte_survives_latin1() {
        let all: Vec<u8> = (0..=255).collect();
        let text = latin1(&all);
        assert_eq!(text.chars().count(), 256);
        assert_eq!(text.chars().nth(0xe9), Some('\u{e9}'));
        assert_eq!(from_latin1(&text).unwrap(), all);
    }

    #[test]
    fn chars_above_ff_are_refused() {
        let e = from_latin1("ab\u{100}").unwrap_err();
        assert!(e.contains("U+0100 at index 2"), "{e}");
        assert!(from_latin1("\u{1F600}").is_err());
    }

    #[test]
    fn hex_ignores_whitespace_and_case() {
        assert_eq!(from_hex(b" 4e 45\n54\tw").map_err(|e| e.offset), Err(10));
        assert_eq!(from_hex(b" 4e 45\n54\t57 ").unwrap(), b"NETW");
        assert_eq!(from_hex(b"4E455457").unwrap(), b"NETW");
        assert_eq!(from_hex(b"").unwrap(), b"");
        assert_eq!(from_hex(b"abc").map_err(|e| e.offset), Err(2));
        assert_eq!(to_hex(b"\x00\xffNETW"), "00ff4e455457");
    }

    #[test]
    fn objects_keep_their_key_order() {
        let o = Object::new()
            .with("type", 7u8)
            .with("payload", latin1(b"a\"\xff"))
            .with("nested", Object::new().with("z", 1u64).with("a", "x"));
        assert_eq!(
            o.to_string(),
            "{\"type\":7,\"payload\":\"a\\\"\u{ff}\",\"nested\":{\"z\":1,\"a\":\"x\"}}"
        );
    }

    #[test]
    fn fields_are_strict() {
        let v: Value = serde_json::from_str(r#"{"type":300,"payload":"x","extra":1}"#).unwrap();
        let mut f = Fields::new(v).unwrap();
        assert!(f.uint("type", 255).unwrap_err().contains("0 to 255"));
        assert_eq!(f.bytes("payload").unwrap(), b"x");
        assert!(f.finish().unwrap_err().contains("\"extra\""));
        assert!(Fields::new(Value::from(3)).is_err());
    }
}
