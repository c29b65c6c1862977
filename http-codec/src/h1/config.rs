//! What a parser or decoder is told: its [`Limits`] and its [`Leniency`].

use crate::{Leniency, Limits};

/// Limits and relaxations of the HTTP/1 parsers and decoders. The default is strict, with the
/// limits of [`Limits::default`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Config {
    /// Size limits.
    pub limits: Limits,
    /// Relaxations of the grammar, all off by default.
    pub leniency: Leniency,
}
