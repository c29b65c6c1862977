//! What every protocol of `wire` provides, and the parts they share: the decode loop over a
//! [`framing::Decoder`], the error line of the contract, and where decoded items go.
//!
//! A protocol is a clap `Args` struct (its own options) implementing [`Protocol`]; `main.rs` lists
//! it once in its `Proto` enum.

use std::fmt::Display;
use std::io::{self, Read, Write};

use bytes::BytesMut;
use framing::Decoder;
use serde_json::Value;

use crate::json::{Json, Object};

/// Whose bytes the input is (`--role`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum Role {
    /// "I am the server": the input is what a client sends (requests, commands).
    #[default]
    Server,
    /// "I am the client": the input is what a server sends (responses, replies).
    Client,
}

/// The options every protocol receives, beside its own.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// Whose bytes the input is.
    #[allow(
        dead_code,
        reason = "framing is symmetric; role-dependent protocols (http1, smtp, pop3) read it"
    )]
    pub role: Role,
    /// The `--lenient` flags, each one of [`Protocol::lenient_flags`] (checked by `main`).
    pub lenient: Vec<String>,
}

impl Options {
    /// Whether `--lenient flag` was given.
    pub fn lenient(&self, flag: &str) -> bool {
        self.lenient.iter().any(|f| f == flag)
    }
}

/// One protocol of `wire decode` / `wire encode`.
pub trait Protocol {
    /// The names `--lenient` accepts for this protocol: the codec's own option names.
    fn lenient_flags(&self) -> &'static [&'static str] {
        &[]
    }

    /// Decodes all of `input` (the whole input, already read), sending one object per item to
    /// `sink`, in order. Returns the error that stopped decoding, if any; input ending inside an
    /// item is an error of kind `"incomplete"`.
    fn decode(&self, options: &Options, input: &[u8], sink: &mut Sink<'_>)
    -> Result<(), ItemError>;

    /// Decodes what `input` gives, as [`Protocol::decode`] does; an `Err` is a failure to
    /// read. By default it reads all of `input` first; a protocol that can decode as the
    /// bytes arrive (`zone`) overrides it to run in bounded memory.
    fn decode_read(
        &self,
        options: &Options,
        input: &mut dyn Read,
        sink: &mut Sink<'_>,
    ) -> io::Result<Result<(), ItemError>> {
        let mut bytes = Vec::new();
        input.read_to_end(&mut bytes)?;
        Ok(self.decode(options, &bytes, sink))
    }

    /// An encoder for a sequence of objects, as `decode` prints them.
    fn encoder(&self, options: &Options) -> Box<dyn ItemEncoder>;
}

/// Turns the objects `decode` prints back into bytes, one object at a time (an encoder may keep
/// state between objects, as an HPACK table does).
pub trait ItemEncoder {
    /// Appends the wire form of `item` to `dst`, or says why `item` cannot be encoded (then
    /// nothing is appended).
    fn encode(&mut self, item: Value, dst: &mut BytesMut) -> Result<(), String>;

    /// The input has ended: whether what was encoded is complete (a protocol whose input is
    /// exactly one item refuses none).
    fn finish(&mut self) -> Result<(), String> {
        Ok(())
    }
}

/// An error as the contract prints it: `{"error":{"kind":K,"offset":N,"message":M}}`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ItemError {
    /// A stable kebab-case name.
    pub kind: &'static str,
    /// Byte offset in the input where the error is.
    pub offset: u64,
    /// A readable explanation.
    pub message: String,
}

impl ItemError {
    /// The error `e`, at its own offset or else at `position`, the stream position where the
    /// decoder was when it failed.
    pub fn from_error<E: Reportable>(e: &E, position: u64) -> ItemError {
        ItemError {
            kind: e.kind(),
            offset: e.offset().unwrap_or(position),
            message: e.to_string(),
        }
    }

    /// The object printed as the last line of `decode`.
    pub fn to_json(&self) -> Object {
        Object::new().with(
            "error",
            Object::new()
                .with("kind", self.kind)
                .with("offset", self.offset)
                .with("message", self.message.as_str()),
        )
    }
}

/// A codec error that `wire` can print: a stable kind name and, where the error has one, the
/// offset it happened at.
pub trait Reportable: Display {
    /// The kebab-case kind name (`"incomplete"` for input that ends inside an item).
    fn kind(&self) -> &'static str;
    /// The stream offset the error carries, if it carries one.
    fn offset(&self) -> Option<u64>;
}

/// Where decoded items go: JSON Lines on a writer. The first write error is kept and later items
/// are dropped, so a decoder need not handle I/O errors; `main` checks [`Sink::finish`].
pub struct Sink<'a> {
    out: &'a mut dyn Write,
    error: Option<std::io::Error>,
}

impl<'a> Sink<'a> {
    /// Items go to `out`, one line each.
    pub fn new(out: &'a mut dyn Write) -> Sink<'a> {
        Sink { out, error: None }
    }

    /// Writes one item as a line.
    pub fn item(&mut self, item: impl Into<Json>) {
        if self.error.is_none() {
            if let Err(e) = writeln!(self.out, "{}", item.into()) {
                self.error = Some(e);
            }
        }
    }

    /// Sends the items written so far on (before waiting for more input, so that a reader of
    /// the output sees each item once its input has arrived); a write error is kept for
    /// [`Sink::finish`].
    pub fn flush(&mut self) {
        if self.error.is_none() {
            if let Err(e) = self.out.flush() {
                self.error = Some(e);
            }
        }
    }

    /// Flushes, and reports the first write error.
    pub fn finish(self) -> std::io::Result<()> {
        match self.error {
            Some(e) => Err(e),
            None => self.out.flush(),
        }
    }
}

/// Runs `codec` over all of `input`: `decode` until it needs more, then `decode_eof` until the
/// end, sending `to_json(item)` to `sink` for each item. An error stops decoding; if the codec
/// reports a clean end while bytes are left, that is `"incomplete"` too.
pub fn decode_all<D, F>(
    codec: &mut D,
    input: &[u8],
    sink: &mut Sink<'_>,
    mut to_json: F,
) -> Result<(), ItemError>
where
    D: Decoder,
    D::Error: Reportable,
    F: FnMut(D::Item) -> Object,
{
    let total = input.len() as u64;
    let mut buf = BytesMut::from(input);
    let mut eof = false;
    loop {
        let position = total - buf.len() as u64;
        let result = if eof {
            codec.decode_eof(&mut buf)
        } else {
            codec.decode(&mut buf)
        };
        match result {
            Ok(Some(item)) => sink.item(to_json(item)),
            Ok(None) if !eof => eof = true,
            Ok(None) if buf.is_empty() => return Ok(()),
            Ok(None) => {
                return Err(ItemError {
                    kind: "incomplete",
                    offset: position,
                    message: format!("input ended inside an item: {} bytes left", buf.len()),
                });
            }
            Err(e) => return Err(ItemError::from_error(&e, position)),
        }
    }
}
