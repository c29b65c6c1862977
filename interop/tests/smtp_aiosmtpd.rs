//! Our client (the `smtp_send` example) against Python's aiosmtpd (Debian's `python3-aiosmtpd`,
//! run by `/usr/bin/python3`), started by the test on 127.0.0.1 with a small handler that stores
//! each message's content exactly as aiosmtpd hands it over (`envelope.original_content`: the
//! bytes after dot-unstuffing, nothing added) with its envelope beside it, and refuses the
//! recipients whose local part is `nobody`.
//!
//! aiosmtpd offers no PIPELINING and no CHUNKING, so this is our client's lockstep DATA path
//! (the Postfix test covers the pipelined BDAT one). Checked: the stored content equals the file
//! sent byte for byte (a bare-LF file equals its CRLF form), dots first on a line and the first
//! line of the content starting with a dot come back unstuffed, 8-bit content goes with
//! `BODY=8BITMIME`, UTF-8 addresses with `SMTPUTF8`, a refused recipient does not stop the
//! others and makes the exit status 1, and a message every recipient refused is not sent.
//!
//! The test fails (never skips) when aiosmtpd is missing: scripts/test.sh installs it.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use interop::smtp::{assert_messages_eq, dot_first_content, system_python, test_message};
use interop::{ChildGuard, TempDir, example, free_port, run, wait_for_port};

/// How long aiosmtpd may live, whatever happens to the test.
const DEADLINE: Duration = Duration::from_secs(90);

/// How long one smtp_send may run.
const RUN_TIME: Duration = Duration::from_secs(20);

/// The server: aiosmtpd's SMTP protocol class on an asyncio server, and a handler that stores.
const SERVER: &str = r#"
import asyncio, os, sys
from aiosmtpd.smtp import SMTP

port, spool = int(sys.argv[1]), sys.argv[2]

class Store:
    stored = 0

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address.split('@')[0].lower() == 'nobody':
            return '550 5.1.1 <%s>: no such user here' % address
        envelope.rcpt_tos.append(address)
        return '250 2.1.5 OK'

    async def handle_DATA(self, server, session, envelope):
        Store.stored += 1
        name = os.path.join(spool, '%03d' % Store.stored)
        with open(name + '.env', 'w', encoding='utf-8') as f:
            f.write('from %s\n' % envelope.mail_from)
            for rcpt in envelope.rcpt_tos:
                f.write('to %s\n' % rcpt)
            for option in envelope.mail_options:
                f.write('option %s\n' % option)
        with open(name + '.tmp', 'wb') as f:
            f.write(envelope.original_content)
        os.rename(name + '.tmp', name + '.eml')
        return '250 2.0.0 OK stored as %03d' % Store.stored

async def main():
    loop = asyncio.get_running_loop()
    server = await loop.create_server(
        lambda: SMTP(Store(), decode_data=False, enable_SMTPUTF8=True, hostname='aiosmtpd.test'),
        '127.0.0.1', port)
    print('listening on 127.0.0.1:%d' % port, flush=True)
    await server.serve_forever()

asyncio.run(main())
"#;

struct Aiosmtpd {
    port: u16,
    spool: TempDir,
    _process: ChildGuard,
}

impl Aiosmtpd {
    fn start() -> Aiosmtpd {
        let python = system_python().unwrap_or_else(|e| panic!("{e}"));
        let check = run(
            "python3 -c 'import aiosmtpd'",
            Command::new(&python).args(["-c", "import aiosmtpd; print(aiosmtpd.__version__)"]),
            RUN_TIME,
        )
        .unwrap();
        assert!(
            check.status.success(),
            "aiosmtpd is not importable by {}: install the Debian package `python3-aiosmtpd` \
             (scripts/test.sh does)\n{}",
            python.display(),
            check.stderr
        );
        eprintln!("aiosmtpd {}", String::from_utf8_lossy(&check.stdout).trim());
        let spool = TempDir::new("aiosmtpd").unwrap();
        let port = free_port().unwrap();
        let mut command = Command::new(python);
        command
            .args(["-c", SERVER, &port.to_string()])
            .arg(spool.path())
            .stdout(Stdio::null())
            .stderr(Stdio::inherit());
        let mut process = ChildGuard::spawn("aiosmtpd", &mut command, DEADLINE).unwrap();
        wait_for_port(port, Duration::from_secs(15), &mut process).unwrap();
        Aiosmtpd {
            port,
            spool,
            _process: process,
        }
    }

    /// The stored messages and their envelopes, in arrival order.
    fn stored(&self) -> (Vec<Vec<u8>>, Vec<String>) {
        let messages = interop::smtp::stored_messages(self.spool.path(), "eml").unwrap();
        let envelopes = interop::smtp::stored_messages(self.spool.path(), "env")
            .unwrap()
            .into_iter()
            .map(|e| String::from_utf8(e).unwrap())
            .collect();
        (messages, envelopes)
    }
}

/// What `smtp_send` printed, its exit status, and how long it took.
struct Sent {
    code: Option<i32>,
    stdout: String,
    took: Duration,
}

