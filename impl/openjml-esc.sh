#!/usr/bin/env bash
# Runs OpenJML's extended static checker (ESC) on the same decision cores that KeY proves in the
# build (impl/src/main/java/org/proxyinfo/core). The contracts there are standard JML, so OpenJML
# reads them as they are.
#
# OpenJML is not on any registry this project's build machines reach, so the build does NOT run
# it and the project claims no OpenJML result. Users who have OpenJML installed
# (https://www.openjml.org, release for Java 17 or later) run:
#
#     impl/openjml-esc.sh                 # uses `openjml` on PATH
#     OPENJML=/opt/openjml/openjml impl/openjml-esc.sh
#
# --code-math=safe makes OpenJML report integer overflow in the code, matching the KeY build's
# intRules:arithmeticSemanticsCheckingOF. Exit status is OpenJML's: 0 when every proof obligation
# is discharged (warnings may still be printed), non-zero otherwise.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
openjml=${OPENJML:-openjml}
if ! command -v "$openjml" >/dev/null 2>&1; then
  echo "OpenJML was not found (looked for '$openjml')." >&2
  echo "Install it from https://www.openjml.org and put 'openjml' on PATH, or set OPENJML=/path/to/openjml." >&2
  echo "The build proves the same contracts with KeY: mvn -pl impl test -Dtest=KeyContractsTest" >&2
  exit 2
fi
exec "$openjml" --esc --code-math=safe --spec-math=bigint --progress \
  "$here"/src/main/java/org/proxyinfo/core/*.java
