//! The collector stand-in (`collector.py`, grpcio from `.tools/runtime/venv`) as seen from
//! the test: start it on the config's ports, then wait (bounded) for what the agent sent.

use serde_json::Value;
use std::io::{BufRead, BufReader, Write};
use std::path::Path;
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// One gRPC call or request message, as the stand-in recorded it.
#[derive(Clone, Debug)]
pub struct Event {
    pub kind: String,
    pub port: u16,
    pub method: String,
    pub metadata: Value,
    pub bytes: u64,
}

pub struct Collector {
    child: Child,
    stdin: Option<ChildStdin>,
    events: Arc<Mutex<Vec<Event>>>,
    errors: Arc<Mutex<String>>,
}

impl Collector {
    /// Listen on `host` (a loopback address) at every port; returns once all of them listen.
    pub fn start(python: &Path, host: &str, ports: &[u16]) -> Collector {
        let script = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/runtime/collector.py");
        let mut child = Command::new(python)
            .arg(script)
            .args(["--host", host, "--lifetime", "240"])
            .args(ports.iter().map(u16::to_string))
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start the collector stand-in: {e}"));
        let events = Arc::new(Mutex::new(Vec::new()));
        let errors = Arc::new(Mutex::new(String::new()));
        let (ready_tx, ready_rx) = std::sync::mpsc::channel();
        let stdout = child.stdout.take().unwrap();
        let sink = events.clone();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                let record: Value =
                    serde_json::from_str(&line).expect("the stand-in writes JSON lines");
                if record["event"] == "ready" {
                    let _ = ready_tx.send(());
                    continue;
                }
                sink.lock().unwrap().push(Event {
                    kind: record["event"].as_str().unwrap_or_default().into(),
                    port: record["port"].as_u64().unwrap_or_default() as u16,
                    method: record["method"].as_str().unwrap_or_default().into(),
                    metadata: record["metadata"].clone(),
                    bytes: record["bytes"].as_u64().unwrap_or_default(),
                });
            }
        });
        let stderr = child.stderr.take().unwrap();
        let errs = errors.clone();
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                errs.lock().unwrap().push_str(&format!("{line}\n"));
            }
        });
        let stdin = child.stdin.take();
        let collector = Collector {
            child,
            stdin,
            events,
            errors,
        };
        if ready_rx.recv_timeout(Duration::from_secs(30)).is_err() {
            panic!(
                "the collector stand-in did not listen on {ports:?}:\n{}",
                collector.errors.lock().unwrap()
            );
        }
        collector
    }

    pub fn events(&self) -> Vec<Event> {
        self.events.lock().unwrap().clone()
    }

    /// Wait until `found` holds for the events so far, at most `limit`.
    pub fn wait_for(&self, limit: Duration, found: impl Fn(&[Event]) -> bool) -> bool {
        let start = Instant::now();
        loop {
            if found(&self.events()) {
                return true;
            }
            if start.elapsed() > limit {
                return false;
            }
            std::thread::sleep(Duration::from_millis(200));
        }
    }

    /// What arrived, one line per call (for failure messages).
    pub fn summary(&self) -> String {
        let mut out = String::new();
        for e in self.events() {
            match e.kind.as_str() {
                "call" => out += &format!("call {} on {} {}\n", e.method, e.port, e.metadata),
                _ => out += &format!("  message {} on {} ({} bytes)\n", e.method, e.port, e.bytes),
            }
        }
        out + &format!("--- stand-in stderr\n{}", self.errors.lock().unwrap())
    }
}

impl Drop for Collector {
    fn drop(&mut self) {
        if let Some(mut stdin) = self.stdin.take() {
            let _ = stdin.flush();
        } // closing stdin stops the stand-in
        let start = Instant::now();
        while start.elapsed() < Duration::from_secs(5) {
            if let Ok(Some(_)) = self.child.try_wait() {
                return;
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
