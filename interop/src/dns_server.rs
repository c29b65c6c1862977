//! A small authoritative DNS server built on `dns_codec`, for real clients (dig, kdig) to query:
//! a UDP socket and a TCP listener on 127.0.0.1, on the same port number when it can be had,
//! one thread for UDP and one per TCP connection, every socket with a timeout.
//!
//! It serves [`zone`], the zone `example.test.`:
//!
//! | name | records |
//! |---|---|
//! | `example.test.` | SOA, NS, 2 MX, 2 TXT |
//! | `www.example.test.` | 2 A, 1 AAAA |
//! | `mail.example.test.`, `ns.example.test.` | A |
//! | `medium.example.test.` | [`MEDIUM_COUNT`] TXT: over 512 octets, under 1232 |
//! | `big.example.test.` | [`BIG_COUNT`] TXT: over any UDP size a client offers by default |
//!
//! Answers are authoritative (AA). A name in the zone without the asked type gets NOERROR with
//! the SOA in the authority section (NODATA), a name under `example.test.` that is not in it
//! NXDOMAIN with the SOA, a name outside it REFUSED. Over UDP a response is cut to 512 octets
//! without EDNS and to the requestor's payload size (capped by our [`UDP_PAYLOAD`]) with it
//! ([`dns_codec::truncate::fit_response`]), whole RRsets dropped and TC set, so a client retries
//! over TCP ([`dns_codec::tcp::TcpCodec`], any number of queries per connection, RFC 7766).

use std::io::{self, Read, Write};
use std::net::{Ipv4Addr, Ipv6Addr, SocketAddr, TcpListener, TcpStream, UdpSocket};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::thread;
use std::time::Duration;

use bytes::{Bytes, BytesMut};
use dns_codec::rdata::{Mx, Soa, Txt};
use dns_codec::tcp::{TcpCodec, is_recoverable};
use dns_codec::truncate::fit_response;
use dns_codec::{Class, Message, Name, Opcode, RData, RType, Rcode, Record};
use framing::{Decoder, Encoder};

use crate::LOOPBACK;

/// The zone's apex.
pub const ORIGIN: &str = "example.test.";

/// The TTL of every record.
pub const TTL: u32 = 300;

/// The UDP payload size we offer in our OPT record, and the most a UDP answer takes.
pub const UDP_PAYLOAD: u16 = 1232;

/// TXT records at `medium.example.test.`: together about 1 000 octets.
pub const MEDIUM_COUNT: usize = 20;

/// TXT records at `big.example.test.`: together about 3 500 octets.
pub const BIG_COUNT: usize = 60;

/// How long the UDP thread and the accept loop wait before looking whether to stop.
const POLL: Duration = Duration::from_millis(100);

/// A name of the example zone, written in this file (so a typo is a bug here, found by the tests).
#[allow(clippy::panic)]
fn name(text: &str) -> Name {
    text.parse()
        .unwrap_or_else(|e| panic!("bad name {text:?} in the example zone: {e}"))
}

fn txt(strings: &[&str]) -> RData {
    RData::Txt(Txt {
        strings: strings
            .iter()
            .map(|s| Bytes::copy_from_slice(s.as_bytes()))
            .collect(),
    })
}

/// The text of the `i`th TXT record at `medium.example.test.` (0-based).
pub fn medium_txt(i: usize) -> String {
    format!("medium record {i:02} of {MEDIUM_COUNT}: abcdefghijklmnop")
}

/// The text of the `i`th TXT record at `big.example.test.` (0-based).
pub fn big_txt(i: usize) -> String {
    format!("big record {i:02} of {BIG_COUNT}: the quick brown fox jumps")
}

/// The SOA record of the zone.
pub fn soa() -> Record {
    Record::new(
        name(ORIGIN),
        TTL,
        RData::Soa(Box::new(Soa {
            mname: name("ns.example.test."),
            rname: name("hostmaster.example.test."),
            serial: 2024_0101,
            refresh: 3600,
            retry: 900,
            expire: 604_800,
            minimum: 60,
        })),
    )
}

