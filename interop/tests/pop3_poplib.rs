//! Python's `poplib`, and a raw socket, against our `pop3_server` example serving a directory of
//! `*.eml` files: the messages retrieved equal the files byte for byte, and DELE then QUIT
//! removes the files while DELE then RSET then QUIT does not.
//!
//! - `poplib` (lockstep; it has no SASL): the greeting's APOP timestamp, CAPA, USER/PASS, STAT,
//!   LIST (all and one), UIDL (all and one, the same ids on every connection), RETR of every
//!   message (lines that start with a dot, a lone dot, 8-bit text, an empty body, 200 KB), TOP
//!   with 0, 2 and more lines than the body has, DELE then RSET, a deleted message refused, a
//!   refused password, APOP, DELE then QUIT. poplib splits lines and unstuffs dots: the script
//!   joins them with CRLF and writes them out, the test compares the files.
//! - A raw socket, for what poplib does not do: USER, PASS, STAT, LIST and QUIT in one write
//!   (RFC 2449 PIPELINING) answered in order, then AUTH PLAIN with an initial response followed
//!   by a pipelined RETR, DELE, RSET, DELE, QUIT; the raw RETR response is the file dot-stuffed.
//!
//! Debian's `/usr/bin/python3` runs the script (poplib is in the standard library). The tests
//! fail (never skip) when it or the example is missing: scripts/test.sh installs and builds them.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use std::io::{Read, Write};
use std::process::Command;
use std::time::{Duration, Instant};

use interop::pop3::{PASS, Pop3Server, USER, test_messages, top_of};
use interop::smtp::{show, system_python};
use interop::{TempDir, connect, run};
use pop3_codec::sasl_plain_message;

/// How long the server may live, whatever happens to the test.
const DEADLINE: Duration = Duration::from_secs(90);

/// How long the Python script may run.
const RUN_TIME: Duration = Duration::from_secs(40);

const POPLIB: &str = r#"
import os, poplib, re, sys

port, user, password, maildir, out = int(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4], sys.argv[5]
names = sorted(n for n in os.listdir(maildir) if n.endswith('.eml'))
msgs = [open(os.path.join(maildir, n), 'rb').read() for n in names]
n, total = len(msgs), sum(len(m) for m in msgs)

def save(name, lines):
    with open(os.path.join(out, name), 'wb') as f:
        f.write(b''.join(l + b'\r\n' for l in lines))

def connect():
    p = poplib.POP3('127.0.0.1', port, timeout=10)
    welcome = p.getwelcome()
    assert welcome.startswith(b'+OK ') and re.search(rb'<[^<>@]+@[^<>]+>', welcome), welcome
    return p

p = connect()
caps = p.capa()
for cap in ['TOP', 'UIDL', 'USER', 'PIPELINING', 'RESP-CODES', 'AUTH-RESP-CODE']:
    assert cap in caps, (cap, caps)
assert caps['SASL'] == ['PLAIN'], caps
assert p.user(user).startswith(b'+OK'), 'USER'
assert p.pass_(password).startswith(b'+OK'), 'PASS'
assert p.stat() == (n, total), (p.stat(), n, total)
resp, listing, _ = p.list()
assert resp.startswith(b'+OK'), resp
assert listing == [b'%d %d' % (i + 1, len(m)) for i, m in enumerate(msgs)], listing
assert p.list(2).split()[1:] == [b'2', b'%d' % len(msgs[1])], p.list(2)
resp, uids, _ = p.uidl()
uids = [u.split() for u in uids]
assert [int(m) for m, _ in uids] == list(range(1, n + 1)), uids
assert len({u for _, u in uids}) == n, ('uids not unique', uids)
for m, u in uids:
    assert re.fullmatch(rb'[\x21-\x7e]{1,70}', u), u
assert p.uidl(3).split()[1:] == uids[2], (p.uidl(3), uids)
print('stat list uidl ok')

for i in range(n):
    resp, lines, octets = p.retr(i + 1)
    assert resp.startswith(b'+OK'), resp
    save('retr-%d.eml' % (i + 1), lines)
print('retr ok')
for k in [0, 2, 1000]:
    resp, lines, _ = p.top(1, k)
    save('top-1-%d.eml' % k, lines)
print('top ok')

