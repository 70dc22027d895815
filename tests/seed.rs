//! The recipe of `examples/seed-tomcat/README.md`, reproduced from `examples/seed-tomcat/`: in both
//! modes the Deployment gets the wiring the recipe wrote by hand, and nothing else of
//! it changes.

mod common;

use pinpoint_inject::yaml;
use serde_json::{Value, json};

const EXAMPLE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/examples/seed-tomcat");

fn run(args: &[&str], stdin: &[u8]) -> (i32, String, String) {
    let r = common::inject(args, stdin);
    (r.exit_code(), r.stdout_text().to_string(), r.stderr)
}

fn named<'a>(list: &'a Value, name: &str) -> &'a Value {
    list.as_array()
        .unwrap()
        .iter()
        .find(|v| v["name"] == name)
        .unwrap_or_else(|| panic!("no {name} in {list}"))
}

/// The recipe's pieces, checked one by one.
fn assert_recipe_wiring(deployment: &Value) {
    let pod = &deployment["spec"]["template"]["spec"];
    assert_eq!(named(&pod["volumes"], "pp-agent")["emptyDir"], json!({}));
    let init = named(&pod["initContainers"], "init-pinpoint");
    assert_eq!(init["image"], "harbor.59iedu.com/fjhb/pp_agent:2.5.4");
    // The recipe's `cp -R /var/lib/pp_agent/. /var/init/pinpoint/`, then the copied tree
    // made writable for the JVM's user (the agent writes its logs there); the paths are
    // the script's arguments, never part of its text.
    assert_eq!(
        init["command"],
        json!([
            "sh",
            "-c",
            pinpoint_inject::wire::copy_step::COPY_SCRIPT,
            "/var/lib/pp_agent",
            "/var/init/pinpoint"
        ])
    );
    // Least privilege, whatever the application container's own securityContext.
    assert_eq!(
        init["securityContext"]["capabilities"],
        json!({"drop": ["ALL"]})
    );
    assert_eq!(init["securityContext"]["allowPrivilegeEscalation"], false);
    assert_eq!(
        named(&init["volumeMounts"], "pp-agent")["mountPath"],
        "/var/init/pinpoint"
    );
    let app = named(&pod["containers"], "tomcat-zffw");
    assert_eq!(
        named(&app["volumeMounts"], "pp-agent")["mountPath"],
        "/var/init/pinpoint"
    );
    let env = &app["env"];
    assert_eq!(
        named(env, "PINPOINT_POD_IP")["valueFrom"],
        json!({"fieldRef": {"fieldPath": "status.podIP"}})
    );
    assert_eq!(
        named(env, "CATALINA_OPTS")["value"],
        "$(PINPOINT_AGENT_OPTS)"
    );
    let opts = named(env, "PINPOINT_AGENT_OPTS")["value"].as_str().unwrap();
    for flag in [
        "-javaagent:/var/init/pinpoint/pinpoint-bootstrap.jar",
        "-Dpinpoint.agentId=$(PINPOINT_POD_IP)",
        "-Dpinpoint.applicationName=dev-tomcat-zffw",
        "-Dprofiler.transport.grpc.collector.ip=pinpoint-collector.pinpoint.svc",
    ] {
        assert!(
            opts.split(' ').any(|f| f == flag),
            "{flag} missing from {opts}"
        );
    }
    // Every $(VAR) the options use is defined earlier in env.
    let names: Vec<&str> = env
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["name"].as_str().unwrap())
        .collect();
    let position = |n: &str| names.iter().position(|x| *x == n).unwrap();
    assert!(position("PINPOINT_POD_IP") < position("PINPOINT_AGENT_OPTS"));
    assert!(position("PINPOINT_AGENT_OPTS") < position("CATALINA_OPTS"));
}

/// The Deployment with the recipe's pieces taken out again.
fn without_wiring(mut deployment: Value) -> Value {
    let template = &mut deployment["spec"]["template"];
    template["metadata"]
        .as_object_mut()
        .unwrap()
        .remove("annotations");
    let pod = template["spec"].as_object_mut().unwrap();
    pod.remove("initContainers");
    pod["volumes"]
        .as_array_mut()
        .unwrap()
        .retain(|v| v["name"] != "pp-agent");
    let app = &mut pod["containers"][0];
    app["volumeMounts"]
        .as_array_mut()
        .unwrap()
        .retain(|v| v["name"] != "pp-agent");
    app["env"].as_array_mut().unwrap().retain(|e| {
        !["PINPOINT_POD_IP", "PINPOINT_AGENT_OPTS", "CATALINA_OPTS"]
            .contains(&e["name"].as_str().unwrap())
    });
    deployment
}

#[test]
fn seed_recipe_in_stream_mode_and_nothing_else_changes() {
    let input = std::fs::read_to_string(format!("{EXAMPLE}/deployment.yaml")).unwrap();
    let (code, out, err) = run(
        &["--config", &format!("{EXAMPLE}/pinpoint.yaml")],
        input.as_bytes(),
    );
    assert_eq!(code, 0, "{err}");
    assert!(
        out.starts_with("# The Tomcat workload of the recipe"),
        "leading comment kept"
    );
    let after: Value = yaml::from_str(&out).unwrap();
    assert_recipe_wiring(&after);
    assert_eq!(
        without_wiring(after),
        yaml::from_str::<Value>(&input).unwrap()
    );
    insta::assert_snapshot!("seed_tomcat_stream_output", out);
}

#[test]
fn seed_recipe_in_krm_mode() {
    let input: Value =
        yaml::from_str(&std::fs::read_to_string(format!("{EXAMPLE}/deployment.yaml")).unwrap())
            .unwrap();
    let config: Value =
        yaml::from_str(&std::fs::read_to_string(format!("{EXAMPLE}/pinpoint.yaml")).unwrap())
            .unwrap();
    let list = json!({"apiVersion": "config.kubernetes.io/v1", "kind": "ResourceList", "items": [input.clone()], "functionConfig": config});
    let (code, out, err) = run(
        &[],
        yaml::to_string(&list, yaml::ListStyle::Compact).as_bytes(),
    );
    assert_eq!(code, 0, "{err}");
    let out: Value = yaml::from_str(&out).unwrap();
    let deployment = out["items"][0].clone();
    assert_recipe_wiring(&deployment);
    assert_eq!(without_wiring(deployment), input);
}
