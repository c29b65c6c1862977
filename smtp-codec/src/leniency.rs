//! The named relaxations of the strict grammar, shaped as the other crates': every one is off by
//! default, and each one's documentation names the rule it relaxes and the attack it re-opens.

/// Relaxations of RFC 5321's rules, each off by default.
///
/// ```
/// use smtp_codec::Leniency;
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
    /// Nothing relaxed: RFC 5321's grammar, CRLF the only line end.
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

    /// Turn a bare LF or a bare CR into CRLF instead of refusing it (RFC 5321 §2.3.8: "SMTP
    /// client implementations MUST NOT transmit these characters except when they are intended
    /// as line terminators"). A bare line end is never taken as the end of a line for the
    /// `<CRLF>.<CRLF>` terminator of DATA, even normalised. Re-opens: SMTP smuggling
    /// (CVE-2023-51764, CVE-2023-51765, CVE-2023-51766) wherever another agent on the path reads
    /// the same bytes differently.
    pub fn normalize_bare_line_ends(mut self, on: bool) -> Self {
        self.bare_line_ends = on;
        self
    }

    /// Whether bare LF and bare CR are normalised to CRLF.
    pub fn bare_line_ends(&self) -> bool {
        self.bare_line_ends
    }
}
