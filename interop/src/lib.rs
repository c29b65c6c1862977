//! Interop tests against real programs (curl, nginx, ...), started by the tests themselves on
//! 127.0.0.1, and the small helpers they share: a free loopback port, a child process that is
//! killed at a deadline and on drop, waiting for a port to accept, a temporary directory.
//!
//! Everything listens and connects on [`LOOPBACK`] only, and every child process and socket has a
//! time limit, so a misbehaving peer fails a test instead of hanging it.
#![forbid(unsafe_code)]

pub mod dns_server;
pub mod http1_server;
pub mod pop3;
pub mod smtp;

use std::io::{self, Read};
use std::net::{Ipv4Addr, SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStderr, ChildStdout, Command, ExitStatus, Stdio};
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, Mutex, mpsc};
use std::thread;
use std::time::{Duration, Instant};

/// The only address the tests use.
pub const LOOPBACK: Ipv4Addr = Ipv4Addr::LOCALHOST;

/// The read and write timeout of every socket the tests open.
pub const IO_TIMEOUT: Duration = Duration::from_secs(10);

/// Binds a listener on 127.0.0.1 with a port the system picks.
pub fn bind_loopback() -> io::Result<TcpListener> {
    TcpListener::bind((LOOPBACK, 0))
}

/// A port on 127.0.0.1 that was free a moment ago, for a peer program that cannot pick its own
/// and report it (our examples do: [`start_example`]). It is released before returning, so
/// another process could take it first; within this test process a port is never handed out
/// twice, which rules out the likelier clash between two tests running side by side.
pub fn free_port() -> io::Result<u16> {
    static HANDED_OUT: Mutex<Vec<u16>> = Mutex::new(Vec::new());
    for _ in 0..64 {
        let port = bind_loopback()?.local_addr()?.port();
        let mut handed_out = HANDED_OUT
            .lock()
            .map_err(|_| io::Error::other("free_port: poisoned lock"))?;
        if !handed_out.contains(&port) {
            handed_out.push(port);
            return Ok(port);
        }
    }
    Err(io::Error::other("free_port: no unused port after 64 tries"))
}

/// Connects to 127.0.0.1:`port` with [`IO_TIMEOUT`] on connecting, reading and writing.
pub fn connect(port: u16) -> io::Result<TcpStream> {
    let stream = TcpStream::connect_timeout(&SocketAddr::from((LOOPBACK, port)), IO_TIMEOUT)?;
    stream.set_read_timeout(Some(IO_TIMEOUT))?;
    stream.set_write_timeout(Some(IO_TIMEOUT))?;
    Ok(stream)
}

/// Waits until 127.0.0.1:`port` accepts a connection, or `timeout` passes, or `child` (the
/// process that should listen there) exits.
pub fn wait_for_port(port: u16, timeout: Duration, child: &mut ChildGuard) -> io::Result<()> {
    let deadline = Instant::now() + timeout;
    let addr = SocketAddr::from((LOOPBACK, port));
    loop {
        let listening = TcpStream::connect_timeout(&addr, Duration::from_millis(200)).is_ok();
        // Checked after the connect too: a child that exited (say, on EADDRINUSE) while another
        // program answers on its port must not pass for ready.
        if let Some(status) = child.try_wait()? {
            return Err(io::Error::other(format!(
                "{} exited ({status}) before listening on 127.0.0.1:{port}",
                child.name
            )));
        }
        if listening {
            return Ok(());
        }
        if Instant::now() >= deadline {
            return Err(io::Error::new(
                io::ErrorKind::TimedOut,
                format!("nothing listens on 127.0.0.1:{port} after {timeout:?}"),
            ));
        }
        thread::sleep(Duration::from_millis(20));
    }
}

/// Finds an installed program: `name` on `PATH`, or in the `extra` directories (such as
/// `/usr/sbin`, often not on a user's `PATH`). The error says how to install it.
pub fn find_program(name: &str, extra: &[&str], package: &str) -> Result<PathBuf, String> {
    let path = std::env::var_os("PATH").unwrap_or_default();
    std::env::split_paths(&path)
        .chain(extra.iter().map(PathBuf::from))
        .map(|dir| dir.join(name))
        .find(|p| p.is_file())
        .ok_or_else(|| {
            format!(
                "`{name}` is not installed (looked on PATH and in {extra:?}); these interop tests \
                 need it: install the Debian package `{package}` (scripts/test.sh does)"
            )
        })
}

/// A child process that is killed when the guard is dropped (so a failing assertion does not
/// leave it running) or, by a watchdog thread, when its deadline passes.
#[derive(Debug)]
pub struct ChildGuard {
    name: String,
    child: Arc<Mutex<Child>>,
    /// Dropping this sender tells the watchdog to stop.
    _watchdog: mpsc::Sender<()>,
}

impl ChildGuard {
    /// Spawns `command` (stdin closed), named `name` in messages; it is killed after `deadline`.
    pub fn spawn(name: &str, command: &mut Command, deadline: Duration) -> io::Result<ChildGuard> {
        ChildGuard::spawn_with_stdin(name, command, Stdio::null(), deadline)
    }

