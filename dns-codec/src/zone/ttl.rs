//! TTLs as a zone file writes them: seconds, or BIND's unit form (RFC 1035 §5.1, RFC 2308 §4).

/// A TTL as seconds, or in BIND's unit form: one or more numbers each followed by `s`, `m`,
/// `h`, `d` or `w` (any case), summed (`1h30m` is 5400). `None` when it is neither or does not
/// fit 32 bits (RFC 1035 §3.2.1 makes the TTL a 32-bit field; RFC 2181 §8 asks senders to keep
/// it below 2^31, which this does not enforce).
///
/// The zone reader takes this form for a record's TTL, `$TTL`, the SOA REFRESH, RETRY, EXPIRE
/// and MINIMUM (RFC 1035 §3.3.13, as BIND reads them) and the RRSIG original TTL
/// (RFC 4034 §3.2).
pub fn parse_ttl(text: &str) -> Option<u32> {
    if text.is_empty() {
        return None;
    }
    if text.bytes().all(|b| b.is_ascii_digit()) {
        return text.parse().ok();
    }
    let mut total: u64 = 0;
    let mut number: Option<u64> = None;
    for b in text.bytes() {
        if b.is_ascii_digit() {
            let n = number.unwrap_or(0);
            number = Some(n.checked_mul(10)?.checked_add(u64::from(b - b'0'))?);
            if number > Some(u64::from(u32::MAX)) {
                return None;
            }
            continue;
        }
        let unit: u64 = match b.to_ascii_lowercase() {
            b's' => 1,
            b'm' => 60,
            b'h' => 3600,
            b'd' => 86_400,
            b'w' => 604_800,
            _ => return None,
        };
        total = total.checked_add(number.take()?.checked_mul(unit)?)?;
        if total > u64::from(u32::MAX) {
            return None;
        }
    }
    if number.is_some() {
        // A number without a unit after one with a unit: BIND refuses it too.
        return None;
    }
    u32::try_from(total).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ttl_units() {
        assert_eq!(parse_ttl("0"), Some(0));
        assert_eq!(parse_ttl("4294967295"), Some(u32::MAX));
        assert_eq!(parse_ttl("4294967296"), None);
        assert_eq!(
            parse_ttl("1W2d3H4m5S"),
            Some(604_800 + 172_800 + 10_800 + 240 + 5)
        );
        assert_eq!(parse_ttl("2w"), Some(1_209_600));
        assert_eq!(parse_ttl("1w2d"), Some(604_800 + 172_800));
        assert_eq!(parse_ttl("7102w"), None);
        assert_eq!(parse_ttl("1h30"), None);
        assert_eq!(parse_ttl("h"), None);
        assert_eq!(parse_ttl(""), None);
        assert_eq!(parse_ttl("1x"), None);
        assert_eq!(parse_ttl("99999999999999999999999s"), None);
    }
}
