//! POP3 commands (RFC 1939 §3-§7, RFC 2449 §5, RFC 5034 §4, RFC 2595 §4, RFC 6856 §2-§3).
//!
//! ```text
//! command  = keyword *(SP param) CRLF     ; 255 octets maximum     (RFC 2449 §9)
//! keyword  = 3*4VCHAR                     ; case-insensitive        (RFC 1939 §3)
//! param    = 1*VCHAR                      ; 40 octets maximum       (RFC 2449 §4)
//! msg      = 1*DIGIT                      ; a message-number, 1 or more (RFC 1939 §5)
//! ```
//!
//! The grammar is flat (a keyword, then arguments each after a single SP), so it is read by hand
//! rather than with parser combinators; each check names its production. PASS takes the rest of
//! the line as its one argument, spaces included (RFC 1939 §7: "a POP3 server may treat spaces in
//! the argument as part of the password"). USER and PASS arguments may be UTF-8 once the client
//! has sent UTF8 (RFC 6856 §2); everything else is printable ASCII.

use std::fmt;

use crate::error::{Error, Found};
use crate::sasl::{InitialResponse, Mechanism};

const SP: u8 = b' ';

/// A command argument that cannot carry a second command: not empty, no CR, LF or NUL, no
/// other control character, no SP unless built with [`Argument::with_spaces`] (PASS).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Argument(String);

impl Argument {
    /// `text` checked: printable ASCII or UTF-8 (RFC 1939 §3, RFC 6856 §2), no SP.
    pub fn new(text: &str) -> Result<Argument, Error> {
        check_argument(text.as_bytes(), false, true)?;
        Ok(Argument(text.to_owned()))
    }

    /// `text` checked as [`Argument::new`] but with SP allowed inside (PASS, RFC 1939 §7).
    pub fn with_spaces(text: &str) -> Result<Argument, Error> {
        check_argument(text.as_bytes(), true, true)?;
        Ok(Argument(text.to_owned()))
    }

    /// The text as sent.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Argument {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Whether `b` is `1*VCHAR` (SP too when `spaces`; UTF-8 too when `utf8`); the error points at the
/// first byte that is not.
fn check_argument(b: &[u8], spaces: bool, utf8: bool) -> Result<(), Error> {
    let bad = |at: usize, reason: &'static str| Error::Syntax {
        offset: at as u64,
        production: "param",
        found: Found::first_of(b.get(at..).unwrap_or_default()),
        reason,
    };
    if b.is_empty() {
        return Err(bad(0, "an argument of one or more characters, RFC 2449 §9"));
    }
    let mut i = 0;
    while let Some(&c) = b.get(i) {
        if c.is_ascii_graphic() || (spaces && c == SP) {
            i += 1;
            continue;
        }
        if c >= 0x80 && utf8 {
            let width = utf8_width(b.get(i..).unwrap_or_default());
            if width > 0 {
                i += width;
                continue;
            }
        }
        return Err(bad(
            i,
            "printable characters, RFC 1939 §3 (UTF-8 after UTF8, RFC 6856 §2)",
        ));
    }
    Ok(())
}

/// The length of the UTF-8 character `b` starts with, 0 if it does not start with one.
fn utf8_width(b: &[u8]) -> usize {
    let n = match b.first() {
        Some(0xc2..=0xdf) => 2,
        Some(0xe0..=0xef) => 3,
        Some(0xf0..=0xf4) => 4,
        _ => return 0,
    };
    match b.get(..n).map(std::str::from_utf8) {
        Some(Ok(_)) => n,
        _ => 0,
    }
}

