//! Our stub client (`dns_codec::client::StubClient`, driven over real UDP and TCP sockets with the
//! real clock) against a private `unbound` on 127.0.0.1 that serves a `static` local zone from
//! `local-data` lines, and never recurses to the outside.
//!
//! Every record type unbound can serve from local data comes back and decodes: the types
//! dns-codec types (A, AAAA, NS, CNAME, DNAME, SOA, PTR, MX, TXT, HINFO, SRV, NAPTR, CAA, SSHFP,
//! TLSA, DS, DNSKEY, NSEC3PARAM, SVCB, HTTPS) equal the rdata our presentation parser reads from
//! the very text unbound was given (two independent readings: unbound's zone parser and wire
//! encoder, our wire decoder and presentation parser), some also spelled out field by field;
//! the types it keeps opaque (RP, AFSDB, URI, a private type) are compared with the RFC wire
//! form written out here by hand. Also: a name unbound answers NXDOMAIN (with the zone's SOA),
//! and an RRset too big for UDP, which unbound truncates and our client fetches again over TCP.
//!
//! unbound runs as the current user (`username: ""`, `chroot: ""`, `do-daemonize: no`) with
//! every path in a temporary directory; a guard kills it when the test ends. The tests fail
//! (never skip) when unbound is not installed: scripts/test.sh installs it.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use std::io::{self, Read, Write};
use std::net::{Ipv4Addr, Ipv6Addr, SocketAddr, TcpStream, UdpSocket};
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use bytes::Bytes;
use dns_codec::client::{ClientConfig, Event, StubClient, Transport};
use dns_codec::rdata::{Caa, Mx, Soa, Srv, Sshfp, Txt};
use dns_codec::{Class, Message, Name, Question, RData, RType, Rcode, Record};
use interop::{ChildGuard, IO_TIMEOUT, LOOPBACK, TempDir, find_program, wait_for_port};

/// How long unbound may live, whatever happens to the test.
const UNBOUND_DEADLINE: Duration = Duration::from_secs(60);

/// How long one query may take, retransmissions and the TCP retry included.
const QUERY_DEADLINE: Duration = Duration::from_secs(10);

/// The TTL of every local-data record.
const TTL: u32 = 300;

/// TXT records at `big.example.test.`: about 3 KiB, over any UDP size.
const BIG_COUNT: usize = 60;

fn name(text: &str) -> Name {
    text.parse().unwrap()
}

/// How a served record is checked.
enum Expect {
    /// dns-codec types it: the rdata equals what our presentation parser reads from the
    /// local-data text, and is a typed variant.
    Typed,
    /// The typed value, spelled out (and also the above).
    Value(RData),
    /// The RFC wire form of the rdata (types dns-codec keeps opaque, or checks of the bytes).
    Wire(Vec<u8>),
}

/// One local-data record: owner, type, rdata as unbound reads it, and the check.
struct Served {
    owner: &'static str,
    rtype: RType,
    text: String,
    expect: Expect,
}

fn served(owner: &'static str, rtype: RType, text: &str, expect: Expect) -> Served {
    Served {
        owner,
        rtype,
        text: text.to_owned(),
        expect,
    }
}

fn hex(text: &str) -> Vec<u8> {
    (0..text.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&text[i..i + 2], 16).unwrap())
        .collect()
}

fn wire_name(text: &str) -> Vec<u8> {
    name(text).as_wire().to_vec()
}

const SSHFP_HEX: &str = "123456789abcdef67890123456789abcdef67890";
const TLSA_HEX: &str = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
const DS_HEX: &str = "2bb183af5f22588179a53b0a98631fad1a292118b7b2e9b7b9d7a9d56a1b4b43";
/// 64 octets, an ECDSA P-256 public key's size (not a real key: nothing validates here).
const DNSKEY_B64: &str =
    "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8gISIjJCUmJygpKissLS4vMDEyMzQ1Njc4OTo7PD0+Pw==";

