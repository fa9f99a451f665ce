#!/bin/sh
# notepad: the demo app of the Skiff Kubernetes walkthrough, a busybox httpd
# CGI. httpd runs it for "/" because /www has no index.html.
#   GET  /             lists the notes (HTML, with the version string)
#   POST / note=TEXT   stores a note, then lists the notes
# Notes live in /data/notes (mount a volume on /data to keep them) or, when
# /data is not writable, in /tmp/notes.
VERSION="@VERSION@"

if [ -d /data ] && [ -w /data ]; then
    NOTES_DIR=/data/notes
else
    NOTES_DIR=/tmp/notes
fi
NOTES_FILE="$NOTES_DIR/notes.txt"
message=""

if [ "$REQUEST_METHOD" = "POST" ]; then
    body=$(head -c "${CONTENT_LENGTH:-0}")
    raw=$(printf '%s' "$body" | tr '&' '\n' | sed -n 's/^note=//p' | head -n 1)
    # httpd -d URL-decodes ('+' and %XX); notes are one line each.
    note=$(httpd -d "$raw" | tr -d '\r\n' | head -c 1000)
    if [ -n "$note" ]; then
        mkdir -p "$NOTES_DIR"
        printf '%s\n' "$note" >> "$NOTES_FILE"
        message="stored note"
    else
        message="nothing stored: send a form field named note"
    fi
fi

count=0
[ -f "$NOTES_FILE" ] && count=$(wc -l < "$NOTES_FILE")

printf 'Content-Type: text/html; charset=utf-8\r\n'
printf 'X-Notepad-Version: %s\r\n\r\n' "$VERSION"
cat <<HTML
<!DOCTYPE html>
<html>
<head><title>notepad $VERSION</title></head>
<body>
<h1>notepad</h1>
<p id="version">notepad version $VERSION</p>
<form method="post" action="/">
<input name="note" placeholder="write a note"> <button type="submit">add</button>
</form>
HTML
[ -n "$message" ] && printf '<p id="message">%s</p>\n' "$message"
echo '<ul>'
if [ -f "$NOTES_FILE" ]; then
    sed -e 's/&/\&amp;/g' -e 's/</\&lt;/g' -e 's/>/\&gt;/g' -e 's/"/\&quot;/g' \
        -e 's|^|<li>|' -e 's|$|</li>|' "$NOTES_FILE"
fi
echo '</ul>'
printf '<p id="count">notes: %s (kept in %s, served by %s)</p>\n' "$count" "$NOTES_DIR" "$(hostname)"
echo '</body>'
echo '</html>'
