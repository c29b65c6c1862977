//! SMTP commands (RFC 5321 §4.1.1) with STARTTLS (RFC 3207), AUTH (RFC 4954) and BDAT
//! (RFC 3030): the typed [`Command`], its parse from one line and its encoding, and
//! [`CommandRef`], the same grammar's result borrowing from the line (nothing allocated).
//! Both come from one parser (`parse::command::command`), generic only over where MAIL and
//! RCPT parameters go, so they accept and refuse exactly the same lines.
//!
//! What round-trips: every argument, mailbox, domain, parameter value and mechanism is kept as
//! sent and written back byte for byte. Verbs, `FROM:`/`TO:`, `<Postmaster>`, the keywords of
//! typed parameters and their keyword values (`8BITMIME`) are case-insensitive (RFC 5321 §2.4)
//! and written in upper case; a source route is dropped (RFC 5321 §3.3); numbers lose leading
//! zeros. So `encode(decode(line))` is the line up to those, and `decode(encode(cmd)) == cmd`
//! always.

use std::collections::HashSet;

use crate::auth::{InitialResponse, Mechanism};
use crate::domain::{Domain, DomainRef};
use crate::error::Error;
use crate::param::{Parameter, ParamsRef};
use crate::parse;
use crate::parse::command::{self as p, Parsed};
use crate::path::{ForwardPath, ForwardPathRef, ReversePath, ReversePathRef};

/// One SMTP command (RFC 5321 §4.1.1).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Command {
    /// `EHLO domain-or-address-literal` (RFC 5321 §4.1.1.1).
    Ehlo(Domain),
    /// `HELO domain` (RFC 5321 §4.1.1.1): a Domain, never an address literal.
    Helo(Domain),
    /// `MAIL FROM:<reverse-path> [parameters]` (RFC 5321 §4.1.1.2).
    Mail {
        /// The reverse-path; [`ReversePath::Null`] for `<>`.
        from: ReversePath,
        /// The parameters, in order, no keyword twice.
        params: Vec<Parameter>,
    },
    /// `RCPT TO:<forward-path> [parameters]` (RFC 5321 §4.1.1.3).
    Rcpt {
        /// The forward-path.
        to: ForwardPath,
        /// The parameters, in order, no keyword twice.
        params: Vec<Parameter>,
    },
    /// `DATA` (RFC 5321 §4.1.1.4): after a 354, the content follows (see [`crate::data`]).
    Data,
    /// `RSET` (RFC 5321 §4.1.1.5).
    Rset,
    /// `VRFY string` (RFC 5321 §4.1.1.6).
    Vrfy(Argument),
    /// `EXPN string` (RFC 5321 §4.1.1.7).
    Expn(Argument),
    /// `HELP [string]` (RFC 5321 §4.1.1.8).
    Help(Option<Argument>),
    /// `NOOP [string]` (RFC 5321 §4.1.1.9).
    Noop(Option<Argument>),
    /// `QUIT` (RFC 5321 §4.1.1.10).
    Quit,
    /// `STARTTLS` (RFC 3207 §4): after a 220, nothing more in the clear.
    StartTls,
    /// `AUTH mechanism [initial-response]` (RFC 4954 §4).
    Auth {
        /// The SASL mechanism.
        mechanism: Mechanism,
        /// The initial response as sent (`=` for an empty one), if any.
        initial: Option<InitialResponse>,
    },
    /// `BDAT size [LAST]` (RFC 3030 §2): exactly `size` octets of content follow the line (see
    /// [`crate::bdat`]).
    Bdat {
        /// The chunk size in octets.
        size: u64,
        /// Whether this is the last chunk.
        last: bool,
    },
}

/// The argument of VRFY, EXPN, HELP and NOOP: `String = Atom / Quoted-string` (RFC 5321
/// §4.1.2), kept as sent (quotes included). It never holds a space outside quotes, CR, LF or
/// NUL.
///
/// ```
/// use smtp_codec::Argument;
/// assert_eq!(Argument::new("\"John Smith\"")?.as_str(), "\"John Smith\"");
/// assert!(Argument::new("Smith\r\nQUIT").is_err());
/// # Ok::<(), smtp_codec::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Argument(String);

