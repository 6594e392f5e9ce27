#!/usr/bin/env bash
# Installs the Debian packages gongkai needs beyond Python: a CJK font (so charts measure and
# draw Chinese labels), Chromium (browser tests) and LibreOffice Writer (reads .doc/.wps
# reports; `make test` needs it, `make site` does not: without it such a file is an entry in
# the build report saying how to install it). Does nothing for what is already there.
set -euo pipefail
want=()
for what in "$@"; do
  case "$what" in
    fonts) fc-list 2>/dev/null | grep -qiE 'wqy|noto.*cjk' || want+=(fonts-wqy-microhei fontconfig) ;;
    chromium) command -v chromium >/dev/null || want+=(chromium) ;;
    office) command -v soffice >/dev/null || command -v libreoffice >/dev/null || want+=(libreoffice-writer-nogui) ;;
    *) echo "system-deps: unknown item $what" >&2; exit 2 ;;
  esac
done
[[ ${#want[@]} -eq 0 ]] && exit 0
if ! command -v apt-get >/dev/null; then
  echo "system-deps: please install ${want[*]} with your package manager" >&2
  [[ " ${want[*]} " == *" chromium "* ]] && exit 1 || exit 0  # without LibreOffice its tests skip
fi
sudo=""; [[ $(id -u) -eq 0 ]] || sudo="sudo"
echo "system-deps: installing ${want[*]}"
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${want[@]}" >/dev/null
