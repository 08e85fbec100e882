#!/usr/bin/env bash
# Runs every test of the solution. Installs what the tests need first, and fails (never
# skips) when a prerequisite cannot be had.
set -euo pipefail
cd "$(dirname "$0")/.."

fail() { echo "scripts/test.sh: $*" >&2; exit 1; }

command -v dotnet >/dev/null 2>&1 || fail "the .NET SDK (dotnet) is required: https://dotnet.microsoft.com/download"
sdk_major=$(dotnet --version | cut -d. -f1)
[ "$sdk_major" -ge 10 ] || fail ".NET SDK 10 or later is required (found $(dotnet --version))"

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

# Debian packages the tests need are installed with apt-get, as root or through passwordless sudo
# (a hosted CI runner's user); otherwise the script fails and names the command to run.
can_apt() { command -v apt-get >/dev/null 2>&1 && { [ "$(id -u)" -eq 0 ] || sudo -n true 2>/dev/null; }; }
apt_install() {
  local as_root=""
  [ "$(id -u)" -eq 0 ] || as_root="sudo -n"
  $as_root apt-get update -qq && $as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
}

# Browser tests drive Debian's Chromium (Playwright downloads no browser here). The hosted Ubuntu
# images of GitHub Actions and Azure Pipelines already have /usr/bin/chromium (their build scripts
# link it to a Chromium snapshot, not Ubuntu's snap wrapper), so nothing is installed there.
if [ ! -x /usr/bin/chromium ]; then
  if can_apt; then
    echo "scripts/test.sh: installing Debian's chromium for the browser tests"
    apt_install chromium || fail "could not install the chromium package"
  else
    fail "/usr/bin/chromium is missing: install Debian's chromium package (sudo apt-get install chromium)"
  fi
fi
/usr/bin/chromium --version >/dev/null 2>&1 || fail "/usr/bin/chromium does not run"

# GDAL reads the published GeoJSON as QGIS does (Debian's gdal-bin: ogrinfo, ogr2ogr).
if ! command -v ogrinfo >/dev/null 2>&1 || ! command -v ogr2ogr >/dev/null 2>&1; then
  if can_apt; then
    echo "scripts/test.sh: installing Debian's gdal-bin for the GeoJSON tests"
    apt_install gdal-bin || fail "could not install the gdal-bin package"
  else
    fail "GDAL's ogrinfo and ogr2ogr are required for the GeoJSON tests (sudo apt-get install gdal-bin)"
  fi
fi
ogrinfo --version >/dev/null 2>&1 || fail "ogrinfo does not run"

# Quality gates of the site: the Nu HTML checker (Java) and axe-core, from npm.
if ! command -v java >/dev/null 2>&1; then
  if can_apt; then
    echo "scripts/test.sh: installing Debian's default-jre-headless for the Nu HTML checker"
    apt_install default-jre-headless || fail "could not install Java for the Nu HTML checker"
  else
    fail "Java is required for the Nu HTML checker (sudo apt-get install default-jre-headless)"
  fi
fi
# Node.js and npm: the gates, the SHACL validator, the Frictionless checker and Azurite come from npm.
if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  if can_apt; then
    echo "scripts/test.sh: installing Debian's nodejs and npm"
    apt_install nodejs npm || fail "could not install Node.js and npm"
  else
    fail "Node.js with npm is required (sudo apt-get install nodejs npm)"
  fi
fi
node --version >/dev/null 2>&1 || fail "node does not run"

gates_dir=.tools/gates
if [ ! -f "$gates_dir/node_modules/vnu-jar/build/dist/vnu.jar" ] || [ ! -f "$gates_dir/node_modules/axe-core/axe.min.js" ]; then
  echo "scripts/test.sh: installing vnu-jar@26.9.27 and axe-core@4.14.1"
  mkdir -p "$gates_dir"
  npm install --prefix "$gates_dir" --no-save --no-package-lock --no-audit --no-fund --ignore-scripts vnu-jar@26.9.27 axe-core@4.14.1 >/dev/null \
    || fail "could not install vnu-jar and axe-core from npm"
fi
export VNU_JAR="$PWD/$gates_dir/node_modules/vnu-jar/build/dist/vnu.jar"
export AXE_JS="$PWD/$gates_dir/node_modules/axe-core/axe.min.js"

