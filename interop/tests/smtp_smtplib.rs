//! Python against our `smtp_server` example: the stored files equal what was sent, byte for
//! byte.
//!
//! - `smtplib` (Python's client; it neither pipelines nor sends BDAT): the EHLO capabilities,
//!   a message to three recipients with 8-bit content and lines that start with a dot, a
//!   transaction abandoned with RSET after MAIL and RCPT (nothing stored), NOOP, content whose
//!   very first line starts with a dot, UTF-8 addresses with SMTPUTF8.
//! - A raw socket in Python, for what smtplib does not do: pipelined groups (RFC 2920) with the
//!   replies checked in order (MAIL, three RCPT and DATA in one write; the content, its end and
//!   the next transaction with a RSET inside in the next), then BDAT (RFC 3030) pipelined behind
//!   MAIL and RCPT, in two chunks cut between a CR and its LF, whose data holds `CRLF.CRLF` and
//!   dot lines that are plain data there, and a BODY=BINARYMIME message with NUL, bare CR and
//!   bare LF ended by `BDAT 0 LAST`. (Debian's swaks 20201014 has no BDAT option: the raw
//!   socket is the BDAT peer.) Last, SMTP smuggling: DATA content ended by `LF.LF`, `CR.CR`
//!   and the other variants, then a smuggled transaction, is answered once with an error at the
//!   real end of data, the smuggled commands are not run, nothing is stored.
//!
//! Debian's `/usr/bin/python3` runs the scripts (smtplib is in the standard library). The tests
//! fail (never skip) when it or the example is missing: scripts/test.sh installs and builds them.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use std::path::PathBuf;
use std::process::Command;
use std::time::{Duration, Instant};

use interop::smtp::{
    SmtpServer, assert_messages_eq, dot_first_content, system_python, test_message,
};
use interop::{TempDir, run};

/// How long the server may live, whatever happens to the test.
const DEADLINE: Duration = Duration::from_secs(90);

/// How long a Python script may run.
const RUN_TIME: Duration = Duration::from_secs(40);

const SMTPLIB: &str = r#"
import smtplib, sys

port = int(sys.argv[1])
msgs = [open(f, 'rb').read() for f in sys.argv[2:]]

s = smtplib.SMTP('127.0.0.1', port, local_hostname='smtplib.test', timeout=10)
code, text = s.ehlo()
assert code == 250, (code, text)
for ext in ['pipelining', '8bitmime', 'smtputf8', 'chunking', 'size', 'enhancedstatuscodes']:
    assert s.has_extn(ext), (ext, text)
print('ehlo ok')

refused = s.sendmail('sender@client.test', ['a@one.test', 'b@two.test', 'c@three.test'], msgs[0],
                     mail_options=['BODY=8BITMIME'])
assert refused == {}, refused
print('three recipients ok')

code, text = s.mail('dropped@client.test')
assert code == 250, (code, text)
code, text = s.rcpt('dropped@one.test')
assert code == 250, (code, text)
code, text = s.rset()
assert code == 250, (code, text)
code, text = s.noop()
assert code == 250, (code, text)
print('rset ok')

assert s.sendmail('after-rset@client.test', ['d@one.test'], msgs[1],
                  mail_options=['BODY=8BITMIME']) == {}
print('after rset ok')

assert s.sendmail('sender@client.test', ['e@one.test'], msgs[2]) == {}
print('dot first ok')

assert s.sendmail('ren\u00e9e@caf\u00e9.test', ['j\u00f6rg@b\u00fccher.test'], msgs[3],
                  mail_options=['SMTPUTF8', 'BODY=8BITMIME']) == {}
print('smtputf8 ok')

code, text = s.quit()
assert code == 221, (code, text)
print('done')
"#;

const RAW: &str = r#"
import re, socket, sys

port = int(sys.argv[1])
msgs = [open(f, 'rb').read() for f in sys.argv[2:]]
sock = socket.create_connection(('127.0.0.1', port), timeout=10)
buf = b''

