//! swaks against our `smtp_server` example: the stored files equal what swaks sent, byte for
//! byte. Lockstep and `--pipeline` (the transcript shows MAIL, every RCPT and DATA written
//! before the first reply is read), several recipients, 8-bit content, lines that start with a
//! dot (swaks stuffs them), a file with bare LF line ends (swaks sends CRLF).
//!
//! What swaks sends for `--data @FILE` (its "data fixup", swaks 20201014): the file's header
//! lines rejoined with CRLF, leading dots doubled, bare LF turned into CRLF, then CRLF, `.`,
//! CRLF. So a file that does not end with a line end is stored with one CRLF added, and that is
//! the expected content here. Debian's swaks 20201014 has no BDAT option (`swaks --help` has no
//! BDAT or CHUNKING): BDAT is driven from a raw socket in smtp_smtplib.rs.
//!
//! The test fails (never skips) when swaks is missing: scripts/test.sh installs it.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use interop::smtp::{SmtpServer, assert_messages_eq, test_message};
use interop::{TempDir, find_program, run};

/// How long the server may live, whatever happens to the test.
const DEADLINE: Duration = Duration::from_secs(90);

/// How long one swaks run may take.
const RUN_TIME: Duration = Duration::from_secs(30);

/// Runs swaks against the server; returns its transcript after checking that it succeeded and
/// met no error (its `<**` lines).
fn swaks(server: &SmtpServer, from: &str, to: &[&str], data: &Path, extra: &[&str]) -> String {
    let program = find_program("swaks", &[], "swaks").unwrap_or_else(|e| panic!("{e}"));
    let mut command = Command::new(program);
    command
        .args(["--server", &server.addr(), "--helo", "swaks.test"])
        .args(["--timeout", "10", "--from", from, "--to", &to.join(",")])
        .arg("--data")
        .arg(format!("@{}", data.display()))
        .args(extra);
    let out = run("swaks", &mut command, RUN_TIME).unwrap();
    let transcript = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(
        out.status.success(),
        "swaks {extra:?} failed ({}):\n{transcript}{}",
        out.status,
        out.stderr
    );
    assert!(
        !transcript.lines().any(|l| l.starts_with("<**")),
        "{transcript}"
    );
    let replies: Vec<&str> = transcript
        .lines()
        .filter(|l| l.starts_with("<-  ") && !l.starts_with("<-  250-"))
        .map(|l| l.get(4..7).unwrap_or_default())
        .collect();
    let mut want = vec!["220", "250", "250"];
    want.extend(to.iter().map(|_| "250"));
    want.extend(["354", "250", "221"]);
    assert_eq!(replies, want, "{transcript}");
    transcript
}

/// The commands swaks wrote (` -> ` lines) up to the first reply after EHLO's.
fn written_before_first_reply(transcript: &str) -> Vec<&str> {
    transcript
        .lines()
        .skip_while(|l| !l.starts_with("<-  250 "))
        .skip(1)
        .take_while(|l| l.starts_with(" -> "))
        .collect()
}

#[test]
fn swaks_against_the_smtp_server_example() {
    let started = Instant::now();
    let server = SmtpServer::start(DEADLINE).unwrap();
    let dir = TempDir::new("swaks-msgs").unwrap();
    let write = |name: &str, content: &[u8]| {
        let path = dir.join(name);
        std::fs::write(&path, content).unwrap();
        path
    };
    // A file without its last line end: swaks adds CRLF before the final dot.
    let without_last_crlf = |m: &[u8]| m.strip_suffix(b"\r\n").unwrap().to_vec();
    let without_last_lf = |m: &[u8]| m.strip_suffix(b"\n").unwrap().to_vec();

    // 1. Lockstep, one recipient.
    let to1 = ["a@one.test"];
    let sent1 = test_message("swaks-1", "sender@client.test", &to1, "\r\n");
    let file1 = write("one.eml", &without_last_crlf(&sent1));
    let transcript = swaks(&server, "sender@client.test", &to1, &file1, &[]);
    assert_eq!(
        written_before_first_reply(&transcript),
        [" -> MAIL FROM:<sender@client.test>"],
        "{transcript}"
    );

    // 2. --pipeline, three recipients: one write up to DATA.
    let to2 = ["a@one.test", "b@two.test", "c@three.test"];
    let sent2 = test_message("swaks-2", "sender@client.test", &to2, "\r\n");
    let file2 = write("two.eml", &without_last_crlf(&sent2));
    let transcript = swaks(&server, "sender@client.test", &to2, &file2, &["--pipeline"]);
    assert_eq!(
        written_before_first_reply(&transcript),
        [
            " -> MAIL FROM:<sender@client.test>",
            " -> RCPT TO:<a@one.test>",
            " -> RCPT TO:<b@two.test>",
            " -> RCPT TO:<c@three.test>",
            " -> DATA",
        ],
        "swaks did not pipeline:\n{transcript}"
    );

    // 3. --pipeline, a Unix text file (bare LF): swaks sends it with CRLF.
    let to3 = ["d@one.test", "e@one.test"];
    let sent3 = test_message("swaks-3", "other@client.test", &to3, "\r\n");
    let file3 = write(
        "three.eml",
        &without_last_lf(&test_message("swaks-3", "other@client.test", &to3, "\n")),
    );
    swaks(&server, "other@client.test", &to3, &file3, &["--pipeline"]);

    assert_messages_eq("swaks", &server.stored().unwrap(), &[sent1, sent2, sent3]);
    eprintln!("test took {:?}", started.elapsed());
}
