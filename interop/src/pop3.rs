//! What the POP3 interop tests share: the `pop3_server` example serving a directory of `*.eml`
//! files, a private Dovecot POP3 server (config, state and a Maildir under a temporary directory,
//! run as an unprivileged user, listening on 127.0.0.1 only), and the test messages (CRLF line
//! ends, lines that start with a dot, 8-bit text, a message larger than any read buffer).

use std::io;
use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Duration;

use crate::smtp::show;
use crate::{ChildGuard, TempDir, find_program, free_port, start_example, wait_for_port};

/// The user name both servers accept.
pub const USER: &str = "alice";

/// Its password (Dovecot's static passdb, the example's `--pass`; also the APOP secret).
pub const PASS: &str = "secret";

/// The test messages, tagged with `tag` so that each test's are its own. Every line ends in CRLF
/// (RFC 1939 §3: the servers send the files as they are); the set holds lines that start with a
/// dot (one that is a lone dot, which would end the response unstuffed), a body whose first line
/// starts with a dot, 8-bit UTF-8 text, an empty body, and a message of about 200 KB (larger
/// than any read buffer) with dot lines throughout. No line is longer than poplib's 2048-byte
/// limit.
pub fn test_messages(tag: &str) -> Vec<Vec<u8>> {
    let mut big = format!(
        "From: big@pop3.test\r\nTo: {USER}@pop3.test\r\nSubject: {tag} big\r\n\
         Message-ID: <{tag}.big@pop3.test>\r\n\r\n"
    );
    for i in 0..2500 {
        match i % 7 {
            0 => big.push_str(&format!(".line {i} starts with a dot\r\n")),
            3 => big.push_str(".\r\n"),
            5 => big.push_str(&format!("{}\r\n", "x".repeat(i % 1000))),
            _ => big.push_str(&format!("line {i} of the big message, nothing special\r\n")),
        }
    }
    vec![
        format!(
            "From: a@pop3.test\r\nTo: {USER}@pop3.test\r\nSubject: {tag} dots\r\n\
             Message-ID: <{tag}.1@pop3.test>\r\n\r\nfirst body line\r\n.\r\n..\r\n\
             .leading dot\r\n..two leading dots\r\n . not at the start\r\n\r\n.\r\nlast line\r\n"
        )
        .into_bytes(),
        format!(
            "From: b@pop3.test\r\nTo: {USER}@pop3.test\r\nSubject: {tag} 8-bit\r\n\
             Message-ID: <{tag}.2@pop3.test>\r\nContent-Type: text/plain; charset=utf-8\r\n\
             Content-Transfer-Encoding: 8bit\r\n\r\n.Gr\u{fc}\u{df}e aus K\u{f6}ln, \u{263a}\r\n\
             zweite Zeile\r\n...\r\n"
        )
        .into_bytes(),
        format!(
            "From: c@pop3.test\r\nTo: {USER}@pop3.test\r\nSubject: {tag} empty body\r\n\
             Message-ID: <{tag}.3@pop3.test>\r\n\r\n"
        )
        .into_bytes(),
        big.into_bytes(),
    ]
}

/// The header of `message` and the first `lines` lines of its body, as TOP gives them
/// (RFC 1939 §7): everything through the empty line, then the lines.
pub fn top_of(message: &[u8], lines: usize) -> Vec<u8> {
    let header_end = message
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .map_or(message.len(), |p| p + 4);
    let (header, body) = message.split_at(header_end);
    let mut out = header.to_vec();
    for line in body.split_inclusive(|&b| b == b'\n').take(lines) {
        out.extend_from_slice(line);
    }
    out
}

/// Asserts that `got` holds the same messages as `want`, in any order.
pub fn assert_same_messages(what: &str, got: &[Vec<u8>], want: &[Vec<u8>]) {
    let (mut got, mut want) = (got.to_vec(), want.to_vec());
    got.sort();
    want.sort();
    let list = |ms: &[Vec<u8>]| {
        ms.iter()
            .map(|m| {
                format!(
                    "  ({} bytes) {}\n",
                    m.len(),
                    show(m.get(..300).unwrap_or(m))
                )
            })
            .collect::<String>()
    };
    assert!(
        got == want,
        "{what}: the messages differ\ngot ({}):\n{}want ({}):\n{}",
        got.len(),
        list(&got),
        want.len(),
        list(&want)
    );
}