/// A POP3 command.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Command {
    /// `USER name` (RFC 1939 §7).
    User(Argument),
    /// `PASS string` (RFC 1939 §7); the string may hold spaces.
    Pass(Argument),
    /// `APOP name digest` (RFC 1939 §7): the MD5 of the greeting's timestamp and the secret.
    Apop {
        /// The mailbox name.
        name: Argument,
        /// The digest, sent as 32 lower-case hex digits.
        digest: [u8; 16],
    },
    /// `STAT` (RFC 1939 §5).
    Stat,
    /// `LIST [msg]` (RFC 1939 §5): without a message number the answer is multi-line.
    List(Option<u32>),
    /// `RETR msg` (RFC 1939 §5).
    Retr(u32),
    /// `DELE msg` (RFC 1939 §5).
    Dele(u32),
    /// `NOOP` (RFC 1939 §5).
    Noop,
    /// `RSET` (RFC 1939 §5).
    Rset,
    /// `QUIT` (RFC 1939 §4, §6).
    Quit,
    /// `TOP msg n` (RFC 1939 §7): the header and `n` lines of the body.
    Top {
        /// The message number.
        msg: u32,
        /// Lines of the body, 0 or more.
        lines: u32,
    },
    /// `UIDL [msg]` (RFC 1939 §7): without a message number the answer is multi-line.
    Uidl(Option<u32>),
    /// `CAPA` (RFC 2449 §5).
    Capa,
    /// `AUTH [mechanism [initial-response]]` (RFC 5034 §4). Without a mechanism, the request
    /// for the list of mechanisms that many servers answer (multi-line; not in RFC 5034).
    Auth {
        /// The SASL mechanism.
        mechanism: Option<Mechanism>,
        /// The initial response, base64 or `=` (RFC 5034 §4).
        initial: Option<InitialResponse>,
    },
    /// `STLS` (RFC 2595 §4).
    Stls,
    /// `UTF8` (RFC 6856 §2).
    Utf8,
    /// `LANG [lang-range]` (RFC 6856 §3): without an argument the answer is multi-line.
    Lang(Option<Argument>),
}

impl Command {
    /// The keyword, upper case.
    pub fn keyword(&self) -> &'static str {
        match self {
            Command::User(_) => "USER",
            Command::Pass(_) => "PASS",
            Command::Apop { .. } => "APOP",
            Command::Stat => "STAT",
            Command::List(_) => "LIST",
            Command::Retr(_) => "RETR",
            Command::Dele(_) => "DELE",
            Command::Noop => "NOOP",
            Command::Rset => "RSET",
            Command::Quit => "QUIT",
            Command::Top { .. } => "TOP",
            Command::Uidl(_) => "UIDL",
            Command::Capa => "CAPA",
            Command::Auth { .. } => "AUTH",
            Command::Stls => "STLS",
            Command::Utf8 => "UTF8",
            Command::Lang(_) => "LANG",
        }
    }

    /// Whether a positive answer is multi-line (RFC 1939 §5, §7; RFC 2449 §5; RFC 6856 §3):
    /// LIST and UIDL without argument, RETR, TOP, CAPA, AUTH without mechanism, LANG without
    /// argument.
    pub fn has_multiline_answer(&self) -> bool {
        matches!(
            self,
            Command::List(None)
                | Command::Uidl(None)
                | Command::Retr(_)
                | Command::Top { .. }
                | Command::Capa
                | Command::Auth {
                    mechanism: None,
                    ..
                }
                | Command::Lang(None)
        )
    }

    /// The arguments as written on the line, in order.
    pub fn args(&self) -> Vec<String> {
        match self {
            Command::User(a) | Command::Pass(a) => vec![a.to_string()],
            Command::Apop { name, digest } => vec![name.to_string(), hex(digest)],
            Command::List(m) | Command::Uidl(m) => m.iter().map(u32::to_string).collect(),
            Command::Retr(m) | Command::Dele(m) => vec![m.to_string()],
            Command::Top { msg, lines } => vec![msg.to_string(), lines.to_string()],
            Command::Auth { mechanism, initial } => mechanism
                .iter()
                .map(|m| m.as_str().to_owned())
                .chain(initial.iter().map(|i| i.as_str().to_owned()))
                .collect(),
            Command::Lang(l) => l.iter().map(Argument::to_string).collect(),
            Command::Stat
            | Command::Noop
            | Command::Rset
            | Command::Quit
            | Command::Capa
            | Command::Stls
            | Command::Utf8 => Vec::new(),
        }
    }

    /// The command's line without its CRLF. Refused for a message number 0 (RFC 1939 §5).
    pub fn to_line(&self) -> Result<String, Error> {
        let zero = match self {
            Command::Retr(m) | Command::Dele(m) | Command::Top { msg: m, .. } => *m == 0,
            Command::List(m) | Command::Uidl(m) => *m == Some(0),
            _ => false,
        };
        if zero {
            return Err(Error::Local {
                reason: "message numbers start at 1 (RFC 1939 §5)",
            });
        }
        let mut line = self.keyword().to_owned();
        for a in self.args() {
            line.push(' ');
            line.push_str(&a);
        }
        Ok(line)
    }

    /// Parses one command line (without its CRLF) whose first byte is at stream offset `base`.
    /// `utf8`: the client sent UTF8, so USER and PASS may carry UTF-8 (RFC 6856 §2).
    pub fn decode(
        line: &[u8],
        base: u64,
        max_argument: usize,
        utf8: bool,
    ) -> Result<Command, Error> {
        Parser {
            line,
            base,
            at: 0,
            max_argument,
        }
        .command(utf8)
    }
}

