//! The EHLO reply (RFC 5321 §4.1.1.1) read as the server's extensions.
//!
//! ```text
//! ehlo-ok-rsp = ( "250" SP Domain [ SP ehlo-greet ] CRLF )
//!             / ( "250-" Domain [ SP ehlo-greet ] CRLF
//!                 *( "250-" ehlo-line CRLF )
//!                 "250" SP ehlo-line CRLF )
//! ehlo-line    = ehlo-keyword *( SP ehlo-param )
//! ehlo-keyword = (ALPHA / DIGIT) *(ALPHA / DIGIT / "-")
//! ehlo-param   = 1*(%d33-126)
//! ```

use crate::auth::Mechanism;
use crate::domain::Domain;
use crate::error::Error;
use crate::reply::Reply;

/// One extension a server announces.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Capability {
    /// `SIZE [n]`: the largest message accepted, if given (RFC 1870 §4; 0 is no limit).
    Size(Option<u64>),
    /// `PIPELINING` (RFC 2920).
    Pipelining,
    /// `8BITMIME` (RFC 6152).
    EightBitMime,
    /// `BINARYMIME` (RFC 3030 §3).
    BinaryMime,
    /// `STARTTLS` (RFC 3207).
    StartTls,
    /// `AUTH mechanisms` (RFC 4954 §3).
    Auth(Vec<Mechanism>),
    /// `CHUNKING`: BDAT (RFC 3030 §2).
    Chunking,
    /// `SMTPUTF8` (RFC 6531).
    SmtpUtf8,
    /// `DSN` (RFC 3461).
    Dsn,
    /// `ENHANCEDSTATUSCODES` (RFC 2034).
    EnhancedStatusCodes,
    /// `REQUIRETLS` (RFC 8689).
    RequireTls,
    /// Any other line, kept as keyword and parameters as sent (also the obsolete `AUTH=LOGIN`
    /// lines some servers still send, which are not ehlo-lines).
    Other {
        /// The keyword as sent.
        keyword: String,
        /// The parameters as sent.
        params: Vec<String>,
    },
}

/// A parsed EHLO reply: the server's domain, its greeting, and its extensions in order.
///
/// ```
/// use smtp_codec::{Capabilities, Capability, Reply};
/// let reply = Reply::new(250, ["mx.example greets you", "SIZE 35882577", "AUTH PLAIN LOGIN", "CHUNKING"])?;
/// let caps = Capabilities::from_ehlo(&reply)?;
/// assert_eq!(caps.domain().as_str(), "mx.example");
/// assert_eq!(caps.size(), Some(35882577));
/// assert!(caps.contains(&Capability::Chunking));
/// assert!(caps.auth_mechanisms().iter().any(|m| m.is("plain")));
/// # Ok::<(), smtp_codec::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Capabilities {
    domain: Domain,
    greeting: Option<String>,
    list: Vec<Capability>,
}

/// The extensions that take no parameter, by keyword.
const BARE: [(&str, Capability); 9] = [
    ("PIPELINING", Capability::Pipelining),
    ("8BITMIME", Capability::EightBitMime),
    ("BINARYMIME", Capability::BinaryMime),
    ("STARTTLS", Capability::StartTls),
    ("CHUNKING", Capability::Chunking),
    ("SMTPUTF8", Capability::SmtpUtf8),
    ("DSN", Capability::Dsn),
    ("ENHANCEDSTATUSCODES", Capability::EnhancedStatusCodes),
    ("REQUIRETLS", Capability::RequireTls),
];

fn bad(reason: &'static str) -> Error {
    Error::Local { reason }
}

fn is_keyword(k: &str) -> bool {
    let b = k.as_bytes();
    b.first().is_some_and(u8::is_ascii_alphanumeric)
        && b.iter().all(|c| c.is_ascii_alphanumeric() || *c == b'-')
}

impl Capability {
    /// One `ehlo-line`.
    pub fn parse(line: &str) -> Result<Capability, Error> {
        Capability::parse_line(line)?
    }

