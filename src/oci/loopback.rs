//! Whether a registry is on this machine, by its name alone (a name that merely
//! resolves to a loopback address does not count): `localhost` and names under
//! `.localhost` (RFC 6761), `127.0.0.0/8`, `::1`. Plain HTTP is allowed to these.

/// True when a registry `host[:port]`, as a reference writes it, names this machine
/// (see [`Reference::is_loopback`](crate::oci::Reference::is_loopback)).
pub fn is_loopback_registry(registry: &str) -> bool {
    let host = if let Some(rest) = registry.strip_prefix('[') {
        rest.split(']').next().unwrap_or_default()
    } else {
        registry.split(':').next().unwrap_or_default()
    };
    let host = host.to_ascii_lowercase();
    if host == "localhost" || host.ends_with(".localhost") {
        return true;
    }
    is_loopback_ipv4(&host) || is_loopback_ipv6(&host)
}

/// `127.x.y.z`, four decimal octets.
fn is_loopback_ipv4(host: &str) -> bool {
    let octets: Vec<&str> = host.split('.').collect();
    octets.len() == 4
        && octets[0] == "127"
        && octets
            .iter()
            .all(|o| !o.is_empty() && o.len() <= 3 && o.parse::<u8>().is_ok())
}

/// `::1` in any of its spellings (`0:0:0:0:0:0:0:1`, `0::1`).
fn is_loopback_ipv6(host: &str) -> bool {
    let group = |g: &str| -> Option<u16> {
        (!g.is_empty() && g.len() <= 4)
            .then(|| u16::from_str_radix(g, 16).ok())
            .flatten()
    };
    let groups = |part: &str| -> Option<Vec<u16>> {
        if part.is_empty() {
            Some(Vec::new())
        } else {
            part.split(':').map(group).collect()
        }
    };
    let all = match host.split_once("::") {
        Some((head, tail)) => {
            let (Some(head), Some(tail)) = (groups(head), groups(tail)) else {
                return false;
            };
            if head.len() + tail.len() > 7 {
                return false;
            }
            let zeros = vec![0; 8 - head.len() - tail.len()];
            [head, zeros, tail].concat()
        }
        None => match groups(host) {
            Some(all) if all.len() == 8 => all,
            _ => return false,
        },
    };
    all[..7].iter().all(|g| *g == 0) && all[7] == 1
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn loopback_by_name_only() {
        let cases = [
            ("localhost", "localhost", true),
            ("localhost with a port", "localhost:5000", true),
            ("uppercase localhost", "LocalHost:5000", true),
            ("under .localhost", "a.localhost", true),
            ("127/8", "127.255.0.1:80", true),
            ("::1", "[::1]:5000", true),
            ("::1 written out", "[0:0:0:0:0:0:0:1]", true),
            ("::1 with a zero group", "[0::1]", true),
            ("not 127", "128.0.0.1", false),
            ("an octet over 255", "127.0.0.256", false),
            ("three octets", "127.0.1", false),
            ("::2", "[::2]", false),
            ("::", "[::]", false),
            ("nine groups", "[0:0:0:0:0:0:0:0:1]", false),
            ("a name resolving to loopback", "vm:5000", false),
            ("localhost as a prefix", "localhost.example.com", false),
        ];
        for (name, registry, expected) in cases {
            assert_eq!(
                is_loopback_registry(registry),
                expected,
                "{name}: {registry}"
            );
        }
    }
}
