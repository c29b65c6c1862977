//! The sans-IO server session (RFC 9112 §9, RFC 9110 §7.8, §10.1.1): requests in, responses
//! out, with the connection's rules enforced. Like h11: feed it bytes, poll events, send
//! responses, poll bytes to write.
//!
//! - Pipelined requests are decoded as they arrive; responses are sent in the same order (a
//!   response always answers the oldest unanswered request).
//! - A response with no request to answer is an error; so is body beyond a Content-Length or a
//!   second final response.
//! - Keep-alive: the connection ends after a response when the request or the response says
//!   `Connection: close`, for HTTP/1.0 without `keep-alive`, and after a close-delimited response.
//! - What the connection has ended, no one sees (RFC 9112 §9.6, §9.3): once the session knows
//!   the connection will close (the request that says so has been read whole, or a response
//!   that says so has been sent), bytes the client sent behind it are never parsed as requests.
//!   They are dropped and counted, see [`ServerSession::discarded`].
//! - `Expect: 100-continue` is reported on the request; send a 100 response to ask for the body.
//! - A 101 to an Upgrade request, or a 2xx to CONNECT, switches protocols, and only at a message
//!   boundary: it may be sent once the upgrading request has been read whole (its
//!   [`Event::End`] polled). The bytes that came after that request's last byte are handed back
//!   by [`ServerSession::take_remaining`].
//!
//! ```
//! use http_codec::{Event, Response, ServerEvent, ServerSession};
//!
//! let mut session = ServerSession::default();
//! session.receive(b"GET /hi HTTP/1.1\r\nHost: a\r\n\r\n");
//! let Some(ServerEvent::Message(Event::Head(request))) = session.poll_event()? else { panic!() };
//! assert_eq!(request.target, "/hi");
//! assert!(matches!(session.poll_event()?, Some(ServerEvent::Message(Event::End(_)))));
//!
//! let mut response = Response::new(200);
//! response.headers.append("Content-Length", "2")?;
//! session.send(Event::Head(response))?;
//! session.send(Event::Data("hi".into()))?;
//! session.send(Event::End(Default::default()))?;
//! assert_eq!(&session.poll_transmit().unwrap()[..], b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nhi");
//! assert!(!session.is_closing());
//! # Ok::<(), http_codec::Error>(())
//! ```

use std::collections::VecDeque;

use bytes::{Bytes, BytesMut};
use framing::{Decoder, Encoder};

use crate::error::Error;
use crate::h1::codec::Event;
use crate::h1::encode::ResponseEncoder;
use crate::{BodyKind, Config, Request, RequestDecoder, Response};

/// What a [`ServerSession`] reports.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ServerEvent {
    /// A piece of a request: head, body data, end.
    Message(Event<Request>),
    /// The client closed the connection between requests.
    Closed,
}

/// Bytes the client sent after the request that ended the connection: never parsed, never
/// handed to the application (RFC 9112 §9.6). For the caller's log.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Discarded {
    /// Stream offset of the first byte dropped (counted from the first byte received).
    pub offset: u64,
    /// How many bytes were dropped so far.
    pub len: u64,
}

/// A request that has arrived (its head at least) and not been answered yet.
#[derive(Debug, Clone)]
struct Pending {
    method: Bytes,
    keep_alive: bool,
    upgrade: bool,
    http10: bool,
}

/// What the response being sent has decided so far.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Sending {
    /// No response head sent for the oldest pending request.
    Idle,
    /// An interim (1xx) response is being sent.
    Interim,
    /// The final response is being sent; whether the connection survives it, whether it
    /// switches protocols.
    Final { keep_alive: bool, switch: bool },
}

/// A server's side of one HTTP/1 connection (see the module docs).
#[derive(Debug, Clone)]
pub struct ServerSession {
    decoder: RequestDecoder,
    encoder: ResponseEncoder,
    received: BytesMut,
    transmit: BytesMut,
    pending: VecDeque<Pending>,
    sending: Sending,
    peer_closed: bool,
    closed_reported: bool,
    /// No more responses: the connection is ending (or switched).
    done: bool,
    switched: bool,
    /// Between requests: the last request polled has ended (or none has started).
    at_boundary: bool,
    /// The last request read asks to end the connection after its response.
    request_closes: bool,
    discarded: Option<Discarded>,
    /// The request stream broke with this error.
    failed: Option<Error>,
}

impl Default for ServerSession {
    fn default() -> Self {
        ServerSession::new(Config::default())
    }
}

