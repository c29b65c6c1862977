//! The tokio resolver (feature `tokio`): [`::tokio::net::UdpSocket`] and
//! [`::tokio::net::TcpStream`], [`::tokio::time::timeout`] for the timers; the same driver as
//! [`super::blocking::Resolver`], awaiting where that one blocks (see [the module
//! above](super)).
//!
//! Dropping a [`Resolver::resolve`] future part-way is safe: the next call forgets the
//! abandoned query, and drops the TCP connection if the abandoned call was writing to it.

use std::io::{self, Read};
use std::net::SocketAddr;
use std::time::{Duration, Instant};

use ::tokio::io::{AsyncReadExt, AsyncWriteExt};
use ::tokio::net::{TcpStream, UdpSocket};
use ::tokio::time::timeout;

use super::{MAX_DATAGRAM, ResolveError, local_for, lost, outcome, start, wait_until};
use crate::client::{ClientConfig, Event, Ignored, QueryId, StubClient, Transmit, Transport};
use crate::message::Message;
use crate::name::Name;
use crate::question::Question;
use crate::rtype::RType;

/// A stub resolver that asks one server from a tokio task (RFC 1035 §7, RFC 1123 §6.1.3): UDP
/// first, TCP after a truncated answer (RFC 7766 §5).
#[derive(Debug)]
pub struct Resolver {
    server: SocketAddr,
    client: StubClient,
    udp: UdpSocket,
    tcp: Option<TcpStream>,
    /// A TCP write was under way when its call was dropped: the stream may hold part of a
    /// message.
    tcp_writing: bool,
    /// The query of a call under way (or abandoned).
    current: Option<QueryId>,
    events: Vec<Event>,
    buf: Vec<u8>,
}

impl Resolver {
    /// A resolver for `server` with the default [`ClientConfig`]; binds its UDP socket to a
    /// port the system picks.
    pub async fn new(server: SocketAddr) -> io::Result<Resolver> {
        Resolver::with_config(server, ClientConfig::default()).await
    }

    /// A resolver for `server` with `config`.
    pub async fn with_config(server: SocketAddr, config: ClientConfig) -> io::Result<Resolver> {
        Ok(Resolver {
            server,
            client: StubClient::new(config),
            udp: UdpSocket::bind(local_for(server)).await?,
            tcp: None,
            tcp_writing: false,
            current: None,
            events: Vec::new(),
            buf: vec![0; MAX_DATAGRAM],
        })
    }

    /// The server's address.
    pub fn server(&self) -> SocketAddr {
        self.server
    }

    /// Asks for the `rtype` records of `name` (class IN) and returns the response, whatever
    /// its RCODE.
    pub async fn resolve(&mut self, name: &Name, rtype: RType) -> Result<Message, ResolveError> {
        self.resolve_question(Question::new(name.clone(), rtype))
            .await
    }

    /// Asks `question` and returns the response.
    pub async fn resolve_question(&mut self, question: Question) -> Result<Message, ResolveError> {
        self.forget_abandoned();
        self.events.clear();
        self.poll_idle_tcp();
        let query = start(&mut self.client, &question, Instant::now())?;
        self.current = Some(query);
        let result = self.run(query).await;
        if let Err(ResolveError::Io(_)) = &result {
            self.client.cancel(query);
        }
        self.current = None;
        result
    }

    /// What happened on the way to the last answer: [`Event::Truncated`],
    /// [`Event::EdnsFallback`].
    pub fn last_events(&self) -> &[Event] {
        &self.events
    }

    /// Responses the client dropped so far, by reason (RFC 5452 §9.3).
    pub fn ignored(&self) -> Ignored {
        self.client.ignored()
    }

    /// After a call dropped part-way: its query is cancelled, its unsent transmits and events
    /// dropped, and a TCP stream it was writing to closed.
    fn forget_abandoned(&mut self) {
        if let Some(query) = self.current.take() {
            self.client.cancel(query);
            while self.client.poll_transmit().is_some() {}
            while self.client.poll_event().is_some() {}
        }
        if self.tcp_writing {
            self.tcp_writing = false;
            self.tcp_eof();
        }
    }