/// Every record of the zone, in the order answers list them.
pub fn zone() -> Vec<Record> {
    let rec = |owner: &str, data: RData| Record::new(name(owner), TTL, data);
    let mut records = vec![
        soa(),
        rec(ORIGIN, RData::Ns(name("ns.example.test."))),
        rec(
            ORIGIN,
            RData::Mx(Mx {
                preference: 10,
                exchange: name("mail.example.test."),
            }),
        ),
        rec(
            ORIGIN,
            RData::Mx(Mx {
                preference: 20,
                exchange: name("mail2.example.test."),
            }),
        ),
        rec(ORIGIN, txt(&["v=spf1 -all"])),
        rec(ORIGIN, txt(&["hello world", "second string"])),
        rec("www.example.test.", RData::A(Ipv4Addr::new(192, 0, 2, 1))),
        rec("www.example.test.", RData::A(Ipv4Addr::new(192, 0, 2, 2))),
        rec(
            "www.example.test.",
            RData::Aaaa(Ipv6Addr::new(0x2001, 0xdb8, 0, 0, 0, 0, 0, 1)),
        ),
        rec("mail.example.test.", RData::A(Ipv4Addr::new(192, 0, 2, 25))),
        rec("ns.example.test.", RData::A(Ipv4Addr::new(192, 0, 2, 53))),
    ];
    for i in 0..MEDIUM_COUNT {
        records.push(rec("medium.example.test.", txt(&[&medium_txt(i)])));
    }
    for i in 0..BIG_COUNT {
        records.push(rec("big.example.test.", txt(&[&big_txt(i)])));
    }
    records
}

/// The full response to `query` (before any cut for UDP).
pub fn answer(query: &Message, zone: &[Record]) -> Message {
    let mut response = Message::response_to(query);
    if let Some(edns) = &mut response.edns {
        edns.udp_payload_size = UDP_PAYLOAD;
    }
    if response.header.rcode == Rcode::BADVERS {
        return response;
    }
    if query.header.opcode != Opcode::QUERY {
        response.header.rcode = Rcode::NOTIMP;
        return response;
    }
    let [question] = query.question.as_slice() else {
        response.header.rcode = Rcode::FORMERR;
        return response;
    };
    let origin = name(ORIGIN);
    let in_zone = is_under(&question.name, &origin);
    if !in_zone || (question.qclass != Class::IN && question.qclass != Class::ANY) {
        response.header.rcode = Rcode::REFUSED;
        return response;
    }
    response.header.aa = true;
    let at_name: Vec<&Record> = zone.iter().filter(|r| r.name == question.name).collect();
    if at_name.is_empty() {
        response.header.rcode = Rcode::NXDOMAIN;
        response.authority.push(soa());
        return response;
    }
    response.answer = at_name
        .into_iter()
        .filter(|r| question.qtype == RType::ANY || r.rtype() == question.qtype)
        .cloned()
        .collect();
    if response.answer.is_empty() {
        response.authority.push(soa());
    }
    response
}

/// Whether `name` is `origin` or below it.
fn is_under(name: &Name, origin: &Name) -> bool {
    let labels: Vec<&[u8]> = name.labels().collect();
    let suffix: Vec<&[u8]> = origin.labels().collect();
    labels.len() >= suffix.len()
        && labels
            .iter()
            .rev()
            .zip(suffix.iter().rev())
            .all(|(a, b)| a.eq_ignore_ascii_case(b))
}

/// A FORMERR for a datagram that does not decode, if it has at least an ID to answer to.
fn format_error(datagram: &[u8]) -> Option<Vec<u8>> {
    let id = u16::from_be_bytes([*datagram.first()?, *datagram.get(1)?]);
    let flags = datagram.get(2)?;
    if flags & 0x80 != 0 {
        return None; // a response: never answer one
    }
    let mut response = Message::default();
    response.header.id = id;
    response.header.qr = true;
    response.header.rcode = Rcode::FORMERR;
    response.encode().ok()
}

