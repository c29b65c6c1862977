//! `dig` (BIND 9, package dnsutils) and `kdig` (Knot, package knot-dnsutils) query our example
//! server (`interop::dns_server`, built on `dns_codec`) on 127.0.0.1: A, AAAA, MX and TXT
//! answers exactly as the zone has them, NXDOMAIN and REFUSED, and the size rules: an answer
//! over the UDP size comes back truncated (TC) and the client retries over TCP; without EDNS the
//! limit is 512 octets, with it the 1232 both sides offer; over TCP several queries share one
//! connection.
//!
//! Every run has `+time=2` and one try, and the whole program a time limit. These tests fail
//! (never skip) when dig or kdig is not installed: scripts/test.sh installs them.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use std::path::PathBuf;
use std::process::Command;
use std::sync::atomic::Ordering;
use std::time::Duration;

use dns_codec::{Name, RType, Record};
use interop::dns_server::{self, BIG_COUNT, DnsServer, MEDIUM_COUNT};
use interop::{IO_TIMEOUT, find_program, run};

/// How long one dig or kdig run may take.
const RUN_TIMEOUT: Duration = Duration::from_secs(20);

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Tool {
    Dig,
    Kdig,
}

impl Tool {
    fn program(self) -> PathBuf {
        let (name, package) = match self {
            Tool::Dig => ("dig", "dnsutils"),
            Tool::Kdig => ("kdig", "knot-dnsutils"),
        };
        find_program(name, &["/usr/bin", "/usr/local/bin"], package)
            .unwrap_or_else(|e| panic!("{e}"))
    }

    /// Runs the tool against `server` with the time limits and `args`; returns its standard
    /// output. Fails the test if it exits with an error.
    fn query(self, server: &DnsServer, args: &[&str]) -> String {
        let port = server.port().to_string();
        let mut command = Command::new(self.program());
        command.args(["@127.0.0.1", "-p", &port, "+time=2"]);
        command.arg(match self {
            Tool::Dig => "+tries=1",
            Tool::Kdig => "+retry=0",
        });
        command.args(args);
        let name = format!("{self:?}");
        let out = run(&name, &mut command, RUN_TIMEOUT).unwrap();
        let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
        assert!(
            out.status.success(),
            "{name} {args:?} failed ({}):\n{stdout}\n{}",
            out.status,
            out.stderr
        );
        stdout
    }

    /// `+short` output: one line per record's rdata, without dig's and kdig's comments.
    fn short(self, server: &DnsServer, name: &str, rtype: &str, extra: &[&str]) -> Vec<String> {
        let mut args = vec![name, rtype, "+short"];
        args.extend_from_slice(extra);
        self.query(server, &args)
            .lines()
            .filter(|l| !l.is_empty() && !l.starts_with(";;"))
            .map(str::to_owned)
            .collect()
    }
}

fn start() -> DnsServer {
    let server = DnsServer::start(IO_TIMEOUT).unwrap();
    assert_eq!(
        server.udp_port(),
        server.tcp_port(),
        "dig and kdig use one port for UDP and TCP"
    );
    server
}

/// The records of the zone at `name` of `rtype`, as zone-file lines (`owner ttl IN TYPE rdata`)
/// with single spaces, as our presentation format prints them.
fn expected_lines(name: &str, rtype: RType) -> Vec<String> {
    let owner: Name = name.parse().unwrap();
    dns_server::zone()
        .iter()
        .filter(|r| r.name == owner && r.rtype() == rtype)
        .map(zone_line)
        .collect()
}

fn zone_line(r: &Record) -> String {
    format!("{} {} {} {} {}", r.name, r.ttl, r.class, r.rtype(), r.data)
}

/// The record lines of dig's or kdig's output (`+noall +answer`, or the answer section of the full
/// output), whitespace collapsed.
fn record_lines(output: &str) -> Vec<String> {
    output
        .lines()
        .filter(|l| !l.is_empty() && !l.starts_with(';'))
        .map(|l| l.split_whitespace().collect::<Vec<_>>().join(" "))
        .collect()
}

/// The section of the full output that follows `title` (such as `;; ANSWER SECTION:`), up to the
/// next empty line.
fn section<'a>(output: &'a str, title: &str) -> Vec<&'a str> {
    output
        .lines()
        .skip_while(|l| !l.starts_with(title))
        .skip(1)
        .take_while(|l| !l.is_empty())
        .collect()
}

fn big_short() -> Vec<String> {
    (0..BIG_COUNT)
        .map(|i| format!("\"{}\"", dns_server::big_txt(i)))
        .collect()
}

