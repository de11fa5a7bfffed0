// Package drvjson encodes derivations as the JSON `nix derivation add` reads, which differs by Nix version.
package drvjson