    /// One `ehlo-line`, in two steps: the outer error says the line is no `ehlo-line` at all
    /// (RFC 5321 §4.1.1.1: a keyword of letters, digits and hyphens, parameters of printable
    /// ASCII one SP apart); the inner one that it is one, but its parameters are not what the
    /// extension it names takes (`SIZE abc`, `PIPELINING now`, `AUTH PL@IN`).
    fn parse_line(line: &str) -> Result<Result<Capability, Error>, Error> {
        let (keyword, rest) = match line.split_once(' ') {
            Some((k, r)) => (k, Some(r)),
            None => (line, None),
        };
        // `*( SP ehlo-param )`: after the keyword, words of printable ASCII one SP apart, so
        // no empty word (two SPs, or a SP at the end) and nothing outside 33-126.
        if let Some(rest) = rest {
            let b = rest.as_bytes();
            let printable = b.iter().all(|&c| (33..=126).contains(&c) || c == b' ');
            let empty_word = b.is_empty() || b.first() == Some(&b' ') || b.last() == Some(&b' ');
            if !printable || empty_word || memchr::memmem::find(b, b"  ").is_some() {
                return Err(bad(
                    "an ehlo-param is printable ASCII, one SP apart (RFC 5321 §4.1.1.1)",
                ));
            }
        }
        let params = || rest.into_iter().flat_map(|r| r.split(' '));
        let other = || Capability::Other {
            keyword: keyword.to_owned(),
            params: params().map(str::to_owned).collect(),
        };
        let is = |name: &str| keyword.eq_ignore_ascii_case(name);
        if keyword
            .get(..5)
            .is_some_and(|head| head.eq_ignore_ascii_case("AUTH="))
        {
            return Ok(Ok(other()));
        }
        if !is_keyword(keyword) {
            return Err(bad(
                "an ehlo-keyword is letters, digits and hyphens (RFC 5321 §4.1.1.1)",
            ));
        }
        let bare = |c: Capability| {
            if rest.is_none() {
                Ok(c)
            } else {
                Err(bad("this extension takes no parameter"))
            }
        };
        // Keywords are case-insensitive (RFC 5321 §2.4); compared in place, not upper-cased
        // into a new string per line.
        Ok(if is("SIZE") {
            match rest {
                None => Ok(Capability::Size(None)),
                Some(n) if n.len() <= 20 && n.bytes().all(|b| b.is_ascii_digit()) => n
                    .parse()
                    .map(|n| Capability::Size(Some(n)))
                    .map_err(|_| bad("SIZE over 2^64-1 (RFC 1870 §4)")),
                Some(_) => Err(bad("SIZE takes one number (RFC 1870 §4)")),
            }
        } else if is("AUTH") {
            params()
                .map(Mechanism::new)
                .collect::<Result<Vec<_>, _>>()
                .map(Capability::Auth)
        } else if let Some((_, c)) = BARE.iter().find(|(name, _)| is(name)) {
            bare(c.clone())
        } else {
            Ok(other())
        })
    }

    /// The `ehlo-line` as written.
    pub fn to_line(&self) -> String {
        let word = |w: &str| w.to_owned();
        match self {
            Capability::Size(None) => word("SIZE"),
            Capability::Size(Some(n)) => format!("SIZE {n}"),
            Capability::Pipelining => word("PIPELINING"),
            Capability::EightBitMime => word("8BITMIME"),
            Capability::BinaryMime => word("BINARYMIME"),
            Capability::StartTls => word("STARTTLS"),
            Capability::Auth(m) => {
                let mut s = word("AUTH");
                for m in m {
                    s.push(' ');
                    s.push_str(m.as_str());
                }
                s
            }
            Capability::Chunking => word("CHUNKING"),
            Capability::SmtpUtf8 => word("SMTPUTF8"),
            Capability::Dsn => word("DSN"),
            Capability::EnhancedStatusCodes => word("ENHANCEDSTATUSCODES"),
            Capability::RequireTls => word("REQUIRETLS"),
            Capability::Other { keyword, params } => {
                let mut s = keyword.clone();
                for p in params {
                    s.push(' ');
                    s.push_str(p);
                }
                s
            }
        }
    }
}

impl Capabilities {
    /// Reads a 250 reply to EHLO: the first line is `Domain [ SP ehlo-greet ]`, each other line
    /// an extension.
    pub fn from_ehlo(reply: &Reply) -> Result<Capabilities, Error> {
        Capabilities::read(reply, false)
    }