/// The zone: every type unbound serves from local data, with the check of each.
fn zone() -> Vec<Served> {
    let mut uri = vec![0, 10, 0, 1];
    uri.extend_from_slice(b"https://www.example.test/");
    let mut rp = wire_name("admin.example.test.");
    rp.extend(wire_name("info.example.test."));
    let mut afsdb = vec![0, 1];
    afsdb.extend(wire_name("afs.example.test."));
    let mut txt_wire = vec![11];
    txt_wire.extend_from_slice(b"v=spf1 -all");
    let mut v = vec![
        served(
            "example.test.",
            RType::SOA,
            "ns.example.test. hostmaster.example.test. 2024010101 3600 900 604800 60",
            Expect::Value(RData::Soa(Box::new(Soa {
                mname: name("ns.example.test."),
                rname: name("hostmaster.example.test."),
                serial: 2_024_010_101,
                refresh: 3600,
                retry: 900,
                expire: 604_800,
                minimum: 60,
            }))),
        ),
        served(
            "example.test.",
            RType::NS,
            "ns.example.test.",
            Expect::Value(RData::Ns(name("ns.example.test."))),
        ),
        served(
            "www.example.test.",
            RType::A,
            "192.0.2.1",
            Expect::Value(RData::A(Ipv4Addr::new(192, 0, 2, 1))),
        ),
        served(
            "www.example.test.",
            RType::A,
            "192.0.2.2",
            Expect::Wire(vec![192, 0, 2, 2]),
        ),
        served(
            "www.example.test.",
            RType::AAAA,
            "2001:db8::1",
            Expect::Value(RData::Aaaa(Ipv6Addr::new(0x2001, 0xdb8, 0, 0, 0, 0, 0, 1))),
        ),
        served(
            "example.test.",
            RType::MX,
            "10 mail.example.test.",
            Expect::Value(RData::Mx(Mx {
                preference: 10,
                exchange: name("mail.example.test."),
            })),
        ),
        served(
            "example.test.",
            RType::TXT,
            "\"v=spf1 -all\"",
            Expect::Wire(txt_wire),
        ),
        served(
            "example.test.",
            RType::TXT,
            "\"hello world\" \"second string\"",
            Expect::Value(RData::Txt(Txt {
                strings: vec![
                    Bytes::from_static(b"hello world"),
                    Bytes::from_static(b"second string"),
                ],
            })),
        ),
        served(
            "alias.example.test.",
            RType::CNAME,
            "www.example.test.",
            Expect::Value(RData::Cname(name("www.example.test."))),
        ),
        served(
            "old.example.test.",
            RType::DNAME,
            "new.example.test.",
            Expect::Value(RData::Dname(name("new.example.test."))),
        ),
        served(
            "www.example.test.",
            RType::HINFO,
            "\"x86_64\" \"Linux\"",
            Expect::Typed,
        ),
        served(
            "_sip._tcp.example.test.",
            RType::SRV,
            "0 5 5060 sip.example.test.",
            Expect::Value(RData::Srv(Srv {
                priority: 0,
                weight: 5,
                port: 5060,
                target: name("sip.example.test."),
            })),
        ),
        served(
            "example.test.",
            RType::NAPTR,
            "100 10 \"S\" \"SIP+D2U\" \"\" _sip._udp.example.test.",
            Expect::Typed,
        ),
        served(
            "example.test.",
            RType::CAA,
            "0 issue \"ca.example.net\"",
            Expect::Value(RData::Caa(Box::new(Caa {
                flags: 0,
                tag: "issue".to_owned(),
                value: Bytes::from_static(b"ca.example.net"),
            }))),
        ),
        served(
            "www.example.test.",
            RType::SSHFP,
            &format!("1 1 {SSHFP_HEX}"),
            Expect::Value(RData::Sshfp(Sshfp {
                algorithm: 1,
                fp_type: 1,
                fingerprint: Bytes::from(hex(SSHFP_HEX)),
            })),
        ),
        served(
            "_443._tcp.www.example.test.",
            RType::TLSA,
            &format!("3 1 1 {TLSA_HEX}"),
            Expect::Typed,
        ),
        served(
            "sub.example.test.",
            RType::DS,
            &format!("12345 13 2 {DS_HEX}"),
            Expect::Typed,
        ),
        served(
            "example.test.",
            RType::DNSKEY,
            &format!("257 3 13 {DNSKEY_B64}"),
            Expect::Typed,
        ),
        served(
            "example.test.",
            RType::NSEC3PARAM,
            "1 0 10 abcd",
            Expect::Typed,
        ),
        served(
            "_dns.example.test.",
            RType::SVCB,
            "1 dns.example.test. alpn=dot port=853",
            Expect::Typed,
        ),
        served(
            "www.example.test.",
            RType::HTTPS,
            "1 . alpn=h2,h3",
            Expect::Typed,
        ),
        // Types dns-codec keeps as opaque bytes.
        served(
            "example.test.",
            RType(17),
            "admin.example.test. info.example.test.",
            Expect::Wire(rp),
        ),
        served(
            "example.test.",
            RType(18),
            "1 afs.example.test.",
            Expect::Wire(afsdb),
        ),
        served(
            "_http._tcp.example.test.",
            RType(256),
            "10 1 \"https://www.example.test/\"",
            Expect::Wire(uri),
        ),
        served(
            "private.example.test.",
            RType(65280),
            "\\# 3 abcdef",
            Expect::Wire(vec![0xab, 0xcd, 0xef]),
        ),
    ];
    for i in 0..BIG_COUNT {
        v.push(served(
            "big.example.test.",
            RType::TXT,
            &format!("\"big record {i:02}: the quick brown fox jumps over the lazy dog\""),
            Expect::Typed,
        ));
    }
    v
}