# DELE then RSET: nothing is deleted.
assert p.dele(2).startswith(b'+OK')
assert p.stat() == (n - 1, total - len(msgs[1])), p.stat()
for cmd in [lambda: p.retr(2), lambda: p.list(2), lambda: p.dele(2)]:
    try:
        cmd()
        raise SystemExit('a deleted message was served')
    except poplib.error_proto as e:
        assert e.args[0].startswith(b'-ERR'), e
assert p.rset().startswith(b'+OK')
assert p.stat() == (n, total), p.stat()
assert p.dele(2).startswith(b'+OK')
assert p.rset().startswith(b'+OK')
assert p.quit().startswith(b'+OK')
assert sorted(n for n in os.listdir(maildir) if n.endswith('.eml')) == names, 'RSET deleted files'
print('dele rset quit ok')

# A wrong password, then APOP on the next connection; DELE then QUIT deletes.
p = connect()
p.user(user)
try:
    p.pass_('wrong')
    raise SystemExit('a wrong password was accepted')
except poplib.error_proto as e:
    assert e.args[0].startswith(b'-ERR'), e
p.quit()
p = connect()
assert p.apop(user, password).startswith(b'+OK'), 'APOP'
assert p.stat() == (n, total), p.stat()
assert p.dele(1).startswith(b'+OK') and p.dele(3).startswith(b'+OK')
assert p.quit().startswith(b'+OK')
left = sorted(n for n in os.listdir(maildir) if n.endswith('.eml'))
assert left == [names[1]] + names[3:], left
print('apop dele quit ok')

# The same uids for the messages left.
p = connect()
p.user(user)
p.pass_(password)
resp, again, _ = p.uidl()
assert [u.split()[1] for u in again] == [uids[1][1]] + [u for _, u in uids[3:]], (again, uids)
assert p.stat() == (n - 2, total - len(msgs[0]) - len(msgs[2])), p.stat()
p.quit()
print('done')
"#;

#[test]
fn poplib_against_the_pop3_server_example() {
    let started = Instant::now();
    let messages = test_messages("poplib");
    let server = Pop3Server::start(&messages, DEADLINE).unwrap();
    let files = server.files().unwrap();
    let out = TempDir::new("poplib-out").unwrap();
    let mut command = Command::new(system_python().unwrap_or_else(|e| panic!("{e}")));
    command.args(["-c", POPLIB, &server.port.to_string(), USER, PASS]);
    command.arg(server.maildir.path()).arg(out.path());
    let output = run("python3", &mut command, RUN_TIME).unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
    eprintln!("{stdout}{}", output.stderr);
    assert!(
        output.status.success() && stdout.ends_with("done\n"),
        "the script failed ({}):\n{stdout}{}",
        output.status,
        output.stderr
    );
    // What poplib retrieved, lines joined with CRLF, equals each file byte for byte.
    for (i, message) in messages.iter().enumerate() {
        let got = std::fs::read(out.join(format!("retr-{}.eml", i + 1))).unwrap();
        assert!(
            got == *message,
            "RETR {}: {} bytes, the file {}:\n{}",
            i + 1,
            got.len(),
            message.len(),
            show(got.get(..400).unwrap_or(&got))
        );
    }
    for k in [0, 2, 1000] {
        let got = std::fs::read(out.join(format!("top-1-{k}.eml"))).unwrap();
        assert_eq!(show(&got), show(&top_of(&messages[0], k)), "TOP 1 {k}");
    }
    // Messages 1 and 3 deleted by the APOP session's QUIT, the others untouched.
    let left = server.files().unwrap();
    let want: Vec<_> = files
        .iter()
        .enumerate()
        .filter(|(i, _)| *i != 0 && *i != 2)
        .map(|(_, f)| f.clone())
        .collect();
    assert_eq!(left, want, "the files left");
    eprintln!("test took {:?}", started.elapsed());
}

/// Reads until the peer closes.
fn read_to_close(stream: &mut std::net::TcpStream) -> Vec<u8> {
    let mut got = Vec::new();
    stream
        .read_to_end(&mut got)
        .unwrap_or_else(|e| panic!("reading to close: {e}; got so far:\n{}", show(&got)));
    got
}

/// The next CRLF-ended line of `buf` from `*at`.
fn line<'a>(buf: &'a [u8], at: &mut usize) -> &'a [u8] {
    let rest = &buf[*at..];
    let end = rest
        .windows(2)
        .position(|w| w == b"\r\n")
        .unwrap_or_else(|| panic!("no more lines at {at}:\n{}", show(buf)));
    *at += end + 2;
    &rest[..end]
}