fn medium_short() -> Vec<String> {
    (0..MEDIUM_COUNT)
        .map(|i| format!("\"{}\"", dns_server::medium_txt(i)))
        .collect()
}

// --- dig -------------------------------------------------------------------------------------

#[test]
fn dig_short_answers_are_exact() {
    let server = start();
    let dig = Tool::Dig;
    assert_eq!(
        dig.short(&server, "www.example.test", "A", &[]),
        ["192.0.2.1", "192.0.2.2"]
    );
    assert_eq!(
        dig.short(&server, "www.example.test", "AAAA", &[]),
        ["2001:db8::1"]
    );
    assert_eq!(
        dig.short(&server, "example.test", "MX", &[]),
        ["10 mail.example.test.", "20 mail2.example.test."]
    );
    assert_eq!(
        dig.short(&server, "example.test", "TXT", &[]),
        ["\"v=spf1 -all\"", "\"hello world\" \"second string\""]
    );
    // Names compare case-insensitively.
    assert_eq!(
        dig.short(&server, "WWW.Example.TEST", "A", &[]),
        ["192.0.2.1", "192.0.2.2"]
    );
    // Existing name, no record of the type: NODATA.
    assert!(dig.short(&server, "www.example.test", "MX", &[]).is_empty());
}

#[test]
fn dig_answer_sections_equal_the_zone() {
    let server = start();
    let literal = Tool::Dig.query(&server, &["www.example.test", "A", "+noall", "+answer"]);
    assert_eq!(
        record_lines(&literal),
        [
            "www.example.test. 300 IN A 192.0.2.1",
            "www.example.test. 300 IN A 192.0.2.2"
        ]
    );
    for (name, rtype, text) in [
        ("www.example.test.", RType::A, "A"),
        ("www.example.test.", RType::AAAA, "AAAA"),
        ("example.test.", RType::MX, "MX"),
        ("example.test.", RType::TXT, "TXT"),
        ("example.test.", RType::SOA, "SOA"),
        ("example.test.", RType::NS, "NS"),
    ] {
        let output = Tool::Dig.query(&server, &[name, text, "+noall", "+answer"]);
        let expected = expected_lines(name, rtype);
        assert!(!expected.is_empty());
        assert_eq!(record_lines(&output), expected, "{name} {text}");
    }
    // The full output: header, flags, question and answer.
    let full = Tool::Dig.query(&server, &["example.test", "MX"]);
    assert!(full.contains("status: NOERROR"), "{full}");
    assert!(full.contains(";; flags: qr aa rd;"), "{full}");
    assert!(
        full.contains("QUERY: 1, ANSWER: 2, AUTHORITY: 0, ADDITIONAL: 1"),
        "{full}"
    );
    assert!(
        full.contains("; EDNS: version: 0, flags:; udp: 1232"),
        "{full}"
    );
    assert_eq!(
        section(&full, ";; QUESTION SECTION:")
            .iter()
            .map(|l| l.split_whitespace().collect::<Vec<_>>().join(" "))
            .collect::<Vec<_>>(),
        [";example.test. IN MX"]
    );
    assert_eq!(
        record_lines(&section(&full, ";; ANSWER SECTION:").join("\n")),
        expected_lines("example.test.", RType::MX)
    );
    assert!(full.contains("(UDP)"), "{full}");
}

#[test]
fn dig_sees_nxdomain_and_refused() {
    let server = start();
    let nx = Tool::Dig.query(&server, &["nope.example.test", "A"]);
    assert!(nx.contains("status: NXDOMAIN"), "{nx}");
    assert!(nx.contains("ANSWER: 0, AUTHORITY: 1"), "{nx}");
    assert_eq!(
        record_lines(&section(&nx, ";; AUTHORITY SECTION:").join("\n")),
        [zone_line(&dns_server::soa())]
    );
    let refused = Tool::Dig.query(&server, &["example.org", "A"]);
    assert!(refused.contains("status: REFUSED"), "{refused}");
}

