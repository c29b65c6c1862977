//! The DNS runnable examples, run as users run them (`cargo run --example NAME -- FLAGS`, here
//! the binaries `cargo test` builds), and the blocking resolver, against real programs on
//! 127.0.0.1:
//!
//! - `dig` and `kdig` against `dns_server` serving `dns-codec/examples/example.zone` (the file
//!   its docs name): A, AAAA, MX, TXT and CNAME answers as the zone has them, authoritative;
//!   NXDOMAIN and NODATA with the SOA (its TTL the SOA's MINIMUM, RFC 2308 §3), an empty
//!   non-terminal NODATA (RFC 8020); REFUSED outside the zone; the UDP size rules: 512 octets
//!   without EDNS, the EDNS payload size with it (1232 by default, 4096 with `+bufsize=4096`),
//!   a truncated answer with TC (`+ignore`) and the clients' retry over TCP; several queries on
//!   one TCP connection, and FORMERR to a datagram that does not decode;
//! - `dns_query` against `dns_server`: dig-like output, the TC → TCP retry announced;
//! - `resolver::blocking::Resolver` against `unbound` serving the same zone as `local-data`:
//!   answers, NXDOMAIN, and an RRset over the UDP size that unbound truncates and the resolver
//!   fetches again over TCP.
//!
//! Every dig/kdig run has `+time=2` and one try, every process a time limit. These tests fail
//! (never skip) when dig, kdig, unbound or an example binary is missing: scripts/test.sh
//! installs them and builds the examples.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use std::io::{Read, Write};
use std::net::{SocketAddr, UdpSocket};
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::time::Duration;

use bytes::BytesMut;
use dns_codec::client::{ClientConfig, Event};
use dns_codec::resolver::blocking::Resolver;
use dns_codec::tcp::TcpCodec;
use dns_codec::zone::ZoneLine;
use dns_codec::{Message, Name, Question, RData, RType, Rcode, Record, zone};
use framing::{Decoder, Encoder};
use interop::{
    ChildGuard, IO_TIMEOUT, LOOPBACK, TempDir, connect, example, find_program, free_port, run,
    start_example, wait_for_port,
};

/// How long a server lives, and a client may run, whatever happens to the test.
const RUN_TIME: Duration = Duration::from_secs(60);
const CLIENT_TIME: Duration = Duration::from_secs(20);

/// Records at `medium.` (over 512 octets, under 1232) and `big.` (over 1232, under 4096).
const MEDIUM: usize = 10;
const BIG: usize = 25;

fn zone_path() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../dns-codec/examples/example.zone")
}

fn zone_records() -> Vec<Record> {
    zone::parse(&std::fs::read_to_string(zone_path()).unwrap()).unwrap()
}

fn name(text: &str) -> Name {
    text.parse().unwrap()
}

/// The zone's records at `owner` of `rtype`, as zone-file lines with single spaces.
fn expected(owner: &str, rtype: RType) -> Vec<String> {
    let owner = name(owner);
    let records = zone_records();
    let of = records
        .iter()
        .filter(|r| r.name == owner && r.rtype() == rtype);
    of.map(|r| ZoneLine(r).to_string()).collect()
}

/// The `dns_server` example on a free port of 127.0.0.1 with the example zone.
fn start_server() -> (ChildGuard, u16) {
    let zone = zone_path().display().to_string();
    let mut last = None;
    // The server binds UDP on a port the system picks, then TCP on the same port, which another
    // socket may hold: a few tries.
    for _ in 0..3 {
        match start_example("dns_server", &["--zone", &zone], RUN_TIME) {
            Ok(started) => return started,
            Err(e) => last = Some(e),
        }
    }
    panic!("dns_server did not start: {last:?}");
}

#[derive(Debug, Clone, Copy)]
enum Tool {
    Dig,
    Kdig,
}

