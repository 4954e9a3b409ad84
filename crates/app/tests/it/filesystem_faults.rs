//! File-system faults under a running server (SQLite): a full disk. Writes
//! answer 507 with the cause, reads go on, and once space is freed writes
//! succeed again without a restart (the one writer connection must not be
//! left inside a failed transaction).
//!
//! A file system turned read-only under the server is not tested here: a
//! tmpfs with files open for writing refuses `remount,ro` ("busy"), and the
//! kernel's own remount after disk errors cannot be caused in a sandbox.
//!
//! The database lives on a small tmpfs mounted in a mount namespace of its
//! own (`unshare -rm`: no root needed where user namespaces are allowed;
//! root works too). The namespace's shell runs commands the test hands it
//! through a file (fill the disk, free it, remount read-only or
//! read-write), since only a process inside the namespace sees the mount.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crate::common::{bin, http, listen_address, stop, token};

/// A server on a 6 MB tmpfs of its own, and the way to run commands next
/// to it (kept general: further faults can be injected the same way).
struct Namespaced {
    child: Option<Child>,
    addr: String,
    dir: PathBuf,
    _tmp: tempfile::TempDir,
}

impl Namespaced {
    fn start() -> Namespaced {
        let tmp = tempfile::tempdir().unwrap();
        let d = tmp.path().to_owned();
        std::fs::create_dir(d.join("mnt")).unwrap();
        let script = r#"
set -e
mount -t tmpfs -o size=6m tmpfs "$MNT"
printf 'mot mat khau dai\n' | "$BIN" user add --db "sqlite:$MNT/n.db" --org vinh-long --role editor vl-editor >/dev/null
"$BIN" serve --db "sqlite:$MNT/n.db" --listen 127.0.0.1:0 &
server=$!
trap 'kill -TERM $server 2>/dev/null; wait $server; exit $?' TERM
# Run each command the test leaves in $DIR/cmd, until the test is gone or
# the server died; $DIR/done says it ran.
while [ -d "$DIR" ] && kill -0 $server 2>/dev/null; do
    if [ -e "$DIR/cmd" ]; then
        sh "$DIR/cmd" >"$DIR/out" 2>&1 || true
        rm -f "$DIR/cmd"
        touch "$DIR/done"
    fi
    sleep 0.05
done
"#;
        let mut child = Command::new("unshare")
            .args(["-rm", "sh", "-c", script])
            .current_dir(&d)
            .env("MNT", d.join("mnt"))
            .env("DIR", &d)
            .env("BIN", bin())
            .env_remove("NGOAIVU_DATABASE_URL")
            .env("NGOAIVU_LOG", "warn")
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("unshare (util-linux)");
        let addr =
            listen_address(&mut child).expect("the server in its namespace says where it listens");
        Namespaced {
            child: Some(child),
            addr,
            dir: d,
            _tmp: tmp,
        }
    }

    /// Run `script` inside the namespace (`$MNT` is the mount point) and
    /// wait for it.
    fn run(&self, script: &str) -> String {
        let done = self.dir.join("done");
        let _ = std::fs::remove_file(&done);
        let cmd = format!("MNT='{}'\n{script}\n", self.dir.join("mnt").display());
        let staged = self.dir.join("cmd.new");
        std::fs::write(&staged, cmd).unwrap();
        std::fs::rename(&staged, self.dir.join("cmd")).unwrap();
        let waited = Instant::now();
        while !Path::new(&done).exists() {
            assert!(
                waited.elapsed() < Duration::from_secs(30),
                "the namespace did not run {script}"
            );
            std::thread::sleep(Duration::from_millis(20));
        }
        std::fs::read_to_string(self.dir.join("out")).unwrap_or_default()
    }

    fn stop(mut self) -> Option<i32> {
        stop(self.child.take().unwrap())
    }
}

impl Drop for Namespaced {
    fn drop(&mut self) {
        if let Some(mut c) = self.child.take() {
            let _ = c.kill();
            let _ = c.wait();
        }
    }
}

fn partner(name: &str, notes: &str) -> String {
    format!(r#"{{"name":"{name}","kind":"foreign_locality","country":"LA","notes":"{notes}"}}"#)
}

/// Writes are retried for up to 20 s after the fault is gone.
fn recovers(addr: &str, tok: &str, name: &str) {
    let waited = Instant::now();
    loop {
        match http(
            addr,
            "POST",
            "/api/v1/partners",
            Some(tok),
            &partner(name, ""),
        ) {
            Some((201, _)) => break,
            Some((503 | 507, _)) if waited.elapsed() < Duration::from_secs(20) => {
                std::thread::sleep(Duration::from_millis(200));
            }
            other => panic!("writes did not recover: {other:?}"),
        }
    }
    let q = format!("/api/v1/partners?q={}", name.replace(' ', "+"));
    let (status, list) = http(addr, "GET", &q, Some(tok), "").unwrap();
    assert_eq!(status, 200);
    assert!(list.contains(name), "{list}");
}

#[test]
fn a_full_disk_answers_507_and_writes_recover_when_space_returns() {
    let ns = Namespaced::start();
    let addr = ns.addr.clone();
    let tok = token(&addr);
    // Leave about 1 MiB free; records with long notes fill it.
    ns.run(r#"free=$(df -k --output=avail "$MNT" | tail -n 1); head -c $(( (free - 1024) * 1024 )) /dev/zero > "$MNT/ballast""#);
    let notes = "Ghi chú dài để làm đầy đĩa. ".repeat(80);
    let mut created = 0;
    let mut full = None;
    for i in 0..5000 {
        match http(
            &addr,
            "POST",
            "/api/v1/partners",
            Some(&tok),
            &partner(&format!("Đối tác {i}"), &notes),
        ) {
            Some((201, _)) => created += 1,
            Some((507, b)) => {
                full = Some(b);
                break;
            }
            other => panic!("after {created} records: {other:?}"),
        }
    }
    let full = full.unwrap_or_else(|| panic!("{created} records and the disk never filled"));
    assert!(created > 0, "some records fit before the disk filled");
    assert!(full.contains("\"error\":\"unavailable\""), "{full}");
    assert!(
        full.contains("đĩa") || full.contains("disk"),
        "the cause is named: {full}"
    );
    // Again: still 507 (or written), not a 500 from a writer stuck in a
    // failed transaction.
    let again = http(
        &addr,
        "POST",
        "/api/v1/partners",
        Some(&tok),
        &partner("Lần nữa", ""),
    )
    .unwrap();
    assert!(again.0 == 507 || again.0 == 201, "{again:?}");
    let (status, list) = http(&addr, "GET", "/api/v1/partners?limit=1", Some(&tok), "").unwrap();
    assert_eq!(status, 200, "reads go on: {list}");

    ns.run(r#"rm -f "$MNT/ballast""#);
    recovers(&addr, &tok, "Sau khi đầy");
    assert_eq!(ns.stop(), Some(0));
}
