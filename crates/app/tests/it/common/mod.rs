//! What the process tests share: running the binary, a minimal HTTP
//! client (no client library: the tests see the bytes a supervisor or a
//! proxy would), starting a server on a free port.
#![allow(dead_code)]

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

pub(crate) fn bin() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_ngoaivu"))
}

pub(crate) fn run(dir: &Path, args: &[&str], stdin: &str) -> (i32, String, String) {
    run_with(dir, args, stdin, &[])
}

/// `ngoaivu ARGS` in `dir` with extra environment: exit code, stdout, stderr.
pub(crate) fn run_with(
    dir: &Path,
    args: &[&str],
    stdin: &str,
    env: &[(&str, &str)],
) -> (i32, String, String) {
    let mut child = Command::new(bin())
        .args(args)
        .current_dir(dir)
        .env_remove("NGOAIVU_DATABASE_URL")
        .env_remove("NGOAIVU_LISTEN")
        .env("NGOAIVU_LOG", "warn")
        .envs(env.iter().copied())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn ngoaivu");
    child
        .stdin
        .take()
        .unwrap()
        .write_all(stdin.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into(),
        String::from_utf8_lossy(&out.stderr).into(),
    )
}

/// One request; `None` when the connection could not be made or was cut
/// before an answer.
pub(crate) fn http(
    addr: &str,
    method: &str,
    path: &str,
    token: Option<&str>,
    body: &str,
) -> Option<(u16, String)> {
    http_with(addr, method, path, token, body, "")
}

/// [`http`] with extra header lines (each ending in `\r\n`).
pub(crate) fn http_with(
    addr: &str,
    method: &str,
    path: &str,
    token: Option<&str>,
    body: &str,
    headers: &str,
) -> Option<(u16, String)> {
    http_head(addr, method, path, token, body, headers).map(|(status, _, body)| (status, body))
}

/// [`http_with`], with the response's head (status line and headers) too.
pub(crate) fn http_head(
    addr: &str,
    method: &str,
    path: &str,
    token: Option<&str>,
    body: &str,
    headers: &str,
) -> Option<(u16, String, String)> {
    let mut s = TcpStream::connect(addr).ok()?;
    s.set_read_timeout(Some(Duration::from_secs(30))).ok()?;
    let auth = token
        .map(|t| format!("Authorization: Bearer {t}\r\n"))
        .unwrap_or_default();
    write!(
        s,
        "{method} {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n{auth}{headers}Content-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    )
    .ok()?;
    let mut resp = String::new();
    s.read_to_string(&mut resp).ok()?;
    let status = resp.split(' ').nth(1)?.parse().ok()?;
    let (head, body) = resp.split_once("\r\n\r\n").unwrap_or((&resp, ""));
    Some((status, head.to_owned(), body.to_owned()))
}

pub(crate) fn start(dir: &Path) -> (std::process::Child, String) {
    start_with(dir, &[], Stdio::null())
}

/// A server in `dir` with extra environment; its standard error goes to
/// `stderr` (a file to read its log from, or null).
pub(crate) fn start_with(
    dir: &Path,
    env: &[(&str, &str)],
    stderr: impl Into<Stdio>,
) -> (std::process::Child, String) {
    let mut child = Command::new(bin())
        .args(["serve", "--listen", "127.0.0.1:0"])
        .current_dir(dir)
        .env_remove("NGOAIVU_DATABASE_URL")
        .env("NGOAIVU_LOG", "info")
        .envs(env.iter().copied())
        .stdout(Stdio::piped())
        .stderr(stderr)
        .spawn()
        .unwrap();
    let addr = listen_address(&mut child).expect("the server says where it listens");
    (child, addr)
}

/// The address a server started with piped stdout says it listens on
/// (waiting at most 60 s); stdout is then read on to its end in the
/// background, so that the server never blocks on a full pipe.
pub(crate) fn listen_address(child: &mut std::process::Child) -> Option<String> {
    let mut lines = BufReader::new(child.stdout.take()?).lines();
    let started = Instant::now();
    let mut addr = None;
    while addr.is_none() && started.elapsed() < Duration::from_secs(60) {
        let Some(Ok(line)) = lines.next() else { break };
        if let Some(rest) = line.split("http://").nth(1)
            && line.contains("listening on")
        {
            addr = Some(rest.trim().to_owned());
        }
    }
    std::thread::spawn(move || for _ in lines {});
    addr
}

pub(crate) fn token(addr: &str) -> String {
    let (status, body) = http(
        addr,
        "POST",
        "/api/v1/sessions",
        None,
        r#"{"username":"vl-editor","password":"mot mat khau dai"}"#,
    )
    .unwrap();
    assert_eq!(status, 201, "{body}");
    body.split("\"token\":\"")
        .nth(1)
        .unwrap()
        .split('"')
        .next()
        .unwrap()
        .to_owned()
}

/// SIGTERM, then wait (at most 30 s) for the server to exit; its exit code.
pub(crate) fn stop(mut server: std::process::Child) -> Option<i32> {
    let _ = Command::new("kill")
        .args(["-TERM", &server.id().to_string()])
        .status();
    let waited = Instant::now();
    loop {
        if let Some(s) = server.try_wait().unwrap() {
            return s.code();
        }
        if waited.elapsed() > Duration::from_secs(30) {
            let _ = server.kill();
            let _ = server.wait();
            return None;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// A province editor `vl-editor` in the database of `dir` (created).
pub(crate) fn add_editor(dir: &Path) {
    let (code, _, err) = run(
        dir,
        &[
            "user",
            "add",
            "--org",
            "vinh-long",
            "--role",
            "editor",
            "vl-editor",
        ],
        "mot mat khau dai\n",
    );
    assert_eq!(code, 0, "{err}");
}
