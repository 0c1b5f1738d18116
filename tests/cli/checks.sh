# Shared by the CLI test scripts (source it): fail, expect and same.

# Stops the test with a message.
fail() { echo "FAIL: $*" >&2; exit 1; }

# expect CODE PATTERN -- command...: the command exits CODE and prints (stdout or stderr) a line
# matching the extended regular expression PATTERN.
expect() {
  local code=$1 pattern=$2; shift 3
  local out rc
  out=$("$@" 2>&1); rc=$?
  [ "$rc" -eq "$code" ] || fail "'$*' exited $rc, expected $code: $out"
  grep -qE -- "$pattern" <<<"$out" || fail "'$*' output lacks /$pattern/: $out"
}

# same A B: every dataset of the results files A and B is equal outside /timing.
same() { h5diff -q --exclude-path /timing "$1" "$2" >/dev/null 2>&1 || fail "$2 differs from $1"; }
