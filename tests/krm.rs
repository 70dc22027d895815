//! KRM fixtures: `tests/krm/<case>/input.yaml` is a whole ResourceList run through the
//! real binary; the snapshot holds exit code, stderr and the output ResourceList. The
//! output fed back in must give the same items (the function is idempotent).

use pinpoint_inject::yaml;
use serde_json::Value;
use std::io::Write;
use std::process::{Command, Stdio};

fn run(stdin: &[u8]) -> (i32, String, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_pinpoint-inject"))
        .env_remove("PINPOINT_INJECT_CONFIG")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the binary runs");
    child.stdin.take().unwrap().write_all(stdin).unwrap();
    let output = child.wait_with_output().unwrap();
    (
        output.status.code().expect("exited, not killed"),
        String::from_utf8(output.stdout).unwrap(),
        String::from_utf8(output.stderr).unwrap(),
    )
}

#[test]
fn krm_fixtures() {
    insta::glob!("krm/*/input.yaml", |path| {
        let input = std::fs::read(path).unwrap();
        let description = String::from_utf8_lossy(&input)
            .lines()
            .next()
            .unwrap_or_default()
            .trim_start_matches("# ")
            .to_string();
        let (code, stdout, stderr) = run(&input);
        insta::with_settings!({ description => description, omit_expression => true }, {
            insta::assert_snapshot!(format!("exit: {code}\n--- stderr\n{stderr}--- stdout\n{stdout}"));
        });

        // Whatever happened, the output is one valid ResourceList.
        let out: Value = yaml::from_str(&stdout).expect("the output is YAML");
        assert_eq!(out["kind"], "ResourceList");
        assert!(out["items"].is_array());

        // Feeding the output back in changes no item.
        let (again_code, again, _) = run(stdout.as_bytes());
        let again: Value = yaml::from_str(&again).unwrap();
        assert_eq!(
            again["items"],
            out["items"],
            "{}: a second run changed the items",
            path.display()
        );
        assert_eq!(again_code, code);
    });
}