/// Runs dig or kdig against 127.0.0.1:`port`; returns standard output and error. Fails the
/// test if it fails.
fn ask(tool: Tool, port: u16, args: &[&str]) -> (String, String) {
    let (program, package, tries) = match tool {
        Tool::Dig => ("dig", "dnsutils", "+tries=1"),
        Tool::Kdig => ("kdig", "knot-dnsutils", "+retry=0"),
    };
    let program = find_program(program, &["/usr/bin", "/usr/local/bin"], package)
        .unwrap_or_else(|e| panic!("{e}"));
    let mut command = Command::new(program);
    command.args(["@127.0.0.1", "-p", &port.to_string(), "+time=2", tries]);
    let out = run(&format!("{tool:?}"), command.args(args), CLIENT_TIME).unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(
        out.status.success(),
        "{tool:?} {args:?}: {}\n{stdout}\n{}",
        out.status,
        out.stderr
    );
    (stdout, out.stderr)
}

/// The record lines of dig's output, whitespace collapsed.
fn records(output: &str) -> Vec<String> {
    let lines = output
        .lines()
        .filter(|l| !l.is_empty() && !l.starts_with(';'));
    lines
        .map(|l| l.split_whitespace().collect::<Vec<_>>().join(" "))
        .collect()
}

fn sorted(mut lines: Vec<String>) -> Vec<String> {
    lines.sort();
    lines
}

#[test]
fn dig_and_kdig_against_the_dns_server_example() {
    let (_server, port) = start_server();
    let dig = |args: &[&str]| ask(Tool::Dig, port, args).0;
    let answer =
        |owner: &str, rtype: &str| sorted(records(&dig(&[owner, rtype, "+noall", "+answer"])));

    for (owner, rtype) in [
        ("www.example.test.", RType::A),
        ("www.example.test.", RType::AAAA),
        ("example.test.", RType::MX),
        ("example.test.", RType::TXT),
        ("example.test.", RType::NS),
        ("host.dept.example.test.", RType::A),
    ] {
        let want = sorted(expected(owner, rtype));
        assert!(!want.is_empty());
        assert_eq!(answer(owner, &rtype.to_string()), want, "{owner} {rtype}");
    }
    // A CNAME is the answer for any type at its name.
    assert_eq!(
        answer("alias.example.test.", "A"),
        expected("alias.example.test.", RType::CNAME)
    );

    // Authoritative; NXDOMAIN with the SOA, its TTL the MINIMUM (60, RFC 2308 §3).
    let soa = "example.test. 60 IN SOA ns.example.test. hostmaster.example.test. 2024010101 3600 900 604800 60";
    let www = dig(&["www.example.test.", "A"]);
    assert!(
        www.contains("status: NOERROR") && www.contains("flags: qr aa rd;"),
        "{www}"
    );
    let nx = dig(&[
        "nope.example.test.",
        "A",
        "+noall",
        "+comments",
        "+authority",
    ]);
    assert!(
        nx.contains("status: NXDOMAIN") && nx.contains(" aa "),
        "{nx}"
    );
    assert_eq!(records(&nx), [soa]);
    // NODATA: the name exists without the type, or only as the parent of a name (RFC 8020).
    for owner in ["www.example.test.", "dept.example.test."] {
        let nodata = dig(&[owner, "MX", "+noall", "+comments", "+authority"]);
        assert!(
            nodata.contains("status: NOERROR") && nodata.contains("ANSWER: 0"),
            "{nodata}"
        );
        assert_eq!(records(&nodata), [soa], "{owner}");
    }
    // Outside the zone: REFUSED.
    let refused = dig(&["www.example.com.", "A"]);
    assert!(refused.contains("status: REFUSED"), "{refused}");

    // Size rules. Without EDNS the limit is 512: `medium` is truncated, dig retries over TCP.
    let medium = dig(&["medium.example.test.", "TXT", "+noedns"]);
    assert!(
        medium.contains(";; Truncated, retrying in TCP mode."),
        "{medium}"
    );
    assert!(medium.contains("(TCP)") && medium.contains(&format!("ANSWER: {MEDIUM},")));
    // With dig's EDNS (1232) it fits UDP; `big` does not, and comes over TCP.
    let medium = dig(&["medium.example.test.", "TXT"]);
    assert!(
        !medium.contains("Truncated") && medium.contains("(UDP)"),
        "{medium}"
    );
    let big = dig(&["big.example.test.", "TXT"]);
    assert!(
        big.contains(";; Truncated, retrying in TCP mode.") && big.contains("(TCP)"),
        "{big}"
    );
    assert_eq!(
        sorted(records(&big)),
        sorted(expected("big.example.test.", RType::TXT))
    );
    assert_eq!(records(&big).len(), BIG);
    // The truncated UDP answer itself: TC, the whole RRset dropped, our OPT record kept.
    let cut = dig(&["big.example.test.", "TXT", "+ignore"]);
    assert!(
        cut.contains("flags: qr aa tc rd;") && cut.contains("ANSWER: 0,"),
        "{cut}"
    );
    assert!(cut.contains("udp: 4096") && cut.contains("(UDP)"), "{cut}");
    // The EDNS payload size is honoured: 4096 gets `big` over UDP.
    let big = dig(&["big.example.test.", "TXT", "+bufsize=4096"]);
    assert!(!big.contains("Truncated") && big.contains("(UDP)"), "{big}");
    assert_eq!(records(&big).len(), BIG);

    // kdig (no EDNS by default): answers, and the retry over TCP for `medium`.
    let (out, _) = ask(Tool::Kdig, port, &["www.example.test.", "A", "+short"]);
    assert_eq!(
        sorted(out.lines().map(str::to_owned).collect()),
        ["192.0.2.1", "192.0.2.2"]
    );
    let (out, err) = ask(Tool::Kdig, port, &["medium.example.test.", "TXT"]);
    assert!(
        err.contains("truncated reply") && out.contains("(TCP)"),
        "{out}\n{err}"
    );
    assert_eq!(records(&out).len(), MEDIUM);
    let (out, err) = ask(
        Tool::Kdig,
        port,
        &["big.example.test.", "TXT", "+bufsize=4096"],
    );
    assert!(
        !err.contains("truncated") && out.contains("(UDP)"),
        "{out}\n{err}"
    );
}