/// The type's mnemonic for unbound's zone parser (`TYPEnnn` for the ones we have no name for).
fn type_text(rtype: RType) -> String {
    match rtype.0 {
        17 => "RP".to_owned(),
        18 => "AFSDB".to_owned(),
        256 => "URI".to_owned(),
        _ => rtype.to_string(),
    }
}

/// The rdata our side expects for `s`.
fn expected(s: &Served) -> RData {
    match &s.expect {
        Expect::Wire(bytes) => RData::from_wire(s.rtype, Class::IN, bytes).unwrap(),
        Expect::Typed | Expect::Value(_) => {
            let parsed = RData::from_presentation(s.rtype, Class::IN, &s.text)
                .unwrap_or_else(|e| panic!("{} {}: {e}", s.owner, s.text));
            assert!(
                !matches!(parsed, RData::Unknown { .. }),
                "{:?} is meant to be typed",
                s.rtype
            );
            if let Expect::Value(value) = &s.expect {
                assert_eq!(&parsed, value, "{} {}", s.owner, s.text);
            }
            parsed
        }
    }
}

/// The rdata's bytes as our encoder writes them (no compression: the only name before them is
/// the root).
fn rdata_wire(data: &RData) -> Vec<u8> {
    let message = Message {
        answer: vec![Record::new(Name::root(), 0, data.clone())],
        ..Message::default()
    };
    let wire = message.encode().unwrap();
    // Header, root owner, TYPE, CLASS, TTL, RDLENGTH.
    wire[12 + 1 + 10..].to_vec()
}

/// A private unbound; killed on drop.
struct Unbound {
    port: u16,
    dir: TempDir,
    process: ChildGuard,
}