    async fn run(&mut self, query: QueryId) -> Result<Message, ResolveError> {
        let mut waiting_on = Transport::Udp;
        loop {
            while let Some(transmit) = self.client.poll_transmit() {
                waiting_on = transmit.transport;
                self.send(&transmit).await?;
            }
            if let Some(done) = outcome(&mut self.client, query, &mut self.events) {
                return done;
            }
            let deadline = self.client.poll_timeout().ok_or_else(lost)?;
            let now = Instant::now();
            if deadline <= now {
                self.client.handle_timeout(now);
                continue;
            }
            let wait = wait_until(deadline, now);
            match waiting_on {
                Transport::Udp => self.read_udp(wait).await?,
                Transport::Tcp => self.read_tcp(wait).await?,
            }
        }
    }

    async fn send(&mut self, transmit: &Transmit) -> Result<(), ResolveError> {
        match transmit.transport {
            Transport::Udp => {
                self.udp.send_to(&transmit.bytes, self.server).await?;
            }
            Transport::Tcp => {
                let deadline = self.client.poll_timeout().unwrap_or_else(Instant::now);
                let wait = wait_until(deadline, Instant::now());
                let mut stream = match self.tcp.take() {
                    Some(stream) => stream,
                    None => {
                        let stream = within(wait, TcpStream::connect(self.server)).await?;
                        stream.set_nodelay(true)?;
                        stream
                    }
                };
                self.tcp_writing = true;
                let written = within(wait, stream.write_all(&transmit.bytes)).await;
                self.tcp_writing = false;
                if let Err(e) = written {
                    // Cut short: the stream is out of step, so it is dropped.
                    self.client.receive_tcp_eof();
                    return Err(e.into());
                }
                self.tcp = Some(stream);
            }
        }
        Ok(())
    }

    async fn read_udp(&mut self, wait: Duration) -> Result<(), ResolveError> {
        match timeout(wait, self.udp.recv_from(&mut self.buf)).await {
            Ok(Ok((n, from))) => {
                let datagram = self.buf.get(..n).unwrap_or_default();
                self.client
                    .receive_udp(datagram, from == self.server, Instant::now());
                Ok(())
            }
            Ok(Err(e)) => Err(e.into()),
            Err(_elapsed) => Ok(()),
        }
    }

    async fn read_tcp(&mut self, wait: Duration) -> Result<(), ResolveError> {
        let Some(stream) = self.tcp.as_mut() else {
            return Ok(());
        };
        match timeout(wait, stream.read(&mut self.buf)).await {
            Ok(Ok(0)) => self.tcp_eof(),
            Ok(Ok(n)) => {
                let bytes = self.buf.get(..n).unwrap_or_default();
                self.client.receive_tcp(bytes, Instant::now());
            }
            Ok(Err(e)) => {
                self.tcp_eof();
                return Err(e.into());
            }
            Err(_elapsed) => {}
        }
        Ok(())
    }

    /// Before a query: what arrived on an idle TCP connection goes to the client, and a
    /// connection the server closed meanwhile is dropped (as the blocking resolver does).
    ///
    /// The socket itself is asked, through its std form: tokio's `try_read` trusts the
    /// readiness its reactor last saw, and an end of stream that arrived while the runtime was
    /// busy elsewhere may not be seen yet.
    fn poll_idle_tcp(&mut self) {
        let Some(stream) = self.tcp.take() else {
            return;
        };
        let Ok(stream) = stream.into_std() else {
            return self.client.receive_tcp_eof();
        };
        loop {
            // Non-blocking: `into_std` keeps the socket as tokio had it.
            match (&stream).read(&mut self.buf) {
                Ok(0) => return self.client.receive_tcp_eof(),
                Ok(n) => {
                    let bytes = self.buf.get(..n).unwrap_or_default();
                    self.client.receive_tcp(bytes, Instant::now());
                }
                Err(e) if e.kind() == io::ErrorKind::WouldBlock => break,
                Err(_) => return self.client.receive_tcp_eof(),
            }
        }
        match TcpStream::from_std(stream) {
            Ok(stream) => self.tcp = Some(stream),
            Err(_) => self.client.receive_tcp_eof(),
        }
    }

    fn tcp_eof(&mut self) {
        self.tcp = None;
        self.client.receive_tcp_eof();
    }
}

/// `future`'s output, or a `TimedOut` error after `wait`.
async fn within<T>(wait: Duration, future: impl Future<Output = io::Result<T>>) -> io::Result<T> {
    timeout(wait, future)
        .await
        .unwrap_or_else(|_| Err(io::Error::new(io::ErrorKind::TimedOut, "timed out")))
}
