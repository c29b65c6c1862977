//! Where the resolvers send their questions: a server address as people write it, and the
//! system's own resolver from resolv.conf.

use std::net::{IpAddr, SocketAddr};

/// The DNS port (RFC 1035 §4.2).
pub const DNS_PORT: u16 = 53;

/// A server as written on a command line or in a config: `ADDR`, `ADDR:PORT` or `[ADDR]:PORT`,
/// port 53 when none is given.
///
/// ```
/// use dns_codec::resolver::parse_server;
/// assert_eq!(parse_server("192.0.2.53"), Some("192.0.2.53:53".parse().unwrap()));
/// assert_eq!(parse_server("127.0.0.1:5353"), Some("127.0.0.1:5353".parse().unwrap()));
/// assert_eq!(parse_server("[::1]"), Some("[::1]:53".parse().unwrap()));
/// assert_eq!(parse_server("::1"), Some("[::1]:53".parse().unwrap()));
/// assert_eq!(parse_server("dns.example"), None); // a name needs a resolver first
/// ```
pub fn parse_server(text: &str) -> Option<SocketAddr> {
    if let Ok(addr) = text.parse::<SocketAddr>() {
        return Some(addr);
    }
    let ip: IpAddr = text
        .strip_prefix('[')
        .and_then(|t| t.strip_suffix(']'))
        .unwrap_or(text)
        .parse()
        .ok()?;
    Some(SocketAddr::new(ip, DNS_PORT))
}

/// The first `nameserver` of a resolv.conf text (resolv.conf(5)) that is an address this
/// crate can use (an IPv6 address with a `%zone` is skipped), port 53.
pub fn nameserver_from_resolv_conf(text: &str) -> Option<SocketAddr> {
    text.lines().find_map(|line| {
        let mut words = line.split_whitespace();
        match (words.next(), words.next()) {
            (Some("nameserver"), Some(addr)) => addr
                .parse::<IpAddr>()
                .ok()
                .map(|ip| SocketAddr::new(ip, DNS_PORT)),
            _ => None,
        }
    })
}

/// The system's resolver: the first usable `nameserver` of /etc/resolv.conf, if the file
/// exists and names one.
pub fn system_nameserver() -> Option<SocketAddr> {
    let text = std::fs::read_to_string("/etc/resolv.conf").ok()?;
    nameserver_from_resolv_conf(&text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resolv_conf_first_usable_nameserver() {
        let conf = "# generated\nsearch example\nnameserver fe80::1%eth0\nnameserver 192.0.2.1\n\
                    nameserver 192.0.2.2\n";
        assert_eq!(
            nameserver_from_resolv_conf(conf),
            Some(SocketAddr::from(([192, 0, 2, 1], 53)))
        );
        assert_eq!(nameserver_from_resolv_conf("options ndots:2\n"), None);
        assert_eq!(nameserver_from_resolv_conf("nameserver\n"), None);
    }

    #[test]
    fn servers_as_written() {
        assert_eq!(
            parse_server("[2001:db8::1]:853").map(|a| a.port()),
            Some(853)
        );
        assert_eq!(parse_server(""), None);
        assert_eq!(parse_server("1.2.3.4:99999"), None);
    }
}