    /// Reads a 250 reply to EHLO as a client acts on it: an extension line that is an
    /// `ehlo-line` but whose parameters are not what that extension takes (`SIZE abc`,
    /// `PIPELINING now`, `AUTH PL@IN`) is left out, as if not offered, and the others are kept
    /// (RFC 5321 §4.1.1.1 and RFC 1869 §4.5: a client uses only the extensions it understands).
    /// Still refused, as by [`Capabilities::from_ehlo`]: a reply that is not 250, a first line
    /// without a valid domain, and a line that is no `ehlo-line` at all (a keyword that is not
    /// letters, digits and hyphens, an empty line, parameters not printable ASCII one SP
    /// apart), which is a broken reply rather than an unknown extension.
    /// [`Capabilities::from_ehlo`] refuses the whole reply for one such line instead, for a
    /// caller that wants to know.
    ///
    /// ```
    /// use smtp_codec::{Capabilities, Capability, Reply};
    /// let reply = Reply::new(250, ["mx.example", "SIZE abc", "PIPELINING"])?;
    /// assert!(Capabilities::from_ehlo(&reply).is_err());
    /// let caps = Capabilities::from_ehlo_lenient(&reply)?;
    /// assert_eq!(caps.size(), None);
    /// assert!(!caps.has("SIZE"));
    /// assert!(caps.contains(&Capability::Pipelining));
    /// # Ok::<(), smtp_codec::Error>(())
    /// ```
    pub fn from_ehlo_lenient(reply: &Reply) -> Result<Capabilities, Error> {
        Capabilities::read(reply, true)
    }

    fn read(reply: &Reply, skip_bad_params: bool) -> Result<Capabilities, Error> {
        if reply.code() != 250 {
            return Err(bad("an EHLO reply that is not 250"));
        }
        let mut lines = reply.line_iter();
        let first = lines.next().ok_or(bad("an empty reply"))?;
        let (domain, greeting) = match first.split_once(' ') {
            Some((d, g)) => (d, Some(g.to_owned())),
            None => (first, None),
        };
        let domain = Domain::new(domain)?;
        let mut list = Vec::with_capacity(reply.line_count().saturating_sub(1));
        for line in lines {
            match Capability::parse_line(line)? {
                Ok(c) => list.push(c),
                Err(_) if skip_bad_params => {}
                Err(e) => return Err(e),
            }
        }
        Ok(Capabilities {
            domain,
            greeting,
            list,
        })
    }

    /// Capabilities to announce: the server's domain, a greeting, the extensions.
    pub fn new(domain: Domain, greeting: Option<String>, list: Vec<Capability>) -> Capabilities {
        Capabilities {
            domain,
            greeting,
            list,
        }
    }

    /// The 250 reply announcing them (refused if the greeting or a hand-built `Other` holds
    /// what a reply line cannot).
    pub fn to_reply(&self) -> Result<Reply, Error> {
        let mut lines = vec![match &self.greeting {
            Some(g) => format!("{} {g}", self.domain),
            None => self.domain.to_string(),
        }];
        for c in &self.list {
            let line = c.to_line();
            if Capability::parse(&line).as_ref() != Ok(c) {
                return Err(bad("an extension that would not read back as itself"));
            }
            lines.push(line);
        }
        Reply::new(250, lines)
    }

    /// The server's domain (or address literal).
    pub fn domain(&self) -> &Domain {
        &self.domain
    }

    /// The text after the domain on the first line.
    pub fn greeting(&self) -> Option<&str> {
        self.greeting.as_deref()
    }

    /// The extensions, in the order announced.
    pub fn iter(&self) -> impl Iterator<Item = &Capability> {
        self.list.iter()
    }

    /// Whether `cap` was announced (for `Size` and `Auth`, with exactly those values).
    pub fn contains(&self, cap: &Capability) -> bool {
        self.list.contains(cap)
    }

    /// The announced SIZE limit, if any (RFC 1870 §4).
    pub fn size(&self) -> Option<u64> {
        self.list.iter().find_map(|c| match c {
            Capability::Size(n) => *n,
            _ => None,
        })
    }

    /// The AUTH mechanisms announced (empty if AUTH was not).
    pub fn auth_mechanisms(&self) -> &[Mechanism] {
        self.list
            .iter()
            .find_map(|c| match c {
                Capability::Auth(m) => Some(m.as_slice()),
                _ => None,
            })
            .unwrap_or_default()
    }