def replies(n):
    """The next n replies, as (code, lines)."""
    global buf
    out, lines = [], []
    while len(out) < n:
        while b'\r\n' not in buf:
            data = sock.recv(65536)
            if not data:
                raise SystemExit('connection closed after %r' % (out,))
            buf += data
        line, buf = buf.split(b'\r\n', 1)
        lines.append(line)
        if line[3:4] != b'-':
            out.append((int(line[:3]), lines))
            lines = []
    return out

def expect(what, codes):
    got = replies(len(codes))
    assert [c for c, _ in got] == codes, (what, got)
    assert buf == b'', (what, 'more replies than commands', buf)
    print(what, 'ok', [c for c, _ in got])
    return got

def stuff(content):
    return re.sub(rb'(?m)^\.', b'..', content)

expect('greeting', [220])
sock.sendall(b'EHLO raw.test\r\n')
ehlo = b'\n'.join(expect('ehlo', [250])[0][1])
for ext in [b'PIPELINING', b'CHUNKING', b'BINARYMIME', b'8BITMIME']:
    assert ext in ehlo, (ext, ehlo)

# One write: MAIL, three RCPT, DATA.
sock.sendall(b'MAIL FROM:<p@client.test> BODY=8BITMIME\r\nRCPT TO:<a@one.test>\r\n'
             b'RCPT TO:<b@one.test>\r\nRCPT TO:<c@two.test>\r\nDATA\r\n')
expect('pipelined MAIL RCPT RCPT RCPT DATA', [250, 250, 250, 250, 354])

# One write: the content and its end, a transaction reset in the middle, the next one to DATA.
sock.sendall(stuff(msgs[0]) + b'.\r\n'
             b'MAIL FROM:<q@client.test>\r\nRCPT TO:<dropped@one.test>\r\nRSET\r\n'
             b'MAIL FROM:<r@client.test> BODY=8BITMIME\r\nRCPT TO:<d@one.test>\r\nDATA\r\n')
expect('pipelined content MAIL RCPT RSET MAIL RCPT DATA', [250, 250, 250, 250, 250, 250, 354])

