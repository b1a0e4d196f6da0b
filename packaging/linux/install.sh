#!/bin/sh
# Install cimviewer for the current user (no root): the app folder, a `cimviewer`
# command in ~/.local/bin, the menu entry, the icon and the .cimproj file type.
#
#   ./install.sh                  copy this folder to ~/.local/opt/cimviewer and register it
#   ./install.sh --prefix DIR     copy it to DIR instead
#   ./install.sh --in-place       register this folder where it is
#
# Honours XDG_DATA_HOME (default ~/.local/share). Every file written outside the app
# folder is listed in APP/install-manifest.txt, which uninstall.sh reads.
set -eu

here=$(cd "$(dirname "$0")" && pwd -P)
app="$HOME/.local/opt/cimviewer"
in_place=0
while [ $# -gt 0 ]; do
    case "$1" in
        --prefix) app="$2"; shift 2 ;;
        --in-place) in_place=1; shift ;;
        -h|--help) sed -n '2,10p' "$0"; exit 0 ;;
        *) echo "install.sh: unknown option $1" >&2; exit 2 ;;
    esac
done
[ -x "$here/cimviewer" ] || { echo "install.sh: no cimviewer executable next to me" >&2; exit 1; }
[ "$in_place" = 1 ] && app="$here"

data="${XDG_DATA_HOME:-$HOME/.local/share}"
bin="$HOME/.local/bin"

if [ "$app" != "$here" ]; then
    if [ -e "$app" ]; then
        # replace an older install, never a folder that is not one
        [ -x "$app/cimviewer" ] && [ -f "$app/uninstall.sh" ] || {
            echo "install.sh: $app exists and is not a cimviewer install; not touching it" >&2
            exit 1; }
        [ -f "$app/install-manifest.txt" ] && "$app/uninstall.sh" --keep-app >/dev/null
        rm -rf "$app"
    fi
    mkdir -p "$(dirname "$app")"
    cp -a "$here" "$app"
fi
app=$(cd "$app" && pwd -P)
manifest="$app/install-manifest.txt"
: > "$manifest"
[ "$app" = "$here" ] && [ "$in_place" = 1 ] && echo "# in-place" >> "$manifest"

put() {  # put SOURCE DEST: copy one file and list it
    mkdir -p "$(dirname "$2")"
    cp "$1" "$2"
    echo "$2" >> "$manifest"
}

mkdir -p "$bin"
ln -sfn "$app/cimviewer" "$bin/cimviewer"
echo "$bin/cimviewer" >> "$manifest"

desktop="$data/applications/cimviewer.desktop"
mkdir -p "$data/applications"
sed -e "s|^Exec=.*|Exec=\"$app/cimviewer\" %f|" -e "s|^TryExec=.*|TryExec=$app/cimviewer|" \
    "$app/cimviewer.desktop" > "$desktop"
echo "$desktop" >> "$manifest"

put "$app/cimviewer-mime.xml" "$data/mime/packages/cimviewer.xml"

icons="$data/icons/hicolor"
for size in 48 128 256; do
    put "$app/icons/cimviewer-$size.png" "$icons/${size}x$size/apps/cimviewer.png"
    put "$app/icons/cimviewer-$size.png" "$icons/${size}x$size/mimetypes/application-x-cimproj.png"
done
put "$app/icons/cimviewer.svg" "$icons/scalable/apps/cimviewer.svg"

# refresh the desktop's caches where the tools exist (not all desktops have them)
command -v update-mime-database >/dev/null && update-mime-database "$data/mime" || true
command -v update-desktop-database >/dev/null && update-desktop-database -q "$data/applications" || true
command -v gtk-update-icon-cache >/dev/null && gtk-update-icon-cache -q -t "$icons" 2>/dev/null || true
command -v xdg-mime >/dev/null && xdg-mime default cimviewer.desktop application/x-cimproj 2>/dev/null || true

echo "cimviewer installed in $app"
case ":$PATH:" in
    *":$bin:"*) ;;
    *) echo "note: $bin is not on PATH; add it to run \`cimviewer\` from a terminal" ;;
esac
echo "uninstall: $app/uninstall.sh"
