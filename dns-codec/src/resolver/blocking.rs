//! The blocking resolver: [`std::net::UdpSocket`] and [`std::net::TcpStream`], socket read
//! timeouts for the timers (see [the module above](super) for what it does and does not do).

use std::io::{self, Read, Write};
use std::net::{SocketAddr, TcpStream, UdpSocket};
use std::time::Instant;

use super::{MAX_DATAGRAM, ResolveError, local_for, lost, outcome, start, wait_until};
use crate::client::{ClientConfig, Event, Ignored, QueryId, StubClient, Transmit, Transport};
use crate::message::Message;
use crate::name::Name;
use crate::question::Question;
use crate::rtype::RType;

/// A stub resolver that asks one server, blocking the calling thread until the answer (RFC
/// 1035 §7, RFC 1123 §6.1.3): UDP first, TCP after a truncated answer (RFC 7766 §5).
#[derive(Debug)]
pub struct Resolver {
    server: SocketAddr,
    client: StubClient,
    udp: UdpSocket,
    tcp: Option<TcpStream>,
    events: Vec<Event>,
    buf: Vec<u8>,
}

impl Resolver {
    /// A resolver for `server` with the default [`ClientConfig`] (1 s, 2 s, 4 s over UDP, 5 s
    /// over TCP, EDNS with a 1232-octet payload size, RD set). Binds its UDP socket to a port
    /// the system picks.
    pub fn new(server: SocketAddr) -> io::Result<Resolver> {
        Resolver::with_config(server, ClientConfig::default())
    }

    /// A resolver for `server` with `config`.
    pub fn with_config(server: SocketAddr, config: ClientConfig) -> io::Result<Resolver> {
        Ok(Resolver {
            server,
            client: StubClient::new(config),
            udp: UdpSocket::bind(local_for(server))?,
            tcp: None,
            events: Vec::new(),
            buf: vec![0; MAX_DATAGRAM],
        })
    }

    /// The server's address.
    pub fn server(&self) -> SocketAddr {
        self.server
    }

    /// Asks for the `rtype` records of `name` (class IN) and returns the response, whatever
    /// its RCODE (NXDOMAIN and SERVFAIL are answers too).
    pub fn resolve(&mut self, name: &Name, rtype: RType) -> Result<Message, ResolveError> {
        self.resolve_question(Question::new(name.clone(), rtype))
    }

    /// Asks `question` and returns the response.
    pub fn resolve_question(&mut self, question: Question) -> Result<Message, ResolveError> {
        self.events.clear();
        self.poll_idle_tcp();
        let query = start(&mut self.client, &question, Instant::now())?;
        let result = self.run(query);
        if let Err(ResolveError::Io(_)) = &result {
            // Nothing of the query may outlive the call: its unsent transmits, its events.
            self.client.cancel(query);
            while self.client.poll_transmit().is_some() {}
            while self.client.poll_event().is_some() {}
        }
        result
    }

    /// What happened on the way to the last answer (or failure): [`Event::Truncated`] when a
    /// UDP answer had TC set and the query went again over TCP, [`Event::EdnsFallback`] when
    /// the server answered FORMERR to the OPT record and the query went again without it.
    pub fn last_events(&self) -> &[Event] {
        &self.events
    }

    /// Responses the client dropped so far, by reason (RFC 5452 §9.3).
    pub fn ignored(&self) -> Ignored {
        self.client.ignored()
    }

    fn run(&mut self, query: QueryId) -> Result<Message, ResolveError> {
        let mut waiting_on = Transport::Udp;
        loop {
            while let Some(transmit) = self.client.poll_transmit() {
                waiting_on = transmit.transport;
                self.send(&transmit)?;
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
            match waiting_on {
                Transport::Udp => self.read_udp(deadline)?,
                Transport::Tcp => self.read_tcp(deadline)?,
            }
        }
    }

    fn send(&mut self, transmit: &Transmit) -> Result<(), ResolveError> {
        match transmit.transport {
            Transport::Udp => {
                self.udp.send_to(&transmit.bytes, self.server)?;
            }
            Transport::Tcp => {
                let deadline = self.client.poll_timeout().unwrap_or_else(Instant::now);
                let wait = wait_until(deadline, Instant::now());
                let stream = match self.tcp.take() {
                    Some(stream) => stream,
                    None => {
                        let stream = TcpStream::connect_timeout(&self.server, wait)?;
                        stream.set_nodelay(true)?;
                        stream
                    }
                };
                stream.set_write_timeout(Some(wait))?;
                // A write cut short leaves the stream out of step: it is dropped (not put back).
                (&stream).write_all(&transmit.bytes).inspect_err(|_| {
                    self.client.receive_tcp_eof();
                })?;
                self.tcp = Some(stream);
            }
        }
        Ok(())
    }

    fn read_udp(&mut self, deadline: Instant) -> Result<(), ResolveError> {
        self.udp
            .set_read_timeout(Some(wait_until(deadline, Instant::now())))?;
        match self.udp.recv_from(&mut self.buf) {
            Ok((n, from)) => {
                let datagram = self.buf.get(..n).unwrap_or_default();
                self.client
                    .receive_udp(datagram, from == self.server, Instant::now());
                Ok(())
            }
            Err(e) if is_timeout(&e) => Ok(()),
            Err(e) => Err(e.into()),
        }
    }

    fn read_tcp(&mut self, deadline: Instant) -> Result<(), ResolveError> {
        let Some(stream) = self.tcp.as_mut() else {
            // Closed already: the client failed what waited on it, or will at its timer.
            return Ok(());
        };
        stream.set_read_timeout(Some(wait_until(deadline, Instant::now())))?;
        match stream.read(&mut self.buf) {
            Ok(0) => self.tcp_eof(),
            Ok(n) => {
                let bytes = self.buf.get(..n).unwrap_or_default();
                self.client.receive_tcp(bytes, Instant::now());
            }
            Err(e) if is_timeout(&e) => {}
            Err(e) => {
                self.tcp_eof();
                return Err(e.into());
            }
        }
        Ok(())
    }

    /// Before a query: what arrived on an idle TCP connection goes to the client (a late
    /// answer, counted as ignored), and a connection the server closed meanwhile is dropped
    /// (RFC 7766 §6.2.3: servers close idle connections), so the next TCP query opens a new
    /// one instead of failing on the old.
    fn poll_idle_tcp(&mut self) {
        let Some(stream) = self.tcp.as_mut() else {
            return;
        };
        if stream.set_nonblocking(true).is_err() {
            return self.tcp_eof();
        }
        loop {
            match stream.read(&mut self.buf) {
                Ok(0) => return self.tcp_eof(),
                Ok(n) => {
                    let bytes = self.buf.get(..n).unwrap_or_default();
                    self.client.receive_tcp(bytes, Instant::now());
                }
                Err(e) if e.kind() == io::ErrorKind::WouldBlock => break,
                Err(_) => return self.tcp_eof(),
            }
        }
        if stream.set_nonblocking(false).is_err() {
            self.tcp_eof();
        }
    }

    fn tcp_eof(&mut self) {
        self.tcp = None;
        self.client.receive_tcp_eof();
    }
}

/// A read timeout: `WouldBlock` on Unix, `TimedOut` on Windows.
fn is_timeout(e: &io::Error) -> bool {
    matches!(
        e.kind(),
        io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut
    )
}