    /// [`ChildGuard::spawn`] with this standard input.
    pub fn spawn_with_stdin(
        name: &str,
        command: &mut Command,
        stdin: Stdio,
        deadline: Duration,
    ) -> io::Result<ChildGuard> {
        let child = command
            .stdin(stdin)
            .spawn()
            .map_err(|e| io::Error::new(e.kind(), format!("cannot start {name}: {e}")))?;
        let child = Arc::new(Mutex::new(child));
        let (tx, rx) = mpsc::channel::<()>();
        let watched = Arc::clone(&child);
        thread::spawn(move || {
            if let Err(mpsc::RecvTimeoutError::Timeout) = rx.recv_timeout(deadline) {
                // `Child::kill` sends nothing to a child already reaped, so no other process
                // can be hit.
                if let Ok(mut child) = watched.lock() {
                    let _ = child.kill();
                }
            }
        });
        Ok(ChildGuard {
            name: name.to_owned(),
            child,
            _watchdog: tx,
        })
    }

    fn with<T>(&self, f: impl FnOnce(&mut Child) -> io::Result<T>) -> io::Result<T> {
        let mut child = self
            .child
            .lock()
            .map_err(|_| io::Error::other(format!("{}: poisoned lock", self.name)))?;
        f(&mut child)
    }

    /// The process id (it names this process until the guard reaps it).
    pub fn id(&self) -> io::Result<u32> {
        self.with(|c| Ok(c.id()))
    }

    /// The exit status, if the process has exited.
    pub fn try_wait(&mut self) -> io::Result<Option<ExitStatus>> {
        self.with(Child::try_wait)
    }

    /// Takes the process's standard output and error pipes, if they were piped.
    pub fn take_pipes(&mut self) -> io::Result<(Option<ChildStdout>, Option<ChildStderr>)> {
        self.with(|c| Ok((c.stdout.take(), c.stderr.take())))
    }

    /// Waits for the process to exit by itself; kills it at `timeout` and says so.
    pub fn wait_timeout(&mut self, timeout: Duration) -> io::Result<ExitStatus> {
        let deadline = Instant::now() + timeout;
        loop {
            if let Some(status) = self.try_wait()? {
                return Ok(status);
            }
            if Instant::now() >= deadline {
                self.kill();
                return Err(io::Error::new(
                    io::ErrorKind::TimedOut,
                    format!("{} still running after {timeout:?}: killed", self.name),
                ));
            }
            thread::sleep(Duration::from_millis(10));
        }
    }

    /// Kills the process (if it still runs) and reaps it.
    pub fn kill(&mut self) {
        let _ = self.with(|c| {
            if c.try_wait()?.is_none() {
                let _ = c.kill();
            }
            c.wait()
        });
    }
}

impl Drop for ChildGuard {
    fn drop(&mut self) {
        self.kill();
    }
}

/// What a finished program printed.
#[derive(Debug)]
pub struct Output {
    /// Its exit status.
    pub status: ExitStatus,
    /// Standard output.
    pub stdout: Vec<u8>,
    /// Standard error, lossily decoded.
    pub stderr: String,
}

/// Runs `command` to completion, capturing its output; kills it if it runs longer than
/// `timeout`.
pub fn run(name: &str, command: &mut Command, timeout: Duration) -> io::Result<Output> {
    run_with_stdin(name, command, Stdio::null(), timeout)
}

/// [`run`] with `input` as the program's standard input (through a temporary file, so the
/// child never waits on a pipe the test forgot to close).
pub fn run_with_input(
    name: &str,
    command: &mut Command,
    input: &[u8],
    timeout: Duration,
) -> io::Result<Output> {
    let dir = TempDir::new("stdin")?;
    let path = dir.join("input");
    std::fs::write(&path, input)?;
    run_with_stdin(
        name,
        command,
        Stdio::from(std::fs::File::open(&path)?),
        timeout,
    )
}

fn run_with_stdin(
    name: &str,
    command: &mut Command,
    stdin: Stdio,
    timeout: Duration,
) -> io::Result<Output> {
    command.stdout(Stdio::piped()).stderr(Stdio::piped());
    let mut guard =
        ChildGuard::spawn_with_stdin(name, command, stdin, timeout + Duration::from_secs(5))?;
    let (stdout, stderr) = guard.take_pipes()?;
    let (stdout, stderr) = (drain(stdout), drain(stderr));
    let status = guard.wait_timeout(timeout)?;
    let stdout = stdout.join().unwrap_or_default();
    let stderr = stderr.join().unwrap_or_default();
    Ok(Output {
        status,
        stdout,
        stderr: String::from_utf8_lossy(&stderr).into_owned(),
    })
}

/// Reads a pipe to its end on a thread (so a full pipe never blocks the child).
fn drain(pipe: Option<impl Read + Send + 'static>) -> thread::JoinHandle<Vec<u8>> {
    thread::spawn(move || {
        let mut out = Vec::new();
        if let Some(mut pipe) = pipe {
            let _ = pipe.read_to_end(&mut out);
        }
        out
    })
}

