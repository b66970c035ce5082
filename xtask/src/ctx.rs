//! What every command shares: the shell (rooted at the workspace), dry-run
//! mode, and a `run` that echoes the command with its environment.

use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::time::Duration;

use xshell::{Cmd, Shell};

pub type Result<T, E = Box<dyn std::error::Error>> = std::result::Result<T, E>;

pub struct Ctx {
    pub sh: Shell,
    /// The workspace root (the parent of `xtask/`).
    pub root: PathBuf,
    /// `XTASK_DRY_RUN=1`: checks run, installs/builds/tests are only printed.
    pub dry_run: bool,
}

impl Ctx {
    pub fn new() -> Result<Ctx> {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"))
            .parent()
            .ok_or("xtask has no parent directory")?
            .to_path_buf();
        let sh = Shell::new()?;
        sh.change_dir(&root);
        // `cargo install` puts binaries in $CARGO_HOME/bin; make sure we find
        // them even when that directory is not on the caller's PATH.
        if let Some(bin) = cargo_bin_dir() {
            let path = std::env::var_os("PATH").unwrap_or_default();
            let mut dirs: Vec<PathBuf> = std::env::split_paths(&path).collect();
            if !dirs.contains(&bin) {
                dirs.insert(0, bin);
                sh.set_var("PATH", std::env::join_paths(dirs)?);
            }
        }
        let dry_run = std::env::var("XTASK_DRY_RUN").is_ok_and(|v| !v.is_empty() && v != "0");
        Ok(Ctx { sh, root, dry_run })
    }

    /// Runs `cmd` with `env` added, echoing it first; in dry-run mode only
    /// prints it.
    pub fn run(&self, cmd: Cmd<'_>, env: &[(&str, String)]) -> Result<()> {
        let shown: Vec<String> = env.iter().map(|(k, v)| format!("{k}={v}")).collect();
        let prefix = if shown.is_empty() {
            String::new()
        } else {
            format!("{} ", shown.join(" "))
        };
        if self.dry_run {
            println!("  would run: {prefix}{cmd}");
            return Ok(());
        }
        // stdout, so the echo stays in order with our other output.
        println!("$ {prefix}{cmd}");
        let mut cmd = cmd.quiet();
        for (k, v) in env {
            cmd = cmd.env(k, v);
        }
        cmd.run()?;
        Ok(())
    }

    /// First line of stdout of `program args...`, or `None` when it cannot
    /// be run or fails. Used for `--version` checks.
    pub fn read_first_line(&self, program: impl AsRef<Path>, args: &[&str]) -> Option<String> {
        let program = program.as_ref();
        let out = self
            .sh
            .cmd(program)
            .args(args)
            .quiet()
            .ignore_stderr()
            .read()
            .ok()?;
        out.lines()
            .map(str::trim)
            .find(|l| !l.is_empty())
            .map(String::from)
    }
}

fn cargo_bin_dir() -> Option<PathBuf> {
    let home: OsString = std::env::var_os("CARGO_HOME")
        .or_else(|| std::env::var_os("HOME").map(|h| Path::new(&h).join(".cargo").into()))?;
    Some(Path::new(&home).join("bin"))
}

/// `12.3s`, `2m05s`.
pub fn format_elapsed(d: Duration) -> String {
    let secs = d.as_secs_f64();
    if secs < 60.0 {
        format!("{secs:.1}s")
    } else {
        let whole = d.as_secs();
        format!("{}m{:02}s", whole / 60, whole % 60)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_elapsed() {
        assert_eq!(format_elapsed(Duration::from_millis(1234)), "1.2s");
        assert_eq!(format_elapsed(Duration::from_secs(125)), "2m05s");
    }
}
