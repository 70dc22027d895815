//! Read the image config of every reference given (arguments, or one per line on
//! stdin) with `pinpoint_inject::registry::fetch_all`, and print one JSON line per
//! image (`{"image", "digest", "platform", "config"}` or `{"image", "error"}`), then the
//! time it took on stderr. For `scripts/bench-registry.sh` and for trying a registry by
//! hand until `pinpoint-inject images` lands:
//!
//! ```text
//! cargo run --example fetch-images -- [--platform os/arch[/variant]] [--insecure HOST]
//!     [--concurrency N] [--cache DIR] [REFERENCE...]
//! ```

use pinpoint_inject::oci::{Platform, Reference};
use pinpoint_inject::registry::{Cache, Options, fetch_all, fetch_all_cached};
use serde_json::json;
use std::io::BufRead;
use std::process::ExitCode;
use std::time::Instant;

fn main() -> ExitCode {
    let mut options = Options::default();
    let mut cache = None;
    let mut inputs = Vec::new();
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let mut value = |name: &str| {
            args.next()
                .unwrap_or_else(|| panic!("{name} needs a value"))
        };
        match arg.as_str() {
            "--platform" => options.platform = Platform::parse(&value("--platform")).unwrap(),
            "--insecure" => options.insecure_registries.push(value("--insecure")),
            "--concurrency" => options.concurrency = value("--concurrency").parse().unwrap(),
            "--cache" => cache = Some(Cache::new(value("--cache"))),
            _ => inputs.push(arg),
        }
    }
    if inputs.is_empty() {
        inputs = std::io::stdin()
            .lock()
            .lines()
            .map(|l| l.unwrap().trim().to_string())
            .filter(|l| !l.is_empty())
            .collect();
    }
    let mut refs = Vec::new();
    for input in &inputs {
        match Reference::parse(input) {
            Ok(r) => refs.push(r),
            Err(e) => {
                eprintln!("{e}");
                return ExitCode::from(2);
            }
        }
    }
    let start = Instant::now();
    let results = match &cache {
        Some(cache) => fetch_all_cached(&refs, &options, cache),
        None => fetch_all(&refs, &options),
    };
    let elapsed = start.elapsed();
    let mut failed = 0;
    for (input, result) in inputs.iter().zip(&results) {
        let line = match result {
            Ok(f) => {
                json!({"image": input, "digest": f.digest, "platform": f.platform.to_string(), "config": f.config})
            }
            Err(e) => {
                failed += 1;
                json!({"image": input, "error": e.to_string()})
            }
        };
        println!("{line}");
    }
    eprintln!(
        "fetch-images: {} images, {} failed, {:.3} s (concurrency {})",
        refs.len(),
        failed,
        elapsed.as_secs_f64(),
        options.concurrency
    );
    if failed == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}