impl Argument {
    /// `text` checked as `String`.
    pub fn new(text: &str) -> Result<Argument, Error> {
        parse::whole(
            text.as_bytes(),
            0,
            "String",
            "an Atom or a Quoted-string, RFC 5321 §4.1.2",
            p::string,
        )
        .map(Argument::from_parsed)
    }

    pub(crate) fn from_parsed(s: &[u8]) -> Argument {
        // The grammar lets through only ASCII and whole UTF-8 characters.
        Argument(parse::owned_text(s))
    }

    /// The argument as sent.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// One SMTP command (RFC 5321 §4.1.1) checked in place: the borrowed form of [`Command`], for
/// a server that reads each command before the next line arrives. Parsing a line into one
/// allocates nothing (paths, domains and values are slices of the line, the parameters of
/// MAIL and RCPT are kept in place up to four); what is accepted and every error are exactly
/// [`Command::decode`]'s (one grammar parses both; [`CommandRef::to_command`] gives what
/// [`Command::decode`] gives).
///
/// ```
/// use smtp_codec::{CommandRef, ParameterRef};
/// let cmd = CommandRef::decode(b"MAIL FROM:<a@example.org> SIZE=100", 0)?;
/// let CommandRef::Mail { from, params } = &cmd else { unreachable!() };
/// assert_eq!(from.to_string(), "a@example.org");
/// assert!(params.contains(&ParameterRef::Size(100)));
/// assert_eq!(cmd.to_command(), smtp_codec::Command::decode(b"MAIL FROM:<a@example.org> SIZE=100", 0)?);
/// # Ok::<(), smtp_codec::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum CommandRef<'a> {
    /// `EHLO domain-or-address-literal` (RFC 5321 §4.1.1.1).
    Ehlo(DomainRef<'a>),
    /// `HELO domain` (RFC 5321 §4.1.1.1): a Domain, never an address literal.
    Helo(DomainRef<'a>),
    /// `MAIL FROM:<reverse-path> [parameters]` (RFC 5321 §4.1.1.2).
    Mail {
        /// The reverse-path; [`ReversePathRef::Null`] for `<>`.
        from: ReversePathRef<'a>,
        /// The parameters, in order, no keyword twice (RFC 1869 §6).
        params: ParamsRef<'a>,
    },
    /// `RCPT TO:<forward-path> [parameters]` (RFC 5321 §4.1.1.3).
    Rcpt {
        /// The forward-path.
        to: ForwardPathRef<'a>,
        /// The parameters, in order, no keyword twice (RFC 1869 §6).
        params: ParamsRef<'a>,
    },
    /// `DATA` (RFC 5321 §4.1.1.4): after a 354, the content follows (see [`crate::data`]).
    Data,
    /// `RSET` (RFC 5321 §4.1.1.5).
    Rset,
    /// `VRFY string` (RFC 5321 §4.1.1.6): the `String` (§4.1.2) as sent, quotes included.
    Vrfy(&'a str),
    /// `EXPN string` (RFC 5321 §4.1.1.7): the `String` (§4.1.2) as sent, quotes included.
    Expn(&'a str),
    /// `HELP [string]` (RFC 5321 §4.1.1.8).
    Help(Option<&'a str>),
    /// `NOOP [string]` (RFC 5321 §4.1.1.9).
    Noop(Option<&'a str>),
    /// `QUIT` (RFC 5321 §4.1.1.10).
    Quit,
    /// `STARTTLS` (RFC 3207 §4): after a 220, nothing more in the clear.
    StartTls,
    /// `AUTH mechanism [initial-response]` (RFC 4954 §4).
    Auth {
        /// The SASL mechanism (`sasl-mech`, RFC 4422 §3.1) as sent.
        mechanism: &'a str,
        /// The initial response as sent (`=` for an empty one), if any.
        initial: Option<&'a str>,
    },
    /// `BDAT size [LAST]` (RFC 3030 §2): exactly `size` octets of content follow the line (see
    /// [`crate::bdat`]).
    Bdat {
        /// The chunk size in octets.
        size: u64,
        /// Whether this is the last chunk.
        last: bool,
    },
}

impl<'a> CommandRef<'a> {
    /// Parses one command line (without its CRLF), RFC 5321 §4.1.1; `base` is the stream
    /// offset of its first byte, for the error offsets.
    pub fn decode(line: &'a [u8], base: u64) -> Result<CommandRef<'a>, Error> {
        let parsed = parse::whole(
            line,
            base,
            "Command",
            "RFC 5321 §4.1.1",
            p::command::<ParamsRef<'a>>,
        )?;
        match parsed {
            Some(Parsed::Mail { from, params }) => Ok(CommandRef::Mail { from, params }),
            Some(Parsed::Rcpt { to, params }) => Ok(CommandRef::Rcpt { to, params }),
            Some(Parsed::Other(c)) => Ok(c),
            None => Err(Error::UnknownCommand { offset: base }),
        }
    }

    /// The owned [`Command`].
    pub fn to_command(&self) -> Command {
        // Every part was checked when this was parsed; the owned forms take it as it is.
        match self {
            CommandRef::Ehlo(d) => Command::Ehlo(d.to_domain()),
            CommandRef::Helo(d) => Command::Helo(d.to_domain()),
            CommandRef::Mail { from, params } => Command::Mail {
                from: from.to_reverse_path(),
                params: params.to_parameters(),
            },
            CommandRef::Rcpt { to, params } => Command::Rcpt {
                to: to.to_forward_path(),
                params: params.to_parameters(),
            },
            CommandRef::Data => Command::Data,
            CommandRef::Rset => Command::Rset,
            CommandRef::Vrfy(a) => Command::Vrfy(Argument::from_parsed(a.as_bytes())),
            CommandRef::Expn(a) => Command::Expn(Argument::from_parsed(a.as_bytes())),
            CommandRef::Help(a) => Command::Help(a.map(|a| Argument::from_parsed(a.as_bytes()))),
            CommandRef::Noop(a) => Command::Noop(a.map(|a| Argument::from_parsed(a.as_bytes()))),
            CommandRef::Quit => Command::Quit,
            CommandRef::StartTls => Command::StartTls,
            CommandRef::Auth { mechanism, initial } => Command::Auth {
                mechanism: Mechanism::checked(mechanism),
                initial: initial.map(InitialResponse::checked),
            },
            CommandRef::Bdat { size, last } => Command::Bdat {
                size: *size,
                last: *last,
            },
        }
    }

    /// The verb, upper case.
    pub fn verb(&self) -> &'static str {
        match self {
            CommandRef::Ehlo(_) => "EHLO",
            CommandRef::Helo(_) => "HELO",
            CommandRef::Mail { .. } => "MAIL",
            CommandRef::Rcpt { .. } => "RCPT",
            CommandRef::Data => "DATA",
            CommandRef::Rset => "RSET",
            CommandRef::Vrfy(_) => "VRFY",
            CommandRef::Expn(_) => "EXPN",
            CommandRef::Help(_) => "HELP",
            CommandRef::Noop(_) => "NOOP",
            CommandRef::Quit => "QUIT",
            CommandRef::StartTls => "STARTTLS",
            CommandRef::Auth { .. } => "AUTH",
            CommandRef::Bdat { .. } => "BDAT",
        }
    }
}

impl Command {
    /// Parses one command line (without its CRLF); `base` is the stream offset of its first
    /// byte, for the error offsets.
    ///
    /// ```
    /// use smtp_codec::{Command, ReversePath};
    /// let cmd = Command::decode(b"MAIL FROM:<> SIZE=100", 0)?;
    /// assert!(matches!(cmd, Command::Mail { from: ReversePath::Null, .. }));
    /// assert_eq!(Command::decode(b"FOO", 0).unwrap_err().reply_code(), 500);
    /// # Ok::<(), smtp_codec::Error>(())
    /// ```
    pub fn decode(line: &[u8], base: u64) -> Result<Command, Error> {
        // The grammar of CommandRef::decode; MAIL and RCPT parameters go straight into the
        // owned Vec rather than through ParamsRef.
        let parsed = parse::whole(
            line,
            base,
            "Command",
            "RFC 5321 §4.1.1",
            p::command::<Vec<Parameter>>,
        )?;
        match parsed {
            Some(Parsed::Mail { from, params }) => Ok(Command::Mail {
                from: from.to_reverse_path(),
                params,
            }),
            Some(Parsed::Rcpt { to, params }) => Ok(Command::Rcpt {
                to: to.to_forward_path(),
                params,
            }),
            Some(Parsed::Other(c)) => Ok(c.to_command()),
            None => Err(Error::UnknownCommand { offset: base }),
        }
    }

    /// The verb, upper case.
    pub fn verb(&self) -> &'static str {
        match self {
            Command::Ehlo(_) => "EHLO",
            Command::Helo(_) => "HELO",
            Command::Mail { .. } => "MAIL",
            Command::Rcpt { .. } => "RCPT",
            Command::Data => "DATA",
            Command::Rset => "RSET",
            Command::Vrfy(_) => "VRFY",
            Command::Expn(_) => "EXPN",
            Command::Help(_) => "HELP",
            Command::Noop(_) => "NOOP",
            Command::Quit => "QUIT",
            Command::StartTls => "STARTTLS",
            Command::Auth { .. } => "AUTH",
            Command::Bdat { .. } => "BDAT",
        }
    }

    /// The command line without its CRLF. Refused: a HELO with an address literal, parameters
    /// that are repeated, out of range or on the wrong command, UTF-8 in a MAIL path without
    /// SMTPUTF8. Everything else was checked when its parts were built.
    pub fn to_line(&self) -> Result<Vec<u8>, Error> {
        let mut out = Vec::with_capacity(64);
        out.extend_from_slice(self.verb().as_bytes());
        let arg = |out: &mut Vec<u8>, s: &str| {
            out.push(b' ');
            out.extend_from_slice(s.as_bytes());
        };
        match self {
            Command::Ehlo(d) => arg(&mut out, d.as_str()),
            Command::Helo(d) => {
                if d.literal().is_some() {
                    return Err(Error::Local {
                        reason: "HELO takes a domain, not an address literal (RFC 5321 §4.1.1.1)",
                    });
                }
                arg(&mut out, d.as_str());
            }
            Command::Mail { from, params } => {
                out.extend_from_slice(b" FROM:<");
                out.extend_from_slice(from.to_string().as_bytes());
                out.push(b'>');
                if from.mailbox().is_some_and(|m| m.is_utf8())
                    && !params.contains(&Parameter::SmtpUtf8)
                {
                    return Err(Error::Local {
                        reason: "UTF-8 in a path needs the SMTPUTF8 parameter (RFC 6531 §3.4)",
                    });
                }
                encode_params(params, true, &mut out)?;
            }
            Command::Rcpt { to, params } => {
                out.extend_from_slice(b" TO:<");
                out.extend_from_slice(to.to_string().as_bytes());
                out.push(b'>');
                encode_params(params, false, &mut out)?;
            }
            Command::Vrfy(a) | Command::Expn(a) => arg(&mut out, a.as_str()),
            Command::Help(a) | Command::Noop(a) => {
                if let Some(a) = a {
                    arg(&mut out, a.as_str());
                }
            }
            Command::Auth { mechanism, initial } => {
                arg(&mut out, mechanism.as_str());
                if let Some(i) = initial {
                    arg(&mut out, i.as_str());
                }
            }
            Command::Bdat { size, last } => {
                arg(&mut out, &size.to_string());
                if *last {
                    arg(&mut out, "LAST");
                }
            }
            Command::Data | Command::Rset | Command::Quit | Command::StartTls => {}
        }
        Ok(out)
    }
}

fn encode_params(params: &[Parameter], mail: bool, out: &mut Vec<u8>) -> Result<(), Error> {
    let mut seen = HashSet::new();
    for param in params {
        param.check()?;
        if !param.allowed(mail) {
            return Err(Error::Local {
                reason: "a parameter on the wrong command (RFC 3461 §4)",
            });
        }
        if !seen.insert(param.keyword().to_ascii_uppercase()) {
            return Err(Error::Local {
                reason: "a parameter twice (RFC 1869 §6)",
            });
        }
        param.encode(out);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use crate::error::Found;

    fn rt(line: &str) -> Command {
        let c = Command::decode(line.as_bytes(), 0).unwrap();
        assert_eq!(
            Command::decode(&c.to_line().unwrap(), 0).unwrap(),
            c,
            "{line}"
        );
        c
    }

    fn err(line: &[u8]) -> (u64, &'static str) {
        match Command::decode(line, 0).unwrap_err() {
            Error::Syntax {
                offset, production, ..
            } => (offset, production),
            Error::UnknownCommand { offset } => (offset, "unknown"),
            e => panic!("{e}"),
        }
    }

    #[test]
    fn every_verb() {
        assert!(matches!(rt("EHLO client.example"), Command::Ehlo(_)));
        assert!(matches!(rt("ehlo [192.0.2.1]"), Command::Ehlo(_)));
        assert!(matches!(rt("EHLO [IPv6:2001:db8::1]"), Command::Ehlo(_)));
        assert!(matches!(rt("HELO client.example"), Command::Helo(_)));
        assert!(matches!(
            rt("MAIL FROM:<>"),
            Command::Mail {
                from: ReversePath::Null,
                ..
            }
        ));
        assert!(matches!(
            rt("mail from:<a@b> SIZE=1 BODY=8BITMIME"),
            Command::Mail { .. }
        ));
        assert!(matches!(
            rt("RCPT TO:<Postmaster>"),
            Command::Rcpt {
                to: ForwardPath::Postmaster,
                ..
            }
        ));
        assert!(matches!(
            rt("RCPT TO:<postmaster>"),
            Command::Rcpt {
                to: ForwardPath::Postmaster,
                ..
            }
        ));
        assert!(matches!(
            rt("RCPT TO:<Postmaster@example.com>"),
            Command::Rcpt {
                to: ForwardPath::Mailbox(_),
                ..
            }
        ));
        assert!(matches!(
            rt("RCPT TO:<b@c> NOTIFY=SUCCESS,DELAY ORCPT=rfc822;b@c"),
            Command::Rcpt { .. }
        ));
        assert_eq!(rt("DATA"), Command::Data);
        assert_eq!(rt("rset"), Command::Rset);
        assert_eq!(rt("QUIT"), Command::Quit);
        assert_eq!(rt("StartTLS"), Command::StartTls);
        assert!(matches!(rt("VRFY Smith"), Command::Vrfy(_)));
        assert!(matches!(rt("EXPN \"Example People\""), Command::Expn(_)));
        assert_eq!(rt("HELP"), Command::Help(None));
        assert!(matches!(rt("HELP MAIL"), Command::Help(Some(_))));
        assert_eq!(rt("NOOP"), Command::Noop(None));
        assert!(matches!(
            rt("AUTH PLAIN"),
            Command::Auth { initial: None, .. }
        ));
        assert!(matches!(
            rt("AUTH PLAIN AGFsaWNlAHNlY3JldA=="),
            Command::Auth {
                initial: Some(_),
                ..
            }
        ));
        assert!(matches!(
            rt("AUTH EXTERNAL ="),
            Command::Auth {
                initial: Some(_),
                ..
            }
        ));
        assert_eq!(
            rt("BDAT 0 LAST"),
            Command::Bdat {
                size: 0,
                last: true
            }
        );
        assert_eq!(
            rt("bdat 18446744073709551615 last"),
            Command::Bdat {
                size: u64::MAX,
                last: true
            }
        );
        assert_eq!(
            rt("BDAT 86"),
            Command::Bdat {
                size: 86,
                last: false
            }
        );
    }

    #[test]
    fn lines_round_trip_byte_for_byte() {
        for line in [
            "EHLO Client.Example",
            "MAIL FROM:<\"a b\"@[IPv6:::1]> SIZE=12 X-Foo=Bar X-Flag",
            "RCPT TO:<jörg@bücher.example> ORCPT=utf-8;j+C3+B6rg@b",
            "AUTH plain AGFsaWNlAHNlY3JldA==",
            "VRFY \"John Smith\"",
        ] {
            let c = Command::decode(line.as_bytes(), 0).unwrap();
            assert_eq!(String::from_utf8(c.to_line().unwrap()).unwrap(), line);
        }
        let c = rt("MAIL FROM:<@a,@b:user@c>");
        assert_eq!(c.to_line().unwrap(), b"MAIL FROM:<user@c>");
    }

    #[test]
    fn refusals_name_the_production() {
        assert_eq!(err(b"FOO bar"), (0, "unknown"));
        assert_eq!(err(b""), (0, "unknown"));
        assert_eq!(err(b"EHLO"), (4, "SP"));
        assert_eq!(err(b"EHLO  a"), (5, "sub-domain"));
        assert_eq!(err(b"HELO [1.2.3.4]"), (5, "sub-domain"));
        assert_eq!(err(b"EHLO a b"), (6, "CRLF"));
        assert_eq!(err(b"MAIL FROM: <a@b>"), (10, "Path"));
        assert_eq!(err(b"MAIL FROM:a@b"), (10, "Path"));
        assert_eq!(err(b"MAIL TO:<a@b>"), (4, "mail"));
        assert_eq!(err(b"MAIL FROM:<a@b>SIZE=1"), (15, "Path"));
        assert_eq!(err(b"MAIL FROM:<a@b> SIZE=1 SIZE=2"), (23, "esmtp-param"));
        assert_eq!(err(b"MAIL FROM:<a@b> SIZE"), (16, "esmtp-param"));
        assert_eq!(
            err(b"MAIL FROM:<a@b> SIZE=99999999999999999999"),
            (21, "size-value")
        );
        assert_eq!(err("MAIL FROM:<jörg@b>".as_bytes()), (10, "Reverse-path"));
        assert!(Command::decode("MAIL FROM:<jörg@b> SMTPUTF8".as_bytes(), 0).is_ok());
        assert_eq!(err(b"RCPT TO:<>"), (9, "Atom"));
        assert_eq!(err(b"RCPT TO:<a@b> SIZE=1"), (14, "esmtp-param"));
        assert_eq!(err(b"DATA x"), (4, "CRLF"));
        assert_eq!(err(b"VRFY"), (4, "SP"));
        assert_eq!(err(b"VRFY a b"), (6, "CRLF"));
        assert_eq!(err(b"AUTH"), (4, "SP"));
        assert_eq!(err(b"AUTH PLAIN abc"), (14, "initial-response"));
        assert_eq!(err(b"AUTH PLAIN ab!d"), (13, "initial-response"));
        assert_eq!(err(b"AUTH A23456789012345678901"), (25, "sasl-mech"));
        assert_eq!(err(b"BDAT"), (4, "SP"));
        assert_eq!(err(b"BDAT x"), (5, "chunk-size"));
        assert_eq!(err(b"BDAT 18446744073709551616"), (5, "chunk-size"));
        assert_eq!(err(b"BDAT 1 FIRST"), (7, "end-marker"));
        assert_eq!(err(b"BDAT 1 LAST x"), (11, "CRLF"));
        assert_eq!(err(b"NOOP\0"), (4, "SP"));
        assert!(matches!(
            Command::decode(b"EHLO a\0b", 10).unwrap_err(),
            Error::Syntax {
                offset: 16,
                found: Found::Byte(0),
                ..
            }
        ));
    }

    #[test]
    fn encoder_refuses_what_cannot_be_sent() {
        let empty = Command::Mail {
            from: ReversePath::Null,
            params: vec![Parameter::EnvId(crate::param::XText::encode(b""))],
        };
        assert!(empty.to_line().is_err());
        let helo = Command::Helo(Domain::new("[1.2.3.4]").unwrap());
        assert!(helo.to_line().is_err());
        let twice = Command::Mail {
            from: ReversePath::Null,
            params: vec![Parameter::Size(1), Parameter::Size(2)],
        };
        assert!(twice.to_line().is_err());
        let wrong = Command::Rcpt {
            to: ForwardPath::Postmaster,
            params: vec![Parameter::Size(1)],
        };
        assert!(wrong.to_line().is_err());
        let range = Command::Mail {
            from: ReversePath::Null,
            params: vec![Parameter::MtPriority(10)],
        };
        assert!(range.to_line().is_err());
    }
}
