//! The sans-IO client session (RFC 9112 §9): requests out, responses in, matched in order.
//!
//! Use it with any I/O (async, an event loop, a test) and to stream bodies piece by piece. For
//! whole messages over a blocking stream, [`crate::h1::blocking::Client`] runs it for you; for the
//! raw event stream of one connection without the session's rules (a proxy or a test tool),
//! use `framing::blocking::Framed<_, ClientCodec>` ([`crate::ClientCodec`]).
//!
//! - Requests may be pipelined; each response answers the oldest unanswered request (its method
//!   decides whether the response has a body: HEAD, CONNECT).
//! - Bytes from the server with no request outstanding are an error (a response before its
//!   request), as is a request sent after the connection was declared closing.
//! - Keep-alive (RFC 9112 §9.3, §9.6): after a request that says `Connection: close` (or is
//!   HTTP/1.0 without `keep-alive`), or a response that ends the connection (`Connection:
//!   close`, HTTP/1.0 without `keep-alive`, close-delimited), no more requests may be sent. Bytes
//!   the server sends after a response that ended the connection are an error, never the answer
//!   to the next request; requests still [`outstanding`](ClientSession::outstanding) then were
//!   not answered.
//! - After a 101 to a request that asked for an upgrade, or a 2xx to CONNECT, the connection
//!   belongs to another protocol: [`ClientSession::take_remaining`] hands back what the server
//!   sent after the response head. A 101 to a request that asked for none is an error
//!   (RFC 9110 §15.2.2), not a switch.
//!
//! ```
//! use http_codec::{ClientEvent, ClientSession, Event, Request};
//!
//! let mut session = ClientSession::default();
//! let mut request = Request::new("GET", "/");
//! request.headers.append("Host", "example.com")?;
//! session.send(Event::Head(request))?;
//! session.send(Event::End(Default::default()))?;
//! assert_eq!(&session.poll_transmit().unwrap()[..], b"GET / HTTP/1.1\r\nHost: example.com\r\n\r\n");
//!
//! session.receive(b"HTTP/1.1 204 No Content\r\n\r\n");
//! assert!(matches!(session.poll_event()?, Some(ClientEvent::Message(Event::Head(r))) if r.status == 204));
//! assert!(matches!(session.poll_event()?, Some(ClientEvent::Message(Event::End(_)))));
//! # Ok::<(), http_codec::Error>(())
//! ```

use bytes::{Bytes, BytesMut};
use framing::{Decoder, Encoder};

use crate::error::{Error, Found};
use crate::h1::codec::Event;
use crate::h1::encode::RequestEncoder;
use crate::{Config, Request, Response, ResponseDecoder};

/// What a [`ClientSession`] reports.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ClientEvent {
    /// A piece of a response: head, body data, end.
    Message(Event<Response>),
    /// The server closed the connection between responses.
    Closed,
}

/// A client's side of one HTTP/1 connection (see the module docs).
#[derive(Debug, Clone)]
pub struct ClientSession {
    encoder: RequestEncoder,
    decoder: ResponseDecoder,
    received: BytesMut,
    transmit: BytesMut,
    /// Requests whose final response has not ended yet.
    outstanding: usize,
    /// Whether the last response head was interim (1xx other than 101).
    interim: bool,
    peer_closed: bool,
    closed_reported: bool,
    /// No more requests may be sent.
    done: bool,
    /// A CONNECT or Upgrade request is outstanding: what follows its response may not be HTTP/1,
    /// so no request may be pipelined behind it.
    switch_pending: bool,
    /// A response ended the connection: whatever the server sends after it is an error.
    response_closed: bool,
    /// A request head has been sent and its End not yet.
    sending_request: bool,
}

impl Default for ClientSession {
    fn default() -> Self {
        ClientSession::new(Config::default())
    }
}

impl ClientSession {
    /// A session whose response decoder has these limits and relaxations.
    pub fn new(config: Config) -> ClientSession {
        ClientSession {
            encoder: RequestEncoder::default(),
            decoder: ResponseDecoder::new(config),
            received: BytesMut::new(),
            transmit: BytesMut::new(),
            outstanding: 0,
            interim: false,
            peer_closed: false,
            closed_reported: false,
            done: false,
            switch_pending: false,
            response_closed: false,
            sending_request: false,
        }
    }