#[test]
fn dns_server_example_over_raw_tcp_and_udp() {
    let (_server, port) = start_server();
    // Three queries in one write on one connection; three answers, in order (RFC 7766 §6.2.1).
    let mut stream = connect(port).unwrap();
    let mut codec = TcpCodec::default();
    let mut out = BytesMut::new();
    let asked = [
        "www.example.test.",
        "big.example.test.",
        "nope.example.test.",
    ];
    for (id, owner) in asked.iter().enumerate() {
        let mut query = Message::default();
        query.header.id = id as u16 + 1;
        query.question.push(Question::new(name(owner), RType::TXT));
        codec.encode(&query, &mut out).unwrap();
    }
    stream.write_all(&out).unwrap();
    let mut input = BytesMut::new();
    let mut got = Vec::new();
    let mut chunk = [0; 4096];
    while got.len() < 3 {
        if let Some(m) = codec.decode(&mut input).unwrap() {
            got.push(m);
            continue;
        }
        let n = stream.read(&mut chunk).unwrap();
        assert_ne!(n, 0, "closed after {} answers", got.len());
        input.extend_from_slice(&chunk[..n]);
    }
    let ids: Vec<u16> = got.iter().map(|m| m.header.id).collect();
    assert_eq!(ids, [1, 2, 3]);
    assert_eq!(got[0].header.rcode, Rcode::NOERROR);
    assert!(got[0].answer.is_empty(), "www has no TXT: NODATA");
    assert_eq!(got[1].answer.len(), BIG, "no size limit over TCP");
    assert!(!got[1].header.tc);
    assert_eq!(got[2].header.rcode, Rcode::NXDOMAIN);

    // A datagram that is not a DNS message, but has an ID: FORMERR with that ID.
    let udp = UdpSocket::bind((LOOPBACK, 0)).unwrap();
    udp.set_read_timeout(Some(IO_TIMEOUT)).unwrap();
    udp.send_to(
        b"\xbe\xef\x01\x00\x00\x01\x00\x00\x00\x00\x00\x00\x07",
        (LOOPBACK, port),
    )
    .unwrap();
    let mut buf = [0; 512];
    let (n, _) = udp.recv_from(&mut buf).unwrap();
    let formerr = Message::decode(&buf[..n]).unwrap();
    assert_eq!(
        (formerr.header.id, formerr.header.rcode),
        (0xbeef, Rcode::FORMERR)
    );
    assert!(formerr.header.qr);
}

