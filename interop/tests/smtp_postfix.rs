//! Our client (the `smtp_send` example) against a private Postfix on 127.0.0.1 that delivers to
//! files: the delivered messages equal those sent, once the trace field Postfix prepends
//! (`Received:`) is removed.
//!
//! How Postfix delivers here: nothing of /etc/postfix is used or changed. The test writes its
//! own main.cf and master.cf into a temporary directory (queue, data and log there too, no
//! chroot) and runs `postfix -c DIR start` (as root: the master must be started by root; it runs
//! its daemons as the `postfix` user). Its smtpd listens on 127.0.0.1:PORT only. Two routes, by
//! recipient domain (`transport_maps`):
//! - `file.test`: a `pipe(8)` transport running `dd` as `nobody` that writes each message, one
//!   recipient at a time, to `out/QUEUEID.USER.eml` under the test's directory: the simplest
//!   local delivery to a file that needs no mailbox, no alias database and no privileges. pipe
//!   writes lines with LF ends (Postfix stores lines, not line ends, and its local deliveries
//!   write them the UNIX way; flags are empty so nothing else is added: no From_ line, no
//!   Return-Path, Delivered-To or X-Original-To, no dot or `>` quoting), so these files are
//!   compared with what was sent with each CRLF turned into LF.
//! - `relay.test`: relayed by Postfix's own SMTP client to our `smtp_server` example, which
//!   stores the content as received: compared byte for byte, CRLF included (and Postfix's SMTP
//!   client is one more client of our server).
//!
//! The smtpd is strict: `smtpd_forbid_bare_newline = reject` with no exclusions (by default
//! loopback clients are exempt), so a bare LF from our client would be refused; a recipient is
//! refused by an access map, to see a per-recipient refusal (exit status 1, the others
//! delivered) and a message every recipient refused (nothing queued, RSET, exit status 1,
//! promptly). Postfix offers PIPELINING and CHUNKING, so our client pipelines and sends BDAT:
//! smtpd's own per-session command counts in the maillog are checked too.
//!
//! A guard stops Postfix (`postfix -c DIR stop`, then a kill of the master if it is still there)
//! when the test ends, failing or not. The test fails (never skips) when Postfix is missing:
//! scripts/test.sh installs it.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use interop::smtp::{
    SmtpServer, TRACE_FIELDS, assert_messages_eq, crlf_to_lf, show, strip_leading_fields,
    test_message, wait_until,
};
use interop::{TempDir, example, find_program, free_port, run};

/// How long the whole test may take; the smtp_server example is killed after it.
const DEADLINE: Duration = Duration::from_secs(120);

/// How long one command (postfix, smtp_send) may run.
const RUN_TIME: Duration = Duration::from_secs(30);

/// How long Postfix may take to deliver what it accepted.
const DELIVERY_TIME: Duration = Duration::from_secs(30);

fn postfix_program() -> PathBuf {
    find_program("postfix", &["/usr/sbin"], "postfix").unwrap_or_else(|e| panic!("{e}"))
}

/// A private Postfix; stopped on drop.
struct Postfix {
    port: u16,
    dir: TempDir,
    program: PathBuf,
}

impl Postfix {
    fn config_dir(&self) -> PathBuf {
        self.dir.join("etc")
    }

    fn out_dir(&self) -> PathBuf {
        self.dir.join("out")
    }

    fn maillog(&self) -> String {
        std::fs::read_to_string(self.dir.join("maillog")).unwrap_or_default()
    }

    /// Runs `postfix -c DIR ARGS` under `script` (a tty), because the postfix command reports
    /// its errors to syslog, which containers do not have, and looks silent otherwise.
    fn postfix(program: &Path, config: &Path, args: &str) -> interop::Output {
        let script = find_program("script", &["/usr/bin"], "bsdutils").unwrap();
        let line = format!("{} -c {} {args}", program.display(), config.display());
        let mut command = Command::new(script);
        command.args(["-q", "-e", "-c", &line, "/dev/null"]);
        run("postfix", &mut command, RUN_TIME).unwrap()
    }

