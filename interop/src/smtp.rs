//! What the SMTP interop tests share: the `smtp_server` example with its spool directory, Debian's
//! Python (where `python3-aiosmtpd` is importable), reading what a server stored, test messages,
//! and removing the trace fields an MTA prepends before comparing a delivered message with the
//! one sent.

use std::io;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use crate::{ChildGuard, TempDir, start_example};

/// Debian's Python. The image's `python3` on PATH may be another one (pyenv) that cannot import
/// the `python3-aiosmtpd` package; smtplib is in both, the tests use this one for everything.
pub const SYSTEM_PYTHON: &str = "/usr/bin/python3";

/// [`SYSTEM_PYTHON`], or an error saying how to install it.
pub fn system_python() -> Result<PathBuf, String> {
    let path = PathBuf::from(SYSTEM_PYTHON);
    if path.is_file() {
        Ok(path)
    } else {
        Err(format!(
            "{SYSTEM_PYTHON} is missing: install the Debian packages `python3` and \
             `python3-aiosmtpd` (scripts/test.sh does)"
        ))
    }
}

/// The `smtp_server` example listening on a free port of 127.0.0.1 and storing into its own
/// spool directory; killed when dropped.
#[derive(Debug)]
pub struct SmtpServer {
    /// Its port on 127.0.0.1.
    pub port: u16,
    /// Where it stores each accepted message as `*.eml`.
    pub spool: TempDir,
    _process: ChildGuard,
}

impl SmtpServer {
    /// Starts it (it is killed after `deadline` at the latest) and waits until it listens.
    pub fn start(deadline: Duration) -> io::Result<SmtpServer> {
        let spool = TempDir::new("smtp-spool")?;
        let spool_arg = spool.path().display().to_string();
        let (process, port) = start_example("smtp_server", &["--spool", &spool_arg], deadline)?;
        Ok(SmtpServer {
            port,
            spool,
            _process: process,
        })
    }

    /// `127.0.0.1:PORT`.
    pub fn addr(&self) -> String {
        format!("127.0.0.1:{}", self.port)
    }

    /// The messages stored so far, in arrival order (the example's names sort so).
    pub fn stored(&self) -> io::Result<Vec<Vec<u8>>> {
        stored_messages(self.spool.path(), "eml")
    }
}

/// The contents of the files of `dir` whose names end in `.ext` (hidden temporary files left
/// aside), in the order of their names.
pub fn stored_messages(dir: &Path, ext: &str) -> io::Result<Vec<Vec<u8>>> {
    let mut names: Vec<PathBuf> = std::fs::read_dir(dir)?
        .map(|e| e.map(|e| e.path()))
        .collect::<io::Result<_>>()?;
    names.retain(|p| {
        p.extension().is_some_and(|e| e == ext)
            && !p
                .file_name()
                .is_some_and(|n| n.to_string_lossy().starts_with('.'))
    });
    names.sort();
    names.iter().map(std::fs::read).collect()
}