/// 32 lower-case hex digits (RFC 1939 §7).
fn hex(digest: &[u8; 16]) -> String {
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

/// A cursor over one command line.
struct Parser<'a> {
    line: &'a [u8],
    base: u64,
    at: usize,
    max_argument: usize,
}

impl<'a> Parser<'a> {
    fn fail(&self, at: usize, production: &'static str, reason: &'static str) -> Error {
        Error::Syntax {
            offset: self.base + at as u64,
            production,
            found: Found::first_of(self.line.get(at..).unwrap_or_default()),
            reason,
        }
    }

    /// `keyword` (RFC 1939 §3): 3 or 4 characters, case-insensitive; an unknown one is
    /// [`Error::UnknownCommand`].
    fn keyword(&mut self) -> Result<[u8; 4], Error> {
        let end = self
            .line
            .iter()
            .position(|&b| b == SP)
            .unwrap_or(self.line.len());
        let word = self.line.get(..end).unwrap_or_default();
        if !(3..=4).contains(&word.len()) || !word.iter().all(u8::is_ascii_alphanumeric) {
            return Err(Error::UnknownCommand { offset: self.base });
        }
        let mut k = [b' '; 4];
        for (d, s) in k.iter_mut().zip(word) {
            *d = s.to_ascii_uppercase();
        }
        self.at = end;
        Ok(k)
    }

