#!/usr/bin/python3
"""The review workbooks as an independent reader sees them (python3-openpyxl).

  check DIR CAMPAIGN HASH     every DIR/*.xlsx: validation, protection, text
                              cells, hidden token, highlighting, properties
  fill IN OUT [REVOKE_ACCESS_NAME...]
                              a reviewer's edit: decision keep on every row,
                              revoke where access_name is one of those given,
                              and a comment on each revoke
  tamper IN OUT KIND          edit-user | copy-row | maybe | delete-token:
                              prints the cell the change is in (Review!X9)
  move FROM TO OUT            appends FROM's first row to TO's sheet; prints
                              the token cell of the moved row
Exits 1 with a message on the first check that fails.
"""
import glob
import os
import sys

import openpyxl

HEADERS = ["username", "user_id", "name", "status", "last_login_at",
           "access_type", "access_id", "access_name", "via_type", "via_id",
           "via_name", "tier", "expires_at", "decision", "comment", "row_token"]
DECISION, COMMENT, TOKEN = 13, 14, 15


def fail(msg):
    print("FAIL: " + msg, file=sys.stderr)
    sys.exit(1)


def check(directory, campaign, snapshot_hash):
    books = sorted(glob.glob(os.path.join(directory, "*.xlsx")))
    if not books:
        fail("no workbooks in " + directory)
    rows = 0
    for path in books:
        reviewer = os.path.basename(path)[:-5]
        wb = openpyxl.load_workbook(path)
        name = os.path.basename(path)
        if wb.sheetnames != ["Review", "Instructions", "Overview"]:
            fail("%s: sheets %s" % (name, wb.sheetnames))
        p = wb.properties
        props = " ".join(x or "" for x in (p.title, p.subject, p.keywords))
        for want in ("campaign %s" % campaign, snapshot_hash, reviewer):
            if want not in props:
                fail("%s: properties %r lack %r" % (name, props, want))
        ws = wb["Review"]
        if [c.value for c in ws[1]] != HEADERS:
            fail("%s: headers %s" % (name, [c.value for c in ws[1]]))
        if ws.freeze_panes != "A2":
            fail("%s: frozen at %s" % (name, ws.freeze_panes))
        if ws.auto_filter.ref != "A1:P%d" % ws.max_row:
            fail("%s: autofilter %s" % (name, ws.auto_filter.ref))
        if not ws.protection.sheet:
            fail("%s: Review is not protected" % name)
        if not ws.column_dimensions["P"].hidden:
            fail("%s: row_token column P is not hidden" % name)
        dvs = ws.data_validations.dataValidation
        if len(dvs) != 1 or dvs[0].type != "list" or \
                dvs[0].formula1 != '"keep,revoke"' or \
                str(dvs[0].sqref) not in ("N2:N%d" % ws.max_row, "N%d" % ws.max_row if ws.max_row == 2 else "-"):
            fail("%s: validation %s" % (name, [(d.type, d.formula1, str(d.sqref)) for d in dvs]))
        for r in ws.iter_rows(min_row=2):
            rows += 1
            for c in r:
                if c.value is not None and c.data_type != "s":
                    fail("%s: %s is %s, not text" % (name, c.coordinate, c.data_type))
                if c.number_format != "@":
                    fail("%s: %s has format %s, not text" % (name, c.coordinate, c.number_format))
                locked = c.column - 1 not in (DECISION, COMMENT)
                if bool(c.protection.locked) != locked:
                    fail("%s: %s locked=%s" % (name, c.coordinate, c.protection.locked))
            token = r[TOKEN].value or ""
            if len(token) != 64 or any(ch not in "0123456789abcdef" for ch in token):
                fail("%s: %s token %r" % (name, r[TOKEN].coordinate, token))
            if r[0].value == reviewer:
                fail("%s: %s is the reviewer's own access" % (name, r[0].coordinate))
            fill = r[0].fill.fgColor.rgb if r[0].fill and r[0].fill.fill_type else None
            if bool(r[11].value) != bool(fill):
                fail("%s: row %d tier %r highlighted %r" % (name, r[0].row, r[11].value, fill))
        texts = [c.value for c in wb["Instructions"]["A"] if c.value]
        if not any("Due:" in t for t in texts) or not any("Questions:" in t for t in texts):
            fail("%s: Instructions %s" % (name, texts))
        over = list(wb["Overview"].iter_rows(min_row=2, values_only=True))
        if sum(r[2] for r in over) != ws.max_row - 1:
            fail("%s: Overview counts %s for %d rows" % (name, over, ws.max_row - 1))
    print("%d workbooks, %d rows" % (len(books), rows))


def fill(src, dst, revoke):
    wb = openpyxl.load_workbook(src)
    ws = wb["Review"]
    for r in ws.iter_rows(min_row=2):
        if r[7].value in revoke:
            r[DECISION].value = "revoke"
            r[COMMENT].value = "no longer needed"
        else:
            r[DECISION].value = "keep"
    wb.save(dst)


def tamper(src, dst, kind):
    wb = openpyxl.load_workbook(src)
    ws = wb["Review"]
    if kind == "edit-user":
        cell = ws["B3"]
        cell.value = "005000000000000AAA"
    elif kind == "copy-row":
        last = ws.max_row
        for c in range(16):
            ws.cell(row=last + 1, column=c + 1, value=ws.cell(row=2, column=c + 1).value)
        cell = ws.cell(row=last + 1, column=TOKEN + 1)
    elif kind == "maybe":
        cell = ws["N4"]
        cell.value = "maybe"
    elif kind == "delete-token":
        cell = ws["P2"]
        cell.value = None
    else:
        fail("unknown tampering " + kind)
    wb.save(dst)
    print("Review!" + cell.coordinate)


def move(src, dst_book, out):
    row = [c.value for c in openpyxl.load_workbook(src)["Review"][2]]
    wb = openpyxl.load_workbook(dst_book)
    ws = wb["Review"]
    at = ws.max_row + 1
    for c, v in enumerate(row):
        ws.cell(row=at, column=c + 1, value=v)
    ws.cell(row=at, column=DECISION + 1, value="keep")
    wb.save(out)
    print("Review!P%d" % at)


def main(argv):
    if len(argv) >= 4 and argv[0] == "check":
        check(argv[1], argv[2], argv[3])
    elif len(argv) >= 3 and argv[0] == "fill":
        fill(argv[1], argv[2], set(argv[3:]))
    elif len(argv) == 4 and argv[0] == "tamper":
        tamper(argv[1], argv[2], argv[3])
    elif len(argv) == 4 and argv[0] == "move":
        move(argv[1], argv[2], argv[3])
    else:
        print(__doc__, file=sys.stderr)
        sys.exit(2)


if __name__ == "__main__":
    main(sys.argv[1:])
