//! A POP3 server on the sans-IO `ServerSession`, driven by tokio: one user, whose maildrop is
//! every `*.eml` file of a directory, in name order, as messages 1..n.
//!
//!   cargo run --example pop3_server -- --listen 127.0.0.1:1110 --maildir /tmp/mail \
//!       --user alice --pass secret
//!   python3 -c "import poplib; p = poplib.POP3('127.0.0.1', 1110); p.user('alice'); \
//!       p.pass_('secret'); print(p.list())"
//!
//! Logins: USER/PASS, APOP (the greeting carries a timestamp) and AUTH PLAIN. Sizes are the
//! files' octet counts; a message's unique id is a hash of its file name, so it is the same on
//! every connection. DELE then QUIT removes the files. A file must hold CRLF line ends (RFC 1939
//! §3): one with a bare LF is refused with `-ERR [SYS/PERM]` when retrieved.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

use bytes::Bytes;
use pop3_codec::server::{Maildrop, ServerConfig, ServerEvent, ServerSession};
use pop3_codec::tokio::ServerConnection;
use pop3_codec::{Mechanism, apop_digest, sasl_plain};
use tokio::net::{TcpListener, TcpStream};

/// Connections served, for unique APOP timestamps.
static CONNECTIONS: AtomicU64 = AtomicU64::new(0);

struct Args {
    listen: String,
    maildir: PathBuf,
    user: String,
    pass: String,
}

fn parse_args() -> Result<Args, std::io::Error> {
    let usage = || {
        std::io::Error::other(
            "usage: pop3_server --listen ADDR --maildir DIR --user NAME --pass SECRET",
        )
    };
    let (mut listen, mut maildir, mut user, mut pass) = (None, None, None, None);
    let mut it = std::env::args().skip(1);
    while let Some(flag) = it.next() {
        let value = it.next().ok_or_else(usage)?;
        match flag.as_str() {
            "--listen" => listen = Some(value),
            "--maildir" => maildir = Some(PathBuf::from(value)),
            "--user" => user = Some(value),
            "--pass" => pass = Some(value),
            _ => return Err(usage()),
        }
    }
    match (listen, maildir, user, pass) {
        (Some(listen), Some(maildir), Some(user), Some(pass)) => Ok(Args {
            listen,
            maildir,
            user,
            pass,
        }),
        _ => Err(usage()),
    }
}

#[tokio::main]
async fn main() -> std::io::Result<()> {
    let args = std::sync::Arc::new(parse_args()?);
    let listener = TcpListener::bind(&args.listen).await?;
    println!("listening on {}", listener.local_addr()?);
    loop {
        let (stream, peer) = listener.accept().await?;
        let args = args.clone();
        tokio::spawn(async move {
            if let Err(e) = serve(stream, &args).await {
                eprintln!("{peer}: {e}");
            }
        });
    }
}

/// The `*.eml` files of a directory, listed when the user logs in.
struct FileMaildrop {
    files: Vec<(PathBuf, u64)>,
}

impl FileMaildrop {
    fn open(dir: &Path) -> std::io::Result<FileMaildrop> {
        let mut files = Vec::new();
        for entry in std::fs::read_dir(dir)? {
            let path = entry?.path();
            if path.extension().is_some_and(|e| e == "eml") && path.is_file() {
                let size = std::fs::metadata(&path)?.len();
                files.push((path, size));
            }
        }
        files.sort();
        Ok(FileMaildrop { files })
    }

    fn file(&self, msg: u32) -> Option<&(PathBuf, u64)> {
        self.files.get(usize::try_from(msg).ok()?.checked_sub(1)?)
    }
}

impl Maildrop for FileMaildrop {
    fn count(&self) -> u32 {
        u32::try_from(self.files.len()).unwrap_or(u32::MAX)
    }

    fn size(&self, msg: u32) -> u64 {
        self.file(msg).map_or(0, |(_, size)| *size)
    }

    fn uid(&self, msg: u32) -> String {
        // FNV-1a of the file name: the same on every connection, 16 hex digits.
        let name = self
            .file(msg)
            .and_then(|(p, _)| p.file_name())
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let hash = name.bytes().fold(0xcbf2_9ce4_8422_2325_u64, |h, b| {
            (h ^ u64::from(b)).wrapping_mul(0x100_0000_01b3)
        });
        format!("{hash:016x}")
    }

    fn read(&mut self, msg: u32) -> Result<Bytes, String> {
        let (path, _) = self.file(msg).ok_or("no such message")?;
        // Blocking file reads in the runtime's thread: fine for an example serving one user.
        std::fs::read(path)
            .map(Bytes::from)
            .map_err(|e| e.to_string())
    }

    fn delete(&mut self, msgs: &[u32]) -> Result<(), String> {
        let mut failed = Vec::new();
        for &m in msgs {
            if let Some((path, _)) = self.file(m) {
                if let Err(e) = std::fs::remove_file(path) {
                    failed.push(format!("{m}: {e}"));
                }
            }
        }
        match failed.is_empty() {
            true => Ok(()),
            false => Err(failed.join(", ")),
        }
    }
}

fn config() -> Result<ServerConfig, pop3_codec::Error> {
    let n = CONNECTIONS.fetch_add(1, Ordering::Relaxed);
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos());
    Ok(ServerConfig {
        apop_timestamp: Some(format!(
            "<{}.{n}.{nanos}@pop3-server.localhost>",
            std::process::id()
        )),
        sasl: vec![Mechanism::new("PLAIN")?],
        implementation: Some("pop3-codec-example".into()),
        ..ServerConfig::default()
    })
}

async fn serve(
    stream: TcpStream,
    args: &Args,
) -> Result<(), Box<dyn std::error::Error + Send + Sync>> {
    let session = ServerSession::<FileMaildrop>::new(config()?);
    let mut conn = ServerConnection::new(stream, session);
    loop {
        let event = match conn.next_event().await? {
            Ok(event) => event,
            Err(refused) => {
                eprintln!("refused: {refused}");
                continue;
            }
        };
        let allowed = match &event {
            ServerEvent::Login { user, password } => *user == args.user && *password == args.pass,
            ServerEvent::Apop {
                user,
                digest,
                timestamp,
            } => *user == args.user && *digest == apop_digest(timestamp, &args.pass),
            ServerEvent::Auth {
                mechanism,
                initial: Some(message),
            } if mechanism.is("PLAIN") => {
                sasl_plain(message).is_some_and(|(authzid, user, password)| {
                    (authzid.is_empty() || authzid == user)
                        && user == args.user
                        && password == args.pass
                })
            }
            ServerEvent::Auth { .. } | ServerEvent::AuthResponse(_) => false,
            ServerEvent::Quit | ServerEvent::Closed => break,
            _ => continue,
        };
        match allowed {
            true => {
                let drop = FileMaildrop::open(&args.maildir)?;
                conn.session_mut().accept(drop)?;
            }
            false => conn.session_mut().refuse("invalid user name or password")?,
        }
    }
    conn.flush().await?;
    Ok(())
}
