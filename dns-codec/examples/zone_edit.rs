//! A zone file read as a stream, edited and written back: the SOA serial bumped, the A records
//! of one name replaced, then the zone printed as zone-file lines and encoded as one DNS
//! message (the shape of a one-message zone transfer, RFC 5936 §2.2).
//!
//!   cargo run --example zone_edit -- dns-codec/examples/example.zone www.example.test. 192.0.2.80
//!
//! Prints the edited zone on standard output and the message size on standard error.

use std::fs::File;
use std::net::Ipv4Addr;

use dns_codec::rdata::RData;
use dns_codec::zone::{ZoneLine, ZoneParser};
use dns_codec::{Message, Name, Record};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [file, name, address] = args.as_slice() else {
        return Err("usage: zone_edit FILE NAME IPV4".into());
    };
    let (name, address): (Name, Ipv4Addr) = (name.parse()?, address.parse()?);
    let mut zone = Vec::new();
    for record in ZoneParser::new().read(File::open(file)?) {
        let mut record = record?;
        if let RData::Soa(soa) = &mut record.data {
            soa.serial = soa.serial.wrapping_add(1); // RFC 1982 serial arithmetic
        }
        if !(record.name == name && matches!(record.data, RData::A(_))) {
            zone.push(record);
        }
    }
    zone.push(Record::new(name, 300, RData::A(address)));
    for record in &zone {
        println!("{}", ZoneLine(record));
    }
    let mut transfer = Message::default();
    transfer.header.qr = true;
    transfer.header.aa = true;
    transfer.answer = zone;
    eprintln!(
        ";; {} records, {} octets",
        transfer.answer.len(),
        transfer.encode()?.len()
    );
    Ok(())
}