impl ServerSession {
    /// A session whose request decoder has these limits and relaxations.
    pub fn new(config: Config) -> ServerSession {
        ServerSession {
            decoder: RequestDecoder::new(config),
            encoder: ResponseEncoder::default(),
            received: BytesMut::new(),
            transmit: BytesMut::new(),
            pending: VecDeque::new(),
            sending: Sending::Idle,
            peer_closed: false,
            closed_reported: false,
            done: false,
            switched: false,
            at_boundary: true,
            request_closes: false,
            discarded: None,
            failed: None,
        }
    }

    /// Bytes that arrived from the client.
    pub fn receive(&mut self, bytes: &[u8]) {
        self.received.extend_from_slice(bytes);
    }

    /// The client closed its side of the connection.
    pub fn receive_eof(&mut self) {
        self.peer_closed = true;
    }

    /// The next thing the client said, or `None` until more bytes arrive. An error means the
    /// request stream is unusable: answer with [`Error::status`] and close.
    ///
    /// Once the connection is known to close (RFC 9112 §9.6: a request said `Connection: close`
    /// or was HTTP/1.0 without keep-alive, or a response that ends the connection was sent) and
    /// the request being read has ended, nothing more is parsed: later bytes are dropped (see
    /// [`ServerSession::discarded`]), and only [`ServerEvent::Closed`] can still follow.
    ///
    /// After an error, the error is given again on every call, and one response may still be
    /// sent to answer it (with [`Error::status`] and `Connection: close`); then the connection
    /// ends.
    pub fn poll_event(&mut self) -> Result<Option<ServerEvent>, Error> {
        if let Some(e) = &self.failed {
            return Err(e.clone());
        }
        if self.switched {
            return Ok(None);
        }
        if self.at_boundary && (self.done || self.request_closes) {
            self.discard();
            return Ok(self.closed_event(true));
        }
        let decoded = if self.peer_closed {
            self.decoder.decode_eof(&mut self.received)
        } else {
            self.decoder.decode(&mut self.received)
        };
        let item = match decoded {
            Ok(item) => item,
            Err(e) => {
                self.fail(&e);
                return Err(e);
            }
        };
        match item {
            Some(Event::Head(request)) => {
                let connection = self.decoder.connection();
                let keep_alive = connection.is_some_and(|c| c.keep_alive);
                self.pending.push_back(Pending {
                    method: request.method.clone(),
                    keep_alive,
                    upgrade: connection.is_some_and(|c| c.upgrade) || request.method == "CONNECT",
                    http10: !request.version.is_http11(),
                });
                self.at_boundary = false;
                self.request_closes = !keep_alive;
                self.encoder.expect(request.method.clone());
                Ok(Some(ServerEvent::Message(Event::Head(request))))
            }
            Some(Event::End(trailers)) => {
                self.at_boundary = true;
                if self.decoder.is_paused() && self.pending.is_empty() {
                    // The upgrade was refused before its body ended: go on reading HTTP/1.
                    self.decoder.resume();
                }
                Ok(Some(ServerEvent::Message(Event::End(trailers))))
            }
            Some(data) => Ok(Some(ServerEvent::Message(data))),
            None => Ok(self.closed_event(!self.decoder.is_paused())),
        }
    }

    /// The request stream broke: nothing more is read, and the broken request may be answered
    /// (the one whose head was read, or one that never got that far) so the client learns why.
    fn fail(&mut self, e: &Error) {
        self.failed = Some(e.clone());
        self.request_closes = true;
        if self.at_boundary && self.sending == Sending::Idle && !self.done {
            let method = Bytes::from_static(b"GET");
            self.encoder.expect(method.clone());
            self.pending.push_back(Pending {
                method,
                keep_alive: false,
                upgrade: false,
                http10: false,
            });
        } else if let Some(last) = self.pending.back_mut() {
            last.keep_alive = false;
        }
    }

    /// `Closed`, once, when the client has closed and (`idle`) nothing is left to read.
    fn closed_event(&mut self, idle: bool) -> Option<ServerEvent> {
        if self.peer_closed && !self.closed_reported && idle {
            self.closed_reported = true;
            return Some(ServerEvent::Closed);
        }
        None
    }

    /// Drops what the client sent after the request that ended the connection.
    fn discard(&mut self) {
        if self.received.is_empty() {
            return;
        }
        let n = self.received.len() as u64;
        let offset = self.decoder.offset();
        let d = self.discarded.get_or_insert(Discarded { offset, len: 0 });
        d.len += n;
        self.received.clear();
    }

