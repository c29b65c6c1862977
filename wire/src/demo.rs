//! `wire demo`: sample conversations through the real codecs and sessions, printed as a
//! transcript.
//!
//! Each protocol adds one section (a function and a line in `SECTIONS`). In the transcript,
//! `C:` lines are what the client sent and `S:` lines what the server sent, each as the other side
//! decoded it and as `wire decode` would print it; `--` lines are notes.

use std::fmt;
use std::io::Write;

use framing::AdapterError;

use crate::{dns, framing_proto, h2, http1, pop3, smtp};

/// A section: its title and the function that runs it.
type Section = (
    &'static str,
    fn(&mut Transcript<'_>) -> Result<(), DemoError>,
);

/// Every section, in the order they are shown.
const SECTIONS: &[Section] = &[
    (
        "framing: handshake, length-prefixed frames, lines",
        framing_proto::demo,
    ),
    (
        "http1: pipelined requests, chunked upload, HEAD",
        http1::demo,
    ),
    (
        "h2: preface, SETTINGS, two concurrent streams, a flow-control stall, a CONTINUATION flood refused",
        h2::demo,
    ),
    (
        "dns: stub client query, truncated UDP answer retried over TCP",
        dns::demo,
    ),
    (
        "smtp: EHLO, pipelined transaction with a refused recipient, dot-stuffing, smuggling refused",
        smtp::demo,
    ),
    (
        "pop3: CAPA, login, LIST, RETR of a message with dot-leading lines, DELE, QUIT",
        pop3::demo,
    ),
];

/// Where the demo prints.
pub struct Transcript<'a> {
    out: &'a mut dyn Write,
}

impl Transcript<'_> {
    /// Prints one line of the transcript.
    pub fn line(&mut self, line: &str) -> Result<(), DemoError> {
        writeln!(self.out, "{line}")?;
        Ok(())
    }
}

/// Why the demo could not finish.
#[derive(Debug)]
pub enum DemoError {
    /// Writing the transcript or a socket operation failed.
    Io(std::io::Error),
    /// A codec refused something the demo expected it to accept.
    Codec(framing::Error),
    /// The conversation did not go as scripted.
    Script(String),
}

impl fmt::Display for DemoError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DemoError::Io(e) => write!(f, "i/o error: {e}"),
            DemoError::Codec(e) => write!(f, "codec error: {e}"),
            DemoError::Script(s) => f.write_str(s),
        }
    }
}

impl From<std::io::Error> for DemoError {
    fn from(e: std::io::Error) -> DemoError {
        DemoError::Io(e)
    }
}

impl From<framing::Error> for DemoError {
    fn from(e: framing::Error) -> DemoError {
        DemoError::Codec(e)
    }
}

impl From<AdapterError<framing::Error>> for DemoError {
    fn from(e: AdapterError<framing::Error>) -> DemoError {
        match e {
            AdapterError::Io(e) => DemoError::Io(e),
            AdapterError::Codec(e) => DemoError::Codec(e),
            other => DemoError::Script(other.to_string()),
        }
    }
}

impl From<&str> for DemoError {
    fn from(s: &str) -> DemoError {
        DemoError::Script(s.to_string())
    }
}

impl From<String> for DemoError {
    fn from(s: String) -> DemoError {
        DemoError::Script(s)
    }
}

/// Runs every section, printing the transcript to `out`.
pub fn run(out: &mut dyn Write) -> Result<(), DemoError> {
    let mut t = Transcript { out };
    for (i, (title, section)) in SECTIONS.iter().enumerate() {
        if i > 0 {
            t.line("")?;
        }
        t.line(&format!("== {title} =="))?;
        section(&mut t)?;
    }
    t.out.flush()?;
    Ok(())
}
