//! `wire`: decodes any protocol of the workspace into JSON Lines, encodes JSON Lines back into
//! bytes, and runs sample conversations.
//!
//! ```text
//! wire decode <PROTO> [--role server|client] [--hex] [--lenient FLAG]... [FILE]   # bytes in, JSON Lines out
//! wire encode <PROTO> [--role server|client] [--hex] [FILE]                       # JSON Lines in, bytes out
//! wire demo                                                                        # sample conversations
//! ```
//!
//! The contract (output objects, error line, exit status) is `wire-json.md`. Exit status: 0 when
//! everything was decoded or encoded, 1 when the input was refused (for `decode`, after the error
//! line) or reading or writing failed, 2 for a usage error.
//!
//! Adding a protocol: a file with a clap `Args` struct implementing [`proto::Protocol`], a variant
//! in [`Proto`] and its line in [`Proto::parts`].
#![forbid(unsafe_code)]

use std::io::{self, BufWriter, Read, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::error::ErrorKind;
use clap::{Args, CommandFactory, Parser, Subcommand};

use wire::proto::{ItemError, Options, Protocol, Role, Sink};
use wire::{demo, dns, framing_proto, h2, http1, json, pop3, smtp, zone};

/// Decode any protocol of the workspace into JSON Lines and encode it back.
#[derive(Debug, Parser)]
#[command(name = "wire", version)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

/// What to do.
#[derive(Debug, Subcommand)]
enum Command {
    /// Decode bytes into JSON Lines, one object per item; an error ends the output with
    /// {"error":{"kind":K,"offset":N,"message":M}} and exit status 1.
    Decode {
        #[command(subcommand)]
        proto: Proto<DecodeIo>,
    },
    /// Encode JSON Lines, the objects `decode` prints, into bytes.
    Encode {
        #[command(subcommand)]
        proto: Proto<EncodeIo>,
    },
    /// Run sample conversations through the real codecs and print a transcript.
    Demo,
}

/// The protocols, each with its own options and the options `Io` of `decode` or `encode`.
#[derive(Debug, Subcommand)]
enum Proto<Io: Args> {
    /// Length-prefixed frames: {"type":T,"payload":P} (type only with --type-byte).
    Length(With<framing_proto::Length, Io>),
    /// Lines ending in CRLF (or LF with --lf): {"line":L}.
    Lines(With<framing_proto::Lines, Io>),
    /// Version handshake hellos: {"magic":M,"version":V,"min_version":N,"capabilities":C}.
    Handshake(With<framing_proto::Handshake, Io>),
    /// HTTP/1.0 and HTTP/1.1 messages (RFC 9112).
    Http1(With<http1::Http1, Io>),
    /// HTTP/2 frames (RFC 9113); --role server expects the client preface first.
    H2(With<h2::H2, Io>),
    /// HPACK header blocks (RFC 7541), one {"wire":HEX} line each, with one dynamic table.
    Hpack(With<h2::Hpack, Io>),
    /// One DNS message (RFC 1035 §4).
    Dns(With<dns::Dns, Io>),
    /// DNS messages behind 2-byte lengths, as over TCP (RFC 1035 §4.2.2, RFC 7766).
    DnsTcp(With<dns::DnsTcp, Io>),
    /// Zone-file text (RFC 1035 §5): one record object per record, read as it arrives.
    Zone(With<zone::Zone, Io>),
    /// SMTP commands and content (--role server) or replies (--role client) (RFC 5321).
    Smtp(With<smtp::Smtp, Io>),
    /// POP3 commands (--role server) or responses (--role client, --answers) (RFC 1939).
    Pop3(With<pop3::Pop3, Io>),
}

impl<Io: Args> Proto<Io> {
    /// The protocol and the common options.
    fn parts(&self) -> (&dyn Protocol, &Io) {
        match self {
            Proto::Length(w) => (&w.proto, &w.io),
            Proto::Lines(w) => (&w.proto, &w.io),
            Proto::Handshake(w) => (&w.proto, &w.io),
            Proto::Http1(w) => (&w.proto, &w.io),
            Proto::H2(w) => (&w.proto, &w.io),
            Proto::Hpack(w) => (&w.proto, &w.io),
            Proto::Dns(w) => (&w.proto, &w.io),
            Proto::DnsTcp(w) => (&w.proto, &w.io),
            Proto::Zone(w) => (&w.proto, &w.io),
            Proto::Smtp(w) => (&w.proto, &w.io),
            Proto::Pop3(w) => (&w.proto, &w.io),
        }
    }
}

/// A protocol's own options and the common ones.
#[derive(Debug, Args)]
struct With<P: Args, Io: Args> {
    #[command(flatten)]
    proto: P,
    #[command(flatten)]
    io: Io,
}

/// The common options of `decode`.
#[derive(Debug, Args)]
struct DecodeIo {
    /// server: the input is what a client sends; client: what a server sends.
    #[arg(long, value_enum, default_value_t)]
    role: Role,
    /// The input is hex digits (whitespace ignored).
    #[arg(long)]
    hex: bool,
    /// Turn on one named relaxation of the decoder (the codec's own option name).
    #[arg(long, value_name = "FLAG")]
    lenient: Vec<String>,
    /// The input (default, or "-": standard input).
    #[arg(value_name = "FILE")]
    file: Option<PathBuf>,
}

/// The common options of `encode`.
#[derive(Debug, Args)]
struct EncodeIo {
    /// server: the objects are what a client sends; client: what a server sends.
    #[arg(long, value_enum, default_value_t)]
    role: Role,
    /// Print the bytes as hex digits (and a newline) instead of raw.
    #[arg(long)]
    hex: bool,
    /// The JSON Lines input (default, or "-": standard input).
    #[arg(value_name = "FILE")]
    file: Option<PathBuf>,
}

fn main() -> ExitCode {
    match Cli::parse().command {
        Command::Decode { proto } => decode(&proto),
        Command::Encode { proto } => encode(&proto),
        Command::Demo => demo(),
    }
}

fn decode(proto: &Proto<DecodeIo>) -> ExitCode {
    let (protocol, io) = proto.parts();
    let known = protocol.lenient_flags();
    if let Some(flag) = io.lenient.iter().find(|f| !known.contains(&f.as_str())) {
        let known = if known.is_empty() {
            "none".to_string()
        } else {
            known.join(", ")
        };
        usage_error(format!(
            "unknown --lenient flag '{flag}' for this protocol (known: {known})"
        ));
    }
    let mut input = match open_input(io.file.as_deref()) {
        Ok(input) => input,
        Err(e) => return failure(&e),
    };
    let options = Options {
        role: io.role,
        lenient: io.lenient.clone(),
    };
    let stdout = io::stdout();
    let mut out = BufWriter::new(stdout.lock());
    let mut sink = Sink::new(&mut out);
    let result = if io.hex {
        let mut text = Vec::new();
        if let Err(e) = input.read_to_end(&mut text) {
            return failure(&e);
        }
        match json::from_hex(&text) {
            Ok(bytes) => protocol.decode(&options, &bytes, &mut sink),
            Err(e) => Err(ItemError {
                kind: "bad-hex",
                offset: e.offset,
                message: format!("hex input at byte {}: {}", e.offset, e.message),
            }),
        }
    } else {
        // Read as the protocol reads: whole, or as it arrives (zone).
        match protocol.decode_read(&options, &mut input, &mut sink) {
            Ok(result) => result,
            Err(e) => {
                // What was decoded before the failure stays printed.
                let _ = sink.finish();
                return failure(&e);
            }
        }
    };
    let status = match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            sink.item(e.to_json());
            ExitCode::FAILURE
        }
    };
    match sink.finish() {
        Ok(()) => status,
        Err(e) => failure(&e),
    }
}

