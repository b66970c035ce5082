//! python-gitlab loading every runner (`runners_all.list(get_all=True)`), installed
//! into bench/.venv on first use.

use std::path::Path;
use std::process::Command;

const VENV: &str = "bench/.venv";
const SCRIPT: &str = r#"
import sys, time, gitlab
# A CA file (the TLS sandbox's certificate) when given, else the system's roots.
gl = gitlab.Gitlab(sys.argv[1], private_token=sys.argv[2], ssl_verify=sys.argv[4] if len(sys.argv) > 4 else True)
per_page = int(sys.argv[3])
start = time.perf_counter()
# per_page 0: python-gitlab's own default (20).
runners = gl.runners_all.list(get_all=True, **({"per_page": per_page} if per_page else {}))
print(len(runners), time.perf_counter() - start)
"#;

#[derive(Debug)]
pub struct PythonResult {
    pub version: String,
    pub count: usize,
    pub seconds: f64,
    /// `None`: python-gitlab's default (20).
    pub per_page: Option<u32>,
}

fn venv_python() -> String {
    format!("{VENV}/bin/python")
}

fn ensure_venv() -> Result<(), String> {
    if !Path::new(&venv_python()).exists() {
        let ok = Command::new("python3")
            .args(["-m", "venv", VENV])
            .status()
            .map_err(|e| e.to_string())?;
        if !ok.success() {
            return Err("python3 -m venv failed".into());
        }
    }
    let has = Command::new(venv_python())
        .args(["-c", "import gitlab"])
        .status()
        .is_ok_and(|s| s.success());
    if !has {
        let ok = Command::new(venv_python())
            .args(["-m", "pip", "install", "--quiet", "python-gitlab"])
            .status()
            .map_err(|e| e.to_string())?;
        if !ok.success() {
            return Err("pip install python-gitlab failed".into());
        }
    }
    Ok(())
}

/// `ca_file`: the PEM python-gitlab verifies an `https://` sandbox with;
/// `per_page`: `None` for python-gitlab's default page size.
pub fn load_all_runners(
    url: &str,
    token: &str,
    ca_file: Option<&Path>,
    per_page: Option<u32>,
) -> Option<PythonResult> {
    if let Err(e) = ensure_venv() {
        eprintln!("python-gitlab unavailable: {e}");
        return None;
    }
    let version = Command::new(venv_python())
        .args(["-c", "import gitlab; print(gitlab.__version__)"])
        .output()
        .ok()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string())
        .unwrap_or_default();
    let mut cmd = Command::new(venv_python());
    cmd.args(["-c", SCRIPT, url, token, &per_page.unwrap_or(0).to_string()]);
    if let Some(ca_file) = ca_file {
        cmd.arg(ca_file);
    }
    let out = cmd.output().ok()?;
    if !out.status.success() {
        eprintln!(
            "python-gitlab failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        return None;
    }
    let text = String::from_utf8_lossy(&out.stdout);
    let mut parts = text.split_whitespace();
    let count = parts.next()?.parse().ok()?;
    let seconds = parts.next()?.parse().ok()?;
    Some(PythonResult {
        version,
        count,
        seconds,
        per_page,
    })
}