/// Polls `check` every 20 ms until it returns `Some`, or fails after `timeout`.
pub fn wait_until<T>(
    what: &str,
    timeout: Duration,
    mut check: impl FnMut() -> Option<T>,
) -> io::Result<T> {
    let deadline = Instant::now() + timeout;
    loop {
        if let Some(value) = check() {
            return Ok(value);
        }
        if Instant::now() >= deadline {
            return Err(io::Error::new(
                io::ErrorKind::TimedOut,
                format!("{what}: not after {timeout:?}"),
            ));
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// The trace header fields MTAs prepend on delivery (RFC 5321 §4.4 and common practice).
pub const TRACE_FIELDS: &[&str] = &["Received", "Return-Path", "Delivered-To", "X-Original-To"];

/// Splits off the header fields named in `names` (case-insensitive) that open `message`, each
/// with its folded continuation lines: the fields a delivering MTA prepends. Returns their names
/// as they appear and the rest of the message, untouched. Works with CRLF and LF line ends.
pub fn strip_leading_fields<'a>(message: &'a [u8], names: &[&str]) -> (Vec<String>, &'a [u8]) {
    let mut rest = message;
    let mut removed = Vec::new();
    while let Some(colon) = rest.iter().position(|&b| b == b':') {
        let name = String::from_utf8_lossy(rest.get(..colon).unwrap_or_default()).into_owned();
        if !names.iter().any(|n| n.eq_ignore_ascii_case(&name)) {
            break;
        }
        // The field ends at the first line end not followed by a space or a tab.
        let mut end = colon;
        loop {
            match rest.iter().skip(end).position(|&b| b == b'\n') {
                Some(lf) => {
                    end += lf + 1;
                    if !matches!(rest.get(end), Some(b' ' | b'\t')) {
                        break;
                    }
                }
                None => {
                    end = rest.len();
                    break;
                }
            }
        }
        removed.push(name);
        rest = rest.get(end..).unwrap_or_default();
    }
    (removed, rest)
}

/// `text` with every CRLF turned into LF: how Postfix's local deliveries (pipe, local) write a
/// message it received with CRLF line ends (it stores lines, not line ends).
pub fn crlf_to_lf(text: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(text.len());
    let mut i = 0;
    while let Some(&b) = text.get(i) {
        if b == b'\r' && text.get(i + 1) == Some(&b'\n') {
            i += 1;
            continue;
        }
        out.push(b);
        i += 1;
    }
    out
}

/// A test message with its own Date, Message-ID, From, To and Subject (so no MTA adds any), and
/// a body with the lines SMTP gets wrong: a first body line and others that start with a dot, a
/// line that is a single dot, a line `..`, 8-bit UTF-8 text and bytes that are not UTF-8, a
/// `From ` line, trailing white space. `tag` makes it unique; `line_end` is `"\r\n"` or `"\n"`.
pub fn test_message(tag: &str, from: &str, to: &[&str], line_end: &str) -> Vec<u8> {
    let mut lines: Vec<Vec<u8>> = vec![
        b"Date: Wed, 02 Dec 2026 10:00:00 +0000".to_vec(),
        format!("Message-ID: <{tag}@interop.test>").into_bytes(),
        format!("From: <{from}>").into_bytes(),
        format!(
            "To: {}",
            to.iter()
                .map(|t| format!("<{t}>"))
                .collect::<Vec<_>>()
                .join(", ")
        )
        .into_bytes(),
        format!("Subject: interop {tag}, caf\u{e9} \u{2709}").into_bytes(),
        b"MIME-Version: 1.0".to_vec(),
        b"Content-Type: text/plain; charset=utf-8".to_vec(),
        b"Content-Transfer-Encoding: 8bit".to_vec(),
        Vec::new(),
        b".a first body line that starts with a dot".to_vec(),
        b"..two dots".to_vec(),
        b".".to_vec(),
        b"..".to_vec(),
        b"an ordinary line".to_vec(),
        "8-bit: caf\u{e9}, na\u{ef}ve, \u{65e5}\u{672c}\u{8a9e}, \u{1f4e8}"
            .as_bytes()
            .to_vec(),
        b"bytes that are not UTF-8: \xff\xfe\x80 (latin-1: caf\xe9)".to_vec(),
        b"From the start of a line".to_vec(),
        b"trailing white space \t ".to_vec(),
        Vec::new(),
        format!(". {tag} ends here").into_bytes(),
    ];
    let mut out = Vec::new();
    for line in lines.iter_mut() {
        out.append(line);
        out.extend_from_slice(line_end.as_bytes());
    }
    out
}

/// Bytes shown for an assertion message: printable ASCII as is, the rest escaped, line ends
/// kept readable.
pub fn show(bytes: &[u8]) -> String {
    bytes
        .split_inclusive(|&b| b == b'\n')
        .map(|line| format!("    {}\n", line.escape_ascii()))
        .collect()
}

/// Asserts that `got` and `want` hold the same messages in the same order, byte for byte (the
/// report shows both lists escaped).
pub fn assert_messages_eq(what: &str, got: &[Vec<u8>], want: &[Vec<u8>]) {
    let list = |ms: &[Vec<u8>]| {
        ms.iter()
            .enumerate()
            .map(|(i, m)| format!("  #{i} ({} bytes):\n{}", m.len(), show(m)))
            .collect::<String>()
    };
    assert!(
        got == want,
        "{what}: the stored messages differ from those sent\nstored ({}):\n{}sent ({}):\n{}",
        got.len(),
        list(got),
        want.len(),
        list(want)
    );
}

/// Content that is not a mail message but is still SMTP content: its very first line starts
/// with a dot (the stuffing of the first line is what several SMTP crates get wrong), then lines
/// that would end the data if they were not stuffed.
pub fn dot_first_content(tag: &str) -> Vec<u8> {
    format!(".{tag}: the first line starts with a dot\r\n.\r\n..\r\n.\r\n\r\n. end\r\n")
        .into_bytes()
}