fn dns_query(port: u16, args: &[&str]) -> String {
    let mut command = Command::new(example("dns_query").unwrap());
    command.arg(format!("@127.0.0.1:{port}")).args(args);
    let out = run("dns_query", &mut command, CLIENT_TIME).unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(
        out.status.success(),
        "dns_query {args:?}: {}\n{stdout}\n{}",
        out.status,
        out.stderr
    );
    stdout
}

#[test]
fn dns_query_against_the_dns_server_example() {
    let (_server, port) = start_server();
    // The default type is A; dig's header lines; the records in presentation form.
    let www = dns_query(port, &["www.example.test"]);
    assert!(
        www.contains(";; ->>HEADER<<- opcode: QUERY, status: NOERROR, id: "),
        "{www}"
    );
    assert!(
        www.contains(";; flags: qr aa rd; QUERY: 1, ANSWER: 2, AUTHORITY: 0, ADDITIONAL: 1"),
        "{www}"
    );
    assert!(
        www.contains(";; QUESTION SECTION:\n;www.example.test. IN A\n"),
        "{www}"
    );
    assert!(
        www.contains("; EDNS: version: 0, flags:; udp: 4096"),
        "{www}"
    );
    assert_eq!(
        sorted(records(&www)),
        sorted(expected("www.example.test.", RType::A))
    );
    assert!(!www.contains("Truncated"));

    let mx = dns_query(port, &["example.test.", "mx"]);
    assert_eq!(records(&mx), expected("example.test.", RType::MX));

    // Over the 1232 octets the resolver offers: truncated, fetched again over TCP, and said.
    let big = dns_query(port, &["big.example.test.", "TXT"]);
    assert!(
        big.starts_with(";; Truncated, retrying in TCP mode.\n"),
        "{big}"
    );
    assert_eq!(
        sorted(records(&big)),
        sorted(expected("big.example.test.", RType::TXT))
    );

    let nx = dns_query(port, &["nope.example.test."]);
    assert!(
        nx.contains("status: NXDOMAIN") && nx.contains(";; AUTHORITY SECTION:"),
        "{nx}"
    );
    assert_eq!(records(&nx).len(), 1);

    // No server there: a failure after the retransmissions, said on standard error.
    let silent = UdpSocket::bind((LOOPBACK, 0)).unwrap();
    let addr = silent.local_addr().unwrap();
    let mut command = Command::new(example("dns_query").unwrap());
    command.args([format!("@{addr}"), "www.example.test.".to_owned()]);
    let out = run("dns_query", &mut command, CLIENT_TIME).unwrap();
    assert!(!out.status.success());
    assert!(
        out.stderr
            .contains("no answer before the last timer ran out"),
        "{}",
        out.stderr
    );
}

/// A private unbound on 127.0.0.1 serving `records` as a static local zone; killed on drop.
struct Unbound {
    port: u16,
    _dir: TempDir,
    _process: ChildGuard,
}

