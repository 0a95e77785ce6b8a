"""Disk images: raw/dd (single or split), EWF (E01), ISO 9660, virtual-machine disks (VHD,
VHDX, VMDK, QCOW2) and Apple disk images (DMG); partition tables (MBR, GPT), LVM2 groups,
encrypted volumes (LUKS1, BitLocker, FileVault 2) opened with the user's key file; file
systems (FAT, exFAT, NTFS with its shadow copies, ext2/3/4, HFS+, ISO 9660) read through
The Sleuth Kit (``pytsk3``), APFS through ``pyfsapfs``, everything else through the libyal
libraries. Files, alternate data streams and deleted entries become children nested under
the partition (and volume) they were found in."""