/// The `pop3_server` example serving the `*.eml` files of its own directory to [`USER`] with
/// [`PASS`], on a free port of 127.0.0.1; killed when dropped.
#[derive(Debug)]
pub struct Pop3Server {
    /// Its port on 127.0.0.1.
    pub port: u16,
    /// Its maildrop: message n is the n-th `*.eml` file in name order.
    pub maildir: TempDir,
    _process: ChildGuard,
}

impl Pop3Server {
    /// Writes `messages` as `01.eml`, `02.eml`, ... and starts the example on them (it is killed
    /// after `deadline` at the latest), waiting until it listens.
    pub fn start(messages: &[Vec<u8>], deadline: Duration) -> io::Result<Pop3Server> {
        let maildir = TempDir::new("pop3-maildrop")?;
        for (i, m) in messages.iter().enumerate() {
            std::fs::write(maildir.join(format!("{:02}.eml", i + 1)), m)?;
        }
        let dir = maildir.path().display().to_string();
        let (process, port) = start_example(
            "pop3_server",
            &["--maildir", &dir, "--user", USER, "--pass", PASS],
            deadline,
        )?;
        Ok(Pop3Server {
            port,
            maildir,
            _process: process,
        })
    }

    /// The names and contents of the `*.eml` files left, in name order.
    pub fn files(&self) -> io::Result<Vec<(String, Vec<u8>)>> {
        let mut names: Vec<String> = std::fs::read_dir(self.maildir.path())?
            .map(|e| e.map(|e| e.file_name().to_string_lossy().into_owned()))
            .collect::<io::Result<_>>()?;
        names.retain(|n| n.ends_with(".eml"));
        names.sort();
        names
            .into_iter()
            .map(|n| {
                let content = std::fs::read(self.maildir.join(&n))?;
                Ok((n, content))
            })
            .collect()
    }
}

/// The name of the Dovecot directories under the system's temporary directory:
/// `interop-pop3-dovecot-<test pid>-<n>`.
const DOVECOT_PREFIX: &str = "pop3-dovecot";

/// A system account the tests run a peer as.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Account {
    /// The user name.
    pub user: String,
    /// The name of its primary group.
    pub group: String,
    /// Its uid.
    pub uid: u32,
    /// Its primary gid.
    pub gid: u32,
}

impl Account {
    /// The account Dovecot runs as: `nobody` (and its group) when the tests run as root, since
    /// Dovecot's login process refuses to run as root; otherwise the user running the tests.
    pub fn for_dovecot() -> io::Result<Account> {
        let uid = std::fs::metadata("/proc/self")?.uid();
        let passwd = std::fs::read_to_string("/etc/passwd")?;
        let entry = passwd
            .lines()
            .map(|l| l.split(':').collect::<Vec<_>>())
            .find(|f| {
                if uid == 0 {
                    f.first() == Some(&"nobody")
                } else {
                    f.get(2).and_then(|u| u.parse::<u32>().ok()) == Some(uid)
                }
            });
        let (Some(user), Some(uid), Some(gid)) = entry
            .as_ref()
            .map_or((None, None, None), |f| (f.first(), f.get(2), f.get(3)))
        else {
            return Err(io::Error::other(format!(
                "no account for Dovecot in /etc/passwd (looked for {}): as root the tests run it \
                 as `nobody`",
                if uid == 0 {
                    "nobody".into()
                } else {
                    format!("uid {uid}")
                }
            )));
        };
        let (uid, gid) = match (uid.parse::<u32>(), gid.parse::<u32>()) {
            (Ok(uid), Ok(gid)) => (uid, gid),
            _ => return Err(io::Error::other(format!("bad /etc/passwd line for {user}"))),
        };
        let groups = std::fs::read_to_string("/etc/group")?;
        let group = groups
            .lines()
            .map(|l| l.split(':').collect::<Vec<_>>())
            .find(|f| f.get(2).and_then(|g| g.parse::<u32>().ok()) == Some(gid))
            .and_then(|f| f.first().map(|g| (*g).to_owned()))
            .ok_or_else(|| io::Error::other(format!("no group {gid} in /etc/group")))?;
        Ok(Account {
            user: (*user).to_owned(),
            group,
            uid,
            gid,
        })
    }
}

/// Gives `path` and everything under it to `account` (nothing to do when it is the owner
/// already).
fn chown_tree(path: &Path, account: &Account) -> io::Result<()> {
    std::os::unix::fs::lchown(path, Some(account.uid), Some(account.gid))?;
    if std::fs::symlink_metadata(path)?.is_dir() {
        for entry in std::fs::read_dir(path)? {
            chown_tree(&entry?.path(), account)?;
        }
    }
    Ok(())
}

