//! The version handshake, then length-prefixed frames, on tokio: a server that echoes every
//! frame, and a client that sends each line of its standard input as a frame and prints what
//! comes back.
//!
//!   cargo run --example framing_echo -- --listen 127.0.0.1:7000
//!   printf 'one\ntwo\n' | cargo run --example framing_echo -- --connect 127.0.0.1:7000
//!
//! Both sides announce versions 1 to 3; the agreement (the highest common version and the
//! capability bits both have) is printed, and bytes that came with the peer's hello are kept
//! for the first frame.

use std::time::{Duration, Instant};

use framing::handshake::{Handshake, Hello};
use framing::length_delimited::{Frame, LengthDelimited};
use futures_util::{SinkExt, StreamExt};
use tokio::io::AsyncBufReadExt;
use tokio::net::{TcpListener, TcpStream};

type Error = Box<dyn std::error::Error + Send + Sync>;

#[tokio::main]
async fn main() -> Result<(), Error> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.as_slice() {
        [flag, addr] if flag == "--listen" => listen(addr).await,
        [flag, addr] if flag == "--connect" => connect(addr).await,
        _ => Err("usage: framing_echo --listen ADDR | --connect ADDR".into()),
    }
}

/// Agrees a version (5 s at most), then frames the stream (frames over 8 MiB are refused).
async fn open(mut stream: TcpStream) -> Result<Framed, Error> {
    let deadline = Instant::now() + Duration::from_secs(5);
    let mut hello = Handshake::new(Hello::new(3, 1, 0b11)).with_deadline(deadline);
    let agreed = framing::tokio::handshake(&mut stream, &mut hello).await?;
    let (version, capabilities) = (agreed.version, agreed.capabilities);
    eprintln!("agreed: version {version}, capabilities {capabilities:#b}");
    let rest = hello.take_remaining(); // what came after the peer's hello: the first frames
    Ok(framing::tokio::framed(stream, LengthDelimited::new(), rest))
}

type Framed = tokio_util::codec::Framed<TcpStream, framing::tokio::Compat<LengthDelimited>>;

async fn listen(addr: &str) -> Result<(), Error> {
    let listener = TcpListener::bind(addr).await?;
    println!("listening on {}", listener.local_addr()?);
    loop {
        let (stream, peer) = listener.accept().await?;
        tokio::spawn(async move {
            if let Err(e) = echo(stream).await {
                eprintln!("{peer}: {e}");
            }
        });
    }
}

async fn echo(stream: TcpStream) -> Result<(), Error> {
    let mut framed = open(stream).await?;
    while let Some(frame) = framed.next().await {
        framed.send(frame?).await?;
    }
    Ok(())
}

async fn connect(addr: &str) -> Result<(), Error> {
    let mut framed = open(TcpStream::connect(addr).await?).await?;
    let mut lines = tokio::io::BufReader::new(tokio::io::stdin()).lines();
    while let Some(line) = lines.next_line().await? {
        framed.send(Frame::new(line)).await?;
        let echo = framed.next().await.ok_or("the server closed")??;
        println!("{}", String::from_utf8_lossy(&echo.payload));
    }
    Ok(())
}
