//! A dig-like stub resolver on `dns_codec::resolver::blocking::Resolver`: one question to one
//! server, over UDP and again over TCP when the answer comes back truncated, the response
//! printed as dig prints it (header, flags, sections in zone-file presentation form).
//!
//!   cargo run --example dns_query -- [@SERVER[:PORT]] NAME [TYPE]
//!   cargo run --example dns_query -- @127.0.0.1:5353 big.example.test. TXT
//!
//! The server defaults to the first `nameserver` of /etc/resolv.conf, else 127.0.0.1 (port 53);
//! the type to A.

use std::net::{IpAddr, SocketAddr};
use std::process::ExitCode;
use std::time::Instant;

use dns_codec::client::Event;
use dns_codec::resolver::blocking::Resolver;
use dns_codec::zone::ZoneLine;
use dns_codec::{Message, RType, Record};

type Error = Box<dyn std::error::Error>;

fn main() -> ExitCode {
    match query() {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!(";; {e}");
            ExitCode::FAILURE
        }
    }
}

fn query() -> Result<(), Error> {
    let (servers, words): (Vec<String>, Vec<String>) =
        std::env::args().skip(1).partition(|a| a.starts_with('@'));
    let (name, rtype) = match words.as_slice() {
        [name] => (name.parse()?, RType::A),
        [name, rtype] => (name.parse()?, rtype.parse()?),
        _ => return Err("usage: dns_query [@SERVER[:PORT]] NAME [TYPE]".into()),
    };
    let server = server_address(servers.first().map(|s| s.trim_start_matches('@')))?;
    let mut resolver = Resolver::new(server)?;
    let started = Instant::now();
    let response = resolver.resolve(&name, rtype)?;
    for event in resolver.last_events() {
        match event {
            Event::Truncated { .. } => println!(";; Truncated, retrying in TCP mode."),
            Event::EdnsFallback { .. } => println!(";; FORMERR to EDNS, retrying without it."),
            _ => {}
        }
    }
    print_message(&response);
    println!(";; Query time: {} msec", started.elapsed().as_millis());
    println!(";; SERVER: {server}");
    Ok(())
}

/// `ADDR`, `ADDR:PORT` or `[ADDR]:PORT`; without an argument, the first nameserver of
/// /etc/resolv.conf, else 127.0.0.1.
fn server_address(arg: Option<&str>) -> Result<SocketAddr, Error> {
    let conf = std::fs::read_to_string("/etc/resolv.conf").unwrap_or_default();
    let mut lines = conf.lines().map(|line| line.split_whitespace());
    let from_conf = lines.find_map(|mut w| (w.next() == Some("nameserver")).then(|| w.next())?);
    let text = arg.or(from_conf).unwrap_or("127.0.0.1");
    let with_port = |ip: IpAddr| SocketAddr::new(ip, 53);
    Ok(text
        .parse()
        .or_else(|_| text.trim_matches(['[', ']']).parse().map(with_port))?)
}

/// The response as dig prints it (until dns-codec has `Display` for a whole message).
fn print_message(m: &Message) {
    let h = &m.header;
    println!(
        ";; ->>HEADER<<- opcode: {}, status: {}, id: {}",
        h.opcode, h.rcode, h.id
    );
    let bits = [h.qr, h.aa, h.tc, h.rd, h.ra, h.ad, h.cd];
    let names = ["qr", "aa", "tc", "rd", "ra", "ad", "cd"];
    let flags: Vec<&str> = names
        .into_iter()
        .zip(bits)
        .filter(|f| f.1)
        .map(|f| f.0)
        .collect();
    let (flags, additional) = (
        flags.join(" "),
        m.additional.len() + usize::from(m.edns.is_some()),
    );
    let (qd, an, ns) = (m.question.len(), m.answer.len(), m.authority.len());
    println!(
        ";; flags: {flags}; QUERY: {qd}, ANSWER: {an}, AUTHORITY: {ns}, ADDITIONAL: {additional}"
    );
    if let Some(edns) = &m.edns {
        let (version, udp, dnssec_ok) = (edns.version, edns.udp_payload_size, edns.dnssec_ok);
        let flags = if dnssec_ok { " do" } else { "" };
        println!("\n;; OPT PSEUDOSECTION:\n; EDNS: version: {version}, flags:{flags}; udp: {udp}");
    }
    println!("\n;; QUESTION SECTION:");
    for q in &m.question {
        println!(";{}\t\t{}\t{}", q.name, q.qclass, q.qtype);
    }
    print_section("ANSWER", &m.answer);
    print_section("AUTHORITY", &m.authority);
    print_section("ADDITIONAL", &m.additional);
    println!();
}

fn print_section(title: &str, records: &[Record]) {
    if !records.is_empty() {
        println!("\n;; {title} SECTION:");
        records.iter().for_each(|r| println!("{}", ZoneLine(r)));
    }
}
