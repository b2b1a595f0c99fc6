#!/usr/bin/env bash
# A change file names a permission set, group or permission set group by
# its API name or by its label where no other one has that label (issue
# 13); a label several have is an error naming the candidates (exit 2,
# the line, nothing changed).  An API name wins over another's label.
. "$(dirname "$0")/lib.sh"

emu_start "$SFA_SOURCE_DIR/fixtures/orgs/demo.json"
demo_login
writes() {
  emu_get /__admin/stats | node -e '
    const s = JSON.parse(require("fs").readFileSync(0, "utf8")).by_route;
    console.log(Object.entries(s).filter(([k]) => /^(POST|PATCH|DELETE) \/services\/data\//.test(k))
      .reduce((n, [, v]) => n + v, 0));'
}

cat >"$WORK/labels.csv" <<'CSV'
op,resource_type,resource,user,fields,comment
grant,permission_set,"Sales Ops, Reporting",mei.chen@acme.example,,the label of Sales_Ops
grant,group,deal desk,mei.chen@acme.example,,"the Name (label) of Deal_Desk, any case"
grant,permission_set_group,Sales Bundle,mei.chen@acme.example,,the MasterLabel of Sales_Bundle
grant,group,Tier_2_Support_Queue,mei.chen@acme.example,,an API name still works
CSV
expect_exit 0 "$SFACCESS" apply "$WORK/labels.csv" --yes
for want in "grant permission_set Sales_Ops to mei.chen" "grant group Deal_Desk to mei.chen" \
            "grant permission_set_group Sales_Bundle to mei.chen" "grant group Tier_2_Support_Queue to mei.chen"; do
  grep -Eq "^  line [0-9]+ +done +$want" "$WORK/out" || fail "<$want>: $(cat "$WORK/out")"
done
echo "ok permission set, group and permission set group by label; API names as before"

# Another permission set labelled "Report Builder", and one whose label
# is the API name Sales_Ops.
emu_post /__admin/mutate '[
  {"op":"insert","object":"PermissionSet","record":{"Name":"Report_Builder_EU","Label":"Report Builder","IsOwnedByProfile":false,"IsCustom":true,"Type":"Regular"}},
  {"op":"insert","object":"PermissionSet","record":{"Name":"Ops_Alias","Label":"Sales_Ops","IsOwnedByProfile":false,"IsCustom":true,"Type":"Regular"}}]' >/dev/null \
  || fail "mutate"
before=$(writes)
cat >"$WORK/ambiguous.csv" <<'CSV'
op,resource_type,resource,user,fields,comment
grant,permission_set,Sales_Ops,ana.souza@acme.example,,API name over another's label
grant,permission_set,Report Builder,ana.souza@acme.example,,two have this label
CSV
expect_exit 2 "$SFACCESS" apply "$WORK/ambiguous.csv" --yes
grep -q "ambiguous.csv:3: ambiguous permission set \`Report Builder\`: 2 have that label (Report_Builder 0PS5g00000pS012GAC, Report_Builder_EU 0PS[0-9A-Za-z]*); give the API name or the Id" "$WORK/err" \
  || fail "ambiguous label: $(cat "$WORK/err")"
! grep -q "ambiguous.csv:2:" "$WORK/err" || fail "the API name was ambiguous: $(cat "$WORK/err")"
grep -q "1 problem in" "$WORK/err" || fail "problems: $(cat "$WORK/err")"
[ "$(writes)" = "$before" ] || fail "an ambiguous file wrote"
echo "ok a label two permission sets have is an error naming both; an API name wins"