impl Unbound {
    fn start(records: &[Served]) -> Unbound {
        let program = find_program("unbound", &["/usr/sbin", "/usr/local/sbin"], "unbound")
            .unwrap_or_else(|e| panic!("{e}"));
        let dir = TempDir::new("unbound").unwrap();
        let mut last = String::new();
        // The port is free when picked, but another process could take it first: a few tries.
        for _ in 0..3 {
            let port = interop::free_port().unwrap();
            let config = config(port, &dir, records);
            let path = dir.join("unbound.conf");
            std::fs::write(&path, &config).unwrap();
            check_config(&path);
            let mut command = Command::new(&program);
            command
                .arg("-d")
                .arg("-c")
                .arg(&path)
                .stdout(Stdio::null())
                .stderr(Stdio::null());
            let mut process = ChildGuard::spawn("unbound", &mut command, UNBOUND_DEADLINE).unwrap();
            match wait_for_port(port, Duration::from_secs(10), &mut process) {
                Ok(()) => {
                    return Unbound { port, dir, process };
                }
                Err(e) => {
                    process.kill();
                    last = format!("{e}\n{}", log(&dir));
                }
            }
        }
        panic!("unbound did not start: {last}");
    }

    fn addr(&self) -> SocketAddr {
        SocketAddr::from((LOOPBACK, self.port))
    }
}

impl Drop for Unbound {
    fn drop(&mut self) {
        self.process.kill();
        if std::thread::panicking() {
            eprintln!("unbound's log:\n{}", log(&self.dir));
        }
    }
}

fn log(dir: &TempDir) -> String {
    std::fs::read_to_string(dir.join("unbound.log")).unwrap_or_else(|e| format!("(no log: {e})"))
}

/// Runs `unbound-checkconf` on the configuration when it is installed, to fail with its message.
fn check_config(path: &PathBuf) {
    let Ok(checkconf) = find_program("unbound-checkconf", &["/usr/sbin"], "unbound") else {
        return;
    };
    let out = interop::run(
        "unbound-checkconf",
        Command::new(checkconf).arg(path),
        Duration::from_secs(20),
    )
    .unwrap();
    assert!(
        out.status.success(),
        "unbound-checkconf refuses the configuration:\n{}{}\n{}",
        String::from_utf8_lossy(&out.stdout),
        out.stderr,
        std::fs::read_to_string(path).unwrap_or_default()
    );
}

fn config(port: u16, dir: &TempDir, records: &[Served]) -> String {
    let tmp = dir.path().display();
    let mut c = format!(
        "server:\n\
         \x20   interface: 127.0.0.1\n\
         \x20   port: {port}\n\
         \x20   do-ip4: yes\n\
         \x20   do-ip6: no\n\
         \x20   do-udp: yes\n\
         \x20   do-tcp: yes\n\
         \x20   do-daemonize: no\n\
         \x20   chroot: \"\"\n\
         \x20   username: \"\"\n\
         \x20   directory: \"{tmp}\"\n\
         \x20   pidfile: \"\"\n\
         \x20   logfile: \"{tmp}/unbound.log\"\n\
         \x20   use-syslog: no\n\
         \x20   verbosity: 1\n\
         \x20   num-threads: 1\n\
         \x20   module-config: \"iterator\"\n\
         \x20   access-control: 127.0.0.0/8 allow\n\
         \x20   do-not-query-localhost: no\n\
         \x20   root-hints: \"\"\n\
         \x20   local-zone: \"example.test.\" static\n"
    );
    for s in records {
        let line = format!("{} {TTL} IN {} {}", s.owner, type_text(s.rtype), s.text);
        // Single quotes: unbound's configuration lexer keeps a backslash-escaped double quote
        // as the two characters, which its zone parser then reads as a literal quote.
        assert!(!line.contains('\''));
        c.push_str(&format!("    local-data: '{line}'\n"));
    }
    c.push_str("    local-data-ptr: \"192.0.2.1 www.example.test.\"\n");
    c.push_str("remote-control:\n    control-enable: no\n");
    c
}

/// Our client over real sockets: UDP to the server, and a TCP connection when the client asks
/// for one.
struct Driver {
    client: StubClient,
    udp: UdpSocket,
    tcp: Option<TcpStream>,
    server: SocketAddr,
    next_id: u16,
    /// UDP datagrams and TCP messages sent.
    sent: (usize, usize),
}