    /// Whether an extension with this keyword was announced (case-insensitive).
    pub fn has(&self, keyword: &str) -> bool {
        self.list.iter().any(|c| {
            let line = c.to_line();
            let k = line.split(' ').next().unwrap_or_default();
            k.eq_ignore_ascii_case(keyword)
        })
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn ehlo_reply() {
        let r = Reply::new(
            250,
            [
                "mx.example Hello client [192.0.2.1]",
                "SIZE",
                "PIPELINING",
                "8BITMIME",
                "BINARYMIME",
                "STARTTLS",
                "AUTH PLAIN SCRAM-SHA-256",
                "AUTH=PLAIN",
                "CHUNKING",
                "smtputf8",
                "DSN",
                "ENHANCEDSTATUSCODES",
                "REQUIRETLS",
                "X-EXPS GSSAPI NTLM",
            ],
        )
        .unwrap();
        let caps = Capabilities::from_ehlo(&r).unwrap();
        assert_eq!(caps.greeting(), Some("Hello client [192.0.2.1]"));
        assert_eq!(caps.iter().count(), 13);
        assert!(caps.contains(&Capability::SmtpUtf8));
        assert!(caps.has("x-exps"));
        assert_eq!(caps.size(), None);
        assert_eq!(caps.auth_mechanisms().len(), 2);
        let back = Capabilities::from_ehlo(&caps.to_reply().unwrap()).unwrap();
        assert_eq!(back, caps);
    }

    #[test]
    fn refusals() {
        let one = |l: &str| Capabilities::from_ehlo(&Reply::new(250, ["mx.example", l]).unwrap());
        assert!(one("SIZE x").is_err());
        assert!(one("SIZE 99999999999999999999").is_err());
        assert!(one("PIPELINING now").is_err());
        assert!(one("AUTH PL@IN").is_err());
        assert!(one("X  Y").is_err());
        assert!(one("X Y ").is_err());
        assert!(one("X ").is_err());
        assert!(one(" X").is_err());
        assert!(one("X Y\tZ").is_err());
        assert!(one("-X").is_err());
        let other = |l: &str| one(l).unwrap().iter().next().cloned();
        assert_eq!(
            other("auth=LOGIN PLAIN"),
            Some(Capability::Other {
                keyword: "auth=LOGIN".into(),
                params: vec!["PLAIN".into()]
            })
        );
        assert_eq!(
            other("X-Y a=1 b"),
            Some(Capability::Other {
                keyword: "X-Y".into(),
                params: vec!["a=1".into(), "b".into()]
            })
        );
        assert_eq!(other("size 10"), Some(Capability::Size(Some(10))));
        assert_eq!(other("Pipelining"), Some(Capability::Pipelining));
        assert!(Capabilities::from_ehlo(&Reply::new(250, ["bad!domain greets"]).unwrap()).is_err());
        assert!(Capabilities::from_ehlo(&Reply::new(550, ["mx.example"]).unwrap()).is_err());
        assert!(
            Capabilities::from_ehlo_lenient(&Reply::new(550, ["mx.example"]).unwrap()).is_err()
        );
        assert_eq!(
            Capabilities::from_ehlo(&Reply::new(250, ["mx.example"]).unwrap())
                .unwrap()
                .iter()
                .count(),
            0
        );
    }

    /// The lenient reading leaves out exactly the lines the strict one refuses for their
    /// parameters, keeps the rest in order, and still refuses what is no ehlo-line.
    #[test]
    fn lenient_skips_bad_parameters_only() {
        let reply = |l: &str| Reply::new(250, ["mx.example", "8BITMIME", l, "CHUNKING"]).unwrap();
        for l in [
            "SIZE abc",
            "SIZE 99999999999999999999",
            "SIZE 1 2",
            "PIPELINING now",
            "AUTH PL@IN",
            "starttls please",
        ] {
            assert!(Capabilities::from_ehlo(&reply(l)).is_err(), "{l}");
            let caps = Capabilities::from_ehlo_lenient(&reply(l)).unwrap();
            assert_eq!(
                caps.iter().cloned().collect::<Vec<_>>(),
                [Capability::EightBitMime, Capability::Chunking],
                "{l}"
            );
        }
        for l in ["-X", "", "X  Y", "X Y ", "SIZE 1  2"] {
            let r = Reply::new(250, ["mx.example", "8BITMIME", l, "CHUNKING"]);
            let r = r.unwrap_or_else(|e| panic!("{l:?}: {e}"));
            assert!(Capabilities::from_ehlo_lenient(&r).is_err(), "{l:?}");
        }
        let good = reply("SIZE 10");
        assert_eq!(
            Capabilities::from_ehlo_lenient(&good).unwrap(),
            Capabilities::from_ehlo(&good).unwrap()
        );
        assert!(
            Capabilities::from_ehlo_lenient(&Reply::new(250, ["bad!domain"]).unwrap()).is_err()
        );
    }
}
