{
  description = "cargo-nix-unit: build Cargo workspaces with Nix, one derivation per Cargo unit";

  inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-unstable";

  outputs = { self, nixpkgs }:
    let
      systems = [ "x86_64-linux" "aarch64-linux" "x86_64-darwin" "aarch64-darwin" ];
      forAllSystems = f: nixpkgs.lib.genAttrs systems (system: f nixpkgs.legacyPackages.${system});
      version = "0.1.0+${self.shortRev or self.dirtyShortRev or "unknown"}";

      # Both binaries into $out/bin: the CLI looks for its builder next to itself.
      # The builder runs inside every derivation, so it is built static
      # (CGO_ENABLED=0) and reproducibly (buildGoModule adds -trimpath and
      # -buildid=; no .git in src, so no VCS stamp): its bytes, and so every
      # unit's derivation, match a `scripts/setup.sh` build with the same Go.
      package = pkgs:
        (pkgs.buildGo126Module or pkgs.buildGoModule) {
          pname = "cargo-nix-unit";
          inherit version;
          src = self;
          # NAR hash of `go mod vendor`'s output; e2e/packaging_test.go checks it
          # and prints the right value when go.mod changes.
          vendorHash = "sha256-9cFTEOTlcKemaPBj6gmICLHGHriW1mS/vk/ihsuxGRY=";
          subPackages = [ "." "cmd/cargo-nix-unit-builder" ];
          env.CGO_ENABLED = 0;
          ldflags = [ "-X main.version=${version}" ];
          hardeningDisable = [ "pie" ];
          # The tests need a Nix store, Cargo and rustc: scripts/test.sh runs them.
          doCheck = false;
          meta = {
            description = "Build Cargo workspaces with Nix, one derivation per Cargo unit";
            mainProgram = "cargo-nix-unit";
            platforms = systems;
          };
        };
    in
    {
      # Build a Cargo workspace from its plan file (cargo nix-unit plan), one
      # derivation per unit, the same derivations as the CLI: see
      # nix/build-workspace.nix and the README's "Use it from a flake".
      lib = {
        buildWorkspace = import ./nix/build-workspace.nix;
        # buildWorkspace with pkgs' system, this flake's builder and, for a
        # workspace without a plan file, this flake's CLI and pkgs' cc.
        mkLib = pkgs: {
          buildWorkspace = args: import ./nix/build-workspace.nix ({
            system = pkgs.stdenv.hostPlatform.system;
            builder = "${self.packages.${pkgs.stdenv.hostPlatform.system}.default}/bin/cargo-nix-unit-builder";
            cli = "${self.packages.${pkgs.stdenv.hostPlatform.system}.default}/bin/cargo-nix-unit";
            planPath = [ "${pkgs.stdenv.cc}/bin" ];
          } // args);
        };
      };

      packages = forAllSystems (pkgs: rec {
        cargo-nix-unit = package pkgs;
        default = cargo-nix-unit;
      });

      apps = forAllSystems (pkgs: {
        default = {
          type = "app";
          program = "${self.packages.${pkgs.stdenv.hostPlatform.system}.default}/bin/cargo-nix-unit";
        };
      });

      devShells = forAllSystems (pkgs: {
        default = pkgs.mkShell {
          packages = [ (pkgs.go_1_26 or pkgs.go) pkgs.rustc pkgs.cargo pkgs.nix pkgs.graphviz pkgs.git ];
        };
      });

      overlays.default = final: _prev: {
        cargo-nix-unit = package final;
      };
    };
}