impl Driver {
    fn new(server: SocketAddr) -> Driver {
        let udp = UdpSocket::bind((LOOPBACK, 0)).unwrap();
        udp.set_write_timeout(Some(IO_TIMEOUT)).unwrap();
        Driver {
            client: StubClient::new(ClientConfig::default()),
            udp,
            tcp: None,
            server,
            next_id: 0x4a11,
            sent: (0, 0),
        }
    }

    /// Asks `name` `rtype` and returns the answer.
    fn ask(&mut self, name: &str, rtype: RType) -> Message {
        let question = Question::new(name.parse().unwrap(), rtype);
        self.next_id = self.next_id.wrapping_mul(31).wrapping_add(7);
        let started = Instant::now();
        let query = self.client.query(question, self.next_id, started).unwrap();
        let deadline = started + QUERY_DEADLINE;
        let mut buf = vec![0u8; 65535];
        loop {
            while let Some(out) = self.client.poll_transmit() {
                match out.transport {
                    Transport::Udp => {
                        self.udp.send_to(&out.bytes, self.server).unwrap();
                        self.sent.0 += 1;
                    }
                    Transport::Tcp => {
                        if self.tcp.is_none() {
                            let stream = interop::connect(self.server.port()).unwrap();
                            stream.set_nonblocking(true).unwrap();
                            self.tcp = Some(stream);
                        }
                        let stream = self.tcp.as_mut().unwrap();
                        stream.set_nonblocking(false).unwrap();
                        stream.write_all(&out.bytes).unwrap();
                        stream.set_nonblocking(true).unwrap();
                        self.sent.1 += 1;
                    }
                }
            }
            if let Some(event) = self.client.poll_event() {
                match event {
                    Event::Answer { query: q, message } if q == query => return message,
                    // The TC -> TCP retry: its transmit is queued already.
                    Event::Truncated { query: q } if q == query => {}
                    other => panic!("{name} {rtype}: unexpected {other:?}"),
                }
            }
            let now = Instant::now();
            assert!(
                now < deadline,
                "{name} {rtype}: no answer in {QUERY_DEADLINE:?}"
            );
            if self.client.poll_timeout().is_some_and(|t| t <= now) {
                self.client.handle_timeout(now);
                continue;
            }
            // Wait a little on UDP, then look at TCP without blocking.
            let wait = self
                .client
                .poll_timeout()
                .map_or(Duration::from_millis(20), |t| {
                    t.saturating_duration_since(now)
                })
                .clamp(Duration::from_millis(1), Duration::from_millis(20));
            self.udp.set_read_timeout(Some(wait)).unwrap();
            match self.udp.recv_from(&mut buf) {
                Ok((n, from)) => {
                    self.client
                        .receive_udp(&buf[..n], from == self.server, Instant::now());
                }
                Err(e)
                    if matches!(
                        e.kind(),
                        io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut
                    ) => {}
                Err(e) => panic!("udp: {e}"),
            }
            if let Some(stream) = self.tcp.as_mut() {
                match stream.read(&mut buf) {
                    Ok(0) => {
                        self.client.receive_tcp_eof();
                        self.tcp = None;
                    }
                    Ok(n) => self.client.receive_tcp(&buf[..n], Instant::now()),
                    Err(e) if e.kind() == io::ErrorKind::WouldBlock => {}
                    Err(e) => panic!("tcp: {e}"),
                }
            }
        }
    }
}

/// Sorted by presentation, for comparing RRsets whatever order unbound sends them in.
fn sorted(mut records: Vec<Record>) -> Vec<Record> {
    records.sort_by_key(|r| (r.name.to_string(), r.rtype().0, r.data.to_string()));
    records
}