/// A private Dovecot 2.3 POP3 server: config, runtime and state directories, log and the user's
/// Maildir all under one temporary directory owned by [`Account::for_dovecot`], the master run
/// in the foreground (`dovecot -F`) as that account, listening on a free port of 127.0.0.1 only,
/// without TLS; [`USER`] logs in with [`PASS`] (static passdb: USER/PASS, APOP, AUTH PLAIN and
/// LOGIN). Stopped (SIGTERM, then waited for; killed if it lingers) when dropped.
#[derive(Debug)]
pub struct Dovecot {
    /// Its port on 127.0.0.1.
    pub port: u16,
    /// The Maildir of [`USER`].
    pub maildir: PathBuf,
    /// The account it runs as.
    pub account: Account,
    log: PathBuf,
    process: ChildGuard,
    dir: TempDir,
}

impl Dovecot {
    /// Seeds the Maildir with `messages` (as new mail, files `new/<n>.seed.pop3test`), writes
    /// the config and starts the master (killed after `deadline` at the latest), waiting until
    /// it listens.
    pub fn start(messages: &[Vec<u8>], deadline: Duration) -> io::Result<Dovecot> {
        let dovecot =
            find_program("dovecot", &["/usr/sbin"], "dovecot-pop3d").map_err(io::Error::other)?;
        // dovecot-core alone has no POP3 server: the master would start and refuse logins.
        let pop3 = Path::new("/usr/lib/dovecot/pop3");
        if !pop3.is_file() {
            return Err(io::Error::other(format!(
                "{} is missing: install the Debian package `dovecot-pop3d` (scripts/test.sh does)",
                pop3.display()
            )));
        }
        let account = Account::for_dovecot()?;
        Dovecot::stop_stale();
        let dir = TempDir::new(DOVECOT_PREFIX)?;
        // The account must reach the directory: every ancestor searchable by others.
        for ancestor in dir.path().ancestors().skip(1) {
            let mode = std::fs::metadata(ancestor)?.permissions().mode();
            if mode & 0o001 == 0 {
                return Err(io::Error::other(format!(
                    "{} is not searchable by others (mode {mode:o}): Dovecot runs as {} and \
                     cannot reach its directory under it; set TMPDIR to a directory it can reach",
                    ancestor.display(),
                    account.user
                )));
            }
        }
        let maildir = dir.join("home").join(USER).join("Maildir");
        for sub in ["new", "cur", "tmp"] {
            std::fs::create_dir_all(maildir.join(sub))?;
        }
        for (i, m) in messages.iter().enumerate() {
            std::fs::write(
                maildir.join("new").join(format!("{}.seed.pop3test", i + 1)),
                m,
            )?;
        }
        for sub in ["run", "state"] {
            std::fs::create_dir_all(dir.join(sub))?;
        }
        let port = free_port()?;
        let log = dir.join("dovecot.log");
        let config = dir.join("dovecot.conf");
        let root = dir.path().display();
        let instance = dir.path().file_name().map_or_else(
            || "pop3-dovecot".into(),
            |n| n.to_string_lossy().into_owned(),
        );
        let Account { user, group, .. } = &account;
        std::fs::write(
            &config,
            format!(
                "# A private Dovecot POP3 server for the interop tests (interop::pop3::Dovecot)\n\
                 base_dir = {root}/run\n\
                 state_dir = {root}/state\n\
                 log_path = {root}/dovecot.log\n\
                 instance_name = {instance}\n\
                 protocols = pop3\n\
                 listen = 127.0.0.1\n\
                 ssl = no\n\
                 disable_plaintext_auth = no\n\
                 auth_mechanisms = plain login apop\n\
                 auth_failure_delay = 0\n\
                 default_internal_user = {user}\n\
                 default_internal_group = {group}\n\
                 default_login_user = {user}\n\
                 passdb {{\n  driver = static\n  args = password={PASS}\n}}\n\
                 userdb {{\n  driver = static\n  args = uid={user} gid={group} home={root}/home/%u\n}}\n\
                 mail_location = maildir:~/Maildir\n\
                 service pop3-login {{\n  chroot =\n  \
                   inet_listener pop3 {{\n    port = {port}\n  }}\n  \
                   inet_listener pop3s {{\n    port = 0\n  }}\n}}\n\
                 service anvil {{\n  chroot =\n}}\n"
            ),
        )?;
        chown_tree(dir.path(), &account)?;
        let mut command = Command::new(dovecot);
        command
            .args(["-F", "-c"])
            .arg(&config)
            .stdout(Stdio::null())
            .stderr(Stdio::inherit());
        if std::fs::metadata("/proc/self")?.uid() == 0 {
            // Drops root (and its supplementary groups) in the child before exec.
            command.uid(account.uid).gid(account.gid);
        }
        let mut process = ChildGuard::spawn("dovecot", &mut command, deadline)?;
        if let Err(e) = wait_for_port(port, Duration::from_secs(15), &mut process) {
            let log = std::fs::read_to_string(&log).unwrap_or_default();
            return Err(io::Error::new(
                e.kind(),
                format!("{e}; dovecot.log:\n{log}"),
            ));
        }
        Ok(Dovecot {
            port,
            maildir,
            account,
            log,
            process,
            dir,
        })
    }