    /// What the client sent after the request that ended the connection, if anything: dropped
    /// unparsed (RFC 9112 §9.6), reported here for the caller's log.
    pub fn discarded(&self) -> Option<Discarded> {
        self.discarded
    }

    /// Sends a piece of a response to the oldest unanswered request.
    pub fn send(&mut self, event: Event<Response>) -> Result<(), Error> {
        if self.done {
            return Err(Error::Local {
                reason: "the connection is closing: no more responses",
            });
        }
        match &event {
            Event::Head(response) => {
                let Some(pending) = self.pending.front() else {
                    return Err(Error::Local {
                        reason: "a response before its request",
                    });
                };
                if self.sending != Sending::Idle && self.sending != Sending::Interim {
                    return Err(Error::Local {
                        reason: "a second response head before the first ended",
                    });
                }
                let interim = response.is_informational() && response.status != 101;
                if response.status == 101 && !pending.upgrade {
                    return Err(Error::Local {
                        reason: "101 Switching Protocols to a request that asked for no upgrade, RFC 9110 §15.2.2",
                    });
                }
                let switch = response.status == 101
                    || (pending.method == "CONNECT" && (200..300).contains(&response.status));
                if switch && !self.decoder.is_paused() {
                    // The new protocol starts after the request's last byte (RFC 9110 §7.8):
                    // switching earlier would hand the rest of its body to the new protocol.
                    return Err(Error::Local {
                        reason: "a protocol switch before the upgrading request was read whole: poll its End first, RFC 9110 §7.8",
                    });
                }
                self.sending = if interim {
                    Sending::Interim
                } else {
                    let says = |option| response.headers.has_connection_option(option);
                    // An HTTP/1.0 peer keeps the connection only when the response says
                    // keep-alive (RFC 9112 §9.3, Appendix C.2.2).
                    let http10 =
                        (!response.version.is_http11() || pending.http10) && !says("keep-alive");
                    let says_close = says("close");
                    Sending::Final {
                        keep_alive: pending.keep_alive && !says_close && !http10,
                        switch,
                    }
                };
            }
            Event::Data(_) | Event::End(_) if self.sending == Sending::Idle => {
                return Err(Error::Local {
                    reason: "response body before its head",
                });
            }
            _ => {}
        }
        let is_end = matches!(event, Event::End(_));
        let is_head = matches!(event, Event::Head(_));
        let mut out = BytesMut::new();
        self.encoder.encode(event, &mut out)?;
        self.transmit.extend_from_slice(&out);
        if is_head && self.encoder.is_close_delimited() {
            // The body ends when the connection does (RFC 9112 §6.3 item 8).
            if let Sending::Final { keep_alive, .. } = &mut self.sending {
                *keep_alive = false;
            }
        }
        if is_end {
            self.finish_response();
        }
        Ok(())
    }

    fn finish_response(&mut self) {
        match self.sending {
            Sending::Interim => self.sending = Sending::Idle,
            Sending::Final { keep_alive, switch } => {
                self.sending = Sending::Idle;
                self.pending.pop_front();
                if switch {
                    self.switched = true;
                    self.done = true;
                } else if !keep_alive {
                    self.done = true;
                } else if self.decoder.is_paused() && self.pending.is_empty() {
                    // The upgrade was refused (the paused request is the last one read, so it
                    // is the one just answered): go on reading HTTP/1.
                    self.decoder.resume();
                }
            }
            Sending::Idle => {}
        }
    }

    /// Bytes to write to the client, if any.
    pub fn poll_transmit(&mut self) -> Option<Bytes> {
        (!self.transmit.is_empty()).then(|| self.transmit.split().freeze())
    }

    /// Whether the server should close the connection once it has written what
    /// [`ServerSession::poll_transmit`] gives: a response said so, or the protocol switched (then
    /// the connection belongs to the new protocol, see [`ServerSession::take_remaining`]).
    pub fn is_closing(&self) -> bool {
        self.done
    }

    /// Whether the connection switched to another protocol (101, or 2xx to CONNECT).
    pub fn is_switched(&self) -> bool {
        self.switched
    }

    /// After a protocol switch: the bytes the client sent after its request, which belong to the
    /// new protocol. Nothing is lost.
    pub fn take_remaining(&mut self) -> BytesMut {
        self.received.split()
    }

    /// How the body of the request being read is framed.
    pub fn request_body(&self) -> Option<BodyKind> {
        self.decoder.body_kind()
    }

    /// Whether the last request asked for `100-continue`.
    pub fn expects_continue(&self) -> bool {
        self.decoder.connection().is_some_and(|c| c.expect_continue)
    }
}
