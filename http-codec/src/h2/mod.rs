//! HTTP/2 (RFC 9113), growing by slices.
//!
//! Today it holds [`hpack`], the header compression of RFC 7541, complete and usable on its own
//! (a proxy, a test tool or another HTTP/2 stack can decode and encode header blocks with it);
//! the frame layer ([`frame`]) with its errors ([`Error`], [`ErrorCode`], [`Scope`]); stream
//! states ([`stream`], §5.1) and flow-control windows ([`flow`], §6.9). The sans-IO connection
//! follows.
//!
//! That connection is [`Connection`] (RFC 9113 §3-§8, both roles, with the verbs of the HTTP/1
//! sessions: receive, poll_event, send_*, poll_transmit), configured by [`Config`] (our
//! SETTINGS and the limits against the known floods), with [`settings`] (§6.5, h2c's
//! HTTP2-Settings), [`semantics`] (§8 onto the crate's `Request`, `Response` and `Headers`) and
//! [`SendError`] (what the user may not send now).

pub mod error;
pub mod flow;
pub mod frame;
pub mod hpack;
pub mod stream;

pub use error::{Error, ErrorCode, Scope};
pub mod config;
pub mod connection;
pub mod semantics;
pub mod send_error;
pub mod settings;

pub use config::Config;
pub use connection::{ConnEvent, Connection, Role};
pub use semantics::RequestHead;
pub use send_error::SendError;
pub use settings::Settings;
mod session;