/// The UDP answer to one datagram, if it deserves one.
fn udp_reply(datagram: &[u8], zone: &[Record]) -> Option<Vec<u8>> {
    match Message::decode(datagram) {
        Ok(query) if !query.header.qr => {
            let response = answer(&query, zone);
            fit_response(&query, &response).ok().map(|f| f.wire)
        }
        Ok(_) => None,
        Err(_) => format_error(datagram),
    }
}

/// What a server has seen, for tests to check how clients used it.
#[derive(Debug, Default)]
pub struct Stats {
    /// UDP datagrams received.
    pub udp_queries: AtomicU64,
    /// TCP connections accepted.
    pub tcp_connections: AtomicU64,
    /// Messages received over TCP, on all connections.
    pub tcp_queries: AtomicU64,
}

/// A running server; stops its threads when dropped.
#[derive(Debug)]
pub struct DnsServer {
    udp_port: u16,
    tcp_port: u16,
    stop: Arc<AtomicBool>,
    stats: Arc<Stats>,
}

impl DnsServer {
    /// Binds UDP on 127.0.0.1 with a port the system picks, then TCP on the same port number
    /// (a few attempts; if none succeeds, TCP gets a port of its own: see [`DnsServer::tcp_port`]),
    /// and starts serving [`zone`] with `io_timeout` on every TCP connection.
    pub fn start(io_timeout: Duration) -> io::Result<DnsServer> {
        let (udp, tcp) = bind_pair()?;
        let udp_port = udp.local_addr()?.port();
        let tcp_port = tcp.local_addr()?.port();
        let stop = Arc::new(AtomicBool::new(false));
        let zone = Arc::new(zone());
        let stats = Arc::new(Stats::default());
        udp.set_read_timeout(Some(POLL))?;
        udp.set_write_timeout(Some(io_timeout))?;
        {
            let stop = Arc::clone(&stop);
            let zone = Arc::clone(&zone);
            let stats = Arc::clone(&stats);
            thread::spawn(move || serve_udp(&udp, &zone, &stop, &stats));
        }
        {
            let stop = Arc::clone(&stop);
            let stats = Arc::clone(&stats);
            thread::spawn(move || serve_tcp(&tcp, &zone, &stop, &stats, io_timeout));
        }
        Ok(DnsServer {
            udp_port,
            tcp_port,
            stop,
            stats,
        })
    }

    /// The port both sockets listen on (the UDP one, should they differ).
    pub fn port(&self) -> u16 {
        self.udp_port
    }

    /// The UDP port.
    pub fn udp_port(&self) -> u16 {
        self.udp_port
    }

    /// The TCP port: the same as the UDP one unless it could not be had.
    pub fn tcp_port(&self) -> u16 {
        self.tcp_port
    }

    /// What the server has seen so far.
    pub fn stats(&self) -> &Stats {
        &self.stats
    }
}

impl Drop for DnsServer {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
    }
}

/// A UDP socket and a TCP listener on 127.0.0.1, on one port number if possible.
fn bind_pair() -> io::Result<(UdpSocket, TcpListener)> {
    for _ in 0..20 {
        let udp = UdpSocket::bind((LOOPBACK, 0))?;
        let port = udp.local_addr()?.port();
        if let Ok(tcp) = TcpListener::bind((LOOPBACK, port)) {
            return Ok((udp, tcp));
        }
    }
    Ok((
        UdpSocket::bind((LOOPBACK, 0))?,
        TcpListener::bind((LOOPBACK, 0))?,
    ))
}

fn serve_udp(socket: &UdpSocket, zone: &[Record], stop: &AtomicBool, stats: &Stats) {
    let mut buf = vec![0u8; 65535];
    while !stop.load(Ordering::SeqCst) {
        let (len, from) = match socket.recv_from(&mut buf) {
            Ok(got) => got,
            Err(e)
                if matches!(
                    e.kind(),
                    io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut
                ) =>
            {
                continue;
            }
            Err(_) => continue,
        };
        stats.udp_queries.fetch_add(1, Ordering::SeqCst);
        if let Some(reply) = buf.get(..len).and_then(|d| udp_reply(d, zone)) {
            let _ = socket.send_to(&reply, from);
        }
    }
}

