//! The named relaxations of the strict grammar. Every one is off by default; each re-opens a known
//! attack, named in its documentation. Turn one on only for a peer you know needs it.

/// Relaxations of RFC 9112's rules, each off by default.
///
/// ```
/// use http_codec::Leniency;
/// let lenient = Leniency::strict().allow_obs_fold(true);
/// assert!(lenient.obs_fold());
/// assert_eq!(Leniency::from_names(["allow_bare_lf"]), Ok(Leniency::strict().allow_bare_lf(true)));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Leniency {
    obs_fold: bool,
    bare_lf: bool,
    unsafe_target_chars: bool,
    missing_host: bool,
    transfer_encoding_with_content_length: bool,
    missing_reason_space: bool,
}

/// Every flag's name, as [`Leniency::from_names`] and `wire --lenient` accept them.
pub const LENIENCY_FLAGS: &[&str] = &[
    "allow_obs_fold",
    "allow_bare_lf",
    "allow_unsafe_target_chars",
    "allow_missing_host",
    "allow_transfer_encoding_with_content_length",
    "allow_missing_reason_space",
];

impl Leniency {
    /// Nothing relaxed: the RFC's grammar, with every MAY-reject rejected.
    pub fn strict() -> Self {
        Leniency::default()
    }

    /// The flags named (see [`LENIENCY_FLAGS`]); an unknown name is returned as the error.
    pub fn from_names<'a>(names: impl IntoIterator<Item = &'a str>) -> Result<Self, &'a str> {
        let mut l = Leniency::strict();
        for name in names {
            match name {
                "allow_obs_fold" => l.obs_fold = true,
                "allow_bare_lf" => l.bare_lf = true,
                "allow_unsafe_target_chars" => l.unsafe_target_chars = true,
                "allow_missing_host" => l.missing_host = true,
                "allow_transfer_encoding_with_content_length" => {
                    l.transfer_encoding_with_content_length = true
                }
                "allow_missing_reason_space" => l.missing_reason_space = true,
                other => return Err(other),
            }
        }
        Ok(l)
    }

    /// Accept obs-fold (a field line continued on the next line after CRLF SP), replacing each
    /// fold by spaces as RFC 9112 §5.2 requires. Re-opens: header injection and desync between
    /// agents that fold and agents that treat the continuation as a new field.
    pub fn allow_obs_fold(mut self, on: bool) -> Self {
        self.obs_fold = on;
        self
    }

    /// Accept a bare LF as a line ending in the head and in chunk framing (RFC 9112 §2.2 MAY).
    /// Re-opens: request smuggling through agents that split lines differently (the bare-LF
    /// chunk-extension desync of 2025 in Go, Kestrel and Netty). A bare CR is never accepted.
    pub fn allow_bare_lf(mut self, on: bool) -> Self {
        self.bare_lf = on;
        self
    }

    /// Accept `"` `<` `>` `\` `^` `` ` `` `{` `|` `}` unencoded in a request-target (RFC 3986
    /// §2 excludes them). Re-opens: targets that other agents parse differently (cache
    /// poisoning, log injection).
    pub fn allow_unsafe_target_chars(mut self, on: bool) -> Self {
        self.unsafe_target_chars = on;
        self
    }

    /// Accept an HTTP/1.1 request without Host (RFC 9112 §3.2 says respond 400). Re-opens:
    /// routing differences between a proxy and the origin.
    pub fn allow_missing_host(mut self, on: bool) -> Self {
        self.missing_host = on;
        self
    }

    /// Accept Transfer-Encoding together with Content-Length, the Transfer-Encoding winning and
    /// the connection closing after the message (RFC 9112 §6.3 item 3). Re-opens: the classic
    /// CL.TE / TE.CL request smuggling.
    pub fn allow_transfer_encoding_with_content_length(mut self, on: bool) -> Self {
        self.transfer_encoding_with_content_length = on;
        self
    }

    /// Accept a status-line without the space before an empty reason-phrase
    /// (`HTTP/1.1 200` CRLF), which some servers send. Re-opens nothing known; it is off only
    /// because RFC 9112 §4 requires the space.
    pub fn allow_missing_reason_space(mut self, on: bool) -> Self {
        self.missing_reason_space = on;
        self
    }

    /// Whether obs-fold is accepted.
    pub fn obs_fold(&self) -> bool {
        self.obs_fold
    }
    /// Whether a bare LF ends a line.
    pub fn bare_lf(&self) -> bool {
        self.bare_lf
    }
    /// Whether RFC 3986's excluded characters are accepted in targets.
    pub fn unsafe_target_chars(&self) -> bool {
        self.unsafe_target_chars
    }
    /// Whether an HTTP/1.1 request may lack Host.
    pub fn missing_host(&self) -> bool {
        self.missing_host
    }
    /// Whether Transfer-Encoding with Content-Length is accepted.
    pub fn transfer_encoding_with_content_length(&self) -> bool {
        self.transfer_encoding_with_content_length
    }
    /// Whether `HTTP/1.1 200` CRLF is accepted.
    pub fn missing_reason_space(&self) -> bool {
        self.missing_reason_space
    }
}
