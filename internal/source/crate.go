package source

// addedByCargo are the files Cargo puts into a crate's directory beside the
// .crate's own: .cargo-ok when it unpacks a download (cargo:
// sources/registry/mod.rs, unpack_package) and .cargo-checksum.json in a
// directory source (cargo vendor). Leaving them out, a registry crate's tree
// is exactly the .crate's files, the same tree a fixed-output derivation
// unpacking the .crate makes: one store path for both.
var addedByCargo = map[string]bool{".cargo-ok": true, ".cargo-checksum.json": true}
