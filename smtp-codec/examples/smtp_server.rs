//! An SMTP server on the sans-IO `ServerSession`, driven by tokio: it accepts any sender and
//! recipient and stores each accepted message as one new file in the spool directory, holding the
//! content exactly as received after dot-unstuffing (no trace field is added).
//!
//!   cargo run --example smtp_server -- --listen 127.0.0.1:2525 --spool /tmp/spool
//!   swaks --server 127.0.0.1:2525 --from a@example.org --to b@example.net --pipeline
//!
//! EHLO announces PIPELINING, 8BITMIME, BINARYMIME, CHUNKING, SMTPUTF8, SIZE and
//! ENHANCEDSTATUSCODES. A message goes to `DIR/.NAME.tmp` while it arrives and is renamed to
//! `DIR/NAME.eml` before the 250 that accepts it is sent, so a file with the `.eml` name is
//! always whole; names sort in arrival order. Refused input is answered by the session (500,
//! 501, 503, 552, 554 ...) and logged on stderr.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

use smtp_codec::tokio::ServerConnection;
use smtp_codec::{Capability, Domain, ServerConfig, ServerEvent, ServerSession};
use tokio::io::AsyncWriteExt;
use tokio::net::{TcpListener, TcpStream};

/// Messages stored by this process, for unique names.
static STORED: AtomicU64 = AtomicU64::new(0);

fn usage() -> std::io::Error {
    std::io::Error::other("usage: smtp_server --listen ADDR --spool DIR")
}

#[tokio::main]
async fn main() -> std::io::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (mut listen, mut spool) = (None, None);
    let mut it = args.iter();
    while let Some(flag) = it.next() {
        match (flag.as_str(), it.next()) {
            ("--listen", Some(addr)) => listen = Some(addr.clone()),
            ("--spool", Some(dir)) => spool = Some(PathBuf::from(dir)),
            _ => return Err(usage()),
        }
    }
    let (Some(listen), Some(spool)) = (listen, spool) else {
        return Err(usage());
    };
    tokio::fs::create_dir_all(&spool).await?;
    let listener = TcpListener::bind(&listen).await?;
    println!("listening on {}", listener.local_addr()?);
    loop {
        let (stream, peer) = listener.accept().await?;
        let spool = spool.clone();
        tokio::spawn(async move {
            if let Err(e) = serve(stream, &spool).await {
                eprintln!("{peer}: {e}");
            }
        });
    }
}

fn config() -> Result<ServerConfig, smtp_codec::Error> {
    let mut config = ServerConfig::new(Domain::new("smtp-server.localhost")?);
    config.capabilities = vec![
        Capability::Size(Some(config.limits.max_message_size)),
        Capability::Pipelining,
        Capability::EightBitMime,
        Capability::BinaryMime,
        Capability::Chunking,
        Capability::SmtpUtf8,
        Capability::EnhancedStatusCodes,
    ];
    Ok(config)
}

/// The message being received: its file, written as the pieces arrive.
struct Incoming {
    file: tokio::fs::File,
    temp: PathBuf,
    name: PathBuf,
}

impl Incoming {
    async fn create(spool: &Path) -> std::io::Result<Incoming> {
        let micros = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| d.as_micros());
        let n = STORED.fetch_add(1, Ordering::Relaxed);
        let stem = format!("{micros:020}-{}-{n:06}", std::process::id());
        let temp = spool.join(format!(".{stem}.tmp"));
        let name = spool.join(format!("{stem}.eml"));
        let file = tokio::fs::File::create(&temp).await?;
        Ok(Incoming { file, temp, name })
    }

    /// The whole message is on disk under its final name.
    async fn store(mut self) -> std::io::Result<PathBuf> {
        self.file.flush().await?;
        self.file.sync_all().await?;
        tokio::fs::rename(&self.temp, &self.name).await?;
        Ok(self.name)
    }

    async fn discard(self) {
        drop(self.file);
        let _ = tokio::fs::remove_file(&self.temp).await;
    }
}

async fn serve(
    stream: TcpStream,
    spool: &Path,
) -> Result<(), Box<dyn std::error::Error + Send + Sync>> {
    let mut conn = ServerConnection::new(stream, ServerSession::new(config()?));
    let mut incoming = None;
    let result = converse(&mut conn, spool, &mut incoming).await;
    // A message cut short (the client left, a write failed) leaves no file behind.
    if let Some(file) = incoming.take() {
        file.discard().await;
    }
    conn.flush().await?;
    result
}

async fn converse(
    conn: &mut ServerConnection<TcpStream>,
    spool: &Path,
    incoming: &mut Option<Incoming>,
) -> Result<(), Box<dyn std::error::Error + Send + Sync>> {
    loop {
        let event = match conn.next_event().await? {
            Ok(event) => event,
            Err(refused) => {
                eprintln!("refused: {refused}");
                continue;
            }
        };
        match event {
            ServerEvent::Mail { .. } | ServerEvent::Rcpt { .. } => conn.session_mut().accept()?,
            ServerEvent::Data(piece) => {
                let file = match incoming {
                    Some(file) => file,
                    None => incoming.insert(Incoming::create(spool).await?),
                };
                file.file.write_all(&piece).await?;
            }
            ServerEvent::MessageEnd => {
                // An empty message has no piece: its file is made here.
                let file = match incoming.take() {
                    Some(file) => file,
                    None => Incoming::create(spool).await?,
                };
                let stored = file.store().await?;
                eprintln!("stored {}", stored.display());
                conn.session_mut().accept()?;
            }
            ServerEvent::MessageRefused(e) => {
                eprintln!("message refused: {e}");
                if let Some(file) = incoming.take() {
                    file.discard().await;
                }
            }
            ServerEvent::Quit | ServerEvent::Closed => return Ok(()),
            _ => {}
        }
    }
}
