# lib.buildWorkspace: a Cargo workspace's units as Nix derivations, written
# with builtins.derivation from the plan file `cargo nix-unit plan` writes
# (docs/plan-json.md): the very derivations the CLI registers, one per unit.
# Nothing is generated beyond reading the JSON. Without a plan file, a
# derivation writes it (this flake's CLI, Cargo offline against the crates
# fetched as below) and it is read by import-from-derivation.
{
  # The workspace: a path (./.) or a store path holding it.
  src,
  # The plan file; by default nix-unit.json at the workspace root. Without
  # one (null, or no nix-unit.json in src) it is written by a derivation and
  # read by import-from-derivation: that needs `cli`, and `registries` for
  # registry crates.
  plan ? (if builtins.pathExists (src + "/nix-unit.json") then src + "/nix-unit.json" else null),
  # The toolchain's sysroot (holding bin/rustc): a store path, or a host path
  # string when the sandbox shows it (extra-sandbox-paths).
  rustToolchain,
  # The builder executable (cargo-nix-unit-builder) as a store path: the
  # CLI's (its `nix store add-path` copy) for the same derivations as the CLI.
  builder,
  system,
  contentAddressed ? true,
  # Without a plan file: the cargo-nix-unit executable (its builder beside it).
  cli ? null,
  # Without a plan file: Cargo.lock's registry sources (`source = ...`) to
  # fetch every crate of, each to the registry's download template (the `dl`
  # of its config.json). Crates of other sources must be vendored in src.
  registries ? { },
  # Without a plan file: cargo nix-unit plan's flags (--release, -p, ...).
  planFlags ? [ ],
  # Without a plan file: directories for PATH after the toolchain's bin,
  # where planning finds `cc` as `cargo nix-unit plan` does on your machine.
  planPath ? [ ],
  # Without a plan file: the name of the workspace's directory, which names
  # the result of a workspace with several root packages (as the CLI names
  # it after your checkout): src's own name, "source" for a flake's.
  workspaceName ? (let b = baseNameOf (toString src); in
    if builtins.match "[0-9a-df-np-sv-z]{32}-.*" b != null then builtins.substring 33 (-1) b else b),
  # For `dynamic` (dynamic derivations, no plan file and no
  # import-from-derivation): the nix-instantiate executable of a Nix with
  # the dynamic-derivations and recursive-nix features (2.30 or newer).
  nixInstantiate ? null,
}:
let
  inherit (builtins) hasContext appendContext substring stringLength replaceStrings
    listToAttrs map filter concatStringsSep head match elem storeDir;

  planFile = if plan == null then planned else plan;
  p = builtins.fromJSON (builtins.readFile planFile);
  planVersion = 2;

  # A store path given as a plain string becomes an input source, as the
  # CLI's store paths are; one with context (a derivation's output) keeps it.
  storeInput = s:
    let
      str = toString s;
      root = head (match "(${storeDir}/[^/]+).*" str);
    in
    if hasContext str || match "${storeDir}/.*" str == null then str
    else appendContext str { ${root} = { path = true; }; };

  # Only the context of s, as an empty string.
  contextOf = s: substring 0 0 s;

  stale = filter (c: builtins.hashFile "sha256" (src + "/${c.file}") != c.sha256) p.checked;

  checked =
    if p.version != planVersion then
      throw "cargo-nix-unit: ${toString planFile} is a version ${toString p.version} plan file; this flake reads version ${toString planVersion}: run `cargo nix-unit plan` with the same cargo-nix-unit"
    else if stale != [ ] then
      throw "cargo-nix-unit: ${(head stale).file} changed since ${baseNameOf (toString planFile)} was written: run `cargo nix-unit plan` and commit the file"
    else p;

  builderPath = storeInput builder;
  toolchain = storeInput rustToolchain;

  # A directory inside src, admitting exactly the planned files (so the store
  # path is the one the CLI's copy gets).
  filtered = s: base:
    let
      dirs = listToAttrs (builtins.concatMap (f:
        let parts = builtins.split "/" f;
            comps = filter builtins.isString parts;
            n = builtins.length comps;
        in builtins.genList (i: { name = concatStringsSep "/" (builtins.genList (k: builtins.elemAt comps k) (i + 1)); value = i + 1 < n; }) n
      ) s.files);
      prefix = toString base + "/";
    in
    builtins.path {
      path = base;
      name = s.name;
      filter = path: type:
        let rel = builtins.substring (stringLength prefix) (-1) (toString path);
        in dirs ? ${rel} && (type == "directory") == dirs.${rel};
    };

  fromSrc = s:
    if s.dir == "" || s.dir == "." then filtered s src
    else if substring 0 1 s.dir == "/" then
      throw "cargo-nix-unit: the source ${s.name} is the directory ${s.dir}, outside src: vendor it into the workspace (cargo vendor, a directory source inside it) and run `cargo nix-unit plan` again"
    else filtered s (src + "/${s.dir}");

  # A registry crate: the .crate fetched by its Cargo.lock checksum, unpacked
  # by the builder into exactly the planned files, a fixed-output derivation
  # whose hash is their NAR hash: the same store path as the CLI's copy.
  fetchCrate = { name, version, url, checksum }: builtins.derivation {
    name = "${name}-${version}.crate";
    system = "builtin";
    builder = "builtin:fetchurl";
    inherit url;
    outputHashMode = "flat";
    outputHashAlgo = "sha256";
    outputHash = checksum;
  };
  crateFile = s: fetchCrate { inherit (s.crate) name version url checksum; };
  # The CLI writes the same two (internal/derivation/fixed.go) and adds their
  # outputs from Cargo's copies, so units name them from both sides.
  unpacked = s:
    let
      crate = crateFile s;
      job = builtins.toJSON {
        unit = s.name;
        action = "unpack-crate";
        crate = crate.outPath;
        prefix = "${s.crate.name}-${s.crate.version}/";
        files = s.files;
      };
    in
    builtins.derivation ({
      name = s.name;
      inherit system;
      builder = builderPath;
      cargoNixUnitJob = job;
      outputHashMode = "recursive";
      outputHash = s.narHash;
    } // (if stringLength job > 65536 then { passAsFile = [ "cargoNixUnitJob" ]; } else { }));
  fromRegistry = s:
    if s.crate.checksum or "" == "" || s.crate.url or "" == "" then
      throw "cargo-nix-unit: the crate ${s.crate.name} ${s.crate.version} (${s.crate.source}) has ${if s.crate.checksum or "" == "" then "no checksum in Cargo.lock" else "no download URL in the plan (its registry's config.json could not be read)"}: vendor it into the workspace (cargo vendor, a directory source inside it) and run `cargo nix-unit plan` again"
    else unpacked s;

  fromGit = s:
    let repo = builtins.fetchGit { url = s.git.url; rev = s.git.rev; allRefs = true; };
    in filtered s (if s.git.subdir or "" == "" then repo else repo + "/${s.git.subdir}");

  sources = listToAttrs (map (s: {
    name = s.name;
    value =
      if s.kind == "registry" then fromRegistry s
      else if s.kind == "git" then fromGit s
      else fromSrc s;
  }) checked.sources);

  caAttrs = if contentAddressed then {
    __contentAddressed = true;
    outputHashMode = "recursive";
    outputHashAlgo = "sha256";
  } else { };

  # The CLI's derivation.Writer: the job in the environment, or through a file
  # above 64 KiB (passAsFile); inputs are the builder, the toolchain, the
  # unit's source, its declared store paths and the units its job names.
  mkUnit = u:
    let
      deps = map (k: units.${k}) u.deps;
      source = if u ? source then [ (toString sources.${u.source}) ] else [ ];
      from = [ "@{toolchain}" ] ++ map (k: "@{out:${k}}") u.deps ++ (if u ? source then [ "@{source:${u.source}}" ] else [ ]);
      to = [ toolchain ] ++ map (d: d.outPath) deps ++ source;
      inputs = [ builderPath toolchain ] ++ map (d: d.outPath) deps ++ source ++ map storeInput (u.store or [ ]);
      job = replaceStrings from to u.job + concatStringsSep "" (map contextOf inputs);
    in
    builtins.derivation ({
      inherit (u) name;
      inherit system;
      builder = builderPath;
      cargoNixUnitJob = job;
    } // caAttrs // (if stringLength job > 65536 then { passAsFile = [ "cargoNixUnitJob" ]; } else { }));

  units = listToAttrs (map (u: { name = u.key; value = mkUnit u; }) checked.units);

  # bins.<name>: the unit building each binary (its output holds bin/<name>).
  bins = listToAttrs (builtins.concatMap (u:
    let m = match ".* \\(bin ([^)]+)\\)" (u.unit or ""); in
    if m == null then [ ] else [ { name = head m; value = units.${u.key}; } ]
  ) checked.units);
  # Without a plan file: every crate of Cargo.lock from the given
  # registries, fetched as above, and a derivation running `cargo nix-unit
  # plan` offline against them (the builder's plan action).
  lock = builtins.fromTOML (builtins.readFile (src + "/Cargo.lock"));
  # The .crate's URL from a dl template, as Cargo fills it in (cargo:
  # sources/registry/download.rs; gather.DownloadURL).
  downloadURL = dl: c:
    let
      n = stringLength c.name;
      prefix = if n <= 2 then toString n
        else if n == 3 then "3/${substring 0 1 c.name}"
        else "${substring 0 2 c.name}/${substring 2 2 c.name}";
      upper = [ "A" "B" "C" "D" "E" "F" "G" "H" "I" "J" "K" "L" "M" "N" "O" "P" "Q" "R" "S" "T" "U" "V" "W" "X" "Y" "Z" ];
      lower = [ "a" "b" "c" "d" "e" "f" "g" "h" "i" "j" "k" "l" "m" "n" "o" "p" "q" "r" "s" "t" "u" "v" "w" "x" "y" "z" ];
      filled = replaceStrings [ "{crate}" "{version}" "{prefix}" "{lowerprefix}" "{sha256-checksum}" ]
        [ c.name c.version prefix (replaceStrings upper lower prefix) c.checksum ] dl;
      trimmed = if substring (stringLength dl - 1) 1 dl == "/" then substring 0 (stringLength dl - 1) dl else dl;
    in
    if filled != dl then filled else "${trimmed}/${c.name}/${c.version}/download";
  fetched = map (c:
    let url = downloadURL registries.${c.source} c; in {
      inherit (c) source name version checksum;
      inherit url;
      crate = (fetchCrate { inherit (c) name version checksum; inherit url; }).outPath;
    }) (filter (c: c ? source && c ? checksum && registries ? ${c.source}) (lock.package or [ ]));
  planned =
    if cli == null then
      throw "cargo-nix-unit: no plan file (${toString src}/nix-unit.json): run `cargo nix-unit plan` and commit it, or give buildWorkspace `cli` (mkLib does) to write it by import-from-derivation"
    else
      builtins.derivation {
        name = "nix-unit.json";
        inherit system;
        builder = builderPath;
        cargoNixUnitJob = builtins.toJSON {
          unit = "nix-unit.json";
          action = "plan";
          program = storeInput cli;
          args = [ "nix-unit" "plan" "--offline" "--locked" "--crates" "-" "-o" (builtins.placeholder "out") ] ++ planFlags;
          env.PATH = concatStringsSep ":" ([ "${toolchain}/bin" ] ++ planPath);
          copy = [ { from = "${src}"; to = workspaceName; } ];
          dir = workspaceName;
          stdin = builtins.toJSON fetched;
        };
      };

  # Without a plan file and without import-from-derivation: a derivation
  # whose output is the result's .drv (a text-hashed, content-addressed
  # output), written by this very file instantiated with the planned file
  # inside the build (recursive Nix adds the units' derivations to the
  # store); builtins.outputOf names what that derivation builds. Needs Nix's
  # experimental dynamic-derivations, ca-derivations and recursive-nix.
  quoted = x: builtins.toJSON (toString x);
  instantiated = builtins.derivation {
    name = "nix-unit-result.drv";
    inherit system;
    builder = builderPath;
    requiredSystemFeatures = [ "recursive-nix" ];
    __contentAddressed = true;
    outputHashMode = "text";
    outputHashAlgo = "sha256";
    cargoNixUnitJob = builtins.toJSON {
      unit = "nix-unit-result.drv";
      action = "instantiate";
      program = if nixInstantiate == null
        then throw "cargo-nix-unit: `dynamic` needs nixInstantiate, a Nix of 2.30 or newer"
        else storeInput nixInstantiate;
      args = [ "--extra-experimental-features" "nix-command ca-derivations" "--expr" ''
        (import ${./build-workspace.nix} {
          src = builtins.storePath ${quoted "${src}"};
          plan = builtins.storePath ${quoted planned};
          rustToolchain = ${quoted toolchain};
          builder = ${quoted builderPath};
          system = ${quoted system};
          contentAddressed = ${if contentAddressed then "true" else "false"};
        }).default
      '' ];
    };
  };
in
{
  default = mkUnit checked.result;
  inherit units bins sources planFile;
  plan = checked;
  # The result by dynamic derivations: the output of the derivation
  # `instantiated` writes.
  dynamic = builtins.outputOf instantiated.outPath "out";
  inherit instantiated;
}