    /// `SP param`, or `None` at the end of the line. `spaces`: the rest of the line is the one
    /// argument (PASS).
    fn param(&mut self, spaces: bool, utf8: bool, limit: bool) -> Result<Option<&'a [u8]>, Error> {
        match self.line.get(self.at) {
            None => return Ok(None),
            Some(&SP) => self.at += 1,
            Some(_) => {
                return Err(self.fail(self.at, "SP", "a single SP between arguments, RFC 1939 §3"));
            }
        }
        let start = self.at;
        let rest = self.line.get(start..).unwrap_or_default();
        let len = if spaces {
            rest.len()
        } else {
            rest.iter().position(|&b| b == SP).unwrap_or(rest.len())
        };
        let arg = rest.get(..len).unwrap_or_default();
        check_argument(arg, spaces, utf8).map_err(|e| match e {
            Error::Syntax { offset, reason, .. } => {
                self.fail(start + offset as usize, "param", reason)
            }
            e => e,
        })?;
        if limit && arg.len() > self.max_argument {
            return Err(Error::ArgumentTooLong {
                offset: self.base + start as u64,
                limit: self.max_argument,
            });
        }
        self.at = start + len;
        Ok(Some(arg))
    }

    /// A required argument.
    fn required(
        &mut self,
        production: &'static str,
        reason: &'static str,
        spaces: bool,
        utf8: bool,
    ) -> Result<&'a [u8], Error> {
        match self.param(spaces, utf8, true)? {
            Some(a) => Ok(a),
            None => Err(self.fail(self.at, production, reason)),
        }
    }

    /// `1*DIGIT` as a u32; `msg` when `nonzero`.
    fn number(
        &self,
        digits: &[u8],
        start: usize,
        production: &'static str,
        nonzero: bool,
    ) -> Result<u32, Error> {
        if let Some(i) = digits.iter().position(|b| !b.is_ascii_digit()) {
            return Err(self.fail(start + i, production, "decimal digits, RFC 1939 §3"));
        }
        let value = digits.iter().try_fold(0u32, |n, &d| {
            n.checked_mul(10)?.checked_add(u32::from(d - b'0'))
        });
        match value {
            None => Err(self.fail(start, production, "a number below 2^32")),
            Some(0) if nonzero => {
                Err(self.fail(start, production, "message numbers start at 1, RFC 1939 §5"))
            }
            Some(n) => Ok(n),
        }
    }

    fn msg(&mut self) -> Result<u32, Error> {
        let digits = self.required("msg", "a message number, RFC 1939 §5", false, false)?;
        self.number(digits, self.at - digits.len(), "msg", true)
    }

    fn optional_msg(&mut self) -> Result<Option<u32>, Error> {
        match self.param(false, false, true)? {
            Some(digits) => self
                .number(digits, self.at - digits.len(), "msg", true)
                .map(Some),
            None => Ok(None),
        }
    }

    fn end(&self) -> Result<(), Error> {
        match self.at < self.line.len() {
            true => Err(self.fail(self.at, "CRLF", "no more arguments, RFC 1939 §5, §7")),
            false => Ok(()),
        }
    }

    fn text(bytes: &[u8]) -> String {
        String::from_utf8_lossy(bytes).into_owned()
    }

    fn command(mut self, utf8: bool) -> Result<Command, Error> {
        let keyword = self.keyword()?;
        let command = match &keyword {
            b"USER" => {
                let name = self.required("param", "a user name, RFC 1939 §7", false, utf8)?;
                Command::User(Argument(Self::text(name)))
            }
            b"PASS" => {
                let pass = self.required("param", "a password, RFC 1939 §7", true, utf8)?;
                Command::Pass(Argument(Self::text(pass)))
            }
            b"APOP" => {
                let name =
                    self.required("param", "a name and a digest, RFC 1939 §7", false, false)?;
                let name = Argument(Self::text(name));
                let digest = self.required(
                    "digest",
                    "32 lower-case hex digits, RFC 1939 §7",
                    false,
                    false,
                )?;
                let start = self.at - digest.len();
                Command::Apop {
                    name,
                    digest: self.digest(digest, start)?,
                }
            }
            b"STAT" => Command::Stat,
            b"LIST" => Command::List(self.optional_msg()?),
            b"RETR" => Command::Retr(self.msg()?),
            b"DELE" => Command::Dele(self.msg()?),
            b"NOOP" => Command::Noop,
            b"RSET" => Command::Rset,
            b"QUIT" => Command::Quit,
            b"TOP " => {
                let msg = self.msg()?;
                let n = self.required("number", "a number of lines, RFC 1939 §7", false, false)?;
                let lines = self.number(n, self.at - n.len(), "number", false)?;
                Command::Top { msg, lines }
            }
            b"UIDL" => Command::Uidl(self.optional_msg()?),
            b"CAPA" => Command::Capa,
            b"AUTH" => self.auth()?,
            b"STLS" => Command::Stls,
            b"UTF8" => Command::Utf8,
            b"LANG" => Command::Lang(
                self.param(false, false, true)?
                    .map(|l| Argument(Self::text(l))),
            ),
            _ => return Err(Error::UnknownCommand { offset: self.base }),
        };
        self.end()?;
        Ok(command)
    }

    fn digest(&self, hex: &[u8], start: usize) -> Result<[u8; 16], Error> {
        let mut out = [0u8; 16];
        if let Some(i) = hex
            .iter()
            .position(|b| !matches!(b, b'0'..=b'9' | b'a'..=b'f'))
        {
            return Err(self.fail(start + i, "digest", "lower-case hex digits, RFC 1939 §7"));
        }
        if hex.len() != 32 {
            return Err(self.fail(
                start + hex.len().min(32),
                "digest",
                "32 hex digits (16 octets), RFC 1939 §7",
            ));
        }
        for (o, pair) in out.iter_mut().zip(hex.chunks(2)) {
            let v = |c: u8| {
                if c.is_ascii_digit() {
                    c - b'0'
                } else {
                    c - b'a' + 10
                }
            };
            if let [h, l] = pair {
                *o = (v(*h) << 4) | v(*l);
            }
        }
        Ok(out)
    }

    /// `AUTH [mechanism [initial-response]]` (RFC 5034 §4): the initial response is bounded by
    /// the line only.
    fn auth(&mut self) -> Result<Command, Error> {
        let Some(name) = self.param(false, false, true)? else {
            return Ok(Command::Auth {
                mechanism: None,
                initial: None,
            });
        };
        let start = self.at - name.len();
        let mechanism =
            Mechanism::new(&Self::text(name)).map_err(|e| e.shifted(self.base + start as u64))?;
        let initial = match self.param(false, false, false)? {
            Some(r) => {
                let start = self.at - r.len();
                Some(
                    InitialResponse::new(&Self::text(r))
                        .map_err(|e| e.shifted(self.base + start as u64))?,
                )
            }
            None => None,
        };
        Ok(Command::Auth {
            mechanism: Some(mechanism),
            initial,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(line: &str) -> Result<Command, Error> {
        Command::decode(line.as_bytes(), 0, 40, false)
    }

    #[test]
    fn every_command_round_trips() {
        for line in [
            "USER alice",
            "PASS open sesame",
            "APOP mrose c4c9334bac560ecc979e58001b3e22fb",
            "STAT",
            "LIST",
            "LIST 2",
            "RETR 1",
            "DELE 4294967295",
            "NOOP",
            "RSET",
            "QUIT",
            "TOP 1 0",
            "UIDL",
            "UIDL 3",
            "CAPA",
            "AUTH",
            "AUTH PLAIN",
            "AUTH PLAIN AGFsaWNlAHNlY3JldA==",
            "AUTH PLAIN =",
            "STLS",
            "UTF8",
            "LANG",
            "LANG fr",
        ] {
            let c = parse(line).unwrap();
            assert_eq!(c.to_line().unwrap(), line);
        }
        assert_eq!(parse("retr 1").unwrap(), Command::Retr(1));
        assert_eq!(
            parse("Top 1 10").unwrap(),
            Command::Top { msg: 1, lines: 10 }
        );
    }

    #[test]
    fn message_numbers() {
        let e = |line: &str| parse(line).unwrap_err();
        assert!(matches!(
            e("RETR 0"),
            Error::Syntax {
                offset: 5,
                production: "msg",
                ..
            }
        ));
        assert!(matches!(
            e("RETR -1"),
            Error::Syntax {
                offset: 5,
                production: "msg",
                ..
            }
        ));
        assert!(matches!(
            e("RETR 4294967296"),
            Error::Syntax { offset: 5, .. }
        ));
        assert!(matches!(e("RETR 1x"), Error::Syntax { offset: 6, .. }));
        assert!(matches!(
            e("RETR"),
            Error::Syntax {
                offset: 4,
                found: Found::End,
                ..
            }
        ));
        assert!(matches!(
            e("RETR 1 2"),
            Error::Syntax {
                offset: 6,
                production: "CRLF",
                ..
            }
        ));
        assert!(matches!(
            e("RETR  1"),
            Error::Syntax {
                offset: 5,
                production: "param",
                ..
            }
        ));
        assert!(matches!(
            e("TOP 1 4294967296"),
            Error::Syntax {
                offset: 6,
                production: "number",
                ..
            }
        ));
        assert_eq!(parse("TOP 1 0").unwrap(), Command::Top { msg: 1, lines: 0 });
    }

    #[test]
    fn arguments() {
        let long = format!("USER {}", "a".repeat(41));
        assert_eq!(
            parse(&long).unwrap_err(),
            Error::ArgumentTooLong {
                offset: 5,
                limit: 40
            }
        );
        assert!(parse(&format!("USER {}", "a".repeat(40))).is_ok());
        assert!(matches!(
            parse("USER a\x00b"),
            Err(Error::Syntax { offset: 6, .. })
        ));
        assert!(matches!(
            parse("USER jörg"),
            Err(Error::Syntax { offset: 6, .. })
        ));
        assert_eq!(
            Command::decode("USER jörg".as_bytes(), 0, 40, true).unwrap(),
            Command::User(Argument::new("jörg").unwrap())
        );
        assert!(matches!(
            parse("FOO"),
            Err(Error::UnknownCommand { offset: 0 })
        ));
        assert!(matches!(
            parse("RETRIEVE 1"),
            Err(Error::UnknownCommand { offset: 0 })
        ));
        assert!(matches!(
            parse("APOP mrose C4C9334BAC560ECC979E58001B3E22FB"),
            Err(Error::Syntax {
                offset: 11,
                production: "digest",
                ..
            })
        ));
        assert!(matches!(
            parse("APOP mrose c4c9"),
            Err(Error::Syntax {
                offset: 15,
                production: "digest",
                ..
            })
        ));
        assert!(matches!(
            parse("AUTH PLAIN abc"),
            Err(Error::Syntax { offset: 14, .. })
        ));
        assert!(Argument::new("a b").is_err());
        assert!(Argument::with_spaces("a b").is_ok());
        assert!(Argument::new("a\r\nQUIT").is_err());
        assert!(Argument::with_spaces("").is_err());
        assert!(Command::Retr(0).to_line().is_err());
    }
}