#[test]
fn every_local_data_type_comes_back_and_decodes() {
    let records = zone();
    let unbound = Unbound::start(&records);
    let mut driver = Driver::new(unbound.addr());
    // One question per owner and type, in the order of the zone.
    let mut questions: Vec<(&str, RType)> = Vec::new();
    for s in &records {
        if !questions.contains(&(s.owner, s.rtype)) {
            questions.push((s.owner, s.rtype));
        }
    }
    let mut checked = 0;
    for (owner, rtype) in questions {
        if owner == "big.example.test." {
            continue;
        }
        let answer = driver.ask(owner, rtype);
        assert_eq!(answer.header.rcode, Rcode::NOERROR, "{owner} {rtype}");
        assert!(answer.header.qr && !answer.header.tc, "{owner} {rtype}");
        assert_eq!(answer.question, [Question::new(name(owner), rtype)]);
        let wanted: Vec<&Served> = records
            .iter()
            .filter(|s| s.owner == owner && s.rtype == rtype)
            .collect();
        let expect = wanted
            .iter()
            .map(|s| Record::new(name(owner), TTL, expected(s)))
            .collect();
        assert_eq!(
            sorted(answer.answer.clone()),
            sorted(expect),
            "{owner} {rtype}"
        );
        // The wire forms written out here are what came over the wire, byte for byte.
        for s in &wanted {
            if let Expect::Wire(bytes) = &s.expect {
                assert!(
                    answer.answer.iter().any(|r| rdata_wire(&r.data) == *bytes),
                    "{owner} {rtype}: no record with rdata {bytes:02x?} in {:?}",
                    answer.answer
                );
            }
        }
        checked += wanted.len();
    }
    assert_eq!(checked, records.len() - BIG_COUNT);

    // local-data-ptr: the reverse name and its PTR, with unbound's default local-data TTL.
    let ptr = driver.ask("1.2.0.192.in-addr.arpa.", RType::PTR);
    assert_eq!(ptr.header.rcode, Rcode::NOERROR);
    assert_eq!(
        ptr.answer,
        [Record::new(
            name("1.2.0.192.in-addr.arpa."),
            3600,
            RData::Ptr(name("www.example.test."))
        )]
    );
    assert_eq!(driver.sent.1, 0, "every answer above fits UDP");
}

#[test]
fn nxdomain_carries_the_soa() {
    let records = zone();
    let unbound = Unbound::start(&records);
    let mut driver = Driver::new(unbound.addr());
    let nx = driver.ask("nope.example.test.", RType::A);
    assert_eq!(nx.header.rcode, Rcode::NXDOMAIN);
    assert!(nx.header.aa, "a static local zone answers authoritatively");
    assert!(nx.answer.is_empty());
    let soa = records.iter().find(|s| s.rtype == RType::SOA).unwrap();
    // The negative-caching TTL: the smaller of the SOA's TTL and its MINIMUM (RFC 2308 §3).
    assert_eq!(
        nx.authority,
        [Record::new(name("example.test."), 60, expected(soa))]
    );
    // An existing name without the type: NOERROR, no answer (NODATA).
    let nodata = driver.ask("www.example.test.", RType::MX);
    assert_eq!(nodata.header.rcode, Rcode::NOERROR);
    assert!(nodata.answer.is_empty());
    // EDNS was answered with EDNS.
    assert!(nx.edns.is_some());
}

#[test]
fn a_truncated_answer_is_fetched_again_over_tcp() {
    let records = zone();
    let unbound = Unbound::start(&records);
    let mut driver = Driver::new(unbound.addr());
    let big = driver.ask("big.example.test.", RType::TXT);
    assert_eq!(big.header.rcode, Rcode::NOERROR);
    assert!(!big.header.tc);
    let expect: Vec<Record> = records
        .iter()
        .filter(|s| s.owner == "big.example.test.")
        .map(|s| Record::new(name(s.owner), TTL, expected(s)))
        .collect();
    assert_eq!(expect.len(), BIG_COUNT);
    assert_eq!(sorted(big.answer), sorted(expect));
    assert_eq!(driver.sent, (1, 1), "one UDP query, then the same over TCP");
    // The connection stays open for the next query that needs it; a small one goes over UDP.
    let www = driver.ask("www.example.test.", RType::A);
    assert_eq!(www.answer.len(), 2);
    assert_eq!(driver.sent, (2, 1));
    let _ = Class::IN;
}