/// `content` dot-stuffed and ended by the terminator, as a multi-line response carries it.
fn stuffed(content: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    for l in content.split_inclusive(|&b| b == b'\n') {
        if l.first() == Some(&b'.') {
            out.push(b'.');
        }
        out.extend_from_slice(l);
    }
    out.extend_from_slice(b".\r\n");
    out
}

#[test]
fn pipelined_commands_from_a_raw_socket() {
    let started = Instant::now();
    let messages = test_messages("raw");
    let server = Pop3Server::start(&messages, DEADLINE).unwrap();
    let files = server.files().unwrap();

    // USER, PASS, STAT, LIST, QUIT in one write: five responses in order, then the close.
    let mut s = connect(server.port).unwrap();
    s.write_all(format!("USER {USER}\r\nPASS {PASS}\r\nSTAT\r\nLIST\r\nQUIT\r\n").as_bytes())
        .unwrap();
    let got = read_to_close(&mut s);
    let mut at = 0;
    let greeting = line(&got, &mut at);
    assert!(greeting.starts_with(b"+OK "), "{}", show(&got));
    assert!(
        line(&got, &mut at).starts_with(b"+OK"),
        "USER: {}",
        show(&got)
    );
    assert!(
        line(&got, &mut at).starts_with(b"+OK"),
        "PASS: {}",
        show(&got)
    );
    let total: usize = messages.iter().map(Vec::len).sum();
    assert_eq!(
        show(line(&got, &mut at)),
        show(format!("+OK {} {total}", messages.len()).as_bytes()),
        "STAT"
    );
    assert!(
        line(&got, &mut at).starts_with(b"+OK"),
        "LIST: {}",
        show(&got)
    );
    for (i, m) in messages.iter().enumerate() {
        assert_eq!(
            show(line(&got, &mut at)),
            show(format!("{} {}", i + 1, m.len()).as_bytes()),
            "LIST line"
        );
    }
    assert_eq!(line(&got, &mut at), b".", "LIST end");
    assert!(
        line(&got, &mut at).starts_with(b"+OK"),
        "QUIT: {}",
        show(&got)
    );
    assert_eq!(at, got.len(), "more than five responses:\n{}", show(&got));

    // AUTH PLAIN with an initial response; then RETR, DELE, RSET, DELE, QUIT in one write.
    let mut s = connect(server.port).unwrap();
    let plain = sasl_plain_message(USER, PASS);
    let mut greeting = [0u8; 512];
    let n = s.read(&mut greeting).unwrap();
    assert!(
        greeting[..n].starts_with(b"+OK "),
        "{}",
        show(&greeting[..n])
    );
    s.write_all(
        format!(
            "AUTH PLAIN {}\r\n",
            pop3_codec::InitialResponse::encode(&plain).as_str()
        )
        .as_bytes(),
    )
    .unwrap();
    let mut auth = [0u8; 512];
    let n = s.read(&mut auth).unwrap();
    assert!(
        auth[..n].starts_with(b"+OK"),
        "AUTH PLAIN: {}",
        show(&auth[..n])
    );
    assert!(auth[..n].ends_with(b"\r\n"), "{}", show(&auth[..n]));
    s.write_all(b"RETR 1\r\nDELE 2\r\nRSET\r\nDELE 3\r\nQUIT\r\n")
        .unwrap();
    let got = read_to_close(&mut s);
    let mut at = 0;
    let status = line(&got, &mut at);
    assert!(status.starts_with(b"+OK"), "RETR: {}", show(&got));
    let body = stuffed(&messages[0]);
    assert!(
        got[at..].starts_with(&body),
        "RETR 1 is not the file dot-stuffed:\n{}",
        show(&got)
    );
    at += body.len();
    for what in ["DELE 2", "RSET", "DELE 3", "QUIT"] {
        assert!(
            line(&got, &mut at).starts_with(b"+OK"),
            "{what}: {}",
            show(&got)
        );
    }
    assert_eq!(
        at,
        got.len(),
        "more responses than commands:\n{}",
        show(&got)
    );
    // Only message 3 was deleted (DELE 2 was undone by RSET).
    let left = server.files().unwrap();
    let want: Vec<_> = files
        .iter()
        .enumerate()
        .filter(|(i, _)| *i != 2)
        .map(|(_, f)| f.clone())
        .collect();
    assert_eq!(left, want, "the files left");
    eprintln!("test took {:?}", started.elapsed());
}
