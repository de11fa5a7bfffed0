# Derivations instantiated by Nix's own evaluator for the golden fixtures
# (go test ./internal/aterm -update): input-addressed with several outputs,
# fixed outputs of every path shape, and content-addressed ones using each
# other through upstream placeholders.
let
  system = "x86_64-linux";
  builder = "/bin/sh";
  src = builtins.toFile "aterm-eval-src" "source text\n";
  fodFlat = derivation {
    name = "aterm-eval-fod-flat"; inherit system builder;
    outputHashMode = "flat"; outputHashAlgo = "sha256";
    outputHash = "0000000000000000000000000000000000000000000000000000000000000000";
  };
  fodNar = derivation {
    name = "aterm-eval-fod-nar"; inherit system builder;
    outputHashMode = "recursive"; outputHashAlgo = "sha256";
    outputHash = "1111111111111111111111111111111111111111111111111111111111111111";
  };
  fodSha1 = derivation {
    name = "aterm-eval-fod-sha1"; inherit system builder;
    outputHashMode = "recursive"; outputHashAlgo = "sha1";
    outputHash = "2222222222222222222222222222222222222222";
  };
  lib = derivation {
    name = "aterm-eval-lib"; inherit system builder;
    outputs = [ "out" "dev" "lib" ];
    args = [ "-c" "tab\there \"quoted\" back\\slash\nnew line\r ünï" ];
    "key with \"quote\"" = "value\twith\ttabs";
    inherit src;
  };
  app = derivation {
    name = "aterm-eval-app"; inherit system builder;
    deps = [ lib.dev lib.lib fodFlat fodNar fodSha1 ];
  };
  caA = derivation {
    name = "aterm-eval-ca-a"; inherit system builder;
    outputs = [ "out" "dev" ];
    __contentAddressed = true; outputHashMode = "recursive"; outputHashAlgo = "sha256";
  };
  caB = derivation {
    name = "aterm-eval-ca-b"; inherit system builder;
    __contentAddressed = true; outputHashMode = "recursive"; outputHashAlgo = "sha256";
    o = "${caA}"; d = "${caA.dev}";
  };
  deferred = derivation {
    name = "aterm-eval-deferred"; inherit system builder;
    dep = caB;
  };
in
builtins.concatStringsSep " " (map (d: d.drvPath) [ fodFlat fodNar fodSha1 lib app caA caB deferred ])
