//! Downloads every message of a POP3 maildrop with the blocking client (the sans-IO
//! `ClientSession` over a `TcpStream`), leaving them on the server.
//!
//!   cargo run --example pop3_fetch -- --server 127.0.0.1:1110 --user alice --pass secret \
//!       --out /tmp/fetched
//!
//! Logs in with USER/PASS (AUTH PLAIN when the server's CAPA has SASL PLAIN and no USER), then
//! writes message n to `DIR/n.eml`, dot-unstuffed, byte for byte as the server holds it. Prints
//! one line per message: its number, unique id (UIDL, when offered) and size. Exit status: 0 when
//! every message was fetched, 1 otherwise.

use std::net::TcpStream;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use pop3_codec::Capability;
use pop3_codec::blocking::Client;

const USAGE: &str = "usage: pop3_fetch --server ADDR --user NAME --pass SECRET --out DIR";

fn run() -> Result<(), Box<dyn std::error::Error>> {
    let (mut server, mut user, mut pass, mut out) = (None, None, None, None);
    let mut it = std::env::args().skip(1);
    while let Some(flag) = it.next() {
        let value = it.next().ok_or(USAGE)?;
        match flag.as_str() {
            "--server" => server = Some(value),
            "--user" => user = Some(value),
            "--pass" => pass = Some(value),
            "--out" => out = Some(PathBuf::from(value)),
            _ => return Err(USAGE.into()),
        }
    }
    let (Some(server), Some(user), Some(pass), Some(out)) = (server, user, pass, out) else {
        return Err(USAGE.into());
    };
    std::fs::create_dir_all(&out)?;
    let stream = TcpStream::connect(&server)?;
    stream.set_read_timeout(Some(Duration::from_secs(60)))?;
    stream.set_write_timeout(Some(Duration::from_secs(60)))?;
    let mut client = Client::connect(stream)?;
    // CAPA is optional (RFC 2449): a server without it is read as offering USER only.
    let caps = client.capa().ok();
    let offers = |c: &Capability| caps.as_ref().is_some_and(|caps| caps.contains(c));
    let plain = caps
        .as_ref()
        .is_some_and(|c| c.sasl().iter().any(|m| m.is("PLAIN")));
    if plain && !offers(&Capability::User) {
        client.auth_plain(&user, &pass)?;
    } else {
        client.login(&user, &pass)?;
    }
    let uids = match offers(&Capability::Uidl) {
        true => client.uidl()?,
        false => Vec::new(),
    };
    for (msg, size) in client.list()? {
        let message = client.retr(msg)?;
        std::fs::write(out.join(format!("{msg}.eml")), &message)?;
        let uid = uids
            .iter()
            .find(|(m, _)| *m == msg)
            .map_or("-", |(_, u)| u.as_str());
        println!("{msg} {uid} {size} -> {} octets", message.len());
    }
    client.quit()?;
    Ok(())
}

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("pop3_fetch: {e}");
            ExitCode::from(1)
        }
    }
}