fn encode(proto: &Proto<EncodeIo>) -> ExitCode {
    let (protocol, io) = proto.parts();
    let input = match read_input(io.file.as_deref()) {
        Ok(input) => input,
        Err(e) => return failure(&e),
    };
    let bytes = match wire::encode_lines(protocol, io.role, &input) {
        Ok(bytes) => bytes,
        Err(e) => {
            eprintln!("wire: {e}");
            return ExitCode::FAILURE;
        }
    };
    let mut out = io::stdout().lock();
    let written = if io.hex {
        writeln!(out, "{}", json::to_hex(&bytes))
    } else {
        out.write_all(&bytes)
    };
    match written.and_then(|()| out.flush()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => failure(&e),
    }
}

fn demo() -> ExitCode {
    match demo::run(&mut io::stdout().lock()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(demo::DemoError::Io(e)) => failure(&e),
        Err(e) => {
            eprintln!("wire demo: {e}");
            ExitCode::FAILURE
        }
    }
}

/// Exits with status 2 and `message`, followed by the usage of the subcommand that was given.
fn usage_error(message: String) -> ! {
    let mut cmd = Cli::command();
    cmd.build();
    for arg in std::env::args_os().skip(1) {
        match arg.to_str().and_then(|a| cmd.find_subcommand(a)) {
            Some(sub) => cmd = sub.clone(),
            None => break,
        }
    }
    cmd.error(ErrorKind::InvalidValue, message).exit()
}

/// All of `file`, or of standard input when there is no file or it is "-".
fn read_input(file: Option<&Path>) -> io::Result<Vec<u8>> {
    let mut input = Vec::new();
    open_input(file)?.read_to_end(&mut input)?;
    Ok(input)
}

/// `file`, or standard input when there is no file or it is "-", to read from.
fn open_input(file: Option<&Path>) -> io::Result<Box<dyn Read + '_>> {
    match file {
        Some(path) if path != Path::new("-") => {
            let cannot = |e: io::Error| {
                io::Error::new(e.kind(), format!("cannot read {}: {e}", path.display()))
            };
            let file = std::fs::File::open(path).map_err(cannot)?;
            Ok(Box::new(ReadNaming {
                inner: file,
                cannot,
            }))
        }
        _ => Ok(Box::new(io::stdin().lock())),
    }
}

/// A reader whose errors say what it reads.
struct ReadNaming<R, F> {
    inner: R,
    cannot: F,
}

impl<R: Read, F: Fn(io::Error) -> io::Error> Read for ReadNaming<R, F> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        self.inner.read(buf).map_err(&self.cannot)
    }
}

/// Exit status 1 for an I/O error, said on standard error (except a closed output pipe, which
/// needs no words).
fn failure(e: &io::Error) -> ExitCode {
    if e.kind() != io::ErrorKind::BrokenPipe {
        eprintln!("wire: {e}");
    }
    ExitCode::FAILURE
}
