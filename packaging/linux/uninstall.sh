#!/bin/sh
# Remove what install.sh put in place: the files listed in install-manifest.txt and,
# unless the app was registered in place, the app folder itself. The user's projects,
# plugins (~/.local/share/cimviewer/plugins), settings and logs are left alone.
#
#   uninstall.sh [--keep-app]
set -eu

app=$(cd "$(dirname "$0")" && pwd -P)
manifest="$app/install-manifest.txt"
keep_app=0
[ "${1:-}" = "--keep-app" ] && keep_app=1
[ -f "$manifest" ] || { echo "uninstall.sh: $manifest not found: not installed" >&2; exit 1; }
grep -qx "# in-place" "$manifest" && keep_app=1

grep -v '^#' "$manifest" | while IFS= read -r file; do
    [ -n "$file" ] && rm -f "$file"
done
rm -f "$manifest"

data="${XDG_DATA_HOME:-$HOME/.local/share}"
command -v update-mime-database >/dev/null && update-mime-database "$data/mime" || true
command -v update-desktop-database >/dev/null && update-desktop-database -q "$data/applications" || true

if [ "$keep_app" = 0 ]; then
    case "$app" in
        /|"$HOME"|"$HOME/") echo "uninstall.sh: refusing to remove $app" >&2; exit 1 ;;
    esac
    rm -rf "$app"
fi
echo "cimviewer uninstalled (projects, plugins, settings and logs kept)"
