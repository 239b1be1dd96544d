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