# The DCAT-AP catalogue is validated against the official SHACL shapes with these npm packages.
shacl_packages="rdf-validate-shacl@0.6.5 jsonld@9.0.0 n3@2.13.12 @zazuko/env-node@3.0.0"
if [ ! -d tests/shacl/node_modules/rdf-validate-shacl ] || [ ! -d tests/shacl/node_modules/@zazuko/env-node ]; then
  echo "scripts/test.sh: installing $shacl_packages"
  # shellcheck disable=SC2086
  npm install --prefix tests/shacl --no-save --no-package-lock --no-audit --no-fund $shacl_packages >/dev/null \
    || fail "could not install the SHACL validator's npm packages"
fi

# Our Parquet files are also read by hyparquet, a reader written apart from DuckDB (npm).
parquet_js_packages="hyparquet@1.33.0 hyparquet-compressors@1.1.2"
if [ ! -d tests/parquet-js/node_modules/hyparquet ] || [ ! -d tests/parquet-js/node_modules/hyparquet-compressors ]; then
  echo "scripts/test.sh: installing $parquet_js_packages"
  # shellcheck disable=SC2086
  npm install --prefix tests/parquet-js --no-save --no-package-lock --no-audit --no-fund $parquet_js_packages >/dev/null \
    || fail "could not install hyparquet from npm"
fi

# Our data packages are checked by the Frictionless reference implementation of the v1 specs
# (datapackage-js, tableschema-js), at the versions tests/frictionless/package-lock.json pins.
# npm ls fails when a package is missing or not the version package.json names.
if ! npm ls --prefix tests/frictionless --depth=0 >/dev/null 2>&1; then
  echo "scripts/test.sh: installing the Frictionless checker's npm packages (tests/frictionless/package-lock.json)"
  npm ci --prefix tests/frictionless --no-audit --no-fund --ignore-scripts >/dev/null \
    || fail "could not install datapackage and tableschema from npm (tests/frictionless)"
fi
node -e 'require("./tests/frictionless/node_modules/datapackage"); require("./tests/frictionless/node_modules/tableschema")' \
  || fail "the Frictionless checker's npm packages do not load (tests/frictionless/node_modules)"

# Azure Blob integration tests run against Azurite (npm), started here on 127.0.0.1.
azurite_version=3.37.0
azurite_dir=.tools/azurite
if [ ! -x "$azurite_dir/node_modules/.bin/azurite-blob" ] || ! grep -q "\"version\": \"$azurite_version\"" "$azurite_dir/node_modules/azurite/package.json" 2>/dev/null; then
  echo "scripts/test.sh: installing azurite@$azurite_version"
  mkdir -p "$azurite_dir"
  npm install --prefix "$azurite_dir" --no-save --no-package-lock --no-audit --no-fund "azurite@$azurite_version" >/dev/null \
    || fail "could not install azurite@$azurite_version from npm"
fi
azurite_port=$(node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')
node "$azurite_dir/node_modules/.bin/azurite-blob" --blobHost 127.0.0.1 --blobPort "$azurite_port" \
  --inMemoryPersistence --disableTelemetry --silent --skipApiVersionCheck &
azurite_pid=$!
trap 'kill "$azurite_pid" 2>/dev/null || true' EXIT
for _ in $(seq 1 60); do
  (exec 3<>"/dev/tcp/127.0.0.1/$azurite_port") 2>/dev/null && break
  kill -0 "$azurite_pid" 2>/dev/null || fail "Azurite exited at start"
  sleep 0.5
done
(exec 3<>"/dev/tcp/127.0.0.1/$azurite_port") 2>/dev/null || fail "Azurite did not answer on 127.0.0.1:$azurite_port"
export AZURITE_BLOB_ENDPOINT="http://127.0.0.1:$azurite_port/devstoreaccount1"
echo "scripts/test.sh: Azurite on $AZURITE_BLOB_ENDPOINT"

dotnet restore Automotech.OpenData.sln
dotnet build Automotech.OpenData.sln --no-restore -c Release
dotnet test Automotech.OpenData.sln --no-build -c Release "$@"
