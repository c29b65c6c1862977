//! What the `wire` CLI tests share: running the built binary, and reading its JSON Lines.
#![allow(
    dead_code,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use std::io::Write;
use std::process::{Command, Stdio};

use serde_json::Value;

/// What one run of `wire` gave.
pub struct Run {
    pub code: i32,
    pub stdout: Vec<u8>,
    pub stderr: String,
}

impl Run {
    pub fn text(&self) -> &str {
        std::str::from_utf8(&self.stdout).expect("stdout is UTF-8")
    }

    /// Each stdout line parsed as JSON.
    pub fn lines(&self) -> Vec<Value> {
        self.text()
            .lines()
            .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{l:?}: {e}")))
            .collect()
    }
}

pub fn wire(args: &[&str], stdin: &[u8]) -> Run {
    let mut child = Command::new(env!("CARGO_BIN_EXE_wire"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("wire runs");
    let mut input = child.stdin.take().unwrap();
    let data = stdin.to_vec();
    let writer = std::thread::spawn(move || {
        // A run that stops reading early closes the pipe; that is not the test's concern.
        let _ = input.write_all(&data);
    });
    let out = child.wait_with_output().unwrap();
    writer.join().unwrap();
    Run {
        code: out.status.code().expect("exited"),
        stdout: out.stdout,
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// `items` as JSON Lines.
pub fn jsonl(items: &[Value]) -> Vec<u8> {
    let mut out = Vec::new();
    for item in items {
        out.extend_from_slice(item.to_string().as_bytes());
        out.push(b'\n');
    }
    out
}

/// The error object of the last line, checking that it is the last line and the status is 1.
pub fn error_of(run: &Run) -> Value {
    assert_eq!(run.code, 1, "stdout: {}", run.text());
    let lines = run.lines();
    let last = lines.last().expect("an error line");
    assert_eq!(last.as_object().unwrap().len(), 1, "{last}");
    let error = last["error"].clone();
    assert_eq!(error.as_object().unwrap().len(), 3, "{error}");
    assert!(error["message"].as_str().is_some_and(|m| !m.is_empty()));
    error
}