fn smtp_send(port: u16, from: &str, to: &[&str], file: &Path) -> Sent {
    let mut command = Command::new(example("smtp_send").unwrap_or_else(|e| panic!("{e}")));
    command
        .args(["--server", &format!("127.0.0.1:{port}"), "--from", from])
        .args(to.iter().flat_map(|t| ["--to", t]))
        .arg(file);
    let began = Instant::now();
    let out = run("smtp_send", &mut command, RUN_TIME).unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    eprintln!("smtp_send to {to:?}:\n{stdout}{}", out.stderr);
    Sent {
        code: out.status.code(),
        stdout,
        took: began.elapsed(),
    }
}

#[test]
fn smtp_send_against_aiosmtpd() {
    let started = Instant::now();
    let server = Aiosmtpd::start();
    let work = TempDir::new("aiosmtpd-msgs").unwrap();
    let write = |name: &str, content: &[u8]| {
        let path = work.join(name);
        std::fs::write(&path, content).unwrap();
        path
    };

    // 1. 8-bit CRLF content with dot lines, two recipients and a refused one in the middle.
    let to1 = ["alice@one.test", "nobody@one.test", "bob@two.test"];
    let sent1 = test_message("aiosmtpd-1", "sender@client.test", &to1, "\r\n");
    let out = smtp_send(
        server.port,
        "sender@client.test",
        &to1,
        &write("one.eml", &sent1),
    );
    assert_eq!(out.code, Some(1), "{}", out.stdout);
    assert_eq!(
        out.stdout,
        "accepted alice@one.test\naccepted bob@two.test\n\
         refused nobody@one.test: 550 5.1.1 <nobody@one.test>: no such user here\n\
         delivered: 250 2.0.0 OK stored as 001\n"
    );

    // 2. The same message as a Unix text file (bare LF): sent, and stored, with CRLF.
    let to2 = ["carol@one.test"];
    let sent2_lf = test_message("aiosmtpd-2", "sender@client.test", &to2, "\n");
    let out = smtp_send(
        server.port,
        "sender@client.test",
        &to2,
        &write("two.eml", &sent2_lf),
    );
    assert_eq!(out.code, Some(0), "{}", out.stdout);
    let sent2_crlf = test_message("aiosmtpd-2", "sender@client.test", &to2, "\r\n");

    // 3. 7-bit content whose very first line starts with a dot.
    let sent3 = dot_first_content("aiosmtpd-3");
    let out = smtp_send(
        server.port,
        "sender@client.test",
        &["dave@one.test"],
        &write("three.eml", &sent3),
    );
    assert_eq!(out.code, Some(0), "{}", out.stdout);

    // 4. UTF-8 addresses (SMTPUTF8, RFC 6531).
    let to4 = [
        "j\u{f6}rg@b\u{fc}cher.test",
        "\u{7528}\u{6237}@\u{4f8b}\u{5b50}.test",
    ];
    let from4 = "ren\u{e9}e@caf\u{e9}.test";
    let sent4 = test_message("aiosmtpd-4", from4, &to4, "\r\n");
    let out = smtp_send(server.port, from4, &to4, &write("four.eml", &sent4));
    assert_eq!(out.code, Some(0), "{}", out.stdout);

    // 5. Every recipient refused: no content is sent, exit status 1, promptly.
    let out = smtp_send(
        server.port,
        "sender@client.test",
        &["nobody@one.test", "NOBODY@two.test"],
        &write("five.eml", &sent1),
    );
    assert_eq!(out.code, Some(1), "{}", out.stdout);
    assert!(
        out.stdout.contains("refused nobody@one.test: 550 5.1.1 ")
            && out.stdout.contains("refused NOBODY@two.test: 550 5.1.1 ")
            && out.stdout.contains("not delivered: "),
        "{}",
        out.stdout
    );
    assert!(out.took < Duration::from_secs(5), "took {:?}", out.took);

    // SIZE (aiosmtpd offers it) is the content's size as read from the file, CRLF form.
    let envelopes_sent = [
        format!(
            "from sender@client.test\nto alice@one.test\nto bob@two.test\noption SIZE={}\n\
             option BODY=8BITMIME\n",
            sent1.len()
        ),
        format!(
            "from sender@client.test\nto carol@one.test\noption SIZE={}\noption BODY=8BITMIME\n",
            sent2_crlf.len()
        ),
        format!(
            "from sender@client.test\nto dave@one.test\noption SIZE={}\n",
            sent3.len()
        ),
        format!(
            "from {from4}\nto {}\nto {}\noption SIZE={}\noption SMTPUTF8\noption BODY=8BITMIME\n",
            to4[0],
            to4[1],
            sent4.len()
        ),
    ];
    let (messages, envelopes) = server.stored();
    assert_messages_eq("aiosmtpd", &messages, &[sent1, sent2_crlf, sent3, sent4]);
    assert_eq!(envelopes, envelopes_sent);
    eprintln!("test took {:?}", started.elapsed());
}
