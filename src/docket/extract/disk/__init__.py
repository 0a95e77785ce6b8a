"""Disk images: raw/dd (single or split), EWF (E01), ISO 9660; partition tables (MBR,
GPT) and file systems (FAT, exFAT, NTFS, ext2/3/4, HFS+, ISO 9660) read through The
Sleuth Kit (``pytsk3``), EWF through ``pyewf``. Files, alternate data streams and deleted
entries become children nested under the partition they were found in."""