fn serve_tcp(
    listener: &TcpListener,
    zone: &Arc<Vec<Record>>,
    stop: &AtomicBool,
    stats: &Arc<Stats>,
    timeout: Duration,
) {
    if listener.set_nonblocking(true).is_err() {
        return;
    }
    while !stop.load(Ordering::SeqCst) {
        match listener.accept() {
            Ok((stream, _)) => {
                stats.tcp_connections.fetch_add(1, Ordering::SeqCst);
                let zone = Arc::clone(zone);
                let stats = Arc::clone(stats);
                thread::spawn(move || {
                    // A connection's failure ends that connection only.
                    let _ = connection(stream, &zone, &stats, timeout);
                });
            }
            Err(e) if e.kind() == io::ErrorKind::WouldBlock => thread::sleep(POLL / 5),
            Err(_) => thread::sleep(POLL / 5),
        }
    }
}

/// Serves queries on one TCP connection until the client closes it, the stream breaks its
/// framing or a read times out.
fn connection(
    mut stream: TcpStream,
    zone: &[Record],
    stats: &Stats,
    timeout: Duration,
) -> io::Result<()> {
    stream.set_nonblocking(false)?;
    stream.set_read_timeout(Some(timeout))?;
    stream.set_write_timeout(Some(timeout))?;
    let mut codec = TcpCodec::default();
    let mut input = BytesMut::new();
    let mut chunk = [0u8; 4096];
    loop {
        loop {
            match codec.decode(&mut input) {
                Ok(Some(query)) => {
                    stats.tcp_queries.fetch_add(1, Ordering::SeqCst);
                    if query.header.qr {
                        continue;
                    }
                    let response = answer(&query, zone);
                    let mut out = BytesMut::new();
                    codec
                        .encode(&response, &mut out)
                        .map_err(io::Error::other)?;
                    stream.write_all(&out)?;
                }
                Ok(None) => break,
                // One message that does not decode costs only itself.
                Err(e) if is_recoverable(&e) => {}
                Err(e) => return Err(io::Error::other(e)),
            }
        }
        let n = stream.read(&mut chunk)?;
        if n == 0 {
            return Ok(());
        }
        input.extend_from_slice(chunk.get(..n).unwrap_or_default());
    }
}

/// The server's address for `port`.
pub fn addr(port: u16) -> SocketAddr {
    SocketAddr::from((LOOPBACK, port))
}

#[cfg(test)]
mod tests {
    use super::*;
    use dns_codec::Question;
    use dns_codec::builder::QueryBuilder;

    #[test]
    fn answers_nodata_nxdomain_refused() {
        let zone = zone();
        let ask = |n: &str, t: RType| answer(&QueryBuilder::new(name(n), t).build(), &zone);
        let r = ask("WWW.example.test.", RType::A);
        assert_eq!(
            (r.header.rcode, r.answer.len(), r.header.aa),
            (Rcode::NOERROR, 2, true)
        );
        let r = ask("www.example.test.", RType::MX);
        assert_eq!((r.answer.len(), r.authority.len()), (0, 1));
        let r = ask("nope.example.test.", RType::A);
        assert_eq!(r.header.rcode, Rcode::NXDOMAIN);
        let r = ask("example.org.", RType::A);
        assert_eq!(r.header.rcode, Rcode::REFUSED);
    }

    #[test]
    fn big_is_truncated_over_udp_medium_only_without_edns() {
        let zone = zone();
        let udp = |q: Message| Message::decode(&udp_reply(&q.encode().unwrap(), &zone).unwrap());
        let big = udp(QueryBuilder::new(name("big.example.test."), RType::TXT).build()).unwrap();
        assert!(big.header.tc && big.answer.is_empty());
        let q = QueryBuilder::for_question(Question::new(name("medium.example.test."), RType::TXT));
        let medium = udp(q.clone().build()).unwrap();
        assert!(!medium.header.tc);
        assert_eq!(medium.answer.len(), MEDIUM_COUNT);
        let medium = udp(q.no_edns().build()).unwrap();
        assert!(medium.header.tc && medium.answer.is_empty());
    }
}
