//! Lighthouse scores of the release build (npm `lighthouse`, pinned to 12.2.3: 13
//! needs Node 22), installed under target/lighthouse on first use and run with the
//! machine's Chromium.

use std::path::Path;
use std::process::Command;

const DIR: &str = "target/lighthouse";
const VERSION: &str = "12.2.3";
/// Runs per setting. Lighthouse's performance score varies from run to run on a
/// busy machine; its documentation advises the median of several runs (5 halves
/// the variance).
const RUNS: usize = 5;

/// One setting's runs: performance as the median (every run's score kept for the
/// report), accessibility and best practices as the lowest seen.
#[derive(Debug)]
pub struct Scores {
    pub preset: &'static str,
    /// How the host sent the files: "brotli" or "gzip only".
    pub served: &'static str,
    pub performance: f64,
    pub performance_runs: Vec<f64>,
    pub accessibility: f64,
    pub best_practices: f64,
}

/// Median of the runs' performance, lowest accessibility and best practices.
fn summarize(preset: &'static str, served: &'static str, runs: &[[f64; 3]]) -> Option<Scores> {
    if runs.is_empty() {
        return None;
    }
    let mut perf: Vec<f64> = runs.iter().map(|r| r[0]).collect();
    let performance_runs = perf.clone();
    perf.sort_by(f64::total_cmp);
    let lowest = |i: usize| runs.iter().map(|r| r[i]).fold(f64::INFINITY, f64::min);
    Some(Scores {
        preset,
        served,
        performance: perf[perf.len() / 2],
        performance_runs,
        accessibility: lowest(1),
        best_practices: lowest(2),
    })
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

/// Runs Lighthouse on `url` with the desktop and the default (mobile) settings,
/// `RUNS` times each; `served` says how that host sends the files; `spki_pin`, a
/// TLS sandbox's certificate for its Chromium to trust.
pub fn run(url: &str, served: &'static str, spki_pin: Option<&str>) -> Vec<Scores> {
    if let Err(e) = ensure_installed() {
        eprintln!("lighthouse unavailable: {e}");
        return vec![];
    }
    let chrome = std::env::var("CHROME").unwrap_or_else(|_| "/usr/bin/chromium".into());
    let mut out = vec![];
    for preset in ["desktop", "mobile"] {
        let runs: Vec<[f64; 3]> = (0..RUNS)
            .filter_map(|_| run_once(url, &chrome, preset, spki_pin))
            .collect();
        out.extend(summarize(preset, served, &runs));
    }
    out
}

/// One Lighthouse run: [performance, accessibility, best practices], 0–100.
fn run_once(
    url: &str,
    chrome: &str,
    preset: &'static str,
    spki_pin: Option<&str>,
) -> Option<[f64; 3]> {
    let report = std::env::temp_dir().join(format!("lighthouse-{preset}.json"));
    let mut cmd = Command::new(bin());
    cmd.env("CHROME_PATH", chrome)
        .arg(url)
        .arg("--quiet")
        .arg("--only-categories=performance,accessibility,best-practices")
        .arg("--output=json")
        .arg(format!("--output-path={}", report.display()))
        .arg(chrome_flags(spki_pin));
    if preset == "desktop" {
        cmd.arg("--preset=desktop");
    }
    match cmd.status() {
        Ok(s) if s.success() => {}
        other => {
            eprintln!("lighthouse {preset} failed: {other:?}");
            return None;
        }
    }
    let text = std::fs::read_to_string(&report).ok()?;
    let json = serde_json::from_str::<serde_json::Value>(&text).ok()?;
    let score = |cat: &str| {
        json["categories"][cat]["score"]
            .as_f64()
            .unwrap_or(f64::NAN)
            * 100.0
    };
    Some([
        score("performance"),
        score("accessibility"),
        score("best-practices"),
    ])
}

/// Lighthouse's Chromium flags; chrome-launcher gives it a --user-data-dir of its
/// own, which Chromium needs to honour the SPKI list.
fn chrome_flags(spki_pin: Option<&str>) -> String {
    let mut flags = "--chrome-flags=--headless=new --no-sandbox --disable-gpu --disable-dev-shm-usage --no-first-run --disable-background-networking --disable-component-update --disable-sync".to_string();
    if let Some(pin) = spki_pin {
        flags += &format!(" --ignore-certificate-errors-spki-list={pin}");
    }
    flags
}

#[cfg(test)]
mod tests {
    #[test]
    fn performance_is_the_median_and_the_others_the_lowest() {
        let s = super::summarize(
            "mobile",
            "brotli",
            &[
                [91.0, 100.0, 100.0],
                [96.0, 100.0, 96.0],
                [94.0, 98.0, 100.0],
            ],
        )
        .unwrap();
        assert_eq!(s.performance, 94.0);
        assert_eq!(s.performance_runs, vec![91.0, 96.0, 94.0]);
        assert_eq!(s.accessibility, 98.0);
        assert_eq!(s.best_practices, 96.0);
        assert!(super::summarize("mobile", "brotli", &[]).is_none());
    }
}
