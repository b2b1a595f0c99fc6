#!/usr/bin/env bash
# The who-can cross-check (test_perm_whocan.sh) on fixtures/orgs/perms.json,
# the small org whose effective permissions perms.md works out by hand.
export SFA_PERM_ORG="$SFA_SOURCE_DIR/fixtures/orgs/perms.json" SFA_PERM_LOGIN="admin@perms.example pw tok" \
  SFA_PERM_PARTIAL_DESCRIBE=1
exec bash "$(dirname "$0")/test_perm_whocan.sh"