#[test]
fn dig_retries_a_truncated_udp_answer_over_tcp() {
    let server = start();
    let full = Tool::Dig.query(&server, &["big.example.test", "TXT"]);
    assert!(
        full.contains(";; Truncated, retrying in TCP mode."),
        "{full}"
    );
    assert!(full.contains(&format!("ANSWER: {BIG_COUNT},")), "{full}");
    assert!(full.contains("(TCP)"), "{full}");
    assert_eq!(
        record_lines(&section(&full, ";; ANSWER SECTION:").join("\n")),
        expected_lines("big.example.test.", RType::TXT)
    );
    let short = Tool::Dig.short(&server, "big.example.test", "TXT", &[]);
    assert_eq!(short.len(), BIG_COUNT);
    assert_eq!(short, big_short());
    let stats = server.stats();
    assert_eq!(stats.udp_queries.load(Ordering::SeqCst), 2);
    assert_eq!(stats.tcp_queries.load(Ordering::SeqCst), 2);

    // +ignore: no retry, the truncated answer as it came: TC, no records, OPT kept.
    let ignored = Tool::Dig.query(&server, &["big.example.test", "TXT", "+ignore"]);
    assert!(ignored.contains(";; flags: qr aa tc rd;"), "{ignored}");
    assert!(
        ignored.contains("ANSWER: 0, AUTHORITY: 0, ADDITIONAL: 1"),
        "{ignored}"
    );
    assert!(ignored.contains("(UDP)"), "{ignored}");
    assert!(!ignored.contains("Truncated"), "{ignored}");
}

#[test]
fn dig_over_tcp_directly_shares_one_connection() {
    let server = start();
    let big = Tool::Dig.short(&server, "big.example.test", "TXT", &["+tcp"]);
    assert_eq!(big, big_short());
    assert_eq!(server.stats().udp_queries.load(Ordering::SeqCst), 0);

    // Three queries on one kept-open connection (RFC 7766 §6.2.1).
    let before = server.stats().tcp_connections.load(Ordering::SeqCst);
    let output = Tool::Dig.query(
        &server,
        &[
            "+tcp",
            "+keepopen",
            "+noall",
            "+answer",
            "www.example.test",
            "A",
            "example.test",
            "MX",
            "big.example.test",
            "TXT",
        ],
    );
    let mut expected = expected_lines("www.example.test.", RType::A);
    expected.extend(expected_lines("example.test.", RType::MX));
    expected.extend(expected_lines("big.example.test.", RType::TXT));
    assert_eq!(record_lines(&output), expected);
    let stats = server.stats();
    assert_eq!(stats.tcp_connections.load(Ordering::SeqCst) - before, 1);
    assert_eq!(stats.tcp_queries.load(Ordering::SeqCst), 4);
    assert_eq!(stats.udp_queries.load(Ordering::SeqCst), 0);
}

#[test]
fn dig_without_edns_gets_512_octets() {
    let server = start();
    // Under 1232 but over 512: whole over UDP with EDNS...
    let with = Tool::Dig.query(&server, &["medium.example.test", "TXT", "+ignore"]);
    assert!(with.contains(";; flags: qr aa rd;"), "{with}");
    assert!(with.contains(&format!("ANSWER: {MEDIUM_COUNT},")), "{with}");
    assert!(with.contains("(UDP)"), "{with}");
    let size = msg_size(&with);
    assert!(size > 512 && size <= 1232, "{size}");
    // ... truncated without it: no OPT, TC, at most 512 octets ...
    let without = Tool::Dig.query(
        &server,
        &["medium.example.test", "TXT", "+ignore", "+noedns"],
    );
    assert!(without.contains(";; flags: qr aa tc rd;"), "{without}");
    assert!(
        without.contains("ANSWER: 0, AUTHORITY: 0, ADDITIONAL: 0"),
        "{without}"
    );
    assert!(!without.contains("OPT PSEUDOSECTION"), "{without}");
    assert!(msg_size(&without) <= 512);
    // ... and complete after the retry over TCP.
    let retried = Tool::Dig.query(&server, &["medium.example.test", "TXT", "+noedns"]);
    assert!(
        retried.contains(";; Truncated, retrying in TCP mode."),
        "{retried}"
    );
    assert!(!retried.contains("OPT PSEUDOSECTION"), "{retried}");
    assert_eq!(
        record_lines(&section(&retried, ";; ANSWER SECTION:").join("\n")),
        expected_lines("medium.example.test.", RType::TXT)
    );
    // A small answer without EDNS fits as it is.
    let small = Tool::Dig.query(&server, &["www.example.test", "A", "+noedns"]);
    assert!(small.contains(";; flags: qr aa rd;"), "{small}");
    assert!(!small.contains("OPT PSEUDOSECTION"), "{small}");
    assert!(small.contains("(UDP)"), "{small}");
    assert_eq!(
        Tool::Dig.short(&server, "medium.example.test", "TXT", &["+noedns"]),
        medium_short()
    );
}

/// The `;; MSG SIZE  rcvd: N` of dig's output.
fn msg_size(output: &str) -> usize {
    output
        .lines()
        .find_map(|l| l.strip_prefix(";; MSG SIZE  rcvd: "))
        .unwrap_or_else(|| panic!("no MSG SIZE in {output}"))
        .trim()
        .parse()
        .unwrap()
}