# One write: the content, then MAIL, RCPT and two BDAT chunks cut between a CR and its LF.
chunked = msgs[2]
cut = chunked.index(b'\r\n', len(chunked) // 2) + 1
first, last = chunked[:cut], chunked[cut:]
sock.sendall(stuff(msgs[1]) + b'.\r\n'
             b'MAIL FROM:<s@client.test> BODY=8BITMIME\r\nRCPT TO:<f@one.test>\r\n'
             + b'BDAT %d\r\n' % len(first) + first + b'BDAT %d LAST\r\n' % len(last) + last)
expect('pipelined content MAIL RCPT BDAT BDAT-LAST', [250, 250, 250, 250, 250])

# One write: a binary message, BODY=BINARYMIME, in one chunk, then BDAT 0 LAST.
binary = msgs[3]
sock.sendall(b'MAIL FROM:<> BODY=BINARYMIME\r\nRCPT TO:<g@one.test>\r\n'
             + b'BDAT %d\r\n' % len(binary) + binary + b'BDAT 0 LAST\r\n')
expect('pipelined MAIL RCPT BDAT BDAT-0-LAST', [250, 250, 250, 250])

# SMTP smuggling: an end of data other than CRLF.CRLF followed by a smuggled transaction. The
# server answers the whole content once, at its real end, with an error; the smuggled commands
# are never run (NOOP's 250 is the next reply) and nothing is stored.
for variant in [b'\n.\n', b'\r.\r', b'\n.\r\n', b'\r\n.\n', b'\r\n.\r', b'\r\r\n.\r\r\n']:
    sock.sendall(b'MAIL FROM:<h@client.test>\r\nRCPT TO:<h@one.test>\r\nDATA\r\n')
    expect('smuggling %r: MAIL RCPT DATA' % variant, [250, 250, 354])
    sock.sendall(b'Subject: smuggling\r\n\r\nhello' + variant
                 + b'MAIL FROM:<evil@client.test>\r\nRCPT TO:<victim@one.test>\r\nDATA\r\n'
                 + b'smuggled\r\n.\r\n')
    (code, lines), = replies(1)
    assert 500 <= code < 600, (variant, code, lines)
    print('smuggling %r refused:' % variant, lines)
    sock.sendall(b'NOOP\r\n')
    expect('smuggling %r: NOOP' % variant, [250])

sock.sendall(b'QUIT\r\n')
expect('quit', [221])
assert sock.recv(1) == b'', 'the server did not close after QUIT'
print('done')
"#;

/// Runs a Python script against the server with the messages as files; checks that it ran to
/// its end.
fn python(script: &str, server: &SmtpServer, messages: &[Vec<u8>]) -> String {
    let dir = TempDir::new("smtplib-msgs").unwrap();
    let files: Vec<PathBuf> = messages
        .iter()
        .enumerate()
        .map(|(i, m)| {
            let path = dir.join(format!("{i}.eml"));
            std::fs::write(&path, m).unwrap();
            path
        })
        .collect();
    let mut command = Command::new(system_python().unwrap_or_else(|e| panic!("{e}")));
    command
        .args(["-c", script, &server.port.to_string()])
        .args(&files);
    let out = run("python3", &mut command, RUN_TIME).unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    eprintln!("{stdout}{}", out.stderr);
    assert!(
        out.status.success() && stdout.ends_with("done\n"),
        "the script failed ({}):\n{stdout}{}",
        out.status,
        out.stderr
    );
    stdout
}

#[test]
fn smtplib_against_the_smtp_server_example() {
    let started = Instant::now();
    let server = SmtpServer::start(DEADLINE).unwrap();
    let sent = vec![
        test_message(
            "smtplib-1",
            "sender@client.test",
            &["a@one.test", "b@two.test", "c@three.test"],
            "\r\n",
        ),
        test_message(
            "smtplib-2",
            "after-rset@client.test",
            &["d@one.test"],
            "\r\n",
        ),
        dot_first_content("smtplib-3"),
        test_message(
            "smtplib-4",
            "ren\u{e9}e@caf\u{e9}.test",
            &["j\u{f6}rg@b\u{fc}cher.test"],
            "\r\n",
        ),
    ];
    python(SMTPLIB, &server, &sent);
    // The abandoned transaction stored nothing; the others are stored as sent.
    assert_messages_eq("smtplib", &server.stored().unwrap(), &sent);
    eprintln!("test took {:?}", started.elapsed());
}

/// Every byte value, NUL, bare CR and bare LF, and the end-of-data variants of SMTP smuggling,
/// which in BDAT are plain data.
fn binary_content() -> Vec<u8> {
    let mut content = b"Content-Type: application/octet-stream\r\n\r\n".to_vec();
    content.extend((0..=255u8).cycle().take(1024));
    for variant in [
        &b"\n.\n"[..],
        b"\r.\r",
        b"\r\n.\n",
        b"\n.\r\n",
        b"\r\n\x00.\r\n",
        b"\r\n.\r\n",
        b"\r\r\n.\r\r\n",
    ] {
        content.extend_from_slice(b"data");
        content.extend_from_slice(variant);
    }
    content.extend_from_slice(b"no line end at the end");
    content
}

#[test]
fn pipelined_commands_and_bdat_from_a_raw_socket() {
    let started = Instant::now();
    let server = SmtpServer::start(DEADLINE).unwrap();
    let sent = vec![
        test_message(
            "raw-1",
            "p@client.test",
            &["a@one.test", "b@one.test", "c@two.test"],
            "\r\n",
        ),
        test_message("raw-2", "r@client.test", &["d@one.test"], "\r\n"),
        test_message("raw-3-bdat", "s@client.test", &["f@one.test"], "\r\n"),
        binary_content(),
    ];
    python(RAW, &server, &sent);
    assert_messages_eq("raw socket", &server.stored().unwrap(), &sent);
    eprintln!("test took {:?}", started.elapsed());
}