    /// Stops the instances left by earlier runs whose test process is gone without its guard
    /// (killed by a signal): their directory names carry that process's id.
    fn stop_stale(program: &Path) {
        let Ok(entries) = std::fs::read_dir(std::env::temp_dir()) else {
            return;
        };
        for dir in entries.flatten().map(|e| e.path()) {
            let name = dir
                .file_name()
                .unwrap_or_default()
                .to_string_lossy()
                .into_owned();
            let Some(pid) = name
                .strip_prefix("interop-postfix-")
                .and_then(|rest| rest.split('-').next())
                .and_then(|pid| pid.parse::<u32>().ok())
            else {
                continue;
            };
            let config = dir.join("etc");
            if Path::new(&format!("/proc/{pid}")).exists() || !config.join("main.cf").exists() {
                continue;
            }
            eprintln!(
                "stopping a Postfix left by an earlier run in {}",
                dir.display()
            );
            Postfix::postfix(program, &config, "stop");
            let _ = std::fs::remove_dir_all(&dir);
        }
    }

    fn start(relay_port: u16) -> Postfix {
        let program = postfix_program();
        Postfix::stop_stale(&program);
        let dir = TempDir::new("postfix").unwrap();
        let port = free_port().unwrap();
        let etc = dir.join("etc");
        let out = dir.join("out");
        for d in [&etc, &dir.join("queue"), &dir.join("data"), &out] {
            std::fs::create_dir_all(d).unwrap();
        }
        // pipe runs `dd` as nobody, who must be able to write the delivered files.
        let chmod = |mode: &str, path: &Path| {
            let status = Command::new("chmod").arg(mode).arg(path).status().unwrap();
            assert!(status.success(), "chmod {mode} {}", path.display());
        };
        chmod("0755", dir.path());
        chmod("1777", &out);
        let status = Command::new("chown")
            .arg("postfix")
            .arg(dir.join("data"))
            .status()
            .unwrap();
        assert!(
            status.success(),
            "chown postfix: the Postfix package creates the user"
        );
        let d = dir.path().display();
        let main_cf = format!(
            "compatibility_level = 3.6
queue_directory = {d}/queue
data_directory = {d}/data
mail_owner = postfix
myhostname = postfix.test
mydomain = postfix.test
myorigin = $myhostname
mydestination =
relay_domains =
inet_interfaces = 127.0.0.1
inet_protocols = ipv4
mynetworks = 127.0.0.0/8
smtpd_relay_restrictions = permit_mynetworks, reject
smtpd_recipient_restrictions = check_recipient_access inline:{{ {{ nobody@file.test = REJECT no such user here }} }}, permit_mynetworks, reject
smtpd_forbid_bare_newline = reject
smtpd_forbid_bare_newline_exclusions =
transport_maps = inline:{{ {{ file.test = filedrop: }}, {{ relay.test = relay:[127.0.0.1]:{relay_port} }} }}
default_transport = error:5.1.2 no route in this test
filedrop_destination_recipient_limit = 1
alias_maps =
alias_database =
smtp_dns_support_level = disabled
smtp_tls_security_level = none
smtpd_tls_security_level = none
biff = no
maillog_file = {d}/maillog
maillog_file_prefixes = {d}
"
        );
        // Every service Postfix needs to receive, queue, relay and pipe, none chrooted.
        let master_cf = format!(
            "127.0.0.1:{port} inet n - n - - smtpd
pickup    unix  n       -       n       60      1       pickup
cleanup   unix  n       -       n       -       0       cleanup
qmgr      unix  n       -       n       300     1       qmgr
rewrite   unix  -       -       n       -       -       trivial-rewrite
bounce    unix  -       -       n       -       0       bounce
defer     unix  -       -       n       -       0       bounce
trace     unix  -       -       n       -       0       bounce
verify    unix  -       -       n       -       1       verify
flush     unix  n       -       n       1000?   0       flush
proxymap  unix  -       -       n       -       -       proxymap
smtp      unix  -       -       n       -       -       smtp
relay     unix  -       -       n       -       -       smtp
showq     unix  n       -       n       -       -       showq
error     unix  -       -       n       -       -       error
retry     unix  -       -       n       -       -       error
discard   unix  -       -       n       -       -       discard
anvil     unix  -       -       n       -       1       anvil
scache    unix  -       -       n       -       1       scache
postlog   unix-dgram n  -       n       -       1       postlogd
filedrop  unix  -       n       n       -       -       pipe
  user=nobody argv=/bin/dd status=none of={out}/${{queue_id}}.${{user}}.eml
",
            out = out.display()
        );
        std::fs::write(etc.join("main.cf"), main_cf).unwrap();
        std::fs::write(etc.join("master.cf"), master_cf).unwrap();

        let postfix = Postfix { port, dir, program };
        let started = Instant::now();
        let check = Postfix::postfix(&postfix.program, &etc, "check");
        assert!(
            check.status.success(),
            "postfix check: {}{}\nmaillog:\n{}",
            String::from_utf8_lossy(&check.stdout),
            check.stderr,
            postfix.maillog()
        );
        let start = Postfix::postfix(&postfix.program, &etc, "start");
        assert!(
            start.status.success(),
            "postfix start: {}{}\nmaillog:\n{}",
            String::from_utf8_lossy(&start.stdout),
            start.stderr,
            postfix.maillog()
        );
        postfix.wait_ready();
        eprintln!("postfix ready in {:?}", started.elapsed());
        postfix
    }

