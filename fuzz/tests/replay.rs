//! Replays every committed corpus input (seeds and past crashes) through its target's checks,
//! on stable Rust: `cargo test --no-default-features`.

use std::path::Path;

#[test]
fn replay_corpora() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus");
    let mut total = 0;
    for (name, check) in codec_fuzz::TARGETS {
        let dir = root.join(name);
        let entries = std::fs::read_dir(&dir)
            .unwrap_or_else(|e| panic!("corpus {} missing: {e}", dir.display()));
        let mut count = 0;
        for entry in entries {
            let path = entry.expect("corpus entry").path();
            let data = std::fs::read(&path).expect("corpus file");
            let result = std::panic::catch_unwind(|| check(&data));
            assert!(result.is_ok(), "{name}: {} fails", path.display());
            count += 1;
        }
        assert!(count > 0, "corpus {name} is empty");
        total += count;
    }
    eprintln!("replayed {total} corpus inputs");
}
