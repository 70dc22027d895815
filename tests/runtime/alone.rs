//! A case whose workload must be left alone (`expect.leftAlone`): the tool writes its
//! input back unchanged and says why, and the pod, run as it was, starts the JVM with the
//! image's own agent and no Pinpoint.

use super::case::{Case, Setup};
use super::pod;
use std::time::{Duration, Instant};

pub fn check(name: &str, case: &Case, input: &str, run: &crate::common::Run, setup: &Setup) {
    assert_eq!(
        run.stdout_text(),
        input,
        "{name}: the workload was changed:\n{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("already instrumented") || run.stderr.contains("other-agent.jar"),
        "{name}: the run does not say why it left the workload alone:\n{}",
        run.stderr
    );
    let docs = crate::common::documents(run.stdout_text());
    let scratch = crate::common::TempDir::new(&format!("runtime-{name}"));
    let pod = pod::run(&docs, &setup.installed, scratch.path(), "");
    let c = case.container.as_str();
    let start = Instant::now();
    let printed = loop {
        let output = pod.container(c).output();
        if case
            .expect
            .left_alone
            .iter()
            .all(|l| output.contains(l.as_str()))
            || start.elapsed() > Duration::from_secs(60)
        {
            break output;
        }
        std::thread::sleep(Duration::from_millis(200));
    };
    for line in &case.expect.left_alone {
        assert!(
            printed.contains(line.as_str()),
            "{name}: no {line:?} in:\n{printed}"
        );
    }
    assert!(
        !printed.to_lowercase().contains("pinpoint"),
        "{name}: a Pinpoint agent loaded:\n{printed}"
    );
}