// --- kdig ------------------------------------------------------------------------------------

#[test]
fn kdig_short_answers_are_exact() {
    let server = start();
    let kdig = Tool::Kdig;
    assert_eq!(
        kdig.short(&server, "www.example.test", "A", &[]),
        ["192.0.2.1", "192.0.2.2"]
    );
    assert_eq!(
        kdig.short(&server, "www.example.test", "AAAA", &[]),
        ["2001:db8::1"]
    );
    assert_eq!(
        kdig.short(&server, "example.test", "MX", &[]),
        ["10 mail.example.test.", "20 mail2.example.test."]
    );
    assert_eq!(
        kdig.short(&server, "example.test", "TXT", &[]),
        ["\"v=spf1 -all\"", "\"hello world\" \"second string\""]
    );
    let full = kdig.query(&server, &["example.test", "TXT"]);
    assert!(full.contains("status: NOERROR"), "{full}");
    assert!(full.contains(";; Flags: qr aa rd;"), "{full}");
    assert_eq!(
        record_lines(&section(&full, ";; ANSWER SECTION:").join("\n")),
        expected_lines("example.test.", RType::TXT)
    );
    let nx = kdig.query(&server, &["nope.example.test", "A"]);
    assert!(nx.contains("status: NXDOMAIN"), "{nx}");
}

#[test]
fn kdig_retries_a_truncated_udp_answer_over_tcp() {
    let server = start();
    // kdig sends no OPT record by default: the 512-octet limit.
    let full = Tool::Kdig.query(&server, &["big.example.test", "TXT"]);
    assert!(full.contains(&format!("ANSWER: {BIG_COUNT};")), "{full}");
    assert!(full.contains("(TCP)"), "{full}");
    assert_eq!(
        record_lines(&section(&full, ";; ANSWER SECTION:").join("\n")),
        expected_lines("big.example.test.", RType::TXT)
    );
    let stats = server.stats();
    assert_eq!(stats.udp_queries.load(Ordering::SeqCst), 1);
    assert_eq!(stats.tcp_queries.load(Ordering::SeqCst), 1);

    // +ignore: the truncated UDP answer itself.
    let ignored = Tool::Kdig.query(&server, &["big.example.test", "TXT", "+ignore"]);
    assert!(ignored.contains(";; Flags: qr aa tc rd;"), "{ignored}");
    assert!(ignored.contains("ANSWER: 0;"), "{ignored}");
    assert!(ignored.contains("(UDP)"), "{ignored}");

    // medium: truncated at 512 without EDNS, whole with it.
    let plain = Tool::Kdig.query(&server, &["medium.example.test", "TXT", "+ignore"]);
    assert!(plain.contains(";; Flags: qr aa tc rd;"), "{plain}");
    let edns = Tool::Kdig.query(
        &server,
        &[
            "medium.example.test",
            "TXT",
            "+ignore",
            "+edns",
            "+bufsize=1232",
        ],
    );
    assert!(edns.contains(";; Flags: qr aa rd;"), "{edns}");
    assert!(edns.contains(&format!("ANSWER: {MEDIUM_COUNT};")), "{edns}");
    assert!(edns.contains("(UDP)"), "{edns}");
    assert_eq!(
        Tool::Kdig.short(&server, "medium.example.test", "TXT", &[]),
        medium_short()
    );
}

#[test]
fn kdig_over_tcp_directly() {
    let server = start();
    assert_eq!(
        Tool::Kdig.short(&server, "big.example.test", "TXT", &["+tcp"]),
        big_short()
    );
    assert_eq!(
        Tool::Kdig.short(&server, "www.example.test", "AAAA", &["+tcp"]),
        ["2001:db8::1"]
    );
    assert_eq!(server.stats().udp_queries.load(Ordering::SeqCst), 0);
    assert_eq!(server.stats().tcp_queries.load(Ordering::SeqCst), 2);
}

#[test]
fn the_big_name_really_exceeds_the_udp_sizes() {
    // Guards the premise of the truncation tests.
    let zone = dns_server::zone();
    let size = |name: &str| {
        let owner: Name = name.parse().unwrap();
        let m = dns_codec::Message {
            answer: zone.iter().filter(|r| r.name == owner).cloned().collect(),
            ..Default::default()
        };
        m.encode().unwrap().len()
    };
    assert!(size("big.example.test.") > 2 * 1232);
    let medium = size("medium.example.test.");
    assert!(medium > 512 && medium + 60 < 1232, "{medium}");
}
