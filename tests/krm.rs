//! KRM fixtures: `tests/krm/<case>/input.yaml` is a whole ResourceList run through the
//! real binary; the snapshot holds exit code, stderr and the output ResourceList. The
//! output fed back in must give the same items (the function is idempotent).

mod common;

use pinpoint_inject::yaml;
use serde_json::Value;

#[test]
fn krm_fixtures() {
    insta::glob!("krm/*/input.yaml", |path| {
        let input = std::fs::read(path).unwrap();
        let first = common::inject(&[], &input);
        insta::with_settings!({ description => common::description(&input), omit_expression => true }, {
            insta::assert_snapshot!(first.transcript());
        });
        let (code, stdout) = (first.code, first.stdout_text());

        // Whatever happened, the output is one valid ResourceList.
        let out: Value = yaml::from_str(stdout).expect("the output is YAML");
        assert_eq!(out["kind"], "ResourceList");
        assert!(out["items"].is_array());

        // Feeding the output back in changes no item.
        let again_run = common::inject(&[], stdout.as_bytes());
        let (again_code, again) = (again_run.code, again_run.stdout_text());
        let again: Value = yaml::from_str(again).unwrap();
        assert_eq!(
            again["items"],
            out["items"],
            "{}: a second run changed the items",
            path.display()
        );
        assert_eq!(again_code, code);
    });
}
