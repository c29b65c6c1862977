//! A dig-like stub resolver on `dns_codec::resolver::blocking::Resolver`: one question to one
//! server, over UDP and again over TCP when the answer comes back truncated, the response
//! printed as dig prints it (header, flags, sections in zone-file presentation form).
//!
//!   cargo run --example dns_query -- [@SERVER[:PORT]] NAME [TYPE]
//!   cargo run --example dns_query -- @127.0.0.1:5353 big.example.test. TXT
//!
//! The server defaults to the first `nameserver` of /etc/resolv.conf, else 127.0.0.1 (port 53);
//! the type to A.

use std::net::SocketAddr;
use std::time::Instant;

use dns_codec::RType;
use dns_codec::client::Event;
use dns_codec::resolver::blocking::Resolver;
use dns_codec::resolver::{parse_server, system_nameserver};

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
    let server = match servers.first() {
        Some(at) => parse_server(&at[1..]).ok_or("@SERVER: ADDR, ADDR:PORT or [ADDR]:PORT")?,
        None => system_nameserver().unwrap_or(SocketAddr::from(([127, 0, 0, 1], 53))),
    };
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