    /// Ready when its smtpd greets on the port.
    fn wait_ready(&self) {
        let greeting = wait_until("postfix's 220 greeting", Duration::from_secs(15), || {
            let stream = interop::connect(self.port).ok()?;
            let mut line = String::new();
            BufReader::new(stream).read_line(&mut line).ok()?;
            Some(line)
        })
        .unwrap_or_else(|e| panic!("{e}\nmaillog:\n{}", self.maillog()));
        assert!(
            greeting.starts_with("220 postfix.test ESMTP"),
            "{greeting:?}"
        );
    }

    /// The master's process id, from its pid file.
    fn master_pid(&self) -> Option<u32> {
        std::fs::read_to_string(self.dir.join("queue/pid/master.pid"))
            .ok()?
            .trim()
            .parse()
            .ok()
    }

    /// Waits until the maillog says the message `queue_id` was sent to `rcpt`; fails at once on
    /// a bounce or a deferral.
    fn wait_sent(&self, queue_id: &str, rcpt: &str) {
        let wanted = format!("{queue_id}: to=<{rcpt}>");
        wait_until(
            &format!("delivery of {queue_id} to {rcpt}"),
            DELIVERY_TIME,
            || {
                let log = self.maillog();
                for line in log.lines().filter(|l| l.contains(&wanted)) {
                    assert!(
                        !line.contains("status=bounced") && !line.contains("status=deferred"),
                        "{line}\nmaillog:\n{log}"
                    );
                    if line.contains("status=sent") {
                        return Some(());
                    }
                }
                None
            },
        )
        .unwrap_or_else(|e| panic!("{e}\nmaillog:\n{}", self.maillog()));
    }
}

impl Drop for Postfix {
    fn drop(&mut self) {
        let pid = self.master_pid();
        let stop = Postfix::postfix(&self.program, &self.config_dir(), "stop");
        // The master leaves when told; kill it (by its pid, nothing else) if it did not.
        if let Some(pid) = pid {
            let gone = wait_until("postfix master exit", Duration::from_secs(10), || {
                (!Path::new(&format!("/proc/{pid}")).exists()).then_some(())
            });
            if gone.is_err() {
                let _ = Command::new("kill")
                    .args(["-KILL", &pid.to_string()])
                    .status();
            }
        }
        if std::thread::panicking() {
            eprintln!(
                "postfix stop: {:?} {}{}\nmaillog:\n{}",
                stop.status,
                String::from_utf8_lossy(&stop.stdout),
                stop.stderr,
                self.maillog()
            );
        }
    }
}

