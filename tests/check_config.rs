//! `newsflow check` on good and bad configurations.

mod support;

use std::path::Path;
use std::process::Output;

use support::newsflow;

fn check(config: &Path) -> Output {
    newsflow()
        .args(["check", "--config"])
        .arg(config)
        .output()
        .unwrap()
}

#[test]
fn the_example_config_is_valid() {
    let out = check(Path::new(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/config/newsflow.toml"
    )));
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("ok"));
}

#[test]
fn every_problem_is_printed_with_file_and_line_and_exit_2() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("bad.toml");
    std::fs::write(
        &path,
        "poll_interval = \"often\"\n\n[fetch]\nhost_delay = \"1 fortnight\"\n\n[[feeds]]\nurl = \"not a url\"\n",
    )
    .unwrap();
    let out = check(&path);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    let p = path.display().to_string();
    assert!(err.contains(&format!("{p}:1:")), "{err}");
    assert!(err.contains(&format!("{p}:4:")), "{err}");
    assert!(err.contains(&format!("{p}:7:")), "{err}");
}

#[test]
fn a_syntax_error_names_its_place() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("broken.toml");
    std::fs::write(&path, "[[feeds]]\nurl = \"http://a/b\"\n[[feeds]\n").unwrap();
    let out = check(&path);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains(&format!("{}:3:", path.display())));
}

#[test]
fn a_missing_config_is_a_clear_error() {
    let out = newsflow()
        .args(["run", "--once", "--config", "/nonexistent/newsflow.toml"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("/nonexistent/newsflow.toml") && err.contains("cannot read"),
        "{err}"
    );
}

#[test]
fn structural_and_value_problems_are_listed_together() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("bad.toml");
    std::fs::write(
        &path,
        "state_dir = 5\npoll_intervall = \"5m\"\ntimeout = \"soon\"\n\n[fetch]\nhost_delay = \"0s\"\nrobot = true\n\n[[feeds]]\nname = \"no url\"\n\n[[feeds]]\nurl = \"ftp://x/y\"\n\n[[feeds]]\nurl = \"http://a/b\"\nintervall = \"5m\"\n",
    )
    .unwrap();
    let out = check(&path);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    let p = path.display().to_string();
    let problems: Vec<&str> = err.lines().collect();
    assert_eq!(problems.len(), 7, "{err}");
    for (place, needle) in [
        ("1:13", "invalid type"),
        ("2:1", "did you mean `poll_interval`?"),
        ("7:1", "did you mean `robots`?"),
        ("9:1", "missing field `url`"),
        ("17:1", "did you mean `interval`?"),
        ("3:11", "timeout"),
        ("13:7", "only http and https"),
    ] {
        let line = format!("{p}:{place}: ");
        assert!(
            problems
                .iter()
                .any(|l| l.starts_with(&line) && l.contains(needle)),
            "no {line}...{needle} in\n{err}"
        );
    }
}

#[test]
fn a_misspelt_key_far_from_every_known_one_gets_no_suggestion() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("bad.toml");
    std::fs::write(&path, "colour = \"blue\"\n").unwrap();
    let err = String::from_utf8_lossy(&check(&path).stderr).into_owned();
    assert!(
        err.contains(&format!("{}:1:1: unknown field `colour`", path.display())),
        "{err}"
    );
    assert!(!err.contains("did you mean"), "{err}");
}