/// A fresh directory under the system's temporary directory, removed with its contents on drop.
#[derive(Debug)]
pub struct TempDir {
    path: PathBuf,
}

impl TempDir {
    /// Creates `<tmp>/interop-<prefix>-<pid>-<n>`.
    pub fn new(prefix: &str) -> io::Result<TempDir> {
        static COUNTER: AtomicU32 = AtomicU32::new(0);
        let n = COUNTER.fetch_add(1, Ordering::Relaxed);
        let path =
            std::env::temp_dir().join(format!("interop-{prefix}-{}-{n}", std::process::id()));
        if path.exists() {
            std::fs::remove_dir_all(&path)?;
        }
        std::fs::create_dir_all(&path)?;
        Ok(TempDir { path })
    }

    /// The directory.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// A path inside the directory.
    pub fn join(&self, name: impl AsRef<Path>) -> PathBuf {
        self.path.join(name)
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.path);
    }
}

/// A runnable example of the workspace (`cargo run --example NAME`), as the binary `cargo test`
/// and `cargo build --examples` leave beside the test binaries. The interop tests run the
/// examples as users do, so they cannot rot.
pub fn example(name: &str) -> Result<PathBuf, String> {
    let exe = std::env::current_exe().map_err(|e| format!("current_exe: {e}"))?;
    // target/<profile>/deps/<test binary> -> target/<profile>/examples/<name>
    let profile = exe
        .parent()
        .and_then(Path::parent)
        .ok_or("the test binary is not under target/<profile>/deps")?;
    let path = profile.join("examples").join(name);
    if path.is_file() {
        Ok(path)
    } else {
        Err(format!(
            "the example `{name}` is not built at {}: run `cargo build --workspace --examples` \
             (scripts/test.sh does)",
            path.display()
        ))
    }
}

/// Starts the example `name` with `args` and `--listen 127.0.0.1:0` (it is killed after
/// `deadline`, or when the guard is dropped) and returns it with the port it listens on.
///
/// The example picks its own port and prints it (`listening on ADDR`, or `serving ZONE on ADDR`
/// for `dns_server`): a port picked by the test and handed over ([`free_port`]) can be taken by
/// another test's server in between, and the test then talks to the wrong server. That race
/// failed CI once (two `h2_server`s handed the same port, one exiting on `EADDRINUSE`).
pub fn start_example(
    name: &str,
    args: &[&str],
    deadline: Duration,
) -> io::Result<(ChildGuard, u16)> {
    let path = example(name).map_err(io::Error::other)?;
    let mut command = Command::new(path);
    command
        .args(args)
        .args(["--listen", "127.0.0.1:0"])
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit());
    let mut child = ChildGuard::spawn(name, &mut command, deadline)?;
    let (stdout, _) = child.take_pipes()?;
    let stdout = stdout.ok_or_else(|| io::Error::other(format!("{name}: no stdout pipe")))?;
    let (tx, rx) = mpsc::channel();
    // The reader goes on draining stdout after the first line, so the example never blocks on
    // a full pipe.
    thread::spawn(move || {
        let mut lines = io::BufRead::lines(io::BufReader::new(stdout));
        if let Some(Ok(first)) = lines.next() {
            let _ = tx.send(first);
        }
        lines.for_each(drop);
    });
    let line = rx.recv_timeout(Duration::from_secs(10)).map_err(|_| {
        io::Error::new(
            io::ErrorKind::TimedOut,
            format!("{name} printed no address within 10 s (or exited)"),
        )
    })?;
    let port = listening_port(&line).ok_or_else(|| {
        io::Error::other(format!(
            "{name}: no 127.0.0.1:PORT in its first line {line:?}"
        ))
    })?;
    Ok((child, port))
}

/// The port in the first `127.0.0.1:PORT` of `line`.
fn listening_port(line: &str) -> Option<u16> {
    let at = line.find("127.0.0.1:")? + "127.0.0.1:".len();
    let rest = line.get(at..)?;
    let end = rest
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(rest.len());
    rest.get(..end)?.parse().ok().filter(|&p| p != 0)
}

/// FNV-1a, 64 bits: a small content hash for comparing large bodies in messages.
pub fn fnv1a(data: &[u8]) -> u64 {
    data.iter().fold(0xcbf2_9ce4_8422_2325, |h, &b| {
        (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3)
    })
}

#[cfg(test)]
mod tests {
    use super::listening_port;

    #[test]
    fn the_port_is_read_from_each_examples_first_line() {
        assert_eq!(listening_port("listening on 127.0.0.1:40123"), Some(40123));
        assert_eq!(
            listening_port("listening on http://127.0.0.1:8080"),
            Some(8080)
        );
        assert_eq!(
            listening_port("serving example.test. on 127.0.0.1:53000 (UDP and TCP)"),
            Some(53000)
        );
        assert_eq!(listening_port("listening on 127.0.0.1:0"), None);
        assert_eq!(listening_port("listening on [::1]:80"), None);
        assert_eq!(listening_port("listening on 127.0.0.1:99999"), None);
    }
}
