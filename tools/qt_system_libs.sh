#!/usr/bin/env bash
# The system libraries Qt's xcb platform plugin links, read off ldd (not guessed).
#
#   tools/qt_system_libs.sh            # each library and the Debian package that provides it
#   tools/qt_system_libs.sh --missing  # only the sonames ldd cannot find (empty when the window can start)
set -euo pipefail
cd "$(dirname "$0")/.."
qt=$(.venv/bin/python -c "import os, PySide6; print(os.path.join(os.path.dirname(PySide6.__file__), 'Qt'))")
libs=$(ldd "$qt/plugins/platforms/libqxcb.so" "$qt/lib/libQt6XcbQpa.so.6" 2>/dev/null)
if [ "${1:-}" = "--missing" ]; then
  echo "$libs" | awk '/not found/ {print $1}' | sort -u | tr '\n' ' ' | sed 's/ $//'
  exit 0
fi
echo "$libs" | awk '$3 ~ /^\// && $3 !~ /PySide6/ {print $3}' | sort -u | while read -r path; do
  pkg=$(dpkg -S "$(readlink -f "$path")" 2>/dev/null || dpkg -S "$path" 2>/dev/null || echo "?: ")
  printf '%-28s %s\n' "$(basename "$path")" "${pkg%%:*}"
done
echo "$libs" | awk '/not found/ {printf "%-28s NOT FOUND\n", $1}' | sort -u
