#!/usr/bin/env bash
# The HTML report in headless Chromium (browser.js drives it over the
# DevTools pipe): no console error or CSP violation; the row count shown,
# filtering, sorting and paging work on a hostile page, on 100,000 rows and
# on the demo org's report.  Screenshots go to $SFA_BUILD_DIR/screenshots/.
. "$(dirname "$0")/lib.sh"

command -v chromium >/dev/null || fail "chromium is not installed (scripts/setup.sh installs it)"
helper="$SFA_BUILD_DIR/test_report_html"
[ -x "$helper" ] || fail "no $helper (it writes the synthetic pages)"
shots="$SFA_BUILD_DIR/screenshots"
mkdir -p "$shots"
browser() { node "$SFA_SOURCE_DIR/tests/integration/browser.js" "$@" || fail "browser checks failed: $*"; }

# Hostile values (markup, a closing </script>, U+2028) stay text.
"$helper" --write-page "$WORK/hostile.html" 40
browser --html "$WORK/hostile.html" --shot "$shots/report-hostile.png" --rows 40 \
  --filter onerror=4 --hostile '<img src=x onerror=alert(1)>'

# 100,000 rows, four per user: filters and selects against known counts.
"$helper" --write-page "$WORK/big.html" 100000
browser --html "$WORK/big.html" --shot "$shots/report-100k.png" --rows 100000 --max-ms 1500 \
  --filter user01234@=4 --filter 'permission_set 42=258' \
  --select access_type=group=25000 --select flags=privileged=5000

# The demo org's own report; expected counts come from its CSV.
emu_start "$SFA_SOURCE_DIR/fixtures/orgs/demo.json"
demo_login
expect_exit 0 "$SFACCESS" --no-progress sync --sync-connected-apps --sync-non-standard-licenses
expect_exit 0 "$SFACCESS" report access --format csv --format html --out "$WORK/r"
cols() { node "$SFA_SOURCE_DIR/tests/integration/csvcols.js" "$@" <"$WORK/r/access-review.csv"; }
rows=$(cols username | wc -l)
ingrid=$(cols username | grep -c '^ingrid\.larsen@')
profiles=$(cols access_type | grep -cx profile)
browser --html "$WORK/r/access-review.html" --shot "$shots/report-demo.png" \
  --print-shot "$shots/report-demo-print.png" --rows "$rows" \
  --filter "ingrid.larsen=$ingrid" --select "access_type=profile=$profiles"
echo "ok screenshots in $shots"
