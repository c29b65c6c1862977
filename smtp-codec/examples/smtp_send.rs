//! Submits a message file over SMTP with the blocking client (the sans-IO `ClientSession` over a
//! `TcpStream`): EHLO, then MAIL, a RCPT per `--to`, and DATA (or BDAT when the server offers
//! CHUNKING), pipelined when the server offers PIPELINING.
//!
//!   cargo run --example smtp_send -- --server 127.0.0.1:2525 \
//!       --from a@example.org --to b@example.net --to c@example.net message.eml
//!
//! The file is the message as the recipient reads it (header, blank line, body). A file whose
//! lines end in a bare LF (a Unix text file) is sent with CRLF line ends, as RFC 5321 §2.3.8
//! requires; a file already in CRLF form is sent byte for byte. `--from ''` sends the null
//! reverse-path `<>`.
//!
//! Prints `accepted <rcpt>` or `refused <rcpt>: <reply>` per recipient, then `delivered: <reply>`
//! or `not delivered: <reply>`. Exit status: 0 when every recipient accepted the message, 1 when
//! any refused it, 2 for a usage, connection or protocol error.

use std::net::TcpStream;
use std::process::ExitCode;
use std::time::Duration;

use smtp_codec::blocking::Client;
use smtp_codec::{ClientConfig, Domain, Envelope, ForwardPath, Mailbox, ReversePath};

const USAGE: &str = "usage: smtp_send --server ADDR --from A --to B [--to C]... FILE";

struct Args {
    server: String,
    from: String,
    to: Vec<String>,
    file: String,
}

fn parse_args() -> Result<Args, String> {
    let (mut server, mut from, mut to, mut file) = (None, None, Vec::new(), None);
    let mut it = std::env::args().skip(1);
    while let Some(arg) = it.next() {
        match arg.as_str() {
            "--server" => server = it.next(),
            "--from" => from = it.next(),
            "--to" => to.extend(it.next()),
            _ if arg.starts_with("--") || file.is_some() => return Err(USAGE.into()),
            _ => file = Some(arg),
        }
    }
    match (server, from, file) {
        (Some(server), Some(from), Some(file)) if !to.is_empty() => Ok(Args {
            server,
            from,
            to,
            file,
        }),
        _ => Err(USAGE.into()),
    }
}

/// CRLF line ends for a file that uses bare LF; a file with any CRLF is left as it is (a bare
/// line end there is the client session's to refuse).
fn crlf(content: Vec<u8>) -> Vec<u8> {
    if content.windows(2).any(|w| w == b"\r\n") || !content.contains(&b'\n') {
        return content;
    }
    let mut out = Vec::with_capacity(content.len() + content.len() / 32);
    for &b in &content {
        if b == b'\n' {
            out.push(b'\r');
        }
        out.push(b);
    }
    out
}

fn run(args: Args) -> Result<bool, Box<dyn std::error::Error>> {
    let content = crlf(std::fs::read(&args.file)?);
    let from = match args.from.as_str() {
        "" => ReversePath::Null,
        from => ReversePath::Mailbox(Mailbox::parse(from)?),
    };
    let to = args
        .to
        .iter()
        .map(|to| Ok(ForwardPath::Mailbox(Mailbox::parse(to)?)))
        .collect::<Result<Vec<_>, smtp_codec::Error>>()?;
    let stream = TcpStream::connect(&args.server)?;
    stream.set_read_timeout(Some(Duration::from_secs(60)))?;
    stream.set_write_timeout(Some(Duration::from_secs(60)))?;
    let mut client = Client::connect(stream, ClientConfig::new(Domain::new("localhost")?))?;
    let delivery = client.send_mail(Envelope::new(from, to), &content)?;
    for to in &delivery.accepted {
        println!("accepted {to}");
    }
    for (to, reply) in &delivery.refused {
        println!("refused {to}: {}", reply.to_string().replace('\n', " / "));
    }
    let delivered = match &delivery.result {
        Ok(reply) => {
            println!("delivered: {}", reply.to_string().replace('\n', " / "));
            delivery.refused.is_empty()
        }
        Err(reply) => {
            println!("not delivered: {}", reply.to_string().replace('\n', " / "));
            false
        }
    };
    client.quit()?;
    Ok(delivered)
}

fn main() -> ExitCode {
    let args = match parse_args() {
        Ok(args) => args,
        Err(usage) => {
            eprintln!("{usage}");
            return ExitCode::from(2);
        }
    };
    match run(args) {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::from(1),
        Err(e) => {
            eprintln!("smtp_send: {e}");
            ExitCode::from(2)
        }
    }
}
