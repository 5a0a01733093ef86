//! Embeds the repository's specs (`openapi/openapi.yaml`, `fixtures/*.yaml`), the starting
//! points the structural target mutates.

use std::path::Path;

fn main() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let mut specs = vec![root.join("openapi/openapi.yaml")];
    let mut fixtures: Vec<_> = std::fs::read_dir(root.join("fixtures"))
        .expect("the fixtures folder")
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
        .collect();
    fixtures.sort();
    specs.extend(fixtures);
    let mut out = String::from(
        "/// The specs the structural target starts from.\npub const SPECS: &[&str] = &[\n",
    );
    for spec in &specs {
        let path = spec.canonicalize().expect("a spec path");
        println!("cargo:rerun-if-changed={}", path.display());
        out.push_str(&format!(
            "    include_str!({:?}),\n",
            path.display().to_string()
        ));
    }
    out.push_str("];\n");
    println!("cargo:rerun-if-changed={}", root.join("fixtures").display());
    let out_dir = std::env::var("OUT_DIR").expect("OUT_DIR");
    std::fs::write(Path::new(&out_dir).join("specs.rs"), out).expect("write specs.rs");
}
