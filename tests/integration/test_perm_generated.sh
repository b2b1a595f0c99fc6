#!/usr/bin/env bash
# The who-can cross-check (test_perm_whocan.sh) on an org the generator
# writes with its permission data: muting sets, ModifyAllData and
# ViewAllData holders, viewallfields, field permissions.
export SFA_PERM_GENERATE="--users 400 --seed 7" SFA_PERM_SAMPLE=60
exec bash "$(dirname "$0")/test_perm_whocan.sh"
