//! Golden tests: the headers generated for wit/plugin.wit, ctest/wit/echo.wit
//! and tests/golden/kinds (every type kind) are the committed ones in
//! tests/golden/, and clang-format (the repo's .clang-format) leaves them
//! unchanged. `UPDATE_GOLDEN=1 cargo test` rewrites the goldens.
use std::path::{Path, PathBuf};
use std::process::Command;

fn crate_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn check_golden(wit: &Path, world: &str, golden: &str) {
    let generated = wasmhost_wit_cpp::generate_from_dir(wit, world)
        .unwrap_or_else(|e| panic!("{}: {e:#}", wit.display()));
    let path = crate_dir().join("tests/golden").join(golden);
    if std::env::var_os("UPDATE_GOLDEN").is_some() {
        std::fs::write(&path, &generated).unwrap();
    }
    let expected = std::fs::read_to_string(&path).unwrap_or_else(|e| {
        panic!(
            "{}: {e} (UPDATE_GOLDEN=1 cargo test writes it)",
            path.display()
        )
    });
    assert!(
        generated == expected,
        "{} differs from the generated header (UPDATE_GOLDEN=1 cargo test updates it)",
        path.display()
    );
    check_clang_format(&path);
}

/// The golden as clang-format writes it with the repo's style, when
/// clang-format is installed.
fn check_clang_format(path: &Path) {
    let style = crate_dir().join("../.clang-format");
    let formatted = Command::new("clang-format")
        .arg(format!("--style=file:{}", style.display()))
        .arg(path)
        .output();
    let Ok(formatted) = formatted else {
        eprintln!("clang-format not found: {} not checked", path.display());
        return;
    };
    assert!(
        formatted.status.success(),
        "clang-format failed on {}",
        path.display()
    );
    let text = String::from_utf8(formatted.stdout).unwrap();
    let original = std::fs::read_to_string(path).unwrap();
    if text != original {
        let first = original
            .lines()
            .zip(text.lines())
            .position(|(a, b)| a != b)
            .unwrap_or(0);
        panic!(
            "{} is not clang-format clean (first difference at line {}: {:?} vs {:?})",
            path.display(),
            first + 1,
            original.lines().nth(first),
            text.lines().nth(first)
        );
    }
}

#[test]
fn plugin_world() {
    check_golden(&crate_dir().join("../wit"), "plugin", "plugin.hh");
}

#[test]
fn echo_world() {
    check_golden(&crate_dir().join("../ctest/wit"), "echo", "echo.hh");
}

#[test]
fn every_kind() {
    check_golden(&crate_dir().join("tests/golden/kinds"), "kinds", "kinds.hh");
}

// --- The command line. ---------------------------------------------------------

fn run(args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_wasmhost-wit-cpp"))
        .args(args)
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("wasmhost-wit-cpp-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Exit 2 and one line on stderr starting `wasmhost-wit-cpp: error: ` and
/// containing each of `wanted`; nothing written.
fn expect_error(args: &[&str], wanted: &[&str]) {
    let (code, stdout, stderr) = run(args);
    assert_eq!(code, 2, "{args:?}: {stderr}");
    assert!(stdout.is_empty(), "{stdout}");
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(stderr.starts_with("wasmhost-wit-cpp: error: "), "{stderr}");
    for w in wanted {
        assert!(stderr.contains(w), "{stderr} lacks {w}");
    }
}

#[test]
fn cli_writes_the_header() {
    let dir = scratch("ok");
    let out = dir.join("plugin.hh");
    let wit = crate_dir().join("../wit");
    let (code, _, stderr) = run(&[
        "--wit",
        wit.to_str().unwrap(),
        "--world",
        "plugin",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{stderr}");
    let golden = std::fs::read_to_string(crate_dir().join("tests/golden/plugin.hh")).unwrap();
    assert_eq!(std::fs::read_to_string(&out).unwrap(), golden);
}

#[test]
fn cli_bad_input() {
    let wit = crate_dir().join("../wit");
    let wit = wit.to_str().unwrap();
    let out = scratch("bad").join("x.hh");
    let out = out.to_str().unwrap();
    expect_error(
        &["--wit", "/no/such/dir", "--world", "plugin", "--out", out],
        &["'/no/such/dir' is not a directory of WIT files"],
    );
    expect_error(
        &["--wit", wit, "--world", "no-such-world", "--out", out],
        &["no-such-world"],
    );
    expect_error(
        &["--wit", wit, "--world", "plugin"],
        &["--out are required"],
    );
    expect_error(&["--wit", wit, "--world"], &["--world needs a value"]);
    expect_error(&["--frobnicate"], &["unknown argument '--frobnicate'"]);
    // A syntax error: the file, line and column.
    let broken = scratch("syntax");
    std::fs::write(
        broken.join("broken.wit"),
        "package test:broken;\n\ninterface i {\n  f: func(;\n}\n",
    )
    .unwrap();
    let broken_file = broken.join("broken.wit");
    expect_error(
        &[
            "--wit",
            broken.to_str().unwrap(),
            "--world",
            "w",
            "--out",
            out,
        ],
        &[
            "expected an identifier or string, found ';'",
            &format!("{}:4:11", broken_file.display()),
        ],
    );
    assert!(!Path::new(out).exists());
}

/// WIT the generator cannot map yet: an error naming the item.
#[test]
fn unmappable_wit() {
    let cases = [
        (
            "interface i { f: func(s: stream<u8>); }",
            "function 'f' of interface 'test:bad/i@0.1.0': 'stream' (async) cannot be mapped to C++ yet",
        ),
        (
            "interface i { f: func() -> future<u32>; }",
            "function 'f' of interface 'test:bad/i@0.1.0': 'future' (async) cannot be mapped to C++ yet",
        ),
        (
            "interface i { record r { e: error-context } }",
            "field 'e' of type 'r': 'error-context' (async) cannot be mapped to C++ yet",
        ),
        (
            "interface i { f: async func(); }",
            "function 'f' of interface 'test:bad/i@0.1.0': async functions cannot be mapped to C++ yet",
        ),
        (
            "interface i { flags f { none, some } }",
            "type 'f': a flag named 'none'",
        ),
    ];
    for (n, (body, wanted)) in cases.iter().enumerate() {
        let dir = scratch(&format!("unmappable-{n}"));
        std::fs::write(
            dir.join("bad.wit"),
            format!("package test:bad@0.1.0;\n{body}\nworld w {{ import i; }}\n"),
        )
        .unwrap();
        let out = dir.join("w.hh");
        expect_error(
            &[
                "--wit",
                dir.to_str().unwrap(),
                "--world",
                "w",
                "--out",
                out.to_str().unwrap(),
            ],
            &[wanted],
        );
        assert!(!out.exists());
    }
}
