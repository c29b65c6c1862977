//! An authoritative DNS server over UDP and TCP, answering from a zone file: AA set, the RRset
//! asked for or the CNAME at the name, NXDOMAIN and NODATA with the zone's SOA (RFC 2308), REFUSED
//! outside the zone, FORMERR for a query it cannot read; UDP answers cut to 512 octets, or to
//! the query's EDNS payload size, by whole RRsets with TC set (RFC 1035 §4.2.1, RFC 6891
//! §6.2.5); TCP with length prefixes, many queries per connection (RFC 7766). One thread for
//! UDP, one per TCP connection.
//!
//!   cargo run --example dns_server -- --listen 127.0.0.1:5353 --zone dns-codec/examples/example.zone
//!   dig @127.0.0.1 -p 5353 www.example.test. A
//!   cargo run --example dns_query -- @127.0.0.1:5353 big.example.test. TXT

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream, UdpSocket};
use std::sync::Arc;
use std::time::Duration;

use bytes::BytesMut;
use dns_codec::tcp::{TcpCodec, is_recoverable};
use dns_codec::truncate::fit_response;
use dns_codec::{
    Class, Header, Message, Name, Opcode, Question, RData, RType, Rcode, Record, zone,
};
use framing::{Decoder, Encoder};

const USAGE: &str = "usage: dns_server --listen ADDR --zone FILE";
/// Our UDP payload size (RFC 6891 §6.2.5): a UDP answer never takes more, whatever is offered.
const UDP_PAYLOAD: u16 = 4096;
/// How long an idle TCP connection stays open (RFC 7766 §6.2.3).
const TCP_IDLE: Duration = Duration::from_secs(10);

struct Zone {
    soa: Record,
    records: Vec<Record>,
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (mut listen, mut file) = (None, None);
    for pair in args.chunks(2) {
        match pair {
            [flag, value] if flag == "--listen" => listen = Some(value.clone()),
            [flag, value] if flag == "--zone" => file = Some(value.clone()),
            _ => return Err(USAGE.into()),
        }
    }
    let (Some(listen), Some(file)) = (listen, file) else {
        return Err(USAGE.into());
    };
    let records = zone::parse(&std::fs::read_to_string(&file)?)?;
    let soa = records.iter().find(|r| r.rtype() == RType::SOA);
    let soa = soa.cloned().ok_or("the zone has no SOA record")?;
    let zone = Arc::new(Zone { soa, records });
    let udp = UdpSocket::bind(&listen)?;
    let local = udp.local_addr()?;
    let tcp = TcpListener::bind(local)?;
    println!("serving {} on {local} (UDP and TCP)", zone.soa.name);
    let udp_zone = Arc::clone(&zone);
    std::thread::spawn(move || serve_udp(&udp, &udp_zone));
    for stream in tcp.incoming() {
        let (stream, zone) = (stream?, Arc::clone(&zone));
        std::thread::spawn(move || serve_tcp(stream, &zone).map_err(|e| eprintln!("tcp: {e}")));
    }
    Ok(())
}

fn serve_udp(socket: &UdpSocket, zone: &Zone) {
    let mut buf = vec![0; 65535];
    while let Ok((n, from)) = socket.recv_from(&mut buf) {
        let datagram = buf.get(..n).unwrap_or_default();
        let reply = match Message::decode(datagram) {
            Ok(query) if !query.header.qr => fit_response(&query, &answer(&query, zone))
                .map(|fitted| fitted.wire)
                .ok(),
            Ok(_) => None, // a response: never answered
            Err(_) => format_error(datagram),
        };
        if let Some(reply) = reply {
            let _ = socket.send_to(&reply, from);
        }
    }
}

fn serve_tcp(mut stream: TcpStream, zone: &Zone) -> std::io::Result<()> {
    stream.set_read_timeout(Some(TCP_IDLE))?;
    let (mut codec, mut input, mut chunk) = (TcpCodec::default(), BytesMut::new(), [0; 4096]);
    loop {
        match codec.decode(&mut input) {
            Ok(Some(query)) if !query.header.qr => {
                let mut out = BytesMut::new();
                let response = answer(&query, zone);
                codec
                    .encode(&response, &mut out)
                    .map_err(std::io::Error::other)?;
                stream.write_all(&out)?;
            }
            Ok(Some(_)) => {}
            // A message that does not decode costs only itself (its frame is consumed).
            Err(e) if is_recoverable(&e) => {}
            Err(e) => return Err(std::io::Error::other(e)),
            Ok(None) => match stream.read(&mut chunk)? {
                0 => return Ok(()),
                n => input.extend_from_slice(chunk.get(..n).unwrap_or_default()),
            },
        }
    }
}

/// The whole response to `query`, before any cut for UDP.
fn answer(query: &Message, zone: &Zone) -> Message {
    let mut response = Message::response_to(query);
    if let Some(edns) = &mut response.edns {
        edns.udp_payload_size = UDP_PAYLOAD;
    }
    response.header.rcode = match (query.question.as_slice(), query.header.opcode) {
        _ if response.header.rcode == Rcode::BADVERS => return response, // RFC 6891 §6.1.3
        ([q], Opcode::QUERY) if is_under(&q.name, &zone.soa.name) && q.qclass == Class::IN => {
            lookup(q, zone, &mut response)
        }
        ([_], Opcode::QUERY) => Rcode::REFUSED, // not our zone
        ([_], _) => Rcode::NOTIMP,
        _ => Rcode::FORMERR,
    };
    response
}

/// Fills the answer (the RRset, or the CNAME at the name) or the authority section (the SOA,
/// RFC 2308 §3); returns the RCODE.
fn lookup(question: &Question, zone: &Zone, response: &mut Message) -> Rcode {
    response.header.aa = true;
    let (name, qtype) = (&question.name, question.qtype);
    let wanted = |r: &&Record| {
        r.name == *name && (qtype == RType::ANY || [qtype, RType::CNAME].contains(&r.rtype()))
    };
    response.answer = zone.records.iter().filter(wanted).cloned().collect();
    if !response.answer.is_empty() {
        return Rcode::NOERROR;
    }
    let mut soa = zone.soa.clone(); // its TTL: the smaller of its own and its MINIMUM
    if let RData::Soa(data) = &soa.data {
        soa.ttl = soa.ttl.min(data.minimum);
    }
    response.authority.push(soa);
    // NODATA if the name exists, if only as the parent of others (RFC 8020); else NXDOMAIN.
    if zone.records.iter().any(|r| is_under(&r.name, name)) {
        Rcode::NOERROR
    } else {
        Rcode::NXDOMAIN
    }
}

/// Whether `name` is `origin` or below it.
fn is_under(name: &Name, origin: &Name) -> bool {
    let skip = name.label_count().checked_sub(origin.label_count());
    skip.is_some_and(|k| Name::from_labels(name.labels().skip(k)).is_ok_and(|n| n == *origin))
}

/// FORMERR to a datagram that does not decode, if it has an ID and is not a response.
fn format_error(datagram: &[u8]) -> Option<Vec<u8>> {
    let &[high, low, flags, ..] = datagram else {
        return None;
    };
    let header = Header::from_flags(u16::from_be_bytes([high, low]), 0x8001); // QR, FORMERR
    let response = Message {
        header,
        ..Message::default()
    };
    (flags & 0x80 == 0).then(|| response.encode().ok())?
}