    /// Stops the masters left by earlier runs whose test process is gone without its guard
    /// (killed by a signal; a master is not our child then, so nothing else stops it): their
    /// directory names carry that process's id. Signals a master only when its command line
    /// names the directory's config, so a recycled pid is left alone.
    fn stop_stale() {
        let Ok(entries) = std::fs::read_dir(std::env::temp_dir()) else {
            return;
        };
        for dir in entries.flatten().map(|e| e.path()) {
            let name = dir
                .file_name()
                .unwrap_or_default()
                .to_string_lossy()
                .into_owned();
            let Some(test_pid) = name
                .strip_prefix(&format!("interop-{DOVECOT_PREFIX}-"))
                .and_then(|rest| rest.split('-').next())
                .and_then(|pid| pid.parse::<u32>().ok())
            else {
                continue;
            };
            if Path::new(&format!("/proc/{test_pid}")).exists() {
                continue;
            }
            let config = dir.join("dovecot.conf").display().to_string();
            let master = std::fs::read_to_string(dir.join("run").join("master.pid"))
                .ok()
                .and_then(|p| p.trim().parse::<u32>().ok())
                .filter(|pid| {
                    std::fs::read(format!("/proc/{pid}/cmdline"))
                        .is_ok_and(|c| String::from_utf8_lossy(&c).contains(&config))
                });
            if let Some(pid) = master {
                eprintln!(
                    "stopping a Dovecot left by an earlier run in {}",
                    dir.display()
                );
                let _ = Command::new("sh")
                    .args(["-c", "kill -TERM \"$0\"", &pid.to_string()])
                    .status();
                // Gone, or a zombie its new parent has not reaped yet.
                let deadline = std::time::Instant::now() + Duration::from_secs(3);
                while std::time::Instant::now() < deadline
                    && std::fs::read_to_string(format!("/proc/{pid}/stat"))
                        .is_ok_and(|s| !s.contains(") Z "))
                {
                    std::thread::sleep(Duration::from_millis(50));
                }
            }
            let _ = std::fs::remove_dir_all(&dir);
        }
    }

    /// `127.0.0.1:PORT`.
    pub fn addr(&self) -> String {
        format!("127.0.0.1:{}", self.port)
    }

    /// The messages in the Maildir now (new and cur), in no particular order.
    pub fn messages(&self) -> io::Result<Vec<Vec<u8>>> {
        let mut out = Vec::new();
        for sub in ["new", "cur"] {
            for entry in std::fs::read_dir(self.maildir.join(sub))? {
                let path = entry?.path();
                if path.is_file() {
                    out.push(std::fs::read(path)?);
                }
            }
        }
        Ok(out)
    }

    /// Its log so far.
    pub fn log(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }

    /// The temporary directory holding everything.
    pub fn dir(&self) -> &Path {
        self.dir.path()
    }
}

impl Drop for Dovecot {
    fn drop(&mut self) {
        // SIGTERM lets the master stop its children; the master is our own unreaped child, so
        // its pid names no other process. Killed (SIGKILL) if it is still up after 5 s.
        if let (Ok(None), Ok(pid)) = (self.process.try_wait(), self.process.id()) {
            let _ = Command::new("sh")
                .args(["-c", "kill -TERM \"$0\"", &pid.to_string()])
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .status();
            let _ = self.process.wait_timeout(Duration::from_secs(5));
        }
    }
}
