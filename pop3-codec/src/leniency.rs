//! The named relaxations of the strict grammar, shaped as the other crates': every one is off by
//! default, and each one's documentation names the rule it relaxes and the attack it re-opens.

/// Relaxations of RFC 1939's rules, each off by default.
///
/// ```
/// use pop3_codec::Leniency;
/// let lenient = Leniency::from_names(["normalize_bare_line_ends"]).unwrap();
/// assert!(lenient.bare_line_ends());
/// assert!(!Leniency::strict().bare_line_ends());
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Leniency {
    bare_line_ends: bool,
}

/// Every flag's name, as [`Leniency::from_names`] and `wire --lenient` accept them.
pub const LENIENCY_FLAGS: &[&str] = &["normalize_bare_line_ends"];

impl Leniency {
    /// Nothing relaxed: RFC 1939's grammar, CRLF the only line end.
    pub fn strict() -> Self {
        Leniency::default()
    }

    /// The flags named (see [`LENIENCY_FLAGS`]); an unknown name is returned as the error.
    pub fn from_names<'a>(names: impl IntoIterator<Item = &'a str>) -> Result<Self, &'a str> {
        let mut l = Leniency::strict();
        for name in names {
            match name {
                "normalize_bare_line_ends" => l.bare_line_ends = true,
                other => return Err(other),
            }
        }
        Ok(l)
    }

    /// Take a bare LF (or a bare CR) as the end of a command or response line, and turn one in a
    /// multi-line response into CRLF, instead of refusing it (RFC 1939 §3: "all responses ...
    /// terminated by a CRLF pair"; Dovecot and most servers accept LF-only commands). A bare line
    /// end is never taken as a line end for the `CRLF.CRLF` terminator, even normalised.
    /// Re-opens: two readers of the same bytes disagreeing on where a line or a message ends
    /// (command injection through a proxy, the SMTP-smuggling pattern).
    pub fn normalize_bare_line_ends(mut self, on: bool) -> Self {
        self.bare_line_ends = on;
        self
    }

    /// Whether bare LF and bare CR end lines (and are normalised to CRLF in content).
    pub fn bare_line_ends(&self) -> bool {
        self.bare_line_ends
    }
}
