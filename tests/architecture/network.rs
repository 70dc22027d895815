//! What opening a connection looks like in code: the HTTP client crate (`ureq`) or
//! `std::net` beyond its address types (parsing `10.0.0.1` as an `IpAddr` opens
//! nothing, and the config checks hosts that way).

use super::lexer::{Token, code_only, tokens};

/// Names that open connections wherever they appear.
const NETWORK_NAMES: &[&str] = &[
    "ureq",
    "TcpStream",
    "TcpListener",
    "UdpSocket",
    "ToSocketAddrs",
];
/// What `std::net` holds that is only data.
const ADDRESS_TYPES: &[&str] = &[
    "IpAddr",
    "Ipv4Addr",
    "Ipv6Addr",
    "SocketAddr",
    "SocketAddrV4",
    "SocketAddrV6",
    "AddrParseError",
];

/// Where a file names the network, by line: a [`NETWORK_NAMES`] identifier, or `net::`
/// followed by anything but an address type (a `use` group counts).
pub fn network_uses(code: &str) -> Vec<(usize, String)> {
    let tokens = tokens(&code_only(code));
    let mut out = Vec::new();
    for (i, (token, line)) in tokens.iter().enumerate() {
        let Token::Ident(word) = token else { continue };
        let net_path = word == "net" && tokens.get(i + 1).is_some_and(|t| t.0 == Token::Path);
        let address = matches!(tokens.get(i + 2), Some((Token::Ident(w), _)) if ADDRESS_TYPES.contains(&w.as_str()));
        if NETWORK_NAMES.contains(&word.as_str()) || (net_path && !address) {
            out.push((*line, word.clone()));
        }
    }
    out
}

/// The check sees code, not comments or strings, and lets address types pass.
#[test]
fn network_uses_are_found_in_code_only() {
    let sample = "use std::net::IpAddr;\n// ureq\nlet s = \"TcpStream\";\nlet a: ureq::Agent;\nuse std::{net::{TcpStream}};\nuse std::net::*;\n";
    let found = network_uses(sample);
    let expected: Vec<(usize, String)> = [(4, "ureq"), (5, "net"), (5, "TcpStream"), (6, "net")]
        .iter()
        .map(|(l, w)| (*l, w.to_string()))
        .collect();
    assert_eq!(found, expected);
}
