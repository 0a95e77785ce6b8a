#!/usr/bin/env bash
# Debian packages Docket needs beside its Python packages. Installs them with apt-get
# when running as root; otherwise prints the exact command to run and fails.
set -euo pipefail

PACKAGES=(
  python3-venv        # the virtual environment
  libarchive13        # RAR (and other) archives through libarchive-c
  fonts-dejavu-core   # the font the sample-case generator writes Arabic PDFs with
  fonts-noto-core     # Noto Naskh Arabic: the desk serves it for Arabic text (serve/fonts.py)
  # pyicu (through followthemoney's normality) ships as source only: it compiles against ICU
  libicu-dev pkg-config g++ python3-dev
  # disk-image tests build images with these; bench/disk.py compares with sleuthkit
  dosfstools mtools e2fsprogs ntfs-3g genisoimage ewf-tools fdisk sleuthkit exfatprogs
  # disk-image tests: qemu-img/qemu-io (VHD/VHDX/VMDK/QCOW2, differencing), lvm2, cryptsetup (LUKS1/2), mkapfs (APFS)
  qemu-utils lvm2 cryptsetup-bin apfsprogs
  chromium            # the desk's browser tests (Playwright) and `docket export report --pdf`
  postgresql-15       # the newsroom server's catalogue; its tests start a throwaway cluster
  rsync               # docs/deploy.md: backups of the server storage (tested by its test)
  # OCR: Tesseract 5 with Arabic and English models (OSD data comes with tesseract-ocr);
  # tesserocr (in-process OCR) is built against libtesseract-dev/libleptonica-dev, so it
  # is the same Tesseract; the executable is the fallback when tesserocr cannot be imported
  tesseract-ocr tesseract-ocr-ara tesseract-ocr-eng libtesseract-dev libleptonica-dev
  djvulibre-bin       # DjVu: text layers (djvutxt), pages rendered for OCR (ddjvu); tests make DjVu with it
)

missing=()
for pkg in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "ok installed" || missing+=("$pkg")
done
[ ${#missing[@]} -eq 0 ] && exit 0

cmd="apt-get update && apt-get install -y --no-install-recommends ${missing[*]}"
if [ "$(id -u)" -eq 0 ]; then
  echo "installing Debian packages: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq && apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
else
  echo "Docket needs these Debian packages: ${missing[*]}" >&2
  echo "run:  sudo sh -c '$cmd'" >&2
  exit 1
fi
