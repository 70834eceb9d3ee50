#!/usr/bin/env bash
# Runs OpenJML's extended static checker (ESC) on the decision cores (impl/src/main/java/org/proxyinfo/core),
# the same JML contracts KeY proves. The build does this too, with a verdict per method and the mutant
# check: mvn -B -pl impl -am test -Dtest=OpenJmlEscTest -Dsurefire.failIfNoSpecifiedTests=false
# (results in impl/target/openjml/results.csv; the committed summary is proofs/openjml/results.csv).
#
#     impl/openjml-esc.sh                          # OpenJML from $OPENJML, ../shared/tools/openjml, or PATH
#     OPENJML=/opt/openjml/openjml impl/openjml-esc.sh
#     impl/openjml-esc.sh --method=org.proxyinfo.core.Transitions.legal   # extra OpenJML options
#
# Getting OpenJML: the official releases (https://github.com/OpenJML/OpenJML/releases, 0.21 or later; the zip
# brings its own JDK and z3), or build it from source as proofs/openjml/README.md describes.
#
# --code-math=safe makes OpenJML report integer overflow in the code (KeY: intRules:arithmeticSemanticsCheckingOF);
# --spec-math=bigint evaluates the contracts over mathematical integers. Exit status is OpenJML's: 0 when every
# method verifies, 6 when some proof fails; 2 when OpenJML was not found.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
openjml=${OPENJML:-}
if [ -z "$openjml" ]; then
  if [ -x "$root/../shared/tools/openjml/openjml" ]; then
    openjml="$root/../shared/tools/openjml/openjml"
  else
    openjml=openjml
  fi
fi
if ! command -v "$openjml" >/dev/null 2>&1; then
  echo "OpenJML was not found (looked for \$OPENJML, $root/../shared/tools/openjml/openjml, and 'openjml' on PATH)." >&2
  echo "Get it from https://github.com/OpenJML/OpenJML/releases (or build it: proofs/openjml/README.md)," >&2
  echo "then run OPENJML=/path/to/openjml impl/openjml-esc.sh." >&2
  echo "The build proves the same contracts with KeY: mvn -B -pl impl -am test -Dtest=KeyContractsTest -Dsurefire.failIfNoSpecifiedTests=false" >&2
  exit 2
fi
exec "$openjml" --esc --code-math=safe --spec-math=bigint --progress --show-skipped --show-summary "$@" \
  "$here"/src/main/java/org/proxyinfo/core/*.java
