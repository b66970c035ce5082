//! What a browser downloads: the .wasm, .js and .css of the build, gzip-compressed
//! (the issue's measure), and the brotli copies the build writes beside them.

use std::io::Write;
use std::path::Path;

use flate2::write::GzEncoder;
use flate2::Compression;

pub struct Shipped {
    /// (file name, raw bytes, gzip bytes, bytes of the build's `NAME.br` if any)
    pub files: Vec<(String, u64, u64, Option<u64>)>,
}

impl Shipped {
    pub fn total_gzip(&self) -> u64 {
        self.files.iter().map(|f| f.2).sum()
    }
}

pub fn gzip_len(bytes: &[u8]) -> u64 {
    let mut enc = GzEncoder::new(Vec::new(), Compression::best());
    enc.write_all(bytes).expect("gzip");
    enc.finish().expect("gzip").len() as u64
}

pub fn measure(dist: &Path) -> Shipped {
    let mut files = vec![];
    for entry in std::fs::read_dir(dist).expect("dist exists").flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        if [".wasm", ".js", ".css"]
            .iter()
            .any(|ext| name.ends_with(ext))
        {
            let bytes = std::fs::read(entry.path()).expect("read");
            let br = std::fs::metadata(dist.join(format!("{name}.br")))
                .ok()
                .map(|m| m.len());
            files.push((name, bytes.len() as u64, gzip_len(&bytes), br));
        }
    }
    files.sort();
    Shipped { files }
}
