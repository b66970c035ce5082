//! Lighthouse scores of the release build (npm `lighthouse`, pinned to 12.2.3: 13
//! needs Node 22), installed under target/lighthouse on first use and run with the
//! machine's Chromium.

use std::path::Path;
use std::process::Command;

const DIR: &str = "target/lighthouse";
const VERSION: &str = "12.2.3";

#[derive(Debug)]
pub struct Scores {
    pub preset: &'static str,
    pub performance: f64,
    pub accessibility: f64,
    pub best_practices: f64,
}

fn bin() -> String {
    format!("{DIR}/node_modules/.bin/lighthouse")
}

fn ensure_installed() -> Result<(), String> {
    let installed = std::fs::read_to_string(format!("{DIR}/node_modules/lighthouse/package.json"))
        .is_ok_and(|p| p.contains(&format!("\"version\": \"{VERSION}\"")));
    if installed && Path::new(&bin()).exists() {
        return Ok(());
    }
    std::fs::create_dir_all(DIR).map_err(|e| e.to_string())?;
    let ok = Command::new("npm")
        .args([
            "install",
            "--prefix",
            DIR,
            "-E",
            &format!("lighthouse@{VERSION}"),
            "--no-audit",
            "--no-fund",
        ])
        .status()
        .map_err(|e| e.to_string())?;
    if ok.success() {
        Ok(())
    } else {
        Err("npm install lighthouse failed".into())
    }
}

/// Runs Lighthouse on `url` with the desktop and the default (mobile) settings.
pub fn run(url: &str) -> Vec<Scores> {
    if let Err(e) = ensure_installed() {
        eprintln!("lighthouse unavailable: {e}");
        return vec![];
    }
    let chrome = std::env::var("CHROME").unwrap_or_else(|_| "/usr/bin/chromium".into());
    let mut out = vec![];
    for preset in ["desktop", "mobile"] {
        let report = std::env::temp_dir().join(format!("lighthouse-{preset}.json"));
        let mut cmd = Command::new(bin());
        cmd.env("CHROME_PATH", &chrome)
            .arg(url)
            .arg("--quiet")
            .arg("--only-categories=performance,accessibility,best-practices")
            .arg("--output=json")
            .arg(format!("--output-path={}", report.display()))
            .arg("--chrome-flags=--headless=new --no-sandbox --disable-gpu --disable-dev-shm-usage --no-first-run --disable-background-networking --disable-component-update --disable-sync");
        if preset == "desktop" {
            cmd.arg("--preset=desktop");
        }
        match cmd.status() {
            Ok(s) if s.success() => {}
            other => {
                eprintln!("lighthouse {preset} failed: {other:?}");
                continue;
            }
        }
        let Ok(text) = std::fs::read_to_string(&report) else {
            continue;
        };
        let Ok(json) = serde_json::from_str::<serde_json::Value>(&text) else {
            continue;
        };
        let score = |cat: &str| {
            json["categories"][cat]["score"]
                .as_f64()
                .unwrap_or(f64::NAN)
                * 100.0
        };
        out.push(Scores {
            preset,
            performance: score("performance"),
            accessibility: score("accessibility"),
            best_practices: score("best-practices"),
        });
    }
    out
}