fn start_unbound(records: &[Record]) -> Unbound {
    let program = find_program("unbound", &["/usr/sbin", "/usr/local/sbin"], "unbound")
        .unwrap_or_else(|e| panic!("{e}"));
    let dir = TempDir::new("unbound-resolver").unwrap();
    let tmp = dir.path().display().to_string();
    let mut last = String::new();
    for _ in 0..3 {
        let port = free_port().unwrap();
        let mut config = format!(
            "server:\n  interface: 127.0.0.1\n  port: {port}\n  do-ip6: no\n  do-daemonize: no\n  \
             chroot: \"\"\n  username: \"\"\n  directory: \"{tmp}\"\n  pidfile: \"\"\n  \
             logfile: \"{tmp}/unbound.log\"\n  use-syslog: no\n  num-threads: 1\n  \
             module-config: \"iterator\"\n  access-control: 127.0.0.0/8 allow\n  \
             root-hints: \"\"\n  local-zone: \"example.test.\" static\n"
        );
        for r in records {
            let line = ZoneLine(r).to_string();
            assert!(!line.contains('\''));
            config.push_str(&format!("  local-data: '{line}'\n"));
        }
        config.push_str("remote-control:\n  control-enable: no\n");
        let path = dir.join("unbound.conf");
        std::fs::write(&path, config).unwrap();
        let mut command = Command::new(&program);
        command.arg("-d").arg("-c").arg(&path);
        command.stdout(Stdio::null()).stderr(Stdio::null());
        let mut process = ChildGuard::spawn("unbound", &mut command, RUN_TIME).unwrap();
        match wait_for_port(port, Duration::from_secs(10), &mut process) {
            Ok(()) => {
                return Unbound {
                    port,
                    _dir: dir,
                    _process: process,
                };
            }
            Err(e) => {
                let log = std::fs::read_to_string(dir.join("unbound.log")).unwrap_or_default();
                last = format!("{e}\n{log}");
            }
        }
    }
    panic!("unbound did not start: {last}");
}

#[test]
fn blocking_resolver_against_unbound() {
    let records = zone_records();
    let unbound = start_unbound(&records);
    let server = SocketAddr::from((LOOPBACK, unbound.port));
    let config = ClientConfig {
        initial_timeout: Duration::from_millis(500),
        ..ClientConfig::default()
    };
    let mut resolver = Resolver::with_config(server, config).unwrap();
    let lines = |m: &Message| sorted(m.answer.iter().map(|r| ZoneLine(r).to_string()).collect());

    let www = resolver
        .resolve(&name("www.example.test."), RType::A)
        .unwrap();
    assert_eq!(www.header.rcode, Rcode::NOERROR);
    assert_eq!(lines(&www), sorted(expected("www.example.test.", RType::A)));
    assert!(resolver.last_events().is_empty());

    // unbound's UDP answers stop at 1232 octets: `big` is truncated, and the resolver asks
    // again over TCP (RFC 7766 §5).
    let big = resolver
        .resolve(&name("big.example.test."), RType::TXT)
        .unwrap();
    assert!(
        matches!(resolver.last_events(), [Event::Truncated { .. }]),
        "{:?}",
        resolver.last_events()
    );
    assert!(!big.header.tc);
    assert_eq!(
        lines(&big),
        sorted(expected("big.example.test.", RType::TXT))
    );
    assert_eq!(big.answer.len(), BIG);

    // `medium` fits the 1232 octets the resolver offers: UDP only.
    let medium = resolver
        .resolve(&name("medium.example.test."), RType::TXT)
        .unwrap();
    assert_eq!(medium.answer.len(), MEDIUM);
    assert!(resolver.last_events().is_empty());

    let nx = resolver
        .resolve(&name("nope.example.test."), RType::A)
        .unwrap();
    assert_eq!(nx.header.rcode, Rcode::NXDOMAIN);
    assert!(matches!(nx.authority.as_slice(), [soa] if matches!(soa.data, RData::Soa(_))));
    assert_eq!(resolver.ignored(), Default::default());
}