/// What `smtp_send` printed, and its exit status.
struct Sent {
    code: Option<i32>,
    stdout: String,
}

fn smtp_send(port: u16, from: &str, to: &[&str], file: &Path) -> Sent {
    let mut command = Command::new(example("smtp_send").unwrap_or_else(|e| panic!("{e}")));
    command
        .args(["--server", &format!("127.0.0.1:{port}"), "--from", from])
        .args(to.iter().flat_map(|t| ["--to", t]))
        .arg(file);
    let out = run("smtp_send", &mut command, RUN_TIME).unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    eprintln!("smtp_send to {to:?}:\n{stdout}{}", out.stderr);
    Sent {
        code: out.status.code(),
        stdout,
    }
}

/// The queue id in Postfix's `250 2.0.0 Ok: queued as ID` (`Ok: N bytes queued as ID` after
/// BDAT).
fn queue_id(stdout: &str) -> String {
    let line = stdout
        .lines()
        .find(|l| l.starts_with("delivered: 250 2.0.0 Ok: ") && l.contains(" queued as "))
        .unwrap_or_else(|| panic!("no `queued as` in:\n{stdout}"));
    line.rsplit(' ').next().unwrap().to_owned()
}

/// The message Postfix delivered to `user@file.test`, its Received field removed (the only one
/// it prepends here, checked).
fn delivered_file(postfix: &Postfix, queue_id: &str, user: &str) -> Vec<u8> {
    let path = postfix.out_dir().join(format!("{queue_id}.{user}.eml"));
    let file = std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    without_trace(&file, &format!("{user}@file.test"))
}

fn without_trace(message: &[u8], rcpt: &str) -> Vec<u8> {
    let (removed, rest) = strip_leading_fields(message, TRACE_FIELDS);
    assert_eq!(
        removed,
        ["Received"],
        "the trace fields of the copy for {rcpt}:\n{}",
        show(message)
    );
    let received = String::from_utf8_lossy(&message[..message.len() - rest.len()]).into_owned();
    assert!(
        received.contains("by postfix.test (Postfix) with ESMTP"),
        "{received}"
    );
    rest.to_vec()
}

