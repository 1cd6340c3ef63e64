#!/usr/bin/env bash
# Long fuzz runs of the readers' CI slices (docs/security-testing.md):
#   tools/fuzz/run.sh READER [COUNT]
# READER: fastcgi | uwsgi-packet | uwsgi-response | fastcgi-response | cgi | http1-response | config | ini | protocols | all
# COUNT defaults to 1,000,000. The seed is random unless NGINXLITE_FUZZ_SEED is set; every run prints it
# ("fuzz READER: N inputs (seed S, long run) ..."), and a failure names the seed and input index:
#   NGINXLITE_FUZZ_SEED=S tools/fuzz/run.sh READER COUNT   reproduces it.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
reader=${1:?usage: tools/fuzz/run.sh READER [COUNT]}
count=${2:-1000000}

case "$reader" in
  fastcgi) project=Protocols filter=FastCgiRecordReader_Fuzzed ;;
  uwsgi-packet) project=Protocols filter=UwsgiPacketReader_Fuzzed ;;
  uwsgi-response|fastcgi-response) project=Protocols filter=ResponseHeadParser_Fuzzed ;;
  cgi) project=Protocols filter=CgiResponseHeaderReader_Fuzzed ;;
  http1-response) project=Protocols filter=HttpResponseReaders_Fuzzed ;;
  protocols) project=Protocols filter=Fuzz reader=all ;;
  config) project=Config filter=ConfigParserFuzzTests ;;
  ini) project=Ini filter=IniGrammarFuzzTests ;;
  all)
    for r in protocols config ini; do "$0" "$r" "$count"; done
    exit 0 ;;
  *) echo "unknown reader: $reader" >&2; exit 2 ;;
esac

export NGINXLITE_FUZZ_COUNT=$count NGINXLITE_FUZZ_READER=$reader
cd "$here"
log=$(mktemp)
trap 'rm -f "$log"' EXIT
set +e
dotnet test "tests/NginxLite.$project.Tests" -c Release --nologo \
  --filter "FullyQualifiedName~$filter" --logger "console;verbosity=detailed" --blame-hang-timeout 60m >"$log" 2>&1
status=$?
grep -E "fuzz |Passed |Failed |Error Message|threw|allocated|input \(hex\)|error" "$log"
exit "$status"
