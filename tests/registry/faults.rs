//! A proxy in front of a real registry that turns chosen requests into failures a
//! registry or the network can produce: a canned status (429 with `Retry-After`, 403,
//! 500), a body that is not what its digest says, a wrong `Docker-Content-Digest`, an
//! oversized answer, a stalled connection. Every other request goes to the registry as
//! it came. One request per connection (`Connection: close`); every request is logged.

use super::wire::{Request, read_request, respond};
use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// What to do to a matching request.
#[derive(Clone)]
pub enum Fault {
    /// Answer this instead of asking the registry (`length`: send `Content-Length`).
    Respond {
        status: u16,
        headers: Vec<(&'static str, String)>,
        body: Vec<u8>,
        length: bool,
    },
    /// Ask the registry, then set this header on its answer.
    Header(&'static str, String),
    /// Ask the registry, then send this body in place of its own.
    Body(Vec<u8>),
    /// Hold the connection this long without answering, then close it.
    Stall(Duration),
}

/// A fault for the first `times` requests whose method and target contain `matches`
/// (`"GET /v2/test/plain/manifests/v1"`).
pub struct Rule {
    pub matches: String,
    pub times: usize,
    pub fault: Fault,
}

impl Rule {
    pub fn new(matches: &str, times: usize, fault: Fault) -> Rule {
        Rule {
            matches: matches.to_string(),
            times,
            fault,
        }
    }
}

pub struct FaultProxy {
    /// `127.0.0.1:PORT`, as references write it.
    pub host: String,
    log: Arc<Mutex<Vec<String>>>,
}

impl FaultProxy {
    pub fn start(upstream: &str, rules: Vec<Rule>) -> FaultProxy {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let host = format!("127.0.0.1:{}", listener.local_addr().unwrap().port());
        let log = Arc::new(Mutex::new(Vec::new()));
        let rules: Arc<Vec<(Rule, AtomicUsize)>> = Arc::new(
            rules
                .into_iter()
                .map(|r| (r, AtomicUsize::new(0)))
                .collect(),
        );
        let upstream = upstream.to_string();
        let seen = log.clone();
        std::thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                let (rules, seen, upstream) = (rules.clone(), seen.clone(), upstream.clone());
                std::thread::spawn(move || serve(stream, &rules, &seen, &upstream));
            }
        });
        FaultProxy { host, log }
    }

    /// `METHOD TARGET` of every request so far.
    pub fn requests(&self) -> Vec<String> {
        self.log.lock().unwrap().clone()
    }

    /// How many requests contained `part`.
    pub fn count(&self, part: &str) -> usize {
        self.requests().iter().filter(|r| r.contains(part)).count()
    }
}

fn serve(
    stream: TcpStream,
    rules: &[(Rule, AtomicUsize)],
    log: &Mutex<Vec<String>>,
    upstream: &str,
) {
    let Some(request) = read_request(&stream) else {
        return;
    };
    let line = format!("{} {}", request.method, request.target);
    log.lock().unwrap().push(line.clone());
    let fault = rules.iter().find_map(|(rule, used)| {
        (line.contains(&rule.matches) && used.fetch_add(1, Ordering::Relaxed) < rule.times)
            .then(|| rule.fault.clone())
    });
    match fault {
        Some(Fault::Respond {
            status,
            headers,
            body,
            length,
        }) => {
            respond(&stream, status, &headers, &body, length);
        }
        Some(Fault::Stall(duration)) => std::thread::sleep(duration),
        Some(Fault::Header(name, value)) => {
            let (head, body) = forward(&request, upstream);
            let head = with_header(&head, name, &value);
            send_raw(&stream, &head, &body);
        }
        Some(Fault::Body(new_body)) => {
            let (head, _) = forward(&request, upstream);
            let mut head = without(&head, "content-length");
            head = without(&head, "transfer-encoding");
            head = with_header(&head, "Content-Length", &new_body.len().to_string());
            send_raw(&stream, &head, &new_body);
        }
        None => {
            let (head, body) = forward(&request, upstream);
            send_raw(&stream, &head, &body);
        }
    }
}

/// Send the request to the registry with `Connection: close`; its answer's head (status
/// line and headers, without the blank line) and body bytes as they came.
fn forward(request: &Request, upstream: &str) -> (String, Vec<u8>) {
    let mut connection = TcpStream::connect(upstream).unwrap();
    let head = without(request.head.trim_end(), "connection");
    let head = with_header(&head, "Connection", "close");
    connection
        .write_all(format!("{head}\r\n\r\n").as_bytes())
        .unwrap();
    connection.write_all(&request.body).unwrap();
    let mut answer = Vec::new();
    connection.read_to_end(&mut answer).unwrap();
    let split = answer
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .expect("the registry answered HTTP");
    let head = String::from_utf8_lossy(&answer[..split]).into_owned();
    (head, answer[split + 4..].to_vec())
}

fn without(head: &str, name: &str) -> String {
    head.lines()
        .filter(|l| {
            !l.split_once(':')
                .is_some_and(|(n, _)| n.trim().eq_ignore_ascii_case(name))
        })
        .collect::<Vec<_>>()
        .join("\r\n")
}

fn with_header(head: &str, name: &str, value: &str) -> String {
    format!("{}\r\n{name}: {value}", without(head, name))
}

fn send_raw(mut stream: &TcpStream, head: &str, body: &[u8]) {
    let _ = stream.write_all(format!("{head}\r\n\r\n").as_bytes());
    let _ = stream.write_all(body);
    let _ = stream.flush();
    let _ = stream.shutdown(std::net::Shutdown::Both);
}