#[test]
fn smtp_send_through_postfix_to_files_and_to_our_server() {
    let started = Instant::now();
    let relay_target = SmtpServer::start(DEADLINE).unwrap();
    let postfix = Postfix::start(relay_target.port);
    let work = TempDir::new("postfix-msgs").unwrap();

    // 1. A CRLF message to two file.test users, one relay.test user, and one refused recipient:
    //    exit status 1 (not every recipient took it), the others get it.
    let to1 = [
        "alice@file.test",
        "nobody@file.test",
        "bob@file.test",
        "carol@relay.test",
    ];
    let sent1 = test_message("postfix-1", "sender@client.test", &to1, "\r\n");
    let file1 = work.join("one.eml");
    std::fs::write(&file1, &sent1).unwrap();
    let out1 = smtp_send(postfix.port, "sender@client.test", &to1, &file1);
    assert_eq!(out1.code, Some(1), "{}", out1.stdout);
    for rcpt in ["alice@file.test", "bob@file.test", "carol@relay.test"] {
        assert!(
            out1.stdout.contains(&format!("accepted {rcpt}\n")),
            "{}",
            out1.stdout
        );
    }
    assert!(
        out1.stdout
            .contains("refused nobody@file.test: 554 5.7.1 <nobody@file.test>: Recipient address rejected: no such user here"),
        "{}",
        out1.stdout
    );
    let id1 = queue_id(&out1.stdout);

    // 2. A file with bare LF line ends: our client sends it with CRLF (Postfix refuses bare LF
    //    here), and a message whose body has long lines and many dots.
    let to2 = ["dave@file.test", "erin@relay.test"];
    let mut sent2_lf = test_message("postfix-2", "other@client.test", &to2, "\n");
    for i in 0..200 {
        sent2_lf.extend_from_slice(format!(".{i:03} {}\n", "x.".repeat(400)).as_bytes());
    }
    let file2 = work.join("two.eml");
    std::fs::write(&file2, &sent2_lf).unwrap();
    let out2 = smtp_send(postfix.port, "other@client.test", &to2, &file2);
    assert_eq!(out2.code, Some(0), "{}", out2.stdout);
    let id2 = queue_id(&out2.stdout);
    let sent2_crlf: Vec<u8> = sent2_lf
        .iter()
        .flat_map(|&b| {
            if b == b'\n' {
                vec![b'\r', b'\n']
            } else {
                vec![b]
            }
        })
        .collect();

    // 3. Every recipient refused: nothing is sent (the BDAT or DATA pipelined behind the RCPTs
    //    is answered with an error and no message is queued), exit status 1, and promptly.
    let to3 = ["nobody@file.test"];
    let began = Instant::now();
    let out3 = smtp_send(postfix.port, "sender@client.test", &to3, &file1);
    assert_eq!(out3.code, Some(1), "{}", out3.stdout);
    assert!(
        out3.stdout
            .starts_with("refused nobody@file.test: 554 5.7.1 ")
            && out3.stdout.contains("\nnot delivered: "),
        "{}",
        out3.stdout
    );
    assert!(
        began.elapsed() < Duration::from_secs(5),
        "smtp_send took {:?}",
        began.elapsed()
    );

    for (id, rcpt) in [
        (&id1, "alice@file.test"),
        (&id1, "bob@file.test"),
        (&id1, "carol@relay.test"),
        (&id2, "dave@file.test"),
        (&id2, "erin@relay.test"),
    ] {
        postfix.wait_sent(id, rcpt);
    }

    // Postfix's own count of the conversations: our client pipelined BDAT (Postfix offers
    // CHUNKING), sent RSET after the failed transaction, and QUIT every time.
    let sessions = |log: &str| -> Vec<String> {
        log.lines()
            .filter_map(|l| l.split_once("disconnect from localhost[127.0.0.1] "))
            .map(|(_, counts)| counts.to_owned())
            .filter(|c| c.starts_with("ehlo="))
            .collect()
    };
    // smtpd logs a session after it answered its QUIT: wait for the last one.
    let sessions = wait_until("three smtpd sessions in the maillog", DELIVERY_TIME, || {
        let sessions = sessions(&postfix.maillog());
        (sessions.len() >= 3).then_some(sessions)
    })
    .unwrap_or_else(|e| panic!("{e}\nmaillog:\n{}", postfix.maillog()));
    let log = postfix.maillog();
    assert_eq!(
        sessions,
        [
            "ehlo=1 mail=1 rcpt=3/4 bdat=1 quit=1 commands=7/8",
            "ehlo=1 mail=1 rcpt=2 bdat=1 quit=1 commands=6",
            "ehlo=1 mail=1 rcpt=0/1 bdat=0/1 rset=1 quit=1 commands=4/6",
        ],
        "{log}"
    );

    // Files: LF line ends, otherwise the very bytes sent.
    assert_messages_eq(
        "postfix pipe delivery to files",
        &[
            delivered_file(&postfix, &id1, "alice"),
            delivered_file(&postfix, &id1, "bob"),
            delivered_file(&postfix, &id2, "dave"),
        ],
        &[crlf_to_lf(&sent1), crlf_to_lf(&sent1), sent2_lf.clone()],
    );
    let out_files = std::fs::read_dir(postfix.out_dir()).unwrap().count();
    assert_eq!(out_files, 3, "one file per file.test recipient, no more");

    // Relayed to our server: byte for byte, CRLF included. Postfix may relay the two messages
    // at once, in either order: compared sorted.
    let relayed = relay_target.stored().unwrap();
    let mut relayed: Vec<Vec<u8>> = relayed
        .iter()
        .map(|m| without_trace(m, "relay.test"))
        .collect();
    relayed.sort();
    let mut sent = vec![sent1.clone(), sent2_crlf];
    sent.sort();
    assert_messages_eq("postfix relay to smtp_server", &relayed, &sent);
    eprintln!("test took {:?}", started.elapsed());
}
