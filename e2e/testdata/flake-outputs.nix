# Evaluates ../../flake.nix's outputs against a stub nixpkgs (none is reachable in
# CI) and reduces them to JSON: which attributes exist for which systems, and what
# the package asks buildGoModule for (vendorHash has its own test). Run by
# e2e/packaging_test.go.
let
  flake = import ../../flake.nix;
  systems = [ "x86_64-linux" "aarch64-linux" "x86_64-darwin" "aarch64-darwin" ];
  genAttrs = names: f: builtins.listToAttrs (map (n: { name = n; value = f n; }) names);
  drv = name: extra: { type = "derivation"; inherit name; outPath = "/nix/store/00000000000000000000000000000000-${name}"; } // extra;
  stubPkgs = system: {
    stdenv.hostPlatform.system = system;
    buildGo126Module = args: drv "${args.pname}-${args.version}" { inherit args; go = "go_1_26"; };
    buildGoModule = args: drv "${args.pname}-${args.version}" { inherit args; go = "go"; };
    go_1_26 = drv "go-1.26" { };
    rustc = drv "rustc" { };
    cargo = drv "cargo" { };
    nix = drv "nix" { };
    graphviz = drv "graphviz" { };
    git = drv "git" { };
    mkShell = args: drv "shell" { inherit (args) packages; };
  };
  nixpkgs = { lib = { inherit genAttrs; }; legacyPackages = genAttrs systems stubPkgs; };
  outputs = flake.outputs { inherit self nixpkgs; };
  self = outputs // { outPath = "/src"; shortRev = "abcdef0"; };
  pkg = p: {
    inherit (p) name go;
    inherit (p.args) pname version subPackages ldflags doCheck hardeningDisable;
    src = p.args.src.outPath;
    CGO_ENABLED = p.args.env.CGO_ENABLED;
    mainProgram = p.args.meta.mainProgram;
  };
in
{
  inputs = flake.inputs;
  packages = builtins.mapAttrs (_: ps: builtins.mapAttrs (_: pkg) ps) outputs.packages;
  apps = outputs.apps;
  devShells = builtins.mapAttrs (_: s: map (p: p.name) s.default.packages) outputs.devShells;
  overlay = pkg ((outputs.overlays.default (stubPkgs "x86_64-linux") { }).cargo-nix-unit);
  # A nixpkgs without Go 1.26 builders falls back to its default Go.
  overlayOlderNixpkgs = (outputs.overlays.default (removeAttrs (stubPkgs "x86_64-linux") [ "buildGo126Module" ]) { }).cargo-nix-unit.go;
}
