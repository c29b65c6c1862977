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
use std::time::Instant;

use dns_codec::RType;
use dns_codec::client::Event;
use dns_codec::resolver::blocking::Resolver;

type Error = Box<dyn std::error::Error>;

fn main() -> std::process::ExitCode {
    let result = query().inspect_err(|e| eprintln!(";; {e}"));
    std::process::ExitCode::from(u8::from(result.is_err()))
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
    let elapsed = started.elapsed().as_millis();
    println!("{response}\n;; Query time: {elapsed} msec\n;; SERVER: {server}");
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