    /// Sends a piece of a request.
    pub fn send(&mut self, event: Event<Request>) -> Result<(), Error> {
        // A request that ended the connection may still send its own body.
        let new_request = matches!(event, Event::Head(_)) || !self.sending_request;
        if self.done && new_request {
            return Err(Error::Local {
                reason: "the connection is closing: no more requests, RFC 9112 §9.6",
            });
        }
        let head = match &event {
            Event::Head(r) => {
                if self.switch_pending {
                    return Err(Error::Local {
                        reason: "no request may follow a CONNECT or Upgrade request before its response, RFC 9110 §7.8, §9.3.6",
                    });
                }
                Some((r.method.clone(), r.asks_switch(), r.keeps_alive()))
            }
            _ => None,
        };
        let is_end = matches!(event, Event::End(_));
        let mut out = BytesMut::new();
        self.encoder.encode(event, &mut out)?;
        self.transmit.extend_from_slice(&out);
        if let Some((method, asks_switch, keeps_alive)) = head {
            self.decoder.expect_switch(method, asks_switch);
            self.outstanding += 1;
            self.switch_pending = asks_switch;
            self.sending_request = true;
            if !keeps_alive {
                // This request is the connection's last (RFC 9112 §9.6).
                self.done = true;
            }
        }
        if is_end {
            self.sending_request = false;
        }
        Ok(())
    }

    /// Bytes to write to the server, if any.
    pub fn poll_transmit(&mut self) -> Option<Bytes> {
        (!self.transmit.is_empty()).then(|| self.transmit.split().freeze())
    }

    /// Bytes that arrived from the server.
    pub fn receive(&mut self, bytes: &[u8]) {
        self.received.extend_from_slice(bytes);
    }

    /// The server closed its side of the connection.
    pub fn receive_eof(&mut self) {
        self.peer_closed = true;
    }

    /// The next thing the server said, or `None` until more bytes arrive.
    pub fn poll_event(&mut self) -> Result<Option<ClientEvent>, Error> {
        if self.decoder.is_switched() {
            return Ok(None);
        }
        if !self.received.is_empty() {
            // Bytes no response may carry: after the one that closed, or with nothing asked.
            let reason = if self.response_closed {
                Some("bytes after a response that closed the connection, RFC 9112 §9.6")
            } else if self.outstanding == 0 {
                Some("a response with no request outstanding, RFC 9112 §9.3")
            } else {
                None
            };
            if let Some(reason) = reason {
                return Err(Error::Syntax {
                    offset: self.decoder.offset(),
                    production: "status-line",
                    found: Found::first_of(&self.received),
                    reason,
                });
            }
        }
        let item = if self.peer_closed {
            self.decoder.decode_eof(&mut self.received)?
        } else {
            self.decoder.decode(&mut self.received)?
        };
        match item {
            Some(Event::Head(r)) => {
                self.interim = r.is_informational() && r.status != 101;
                Ok(Some(ClientEvent::Message(Event::Head(r))))
            }
            Some(Event::End(t)) => {
                if !self.interim {
                    self.outstanding = self.outstanding.saturating_sub(1);
                    // The switch was answered (refused, or done: then nothing more is sent).
                    self.switch_pending = false;
                    let keep_alive = self.decoder.connection().is_some_and(|c| c.keep_alive);
                    if self.decoder.is_switched() {
                        self.done = true;
                    } else if !keep_alive {
                        self.done = true;
                        self.response_closed = true;
                    }
                }
                Ok(Some(ClientEvent::Message(Event::End(t))))
            }
            Some(data) => Ok(Some(ClientEvent::Message(data))),
            None if self.peer_closed && !self.closed_reported => {
                self.closed_reported = true;
                self.done = true;
                Ok(Some(ClientEvent::Closed))
            }
            None => Ok(None),
        }
    }

    /// Whether no more requests may be sent on this connection.
    pub fn is_closing(&self) -> bool {
        self.done
    }

    /// How many requests sent (their heads at least) have not had their final response ended.
    pub fn outstanding(&self) -> usize {
        self.outstanding
    }

    /// Whether the connection is between exchanges: no request outstanding or half sent, and
    /// nothing waiting in [`ClientSession::poll_transmit`]. An idle connection that is not
    /// [closing](ClientSession::is_closing) can take the next request without pipelining.
    pub fn is_idle(&self) -> bool {
        self.outstanding == 0 && !self.sending_request && self.transmit.is_empty()
    }

    /// Whether the connection switched to another protocol.
    pub fn is_switched(&self) -> bool {
        self.decoder.is_switched()
    }

    /// After a protocol switch: what the server sent after its response head.
    pub fn take_remaining(&mut self) -> BytesMut {
        self.received.split()
    }
}
