#!/usr/bin/env bash
# The message catalogue (core/i18n.hpp) with Debian's gettext tools:
#   scripts/messages.sh pot     writes po/fiscpos.pot from every message marked with core::msg()
#                               or core::tr() in the sources (a translator then runs
#                               msgmerge --update po/el.po po/fiscpos.pot and translates)
#   scripts/messages.sh check   fails when po/el.po lacks a marked message, holds one no longer
#                               marked, or has an untranslated or fuzzy entry (CTest i18n_catalogue)
set -euo pipefail
cd "$(dirname "$0")/.."
extract() {
    find core signing etimologiera network einvoice receipt mellon viva gptom sms plugin cli sim \
        demo \
        \( -name '*.cpp' -o -name '*.hpp' \) -not -path '*/fuzz/*' | LC_ALL=C sort |
        xgettext --files-from=- --language=C++ --from-code=UTF-8 --keyword= --keyword=msg:1 \
            --keyword=tr:2 --package-name=fiscpos --add-location=file --sort-by-file \
            --output="$1"
}
case "${1:-}" in
pot)
    extract po/fiscpos.pot
    echo "po/fiscpos.pot: $(grep -c '^msgid ' po/fiscpos.pot) messages (the first is the header)"
    ;;
check)
    work=$(mktemp -d)
    trap 'rm -rf "$work"' EXIT
    extract "$work/marked.pot"
    status=0
    # Every marked message has an entry in el.po ...
    msgcmp --use-untranslated po/el.po "$work/marked.pot" || status=1
    # ... and el.po keeps no message the code no longer has.
    if ! msgcmp --use-untranslated "$work/marked.pot" po/el.po 2>"$work/stale"; then
        echo "po/el.po holds messages the code no longer marks:" >&2
        sed 's/^/  /' "$work/stale" >&2
        status=1
    fi
    # ... translated, none fuzzy.
    stats=$(msgfmt --check --statistics --output-file=/dev/null po/el.po 2>&1)
    echo "po/el.po: $stats"
    case "$stats" in
    *untranslated* | *fuzzy*) status=1 ;;
    esac
    [ $status -eq 0 ] && echo "i18n catalogue: every marked message has its Greek"
    exit $status
    ;;
*)
    echo "usage: scripts/messages.sh pot|check" >&2
    exit 2
    ;;
esac
